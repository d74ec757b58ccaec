# CLI tests for zr-pdfmerge: merge, budget, encryption, bad input, --check.
. tests/cli/lib.sh

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
run zr-pdfmerge "$F/scan.pdf"
expect_exit 2
expect_err_has "zr-pdfmerge: -o file is required"
# -c takes no merge option; its -o is the report's file (zairyu(7)).
run zr-pdfmerge -c --max-size 10k "$F/scan.pdf"
expect_exit 2
expect_err_has "merge options do not apply"
run zr-pdfmerge -c "$F/scan.pdf"
cp "$out" "$tmp/c.txt"
c_rc=$rc
run zr-pdfmerge -c -o "$tmp/c-o.txt" "$F/scan.pdf"
expect_exit "$c_rc"
expect_out_empty
expect_same_bytes "$tmp/c-o.txt" "$tmp/c.txt"
run zr-pdfmerge --floor 10 -o "$tmp/x.pdf" "$F/scan.pdf"
expect_exit 2
expect_no_file "$tmp/x.pdf"

# Man page example: PDFs and scans in argument order, one bookmark each.
cp "$F/form.pdf" "$tmp/form.pdf"
cp "$F/multipage.pdf" "$tmp/multipage.pdf"
cp "$F/rot6.jpg" "$tmp/passport.jpg"
cp "$F/photo.png" "$tmp/card.png"
run zr-pdfmerge $R -o "$tmp/upload.pdf" "$tmp/form.pdf" \
    "$tmp/passport.jpg" "$tmp/card.png" "$tmp/multipage.pdf"
expect_exit 0
expect_out_has "upload.pdf: 9 pages"
expect_out_has "passport.jpg: jpeg, page 2,"
expect_out_has "card.png: png, page 3,"
expect_out_has "multipage.pdf: pdf, pages 4-9,"
[ "$(npages "$tmp/upload.pdf")" = 9 ] && ok || nok "page count"
qcheck "$tmp/upload.pdf"
qpdf --json --json-key=outlines "$tmp/upload.pdf" > "$tmp/ol.json"
grep -o '"title": "[^"]*"' "$tmp/ol.json" | tr '\n' ' ' > "$tmp/titles"
grep -qF '"title": "form" "title": "passport" "title": "card" "title": "multipage"' "$tmp/titles" \
    && ok || nok "outline titles in order: $(cat "$tmp/titles")"
# The form field of the first input is still a form field.
qpdf --json --json-key=acroform "$tmp/upload.pdf" | grep -q '"fullname": "Text2"' \
    && ok || nok "form field kept"
# EXIF orientation 6 turns the page: a portrait photo stays portrait.
pdfinfo -f 2 -l 2 "$tmp/upload.pdf" | grep 'size' | grep -q '595.276 x 841.89' \
    && ok || nok "A4 portrait page for the rotated scan"

# Deterministic bytes; dates only with SOURCE_DATE_EPOCH.
run zr-pdfmerge $R -q -o "$tmp/again.pdf" "$tmp/form.pdf" \
    "$tmp/passport.jpg" "$tmp/card.png" "$tmp/multipage.pdf"
expect_exit 0
expect_out_empty
expect_same_bytes "$tmp/upload.pdf" "$tmp/again.pdf"
grep -aq CreationDate "$tmp/upload.pdf" && nok "no clock without SOURCE_DATE_EPOCH" || ok
t_cmd="SOURCE_DATE_EPOCH=1767225600 zr-pdfmerge"
SOURCE_DATE_EPOCH=1767225600 zr-pdfmerge -q -o "$tmp/dated.pdf" \
    "$F/scan.pdf" >"$out" 2>"$err"
rc=$?
expect_exit 0
qpdf --qdf --object-streams=disable "$tmp/dated.pdf" "$tmp/dated.qdf"
grep -aq 'D:20260101000000Z' "$tmp/dated.qdf" && ok || nok "SOURCE_DATE_EPOCH date"

# Budget: three photos (5 MB) into 1 MB; the chosen level is reported.
run zr-pdfmerge $R --json --max-size 1M -o "$tmp/small.pdf" \
    "$F/big.jpg" "$F/hd.jpg" "$F/rgbt.jpg"
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
    "$F/big.jpg" "$F/scan.pdf"
