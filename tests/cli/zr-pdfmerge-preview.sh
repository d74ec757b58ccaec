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
run zr-pdfmerge --preview "$tmp/pv" --max-size 10k "$tmp/up.pdf"
expect_exit 2
expect_err_has "zr-pdfmerge: --preview renders one PDF; merge and check options do not apply"
# The common options are taken (zairyu(7)): -o is where the page lines go,
# never the PDF itself; the dates change nothing.
run zr-pdfmerge --preview "$tmp/pv" "$tmp/up.pdf"
cp "$out" "$tmp/pv.txt"
run zr-pdfmerge --preview "$tmp/pv" -v --today 2026-11-23 --rules-date 2020-01-01 -o "$tmp/pv-o.txt" "$tmp/up.pdf"
expect_exit 0
expect_out_empty
expect_same_bytes "$tmp/pv-o.txt" "$tmp/pv.txt"
cp "$tmp/up.pdf" "$tmp/up-copy.pdf"
run zr-pdfmerge --preview "$tmp/pv" -o "$tmp/up.pdf" "$tmp/up.pdf"
expect_exit 2
expect_err_has "zr-pdfmerge: $tmp/up.pdf: "
expect_same_bytes "$tmp/up.pdf" "$tmp/up-copy.pdf"

# --get: the values of the --json objects, one a line, four lines a page
# here (for scripts such as zr-renew, which never parse JSON).
run zr-pdfmerge --preview "$tmp/pv" --json "$tmp/up.pdf"
cp "$out" "$tmp/pv.json"
run zr-pdfmerge --preview "$tmp/pv" --get page,pages,source,file "$tmp/up.pdf"
expect_exit 0
expect_err_empty
[ "$(wc -l < "$out")" -eq 12 ] && ok || nok "--get: 12 lines for 3 pages and 4 keys"
python3 -c '
import json, sys
want = []
for line in open(sys.argv[1]):
    o = json.loads(line)
    want += [str(o["page"]), str(o["pages"]), o["source"] or "", o["file"]]
got = open(sys.argv[2]).read().split("\n")
sys.exit(0 if got == want + [""] else 1)' "$tmp/pv.json" "$out" && ok || nok "--get values differ from --json"
expect_out_has "20-passport"
cp "$out" "$tmp/get1"
# -q does not silence the values (they are the job); the order is the
# order asked; every key.
run zr-pdfmerge -q --preview "$tmp/pv" --get page,pages,source,file "$tmp/up.pdf"
expect_exit 0
expect_same_bytes "$tmp/get1" "$out"
run zr-pdfmerge --preview "$tmp/pv" --get file,page "$tmp/up.pdf"
expect_exit 0
[ "$(sed -n 1p "$out")" = "$tmp/pv/page-001.png" ] && [ "$(sed -n 2p "$out")" = 1 ] &&
	[ "$(sed -n 4p "$out")" = 2 ] && ok || nok "--get file,page order"
run zr-pdfmerge --preview "$tmp/pv" --get width,height,width_mm,height_mm "$tmp/up.pdf"
expect_exit 0
set -- $(pngstat "$tmp/pv/page-001.png")
[ "$(sed -n 1p "$out")" = "$1" ] && [ "$(sed -n 2p "$out")" = "$2" ] &&
	[ "$(sed -n 3p "$out")" = 210 ] && [ "$(sed -n 4p "$out")" = 297 ] &&
	ok || nok "--get width,height,width_mm,height_mm: $(tr '\n' ' ' < "$out")"
# No bookmark: an empty line; a control character of a title: a space.
run zr-pdfmerge --preview "$tmp/pv" --get source,page examples/sample/30-employment.pdf
expect_exit 0
expect_out_is "
1"
run zr-pdfmerge -q --rules-date 2026-11-23 --title "$(printf 'line\none')" \
	-o "$tmp/nl.pdf" examples/sample/30-employment.pdf
expect_exit 0
run zr-pdfmerge --preview "$tmp/pv" --get source "$tmp/nl.pdf"
expect_exit 0
expect_out_is "line one"
# Usage: an unknown key, --get with --json, --get without --preview.
run zr-pdfmerge --preview "$tmp/pv" --get page,colour "$tmp/up.pdf"
expect_exit 2
expect_err_has 'zr-pdfmerge: --get: not keys of a --preview page: "page,colour"'
expect_out_empty
run zr-pdfmerge --preview "$tmp/pv" --json --get page "$tmp/up.pdf"
expect_exit 2
expect_err_has "zr-pdfmerge: --json and --get: give one"
run zr-pdfmerge -o "$tmp/g.pdf" --get page "$tmp/up.pdf"
expect_exit 2
expect_err_has "zr-pdfmerge: --get goes with --preview"
expect_no_file "$tmp/g.pdf"
