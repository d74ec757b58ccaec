# CLI tests for zr-namecheck: run the built binary as a user would.
. tests/cli/lib.sh

facts=examples/sample/case.facts
mrz=examples/sample/passport.mrz
card="CHOWDHURY ISHMAM ABIR"
spec1='P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<'
spec2='L898902C36UTO7408122F1204159ZE184226B<<<<<10'

# --- man page EXAMPLES, in order ---------------------------------------
run zr-namecheck --card "CHOWDHURY ISHMAM ABIR" "Ishmam Abir Chowdhury"
expect_exit 1
expect_out_has '"Ishmam Abir Chowdhury": family name CHOWDHURY comes last: the card puts it first (CHOWDHURY ISHMAM ABIR)'
expect_out_has '"Ishmam Abir Chowdhury": lowercase letters ("s", "h", "m", ...): the card and the form use capitals'
[ "$(wc -l < "$out")" -eq 2 ] && ok || nok "one line per problem"
expect_err_empty

run zr-namecheck --form --rules-date 2025-12-01 "Chowdhury Ishmam Abir"
expect_exit 0
expect_out_is "CHOWDHURY,ISHMAM,ABIR"
expect_err_empty
run zr-namecheck --form --rules-date 2026-01-05 "Chowdhury Ishmam Abir"
expect_out_is "CHOWDHURY ISHMAM ABIR"
run zr-namecheck --form --rules-date 2026-01-04 "Chowdhury Ishmam Abir"
expect_out_is "CHOWDHURY,ISHMAM,ABIR"

run zr-namecheck --facts examples/sample/case.facts --rules-date 2025-12-01 --form
expect_exit 0
expect_out_is "SAMPLE,TARO,JOHN"

printf 'SAMPLE TARO JOHN\nTaro John Sample\nSAMPLE TARO\n' > "$tmp/names.txt"
runin "$tmp/names.txt" zr-namecheck --card "SAMPLE TARO JOHN"
expect_exit 1
expect_out_has '<stdin>:2: "Taro John Sample": family name SAMPLE comes last'
expect_out_has '<stdin>:3: "SAMPLE TARO": JOHN is missing (the card has SAMPLE TARO JOHN)'
expect_out_lacks '<stdin>:1:'

run zr-namecheck --facts examples/sample/case.facts --today 2026-11-23 --mrz examples/sample/passport.mrz
expect_exit 0
expect_out_empty
expect_err_empty

run zr-namecheck --card-number ＡＢ１２３４５６７８ＣＤ
expect_exit 0
expect_out_empty
run zr-namecheck -v --card-number ＡＢ１２３４５６７８ＣＤ
expect_out_is "card number AB12345678CD: ok"

printf '1234 5678 9018\n' > "$tmp/mynumber.txt"
runin "$tmp/mynumber.txt" zr-namecheck --my-number -
expect_exit 0
expect_out_empty

mkdir "$tmp/docs"
printf 'name = CHOWDHURY ISHMAM ABIR\nbirth_date = 1995-03-04\ncard_number = AB12345678CD\n' > "$tmp/docs/card.facts"
printf 'name = CHOWDHURY,ISHMAM,ABIR\nbirth_date = 1995/3/4\npassport_number = BX1234567\n' > "$tmp/docs/passport.facts"
printf '# form\nsex = M\nname = CHOWDHURY ABIR\nbirth_date = 1995-03-04\npassport_number = BX 1234567\n' > "$tmp/docs/application.facts"
(cd "$tmp/docs" && zr-namecheck --agree card.facts passport.facts application.facts) > "$out" 2> "$err"
rc=$?
t_cmd="zr-namecheck --agree card.facts passport.facts application.facts"
expect_exit 1
expect_out_is 'application.facts:3: name "CHOWDHURY ABIR" differs from card.facts:1 "CHOWDHURY ISHMAM ABIR"'
expect_err_empty

