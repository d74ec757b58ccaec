# No tool ever writes over one of its inputs (zairyu(7), issue 12): -o (and
# every other output option) naming any file the tool reads, by that name,
# a hard link or a symbolic link, is refused with exit 2, and the input
# keeps its bytes; so is standard output when it is an input file (">>
# INPUT"): then not a byte goes there, not even the --json error object.
# Every tool, every input option.  The check is one registry of inputs by
# inode in lib/core/io.c (zr_input_note(), zr_input_guard_stdout()).
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

# refuse_stdout INPUT CMD ARGS...: the same with standard output appended
# to INPUT (and to a symbolic link to it): exit 2, one line on stderr
# naming the input, INPUT unchanged to the byte.
refuse_stdout() {
	f=$1
	shift
	rm -f "$tmp/sym"
	ln -s "$f" "$tmp/sym"
	for to in "$f" "$tmp/sym"; do
		cp "$f" "$tmp/before"
		t_cmd="$* >> $to"
		"$@" >> "$to" 2>"$err" </dev/null
		rc=$?
		: > "$out"
		if [ "$rc" -eq 2 ] && cmp -s "$f" "$tmp/before" &&
		    [ "$(wc -l < "$err")" -eq 1 ] &&
		    grep -q "standard output is this input file" "$err"; then
			ok
		else
			cp "$f" "$out"
			nok "$(basename "$1") wrote into $f through standard output or did not say so once"
			cp "$tmp/before" "$f"
		fi
	done
}