expect_exit 1
expect_err_has "zr-pdfmerge: cannot fit 30 kB even at 150 dpi, quality 60 (about "
expect_err_has "largest inputs: "
expect_err_has "$F/big.jpg ("
[ "$(wc -l < "$err")" -eq 1 ] && ok || nok "one line"
expect_no_file "$tmp/nofit.pdf"
# Default budget by rules date: 10 MB on the old system.
run zr-pdfmerge --rules-date 2025-06-01 --json -o "$tmp/old.pdf" "$F/scan.pdf"
expect_out_has '"budget":10000000'
# New system: 25 MB minus the photo reserve.
run zr-pdfmerge --rules-date 2026-06-01 --reserve 1M --json -o "$tmp/new.pdf" "$F/scan.pdf"
expect_out_has '"budget":24000000'

# Encryption: a user password is needed; --password-fd gives it.
run zr-pdfmerge $R -o "$tmp/enc.pdf" "$F/enc-open.pdf"
expect_exit 2
expect_err_is "zr-pdfmerge: $F/enc-open.pdf: needs a password to open (give it with --password-fd)"
expect_no_file "$tmp/enc.pdf"
t_cmd="zr-pdfmerge --password-fd 3 3<pw"
printf 'openpassword\n' > "$tmp/pw"
zr-pdfmerge $R -q --password-fd 3 -o "$tmp/enc.pdf" \
    "$F/enc-open.pdf" 3<"$tmp/pw" >"$out" 2>"$err"
rc=$?
expect_exit 0
qpdf --is-encrypted "$tmp/enc.pdf"; [ $? -eq 2 ] && ok || nok "output not encrypted"
printf 'wrong\n' > "$tmp/pw"
zr-pdfmerge $R --password-fd 3 -o "$tmp/enc2.pdf" \
    "$F/enc-open.pdf" 3<"$tmp/pw" >"$out" 2>"$err"
rc=$?
expect_exit 2
expect_err_has "wrong password"
# The library's secret reader (lib/card/secret.c): the right password
# after a CRLF line end; a line longer than a PDF password counts (127
# bytes) or an empty one is refused, never cut, before any input is read.
printf 'openpassword\r\n' > "$tmp/pw"
zr-pdfmerge $R -q --password-fd 3 -o "$tmp/enc3.pdf" \
    "$F/enc-open.pdf" 3<"$tmp/pw" >"$out" 2>"$err"
rc=$?
expect_exit 0
for n in 128 2000; do
	t_cmd="zr-pdfmerge --password-fd 3 3<pw ($n bytes)"
	{ printf 'openpassword'; head -c $((n - 12)) /dev/zero | tr '\0' x; printf '\n'; } > "$tmp/pw"
	zr-pdfmerge $R --password-fd 3 -o "$tmp/enc4.pdf" \
	    "$F/enc-open.pdf" 3<"$tmp/pw" >"$out" 2>"$err"
	rc=$?
	expect_exit 2
	expect_err_is "zr-pdfmerge: --password-fd 3: the secret is longer than 127 characters"
	expect_no_file "$tmp/enc4.pdf"
done
t_cmd="zr-pdfmerge -c --password-fd 3 3</dev/null"
zr-pdfmerge $R -c --password-fd 3 "$F/enc-open.pdf" 3</dev/null >"$out" 2>"$err"
rc=$?
expect_exit 2
expect_err_is "zr-pdfmerge: --password-fd 3: no secret given (empty line)"
expect_out_empty
# Owner password only: opened, written without restrictions, with a note.
run zr-pdfmerge $R -o "$tmp/own.pdf" "$F/enc-owner.pdf"
expect_exit 0
expect_err_has "enc-owner.pdf: restricted by an owner password; written without encryption or restrictions"
qpdf --is-encrypted "$tmp/own.pdf"; [ $? -eq 2 ] && ok || nok "owner-only output not encrypted"
# Damaged but recoverable: said on stderr.
run zr-pdfmerge $R -o "$tmp/dmg.pdf" "$F/badxref.pdf"
expect_exit 0
expect_err_has "badxref.pdf: warning: damaged; recovered by libqpdf"
qcheck "$tmp/dmg.pdf"

