# CLI tests for zr-pdfmerge's tolerance of damaged input (issue 14, "Read
# what other readers read"): damage libqpdf and viewers read through is
# merged with a one-line warning into an output that passes qpdf --check;
# what cannot be made valid is refused with the reason.  The PDFs are
# written here by a small Python PDF writer around a fixture JPEG.
. tests/cli/lib.sh

R="--rules-date 2026-02-01"

cat > "$tmp/mk.py" <<'PY'
import sys, zlib, struct
# usage: mk.py KIND OUT JPEG
kind, outp, jpgp = sys.argv[1], sys.argv[2], sys.argv[3]
jpg = open(jpgp, 'rb').read()

def lzw_encode(data, early=1):
    # PDF LZW (ISO 32000-1 7.4.4), MSB first, with a clear code at start.
    out_bits = []
    table = {bytes([i]): i for i in range(256)}
    nxt, width = 258, 9
    def emit(c):
        out_bits.append((c, width))
    emit(256)
    w = b''
    for ch in data:
        wc = w + bytes([ch])
        if wc in table:
            w = wc
            continue
        emit(table[w])
        table[wc] = nxt
        nxt += 1
        if nxt + early > (1 << width) and width < 12:
            width += 1
        if nxt >= 4094:
            emit(256)
            table = {bytes([i]): i for i in range(256)}
            nxt, width = 258, 9
        w = bytes([ch])
    if w:
        emit(table[w])
    return out_bits
def pack(codes):
    acc = nb = 0
    out = bytearray()
    for c, wd in codes:
        acc = (acc << wd) | c
        nb += wd
        while nb >= 8:
            nb -= 8
            out.append((acc >> nb) & 255)
    if nb:
        out.append((acc << (8 - nb)) & 255)
    return bytes(out)

# JPEG size from SOF0
i = 2
while True:
    assert jpg[i] == 0xff
    mk = jpg[i+1]; L = struct.unpack('>H', jpg[i+2:i+4])[0]
    if mk in (0xc0, 0xc1, 0xc2):
        h, w = struct.unpack('>HH', jpg[i+5:i+9]); nc = jpg[i+9]; break
    i += 2 + L
