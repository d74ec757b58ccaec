# make check-corpus: every PDF under $ZR_CORPUS (any folder of real-world
# files, searched recursively) merges under a budget and passes qpdf --check,
# or fails with one line and no output; --check never crashes.
. tests/cli/lib.sh

R="--rules-date 2026-02-01"
C=${ZR_CORPUS:?set ZR_CORPUS to a folder of real-world files}
size() { wc -c < "$1" | tr -d ' '; }

find "$C" -type f \( -iname '*.pdf' \) | LC_ALL=C sort > "$tmp/list"
[ -s "$tmp/list" ] || { echo "pdfmerge corpus: no PDF under $C"; exit 0; }
while IFS= read -r f; do
	run zr-pdfmerge $R -q --max-size 300k -o "$tmp/c.pdf" "$f"
	case $rc in
	0) qpdf --check "$tmp/c.pdf" >/dev/null 2>&1 && ok || nok "$f: qpdf --check fails"
	   [ "$(size "$tmp/c.pdf")" -le 300000 ] && ok || nok "$f over budget" ;;
	# Warnings (damage repaired, shown even with -q) may come first; the
	# reason it stopped is one line.
	1|2) [ "$(grep -vc ': warning: ' "$err")" -eq 1 ] && ok || nok "$f: not one line"
	   expect_no_file "$tmp/c.pdf" ;;
	*) nok "$f: exit $rc" ;;
	esac
	rm -f "$tmp/c.pdf"
	run zr-pdfmerge -c $R "$f"
	[ "$rc" -le 2 ] && ok || nok "$f: --check exit $rc"
done < "$tmp/list"
