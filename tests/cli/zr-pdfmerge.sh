# CLI tests for zr-pdfmerge: merge, budget, encryption, bad input, --check.
. tests/cli/lib.sh

P=$SHARED/corpus/pdf
I=$SHARED/corpus/img
R="--rules-date 2026-02-01"

npages() { qpdf --show-npages "$1" 2>/dev/null; }
qcheck() { qpdf --check "$1" >/dev/null 2>&1 && ok || nok "qpdf --check fails: $1"; }
size() { wc -c < "$1" | tr -d ' '; }

# Help, version, usage errors.
run zr-pdfmerge --help
expect_exit 0
expect_out_has "usage: zr-pdfmerge"
run zr-pdfmerge -V
expect_exit 0
expect_out_has "zr-pdfmerge (zairyu-tools)"
run zr-pdfmerge "$P/pdfcpu__blank-scan.pdf"
expect_exit 2
expect_err_has "zr-pdfmerge: -o file is required"
run zr-pdfmerge -c -o "$tmp/x.pdf" "$P/pdfcpu__blank-scan.pdf"
expect_exit 2
run zr-pdfmerge --floor 10 -o "$tmp/x.pdf" "$P/pdfcpu__blank-scan.pdf"
expect_exit 2
expect_no_file "$tmp/x.pdf"

# Man page example: PDFs and scans in argument order, one bookmark each.
cp "$I/exif__Portrait_6.jpg" "$tmp/passport.jpg"
cp "$I/skimage__astronaut.png" "$tmp/card.png"
run zr-pdfmerge $R -o "$tmp/upload.pdf" "$P/pdfjs__annotation-tx3.pdf" \
    "$tmp/passport.jpg" "$tmp/card.png" "$P/ocrmypdf__multipage.pdf"
expect_exit 0
expect_out_has "upload.pdf: 9 pages"
expect_out_has "passport.jpg: jpeg, page 2,"
expect_out_has "card.png: png, page 3,"
expect_out_has "ocrmypdf__multipage.pdf: pdf, pages 4-9,"
[ "$(npages "$tmp/upload.pdf")" = 9 ] && ok || nok "page count"
qcheck "$tmp/upload.pdf"
qpdf --json --json-key=outlines "$tmp/upload.pdf" > "$tmp/ol.json"
grep -o '"title": "[^"]*"' "$tmp/ol.json" | tr '\n' ' ' > "$tmp/titles"
grep -qF '"title": "pdfjs__annotation-tx3" "title": "passport" "title": "card" "title": "ocrmypdf__multipage"' "$tmp/titles" \
    && ok || nok "outline titles in order: $(cat "$tmp/titles")"
# The form field of the first input is still a form field.
qpdf --json --json-key=acroform "$tmp/upload.pdf" | grep -q '"fullname": "Text2"' \
    && ok || nok "form field kept"
# EXIF orientation 6 turns the page: a portrait photo stays portrait.
pdfinfo -f 2 -l 2 "$tmp/upload.pdf" | grep 'size' | grep -q '595.276 x 841.89' \
    && ok || nok "A4 portrait page for the rotated scan"

# Deterministic bytes; dates only with SOURCE_DATE_EPOCH.
run zr-pdfmerge $R -q -o "$tmp/again.pdf" "$P/pdfjs__annotation-tx3.pdf" \
    "$tmp/passport.jpg" "$tmp/card.png" "$P/ocrmypdf__multipage.pdf"
expect_exit 0
expect_out_empty
expect_same_bytes "$tmp/upload.pdf" "$tmp/again.pdf"
grep -aq CreationDate "$tmp/upload.pdf" && nok "no clock without SOURCE_DATE_EPOCH" || ok
t_cmd="SOURCE_DATE_EPOCH=1767225600 zr-pdfmerge"
SOURCE_DATE_EPOCH=1767225600 zr-pdfmerge -q -o "$tmp/dated.pdf" \
    "$P/pdfcpu__blank-scan.pdf" >"$out" 2>"$err"
rc=$?
expect_exit 0
qpdf --qdf --object-streams=disable "$tmp/dated.pdf" "$tmp/dated.qdf"
grep -aq 'D:20260101000000Z' "$tmp/dated.qdf" && ok || nok "SOURCE_DATE_EPOCH date"

# Budget: three photos (5 MB) into 1 MB; the chosen level is reported.
run zr-pdfmerge $R --json --max-size 1M -o "$tmp/small.pdf" \
    "$I/derived__flower_tiled_4032x3024.jpg" "$I/facerec__obama-1080p.jpg" \
    "$I/jxl__flower_q85_rgb.jpg"
