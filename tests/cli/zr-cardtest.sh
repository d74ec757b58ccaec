# zr-cardtest: what needs no card service (the card itself: tests/card/run.sh).
. tests/cli/lib.sh

run zr-cardtest -h
expect_exit 0
expect_out_has 'usage: zr-cardtest [-qv] [--json] [-o file] [-r reader] [--wait[=seconds]]'
expect_out_has 'zr-cardtest --list-readers [--json]'
expect_err_empty
run zr-cardtest --version
expect_exit 0
expect_out_is 'zr-cardtest (zairyu-tools) 0.1.0'

# Usage errors: one line of reason, the usage, exit 2, nothing asked.
run zr-cardtest extra
expect_exit 2
expect_err_has 'zr-cardtest: unexpected argument: extra'
expect_err_has 'usage: zr-cardtest'
run zr-cardtest --sign-password --auth-pin
expect_exit 2
expect_err_has 'zr-cardtest: --sign-password and --auth-pin: test one credential at a time'
run zr-cardtest --password-fd 0
expect_exit 2
expect_err_has 'zr-cardtest: --password-fd goes with --sign-password or --auth-pin'
run zr-cardtest --sign-password --password-fd 9
expect_exit 2
expect_err_has 'zr-cardtest: --password-fd: 9 is not open'
run zr-cardtest --sign-password --password-fd x
expect_exit 2
expect_err_has 'zr-cardtest: --password-fd: not a file descriptor: x'
run zr-cardtest --force
expect_exit 2
expect_err_has 'zr-cardtest: --force goes with --sign-password or --auth-pin'
run zr-cardtest --list-readers --auth-pin
expect_exit 2
expect_err_has 'zr-cardtest: --list-readers tests no credential'
run zr-cardtest --wait=soon
expect_exit 2
expect_err_has 'zr-cardtest: --wait: not a number of seconds: soon'
run zr-cardtest --no-such-option
expect_exit 2
expect_out_empty
run zr-cardtest --today 2026-02-30
expect_exit 2
expect_err_is 'zr-cardtest: --today: "2026-02-30": February 2026 has 28 days'
run zr-cardtest --ca-file "$tmp/missing.pem" -o "$tmp/report.txt"
expect_exit 2
expect_err_is "zr-cardtest: $tmp/missing.pem: cannot read: No such file or directory"
expect_no_file "$tmp/report.txt"
run zr-cardtest --auth-pin extra -o "$tmp/report.txt"
expect_exit 2
expect_no_file "$tmp/report.txt"
# The secret never goes on the command line.
run zr-cardtest --sign-password=ABC123
expect_exit 2
expect_err_lacks() { grep -qF -- "$1" "$err" && nok "stderr has: $1" || ok; }
expect_err_lacks 'ABC123'

zr-cardtest --help >/dev/full 2>"$err"
rc=$?
t_cmd="zr-cardtest --help >/dev/full"
expect_exit 2
expect_err_is 'zr-cardtest: <stdout>: write error: No space left on device'
