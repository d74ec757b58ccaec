# zr-cardtest --residence-card against the software residence cards
# (tests/cardsim/rcard_sim.c) behind the real pcscd + vpcd.  Sourced by
# tests/card/run.sh after its own tests: it uses that script's pcscd_start,
# sim_start, run, expect_* and $conf, $ca, $log, $tmp.

pcscd_start "$conf"
num=AB12345678CD
facts=examples/sample/case.facts
RC="zr-cardtest --residence-card --ca $ca"
mutuals() { grep -c '^> 00 82 00 00 28' "$log"; }

# ---- 2nd generation: everything read, genuine, facts agree --------------
sim_start --profile rcard2
run $RC --card-number $num
expect_exit 0
expect_err_empty
expect_out_has '✓ card identified: residence card (2nd generation), type '"'"'05'"'"', specification 0001'
expect_out_has "✓ authenticated with card number $num"
expect_out_has '✓ chip read: 20 entries'
expect_out_has '    period of stay ends: 2027-01-31'
expect_out_has '    period of stay: 0300 (3 years)'
expect_out_has '    birth date: 1990-04-01'
expect_out_has '    work restriction: 2 (work only as the status of residence allows)'
expect_out_has '    renewal application: applied for (申請中)'
expect_out_has '    address: TIFF, '
expect_out_has '✓ signature genuine (ECDSA P-384, SHA-256), signed by '
expect_out_has '⚠ the CA given with --ca is not one of the agency'"'"'s published certificates'
# Secure-messaging READ BINARY went out extended (card-facts §4.3).
grep -q '^> 08 B0 84 00 00 00 04 96 02 00 00 00 00$' "$log" && ok || nok "no SM READ BINARY of DF1/EF03"
grep -q '^> 08 20 00 86 13 86 11 01 ' "$log" && ok || nok "no SM VERIFY"
# The man page's examples.
run $RC --facts "$facts"
expect_exit 0
expect_out_has "✓ chip agrees with $facts (5 entries compared)"
rm -rf "$tmp/chip" "$tmp/chip.facts"
mkdir "$tmp/chip"
run zr-cardtest --residence-card --card-number $num --save-images "$tmp/chip" --write-facts "$tmp/chip.facts"
expect_exit 0
expect_out_has '⚠ signature cannot be verified: the signature matches the chip'"'"'s certificate, but no CA certificate was given'
expect_out_has 'fix: download the agency'"'"'s ZairyuCard CA certificates'
expect_out_has "✓ images saved in $tmp/chip: name.tif, face.jp2, address.tif"
[ -s "$tmp/chip/face.jp2" ] && [ -s "$tmp/chip/name.tif" ] && ok || nok "images not saved"
grep -q '^birth_date = 1990-04-01$' "$tmp/chip.facts" && ok || nok "--write-facts: birth_date"
grep -q "^card_number = $num\$" "$tmp/chip.facts" && ok || nok "--write-facts: card_number"
grep -q '^stay_expiry = 2027-01-31$' "$tmp/chip.facts" && ok || nok "--write-facts: stay_expiry"
# The facts file written can be checked against the chip again.
run $RC --facts "$tmp/chip.facts"
expect_exit 0
# Lowercase is uppercased and said so.
run $RC --card-number ab12345678cd
expect_exit 0
expect_out_has 'note: the card number was converted to uppercase'
# JSON: one line with the chip's entries and the verdict.
run $RC --card-number $num --json --facts "$facts"
expect_exit 0
expect_out_has '"residence_card":{"generation":2,"card_type":"residence card (2nd generation), type '"'"'05'"'"'"'
expect_out_has '"stay_expiry":"2027-01-31"'
expect_out_has '"signature":{"verdict":"genuine","algorithm":"ECDSA P-384, SHA-256","anchor":"other"'
expect_out_has '"facts_check":{"checked":5,"disagree":[]}'
expect_json_valid
[ "$(wc -l < "$out")" -eq 1 ] && ok || nok "--json is not one line"
if command -v python3 >/dev/null 2>&1; then
	python3 -c 'import json,sys; json.load(sys.stdin)' < "$out" && ok || nok "--json is not JSON"
fi
run $RC --card-number $num
cp "$out" "$tmp/first"
run $RC --card-number $num
expect_same_bytes "$tmp/first" "$out"
# A facts file that disagrees: exit 1, with both values.
sed 's/^birth_date = .*/birth_date = 1990-04-02/' "$facts" > "$tmp/other.facts"
run $RC --facts "$tmp/other.facts"
expect_exit 1
expect_out_has "✗ chip and $tmp/other.facts disagree on birth_date: chip 1990-04-01, file 1990-04-02"
# --write-facts never overwrites the facts file it reads.
run $RC --facts "$tmp/other.facts" --write-facts "$tmp/other.facts"
expect_exit 2
expect_err_has 'zr-cardtest: '
grep -q '^birth_date = 1990-04-02$' "$tmp/other.facts" && ok || nok "input facts overwritten"

