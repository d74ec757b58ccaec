# End-to-end: zr-renew over a case folder, case.mk, and broken cases caught
# by the right step.
. tests/cli/lib.sh

ZR_BUILD=${ZR_BUILD:-build}
case $ZR_BUILD in /*) ;; *) ZR_BUILD=$(pwd)/$ZR_BUILD ;; esac
renew=$(pwd)/scripts/zr-renew
casemk=$(pwd)/scripts/case.mk
today=2026-11-23
export ZR_BIN

expect_err_lacks() { grep -qF -- "$1" "$err" && nok "stderr has: $1" || ok; }

mkcase() { # name
	rm -rf "$tmp/$1"
	mkdir -p "$tmp/$1"
	cp examples/sample/case.facts examples/sample/photo.jpg \
		examples/sample/passport.mrz examples/sample/completion-mail.eml \
		examples/sample/[0-9][0-9]-* "$tmp/$1/"
}

if command -v shellcheck >/dev/null 2>&1; then
	run shellcheck "$renew"
	expect_exit 0
fi

# The sample case: every step passes, everything lands in out/.
mkcase good
run "$renew" --today $today --no-card --after-mail "$tmp/good/completion-mail.eml" "$tmp/good"
expect_exit 0
expect_out_has "== 1/6 deadlines (zr-deadline)"
expect_out_has "open: 68 days left to apply online (last day 2027-01-30)"
expect_out_has "name for the online form: SAMPLE TARO JOHN"
expect_out_has "mail-in kit ready: print letter.pdf and post it with the card"
expect_out_has "review: $tmp/good/out/review.html"
for f in photo.jpg upload.pdf deadlines.ics letter.pdf review.html status.tsv; do
	[ -s "$tmp/good/out/$f" ] && ok || nok "out/$f missing"
done
qpdf --check "$tmp/good/out/upload.pdf" >/dev/null 2>&1 && ok || nok "upload.pdf fails qpdf --check"
[ "$(pdfinfo "$tmp/good/out/upload.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')" = 3 ] && ok || nok "3 pages"
# The review shows each upload page, from the values of zr-pdfmerge
# --preview --get: its number, the input it came from and its thumbnail.
for l in "1 of 3 &middot; from 10-application.jpg" "2 of 3 &middot; from 20-passport.jpg" \
    "3 of 3 &middot; from 30-employment.pdf"; do
	grep -qF "<figcaption>page $l</figcaption>" "$tmp/good/out/review.html" && ok || nok "review caption: $l"
done
for n in 1 2 3; do
	grep -q "<figure class=\"page\" id=\"upload-page-$n\"><img class=\"thumb\" alt=\"page $n of 3\" src=\"data:image/png;base64,iVBOR" \
		"$tmp/good/out/review.html" && ok || nok "review thumbnail of page $n"
done
# The photo with GPS data is caught in step 3, and the upload copy has none.
expect_out_has "note: the source photo says where it was taken (GPS)"
run zr-photo --check --today $today "$tmp/good/out/photo.jpg"
expect_exit 0
expect_out_lacks "GPS"
# Inputs are untouched.
cmp -s examples/sample/photo.jpg "$tmp/good/photo.jpg" && ok || nok "source photo changed"

# The same case under the old system's rules (one PDF up to 10 MB, the
# photo apart, names comma-separated).
mkcase old
run "$renew" --today $today --rules-date 2025-12-01 --no-card "$tmp/old"
expect_exit 0
expect_out_has "name for the online form: SAMPLE,TARO,JOHN"
expect_out_has "total: 1 file and the photo, "
expect_out_has "limits: 1 file, 10000000 bytes each"

# A past expiry: the files are still checked, the verdict says expired
# (exit 4, valid files outside the online window).
mkcase late
sed -i 's/^stay_expiry = .*/stay_expiry = 2026-10-01/' "$tmp/late/case.facts"
run "$renew" --today $today --no-card "$tmp/late"
expect_exit 4
expect_err_is "zr-renew: files valid, but expired: the period of stay ended 2026-10-01 and the last day to apply was 2026-10-01"
[ -s "$tmp/late/out/upload.pdf" ] && ok || nok "files not checked when expired"

