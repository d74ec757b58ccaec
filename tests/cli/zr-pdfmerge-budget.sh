# CLI tests for zr-pdfmerge (issue 14): no metadata leaves in the upload,
# and every feasible budget is met, well and monotonically.  Every fixture
# is made here (mknoise, and EXIF written by hand), nothing from outside.
. tests/cli/lib.sh

R="--rules-date 2026-02-01"
N=${ZR_BUILD:-build}/tools/mknoise
size() { wc -c < "$1" | tr -d ' '; }
num() { sed -n "s/.*\"$1\":\\([0-9]*\\).*/\\1/p" "$out" | head -1; }

# A phone photo: a JPEG with an EXIF block holding a GPS position (IFD0 ->
# GPS IFD with GPSLatitudeRef and GPSLatitude) and a comment.
"$N" 400 300 72 1 "$tmp/plain.jpg"
python3 - "$tmp/plain.jpg" "$tmp/phone.jpg" <<'PY'
import struct, sys
d = open(sys.argv[1], 'rb').read()
tiff = b'MM\x00\x2a' + struct.pack('>I', 8)
tiff += struct.pack('>H', 1) + struct.pack('>HHII', 0x8825, 4, 1, 26)
tiff += struct.pack('>I', 0)
tiff += struct.pack('>H', 2)
tiff += struct.pack('>HHI', 1, 2, 2) + b'N\x00\x00\x00'
tiff += struct.pack('>HHII', 2, 5, 3, 56) + struct.pack('>I', 0)
tiff += struct.pack('>6I', 35, 1, 36, 1, 0, 1)
app1 = b'Exif\x00\x00' + tiff
com = b'where I live'
seg = b'\xff\xe1' + struct.pack('>H', len(app1) + 2) + app1
seg += b'\xff\xfe' + struct.pack('>H', len(com) + 2) + com
open(sys.argv[2], 'wb').write(d[:2] + seg + d[2:])
PY
gps() { grep -c 'Exif' "$1" 2>/dev/null || true; }
[ "$(gps "$tmp/phone.jpg")" -ge 1 ] && ok || nok "fixture has no EXIF"

run zr-pdfmerge $R -q -o "$tmp/photo.pdf" "$tmp/phone.jpg"
expect_exit 0
mkdir "$tmp/img"
pdfimages -j "$tmp/photo.pdf" "$tmp/img/x" && ok || nok "pdfimages"
[ "$(gps "$tmp/img/x-000.jpg")" = 0 ] && ok || nok "EXIF left in the image"
grep -q 'where I live' "$tmp/img/x-000.jpg" && nok "comment left" || ok
# Losslessly: the scan data is the same bytes.
tail -c 2000 "$tmp/phone.jpg" | cmp -s - "$tmp/tail" 2>/dev/null
tail -c 2000 "$tmp/phone.jpg" > "$tmp/a"; tail -c 2000 "$tmp/img/x-000.jpg" > "$tmp/b"
expect_same_bytes "$tmp/a" "$tmp/b"
# --keep-metadata keeps it, and --check then says so.
run zr-pdfmerge $R -q --keep-metadata -o "$tmp/keep.pdf" "$tmp/phone.jpg"
expect_exit 0
pdfimages -j "$tmp/keep.pdf" "$tmp/img/k"
[ "$(gps "$tmp/img/k-000.jpg")" -ge 1 ] && ok || nok "--keep-metadata lost EXIF"
run zr-pdfmerge $R -c "$tmp/keep.pdf"
expect_exit 1
expect_out_has "GPS"
run zr-pdfmerge $R -c "$tmp/photo.pdf"
expect_out_lacks "GPS"
# The same JPEG inside a PDF given as input loses its EXIF too.
run zr-pdfmerge $R -q -o "$tmp/again.pdf" "$tmp/keep.pdf"
expect_exit 0
pdfimages -j "$tmp/again.pdf" "$tmp/img/a"
[ "$(gps "$tmp/img/a-000.jpg")" = 0 ] && ok || nok "EXIF left from a PDF"

# The budget sweep over a mixed input: scans of 300 and 200 dpi, and a PDF.
"$N" 1240 1754 300 2 "$tmp/s1.jpg"
"$N" 900 1300 200 3 "$tmp/s2.jpg"
"$N" 1000 1400 300 4 "$tmp/s3.jpg"
run zr-pdfmerge $R -q --max-size 0 -o "$tmp/in.pdf" "$tmp/s3.jpg"
set -- "$tmp/s1.jpg" "$tmp/in.pdf" "$tmp/s2.jpg"
run zr-pdfmerge $R -q --max-size 0 -o "$tmp/full.pdf" "$@"
full=$(size "$tmp/full.pdf")
# The floor: what the message says it would take.
run zr-pdfmerge $R -q --max-size 20k -o "$tmp/no.pdf" "$@"
expect_exit 1
expect_no_file "$tmp/no.pdf"
need=$(sed -n 's/.*(about \([0-9]*\) kB).*/\1/p' "$err")
[ -n "$need" ] && ok || nok "no floor size in the message"
need=$(( ${need:-100} * 1000 ))
# A budget of exactly the floor's written size fits (the estimate of the
# rest of the file must not refuse it): the smallest output the budgets
# around the estimate give, then that size as the budget.
fl=
for d in 3000 1500 0 -1500 -3000; do
	run zr-pdfmerge $R -q --max-size $((need + d)) -o "$tmp/f.pdf" "$@"
	[ "$rc" = 0 ] || break
	fl=$(size "$tmp/f.pdf")
