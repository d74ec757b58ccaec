#!/bin/sh
# make bench: zr-photo against ImageMagick (-define jpeg:extent) and
# jpegoptim --size on the portraits of $ZR_CORPUS/img (make bench CORPUS=DIR;
# ../shared/corpus by default), at the same
# byte cap and pixel size (450x600, the isa profile).
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
now() { date +%s.%N; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }'; }

printf '%-30s %-9s %6s %7s %7s %7s\n' file tool bytes ssim ssim_ycc secs
tot_zr=0 tot_im=0 n=0
for f in facerec__obama.jpg facerec__biden.jpg facerec__obama-1080p.jpg \
    exif__Portrait_1.jpg exif__Portrait_6.jpg exif__Landscape_8.jpg \
    skimage__astronaut.png derived__flower_tiled_4032x3024.jpg; do
	[ -f "$img/$f" ] || continue
	in=$img/$f
	# The same centred 3:4 box of the upright picture for both tools
	# (issue 13: the size search compared with the crop given, so face
	# framing does not enter the timing).
	dims=$("$im" "$in" -auto-orient -format '%w %h' info:)
	crop=$(echo "$dims" | awk '{ w = $1; h = $2;
	    if (w * 4 > h * 3) { cw = int(h * 3 / 4); ch = h } else { cw = w; ch = int(w * 4 / 3) }
	    printf "%d,%d,%d,%d", int((w - cw) / 2), int((h - ch) / 2), cw, ch }')
	size=$("$tmp/photo-ssim" ref "$in" "$tmp/ref.ppm" "$crop")
	# zr-photo: the whole job, from the original file.
	t0=$(now)
	"$bin/zr-photo" -q --crop "$crop" --max-bytes $cap "$in" -o "$tmp/zr.jpg"
	t1=$(now)
	zt=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
	# ImageMagick: the same job from the original (timed), and the
	# byte search alone on the same resized picture (compared).
	t0=$(now)
	"$im" "$in" -auto-orient -gravity center -crop 3:4 +repage \
	    -colorspace RGB -resize "$size!" -colorspace sRGB -strip \
	    -define jpeg:extent=$cap "$tmp/imfull.jpg"
	t1=$(now)
	it=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
	"$im" "$tmp/ref.ppm" -strip -define jpeg:extent=$cap "$tmp/im.jpg"
	# jpegoptim: from a quality-100 JPEG of the same picture.
	"$im" "$tmp/ref.ppm" -quality 100 -sampling-factor 1x1 "$tmp/q100.jpg"
	jpegoptim -q --strip-all --size=$jcap --stdout "$tmp/q100.jpg" \
	    > "$tmp/jo.jpg"
	"$bin/zr-photo" -q --crop "$crop" --max-bytes $((jcap * 1024)) "$in" -o "$tmp/zrj.jpg"
	for t in zr im jo zrj; do
		case $t in
		zr) name=zr-photo secs=$zt ;;
		im) name=magick secs=$it ;;
		jo) name=jpegoptim secs=- ;;
		zrj) name=zr@48KiB secs=- ;;
		esac
		b=$(wc -c < "$tmp/$t.jpg")
		s=$("$tmp/photo-ssim" ssim "$tmp/ref.ppm" "$tmp/$t.jpg")
		printf '%-30s %-9s %6d %7s %7s %7s\n' "$f" "$name" "$b" \
		    ${s% *} ${s#* } "$secs"
		eval "ss_$t=${s% *}"
	done
	echo "  ratios: ssim zr/magick $(ratio "$ss_zr" "$ss_im")," \
	    "zr/jpegoptim $(ratio "$ss_zrj" "$ss_jo"), time zr/magick $(ratio "$zt" "$it")"
	tot_zr=$(awk -v a="$tot_zr" -v b="$zt" 'BEGIN { print a + b }')
	tot_im=$(awk -v a="$tot_im" -v b="$it" 'BEGIN { print a + b }')
	n=$((n + 1))
done
echo "photo bench: $n files, total time zr-photo ${tot_zr}s, ImageMagick ${tot_im}s (ratio $(ratio "$tot_zr" "$tot_im"))"
