#!/bin/sh
# make bench: zr-photo against ImageMagick (-define jpeg:extent) and
# jpegoptim --size on the photos of $ZR_CORPUS/img (make bench CORPUS=DIR;
# ../shared/corpus by default), at the same byte cap, crop and pixel size
# (450x600, the isa profile).  Prints per photo and in total the wall and
# CPU time ratios zr-photo / ImageMagick and the mean SSIM of both.
# Usage: sh tests/bench/photo.sh BIN [BUILD]
set -eu
bin=$1
build=${2:-$(dirname "$bin")}
img=${ZR_CORPUS:-${ZR_SHARED:-../shared}/corpus}/img
[ -d "$img" ] || { echo "photo bench: $img not found, skipped"; exit 0; }
[ -f "$build/libzairyu.a" ] || build=build
im=/usr/bin/convert
[ -x "$im" ] || im=convert
command -v jpegoptim >/dev/null || { echo "photo bench: no jpegoptim"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck disable=SC2046
# The libraries libzairyu needs: the Makefile's list (make bench), else pkg-config.
ldlibs=${ZR_LDLIBS:-$(pkg-config --libs libjpeg libpng zlib libqpdf libcrypto \
    libpcsclite poppler-glib cairo libheif libwebp dlib-1) -lhpdf -lstdc++ -lm}
# shellcheck disable=SC2086
cc -O2 -Ilib/include -o "$tmp/photo-ssim" tests/bench/photo-ssim.c \
    "$build/libzairyu.a" $ldlibs

cap=50000
jcap=48          # jpegoptim takes whole KiB: 48 KiB = 49152 bytes <= cap
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }'; }
add() { awk -v a="$1" -v b="$2" 'BEGIN { print a + b }'; }
# Wall and CPU (user + sys, all threads) seconds of one command, as
# "WALL CPU" in $tmp/t.  The machine may be shared: the CPU time is the
# steadier number, and the load average is printed beside both.
timed() {
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%e %U %S' -o "$tmp/t.raw" "$@"
		awk '{ printf "%.3f %.3f\n", $1, $2 + $3 }' "$tmp/t.raw" > "$tmp/t"
	else
		t0=$(date +%s.%N)
		"$@"
		t1=$(date +%s.%N)
		awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f 0\n", b - a }' > "$tmp/t"
	fi
}
# The photos: every picture of the corpus except its robustness cases
# (MANIFEST.tsv's use column), else every JPEG and PNG there.
if [ -f "$img/MANIFEST.tsv" ]; then
	files=$(awk -F'\t' 'NR > 1 && $NF !~ /^robustness/ { print $1 }' "$img/MANIFEST.tsv")
else
	files=$(cd "$img" && ls -- *.jpg *.png 2>/dev/null)
fi