# Bad input: one line, exit 2, nothing written.
: > "$tmp/empty.pdf"
mkdir "$tmp/dir.pdf"
cp "$F/upright.jpg" "$tmp/photo.pdf"
for bad in "$tmp/missing.pdf" "$tmp/dir.pdf" "$tmp/empty.pdf" "$tmp/photo.pdf" \
    "$F/invalid.pdf" "$F/badjpeg.pdf"; do
	run zr-pdfmerge $R -o "$tmp/bad.pdf" "$F/scan.pdf" "$bad"
	expect_exit 2
	[ "$(wc -l < "$err")" -eq 1 ] && ok || nok "one line for $bad"
	expect_no_file "$tmp/bad.pdf"
done
run zr-pdfmerge $R -o "$tmp/bad.pdf" "$tmp/photo.pdf"
expect_err_is "zr-pdfmerge: $tmp/photo.pdf: not a PDF file (it is a JPEG image)"
run zr-pdfmerge $R -o "$tmp/bad.pdf" "$tmp/empty.pdf"
expect_err_is "zr-pdfmerge: $tmp/empty.pdf: empty file"
# The output may not overwrite an input.
cp "$F/scan.pdf" "$tmp/in.pdf"
run zr-pdfmerge $R -o "$tmp/in.pdf" "$tmp/in.pdf"
expect_exit 2
cmp -s "$tmp/in.pdf" "$F/scan.pdf" && ok || nok "input untouched"
# -o FILE gets the bytes straight from the library, - after the merge:
# the same bytes either way, with and without a budget that binds; an
# existing output is replaced whole (a longer old file leaves no tail).
head -c 3000000 /dev/zero > "$tmp/same.pdf"
for budget in 0 215k; do
	run zr-pdfmerge $R --max-size $budget -o "$tmp/same.pdf" \
	    "$F/scan.pdf" "$tmp/passport.jpg"
	expect_exit 0
	zr-pdfmerge $R --max-size $budget -o - "$F/scan.pdf" \
	    "$tmp/passport.jpg" > "$tmp/same-stdout.pdf" 2>/dev/null
	expect_same_bytes "$tmp/same.pdf" "$tmp/same-stdout.pdf"
	ls -a "$tmp" | grep -q '^\.zr-tmp' && nok "temporary left" || ok
	qcheck "$tmp/same.pdf"
done

# Man page example: a list from find | sort, titles after a TAB.
printf '%s\tApplication form\n%s\n' "$F/text.pdf" "$tmp/passport.jpg" > "$tmp/list"
runin "$tmp/list" zr-pdfmerge $R -q --list - -o "$tmp/listed.pdf"
expect_exit 0
qpdf --json --json-key=outlines "$tmp/listed.pdf" | grep -q '"title": "Application form"' \
    && ok || nok "title from --list"
# Man page example: PDF to standard output.
run zr-pdfmerge $R -q -o - "$F/scan.pdf"
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
run zr-pdfmerge -c $R "$F/enc-aes.pdf"
expect_exit 1
expect_out_has "violation: encrypted;"
run zr-pdfmerge -c $R --json "$F/enc-owner.pdf" "$tmp/form.pdf"
expect_exit 1
expect_out_has '"code":"encrypted"'
expect_out_has '"restricted":true'
expect_out_has '"max_files":20'
[ "$(wc -l < "$out")" -eq 3 ] && ok || nok "one JSON line per file and a total"
run zr-pdfmerge -c $R "$F/lowres.pdf"
expect_out_has "warning: 1 page with images under 150 dpi"
run zr-pdfmerge -c $R "$tmp/missing.pdf"
expect_exit 2
run zr-pdfmerge -c $R "$tmp/upload.pdf"
t_cmd="zr-pdfmerge -c > /dev/full"
zr-pdfmerge -c $R "$tmp/upload.pdf" >/dev/full 2>"$err"
rc=$?
expect_exit 2

