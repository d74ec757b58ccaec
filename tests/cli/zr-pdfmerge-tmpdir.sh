# zr-pdfmerge's scratch files (each scan's page spilled to disk, the output
# before it is renamed, the self-check copy) go to $TMPDIR, else /tmp, and
# are unlinked at once (issue 14: a tmpfs /tmp counts as memory).
. tests/cli/lib.sh

S=examples/sample
set -- $S/10-application.jpg $S/20-passport.jpg $S/30-employment.pdf

# A fresh folder: the merge works, the same bytes as with the default, and
# nothing is left in the folder.
mkdir "$tmp/scratch"
run env TMPDIR="$tmp/scratch" zr-pdfmerge -q --rules-date 2026-11-23 -o "$tmp/a.pdf" "$@"
expect_exit 0
expect_err_empty
qpdf --check "$tmp/a.pdf" >/dev/null 2>&1 && ok || nok "qpdf --check failed"
[ -z "$(ls -A "$tmp/scratch")" ] && ok || nok "scratch files left in TMPDIR: $(ls -A "$tmp/scratch")"
run env -u TMPDIR zr-pdfmerge -q --rules-date 2026-11-23 -o "$tmp/b.pdf" "$@"
expect_exit 0
expect_same_bytes "$tmp/a.pdf" "$tmp/b.pdf"
# An empty TMPDIR is /tmp.
run env TMPDIR= zr-pdfmerge -q --rules-date 2026-11-23 -o "$tmp/c.pdf" "$@"
expect_exit 0
expect_same_bytes "$tmp/a.pdf" "$tmp/c.pdf"
# Under a budget, with a scan alone (the pages spilled one by one).
run env TMPDIR="$tmp/scratch" zr-pdfmerge -q --rules-date 2026-11-23 --max-size 300k -o "$tmp/d.pdf" $S/10-application.jpg $S/20-passport.jpg
expect_exit 0
[ -z "$(ls -A "$tmp/scratch")" ] && ok || nok "scratch files left under a budget"

# A missing folder, a file for a folder, a folder we cannot write: exit 2,
# one line naming the folder, no output and no temporary beside it.
for d in "$tmp/nowhere" "$tmp/a.pdf"; do
	run env TMPDIR="$d" zr-pdfmerge --rules-date 2026-11-23 -o "$tmp/x.pdf" "$@"
	expect_exit 2
	expect_out_empty
	[ "$(wc -l < "$err")" -eq 1 ] && ok || nok "TMPDIR=$d: not one line"
	expect_err_has "zr-pdfmerge: $d: cannot make a temporary file: "
	expect_no_file "$tmp/x.pdf"
done
run env TMPDIR="$tmp/nowhere" zr-pdfmerge --rules-date 2026-11-23 -o - $S/20-passport.jpg
expect_exit 2
expect_out_empty
expect_err_is "zr-pdfmerge: $tmp/nowhere: cannot make a temporary file: No such file or directory"
mkdir "$tmp/ro"
chmod 555 "$tmp/ro"
if [ -w "$tmp/ro" ]; then
	: # root writes anyway: nothing to test here
else
	run env TMPDIR="$tmp/ro" zr-pdfmerge --rules-date 2026-11-23 -o "$tmp/x.pdf" "$@"
	expect_exit 2
	expect_err_is "zr-pdfmerge: $tmp/ro: cannot make a temporary file: Permission denied"
	expect_no_file "$tmp/x.pdf"
fi
chmod 755 "$tmp/ro"