# --- names against the card ---------------------------------------------
run zr-namecheck --card "$card" "$card" "CHOWDHURY ISHMAM ABIR"
expect_exit 0
expect_out_empty
run zr-namecheck -v --card "$card" "$card"
expect_out_is "\"$card\": ok"
run zr-namecheck --card "$card" --rules-date 2025-06-01 "CHOWDHURY,ISHMAM,ABIR"
expect_exit 0
run zr-namecheck --card "$card" --rules-date 2026-06-01 "CHOWDHURY,ISHMAM,ABIR"
expect_exit 1
expect_out_is '"CHOWDHURY,ISHMAM,ABIR": commas between parts: the card and the online form on 2026-06-01 use spaces'
run zr-namecheck --card "$card" "ＣＨＯＷＤＨＵＲＹ ISHMAM ABIR"
expect_exit 1
expect_out_has 'full-width characters ("Ｃ", "Ｈ", "Ｏ", ...): the card and the form use half-width letters'
run zr-namecheck --card "$card" "CHOWDHURY  ISHMAM ABIR"
expect_out_is '"CHOWDHURY  ISHMAM ABIR": more than one separator between two parts'
run zr-namecheck --card "$card" "CHOWDHURY ISHMAM ABIR JOHN"
expect_out_is '"CHOWDHURY ISHMAM ABIR JOHN": JOHN is not on the card (CHOWDHURY ISHMAM ABIR)'
run zr-namecheck --card "$card" "CHOWDHURY ISHMAN ABIR"
expect_out_is '"CHOWDHURY ISHMAN ABIR": ISHMAN: letter 6 is N, the card has M (ISHMAM)'
run zr-namecheck --card "JOSE MULLER" "JOSÉ MÜLLER"
expect_exit 1
expect_out_has '"JOSÉ MÜLLER": "É" is not on the card: the card carries E'
expect_out_has '"JOSÉ MÜLLER": "Ü" is not on the card: the card carries U (a passport MRZ writes UE; check your card)'
run zr-namecheck --card "JEAN PIERRE" "JEAN-PIERRE"
expect_out_is '"JEAN-PIERRE": hyphen "-" is not accepted by the online form: separate the parts as the card does'
run zr-namecheck -q --card "$card" "Ishmam Abir Chowdhury"
expect_exit 1
expect_out_empty
run zr-namecheck --facts "$facts" "SAMPLE TARO JOHN"
expect_exit 0

# --- the form's spelling --------------------------------------------------
run zr-namecheck --form --rules-date 2026-01-05 "Müller Hans"
expect_exit 0
expect_out_is "MULLER HANS"
expect_err_is 'zr-namecheck: "Müller Hans": note: "ü" written as U; if the card carries UE (as a passport MRZ), use that'
run zr-namecheck -q --form --rules-date 2026-01-05 "Müller Hans"
expect_err_empty
run zr-namecheck --form --rules-date 2026-01-05 "山田 太郎"
expect_exit 1
expect_out_empty
expect_err_has 'zr-namecheck: "山田 太郎": character "山" cannot be written on the online form (only A-Z)'
long=$(printf 'A%.0s' $(seq 1 105))
run zr-namecheck --form --rules-date 2026-01-05 "$long"
expect_exit 1
expect_err_has "105 characters: the online form on 2026-01-05 takes at most 104"
printf 'Sample Taro\nＮＧＵＹＥＮ　Văn\n' > "$tmp/form.txt"
runin "$tmp/form.txt" zr-namecheck --form --rules-date 2025-01-01
expect_exit 0
printf 'SAMPLE,TARO\nNGUYEN,VAN\n' > "$tmp/form.want"
expect_same_bytes "$tmp/form.want" "$out"