# A name that differs between documents: step 2.
mkcase name
printf 'name = SAMPLE TARO\nbirth_date = 1990-04-01\n' > "$tmp/name/application.facts"
run "$renew" --today $today --no-card "$tmp/name"
expect_exit 1
expect_err_has "zr-renew: step 2 (names): the documents disagree with $tmp/name/case.facts"
expect_out_has "application.facts:1: name \"SAMPLE TARO\" differs from"
expect_err_has "zr-renew: not ready: the documents disagree with $tmp/name/case.facts"
grep -q '	names and numbers: the documents disagree' "$tmp/name/out/status.tsv" && ok || nok "status: what is missing"

# A photo that is not a photo: an input error naming it, before any step.
mkcase photo
printf 'not a jpeg' > "$tmp/photo/photo.jpg"
run "$renew" --today $today --no-card "$tmp/photo"
expect_exit 2
expect_err_is "zr-renew: $tmp/photo/photo.jpg: not a JPEG or PNG file"
[ ! -e "$tmp/photo/out/deadlines.ics" ] && ok || nok "a step ran after a bad input"
# A photo that is a PNG named .jpg: the fix is named.
mkcase photo2
zr-pdfmerge -q --preview "$tmp/png" examples/sample/30-employment.pdf
cp "$tmp/png/page-001.png" "$tmp/photo2/photo.jpg"
run "$renew" --today $today --no-card "$tmp/photo2"
expect_exit 2
expect_err_is "zr-renew: $tmp/photo2/photo.jpg: a PNG image named .jpg: rename it photo.png"

# Scans that cannot fit the old system's 10 MB even at the legibility
# floor: step 4, and no upload file.
mkcase big
i=1
while [ $i -le 12 ]; do
	"$ZR_BUILD/tools/mknoise" 1240 1754 150 $i "$tmp/big/40-noise-$(printf %02d $i).jpg"
	i=$((i + 1))
done
run "$renew" --today $today --rules-date 2025-12-01 --no-card "$tmp/big"
expect_exit 1
expect_err_has "zr-renew: step 4 (upload): the documents do not fit the portal's limits"
expect_no_file "$tmp/big/out/upload.pdf"

# A truncated PDF is a damaged input (exit 2, named), never "does not fit".
mkcase cut
head -c 600 examples/sample/30-employment.pdf > "$tmp/cut/30-employment.pdf"
run "$renew" --today $today --no-card "$tmp/cut"
expect_exit 2
expect_err_has "zr-renew: step 4 (upload): $tmp/cut/30-employment.pdf: "
expect_err_lacks "do not fit"
expect_no_file "$tmp/cut/out/upload.pdf"
grep -q '^<p class="verdict v-error" id="verdict-text">input error: ' "$tmp/cut/out/review.html" && ok || nok "review verdict for a damaged input"
# A JPEG named .pdf: an input error naming it and the fix, before any step.
mkcase label
cp examples/sample/20-passport.jpg "$tmp/label/25-residence-card.pdf"
run "$renew" --today $today --no-card "$tmp/label"
expect_exit 2
expect_err_is "zr-renew: $tmp/label/25-residence-card.pdf: a JPEG image named .pdf: rename it 25-residence-card.jpg"
[ ! -e "$tmp/label/out/photo.jpg" ] && ok || nok "a step ran after a mislabelled input"
grep -q '	error	2	' "$tmp/label/out/status.tsv" && ok || nok "status line of an input error"

# A bad --today is blamed on --today, not on case.facts; a bad
# --rules-date on --rules-date; a missing --after-mail file is found
# before the first step; all of them at once.
mkcase opts
run "$renew" --today 2026-02-30 --no-card "$tmp/opts"
expect_exit 2
expect_err_is "zr-renew: --today: \"2026-02-30\": February 2026 has 28 days"
run "$renew" --today $today --rules-date 2026-13-01 --no-card "$tmp/opts"
expect_exit 2
expect_err_is "zr-renew: --rules-date: \"2026-13-01\": there is no month 13"
run "$renew" --today $today --after-mail "$tmp/opts/nothing.eml" --no-card "$tmp/opts"
expect_exit 2
expect_err_is "zr-renew: --after-mail: $tmp/opts/nothing.eml: no such file"
[ ! -e "$tmp/opts/out/photo.jpg" ] && [ ! -e "$tmp/opts/out/deadlines.ics" ] && ok || nok "a step ran before the options were checked"
run "$renew" --today 2026-02-30 --after-mail "$tmp/opts/nothing.eml" --no-card "$tmp/opts"
expect_exit 2
[ "$(wc -l < "$err")" -eq 2 ] && ok || nok "every bad option named"

