# End-to-end: zr-renew over a case folder, case.mk, and broken cases caught
# by the right step.
. tests/cli/lib.sh

ZR_BUILD=${ZR_BUILD:-build}
case $ZR_BUILD in /*) ;; *) ZR_BUILD=$(pwd)/$ZR_BUILD ;; esac
renew=$(pwd)/scripts/zr-renew
casemk=$(pwd)/scripts/case.mk
today=2026-11-23
export ZR_BIN

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
expect_out_has "ready to upload:"
for f in photo.jpg upload.pdf deadlines.ics letter.pdf; do
	[ -s "$tmp/good/out/$f" ] && ok || nok "out/$f missing"
done
qpdf --check "$tmp/good/out/upload.pdf" >/dev/null 2>&1 && ok || nok "upload.pdf fails qpdf --check"
[ "$(pdfinfo "$tmp/good/out/upload.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')" = 3 ] && ok || nok "3 pages"
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

# A past expiry: step 1 stops it.
mkcase late
sed -i 's/^stay_expiry = .*/stay_expiry = 2026-10-01/' "$tmp/late/case.facts"
run "$renew" --today $today --no-card "$tmp/late"
expect_exit 1
expect_err_has "zr-renew: step 1 (deadlines): expired: the period of stay ended 2026-10-01"
[ ! -e "$tmp/late/out/upload.pdf" ] && ok || nok "went on after step 1"

# A name that differs between documents: step 2.
mkcase name
printf 'name = SAMPLE TARO\nbirth_date = 1990-04-01\n' > "$tmp/name/application.facts"
run "$renew" --today $today --no-card "$tmp/name"
expect_exit 1
expect_err_has "zr-renew: step 2 (names): the documents disagree with $tmp/name/case.facts"
expect_out_has "application.facts:1: name \"SAMPLE TARO\" differs from"
[ ! -e "$tmp/name/out/photo.jpg" ] && ok || nok "went on after step 2"

# A photo that is not a photo: step 3.
mkcase photo
printf 'not a jpeg' > "$tmp/photo/photo.jpg"
run "$renew" --today $today --no-card "$tmp/photo"
expect_exit 2
expect_err_has "step 3 (photo)"

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

# case.mk in one case folder: make builds out/, then rebuilds only what
# changed.
mkcase mk
printf 'include %s\n' "$casemk" > "$tmp/mk/Makefile"
run make -C "$tmp/mk" ZR_BIN="$ZR_BIN" ZR_TODAY=$today
expect_exit 0
for f in photo.jpg upload.pdf deadlines.ics letter.pdf; do
	[ -s "$tmp/mk/out/$f" ] && ok || nok "case.mk: out/$f missing"
done
run make -C "$tmp/mk" -q ZR_BIN="$ZR_BIN" ZR_TODAY=$today
expect_exit 0
touch "$tmp/mk/20-passport.jpg"
run make -C "$tmp/mk" -n ZR_BIN="$ZR_BIN" ZR_TODAY=$today
expect_out_has "zr-pdfmerge"
expect_out_lacks "zr-photo"
expect_out_lacks "zr-letter"

# case.mk over a folder of cases, in parallel (an HR batch).
mkdir -p "$tmp/batch"
for n in a b c; do
	mkcase "batch/$n"
done
printf 'CASES := $(wildcard */case.facts)\ninclude %s\n' "$casemk" > "$tmp/batch/Makefile"
run make -C "$tmp/batch" -j2 ZR_BIN="$ZR_BIN" ZR_TODAY=$today
expect_exit 0
for n in a b c; do
	[ -s "$tmp/batch/$n/out/upload.pdf" ] && ok || nok "batch $n: no upload.pdf"
done
# The same inputs give the same bytes.
expect_same_bytes "$tmp/batch/a/out/upload.pdf" "$tmp/batch/b/out/upload.pdf"
expect_same_bytes "$tmp/batch/a/out/photo.jpg" "$tmp/good/out/photo.jpg"