expect_exit 0
expect_out_has '"tool":"zr-pdfmerge"'
expect_out_has '"status":"ok"'
expect_out_has '"budget":1000000'
[ "$(size "$tmp/small.pdf")" -le 1000000 ] && ok || nok "budget met"
grep -q '"dpi":0,' "$out" && nok "a level was chosen" || ok
qcheck "$tmp/small.pdf"
[ "$(npages "$tmp/small.pdf")" = 3 ] && ok || nok "3 pages"

# Even the floor does not fit: exit 1, the largest inputs named, no file.
run zr-pdfmerge $R --max-size 30k -o "$tmp/nofit.pdf" \
    "$I/derived__flower_tiled_4032x3024.jpg" "$P/pdfcpu__blank-scan.pdf"
expect_exit 1
expect_err_has "zr-pdfmerge: cannot fit 30 kB even at 150 dpi, quality 60 (about 280 kB)"
expect_err_has "largest inputs: $I/derived__flower_tiled_4032x3024.jpg"
expect_no_file "$tmp/nofit.pdf"
# Default budget by rules date: 10 MB on the old system.
run zr-pdfmerge --rules-date 2025-06-01 --json -o "$tmp/old.pdf" "$P/pdfcpu__blank-scan.pdf"
expect_out_has '"budget":10000000'
# New system: 25 MB minus the photo reserve.
run zr-pdfmerge --rules-date 2026-06-01 --reserve 1M --json -o "$tmp/new.pdf" "$P/pdfcpu__blank-scan.pdf"
expect_out_has '"budget":24000000'

# Encryption: a user password is needed; --password-fd gives it.
run zr-pdfmerge $R -o "$tmp/enc.pdf" "$P/pypdfsamples__libreoffice-writer-password.pdf"
expect_exit 2
expect_err_is "zr-pdfmerge: $P/pypdfsamples__libreoffice-writer-password.pdf: needs a password to open (give it with --password-fd)"
expect_no_file "$tmp/enc.pdf"
t_cmd="zr-pdfmerge --password-fd 3 3<pw"
printf 'openpassword\n' > "$tmp/pw"
zr-pdfmerge $R -q --password-fd 3 -o "$tmp/enc.pdf" \
    "$P/pypdfsamples__libreoffice-writer-password.pdf" 3<"$tmp/pw" >"$out" 2>"$err"
rc=$?
expect_exit 0
qpdf --is-encrypted "$tmp/enc.pdf"; [ $? -eq 2 ] && ok || nok "output not encrypted"
printf 'wrong\n' > "$tmp/pw"
zr-pdfmerge $R --password-fd 3 -o "$tmp/enc2.pdf" \
    "$P/pypdfsamples__libreoffice-writer-password.pdf" 3<"$tmp/pw" >"$out" 2>"$err"
rc=$?
expect_exit 2
expect_err_has "wrong password"
# Owner password only: opened, written without restrictions, with a note.
run zr-pdfmerge $R -o "$tmp/own.pdf" "$P/opf__encryption_nocopy.pdf"
expect_exit 0
expect_err_has "opf__encryption_nocopy.pdf: restricted by an owner password; written without encryption or restrictions"
qpdf --is-encrypted "$tmp/own.pdf"; [ $? -eq 2 ] && ok || nok "owner-only output not encrypted"
# Damaged but recoverable: said on stderr.
run zr-pdfmerge $R -o "$tmp/dmg.pdf" "$P/qpdf__bad-xref-entry.pdf"
expect_exit 0
expect_err_has "qpdf__bad-xref-entry.pdf: damaged; recovered by libqpdf"
qcheck "$tmp/dmg.pdf"

# Bad input: one line, exit 2, nothing written.
: > "$tmp/empty.pdf"
mkdir "$tmp/dir.pdf"
cp "$I/facerec__obama.jpg" "$tmp/photo.pdf"
for bad in "$tmp/missing.pdf" "$tmp/dir.pdf" "$tmp/empty.pdf" "$tmp/photo.pdf" \
    "$P/ocrmypdf__invalid.pdf" "$P/qpdf__bad-jpeg.pdf"; do
	run zr-pdfmerge $R -o "$tmp/bad.pdf" "$P/pdfcpu__blank-scan.pdf" "$bad"
	expect_exit 2
	[ "$(wc -l < "$err")" -eq 1 ] && ok || nok "one line for $bad"
	expect_no_file "$tmp/bad.pdf"