# The verdict: valid files vs can-submit-now, on the sample's dates
# (expiry 2027-01-31, a Sunday: online until 2027-01-30, counter 2027-02-01).
mkcase when
verdict() { # today exit json-status verdict text
	run "$renew" --json --today "$1" --no-card "$tmp/when"
	expect_exit "$2"
	expect_out_has "\"status\":\"$3\",\"case\":"
	expect_out_has "\"verdict\":\"$4\",\"message\":\"$5"
	expect_json_valid
	grep -qF "id=\"verdict-text\">$5" "$tmp/when/out/review.html" && ok || nok "review verdict: $5"
}
verdict 2026-07-01 4 problem not_yet_open "files valid, not yet open: too early: the window opens 2026-10-31 (in 122 days)"
verdict 2026-11-23 0 ok ready "ready to upload: open: 68 days left to apply online (last day 2027-01-30)"
verdict 2027-01-30 0 ok last_day "ready to upload: today is the last day to apply online"
verdict 2027-01-31 4 problem counter_only "files valid, closed online: online closed: apply at a counter by 2027-02-01 (Mon)"
verdict 2027-02-02 4 problem expired "files valid, but expired: the period of stay ended 2027-01-31"
run "$renew" --today 2027-01-31 --no-card "$tmp/when"
expect_exit 4
expect_err_is "zr-renew: files valid, closed online: online closed: apply at a counter by 2027-02-01 (Mon)"
# With a problem the window does not matter: exit 1, status problem.
printf 'name = SAMPLE TARO\nbirth_date = 1990-04-01\n' > "$tmp/when/application.facts"
run "$renew" --json --today 2026-07-01 --no-card "$tmp/when"
expect_exit 1
expect_out_has '"status":"problem","case":'
expect_out_has '"verdict":"problem","message":"not ready: the documents disagree with '
expect_out_has '"problems":[{"code":"renew_step","message":"the documents disagree with '
expect_out_has '"step":"names and numbers","result":"problem"}'
expect_json_valid
# A usage error with --json is an error object too.
run "$renew" --json --no-such-option
expect_exit 2
expect_out_is '{"tool":"zr-renew","version":"0.1.0","status":"error","problems":[{"code":"usage","message":"unknown option --no-such-option"}],"notes":[]}'
expect_json_valid
run "$renew" --json "$tmp/no-such-case"
expect_exit 2
expect_json_valid
expect_out_has '"problems":[{"code":"open",'

# Quiet: nothing at all on success; the problem alone otherwise.
mkcase quiet
run "$renew" -q --today $today --no-card "$tmp/quiet"
expect_exit 0
expect_out_empty
expect_err_empty
[ -s "$tmp/quiet/out/review.html" ] && ok || nok "-q: no review page"
run "$renew" -q --today 2026-07-01 --no-card "$tmp/quiet"
expect_exit 4
expect_out_empty
expect_err_is "zr-renew: files valid, not yet open: too early: the window opens 2026-10-31 (in 122 days)"