# ---- a wrong card number: one try, a clear message, no retry -------------
: > "$log"
run $RC --card-number AB12345678CE
expect_exit 1
expect_out_has '✗ card number AB12345678CE does not match this card (it refused authentication: 6300); not retried'
expect_out_has 'fix: give the 12 characters printed at the top right'
n=$(mutuals)
[ "$n" -eq 1 ] && ok || nok "expected 1 MUTUAL AUTHENTICATE, the card got $n"
# Malformed numbers never reach the card.
: > "$log"
for bad in AB1234567CD AB12345678C1 1B12345678CD; do
	run $RC --card-number $bad
	expect_exit 2
	expect_err_has 'zr-cardtest: card number'
done
expect_apdus 0
# No number and no terminal to ask on (setsid: no controlling tty).
if command -v setsid >/dev/null 2>&1; then
	run setsid -w $RC
	expect_exit 2
	expect_err_is 'zr-cardtest: no card number: give --card-number N or --facts FILE'
fi
expect_apdus 0
run zr-cardtest --card-number $num
expect_exit 2
expect_err_has 'zr-cardtest: --card-number goes with --residence-card'

# ---- 1st generation ------------------------------------------------------
sim_start --profile rcard1
run $RC --card-number $num --facts "$facts"
expect_exit 0
expect_out_has '✓ card identified: residence card (1st generation), type '"'"'1'"'"', specification 0001'
expect_out_has '    address: 東京都江東区青海1-2-3 サンプルハイツ101'
expect_out_has '    permission for other activities: 許可：原則週28時間以内・風俗営業等の従事を除く'
expect_out_has '    renewal application: none'
expect_out_has '✓ signature genuine (RSA-2048 PKCS#1 v1.5, SHA-256)'
expect_out_has "⚠ nothing to compare with $facts (a 1st generation chip keeps dates only in its front image)"
grep -q '^> 08 B0 85 00 00 00 04 96 02 00 00 00 00$' "$log" && ok || nok "no SM READ BINARY of the front image"

# ---- a card without a permission: the chip's 120 '0's decoded ------------
sim_start --profile rcard1-noperm
run $RC --card-number $num
expect_exit 0
expect_out_has '    permission for other activities: none'
expect_out_lacks '00000000'

# ---- card types differ: a file the card lacks (6A82) is absent -----------
# Type 06 (special permanent resident certificate) has one DF2 file; where
# the sources do not say which EF it is, both places are tried.
sim_start --profile rcard2-spr
run $RC --card-number $num
expect_exit 0
expect_out_has "✓ card identified: special permanent resident certificate (2nd generation), type '06'"
expect_out_lacks 'absent on this card'
expect_out_lacks 'keep the card in the reader'
grep -q '^> 00 B0 81 00 00 00 00$' "$log" && ok || nok "DF2/EF01 not read on type 06"
sim_start --profile rcard2-spr-ef03
run $RC --card-number $num
expect_exit 0
expect_err_empty
expect_out_has '    note recorded: no'
expect_out_lacks 'absent on this card'
grep -q '^< 6A 82$' "$log" && ok || nok "no 6A82 for DF2/EF01"
grep -q '^> 00 B0 83 00 00 00 00$' "$log" && ok || nok "DF2/EF03 not tried"
sim_start --profile rcard2-spr-absent
run $RC --card-number $num
expect_exit 0
expect_err_empty
expect_out_has '⚠ other entries (DF2/EF03): absent on this card (it answered 6A82, no such file); the rest was read'
expect_out_has '✓ signature genuine (ECDSA P-384, SHA-256)'
expect_out_has '    birth date: 1990-04-01'
expect_out_lacks 'keep the card in the reader'
run $RC --card-number $num --json
expect_exit 0
expect_out_has '"absent":["other entries (DF2/EF03)"]'
expect_json_valid
expect_out_has '"verdict":"genuine"'

# ---- tampered images: the signature fails --------------------------------
sim_start --profile rcard1-tampered
run $RC --card-number $num
expect_exit 1
expect_out_has '✗ signature NOT genuine: the signature does not match the chip'"'"'s data'
sim_start --profile rcard2-tampered
run $RC --card-number $num --json
expect_exit 1
expect_out_has '"verdict":"not_genuine"'
expect_json_valid

# ---- an unknown generation, and not a residence card ---------------------
sim_start --profile rcard-unknown
run $RC --card-number $num
expect_exit 1
expect_out_has "✗ unknown residence card generation: card type '09'"
sim_start --profile mynumber
run $RC --card-number $num
expect_exit 1
expect_out_has '✗ not a residence card: My Number card'

# ---- a reader without extended-length APDUs ------------------------------
sim_start --profile rcard2-short
run $RC --card-number $num
expect_exit 3
expect_err_has 'extended-length APDUs'
expect_out_has '✗ card number (DF1/EF01): the card answered 6700 (wrong length): the reader does not seem to support extended-length APDUs'
expect_out_has 'fix: use a reader that passes extended-length APDUs'

# ---- the card taken out in the middle of reading -------------------------
sim_start --profile rcard2 --remove-after 10
run $RC --card-number $num
expect_exit 3
expect_err_has 'card removed'
sim_eject
pcscd_stop
