# Sourced by every tests/cli/*.sh: run the built tools as a user would.
# Helpers:
#   run CMD ARGS...       run with stdin from /dev/null; sets $rc, $out, $err files
#   runin FILE CMD ...    the same with stdin from FILE
#   expect_exit N         the last run exited N
#   expect_out_has TEXT   stdout contains TEXT (fixed string)
#   expect_out_is TEXT    stdout is exactly TEXT
#   expect_out_lacks TEXT
#   expect_err_is TEXT    stderr is exactly TEXT (one line)
#   expect_err_has TEXT
#   expect_err_empty / expect_out_empty
#   expect_no_file PATH   nothing was written there
#   expect_same_bytes A B
#   ok NAME / nok NAME    record a pass or failure by hand
# $F is the folder of synthetic fixtures (tests/fixtures.sh).
set -u
LC_ALL=C.UTF-8
export LC_ALL
ZR_BIN=${ZR_BIN:-bin}
case $ZR_BIN in /*) ;; *) ZR_BIN=$(pwd)/$ZR_BIN ;; esac
PATH=$ZR_BIN:$PATH
export PATH
# Synthetic inputs made by tests/fixtures.sh (the Makefile runs it).
F=${ZR_FIXTURES:-$(pwd)/build/fixtures}
# Real-world files, only for the corpus sweeps (make check-corpus) and the
# portrait tests that helper data does not cover yet; never required.
SHARED=${ZR_SHARED:-$(pwd)/../shared}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out=$tmp/.out
err=$tmp/.err
rc=0
t_pass=0
t_fail=0
t_name=$(basename "$0" .sh)
t_cmd=

ok() { t_pass=$((t_pass + 1)); }
nok() {
	t_fail=$((t_fail + 1))
	echo "FAIL $t_name: $*"
	echo "  command: $t_cmd"
	echo "  exit: $rc"
	echo "  stdout: $(head -c 600 "$out" 2>/dev/null)"
	echo "  stderr: $(head -c 600 "$err" 2>/dev/null)"
}

run() {
	t_cmd="$*"
	"$@" >"$out" 2>"$err" </dev/null
	rc=$?
}
runin() {
	f=$1
	shift
	t_cmd="$* < $f"
	"$@" >"$out" 2>"$err" <"$f"
	rc=$?
}

expect_exit() { [ "$rc" -eq "$1" ] && ok || nok "expected exit $1"; }
expect_out_has() { grep -qF -- "$1" "$out" && ok || nok "stdout lacks: $1"; }
expect_out_lacks() { grep -qF -- "$1" "$out" && nok "stdout has: $1" || ok; }
expect_out_is() {
	printf '%s\n' "$1" | cmp -s - "$out" && ok || nok "stdout is not: $1"
}
expect_err_has() { grep -qF -- "$1" "$err" && ok || nok "stderr lacks: $1"; }
expect_err_is() {
	printf '%s\n' "$1" | cmp -s - "$err" && ok || nok "stderr is not: $1"
}
expect_err_empty() { [ ! -s "$err" ] && ok || nok "stderr not empty"; }
expect_out_empty() { [ ! -s "$out" ] && ok || nok "stdout not empty"; }
expect_no_file() {
	# Neither the file nor a leftover temporary beside it.
	d=$(dirname "$1")
	if [ -e "$1" ] || ls -a "$d" 2>/dev/null | grep -q '^\.zr-tmp'; then
		nok "file left behind: $1"
	else
		ok
	fi
}
# Every line of FILE (default stdout) is one object valid against the
# JSON contract (man/zairyu-json.schema.json, zairyu-json(5)) that starts
# tool, version, status.
expect_json_valid() {
	python3 -c '
import json, sys, jsonschema
v = jsonschema.Draft202012Validator(json.load(open(sys.argv[1])))
lines = open(sys.argv[2], encoding="utf-8").read().splitlines()
if not lines:
    sys.exit("no JSON line")
for n, line in enumerate(lines, 1):
    o = json.loads(line)
    if list(o)[:3] != ["tool", "version", "status"]:
        sys.exit("line %d starts %s" % (n, list(o)[:3]))
    for e in sorted(v.iter_errors(o), key=lambda e: list(e.path))[:1]:
        sys.exit("line %d: %s at %s" % (n, e.message[:200], "/".join(map(str, e.path))))
' "$(pwd)/man/zairyu-json.schema.json" "${1:-$out}" 2>"$tmp/jvalid.err" && ok ||
	    nok "not valid against zairyu-json.schema.json: $(tail -n 1 "$tmp/jvalid.err")"
}
expect_same_bytes() { cmp -s "$1" "$2" && ok || nok "bytes differ: $1 $2"; }

# Called by the EXIT trap of each script through t_done.
t_done() {
	if [ -n "${ZR_COUNT:-}" ]; then
		echo "$t_pass $t_fail" > "$ZR_COUNT"
	fi
	echo "$t_name: $t_pass passed, $t_fail failed"
}
trap 't_done; rm -rf "$tmp"' EXIT