# every_way INPUT CMD ARGS...: -o INPUT, -o a hard link to it, -o a
# symbolic link to it, then standard output (no -o) appended to it.
every_way() {
	f=$1
	shift
	rm -f "$tmp/hard" "$tmp/soft"
	ln "$f" "$tmp/hard"
	ln -s "$f" "$tmp/soft"
	refuse "$f" "$@" -o "$f"
	refuse "$f" "$@" -o "$tmp/hard"
	refuse "$f" "$@" -o "$tmp/soft"
	refuse_stdout "$f" "$@"
	rm -f "$tmp/hard" "$tmp/soft"
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
for fmt in "" --json --tsv --ics "--get stage"; do
	# shellcheck disable=SC2086
	every_way "$tmp/case.facts" zr-deadline $fmt --facts "$tmp/case.facts" --today $T
	# shellcheck disable=SC2086
	refuse "$tmp/case.facts" zr-deadline $fmt --facts "$tmp/case.facts" --today $T -o "$tmp/case-link.facts"
done
for fmt in "" --json --tsv --ics; do
	# shellcheck disable=SC2086
	every_way "$tmp/roster.csv" zr-deadline $fmt --roster "$tmp/roster.csv" --today $T
done
# zr-namecheck: --facts, --mrz, --agree files, --get.
for j in "" --json; do
	every_way "$tmp/case.facts" zr-namecheck $j --facts "$tmp/case.facts" --form
	every_way "$tmp/case.facts" zr-namecheck $j --facts "$tmp/case.facts" "SAMPLE TARO JOHN"
	every_way "$tmp/passport.mrz" zr-namecheck $j --facts "$tmp/case.facts" --today $T --mrz "$tmp/passport.mrz"
	every_way "$tmp/case.facts" zr-namecheck $j --facts "$tmp/case.facts" --today $T --mrz "$tmp/passport.mrz"
	every_way "$tmp/passport.facts" zr-namecheck $j --agree "$tmp/case.facts" "$tmp/passport.facts"
	every_way "$tmp/case.facts" zr-namecheck $j --agree "$tmp/case.facts" "$tmp/passport.facts"
	every_way "$tmp/case.facts" zr-namecheck $j --facts "$tmp/case.facts" --get name
done
# zr-photo: the picture, converting (the JPEG on standard output without
# -o) and checking; --preview's PNG is an output too.
every_way "$tmp/photo.jpg" zr-photo --today $T "$tmp/photo.jpg"
# (--json puts the object on standard output: the JPEG needs -o.)
for o in "$tmp/photo.jpg" "$tmp/hard" "$tmp/soft"; do
	rm -f "$tmp/hard" "$tmp/soft"
	ln "$tmp/photo.jpg" "$tmp/hard"
	ln -s "$tmp/photo.jpg" "$tmp/soft"
	refuse "$tmp/photo.jpg" zr-photo --json --today $T "$tmp/photo.jpg" -o "$o"
done
refuse_stdout "$tmp/photo.jpg" zr-photo --json --today $T "$tmp/photo.jpg" -o "$tmp/conv.jpg"
refuse "$tmp/photo.jpg" zr-photo --today $T --preview "$tmp/photo.jpg" "$tmp/photo.jpg" -o "$tmp/conv.jpg"
expect_no_file "$tmp/conv.jpg"
every_way "$tmp/photo.jpg" zr-photo --check --today $T "$tmp/photo.jpg"
every_way "$tmp/photo.jpg" zr-photo --check --json --today $T "$tmp/photo.jpg"
every_way "$tmp/photo.jpg" zr-photo --check --get gps "$tmp/photo.jpg"
# zr-pdfmerge: an input file, the --list file (issue 12), a file the list
# names, the --password-fd file; -c and --preview print to stdout or -o.
refuse "$tmp/10.jpg" zr-pdfmerge --rules-date $T -o "$tmp/10.jpg" "$tmp/10.jpg"
ln -s "$tmp/10.jpg" "$tmp/10-sym.jpg"
refuse "$tmp/10.jpg" zr-pdfmerge --rules-date $T -o "$tmp/10-sym.jpg" "$tmp/10.jpg"
refuse_stdout "$tmp/10.jpg" zr-pdfmerge --rules-date $T -o - "$tmp/10.jpg"
refuse "$tmp/list.txt" zr-pdfmerge --rules-date $T --list "$tmp/list.txt" -o "$tmp/list.txt"
refuse_stdout "$tmp/list.txt" zr-pdfmerge --rules-date $T --list "$tmp/list.txt" -o -
refuse "$tmp/10.jpg" zr-pdfmerge --rules-date $T --list "$tmp/list.txt" -o "$tmp/10.jpg"
refuse_stdout "$tmp/10.jpg" zr-pdfmerge --rules-date $T --list "$tmp/list.txt" -o -
for j in "" --json; do
	every_way "$tmp/10.jpg" zr-pdfmerge $j -c --rules-date $T "$tmp/10.jpg"
	every_way "$tmp/10.jpg" zr-pdfmerge $j -c --rules-date $T "$tmp/photo.jpg" "$tmp/10.jpg"
done
run zr-pdfmerge --rules-date $T -o "$tmp/up.pdf" "$tmp/10.jpg"
expect_exit 0
every_way "$tmp/up.pdf" zr-pdfmerge --preview "$tmp/pv" --get page "$tmp/up.pdf"
every_way "$tmp/up.pdf" zr-pdfmerge --preview "$tmp/pv" --json "$tmp/up.pdf"
# The page PNGs of --preview never replace an input either (here a hard
# link to the PDF where the first page's PNG goes).
mkdir -p "$tmp/pv2"
run zr-pdfmerge --preview "$tmp/pv2" --get file "$tmp/up.pdf"
expect_exit 0
png=$(head -n 1 "$out")
if [ -n "$png" ] && [ -f "$png" ]; then
	rm -f "$png"
	ln "$tmp/up.pdf" "$png"
	refuse "$tmp/up.pdf" zr-pdfmerge --preview "$tmp/pv2" --get file "$tmp/up.pdf"
else
	nok "no preview file to try"
fi
printf 'openpassword\n' > "$tmp/pw"
t_cmd="zr-pdfmerge --password-fd 3 -o pw 3<pw"
cp "$tmp/pw" "$tmp/before"
zr-pdfmerge --rules-date $T --password-fd 3 -o "$tmp/pw" "$tmp/10.jpg" 3<"$tmp/pw" >"$out" 2>"$err"
rc=$?
[ "$rc" -eq 2 ] && cmp -s "$tmp/pw" "$tmp/before" && grep -q "overwrite the input --password-fd 3" "$err" && ok || nok "-o over the --password-fd file"
for mode in "-c --rules-date $T" "--preview $tmp/pv --get page" "-o - --rules-date $T"; do
	t_cmd="zr-pdfmerge --password-fd 3 $mode >> pw 3<pw"
	# shellcheck disable=SC2086
	zr-pdfmerge --password-fd 3 $mode "$tmp/up.pdf" 3<"$tmp/pw" >>"$tmp/pw" 2>"$err"
	rc=$?
	[ "$rc" -eq 2 ] && cmp -s "$tmp/pw" "$tmp/before" && grep -q "standard output is this input file" "$err" && ok || nok "stdout into the --password-fd file"
	cp "$tmp/before" "$tmp/pw"
done
# zr-letter: --facts, --mail, --font, in every format.
for fmt in "" --text --json; do
	# shellcheck disable=SC2086
	every_way "$tmp/case.facts" zr-letter $fmt --facts "$tmp/case.facts" --mail "$tmp/mail.eml" --rules-date $T
	# shellcheck disable=SC2086
	every_way "$tmp/mail.eml" zr-letter $fmt --facts "$tmp/case.facts" --mail "$tmp/mail.eml" --rules-date $T
done
font=/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf
if [ -f "$font" ]; then
	cp "$font" "$tmp/font.ttf"
	every_way "$tmp/font.ttf" zr-letter --font "$tmp/font.ttf" --facts "$tmp/case.facts" --mail "$tmp/mail.eml" --rules-date $T
fi
# zr-cardtest: its --ca-file / --ca file (read by OpenSSL's side only when
# a card answers, so registered up front), its --facts file, as -o, as
# --write-facts and as standard output, and the --password-fd file.
cp $S/case.facts "$tmp/ca.pem"
for j in "" --json; do
	every_way "$tmp/ca.pem" zr-cardtest $j --ca-file "$tmp/ca.pem"
	every_way "$tmp/ca.pem" zr-cardtest $j --residence-card --card-number AB12345678CD --ca "$tmp/ca.pem"
	every_way "$tmp/case.facts" zr-cardtest $j --residence-card --facts "$tmp/case.facts"
done
refuse "$tmp/case.facts" zr-cardtest --residence-card --facts "$tmp/case.facts" --write-facts "$tmp/case-link.facts"
refuse "$tmp/ca.pem" zr-cardtest --residence-card --card-number AB12345678CD --ca "$tmp/ca.pem" --write-facts "$tmp/ca.pem"
printf 'ABC123\n' > "$tmp/pw"
cp "$tmp/pw" "$tmp/before"
t_cmd="zr-cardtest --sign-password --password-fd 3 -o pw 3<pw"
zr-cardtest --sign-password --password-fd 3 -o "$tmp/pw" 3<"$tmp/pw" >"$out" 2>"$err"
rc=$?
[ "$rc" -eq 2 ] && cmp -s "$tmp/pw" "$tmp/before" && grep -q "overwrite the input --password-fd 3" "$err" && ok || nok "-o over the --password-fd file"
t_cmd="zr-cardtest --sign-password --password-fd 3 >> pw 3<pw"
zr-cardtest --json --sign-password --password-fd 3 3<"$tmp/pw" >>"$tmp/pw" 2>"$err"
rc=$?
[ "$rc" -eq 2 ] && cmp -s "$tmp/pw" "$tmp/before" && grep -q "standard output is this input file" "$err" && ok || nok "stdout into the --password-fd file"
# Standard input read as "-" is an input too when it is a file.
stdin_refused() { # INPUT what CMD ARGS... (stdin from INPUT)
	f=$1 what=$2
	shift 2
	cp "$f" "$tmp/before"
	t_cmd="$* < $f ($what)"
	if [ "$what" = stdout ]; then
		"$@" <"$f" >>"$f" 2>"$err"
	else
		"$@" <"$f" >"$out" 2>"$err"
	fi
	rc=$?
	[ "$rc" -eq 2 ] && cmp -s "$f" "$tmp/before" && grep -q "^[a-z-]*: .*<stdin>" "$err" && ok || nok "wrote over its standard input"
}
stdin_refused "$tmp/case.facts" stdout zr-namecheck --facts - --get name
stdin_refused "$tmp/case.facts" stdout zr-deadline --json --facts - --today $T
stdin_refused "$tmp/case.facts" -o zr-deadline --facts - --today $T -o "$tmp/case.facts"
stdin_refused "$tmp/photo.jpg" stdout zr-photo --check --today $T -
stdin_refused "$tmp/photo.jpg" -o zr-photo --today $T - -o "$tmp/photo.jpg"
stdin_refused "$tmp/10.jpg" -o zr-pdfmerge --rules-date $T -o "$tmp/10.jpg" -
# From a pipe it is not a file: fine.
t_cmd="cat case.facts | zr-namecheck --facts - --get name"
cat "$tmp/case.facts" | zr-namecheck --facts - --get name >"$out" 2>"$err"
rc=$?
expect_exit 0
expect_out_is "SAMPLE TARO JOHN"
# A usage error with --json when standard output is a file the command
# names: the error object does not go into it either.
cp "$tmp/case.facts" "$tmp/before"
t_cmd="zr-deadline --json --no-such-option --facts case.facts >> case.facts"
zr-deadline --json --no-such-option --facts "$tmp/case.facts" >> "$tmp/case.facts" 2>"$err"
rc=$?
[ "$rc" -eq 2 ] && cmp -s "$tmp/case.facts" "$tmp/before" && ok || nok "usage error object appended to a named input"
# A different file is fine.
run zr-deadline --facts "$tmp/case.facts" --today $T -o "$tmp/other.txt"
expect_exit 0