# The card step: its messages in their own section (a stand-in
# zr-cardtest beside the real tools).
mkcase card
mkdir -p "$tmp/fakebin"
for t in "$ZR_BIN"/zr-*; do ln -sf "$t" "$tmp/fakebin/"; done
rm -f "$tmp/fakebin/zr-cardtest"
printf '#!/bin/sh\necho "reader: Test Reader 00"\necho "card: no card in the reader"\nexit 3\n' > "$tmp/fakebin/zr-cardtest"
chmod +x "$tmp/fakebin/zr-cardtest"
ZR_BIN=$tmp/fakebin run "$renew" --today $today "$tmp/card"
expect_exit 0
grep -A1 '^== 6/6 My Number card' "$out" | grep -q '^   reader: Test Reader 00$' && ok || nok "card messages not under step 6"
sed -n '/<section id="card">/,/<\/section>/p' "$tmp/card/out/review.html" > "$tmp/card.sec"
grep -q 'card: no card in the reader' "$tmp/card.sec" && ok || nok "card messages not in the card section"
sed -n '/<section id="checks">/,/<\/section>/p' "$tmp/card/out/review.html" | grep -q 'Test Reader' && nok "card messages in the checks" || ok
ZR_BIN=$tmp/fakebin run "$renew" -q --today $today "$tmp/card"
expect_exit 0
expect_out_empty
expect_err_empty

# Usage errors.
run "$renew"
expect_exit 2
run "$renew" "$tmp/nowhere"
expect_exit 2
expect_err_is "zr-renew: $tmp/nowhere: not a folder"
mkdir -p "$tmp/empty"
run "$renew" "$tmp/empty"
expect_exit 2
expect_err_is "zr-renew: $tmp/empty: no case.facts (see zairyu-facts(5))"
run "$renew" --version
expect_out_is "zr-renew (zairyu-tools) 0.1.0"

# case.mk in one case folder: make runs zr-renew (review page, upload
# files, status) and the summary, then reruns only when an input changed.
mkcase mk
printf 'include %s\n' "$casemk" > "$tmp/mk/Makefile"
run make -C "$tmp/mk" ZR_BIN="$ZR_BIN" ZR_RENEW="$renew" ZR_TODAY=$today
expect_exit 0
for f in photo.jpg upload.pdf deadlines.ics letter.pdf review.html status.tsv; do
	[ -s "$tmp/mk/out/$f" ] && ok || nok "case.mk: out/$f missing"
done
[ -s "$tmp/mk/summary.tsv" ] && [ -s "$tmp/mk/index.html" ] && ok || nok "case.mk: no summary"
run make -C "$tmp/mk" -q ZR_BIN="$ZR_BIN" ZR_RENEW="$renew" ZR_TODAY=$today
expect_exit 0
touch "$tmp/mk/20-passport.jpg"
run make -C "$tmp/mk" -n ZR_BIN="$ZR_BIN" ZR_RENEW="$renew" ZR_TODAY=$today
expect_out_has "zr-renew -q --no-card --today $today --after-mail ./completion-mail.eml ."
expect_out_has "zr-renew --summary . ."
# zr-files: the upload files alone, tool by tool, per file.
mkcase mkf
printf 'include %s\n' "$casemk" > "$tmp/mkf/Makefile"
run make -C "$tmp/mkf" zr-files ZR_BIN="$ZR_BIN" ZR_TODAY=$today
expect_exit 0
for f in photo.jpg upload.pdf deadlines.ics letter.pdf; do
	[ -s "$tmp/mkf/out/$f" ] && ok || nok "case.mk zr-files: out/$f missing"
done
[ ! -e "$tmp/mkf/out/review.html" ] && ok || nok "zr-files ran zr-renew"
touch "$tmp/mkf/20-passport.jpg"
run make -C "$tmp/mkf" -n zr-files ZR_BIN="$ZR_BIN" ZR_TODAY=$today
expect_out_has "zr-pdfmerge"
expect_out_lacks "zr-photo"
expect_out_lacks "zr-letter"

# A batch of cases, in parallel (an HR officer's folder): one ready, one
# not yet open, one with a photo that is not one, one whose documents
# disagree.  make goes on past the broken cases; the summary has them all.
mkdir -p "$tmp/batch"
for n in a b c d; do
	mkcase "batch/$n"
	rm "$tmp/batch/$n/completion-mail.eml"
	sed -i "s/^name = .*/name = SAMPLE PERSON $n/" "$tmp/batch/$n/case.facts"
	rm "$tmp/batch/$n/passport.mrz"