done
run zr-pdfmerge $R -o "$tmp/bad.pdf" "$tmp/photo.pdf"
expect_err_is "zr-pdfmerge: $tmp/photo.pdf: not a PDF file (it is a JPEG image)"
run zr-pdfmerge $R -o "$tmp/bad.pdf" "$tmp/empty.pdf"
expect_err_is "zr-pdfmerge: $tmp/empty.pdf: empty file"
# The output may not overwrite an input.
cp "$P/pdfcpu__blank-scan.pdf" "$tmp/in.pdf"
run zr-pdfmerge $R -o "$tmp/in.pdf" "$tmp/in.pdf"
expect_exit 2
cmp -s "$tmp/in.pdf" "$P/pdfcpu__blank-scan.pdf" && ok || nok "input untouched"

# Man page example: a list from find | sort, titles after a TAB.
printf '%s\tApplication form\n%s\n' "$P/pdfjs__bug2004951.pdf" "$tmp/passport.jpg" > "$tmp/list"
runin "$tmp/list" zr-pdfmerge $R -q --list - -o "$tmp/listed.pdf"
expect_exit 0
qpdf --json --json-key=outlines "$tmp/listed.pdf" | grep -q '"title": "Application form"' \
    && ok || nok "title from --list"
# Man page example: PDF to standard output.
run zr-pdfmerge $R -q -o - "$P/pdfcpu__blank-scan.pdf"
expect_exit 0
head -c 5 "$out" | grep -q '%PDF-' && ok || nok "PDF on stdout"

# --check: the portal's rules.
run zr-pdfmerge -c $R "$tmp/upload.pdf" "$tmp/small.pdf"
expect_exit 0
expect_out_has "upload.pdf: ok,"
expect_out_has "total: 2 files,"
run zr-pdfmerge -c --rules-date 2025-06-01 "$tmp/upload.pdf" "$tmp/small.pdf"
expect_exit 1
expect_out_has "2 files, the online system takes 1"
run zr-pdfmerge -c $R "$P/qpdf__V4-aes.pdf"
expect_exit 1
expect_out_has "violation: encrypted;"
run zr-pdfmerge -c $R --json "$P/opf__encryption_nocopy.pdf" "$P/pdfjs__annotation-tx3.pdf"
expect_exit 1
expect_out_has '"code":"encrypted"'
expect_out_has '"restricted":true'
expect_out_has '"max_files":20'
[ "$(wc -l < "$out")" -eq 3 ] && ok || nok "one JSON line per file and a total"
run zr-pdfmerge -c $R "$P/ocrmypdf__aspect.pdf"
expect_out_has "warning: 1 page with images under 150 dpi"
run zr-pdfmerge -c $R "$tmp/missing.pdf"
expect_exit 2
run zr-pdfmerge -c $R "$tmp/upload.pdf"
t_cmd="zr-pdfmerge -c > /dev/full"
zr-pdfmerge -c $R "$tmp/upload.pdf" >/dev/full 2>"$err"
rc=$?
expect_exit 2

# The corpus: every file merges (and passes qpdf --check) or fails with
# one line and no output.  A representative subset here; the bench runs
# all of them (tests/bench/pdfmerge.sh).
for f in ocrmypdf__invalid pdfcpu__testRot qpdf__bad-xref-entry \
    qpdf__append-xref-loop opf__corruptionOneByteMissing qpdf__V4-aes \
    qpdf__enc-XI-R6_V5_O_master opf__encryption_openpassword \
    pdfcpu__HL1396 ocrmypdf__kcs ocrmypdf__cardinal pikepdf__jbig2global \
    ocrmypdf__hugemono ocrmypdf__2400dpi ocrmypdf__palette ocrmypdf__masks \
    pikepdf__cmyk-jpeg pdfjs__issue7074_reduced qpdf__pclm-in qpdf__bad-jpeg \
    opf__219789 pdfcpu__viaIncrementalSave pdfjs__scan-bad qpdf__leading-junk; do
	run zr-pdfmerge $R -q --max-size 300k -o "$tmp/c.pdf" "$P/$f.pdf"
	case $rc in
	0) qcheck "$tmp/c.pdf"
	   [ "$(size "$tmp/c.pdf")" -le 300000 ] && ok || nok "$f over budget" ;;
	1|2) [ "$(wc -l < "$err")" -eq 1 ] && ok || nok "$f: one line"
	   expect_no_file "$tmp/c.pdf" ;;
	*) nok "$f: exit $rc" ;;
	esac
	rm -f "$tmp/c.pdf"
done
