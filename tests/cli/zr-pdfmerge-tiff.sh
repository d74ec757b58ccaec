# CLI tests for zr-pdfmerge's TIFF input (issue 14, "Scanner files"):
# pages, CCITT G4 passed through byte for byte, pages that show the
# source's pixels, one outline entry per file, damaged TIFFs refused.
# Every TIFF is made here by tests/tools/mktiff.c (libtiff).
. tests/cli/lib.sh

R="--rules-date 2026-02-01"
M=${ZR_BUILD:-build}/tools/mktiff
case $M in /*) ;; *) M=$(pwd)/$M ;; esac

# Pixels: PNM (P4/P5/P6) and the PNGs pdftocairo writes (cairo renders
# an image at its own resolution exactly; poppler's splash does not), as
# gray; "diff A B" prints the fraction of pixels more than 64 apart.
cat > "$tmp/px.py" <<'PY'
import struct, sys, zlib
def pnm(b):
    tok, i = [], 0
    n = 3 if b[1:2] == b'4' else 4
    while len(tok) < n:
        while b[i:i+1].isspace(): i += 1
        j = i
        while not b[j:j+1].isspace(): j += 1
        tok.append(b[i:j]); i = j
    i += 1
    w, h, d = int(tok[1]), int(tok[2]), b[i:]
    if tok[0] == b'P4':
        rb = (w + 7) // 8
        return w, h, [0 if d[y*rb + x//8] >> (7 - x % 8) & 1 else 255
                      for y in range(h) for x in range(w)]
    if tok[0] == b'P5':
        return w, h, list(d[:w*h])
    return w, h, [(d[3*k] + d[3*k+1] + d[3*k+2]) // 3 for k in range(w*h)]
def png(b):
    i, idat = 8, b''
    while i < len(b):
        n, t = struct.unpack('>I4s', b[i:i+8])
        c = b[i+8:i+8+n]
        if t == b'IHDR':
            w, h, bd, ct = struct.unpack('>IIBB', c[:10])
        elif t == b'IDAT':
            idat += c
        i += 12 + n
    assert bd == 8
    bpp = {0: 1, 2: 3, 4: 2, 6: 4}[ct]
    raw, rb, out, prev = zlib.decompress(idat), w * bpp, [], bytearray(w * bpp)
    for y in range(h):
        f, row = raw[y*(rb+1)], bytearray(raw[y*(rb+1)+1:(y+1)*(rb+1)])
        for x in range(rb):
            a = row[x-bpp] if x >= bpp else 0
            up = prev[x]
            c = prev[x-bpp] if x >= bpp else 0
            if f == 1: row[x] = (row[x] + a) & 255
            elif f == 2: row[x] = (row[x] + up) & 255
            elif f == 3: row[x] = (row[x] + (a + up) // 2) & 255
            elif f == 4:
                p = a + up - c
                pa, pb, pc = abs(p - a), abs(p - up), abs(p - c)
                row[x] = (row[x] + (a if pa <= pb and pa <= pc else up if pb <= pc else c)) & 255
        prev = row
        for x in range(w):
            px = row[x*bpp:x*bpp+bpp]
            out.append(px[0] if bpp < 3 else (px[0] + px[1] + px[2]) // 3)
    return w, h, out
def load(fn):
    b = open(fn, 'rb').read()
    return png(b) if b[:4] == b'\x89PNG' else pnm(b)
a, b = load(sys.argv[2]), load(sys.argv[3])
if a[:2] != b[:2]:
    print('size %dx%d %dx%d' % (a[0], a[1], b[0], b[1]))
else:
    print('%.5f' % (sum(1 for x, y in zip(a[2], b[2]) if abs(x - y) > 64) /
                    len(a[2])))
PY
px() { python3 "$tmp/px.py" "$@"; }
# Page N of PDF as cairo draws it at DPI, into $tmp/r.png.
render() {
	rm -f "$tmp"/r*.png
	pdftocairo -png -singlefile -r "$3" -f "$2" -l "$2" "$1" "$tmp/r" 2>/dev/null
}
# The fraction is at most LIMIT.
within() { awk -v f="$1" -v l="$2" 'BEGIN { exit !(f != "" && f + 0 <= l) }'; }

# ---- a fax: multi-page CCITT G4, passed through ----------------------------
"$M" "$tmp/fax.tif" g4 850 1100 100 3 && ok || nok "mktiff g4"
run zr-pdfmerge $R -o "$tmp/fax.pdf" "$tmp/fax.tif"
expect_exit 0
expect_out_has "fax.tif: tiff, pages 1-3"
run qpdf --check "$tmp/fax.pdf"
expect_exit 0
run pdfinfo "$tmp/fax.pdf"
expect_out_has "Pages:           3"
# Page size from the resolution: 850x1100 at 100 dpi is 612x792 points.
expect_out_has "Page size:       612 x 792 pts"
run pdfimages -list "$tmp/fax.pdf"
[ "$(grep -c ' ccitt ' "$out")" = 3 ] && ok || nok "three ccitt images"
# Each page's strip is the image stream, byte for byte.
p=0
for obj in $(awk 'NR > 2 { print $11 }' "$out"); do
	set -- $(tiffinfo -s -"$p" "$tmp/fax.tif" 2>/dev/null |
	    sed -n 's/^ *0: \[ *\([0-9]*\), *\([0-9]*\)\]/\1 \2/p' | head -1)
	if [ $# = 2 ]; then
		dd if="$tmp/fax.tif" of="$tmp/strip" bs=1 skip="$1" count="$2" \
		    2>/dev/null
		qpdf --show-object="$obj" --raw-stream-data "$tmp/fax.pdf" \
		    > "$tmp/stream"
		expect_same_bytes "$tmp/strip" "$tmp/stream"
	else
		nok "no strip for page $((p + 1))"
	fi
	p=$((p + 1))
done
# What each page shows is its source page (and not the next one).
for n in 1 2 3; do
	render "$tmp/fax.pdf" "$n" 100
	d=$(px diff "$tmp/r.png" "$tmp/fax.tif.$n.pnm")
	within "$d" 0 && ok || nok "fax page $n differs: $d"
done
d=$(px diff "$tmp/r.png" "$tmp/fax.tif.1.pnm")
within "$d" 0.01 && nok "page 3 looks like page 1" || ok
# One outline entry for the file, at its first page.
run qpdf --json --json-key=outlines "$tmp/fax.pdf"
[ "$(grep -c '"title"' "$out")" = 1 ] && ok || nok "one outline entry"
expect_out_has '"title": "fax"'

# ---- bilevel variants: BlackIsZero, strips, FillOrder 2, turned, PackBits
for k in g4mb g4strips g4lsb g4rot packbits thumb; do
	"$M" "$tmp/$k.tif" "$k" 424 600 100 2 || nok "mktiff $k"
	run zr-pdfmerge $R -q -o "$tmp/$k.pdf" "$tmp/$k.tif"
	expect_exit 0
	run qpdf --check "$tmp/$k.pdf"
	expect_exit 0
	run pdfimages -list "$tmp/$k.pdf"
	[ "$(grep -c ' ccitt ' "$out")" = 2 ] && ok || nok "$k: not 2 ccitt images"
	for n in 1 2; do
		render "$tmp/$k.pdf" "$n" 100
		if [ "$k" = g4rot ]; then
			# Orientation 6: stored turned, shown upright (the rows
			# become columns, so the page is 600 wide).
			d=$(px diff "$tmp/r.png" "$tmp/$k.tif.$n.pnm")
			[ "$d" = "size 600x424 424x600" ] && ok ||
			    nok "$k page $n not turned: $d"
		else
			d=$(px diff "$tmp/r.png" "$tmp/$k.tif.$n.pnm")
			within "$d" 0 && ok || nok "$k page $n differs: $d"
		fi
	done
done
# A reduced-resolution copy is not a page.
run pdfinfo "$tmp/thumb.pdf"
expect_out_has "Pages:           2"

# ---- continuous tone: decoded and stored as Flate or JPEG -----------------
for k in lzw gray16 palette cmyk jpeg; do
	"$M" "$tmp/$k.tif" "$k" 400 300 100 1 || nok "mktiff $k"
	run zr-pdfmerge $R -q -o "$tmp/$k.pdf" "$tmp/$k.tif"
	expect_exit 0
	run qpdf --check "$tmp/$k.pdf"
	expect_exit 0
	run pdfimages -list "$tmp/$k.pdf"
	if [ "$k" = jpeg ]; then
		grep -q ' jpeg ' "$out" && ok || nok "$k: not stored as JPEG"
		lim=0.01
	else
		grep -q ' image ' "$out" && ok || nok "$k: not stored as Flate"
		lim=0
	fi
	render "$tmp/$k.pdf" 1 100
	d=$(px diff "$tmp/r.png" "$tmp/$k.tif.1.pnm")
	within "$d" "$lim" && ok || nok "$k page differs: $d"
done
# No resolution: fitted on A4 like any image without one.
"$M" "$tmp/nores.tif" lzw 400 300 0 1
run zr-pdfmerge $R -q -o "$tmp/nores.pdf" "$tmp/nores.tif"
expect_exit 0
run pdfinfo "$tmp/nores.pdf"
expect_out_has "Page size:       841.89 x 595.276 pts"

# ---- with other inputs: one outline entry per file ------------------------
run zr-pdfmerge $R -q -o "$tmp/both.pdf" "$tmp/fax.tif" "$tmp/lzw.tif" \
    "$tmp/fax.pdf"
expect_exit 0
run qpdf --json --json-key=outlines "$tmp/both.pdf"
[ "$(grep -c '"title"' "$out")" = 3 ] && ok || nok "three outline entries"
run pdfinfo "$tmp/both.pdf"
expect_out_has "Pages:           7"
# A budget the G4 pages cannot affect: the colour page is re-encoded.
run zr-pdfmerge $R -q --max-size 40k -o "$tmp/small.pdf" "$tmp/fax.tif" \
    "$tmp/lzw.tif"
expect_exit 0
[ "$(wc -c < "$tmp/small.pdf")" -le 40960 ] && ok || nok "over 40k"

# ---- damaged and misnamed --------------------------------------------------
n=$(wc -c < "$tmp/fax.tif")
head -c $((n / 3)) "$tmp/fax.tif" > "$tmp/cut.tif"
run zr-pdfmerge $R -o "$tmp/cut.pdf" "$tmp/cut.tif"
expect_exit 2
expect_err_has "zr-pdfmerge: $tmp/cut.tif: "
[ "$(wc -l < "$err")" = 1 ] && ok || nok "not one line"
expect_no_file "$tmp/cut.pdf"
printf 'II*\000\377\377\377\377' > "$tmp/head.tif"
run zr-pdfmerge $R -o "$tmp/head.pdf" "$tmp/head.tif"
expect_exit 2
expect_err_has "damaged TIFF"
expect_no_file "$tmp/head.pdf"
# Strip data damaged inside (LZW codes that are not in the table).
python3 - "$tmp/lzw.tif" "$tmp/badlzw.tif" <<'PY'
import sys
d = bytearray(open(sys.argv[1], 'rb').read())
for i in range(40, 400):
    d[i] = 0xff
open(sys.argv[2], 'wb').write(bytes(d))
PY
run zr-pdfmerge $R -o "$tmp/badlzw.pdf" "$tmp/badlzw.tif"
expect_exit 2
expect_no_file "$tmp/badlzw.pdf"
cp "$tmp/fax.pdf" "$tmp/notiff.tif"
run zr-pdfmerge $R -o "$tmp/x.pdf" "$tmp/notiff.tif"
expect_exit 2
expect_err_is "zr-pdfmerge: $tmp/notiff.tif: not a TIFF file (it is a PDF file)"

# ---- --check: a TIFF is not an upload format --------------------------------
run zr-pdfmerge $R -c "$tmp/fax.pdf" "$tmp/fax.tif"
expect_exit 1
expect_out_has "fax.tif: problem"
expect_out_has "a TIFF image: not an upload format"
run zr-pdfmerge $R -c --json "$tmp/fax.tif"
expect_exit 1
expect_out_has '"code":"not_pdf"'