done
sed -i 's/^stay_expiry = .*/stay_expiry = 2027-09-30/' "$tmp/batch/b/case.facts"
printf 'not a jpeg' > "$tmp/batch/c/photo.jpg"
printf 'name = SOMEONE ELSE\n' > "$tmp/batch/d/application.facts"
printf 'CASES := $(wildcard */case.facts)\ninclude %s\n' "$casemk" > "$tmp/batch/Makefile"
run make -C "$tmp/batch" -j2 ZR_BIN="$ZR_BIN" ZR_RENEW="$renew" ZR_TODAY=$today
expect_exit 0
for n in a b c d; do
	[ -s "$tmp/batch/$n/out/review.html" ] && ok || nok "batch $n: no review.html"
done
sum=$tmp/batch/summary.tsv
[ "$(wc -l < "$sum")" -eq 5 ] && ok || nok "summary: header and 4 cases"
expect_line() { grep -qF -- "$1" "$sum" && ok || nok "summary lacks: $1"; }
expect_line "$(printf 'case\tperson\tverdict\tstatus\tnext_deadline\tnext_what\tmissing\treview')"
expect_line "$(printf 'a\tSAMPLE PERSON A\tready\t0\t2027-01-30\tonline_last\tnothing\ta/out/review.html')"
expect_line "$(printf 'b\tSAMPLE PERSON B\tnot_yet_open\t4\t2027-09-29\tonline_last\tnothing\t')"
expect_line "$(printf '\terror\t2\t2027-01-30\tonline_last\toptions and files: c/photo.jpg: not a JPEG or PNG file')"
expect_line "$(printf 'd\tSAMPLE PERSON D\tproblem\t1\t2027-01-30\tonline_last\tnames and numbers: the documents disagree with d/case.facts')"
# The index links each review page, and they are there.
for n in a b c d; do
	grep -qF "<a href=\"$n/out/review.html\">review</a>" "$tmp/batch/index.html" && ok || nok "index: no link to $n"
done
grep -qF '<tr class="v-not_yet_open"><td>SAMPLE PERSON B</td>' "$tmp/batch/index.html" && ok || nok "index row of b"
# Up to date: nothing to do; one changed case reruns alone, then the summary.
run make -C "$tmp/batch" -q ZR_BIN="$ZR_BIN" ZR_RENEW="$renew" ZR_TODAY=$today
expect_exit 0
touch "$tmp/batch/b/20-passport.jpg"
run make -C "$tmp/batch" -n ZR_BIN="$ZR_BIN" ZR_RENEW="$renew" ZR_TODAY=$today
[ "$(grep -c 'zr-renew -q' "$out")" -eq 1 ] && ok || nok "more than the changed case rerun"
expect_out_has " b || "

# zr-renew --batch: the same verdicts without make.
run "$renew" --batch -j 2 --no-card --today $today "$tmp/batch"
expect_exit 0
expect_out_has "zr-renew: 4 cases: $tmp/batch/summary.tsv, $tmp/batch/index.html"
expect_err_has "$tmp/batch/c: zr-renew: $tmp/batch/c/photo.jpg: not a JPEG or PNG file"
cut -f3,4 "$sum" | tr '\t\n' ', ' > "$tmp/verdicts"
[ "$(cat "$tmp/verdicts")" = "verdict,status ready,0 not_yet_open,4 error,2 problem,1 " ] && ok || nok "batch verdicts: $(cat "$tmp/verdicts")"
grep -qF "<a href=\"a/out/review.html\">review</a>" "$tmp/batch/index.html" && ok || nok "--batch index links"
run "$renew" -q --batch "$tmp/batch"
expect_out_empty
# The common options in --batch (zairyu(7)): --json gives each case's
# object in the order of the cases, -o the summary's folder.
cp "$sum" "$tmp/sum.want"
run "$renew" --batch --json -v -o "$tmp/sumdir" --no-card --today $today "$tmp/batch"
expect_exit 0
[ "$(wc -l < "$out")" -eq 4 ] && ok || nok "--batch --json: not 4 objects"
expect_json_valid
sed 's/.*"case":"\([^"]*\)".*/\1/' "$out" | tr '\n' ' ' > "$tmp/order"
[ "$(cat "$tmp/order")" = "$tmp/batch/a $tmp/batch/b $tmp/batch/c $tmp/batch/d " ] && ok ||
    nok "--batch --json: cases $(cat "$tmp/order")"
