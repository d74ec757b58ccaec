# zr-pdfmerge --preview: page thumbnails and a contact sheet (poppler + cairo).
. tests/cli/lib.sh

pngstat() { python3 tests/cli/pngstat.py "$@"; }

# A merged upload of the sample documents: 3 pages, one bookmark each.
run zr-pdfmerge -q --rules-date 2026-11-23 -o "$tmp/up.pdf" \
	examples/sample/10-application.jpg examples/sample/20-passport.jpg \
	examples/sample/30-employment.pdf
expect_exit 0

run zr-pdfmerge --preview "$tmp/pv" "$tmp/up.pdf"
expect_exit 0
expect_err_empty
expect_out_has "$tmp/pv/page-001.png: page 1 of 3, "
expect_out_has ", from 10-application"
expect_out_has "$tmp/pv/page-002.png: page 2 of 3, "
expect_out_has ", from 20-passport"
expect_out_has "$tmp/pv/page-003.png: page 3 of 3, 424x600, from 30-employment"
expect_out_has "$tmp/pv/contact.png: 3 pages, "
# One PNG per page of the PDF (as poppler-utils counts them), no more.
pages=$(pdfinfo "$tmp/up.pdf" | sed -n 's/^Pages: *//p')
[ "$(ls "$tmp/pv"/page-*.png | wc -l)" -eq "$pages" ] && ok || nok "one PNG per page"
# Each fits the 424 x 600 box, touches it on one side and has ink on it.
for f in "$tmp/pv"/page-*.png "$tmp/pv/contact.png"; do
	set -- $(pngstat "$f")
	[ "$3" -gt 5 ] && ok || nok "$f: blank ($*)"
done
for f in "$tmp/pv"/page-*.png; do
	set -- $(pngstat "$f")
	{ [ "$1" -le 424 ] && [ "$2" -le 600 ] &&
		{ [ "$1" -eq 424 ] || [ "$2" -eq 600 ]; }; } && ok || nok "$f: size $1x$2"
done
# The A4 page is portrait, the passport scan landscape.
set -- $(pngstat "$tmp/pv/page-002.png")
[ "$1" -gt "$2" ] && ok || nok "passport page not landscape: $*"
# The contact sheet: three cells side by side.
set -- $(pngstat "$tmp/pv/contact.png")
[ "$1" -gt "$2" ] && ok || nok "contact sheet shape: $*"

# Same input, same bytes.
run zr-pdfmerge -q --preview "$tmp/pv2" "$tmp/up.pdf"
expect_exit 0
expect_out_empty
for f in page-001.png page-002.png page-003.png contact.png; do
	expect_same_bytes "$tmp/pv/$f" "$tmp/pv2/$f"
done

# --json: one object per page.
run zr-pdfmerge --json --preview "$tmp/pv" "$tmp/up.pdf"
expect_exit 0
[ "$(wc -l < "$out")" -eq 3 ] && ok || nok "3 JSON lines"
expect_out_has '{"tool":"zr-pdfmerge","version":"0.1.0","status":"ok","file":"'"$tmp"'/pv/page-001.png","problems":[],"notes":[],"page":1,"pages":3,'
expect_out_has '"width_mm":210,"height_mm":297,"source":"10-application"}'

# A PDF without bookmarks: no source; a shorter PDF removes the pages
# left from the longer one.
run zr-pdfmerge --preview "$tmp/pv" examples/sample/30-employment.pdf
expect_exit 0
expect_out_has "$tmp/pv/page-001.png: page 1 of 1, 424x600, from (no outline)"
[ ! -e "$tmp/pv/page-002.png" ] && [ ! -e "$tmp/pv/page-003.png" ] && ok || nok "stale pages kept"
run zr-pdfmerge --json --preview "$tmp/pv" examples/sample/30-employment.pdf
expect_out_has '"source":null}'

# Damaged, mislabelled and missing inputs: exit 2, one line naming the
# file, nothing written.
head -c 2000 "$tmp/up.pdf" > "$tmp/cut.pdf"
cp examples/sample/photo.jpg "$tmp/photo.pdf"
: > "$tmp/empty.pdf"
run zr-pdfmerge --preview "$tmp/bad" "$tmp/cut.pdf"
expect_exit 2
expect_err_is "zr-pdfmerge: $tmp/cut.pdf: damaged PDF (poppler: PDF document is damaged)"
run zr-pdfmerge --preview "$tmp/bad" "$tmp/photo.pdf"
expect_exit 2
expect_err_is "zr-pdfmerge: $tmp/photo.pdf: not a PDF file"
run zr-pdfmerge --preview "$tmp/bad" "$tmp/empty.pdf"
expect_exit 2
expect_err_is "zr-pdfmerge: $tmp/empty.pdf: empty file"
run zr-pdfmerge --preview "$tmp/bad" "$tmp/nowhere.pdf"
expect_exit 2
expect_err_has "zr-pdfmerge: $tmp/nowhere.pdf: "
[ ! -e "$tmp/bad" ] && ok || nok "folder made for a bad input"

# Usage: one PDF, no merge or check options.
run zr-pdfmerge --preview "$tmp/pv" "$tmp/up.pdf" "$tmp/up.pdf"
expect_exit 2
expect_err_has "zr-pdfmerge: --preview takes one PDF file"
run zr-pdfmerge --preview "$tmp/pv" -o "$tmp/x.pdf" "$tmp/up.pdf"
expect_exit 2
expect_err_has "zr-pdfmerge: --preview renders one PDF; merge and check options do not apply"
expect_no_file "$tmp/x.pdf"
