#!/bin/sh
# zr-cardtest against the software card (tests/cardsim) behind a real
# pcscd with the vsmartcard vpcd driver.  Called by make check as
#   ZR_BIN=... ZR_BUILD=... ZR_COUNT=... sh tests/card/run.sh
# Needs root (pcscd), pcscd and vsmartcard-vpcd (scripts/deps).  It runs
# its own pcscd in a private mount namespace (its own /run/pcscd), so a
# system pcscd is neither used nor disturbed; each test starts the card
# it needs.  Without root or the packages it prints a skip line, which
# counts as a failure only when CI=true.
set -u
VPCD_LIB=/usr/lib/pcsc/drivers/serial/libifdvpcd.so

skip() {
	echo "card: SKIP: $*"
	if [ "${CI:-}" = true ]; then
		echo "card: CI=true, so a skip counts as a failure"
		[ -n "${ZR_COUNT:-}" ] && echo "0 1" > "$ZR_COUNT"
	else
		[ -n "${ZR_COUNT:-}" ] && echo "0 0" > "$ZR_COUNT"
	fi
	exit 0
}

if [ -z "${ZR_CARD_NS:-}" ]; then
	[ "$(id -u)" = 0 ] || skip "needs root to run its own pcscd"
	command -v pcscd >/dev/null 2>&1 || skip "pcscd not installed (run scripts/deps)"
	[ -f "$VPCD_LIB" ] || skip "vsmartcard-vpcd not installed (run scripts/deps)"
	[ -x "${ZR_BUILD:-build}/zr-cardsim" ] || skip "${ZR_BUILD:-build}/zr-cardsim not built"
	# Our own /run/pcscd: a tmpfs in a private mount namespace.
	mkdir -p /run/pcscd
	if unshare -m --propagation private \
	    mount -t tmpfs zr-probe /run/pcscd 2>/dev/null; then
		ZR_CARD_NS=private
		export ZR_CARD_NS
		exec unshare -m --propagation private sh -c \
		    'mount -t tmpfs -o mode=0755 zr-cardtest /run/pcscd && exec sh "$0"' \
		    "$0"
	fi
	# No namespaces (a container?): share /run/pcscd if nobody uses it.
	if [ -S /run/pcscd/pcscd.comm ] || pidof pcscd >/dev/null 2>&1; then
		skip "another pcscd is running and unshare(1) is not allowed"
	fi
	ZR_CARD_NS=shared
	export ZR_CARD_NS
fi