# Every fixture (PDF or image) merges (and passes qpdf --check, under the budget) or
# fails with one line and no output.  The same sweep over real-world files:
# make check-corpus (tests/corpus/pdfmerge.sh).
for f in "$F"/*.pdf "$F"/*.jpg "$F"/*.png; do
	run zr-pdfmerge $R -q --max-size 300k -o "$tmp/c.pdf" "$f"
	case $rc in
	0) qcheck "$tmp/c.pdf"
	   [ "$(size "$tmp/c.pdf")" -le 300000 ] && ok || nok "$f over budget" ;;
	1|2) [ "$(wc -l < "$err")" -eq 1 ] && ok || nok "$f: one line"
	   expect_no_file "$tmp/c.pdf" ;;
	*) nok "$f: exit $rc" ;;
	esac
	rm -f "$tmp/c.pdf"
done

# --check knows the photo (issue 14): a JPEG named .jpg or .jpeg, checked
# with zr-photo's checks, one of the 20 files on the new system
# (rules-facts §1.2); what is neither PDF nor JPEG is named for what it is.
D="--today 2026-11-23"
zr-photo $D -q examples/sample/photo.jpg -o "$tmp/photo.jpg" 2>/dev/null
run zr-pdfmerge -c $R $D "$tmp/empty.pdf"
expect_exit 2
expect_err_is "zr-pdfmerge: $tmp/empty.pdf: empty file"
expect_out_empty
printf 'plain text\n' > "$tmp/notes.pdf"
run zr-pdfmerge -c $R $D "$F/scan.pdf" "$tmp/notes.pdf"
expect_exit 2
expect_err_is "zr-pdfmerge: $tmp/notes.pdf: not a PDF file (it is neither PDF, JPEG, PNG nor TIFF)"
run zr-pdfmerge -c $R $D "$F/invalid.pdf"
expect_exit 2
[ "$(wc -l < "$err")" -eq 1 ] && ok || nok "one line for a PDF that does not open"
mkdir "$tmp/pk"
cp "$F/photo.png" "$tmp/pk/photo.jpg"
run zr-pdfmerge -c $R $D "$F/scan.pdf" "$tmp/pk/photo.jpg"
expect_exit 1
expect_out_has "photo.jpg: problem,"
expect_out_has "  violation: not a JPEG file (it is a PNG image); the photo must be a JPEG named .jpg or .jpeg"
cp "$tmp/photo.jpg" "$tmp/pk/photo.png"
run zr-pdfmerge -c $R $D "$F/scan.pdf" "$tmp/pk/photo.png"
expect_exit 1
expect_out_has "photo.png: problem, "
expect_out_has "  violation: not a PNG file (it is a JPEG image); the photo must be a JPEG named .jpg or .jpeg"
expect_out_lacks "the photo ("
# The photo gets zr-photo's verdict: the one zr-photo wrote passes, the
# camera's original does not, for the same reasons zr-photo --check gives.
run zr-pdfmerge -c $R $D "$F/scan.pdf" "$tmp/photo.jpg"
expect_exit 0
expect_out_has "photo.jpg: ok, "
expect_out_has ", the photo"
cp examples/sample/photo.jpg "$tmp/pk/raw.jpg"
run zr-photo --check $R $D "$tmp/pk/raw.jpg"
expect_exit 1
sed "s|^$tmp/pk/raw.jpg: |  violation: the photo (zr-photo --check): |" "$out" | grep -v ': note: ' > "$tmp/pk/want"
[ -s "$tmp/pk/want" ] && ok || nok "zr-photo finds problems in the raw photo"
run zr-pdfmerge -c $R $D "$F/scan.pdf" "$tmp/pk/raw.jpg"
expect_exit 1
grep '^  violation: the photo ' "$out" > "$tmp/pk/got"
expect_same_bytes "$tmp/pk/got" "$tmp/pk/want"
# 19 documents and the photo are 20 files; 20 and the photo are 21.
set --
for i in 01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16 17 18 19; do
	cp "$F/text.pdf" "$tmp/pk/doc$i.pdf"
	set -- "$@" "$tmp/pk/doc$i.pdf"
done
run zr-pdfmerge -c $R $D "$@" "$tmp/photo.jpg"
expect_exit 0
expect_out_has "total: 20 files,"
cp "$F/text.pdf" "$tmp/pk/doc20.pdf"
run zr-pdfmerge -c $R $D "$@" "$tmp/pk/doc20.pdf" "$tmp/photo.jpg"
expect_exit 1
expect_out_has "  violation: 21 files with the photo, the online system takes 20"
run zr-pdfmerge -c $R $D "$@" "$tmp/pk/doc20.pdf"
expect_exit 1
expect_out_has "  violation: 20 files plus the photo, the online system takes 20"
# The old system: the photo is an upload of its own, apart from the PDF.
run zr-pdfmerge -c --rules-date 2025-06-01 $D "$F/scan.pdf" "$tmp/photo.jpg"
expect_exit 0
expect_out_has "total: 1 file and the photo,"