# --- MRZ -------------------------------------------------------------------
printf '%s\n%s\n' "$spec1" "$spec2" > "$tmp/spec.mrz"
run zr-namecheck --today 2010-06-01 --card "ERIKSSON ANNA MARIA" --birth-date 1974-08-12 --mrz "$tmp/spec.mrz"
expect_exit 0
expect_out_empty
run zr-namecheck --today 2026-11-23 --mrz "$tmp/spec.mrz"
expect_exit 1
expect_out_is "$tmp/spec.mrz:2: passport expired on 2012-04-15"
printf '%s\n%s\n' "$spec1" 'L898902C37UTO7408122F1204159ZE184226B<<<<<10' > "$tmp/bad.mrz"
runin "$tmp/bad.mrz" zr-namecheck --today 2010-06-01 --mrz -
expect_exit 1
expect_out_has "<stdin>:2: document number check digit (column 10) is 7, computed 6"
expect_out_has "<stdin>:2: composite check digit (column 44) is 0, computed 7"
run zr-namecheck --facts "$facts" --today 2026-11-23 --mrz "$tmp/spec.mrz"
expect_exit 1
expect_out_has "$tmp/spec.mrz:2: birth date 1974-08-12 differs from the card's 1990-04-01"
expect_out_has "$tmp/spec.mrz:2: sex F (column 21) differs from the card's M"
expect_out_has "$tmp/spec.mrz:2: passport number L898902C3 differs from the facts' XZ1234567"
expect_out_has "$tmp/spec.mrz:1: MRZ name ERIKSSON ANNA MARIA does not agree with the card's SAMPLE TARO JOHN"
run zr-namecheck --json --facts "$facts" --today 2026-11-23 --mrz "$mrz"
expect_exit 0
expect_out_is '{"tool":"zr-namecheck","version":"0.1.0","status":"ok","check":"mrz","file":"examples/sample/passport.mrz","type":"P","issuer":"UTO","primary":"SAMPLE","secondary":"TARO JOHN","name_field_full":false,"number":"XZ1234567","nationality":"UTO","birth_date":"1990-04-01","sex":"M","expiry_date":"2031-06-30","optional":"","check_digits":{"number":true,"birth_date":true,"expiry_date":true,"optional":true,"composite":true},"today":"2026-11-23","problems":[],"notes":[]}'
printf 'P<D<<MUELLER<<HANS<<<<<<<<<<<<<<<<<<<<<<<<<<\n%s\n' "$spec2" > "$tmp/de.mrz"
run zr-namecheck -v --today 2010-06-01 --card "MULLER HANS" --mrz "$tmp/de.mrz"
expect_exit 0
expect_out_has "$tmp/de.mrz: P D, primary MUELLER, secondary HANS, number L898902C3, nationality UTO, born 1974-08-12, sex F, expires 2012-04-15"
expect_out_has "$tmp/de.mrz:1: note: the MRZ writes MUELLER HANS, the card MULLER HANS: ICAO transliteration"

# --- numbers -----------------------------------------------------------------
run zr-namecheck --card-number AB1234567CD
expect_exit 1
expect_out_is "card number AB1234567CD: 11 characters (2 letters, 7 digits, 2 letters): a residence card number has 12 (2 letters, 8 digits, 2 letters)"
run zr-namecheck --card-number AB12345O78CD
expect_out_is 'card number AB12345O78CD: position 8: "O" should be a digit (letter O for zero?)'
run zr-namecheck --my-number 123456789017
expect_exit 1
expect_out_is "My Number: check digit (the 12th) is 7, the other 11 digits give 8: a digit is mistyped"
run zr-namecheck --json --my-number 123456789018
expect_exit 0
expect_out_is '{"tool":"zr-namecheck","version":"0.1.0","status":"ok","check":"my_number","problems":[],"notes":[]}'
run zr-namecheck --json --my-number 123456789017
expect_out_lacks "12345678901"

# --- JSON for names, agreement; determinism ----------------------------------
run zr-namecheck --json --rules-date 2026-11-23 --card "$card" "Ishmam Abir Chowdhury" "$card"
expect_exit 1
expect_out_is '{"tool":"zr-namecheck","version":"0.1.0","status":"problem","check":"name","input":"Ishmam Abir Chowdhury","card":"CHOWDHURY ISHMAM ABIR","rules_date":"2026-11-23","problems":[{"code":"case","message":"lowercase letters (\"s\", \"h\", \"m\", ...): the card and the form use capitals"},{"code":"order","message":"family name CHOWDHURY comes last: the card puts it first (CHOWDHURY ISHMAM ABIR)"}],"notes":[]}
{"tool":"zr-namecheck","version":"0.1.0","status":"ok","check":"name","input":"CHOWDHURY ISHMAM ABIR","card":"CHOWDHURY ISHMAM ABIR","rules_date":"2026-11-23","problems":[],"notes":[]}'
run zr-namecheck --json --form --rules-date 2025-12-01 "Sample Taro"
expect_out_is '{"tool":"zr-namecheck","version":"0.1.0","status":"ok","check":"form","input":"Sample Taro","rules_date":"2025-12-01","form":"SAMPLE,TARO","problems":[],"notes":[]}'
(cd "$tmp/docs" && zr-namecheck --json --agree application.facts card.facts passport.facts) > "$out" 2> "$err"
rc=$?
expect_exit 1
expect_out_has '{"tool":"zr-namecheck","version":"0.1.0","status":"problem","check":"agree","file":"application.facts","reference":"card.facts","problems":[{"code":"differs","message":"name \"CHOWDHURY ABIR\" differs from card.facts:1 \"CHOWDHURY ISHMAM ABIR\"","file":"application.facts","line":3,"key":"name","value":"CHOWDHURY ABIR","reference_file":"card.facts","reference_line":1,"reference_value":"CHOWDHURY ISHMAM ABIR"}],"notes":[]}'
expect_out_has '"status":"ok","check":"agree","file":"passport.facts","reference":"card.facts"'
run zr-namecheck -v --agree "$tmp/docs/card.facts" "$tmp/docs/passport.facts"
expect_exit 0
expect_out_is "2 documents agree with $tmp/docs/card.facts"
runin "$tmp/names.txt" zr-namecheck --json --card "SAMPLE TARO JOHN" -o "$tmp/a.json"
expect_exit 1
runin "$tmp/names.txt" zr-namecheck --json --card "SAMPLE TARO JOHN" -o "$tmp/b.json"
expect_same_bytes "$tmp/a.json" "$tmp/b.json"
[ "$(wc -l < "$tmp/a.json")" -eq 3 ] && ok || nok "three JSON lines"

