# No tool ever writes over one of its inputs (zairyu(7)): -o (and every
# other output option) naming any file the tool reads, by that name or
# through a hard link, is refused with exit 2, and the input keeps its bytes.
# The check is one registry of inputs by inode in lib/core/io.c.
. tests/cli/lib.sh

S=examples/sample
T=2026-11-23

# refuse INPUT CMD ARGS...: the run exits 2, says so, and INPUT is unchanged
# (nor is a temporary left beside it).
refuse() {
	f=$1
	shift
	cp "$f" "$tmp/before"
	run "$@"
	if [ "$rc" -eq 2 ] && grep -q "overwrite\|is this input" "$err" &&
	    cmp -s "$f" "$tmp/before"; then
		ok
	else
		nok "$(basename "$1") wrote over or did not refuse $f"
	fi
	ls -a "$(dirname "$f")" | grep -q '^\.zr-tmp' && nok "temporary left beside $f" || ok
}

cp $S/case.facts "$tmp/case.facts"
ln "$tmp/case.facts" "$tmp/case-link.facts"
cp $S/passport.mrz "$tmp/passport.mrz"
cp $S/photo.jpg "$tmp/photo.jpg"
cp $S/10-application.jpg "$tmp/10.jpg"
cp $S/completion-mail.eml "$tmp/mail.eml"
printf 'name,expiry,period,applied\nA,2026-12-01,1y,\n' > "$tmp/roster.csv"
printf '%s\n' "$tmp/10.jpg" > "$tmp/list.txt"
printf 'name = SAMPLE TARO JOHN\nbirth_date = 1990-04-01\n' > "$tmp/passport.facts"

# zr-deadline: --facts, --roster, in every format.
for fmt in "" --json --tsv --ics; do
	# shellcheck disable=SC2086
	refuse "$tmp/case.facts" zr-deadline $fmt --facts "$tmp/case.facts" --today $T -o "$tmp/case.facts"
	# shellcheck disable=SC2086
	refuse "$tmp/case.facts" zr-deadline $fmt --facts "$tmp/case.facts" --today $T -o "$tmp/case-link.facts"
	# shellcheck disable=SC2086
	refuse "$tmp/roster.csv" zr-deadline $fmt --roster "$tmp/roster.csv" --today $T -o "$tmp/roster.csv"
done
refuse "$tmp/case.facts" zr-deadline --get stage --facts "$tmp/case.facts" --today $T -o "$tmp/case.facts"
# zr-namecheck: --facts, --mrz, --agree files, --get.
refuse "$tmp/case.facts" zr-namecheck --facts "$tmp/case.facts" --form -o "$tmp/case.facts"
refuse "$tmp/case.facts" zr-namecheck --facts "$tmp/case.facts" "SAMPLE TARO JOHN" -o "$tmp/case-link.facts"
refuse "$tmp/passport.mrz" zr-namecheck --facts "$tmp/case.facts" --today $T --mrz "$tmp/passport.mrz" -o "$tmp/passport.mrz"
refuse "$tmp/case.facts" zr-namecheck --facts "$tmp/case.facts" --today $T --mrz "$tmp/passport.mrz" -o "$tmp/case.facts"
refuse "$tmp/passport.facts" zr-namecheck --agree "$tmp/case.facts" "$tmp/passport.facts" -o "$tmp/passport.facts"
refuse "$tmp/case.facts" zr-namecheck --facts "$tmp/case.facts" --get name -o "$tmp/case.facts"
# zr-photo: the picture, converting and checking.
refuse "$tmp/photo.jpg" zr-photo --today $T "$tmp/photo.jpg" -o "$tmp/photo.jpg"
refuse "$tmp/photo.jpg" zr-photo --json --today $T "$tmp/photo.jpg" -o "$tmp/photo.jpg"
# zr-pdfmerge: an input file, the --list file (issue 12), --preview's PDF.
refuse "$tmp/10.jpg" zr-pdfmerge --rules-date $T -o "$tmp/10.jpg" "$tmp/10.jpg"
refuse "$tmp/list.txt" zr-pdfmerge --rules-date $T --list "$tmp/list.txt" -o "$tmp/list.txt"
refuse "$tmp/10.jpg" zr-pdfmerge --rules-date $T --list "$tmp/list.txt" -o "$tmp/10.jpg"
# zr-letter: --facts, --mail, --font, in every format.
for fmt in "" --text --json; do
	# shellcheck disable=SC2086
	refuse "$tmp/case.facts" zr-letter $fmt --facts "$tmp/case.facts" --mail "$tmp/mail.eml" --rules-date $T -o "$tmp/case.facts"
	# shellcheck disable=SC2086
	refuse "$tmp/mail.eml" zr-letter $fmt --facts "$tmp/case.facts" --mail "$tmp/mail.eml" --rules-date $T -o "$tmp/mail.eml"
done
font=/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf
if [ -f "$font" ]; then
	cp "$font" "$tmp/font.ttf"
	refuse "$tmp/font.ttf" zr-letter --font "$tmp/font.ttf" --facts "$tmp/case.facts" --mail "$tmp/mail.eml" --rules-date $T -o "$tmp/font.ttf"
fi
# zr-cardtest: its --facts file, as -o and as --write-facts (issue 12).
refuse "$tmp/case.facts" zr-cardtest --residence-card --facts "$tmp/case.facts" -o "$tmp/case.facts"
refuse "$tmp/case.facts" zr-cardtest --residence-card --facts "$tmp/case.facts" --write-facts "$tmp/case-link.facts"
# Standard output that is an input file.
t_cmd="zr-deadline --facts case.facts > case.facts (opened for append)"
cp "$tmp/case.facts" "$tmp/before"
zr-deadline --facts "$tmp/case.facts" --today $T >> "$tmp/case.facts" 2>"$err"
rc=$?
[ "$rc" -eq 2 ] && cmp -s "$tmp/case.facts" "$tmp/before" && ok || nok "stdout appended to its input"
# A different file is fine.
run zr-deadline --facts "$tmp/case.facts" --today $T -o "$tmp/other.txt"
expect_exit 0