if kind == 'jpegcut':
    jpg = jpg[:len(jpg) * 2 // 3]       # ends inside the scan
if kind == 'jpegjunk':
    k = jpg.index(b'\xff\xda')          # before the scan's SOS marker
    jpg = jpg[:k] + b'\x00\x11\x22' + jpg[k:]
content = b'q 300 0 0 %d 100 300 cm /Im0 Do Q\n' % (300 * h // w)
content += b''.join(b'BT /F1 9 Tf 72 %d Td (Line %d of a letter, damaged on purpose) Tj ET\n' % (700 - 10 * k, k) for k in range(40))
cfilter = b''
if kind == 'lzwok':
    codes = lzw_encode(content)
    content = pack(codes + [(257, codes[-1][1])])
    cfilter = b' /Filter /LZWDecode'
if kind == 'lzwbad':
    codes = lzw_encode(content)
    wd = codes[-1][1]
    assert len(codes) + 258 < (1 << wd) - 1
    codes.append(((1 << wd) - 1, wd))   # a code not (yet) in the table
    codes.append((257, codes[-1][1]))
    content = pack(codes)
    cfilter = b' /Filter /LZWDecode'
objs = {}
objs[1] = b'<< /Type /Catalog /Pages 2 0 R >>'
objs[2] = b'<< /Type /Pages /Kids [3 0 R] /Count 1 >>'
objs[3] = b'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /XObject << /Im0 4 0 R >> /Font << /F1 6 0 R >> >> /Contents 5 0 R >>'
objs[4] = b'<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /%s /BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n' % (w, h, b'DeviceGray' if nc == 1 else b'DeviceRGB', len(jpg)) + jpg + b'\nendstream'
objs[5] = b'<< /Length %d%s >>\nstream\n' % (len(content), cfilter) + content + b'\nendstream'
objs[6] = b'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'
if kind in ('lzwimg', 'lzwimgbad'):
    # The image itself under LZW (a 200x200 gray pattern), whole or with
    # a bad code after its samples (the repair keeps what decodes).
    r = [12345]
    def noise():
        r[0] = (r[0] * 1103515245 + 12345) & 0x7fffffff
        return r[0] >> 16 & 63
    px = bytes((x // 2 + y // 3 + noise()) & 255
               for y in range(200) for x in range(200))
    codes = lzw_encode(px)
    if kind == 'lzwimgbad':
        wd = codes[-1][1]
        codes.append(((1 << wd) - 1, wd))
    data = pack(codes + [(257, codes[-1][1])])
    objs[4] = b'<< /Type /XObject /Subtype /Image /Width 200 /Height 200 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /LZWDecode /Length %d >>\nstream\n' % len(data) + data + b'\nendstream'

def classic(objs, lead=b'', absolute=False):
    out = bytearray(lead + b'%PDF-1.4\n%\xe2\xe3\xcf\xd3\n')
    off = {}
    base = 0 if absolute else len(lead)
    for n in sorted(objs):
        off[n] = len(out) - base
        out += b'%d 0 obj\n' % n + objs[n] + b'\nendobj\n'
    x = len(out) - base
    out += b'xref\n0 %d\n0000000000 65535 f \n' % (len(objs) + 1)
    for n in sorted(objs):
        out += b'%010d 00000 n \n' % off[n]
    out += b'trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n' % (len(objs) + 1, x)
    return bytes(out)

def objstm(objs, damage):
    # 1, 2, 3, 6 in an object stream (7), the streams 4, 5 outside; an
    # xref stream (8).
    inner = [1, 2, 3, 6]
    body = b''; hdr = []
    for n in inner:
        hdr.append((n, len(body)))
        body += objs[n] + b'\n'
    head = b' '.join(b'%d %d' % p for p in hdr) + b'\n'
    first = len(head)
    if damage == 'offset':
        # The offset of object 6 points into the middle of object 3.
        hdr[-1] = (6, hdr[-1][1] - 7)
        head = b' '.join(b'%d %d' % p for p in hdr) + b'\n'
        head = head.ljust(first)
    N = len(inner)
    if damage == 'n':
        N += 2
    if damage == 'first':
        first -= 3
    if damage == 'garbage':
        head = head[:4] + b'x' + head[5:]
    if damage == 'trunc':
        body = body[:-30]
    data = zlib.compress(head + body)
    if damage == 'zlib':
        data = data[:-6]
    out = bytearray(b'%PDF-1.5\n%\xe2\xe3\xcf\xd3\n')
    off = {}
    for n in (4, 5):
        off[n] = len(out)
        out += b'%d 0 obj\n' % n + objs[n] + b'\nendobj\n'
    off[7] = len(out)
    out += b'7 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n' % (N, first, len(data)) + data + b'\nendstream\nendobj\n'
    off[8] = len(out)
    rows = b''
    for n in range(0, 9):
        if n == 0:
            rows += struct.pack('>BIH', 0, 0, 65535)
        elif n in inner:
            rows += struct.pack('>BIH', 2, 7, inner.index(n) + (9 if damage == 'index' and n == 6 else 0))
        else:
            rows += struct.pack('>BIH', 1, off[n], 0)
    out += b'8 0 obj\n<< /Type /XRef /Size 9 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n' % len(rows) + rows + b'\nendstream\nendobj\n'
    out += b'startxref\n%d\n%%%%EOF\n' % off[8]
    return bytes(out)

if kind == 'junkhead':
    pdf = classic(objs, b'Content-Type: application/pdf\r\n\r\n')
elif kind == 'junkabs':
    pdf = classic(objs, b'Content-Type: application/pdf\r\n\r\n', True)
elif kind == 'junkfar':
    pdf = classic(objs, b'X-Junk: ' + b'x' * 3000 + b'\r\n\r\n', True)
elif kind.startswith('objstm'):
    pdf = objstm(objs, kind[7:])
else:
    pdf = classic(objs)
open(outp, 'wb').write(pdf)
PY
mk() { python3 "$tmp/mk.py" "$1" "$tmp/$1.pdf" "$F/gray.jpg"; }
merged_ok() {
	expect_exit 0
	run qpdf --check "$1"
	expect_exit 0
}

# The writer itself: the undamaged file and its LZW twin are clean.
for k in plain lzwok objstm; do
	mk $k
	run qpdf --check "$tmp/$k.pdf"
	expect_exit 0
	run zr-pdfmerge $R -q -o "$tmp/o-$k.pdf" "$tmp/$k.pdf"
	expect_exit 0
	expect_err_empty
done

# ---- a JPEG with extraneous bytes before a marker --------------------------
mk jpegjunk
run zr-pdfmerge $R -q -o "$tmp/o.pdf" "$tmp/jpegjunk.pdf"
merged_ok "$tmp/o.pdf"
run zr-pdfmerge $R -q -o "$tmp/o.pdf" "$tmp/jpegjunk.pdf"
expect_err_is "zr-pdfmerge: $tmp/jpegjunk.pdf: warning: page 1: damaged JPEG image (libjpeg: Corrupt JPEG data: 3 extraneous bytes before marker 0xda); passed through as it is"
# Passed through: the image stream is the input's, byte for byte.
qpdf --show-object=4 --raw-stream-data "$tmp/jpegjunk.pdf" > "$tmp/in.jpg"
run pdfimages -list "$tmp/o.pdf"
obj=$(awk 'NR == 3 { print $11 }' "$out")
qpdf --show-object="$obj" --raw-stream-data "$tmp/o.pdf" > "$tmp/out.jpg"
expect_same_bytes "$tmp/in.jpg" "$tmp/out.jpg"
# A budget that needs the image smaller: re-encoded from what libjpeg
# recovers, said so, and the new JPEG is clean.
n=$(wc -c < "$tmp/jpegjunk.pdf")
run zr-pdfmerge $R -q --floor 72,30 --max-size $((n / 2)) -o "$tmp/o2.pdf" \
    "$tmp/jpegjunk.pdf"
merged_ok "$tmp/o2.pdf"
run zr-pdfmerge $R -q --floor 72,30 --max-size $((n / 2)) -o "$tmp/o2.pdf" \
    "$tmp/jpegjunk.pdf"
expect_err_has "jpegjunk.pdf: warning: page 1: damaged JPEG image (libjpeg: Corrupt JPEG data"
expect_err_has "re-encoded from what libjpeg recovers"
[ "$(wc -c < "$tmp/o2.pdf")" -le $((n / 2)) ] && ok || nok "over the budget"
# (merged again, nothing to warn about)
run zr-pdfmerge $R -q -o "$tmp/o3.pdf" "$tmp/o2.pdf"
expect_exit 0
expect_err_empty

# A JPEG that ends early: viewers show the rest grey, libqpdf cannot read
# it, so it is re-encoded from what libjpeg recovers.
mk jpegcut
run zr-pdfmerge $R -q -o "$tmp/o.pdf" "$tmp/jpegcut.pdf"
merged_ok "$tmp/o.pdf"
run zr-pdfmerge $R -q -o "$tmp/o.pdf" "$tmp/jpegcut.pdf"
expect_err_is "zr-pdfmerge: $tmp/jpegcut.pdf: warning: page 1: damaged JPEG image (libjpeg: Premature end of JPEG file); re-encoded from what libjpeg recovers"

# ---- an LZW content stream with a bad code at its end ----------------------
mk lzwbad
run zr-pdfmerge $R -q -o "$tmp/o.pdf" "$tmp/lzwbad.pdf"
merged_ok "$tmp/o.pdf"
run zr-pdfmerge $R -q -o "$tmp/o.pdf" "$tmp/lzwbad.pdf"
expect_err_has "lzwbad.pdf: warning: object 5: LZW stream with a bad code after"
expect_err_has "those kept, stored with Flate"
[ "$(wc -l < "$err")" = 1 ] && ok || nok "not one line"
# Everything before the bad code is there: the last line of text too.
run pdftotext "$tmp/o.pdf" -
expect_out_has "Line 39 of a letter, damaged on purpose"

# ---- a header preceded by junk ---------------------------------------------
# Offsets counted from the header (readers accept it), from the start of
# the file (libqpdf rebuilds the cross-reference table), and 3 KB of junk
# (past the first KiB where readers look).
for k in junkhead junkabs junkfar; do
	mk $k
	run zr-pdfmerge $R -q -o "$tmp/o-$k.pdf" "$tmp/$k.pdf"
	merged_ok "$tmp/o-$k.pdf"
	head -c 5 "$tmp/o-$k.pdf" | grep -q '%PDF-' && ok || nok "$k: no header"
	run zr-pdfmerge $R -q -o "$tmp/o-$k.pdf" "$tmp/$k.pdf"
	expect_err_has "$k.pdf: warning: "
	expect_err_has "bytes before the %PDF- header, left out"
done

# ---- a damaged object stream that libqpdf recovers -------------------------
# The object stream's last object cut short, or its Flate data cut.
for k in objstm-trunc objstm-zlib; do
	mk $k
	run zr-pdfmerge $R -q -o "$tmp/o-$k.pdf" "$tmp/$k.pdf"
	merged_ok "$tmp/o-$k.pdf"
	run zr-pdfmerge $R -q -o "$tmp/o-$k.pdf" "$tmp/$k.pdf"
	expect_err_has "$k.pdf: warning: damaged; recovered by libqpdf"
done

# ---- what cannot be made valid is refused, with the reason -----------------
# The catalog inside an object stream libqpdf cannot parse.
for k in objstm-n objstm-garbage; do
	mk $k
	run zr-pdfmerge $R -q -o "$tmp/o-$k.pdf" "$tmp/$k.pdf"
	expect_exit 2
	expect_err_has "zr-pdfmerge: $tmp/$k.pdf: "
	[ "$(wc -l < "$err")" = 1 ] && ok || nok "$k: not one line"
	expect_no_file "$tmp/o-$k.pdf"
done
# A DCT stream libjpeg cannot decode at all.
run zr-pdfmerge $R -q -o "$tmp/o-bad.pdf" "$F/badjpeg.pdf"
expect_exit 2
expect_err_is "zr-pdfmerge: $F/badjpeg.pdf: page 1: damaged JPEG image: its data does not begin with a JPEG start marker, so no reader can show it"
expect_no_file "$tmp/o-bad.pdf"
# A PDF with no pages says so; one whose page tree is broken says it is
# damaged, with libqpdf's word for it (both found in qpdf's own test
# files: c-empty.pdf, issue-119.pdf).
qpdf --empty "$tmp/nopages.pdf"
run zr-pdfmerge $R -q -o "$tmp/o-np.pdf" "$tmp/nopages.pdf"
expect_exit 2
expect_err_is "zr-pdfmerge: $tmp/nopages.pdf: the PDF has no pages"
expect_no_file "$tmp/o-np.pdf"
printf '%%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%%%EOF\n' > "$tmp/notree.pdf"
run zr-pdfmerge $R -q -o "$tmp/o-nt.pdf" "$tmp/notree.pdf"
expect_exit 2
expect_err_has "zr-pdfmerge: $tmp/notree.pdf: no pages: damaged PDF (libqpdf: "
[ "$(wc -l < "$err")" = 1 ] && ok || nok "notree: not one line"
expect_no_file "$tmp/o-nt.pdf"

# ---- libqpdf never prints on its own ---------------------------------------
# A page whose /Resources is a name, not a dictionary (found by fuzz_pdf):
# a lookup on it left an error pending, and libqpdf's cleanup printed
# "WARNING: application did not handle error" to stderr.  Merged (the
# image reference unresolved) with our one warning line and nothing else.
D=tests/fuzz/corpus/fuzz_pdf/regress-resources-name.pdf
for p in auto a4 image; do
	run zr-pdfmerge $R --page $p -o "$tmp/o-resname.pdf" "$D" "$D"
	expect_exit 0
	expect_err_has "regress-resources-name.pdf: warning: damaged; recovered by libqpdf"
	grep -v '^zr-pdfmerge: ' "$err" | grep -q . && nok "--page $p: a line not ours" || ok
	run zr-pdfmerge $R --page $p -o "$tmp/o-resname.pdf" "$D" "$D"
	merged_ok "$tmp/o-resname.pdf"
done
run zr-pdfmerge $R -c "$D"
grep -v '^zr-pdfmerge: ' "$err" | grep -q . && nok "-c: a line not ours" || ok

# ---- an LZW image under a budget (h-audit #6) ------------------------------
# Recompressed like any other once its samples are deflated (lossless,
# only with a budget): a budget of half its LZW bytes fits, where it was
# refused as "about 34 kB"; also when the LZW stream had a bad code.
for k in lzwimg lzwimgbad; do
	mk $k
	lz=$(wc -c < "$tmp/$k.pdf")
	run zr-pdfmerge $R -q --max-size $((lz / 2)) -o "$tmp/o-$k.pdf" "$tmp/$k.pdf"
	merged_ok "$tmp/o-$k.pdf"
	[ "$(wc -c < "$tmp/o-$k.pdf")" -le $((lz / 2)) ] && ok || nok "$k: over"
	pdfimages -list "$tmp/o-$k.pdf" | grep -q ' jpeg ' && ok ||
	    nok "$k: the image is not re-encoded"
done
# Without a budget it stays as it is.
run zr-pdfmerge $R -q -o "$tmp/o-lzw0.pdf" "$tmp/lzwimg.pdf"
merged_ok "$tmp/o-lzw0.pdf"
pdfimages -list "$tmp/o-lzw0.pdf" | grep -q ' jpeg ' && nok "lzw re-encoded without a budget" || ok

# A page tree whose /Pages node lists itself among its /Kids (found by
# fuzz_pdfcheck; kept in its corpus): --check said nothing and died of a
# stack overflow (libqpdf pushes inherited attributes down the loop); now
# a problem (exit 1, no readable pages), and the merge refuses it (exit 2).
cp tests/fuzz/corpus/fuzz_pdfcheck/kids-loop.pdf "$tmp/loop.pdf"
run zr-pdfmerge $R --check "$tmp/loop.pdf"
expect_exit 1
expect_out_has "violation: no readable pages"
run zr-pdfmerge $R -o "$tmp/o-loop.pdf" "$tmp/loop.pdf"
expect_exit 2
expect_err_has "Loop detected in /Pages structure"
expect_no_file "$tmp/o-loop.pdf"