# --- --get: one value of a facts file, for scripts (zr-renew) -----------------
printf 'name = SAMPLE TARO\ncard_number = ab12345678cd\n# note\naddress = 1-2 Chuo, Fukuoka\n' > "$tmp/get.facts"
run zr-namecheck --facts "$tmp/get.facts" --get card_number
expect_exit 0
expect_out_is "ab12345678cd"
expect_err_empty
run zr-namecheck --facts "$tmp/get.facts" --get address
expect_out_is "1-2 Chuo, Fukuoka"
run zr-namecheck --facts "$tmp/get.facts" --get birth_date
expect_exit 1
expect_out_empty
expect_err_is "zr-namecheck: $tmp/get.facts: no birth_date"
run zr-namecheck -q --facts "$tmp/get.facts" --get birth_date
expect_exit 1
expect_err_empty
run zr-namecheck --json --facts "$tmp/get.facts" --get name
expect_exit 0
expect_out_is "{\"tool\":\"zr-namecheck\",\"version\":\"0.1.0\",\"status\":\"ok\",\"check\":\"get\",\"file\":\"$tmp/get.facts\",\"key\":\"name\",\"value\":\"SAMPLE TARO\",\"problems\":[],\"notes\":[]}"
run zr-namecheck --get name
expect_exit 2
expect_err_has "--get reads one value of --facts file"
run zr-namecheck --facts "$tmp/get.facts" --get name "SAMPLE TARO"
expect_exit 2

