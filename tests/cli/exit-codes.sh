# Exit statuses only through the named constants (issue 12, zairyu(7)):
# no tool's source returns or exits with a bare status number, and the
# statuses the check modes give are the documented ones.
. tests/cli/lib.sh

S=examples/sample
T=2026-11-23

# A bare status: "return 2;", "return x ? 1 : 0;", "exit(1)" (0 and -1
# alone, and 1 alone, are also the helpers' own success, failure and
# truth values: not looked for).
t_cmd="grep for bare exit statuses in cmd/"
grep -nE 'return [2-9][0-9]*;|return [^;]*\? *[0-9]+ *: *[0-9]+ *;|[^_a-z]exit\( *[0-9]+ *\)' \
    cmd/*.c cmd/*/*.c > "$out" 2>/dev/null
[ ! -s "$out" ] && ok || nok "bare exit statuses: $(tr '\n' ' ' < "$out")"

# The check modes: 0 when every check passed, 1 for a problem.
run zr-pdfmerge -q -c --rules-date $T $S/30-employment.pdf
expect_exit 0
run zr-pdfmerge -q -c --rules-date $T $S/10-application.jpg
expect_exit 1
run zr-pdfmerge -q -c --rules-date $T "$tmp/none.pdf"
expect_exit 2
run zr-photo -q --check --today $T $S/photo.jpg
expect_exit 1
run zr-photo -q --today $T $S/photo.jpg -o "$tmp/p.jpg"
expect_exit 0
run zr-photo -q --check --today $T "$tmp/p.jpg"
expect_exit 0
run zr-photo --check --get bytes --today $T "$tmp/p.jpg"
expect_exit 0