done
[ -n "$fl" ] && ok || nok "no budget near the floor's estimate fits"
run zr-pdfmerge $R -q --max-size "${fl:-1}" -o "$tmp/f2.pdf" "$@"
expect_exit 0
[ "$(size "$tmp/f2.pdf")" -le "${fl:-1}" ] && ok || nok "over $fl"
prev=0 pdpi=0 pq=0
# Up to the unbudgeted size, past the top level (300 dpi, quality 100),
# where an image's next step is its stored stream.
for pct in 103 110 125 150 175 200 250 300 400 600 800 1000 1300 1600 2000 \
    2500; do
	b=$((need * pct / 100))
	[ "$b" -lt "$full" ] || break
	run zr-pdfmerge $R -q --json --max-size $b -o "$tmp/b.pdf" "$@"
	[ "$rc" = 0 ] && ok || { nok "budget $b (floor $need) did not fit"; continue; }
	s=$(size "$tmp/b.pdf")
	[ "$s" -le "$b" ] && ok || nok "budget $b: $s bytes"
	if [ "$(num dpi) $(num quality)" != "300 100" ]; then
		[ $((s * 10)) -ge $((b * 9)) ] && ok ||
		    nok "budget $b: only $s bytes used"
	fi
	[ "$s" -ge "$prev" ] && ok || nok "budget $b: $s bytes, smaller than $prev"
	d=$(num dpi) q=$(num quality)
	if [ "$d" -gt "$pdpi" ] || { [ "$d" = "$pdpi" ] && [ "$q" -ge "$pq" ]; }; then
		ok
	else
		nok "budget $b: $d dpi q$q, below $pdpi dpi q$pq"
	fi
	prev=$s pdpi=$d pq=$q
	rm -f "$tmp/b.pdf"
done

# ---- the lossless pass on a large stream ------------------------------
# A font file of 5 MB (a large embedded CJK font is like it), stored
# unfiltered, is deflated at level 9 in 1 MB pieces over two threads
# (pdfq.c) when the budget binds: one zlib stream that libqpdf reads back
# to the same bytes, the same on every run.  A noisy scan beside it leaves
# the budget search room to fit.
python3 - "$tmp/font.pdf" "$tmp/font.bin" <<'PY'
import random, sys
r = random.Random(14)
blocks, n = [], 0
while n < 5 * 1024 * 1024:
    if blocks and r.random() < 0.6:
        b = blocks[-1 - r.randrange(min(len(blocks), 300))]
    else:
        b = r.randbytes(64)
    blocks.append(b)
    n += len(b)
font = b''.join(blocks)
open(sys.argv[2], 'wb').write(font)
text = b'BT /F1 24 Tf 72 700 Td (A font) Tj ET'
objs = [b'<< /Type /Catalog /Pages 2 0 R >>',
        b'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
        b'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] '
        b'/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
        b'<< /Length %d >>\nstream\n' % len(text) + text + b'\nendstream',
        b'<< /Type /Font /Subtype /TrueType /BaseFont /Big /FirstChar 32 '
        b'/LastChar 32 /Widths [500] /FontDescriptor 6 0 R >>',
        b'<< /Type /FontDescriptor /FontName /Big /Flags 32 /FontBBox '
        b'[0 0 1000 1000] /ItalicAngle 0 /Ascent 800 /Descent -200 '
        b'/CapHeight 700 /StemV 80 /FontFile2 7 0 R >>',
        b'<< /Length %d /Length1 %d >>\nstream\n' % (len(font), len(font))
        + font + b'\nendstream']
out, off = bytearray(b'%PDF-1.4\n'), []
for i, o in enumerate(objs):
    off.append(len(out))
    out += b'%d 0 obj\n' % (i + 1) + o + b'\nendobj\n'
x = len(out)
out += b'xref\n0 %d\n0000000000 65535 f \n' % (len(objs) + 1)
out += b''.join(b'%010d 00000 n \n' % o for o in off)
out += b'trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n' % (len(objs) + 1, x)
open(sys.argv[1], 'wb').write(out)
PY
"$N" 1200 1600 150 7 "$tmp/scan.jpg"
run zr-pdfmerge $R -o "$tmp/font0.pdf" "$tmp/font.pdf" "$tmp/scan.jpg"
expect_exit 0
expect_err_empty
s0=$(size "$tmp/font0.pdf")
b=$((s0 - 100000))
run zr-pdfmerge $R --json --max-size $b -o "$tmp/font9.pdf" "$tmp/font.pdf" "$tmp/scan.jpg"
expect_exit 0
[ "$(num flate_recompressed)" -ge 1 ] && ok || nok "no stream recompressed"
[ "$(size "$tmp/font9.pdf")" -le "$b" ] && ok || nok "over the budget"
if qpdf --check "$tmp/font9.pdf" >/dev/null 2>&1; then ok; else nok "font9.pdf fails qpdf --check"; fi
n=$(for o in $(seq 1 40); do
	qpdf --show-object=$o --filtered-stream-data "$tmp/font9.pdf" 2>/dev/null |
	    cmp -s - "$tmp/font.bin" && echo $o; done | head -1)
[ -n "$n" ] && ok || nok "the font's bytes did not come back"
qpdf --show-object=$n --raw-stream-data "$tmp/font9.pdf" 2>/dev/null | head -c 2 | od -An -tx1 | grep -q '78 da' && ok || nok "font not deflated at level 9"
run zr-pdfmerge $R -q --max-size $b -o "$tmp/font9b.pdf" "$tmp/font.pdf" "$tmp/scan.jpg"
expect_same_bytes "$tmp/font9.pdf" "$tmp/font9b.pdf"
