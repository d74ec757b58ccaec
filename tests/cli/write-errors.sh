# A write error is reported once (issue 12): every tool and mode that
# prints to standard output, run with standard output on /dev/full (a full
# disk), exits 2 with exactly one "write error" line on stderr, and that
# line names the output, <stdout> (zairyu(7)).
. tests/cli/lib.sh

S=examples/sample
T=2026-11-23

# full CMD ARGS...: the run into /dev/full.
full() {
	t_cmd="$* > /dev/full"
	"$@" >/dev/full 2>"$err" </dev/null
	rc=$?
	: > "$out"
	n=$(grep -c 'write error' "$err")
	if [ "$rc" -eq 2 ] && [ "$n" -eq 1 ] &&
	    grep -q "^$1: <stdout>: write error" "$err"; then
		ok
	else
		nok "expected exit 2 and one <stdout> write error line, got $n"
	fi
}

run zr-pdfmerge --rules-date $T -o "$tmp/up.pdf" $S/10-application.jpg
expect_exit 0
for t in zr-deadline zr-namecheck zr-photo zr-pdfmerge zr-letter zr-cardtest; do
	full $t --help
	full $t --version
done
for fmt in "" --json --tsv --ics "--get stage,next"; do
	# shellcheck disable=SC2086
	full zr-deadline $fmt --facts $S/case.facts --today $T
done
full zr-deadline holidays 2026
for j in "" --json; do
	full zr-namecheck $j --facts $S/case.facts --form
	full zr-namecheck $j --facts $S/case.facts --get name
	full zr-photo $j --check --today $T $S/photo.jpg
	full zr-pdfmerge $j -c --rules-date $T "$tmp/up.pdf" $S/photo.jpg
	full zr-pdfmerge $j --preview "$tmp/pv" "$tmp/up.pdf"
	full zr-pdfmerge $j --rules-date $T -o "$tmp/m.pdf" $S/10-application.jpg
	full zr-cardtest $j
done
# (Quiet on success without --json: these print only their object.)
full zr-namecheck --json --card-number AB12345678CD
full zr-photo --json --today $T $S/photo.jpg -o "$tmp/p.jpg"
full zr-photo --check --get gps $S/photo.jpg
full zr-photo --today $T $S/photo.jpg -o -
full zr-pdfmerge --rules-date $T -o - $S/10-application.jpg
full zr-pdfmerge --preview "$tmp/pv" --get page,file "$tmp/up.pdf"
# zr-letter: the kit as PDF, text and JSON (it named <stdin> first, then
# <stdout> again).
for fmt in "" --text --json; do
	# shellcheck disable=SC2086
	full zr-letter $fmt --facts $S/case.facts --mail $S/completion-mail.eml --rules-date $T
done