expect_same_bytes "$tmp/sumdir/summary.tsv" "$tmp/sum.want"
[ -s "$tmp/sumdir/index.html" ] && ok || nok "--batch -o: no index.html"
run "$renew" --batch --after-mail "$tmp/x.eml" "$tmp/batch"
expect_exit 2
expect_err_has "--after-mail is per case"
run "$renew" --batch "$tmp/nowhere"
expect_exit 2
expect_err_is "zr-renew: $tmp/nowhere: not a folder"
run "$renew" --batch -j x "$tmp/batch"
expect_exit 2
# The same inputs give the same bytes.
expect_same_bytes "$tmp/batch/a/out/upload.pdf" "$tmp/good/out/upload.pdf"
expect_same_bytes "$tmp/batch/a/out/photo.jpg" "$tmp/good/out/photo.jpg"

# No output is an input (issue 12): -o naming the case folder would write
# its photo.jpg over the case's own photo.jpg (and the failure path used
# to remove it): refused before anything is written or removed.
mkcase same
( cd "$tmp/same" && find . -type f | sort | xargs md5sum ) > "$tmp/same.md5"
run "$renew" --today $today --no-card -o "$tmp/same" "$tmp/same"
expect_exit 2
expect_err_is "zr-renew: $tmp/same/photo.jpg: output would overwrite the input $tmp/same/photo.jpg"
( cd "$tmp/same" && find . -type f | sort | xargs md5sum ) | cmp -s - "$tmp/same.md5" && ok || nok "-o case_dir changed the case folder"
for f in upload.pdf review.html status.tsv deadlines.ics; do
	expect_no_file "$tmp/same/$f"
done
run "$renew" --json --today $today --no-card -o "$tmp/same" "$tmp/same"
expect_exit 2
expect_out_is '{"tool":"zr-renew","version":"0.1.0","status":"error","problems":[{"code":"same_file","message":"'"$tmp/same/photo.jpg: output would overwrite the input $tmp/same/photo.jpg"'"}],"notes":[]}'
# An output folder whose files link to the inputs (a symbolic link, a hard
# link): refused, the inputs keep their bytes and their names.
for how in -s ""; do
	rm -rf "$tmp/o"
	mkdir "$tmp/o"
	# shellcheck disable=SC2086
	ln $how "$tmp/same/10-application.jpg" "$tmp/o/upload.pdf"
	run "$renew" --today $today --no-card -o "$tmp/o" "$tmp/same"
	expect_exit 2
	expect_err_is "zr-renew: $tmp/o/upload.pdf: output would overwrite the input $tmp/same/10-application.jpg"
	cmp -s "$tmp/same/10-application.jpg" examples/sample/10-application.jpg && ok || nok "input changed through $tmp/o/upload.pdf"
	[ -e "$tmp/o/upload.pdf" ] && ok || nok "the link to the input was removed"
done
ln -s "$tmp/same/case.facts" "$tmp/o/review.html"
run "$renew" --today $today --no-card --after-mail "$tmp/same/completion-mail.eml" -o "$tmp/o" "$tmp/same"
expect_exit 2
expect_err_has "output would overwrite the input"
# Standard output that is an input file: not a byte goes there.
for j in "" --json; do
	cp "$tmp/same/case.facts" "$tmp/before"
	t_cmd="zr-renew $j same >> same/case.facts"
	# shellcheck disable=SC2086
	"$renew" $j --today $today --no-card "$tmp/same" >> "$tmp/same/case.facts" 2>"$err"
	rc=$?
	expect_exit 2
	cmp -s "$tmp/same/case.facts" "$tmp/before" && ok || nok "zr-renew $j wrote into case.facts through standard output"
	expect_err_is "zr-renew: $tmp/same/case.facts: standard output is this input file"
done
( cd "$tmp/same" && find . -type f | sort | xargs md5sum ) | cmp -s - "$tmp/same.md5" && ok || nok "the case folder changed"
# A separate output folder still works.
run "$renew" -q --today $today --no-card -o "$tmp/o2" "$tmp/same"
expect_exit 0
[ -s "$tmp/o2/photo.jpg" ] && [ -s "$tmp/o2/upload.pdf" ] && ok || nok "-o elsewhere"