load0=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo -)
printf '%-30s %-9s %6s %7s %8s %6s %6s\n' file tool bytes ssim ssim_ycc wall cpu
tot_zr=0 tot_im=0 cpu_zr=0 cpu_im=0 sum_zr=0 sum_im=0 ycc_zr=0 ycc_im=0 n=0
ss_zr='' ss_im='' ss_jo='' ss_zrj='' sy_zr='' sy_im=''
for f in $files; do
	[ -f "$img/$f" ] || continue
	in=$img/$f
	# The same centred 3:4 box of the upright picture for both tools
	# (issue 13: the size search compared with the crop given, so face
	# framing does not enter the timing).
	dims=$("$im" "$in" -auto-orient -format '%w %h' info: 2>/dev/null) || continue
	crop=$(echo "$dims" | awk '{ w = $1; h = $2;
	    if (w * 4 > h * 3) { cw = int(h * 3 / 4); ch = h } else { cw = w; ch = int(w * 4 / 3) }
	    printf "%d,%d,%d,%d", int((w - cw) / 2), int((h - ch) / 2), cw, ch }')
	size=$("$tmp/photo-ssim" ref "$in" "$tmp/ref.ppm" "$crop")
	# zr-photo: the whole job, from the original file.
	timed "$bin/zr-photo" -q --crop "$crop" --max-bytes $cap "$in" -o "$tmp/zr.jpg"
	read -r zt zc < "$tmp/t"
	# ImageMagick: the same job from the original (timed), and the
	# byte search alone on the same resized picture (compared).
	timed "$im" "$in" -auto-orient -gravity center -crop 3:4 +repage \
	    -colorspace RGB -resize "$size!" -colorspace sRGB -strip \
	    -define jpeg:extent=$cap "$tmp/imfull.jpg"
	read -r it ic < "$tmp/t"
	"$im" "$tmp/ref.ppm" -strip -define jpeg:extent=$cap "$tmp/im.jpg"
	# jpegoptim: from a quality-100 JPEG of the same picture.
	"$im" "$tmp/ref.ppm" -quality 100 -sampling-factor 1x1 "$tmp/q100.jpg"
	jpegoptim -q --strip-all --size=$jcap --stdout "$tmp/q100.jpg" \
	    > "$tmp/jo.jpg"
	"$bin/zr-photo" -q --crop "$crop" --max-bytes $((jcap * 1024)) "$in" -o "$tmp/zrj.jpg"
	for t in zr im jo zrj; do
		case $t in
		zr) name=zr-photo secs="$zt $zc" ;;
		im) name=magick secs="$it $ic" ;;
		jo) name=jpegoptim secs="- -" ;;
		zrj) name=zr@48KiB secs="- -" ;;
		esac
		b=$(wc -c < "$tmp/$t.jpg")
		s=$("$tmp/photo-ssim" ssim "$tmp/ref.ppm" "$tmp/$t.jpg")
		[ "$b" -le $cap ] || echo "photo bench: $f: $name: $b bytes > $cap"
		# shellcheck disable=SC2086
		printf '%-30s %-9s %6d %7s %8s %6s %6s\n' "$f" "$name" "$b" \
		    ${s% *} ${s#* } $secs
		eval "ss_$t=${s% *} sy_$t=${s#* }"
	done
	echo "  ratios: ssim zr/magick $(ratio "$ss_zr" "$ss_im")," \
	    "zr/jpegoptim $(ratio "$ss_zrj" "$ss_jo"), wall zr/magick $(ratio "$zt" "$it")," \
	    "CPU zr/magick $(ratio "$zc" "$ic")"
	tot_zr=$(add "$tot_zr" "$zt") tot_im=$(add "$tot_im" "$it")
	cpu_zr=$(add "$cpu_zr" "$zc") cpu_im=$(add "$cpu_im" "$ic")
	sum_zr=$(add "$sum_zr" "$ss_zr") sum_im=$(add "$sum_im" "$ss_im")
	ycc_zr=$(add "$ycc_zr" "$sy_zr") ycc_im=$(add "$ycc_im" "$sy_im")
	n=$((n + 1))
done
[ "$n" -gt 0 ] || { echo "photo bench: no photos in $img"; exit 0; }
mean() { awk -v a="$1" -v n="$n" 'BEGIN { printf "%.4f", a / n }'; }
echo "photo bench: $n photos, load average $load0 before, $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo -) after"
echo "photo bench: wall  zr-photo ${tot_zr}s, ImageMagick ${tot_im}s: ratio $(ratio "$tot_zr" "$tot_im") (target <= 0.5)"
echo "photo bench: CPU   zr-photo ${cpu_zr}s, ImageMagick ${cpu_im}s: ratio $(ratio "$cpu_zr" "$cpu_im") (user+sys, all threads)"
echo "photo bench: mean SSIM zr-photo $(mean "$sum_zr"), ImageMagick $(mean "$sum_im");" \
    "YCbCr zr-photo $(mean "$ycc_zr"), ImageMagick $(mean "$ycc_im")"