. tests/cli/lib.sh
t_name=card
build=${ZR_BUILD:-build}
case $build in /*) ;; *) build=$(pwd)/$build ;; esac
sim=$build/zr-cardsim
port=$((36000 + $$ % 2000))
conf=$tmp/conf
noconf=$tmp/noconf
keys=$tmp/keys
ca=$tmp/ca.pem
log=$tmp/apdu.log
ready=$tmp/ready
pcscd_pid=
sim_pid=
mkdir -p "$conf" "$noconf" "$keys"
# The vpcd driver as a reader on our own TCP port (reader.conf(5)).
printf 'FRIENDLYNAME "Virtual PCD"\nDEVICENAME /dev/null:0x%X\nLIBPATH %s\nCHANNELID 0x%X\n' \
	"$port" "$VPCD_LIB" "$port" > "$conf/vpcd"

sim_stop() {
	if [ -n "$sim_pid" ]; then
		kill "$sim_pid" 2>/dev/null
		wait "$sim_pid" 2>/dev/null
		sim_pid=
	fi
}
pcscd_stop() {
	sim_stop
	if [ -n "$pcscd_pid" ]; then
		kill "$pcscd_pid" 2>/dev/null
		wait "$pcscd_pid" 2>/dev/null
		pcscd_pid=
	fi
	# Wait for its socket to go, so the next one can start.
	i=0
	while [ -S /run/pcscd/pcscd.comm ] && [ $i -lt 50 ]; do
		sleep 0.1; i=$((i + 1))
	done
}
trap 'pcscd_stop; t_done; rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP

# pcscd_start CONFDIR: a foreground pcscd of ours, ready when its socket is.
pcscd_start() {
	pcscd -f -c "$1" >"$tmp/pcscd.log" 2>&1 &
	pcscd_pid=$!
	i=0
	while [ ! -S /run/pcscd/pcscd.comm ] && [ $i -lt 100 ]; do
		sleep 0.1; i=$((i + 1))
	done
	[ -S /run/pcscd/pcscd.comm ] || { nok "pcscd did not start"; cat "$tmp/pcscd.log"; }
}

# reader_has_card: reader 0 shows a card (no APDU is sent for this).
reader_has_card() {
	zr-cardtest --list-readers 2>/dev/null | grep -q '^0: .*: card'
}

# sim_start [zr-cardsim options]: insert a fresh card with that profile.
sim_start() {
	sim_eject
	rm -f "$ready"
	: > "$log"
	"$sim" --port "$port" --keys "$keys" --ca-out "$ca" --log "$log" \
		--ready "$ready" "$@" 2>"$tmp/sim.err" &
	sim_pid=$!
	i=0
	while ! { [ -e "$ready" ] && reader_has_card; } && [ $i -lt 150 ]; do
		sleep 0.1; i=$((i + 1))
	done
	reader_has_card || { nok "card simulator did not come up: $*"; cat "$tmp/sim.err"; }
}

# sim_eject: take the card out and wait until pcscd sees it gone.
sim_eject() {
	sim_stop
	i=0
	while reader_has_card && [ $i -lt 100 ]; do
		sleep 0.1; i=$((i + 1))
	done
}

# What reached the card: commands, and VERIFY commands carrying data.
apdus() { grep -c '^>' "$log"; }
verifies_with_data() { grep -c '^> 00 20 00 [89]. ..' "$log"; }
expect_apdus() {
	n=$(apdus)
	[ "$n" -eq "$1" ] && ok || nok "expected $1 APDUs, the card got $n"
}
expect_verifies() {
	n=$(verifies_with_data)
	[ "$n" -eq "$1" ] && ok || nok "expected $1 VERIFY with data, the card got $n"
}
secret() { printf '%s\n' "$1" > "$tmp/secret"; }
runsecret() { # SECRET ARGS...: the secret on descriptor 3
	secret "$1"
	shift
	t_cmd="$* 3<secret"
	"$@" --password-fd 3 >"$out" 2>"$err" </dev/null 3<"$tmp/secret"
	rc=$?
}

CT="zr-cardtest --ca-file $ca"

# ---- no pcscd, no reader ----------------------------------------------
run zr-cardtest
expect_exit 3
expect_out_has '✗ smart card service (pcscd) not running'
expect_out_has 'fix: install and start the PC/SC service'
expect_err_is 'zr-cardtest: smart card service (pcscd) not running'
run zr-cardtest --list-readers
expect_exit 3
run zr-cardtest --json
expect_exit 3
expect_out_has '"step":"pcscd","status":"problem"'
expect_out_has '"exit":3,'

pcscd_start "$noconf"
run zr-cardtest
expect_exit 3
expect_out_has '✓ smart card service (pcscd) reachable'
expect_out_has '✗ list readers: no smart card reader'
expect_out_has 'fix: plug in a smart card reader'
expect_err_is 'zr-cardtest: list readers: no smart card reader'
pcscd_stop

# ---- a reader without a card ------------------------------------------
pcscd_start "$conf"
run zr-cardtest
expect_exit 3
expect_out_has '✓ 2 readers: Virtual PCD 00 00, Virtual PCD 00 01'
expect_out_has '✗ no card in the reader'
expect_err_is 'zr-cardtest: Virtual PCD 00 00: no card in the reader'
run zr-cardtest --list-readers
expect_exit 0
expect_out_is "0: Virtual PCD 00 00: no card
1: Virtual PCD 00 01: no card"
run zr-cardtest --wait=1
expect_exit 3
expect_err_has 'no card inserted within 1 s'

# ---- the status check spends nothing ----------------------------------
sim_start
run $CT
expect_exit 0
expect_err_empty
expect_out_has '✓ card present in Virtual PCD 00 00 (ATR 3B DA 13 FF 81 31 FB 46 80 12 39 2F 31 C1 73 C6 01 C0 3B, T=1)'
expect_out_has '✓ card identified: My Number card (JPKIAPICCTOKEN2)'
expect_out_has '✓ JPKI application selectable'
expect_out_has 'days left (for most foreign residents it ends with the period of stay)'
expect_out_has '✓ chain verified against the TEST CA file'
expect_out_has '✓ authentication PIN: 3 of 3 tries left'
expect_out_has '✓ signature password: 5 of 5 tries left'
expect_verifies 0
grep -q '^> 00 20 00 80$' "$log" && ok || nok "no empty VERIFY in the log"
run $CT
expect_out_has '✓ signature password: 5 of 5 tries left'
expect_verifies 0
# The same check with the bundled J-LIS roots: the test card is not trusted.
run zr-cardtest
expect_exit 1
expect_out_has '✗ certificate chain not trusted: unable to get local issuer certificate'
# The man page's examples.
run zr-cardtest -q --ca-file "$ca"
expect_exit 0
expect_out_empty
run zr-cardtest -r 0 --json --ca-file "$ca"
expect_exit 0
expect_out_has '{"tool":"zr-cardtest","version":"'
expect_out_has '"auth_pin":{"tries_left":3,"max_tries":3,"blocked":false}'
expect_out_has '"sign_password":{"tries_left":5,"max_tries":5,"blocked":false}'
expect_out_has '","status":"ok","exit":0,"steps":[{"step":"pcscd",'
expect_out_has '"problems":[],"notes":['
expect_json_valid
[ "$(wc -l < "$out")" -eq 1 ] && ok || nok "--json is not one line"
if command -v python3 >/dev/null 2>&1; then
	python3 -c 'import json,sys; json.load(sys.stdin)' < "$out" && ok || nok "--json is not JSON"
fi
run zr-cardtest -r 0 --json
expect_exit 1
expect_out_has '"status":"problem","exit":1,'
expect_json_valid
run zr-cardtest -r 'PCD 00 00' --ca-file "$ca" -o "$tmp/report.txt"
expect_exit 0
expect_out_empty
grep -q '✓ signature password: 5 of 5 tries left' "$tmp/report.txt" && ok || nok "-o report"
run zr-cardtest --ca-file "$ca"
cp "$out" "$tmp/first"
run zr-cardtest --ca-file "$ca"
expect_same_bytes "$tmp/first" "$out"
run zr-cardtest --ca-file "$ca" --today "$(date -u +%F)"
expect_exit 0
run zr-cardtest --ca-file "$ca" --today 2000-01-01
expect_exit 1
expect_out_has '✗ authentication certificate is not valid before'
zr-cardtest --ca-file "$ca" >/dev/full 2>"$err"; rc=$?
t_cmd="zr-cardtest >/dev/full"
expect_exit 2
run zr-cardtest -r 1
expect_exit 3
expect_err_is 'zr-cardtest: Virtual PCD 00 01: no card in the reader'
run zr-cardtest -r 7
expect_exit 3
expect_err_is 'zr-cardtest: 7: no reader number 7 (there are 2)'
run zr-cardtest -r Virtual
expect_exit 2
expect_err_is 'zr-cardtest: Virtual: matches 2 readers; give more of the name'
run zr-cardtest --list-readers
expect_out_has '0: Virtual PCD 00 00: card (ATR 3B DA 13 FF'
run zr-cardtest --list-readers --json
expect_out_has '"readers":[{"index":0,"name":"Virtual PCD 00 00","card":true,"atr":"3B DA 13'
expect_json_valid
run zr-cardtest --ca-file "$tmp/nonexistent.pem"
expect_exit 2
expect_out_empty

# --wait: the card comes after the tool started.
sim_eject
rm -f "$tmp/wait.out"
zr-cardtest --wait=30 >"$tmp/wait.out" 2>&1 &
wpid=$!
sleep 1
sim_start
wait $wpid
rc=$?
t_cmd="zr-cardtest --wait=30 (card inserted after 1 s)"
cp "$tmp/wait.out" "$out"
expect_exit 1
expect_out_has '✓ card present in Virtual PCD 00 00'
expect_out_has '✓ signature password: 5 of 5 tries left'
expect_out_has '✗ certificate chain not trusted'

# ---- the signature password --------------------------------------------
# Lowercase is uppercased (the card admits A-Z 0-9 only) and said so.
runsecret abc123 $CT --sign-password
expect_exit 0
expect_out_has 'note: the signature password was converted to uppercase'
expect_out_has '✓ signature password accepted'
expect_out_has '    name: SAMPLE TARO JOHN'
expect_out_has '    birth date: 1990-04-01'
expect_out_has '    sex: male'
expect_out_has '    address: 東京都江東区青海1-2-3 サンプルハイツ101'
expect_verifies 1
grep -q '^> 00 20 00 80 06 41 42 43 31 32 33$' "$log" && ok || nok "VERIFY not uppercased"
# JSON carries the certificate's contents.
runsecret ABC123 $CT --sign-password --json
expect_exit 0
expect_json_valid
expect_out_lacks '"uppercased"'
expect_out_has '"sign_cert":{"subject":'
expect_out_has '"name":"SAMPLE TARO JOHN","birth_date":"1990-04-01","sex":"male"'
# Illegal characters and lengths: refused before any APDU.
sim_start
for bad in 'ABC-12' 'ABC12' 'ABCDEFGHIJKLMNOPQ' 'ÄBC123' 'ABC 123'; do
	runsecret "$bad" $CT --sign-password
	expect_exit 2
	expect_err_has 'zr-cardtest: the signature password has'
done
runsecret '' $CT --sign-password
expect_exit 2
expect_err_is 'zr-cardtest: no secret given (empty line)'
expect_apdus 0
# A wrong password spends exactly one try, and says how many are left.
runsecret WRONG9 $CT --sign-password
expect_exit 1
expect_out_has '✗ wrong signature password: 4 tries left'
expect_out_has 'fix: it is the 6-16 character password'
expect_verifies 1
run $CT
expect_exit 0
expect_out_has '⚠ signature password: 4 of 5 tries left (wrong entries were made before)'
expect_verifies 1
# Three more wrong: two left, then the guard stops the tool.
runsecret WRONG9 $CT --sign-password
runsecret WRONG9 $CT --sign-password
expect_out_has 'wrong signature password: 2 tries left'
expect_verifies 3
runsecret ABC123 $CT --sign-password
expect_exit 1
expect_out_has '✗ not trying the signature password: only 2 tries left'
expect_out_has 'fix: run again with --force if you are sure'
expect_verifies 3
runsecret ABC123 $CT --sign-password --force
expect_exit 0
expect_out_has '✓ signature password accepted'
expect_verifies 4
run $CT
expect_out_has '✓ signature password: 5 of 5 tries left'
# The last try: refused without --force; with it, wrong → blocked.
sim_start --sign-tries 1
runsecret ABC123 $CT --sign-password
expect_exit 1
expect_out_has '✗ not trying the signature password: only 1 try left, and a wrong entry blocks it'
expect_verifies 0
runsecret WRONG9 $CT --sign-password --force
expect_exit 1
expect_out_has '✗ wrong signature password: it is now BLOCKED'
expect_out_has 'convenience-store kiosk'
expect_verifies 1

# ---- at the terminal (a pty): echo off, confirmation --------------------
if command -v python3 >/dev/null 2>&1; then
	cat > "$tmp/term.py" <<'PY'
# term.py ANSWERS CMD...: run CMD on a pseudo-terminal, typing the next of
# the comma-separated ANSWERS after each prompt; print what it showed.
import os, pty, select, sys
answers = sys.argv[1].split(',') if sys.argv[1] else []
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
out = buf = b''
while True:
    try:
        r, _, _ = select.select([fd], [], [], 20)
        data = os.read(fd, 4096) if r else b''
    except OSError:
        data = b''
    if not data:
        break
    out += data
    buf += data
    if answers and (buf.endswith(b'): ') or buf.endswith(b'to try: ')):
        os.write(fd, (answers.pop(0) + '\n').encode())
        buf = b''
_, st = os.waitpid(pid, 0)
sys.stdout.write(out.decode('utf-8', 'replace'))
sys.exit(os.waitstatus_to_exitcode(st))
PY
	runpty() { # ANSWERS ARGS...
		a=$1
		shift
		t_cmd="$* (at a terminal, typing: $a)"
		python3 "$tmp/term.py" "$a" "$@" >"$out" 2>"$err" </dev/null
		rc=$?
	}
	sim_start
	runpty abc123 zr-cardtest --sign-password --ca-file "$ca"
	expect_exit 0
	expect_out_has 'Signature password (6-16 characters, A-Z 0-9): '
	expect_out_has 'note: the signature password was converted to uppercase'
	expect_out_has '✓ signature password accepted'
	expect_out_lacks 'abc123'
	expect_verifies 1
	sim_start --sign-tries 2
	runpty ABC123,no zr-cardtest --sign-password --ca-file "$ca"
	expect_exit 1
	expect_out_has "Only 2 tries left for the signature password. A wrong entry spends one. Type 'yes' to try: "
	expect_out_has '✗ not trying the signature password: not confirmed'
	expect_verifies 0
	runpty ABC123,yes zr-cardtest --sign-password --ca-file "$ca"
	expect_exit 0
	expect_out_has '✓ signature password accepted'
	expect_verifies 1
	sim_start --sign-tries 1
	runpty ABC123,yes zr-cardtest --sign-password --ca-file "$ca"
	expect_exit 1
	expect_out_lacks "Type 'yes'"
	expect_out_has '✗ not trying the signature password: only 1 try left'
	expect_verifies 0
	# The man page's interactive example, against the bundled roots.
	sim_start
	runpty 1234 zr-cardtest --auth-pin
	expect_exit 1
	expect_out_has 'Authentication PIN (4 digits): '
	expect_out_has '✓ signature test'
	expect_out_has '✗ certificate chain not trusted'
else
	echo "card: note: python3 missing, terminal tests skipped"
fi

# ---- blocked credentials -----------------------------------------------
sim_start --sign-tries 0 --auth-tries 0
run $CT
expect_exit 1
expect_out_has '✗ authentication PIN is BLOCKED (no tries left)'
expect_out_has '✗ signature password is BLOCKED (no tries left)'
expect_out_has 'fix: only the city office'
expect_out_has 'convenience-store kiosk'
runsecret ABC123 $CT --sign-password --force
expect_exit 1
expect_out_has '✗ not trying the signature password: it is blocked'
runsecret 1234 $CT --auth-pin --force
expect_exit 1
expect_out_has '✗ not trying the authentication PIN: it is blocked'
expect_verifies 0
run $CT --json
expect_out_has '"auth_pin":{"tries_left":0,"max_tries":3,"blocked":true}'

# ---- the authentication PIN and the signature test ----------------------
sim_start
printf '1234\n' > "$tmp/pin.txt"
t_cmd="zr-cardtest --auth-pin --password-fd 3 3<pin.txt"
zr-cardtest --ca-file "$ca" --auth-pin --password-fd 3 3<"$tmp/pin.txt" >"$out" 2>"$err" </dev/null
rc=$?
expect_exit 0
expect_out_has '✓ authentication PIN accepted'
expect_out_has '✓ signature test: the card signed a random challenge and it verifies with the certificate'"'"'s public key (2048-bit RSA)'
grep -q '^> 80 2A 00 80 33 30 31 30 0D 06 09 60 86 48 01 65 03 04 02 01 05 00 04 20' "$log" && ok || nok "no SHA-256 DigestInfo signed"
runsecret 9999 $CT --auth-pin
expect_exit 1
expect_out_has '✗ wrong authentication PIN: 2 tries left'
for bad in 123 12345 12a4; do
	runsecret "$bad" $CT --auth-pin
	expect_exit 2
	expect_err_has 'zr-cardtest: the authentication PIN has'
done
expect_verifies 2

# ---- certificates: expiring, expired, not yet valid, untrusted ----------
sim_start --valid-from -300 --valid-to 30
run $CT
expect_exit 0
expect_out_has '⚠ authentication certificate valid'
expect_out_has 'days left (for most foreign residents it ends with the period of stay)'
sim_start --valid-from -400 --valid-to -1
run $CT
expect_exit 1
expect_out_has '✗ authentication certificate expired on'
expect_out_has 'fix: ask the city office to renew the electronic certificates'
expect_out_has '✓ chain verified against the TEST CA file'
sim_start --valid-from 10 --valid-to 400
run $CT
expect_exit 1
expect_out_has '✗ authentication certificate is not valid before'
sim_start --untrusted
run $CT
expect_exit 1
expect_out_has '✗ certificate chain not trusted: unable to get local issuer certificate'
expect_out_has 'fix: the certificate does not chain to a J-LIS root'

# ---- other cards (found by probing, not by ATR) --------------------------
sim_start --profile juki
run $CT
expect_exit 0
expect_out_has '⚠ card identified: Basic Resident Register card (住基カード) (JPKIAPICCTOKEN)'
sim_start --profile residence
run $CT
expect_exit 1
expect_out_has '✗ card identified: residence card (1st generation)'
expect_out_has 'fix: put the My Number card on the reader'
sim_start --profile blank
run $CT
expect_exit 1
expect_out_has '✗ unknown card: no JPKI application'
sim_start --profile android
run $CT
expect_exit 0
expect_out_has '⚠ authentication certificate needs the PIN on this token (smartphone JPKI)'
runsecret 1234 $CT --auth-pin
expect_exit 0
expect_out_has '✓ signature test'

# ---- T=0 style answers: 61xx + GET RESPONSE, 6Cxx ------------------------
sim_start --t0 100 --exact-le
run $CT
expect_exit 0
expect_out_has '✓ authentication PIN: 3 of 3 tries left'
grep -q '^> 00 C0 00 00 64$' "$log" && ok || nok "no GET RESPONSE seen"
runsecret 1234 $CT --auth-pin
expect_exit 0
expect_out_has '✓ signature test'
sim_start --profile residence --exact-le
run $CT
expect_out_has '✗ card identified: residence card (1st generation)'
grep -q '^< 6C 03$' "$log" && ok || nok "no 6Cxx seen"

# ---- the card taken out in the middle ------------------------------------
sim_start --remove-after 8
run $CT
expect_exit 3
expect_out_has 'card removed'
expect_err_has 'zr-cardtest: Virtual PCD 00 00: '
expect_err_has 'card removed'
sim_eject
run $CT
expect_exit 3
expect_err_is 'zr-cardtest: Virtual PCD 00 00: no card in the reader'

pcscd_stop

# The residence card (issue 8): tests/card/rcard.sh runs after these, on
# the same helpers, once zr-cardtest reads residence cards.
if [ -f tests/card/rcard.sh ] &&
    zr-cardtest --help 2>/dev/null | grep -q -- '--residence-card'; then
	. tests/card/rcard.sh
fi