# --- bad input: exit 2, one line, no output file -----------------------------
run zr-namecheck --card "$card" ""
expect_exit 2
expect_err_is "zr-namecheck: argument 1: empty name"
run zr-namecheck --card "$card" "$(printf 'A\tB')"
expect_exit 2
expect_err_is "zr-namecheck: argument 1: control character U+0009 at byte 2"
run zr-namecheck --card "$card" "$(printf 'A\377B')"
expect_exit 2
expect_err_is "zr-namecheck: argument 1: invalid UTF-8 at byte 2"
run zr-namecheck --card "$card" "$(printf 'A%.0s' $(seq 1 1025))"
expect_exit 2
expect_err_is "zr-namecheck: argument 1: name longer than 1024 bytes"
run zr-namecheck --card "" "A"
expect_exit 2
expect_err_is "zr-namecheck: --card: empty name"
printf 'SAMPLE TARO JOHN\n\nX\n' > "$tmp/blank.txt"
runin "$tmp/blank.txt" zr-namecheck --card "SAMPLE TARO JOHN" -o "$tmp/o.txt"
expect_exit 2
expect_err_is "zr-namecheck: <stdin>:2: empty name"
expect_no_file "$tmp/o.txt"
printf 'SAMPLE TARO\n%s\n' "$(printf 'A%.0s' $(seq 1 1025))" > "$tmp/long.txt"
runin "$tmp/long.txt" zr-namecheck --card "SAMPLE TARO JOHN"
expect_exit 2
expect_err_is "zr-namecheck: <stdin>: line 2: longer than 1024 bytes"
printf 'A\0B\n' > "$tmp/nul.txt"
runin "$tmp/nul.txt" zr-namecheck --form
expect_exit 2
expect_err_is "zr-namecheck: <stdin>:1: control character U+0000 at byte 2"
runin /dev/null zr-namecheck --form
expect_exit 2
expect_err_is "zr-namecheck: <stdin>: no names to check"
printf '%s\n%s\n' "$spec1" 'L898902C36UTO7408122F1204159ZE184226B<<<<<1' > "$tmp/short.mrz"
run zr-namecheck --mrz "$tmp/short.mrz" -o "$tmp/o.txt"
expect_exit 2
expect_err_is "zr-namecheck: $tmp/short.mrz:2: 43 characters: a passport MRZ (TD3) line has 44"
expect_no_file "$tmp/o.txt"
printf '%s\n%s\n' 'P<UTOEriksson<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<' "$spec2" > "$tmp/lower.mrz"
run zr-namecheck --mrz "$tmp/lower.mrz"
expect_exit 2
expect_err_is "zr-namecheck: $tmp/lower.mrz:1: column 7: illegal character 'r' (an MRZ has only A-Z, 0-9 and <)"
printf '%s\n' "$spec1" > "$tmp/one.mrz"
run zr-namecheck --mrz "$tmp/one.mrz"
expect_exit 2
expect_err_is "zr-namecheck: $tmp/one.mrz:1: one line: a passport MRZ (TD3) has two lines of 44 characters"
head -c 5000 /dev/zero > "$tmp/big.mrz"
run zr-namecheck --mrz "$tmp/big.mrz"
expect_exit 2
expect_err_is "zr-namecheck: $tmp/big.mrz: larger than 4096 bytes: not a passport MRZ"
run zr-namecheck --mrz "$tmp/none.mrz"
expect_exit 2
run zr-namecheck --card-number ""
expect_exit 2
expect_err_is "zr-namecheck: --card-number: empty card number"
run zr-namecheck --my-number "$(printf '12\0013')"
expect_exit 2
run zr-namecheck --card "$card" --card "$card" --rules-date 2019-01-01 X
expect_exit 2
expect_err_is 'zr-namecheck: --rules-date: no rule "name.separator" known for 2019-01-01'
printf 'name = X\nnmae = Y\n' > "$tmp/bad.facts"
run zr-namecheck --facts "$tmp/bad.facts" X
expect_exit 2
expect_err_is "zr-namecheck: $tmp/bad.facts:2: unknown key \"nmae\" (did you mean \"name\"?)"
printf 'sex = M\n' > "$tmp/noname.facts"
run zr-namecheck --facts "$tmp/noname.facts" X
expect_exit 2
expect_err_is "zr-namecheck: $tmp/noname.facts: no name: add \"name = ...\" as on the card"
run zr-namecheck --agree "$tmp/docs/card.facts" "$tmp/bad.facts"
expect_exit 2
cp "$tmp/docs/card.facts" "$tmp/keep.facts"
run zr-namecheck --facts "$tmp/keep.facts" "$card" -o "$tmp/keep.facts"
expect_exit 2
expect_err_has "output would overwrite the input"
expect_same_bytes "$tmp/docs/card.facts" "$tmp/keep.facts"
run zr-namecheck --agree "$tmp/keep.facts" "$tmp/docs/passport.facts" -o "$tmp/docs/passport.facts"
expect_exit 2
expect_err_has "output would overwrite the input"

# Usage errors: one reason line, then the usage; exit 2.
run zr-namecheck
expect_exit 2
[ "$(head -1 "$err")" = "zr-namecheck: nothing to check: give --card, --facts, --form, --mrz, --card-number, --my-number or --agree" ] && ok || nok "usage reason"
expect_err_has "usage: zr-namecheck"
run zr-namecheck "Some Name"
expect_exit 2
run zr-namecheck --agree "$facts"
expect_exit 2
run zr-namecheck --agree --card X a b
expect_exit 2
run zr-namecheck --mrz - --my-number -
expect_exit 2
run zr-namecheck --bogus
expect_exit 2
run zr-namecheck --help
expect_exit 0
expect_out_has "usage: zr-namecheck"
run zr-namecheck --version
expect_out_is "zr-namecheck (zairyu-tools) 0.1.0"

# A full stdout is an error.
zr-namecheck --card "$card" "Ishmam Abir Chowdhury" > /dev/full 2> "$err"
rc=$?
t_cmd="zr-namecheck ... > /dev/full"
expect_exit 2
expect_err_has "write error"
