# CLI tests for zr-pdfmerge --check (issue 14, "Nothing private leaves in
# the PDF"): GPS and personal data in XMP are found wherever they are (the
# document's, a page's and an image's /Metadata, a JPEG's APP1 XMP), GPS as
# a violation as in EXIF, the rest as warnings, and a merge of such inputs
# passes the check.  The JPEG is mknoise's with an XMP segment put in; the
# PDFs are written here by a small Python PDF writer.
. tests/cli/lib.sh

R="--rules-date 2026-02-01"
N=${ZR_BUILD:-build}/tools/mknoise

# XMP as phones and exiftool write it: GPS as attributes under a prefix of
# the packet's own, the creator as an element sequence.
gps_xmp='<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:e="http://ns.adobe.com/exif/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/" e:GPSLatitude="35,40.5N"><e:GPSLongitude>139,45.0E</e:GPSLongitude><dc:creator><rdf:Seq><rdf:li>Taro Sample</rdf:li></rdf:Seq></dc:creator></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
tool_xmp='<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/"><xmp:CreatorTool>Scanner 2.1</xmp:CreatorTool></rdf:Description></rdf:RDF></x:xmpmeta>'
empty_xmp='<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:exif="http://ns.adobe.com/exif/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/" exif:GPSLatitude="" exif:GPSLongitude=" "><dc:creator><rdf:Seq><rdf:li/></rdf:Seq></dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>'

# A JPEG whose only metadata is an XMP APP1 segment with GPS and a creator.
"$N" 400 300 72 1 "$tmp/plain.jpg"
python3 - "$tmp/plain.jpg" "$tmp/phone.jpg" "$gps_xmp" <<'PY'
import struct, sys
d = open(sys.argv[1], 'rb').read()
x = b'http://ns.adobe.com/xap/1.0/\x00' + sys.argv[3].encode()
seg = b'\xff\xe1' + struct.pack('>H', len(x) + 2) + x
open(sys.argv[2], 'wb').write(d[:2] + seg + d[2:])
PY
grep -q 'GPSLatitude' "$tmp/phone.jpg" && ok || nok "fixture has no XMP"

# One-page PDFs: XMP in the catalog or on the page, and an Info entry.
cat > "$tmp/mk.py" <<'PY'
import sys
out_path, where, xmp, info = sys.argv[1], sys.argv[2], sys.argv[3].encode(), sys.argv[4].encode()
def stream(d, data):
    return b'<< ' + d + b' /Length %d >>\nstream\n' % len(data) + data + b'\nendstream'
cat_md = b' /Metadata 4 0 R' if where == 'catalog' else b''
page_md = b' /Metadata 4 0 R' if where == 'page' else b''
objs = [
    b'<< /Type /Catalog /Pages 2 0 R' + cat_md + b' >>',
    b'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    b'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R'
    + page_md + b' >>',
    stream(b'/Type /Metadata /Subtype /XML', xmp),
    stream(b'', b'BT ET'),
    b'<< ' + info + b' >>',
]
out = b'%PDF-1.7\n%\xe2\xe3\xcf\xd3\n'
offs = []
for i, body in enumerate(objs, 1):
    offs.append(len(out))
    out += b'%d 0 obj\n' % i + body + b'\nendobj\n'
x = len(out)
out += b'xref\n0 %d\n0000000000 65535 f \n' % (len(objs) + 1)
for o in offs:
    out += b'%010d 00000 n \n' % o
out += b'trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n' % (len(objs) + 1, len(objs), x)
open(out_path, 'wb').write(out)
PY
python3 "$tmp/mk.py" "$tmp/doc.pdf" catalog "$gps_xmp" '/Author (Taro Sample)'
python3 "$tmp/mk.py" "$tmp/page.pdf" page "$tool_xmp" '/Producer (x)'
python3 "$tmp/mk.py" "$tmp/empty.pdf" catalog "$empty_xmp" '/Author ()'
for f in doc page empty; do
	qpdf --check "$tmp/$f.pdf" >/dev/null 2>&1 && ok || nok "$f.pdf: qpdf --check"
done

# The document's XMP: GPS is a violation (exit 1), the Info /Author a
# warning, each naming where it is.
run zr-pdfmerge $R -c "$tmp/doc.pdf"
expect_exit 1
expect_out_has "violation: the document's XMP metadata has a GPS position (exif:GPSLatitude, exif:GPSLongitude, dc:creator); zr-pdfmerge leaves it out"
expect_out_has "warning: the document information has personal data (/Author); zr-pdfmerge leaves it out"
expect_out_lacks "damaged"
run zr-pdfmerge $R -c --json "$tmp/doc.pdf"
expect_exit 1
expect_json_valid
expect_out_has '"problems":[{"code":"gps","message":"the document'"'"'s XMP metadata has a GPS position'
expect_out_has '"notes":[{"code":"metadata","message":"the document information has personal data (/Author)'

# A page's XMP naming the creator tool: a warning only (exit 0).
run zr-pdfmerge $R -c "$tmp/page.pdf"
expect_exit 0
expect_out_has "warning: the XMP metadata of 1 page has personal data (first page 1: xmp:CreatorTool); zr-pdfmerge removes it"

# Empty values are no values.
run zr-pdfmerge $R -c --json "$tmp/empty.pdf"
expect_exit 0
expect_out_lacks '"code":"gps"'
expect_out_lacks '"code":"metadata"'

# The JPEG kept as it is in a PDF: its XMP GPS is a violation, as the
# same position in EXIF is.
run zr-pdfmerge $R -q --keep-metadata -o "$tmp/keep.pdf" "$tmp/phone.jpg"
expect_exit 0
run zr-pdfmerge $R -c "$tmp/keep.pdf"
expect_exit 1
expect_out_has "violation: 1 image with an XMP GPS position (first on page 1: exif:GPSLatitude, exif:GPSLongitude, dc:creator); zr-pdfmerge removes it"
expect_out_lacks "images with XMP metadata"
run zr-pdfmerge $R -c --json "$tmp/keep.pdf"
expect_exit 1
expect_out_has '"problems":[{"code":"gps","message":"1 image with an XMP GPS position'

# The photo itself, checked with zr-photo's checks.
run zr-pdfmerge $R -c "$tmp/phone.jpg"
expect_exit 1
expect_out_has "XMP GPS data present (a position): the photo can tell where it was taken"
# zr-photo's own gps key says the same as its finding (it said false).
run zr-photo --check --get gps "$tmp/phone.jpg"
expect_out "true"
run zr-photo --check --json "$tmp/phone.jpg"
expect_out_has '"gps":true'
expect_out_has '"code":"gps"'
run zr-photo --check --get gps "$tmp/plain.jpg"
expect_out "false"

# Merged, none of it is left, and the merge passes the check.
run zr-pdfmerge $R -q -o "$tmp/clean.pdf" "$tmp/doc.pdf" "$tmp/page.pdf" "$tmp/keep.pdf" "$tmp/phone.jpg"
expect_exit 0
run zr-pdfmerge $R -c --json "$tmp/clean.pdf"
expect_exit 0
expect_out_lacks '"code":"gps"'
expect_out_lacks '"code":"metadata"'
# (every stream uncompressed by qpdf; the kept one has it, so the grep can
# find it)
private() {
	qpdf --qdf --object-streams=disable "$1" "$tmp/q.pdf" 2>/dev/null
	grep -c 'GPSLatitude\|Taro Sample\|Scanner 2' "$tmp/q.pdf" || true
}
[ "$(private "$tmp/keep.pdf")" -ge 1 ] && ok || nok "keep.pdf: no XMP found"
[ "$(private "$tmp/clean.pdf")" = 0 ] && ok || nok "private data left in the merged PDF"
mkdir "$tmp/img"
pdfimages -j "$tmp/clean.pdf" "$tmp/img/c" && ok || nok "pdfimages"
cat "$tmp/img"/c-* | grep -c 'GPSLatitude' > "$tmp/n" || true
[ "$(cat "$tmp/n")" = 0 ] && ok || nok "XMP left in an image"
