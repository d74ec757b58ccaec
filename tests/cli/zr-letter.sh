# CLI tests for zr-letter: the mail-in kit, as a user runs it.
. tests/cli/lib.sh

S=examples/sample
facts=$S/case.facts
mail=$S/completion-mail.eml
num=東オンＥＮ26004321

# Help, version, usage errors (exit 2, one reason line, then the usage).
run zr-letter -h
expect_exit 0
expect_out_has "usage: zr-letter [-qv] [--facts file] [--mail file]"
run zr-letter -V
expect_exit 0
expect_out_has "zr-letter (zairyu-tools)"
run zr-letter
expect_exit 2
expect_err_has "zr-letter: give --facts, --mail or --set"
expect_err_has "usage: zr-letter"
run zr-letter --facts $facts --text --json
expect_exit 2
expect_err_has "exclude each other"
run zr-letter --facts $facts --pickup drone
expect_exit 2
expect_err_has "--pickup: \"drone\" is not post or counter"
run zr-letter --facts $facts --fee 5,500
expect_exit 2
expect_err_is "zr-letter: --fee: \"5,500\" is not an amount in yen (0 to 10000000)"
run zr-letter --facts $facts extra
expect_exit 2
expect_err_has "unexpected argument"
run zr-letter --facts - --mail -
expect_exit 2
expect_err_has "cannot both read standard input"
run zr-letter --set name
expect_exit 2
expect_err_has "is not key=value"
run zr-letter --facts $facts --rules-date 2026-13-01
expect_exit 2
expect_err_has "--rules-date:"

# The PDF from the sample (man page example 1): quiet, A4, valid, the font
# embedded, the values and the Japanese text in it.
run zr-letter --facts $facts --mail $mail --today 2026-11-25 -o "$tmp/kit.pdf"
expect_exit 0
expect_err_empty
expect_out_empty
pdftotext "$tmp/kit.pdf" "$tmp/kit.txt" 2>/dev/null
for s in "$num" "5,500円" "SAMPLE TARO JOHN" "パスポート（旅券）は入れない" \
	"在留カード（原本）" "〒135-0064" "東京出入国在留管理局" \
	"サンプルハイツ101" "460円分の切手" "レターパックプラス（600円）" \
	"2026-12-04" "申請受付日：令和8年11月2日" "Do NOT enclose your passport"; do
	grep -qF -- "$s" "$tmp/kit.txt" && ok || nok "PDF text lacks: $s"
done
pdffonts "$tmp/kit.pdf" 2>/dev/null | grep 'IPAexGothic' | grep -q 'CID TrueType.*yes' &&
	ok || nok "font not embedded"
qpdf --check "$tmp/kit.pdf" >/dev/null 2>&1 && ok || nok "qpdf --check failed"
pdfinfo "$tmp/kit.pdf" 2>/dev/null | grep -q 'Page size:.*(A4)' && ok || nok "not A4"
grep -qa CreationDate "$tmp/kit.pdf" && nok "PDF carries a date" || ok

# Deterministic bytes: later, in another time zone and locale.
sleep 1
TZ=America/New_York LC_ALL=C zr-letter --facts $facts --mail $mail -o "$tmp/kit2.pdf"
expect_same_bytes "$tmp/kit.pdf" "$tmp/kit2.pdf"
runin "$mail" zr-letter --facts $facts --mail - -o -
expect_exit 0
expect_same_bytes "$tmp/kit.pdf" "$out"

# --text: the same content as UTF-8 (man page example 2: pasted text).
iconv -f ISO-2022-JP -t UTF-8 $mail | sed '1,/^$/d' > "$tmp/pasted.txt"
runin "$tmp/pasted.txt" zr-letter --facts $facts --mail - --text
expect_exit 0
expect_out_has "申請受付番号 / Receipt number: $num"
expect_out_has "[ ] 手数料納付書：5,500円の収入印紙を貼り"
expect_out_has "[!] パスポート（旅券）は入れない。"
expect_out_has "        〒135-0064"
expect_out_has "        SAMPLE TARO JOHN 様"
expect_out_has "| 申請受付番号：$num"
# Pasted text has no Date: the mail-by date needs completion_date.
expect_err_is "zr-letter: warning: the date of the completion mail is unknown: set completion_date for the mail-by date"
run zr-letter --facts $facts --mail $mail --text
expect_out_has "郵送の期限（目安） / Mail by (about): 2026-12-04"
cp "$out" "$tmp/kit-text.txt"
for s in "$num" "5,500円" "SAMPLE TARO JOHN" "パスポート（旅券）は入れない"; do
	grep -qF -- "$s" "$tmp/kit-text.txt" && ok || nok "text lacks: $s"
done

# --json (man page example 3: facts on the command line only).
run zr-letter --set "name=SAMPLE TARO JOHN" --set postcode=135-0064 \
	--set "address=東京都江東区青海1-2-3" --set receipt_number=東オンEN26004321 \
	--set receipt_date=2026-11-02 --set application=extension --json
expect_exit 0
expect_out_has '{"tool":"zr-letter","version":'
expect_out_has '"receipt_number":"東オンＥＮ26004321","receipt_date":"2026-11-02","completion_date":null'
expect_out_has '"fee_rule":"fee.extension.online","fee":5500,"rules_fee":5500,"mail_fee":null'
expect_out_has '"postage":{"letter":110,"simple_registered":350,"return_envelope":460,"letterpack_plus":600}'
expect_out_has '"from_mail":false'
expect_err_has "warning: the send-to address is the usual one"
[ "$(wc -l < "$out")" -eq 1 ] && ok || nok "JSON is not one line"
run zr-letter -q --set "name=SAMPLE TARO JOHN" --set postcode=135-0064 \
	--set "address=東京都江東区青海1-2-3" --set receipt_number=東オンEN26004321 \
	--set receipt_date=2026-11-02 --set application=extension --json
expect_err_empty

# Man page example 4: --rules-date, for an application accepted before
# 2025-04-01 (the fee of the acceptance date is the default).
{ cat $facts; printf 'receipt_number = 東オンEN25000001\nreceipt_date = 2025-03-28\n'
  printf 'completion_date = 2025-04-10\n'; } > "$tmp/old.facts"
run zr-letter --facts "$tmp/old.facts" --json
expect_exit 0
expect_out_has '"fee":4000'
expect_out_has '"deadline":"2025-04-24"'
run zr-letter --facts "$tmp/old.facts" --rules-date 2025-04-01 --json
expect_exit 0
expect_out_has '"rules_date":"2025-04-01","fee_rule":"fee.extension.online","fee":5500'

# -v: one line about what was written.
run zr-letter -v --facts $facts --mail $mail -o "$tmp/v.pdf"
expect_exit 0
expect_err_has "zr-letter: $tmp/v.pdf: post, SAMPLE TARO JOHN, receipt $num, fee 5500 yen (online, accepted on 2026-11-02)"

# Mails made now in each encoding decode to the same kit.
cat > "$tmp/body.txt" <<'EOF'
TEST HANAKO 様
次の申請の審査が完了しました。
申請受付番号：東オンＥＮ２６００４３２１
申請受付日：２０２６年１１月２日
在留期間更新許可申請
郵送による在留カードの受領を希望されているため、次のものを郵送してください。
手数料納付書（手数料額 ５，５００円）

【送付先】
〒１３５-００６４
東京都江東区青海２-７-１１
東京出入国在留管理局

※架空のテスト用メールです。
EOF
{
	printf 'From: test@example.invalid\nSubject: =?Shift_JIS?B?%s?=\n' \
		"$(printf '審査完了に関するお知らせ' | iconv -f UTF-8 -t SHIFT_JIS | base64 -w0)"
	printf 'Date: Fri, 20 Nov 2026 09:00:00 +0900\nMIME-Version: 1.0\n'
	printf 'Content-Type: text/plain; charset=Shift_JIS\nContent-Transfer-Encoding: base64\n\n'
	iconv -f UTF-8 -t SHIFT_JIS "$tmp/body.txt" | base64
} > "$tmp/sjis.eml"
# Quoted-printable, by hand: bytes >= 0x80 and "=" as =XX, soft breaks.
qp() {
	od -An -v -tu1 | tr -s ' ' '\n' | awk '
	BEGIN { col = 0 }
	$1 == "" { next }
	$1 == 10 { printf "\n"; col = 0; next }
	{ if (col > 70) { printf "=\n"; col = 0 }
	  if ($1 >= 128 || $1 == 61) { printf "=%02X", $1; col += 3 }
	  else { printf "%c", $1; col++ } }'
}
{
	printf 'From: test@example.invalid\nSubject: test\n'
	printf 'Date: Fri, 20 Nov 2026 09:00:00 +0900\nMIME-Version: 1.0\n'
	printf 'Content-Type: multipart/alternative; boundary="zz"\n\n--zz\n'
	printf 'Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n'
	qp < "$tmp/body.txt"
	printf '\n--zz\nContent-Type: text/html; charset=utf-8\n\n<p>html</p>\n--zz--\n'
} > "$tmp/qp.eml"
{
	printf 'Subject: test\nDate: Fri, 20 Nov 2026 09:00:00 +0900\n'
	printf 'Content-Type: text/plain; charset=euc-jp\nContent-Transfer-Encoding: 8bit\n\n'
	iconv -f UTF-8 -t EUC-JP "$tmp/body.txt"
} > "$tmp/euc.eml"
iconv -f UTF-8 -t CP932 "$tmp/body.txt" > "$tmp/pasted-sjis.txt"
for m in sjis.eml qp.eml euc.eml; do
	run zr-letter --facts $facts --mail "$tmp/$m" --json
	expect_exit 0
	expect_out_has '"receipt_number":"東オンＥＮ26004321","receipt_date":"2026-11-02","completion_date":"2026-11-20","deadline":"2026-12-04"'
	expect_out_has '"mail_fee":5500'
	expect_out_has '"send_to":{"postcode":"135-0064","address":"東京都江東区青海2-7-11\n東京出入国在留管理局","from_mail":true}'
done
runin "$tmp/pasted-sjis.txt" zr-letter --facts $facts --mail - --json --set completion_date=2026-11-20
expect_exit 0
expect_out_has '"receipt_number":"東オンＥＮ26004321"'

# The counter case: says so, pick-up list and its 14-day date.
run zr-letter --facts $facts --mail $S/completion-counter.eml --text
expect_exit 0
expect_out_has "在留カードの窓口受領"
expect_out_has "Your mail says you chose pick-up at the counter: no mail-in kit is needed."
expect_out_has "[ ] パスポート（旅券）"
expect_out_has "受領の期限 / Pick up by: 2026-12-05"
expect_out_has "        見本出入国在留管理局 窓口(架空)"
expect_out_lacks "返信用封筒"
run zr-letter --facts $facts --mail $S/completion-counter.eml -o "$tmp/counter.pdf"
expect_exit 0
pdftotext "$tmp/counter.pdf" - 2>/dev/null | grep -qF "窓口" && ok || nok "counter PDF"
run zr-letter --facts $facts --mail $S/completion-counter.eml --pickup post -o "$tmp/no.pdf"
expect_exit 1
expect_err_is "zr-letter: $S/completion-counter.eml: --pickup post, but the mail is about pick-up at the counter (窓口)"
expect_no_file "$tmp/no.pdf"

# Missing facts: exit 2, the key and the file named, no PDF.
grep -v '^postcode' $facts > "$tmp/nopost.facts"
run zr-letter --facts "$tmp/nopost.facts" --mail $mail -o "$tmp/no.pdf"
expect_exit 2
expect_err_is "zr-letter: $tmp/nopost.facts: required key \"postcode\" is missing (postcode in Japan, 123-4567)"
expect_no_file "$tmp/no.pdf"
run zr-letter --facts $facts -o "$tmp/no.pdf"
expect_exit 2
expect_err_has "zr-letter: $facts: required key \"receipt_number\" is missing"
expect_no_file "$tmp/no.pdf"

# A contradiction between the facts and the mail: exit 1, no PDF.
{ cat $facts; echo "receipt_number = 東オンEN26004322"; } > "$tmp/other.facts"
run zr-letter --facts "$tmp/other.facts" --mail $mail -o "$tmp/no.pdf"
expect_exit 1
expect_err_is "zr-letter: $tmp/other.facts:19: receipt_number is 東オンＥＮ26004322 here but 東オンＥＮ26004321 in $mail"
expect_no_file "$tmp/no.pdf"

# A receipt number of the wrong shape: exit 2, no PDF.
run zr-letter --facts $facts --mail $mail --set receipt_number=東オンEN2600432 -o "$tmp/no.pdf"
expect_exit 2
expect_err_has "receipt_number: receipt number \"東オンEN2600432\": not exactly 8 digits after the letters"
expect_no_file "$tmp/no.pdf"
sed 's/２６００４３２１/２６００４３/' "$tmp/body.txt" | iconv -f UTF-8 -t ISO-2022-JP > "$tmp/badnum.txt"
run zr-letter --facts $facts --mail "$tmp/badnum.txt" -o "$tmp/no.pdf"
expect_exit 2
expect_err_has "zr-letter: $tmp/badnum.txt: receipt number"
expect_no_file "$tmp/no.pdf"

# A fee that disagrees with the rules table: exit 1; --fee accepts it.
sed 's/５，５００円/６，０００円/' "$tmp/body.txt" > "$tmp/fee.txt"
run zr-letter --facts $facts --mail "$tmp/fee.txt" --set completion_date=2026-11-20 -o "$tmp/no.pdf"
expect_exit 1
expect_err_is "zr-letter: $tmp/fee.txt: the mail says the fee is 6,000 yen but applications accepted on 2026-11-02 pay 5,500 yen online; if the mail is right, pass --fee 6000"
expect_no_file "$tmp/no.pdf"
run zr-letter --facts $facts --mail "$tmp/fee.txt" --set completion_date=2026-11-20 --fee 6000 --text
expect_exit 0
expect_out_has "6,000円"

# Unknown encodings and mojibake: exit 2, no PDF.
printf 'Subject: x\nContent-Type: text/plain; charset=x-klingon\n\nabc\n' > "$tmp/klingon.eml"
run zr-letter --facts $facts --mail "$tmp/klingon.eml" -o "$tmp/no.pdf"
expect_exit 2
expect_err_is "zr-letter: $tmp/klingon.eml: unknown character set \"x-klingon\""
expect_no_file "$tmp/no.pdf"
iconv -f ISO-8859-1 -t UTF-8 "$tmp/body.txt" > "$tmp/mojibake.txt"
run zr-letter --facts $facts --mail "$tmp/mojibake.txt" -o "$tmp/no.pdf"
expect_exit 2
expect_err_has "the text is garbled: it looks like UTF-8 read as Latin-1"
expect_no_file "$tmp/no.pdf"
printf '\200\377\200\377 abc\n' > "$tmp/binary.txt"
run zr-letter --facts $facts --mail "$tmp/binary.txt"
expect_exit 2
expect_err_has "unknown encoding"
run zr-letter --facts $facts --mail "$tmp/absent.eml"
expect_exit 2
expect_err_has "zr-letter: $tmp/absent.eml:"

# No font: exit 2, no PDF.
run zr-letter --facts $facts --mail $mail --font "$tmp/absent.ttf" -o "$tmp/no.pdf"
expect_exit 2
expect_err_has "zr-letter: $tmp/absent.ttf: cannot open the font"
expect_no_file "$tmp/no.pdf"

# Never overwrite an input; a full disk is an error.
cp $facts "$tmp/in.facts"
run zr-letter --facts "$tmp/in.facts" --mail $mail -o "$tmp/in.facts"
expect_exit 2
cmp -s $facts "$tmp/in.facts" && ok || nok "input overwritten"
zr-letter --facts $facts --mail $mail --text >/dev/full 2>"$err"
rc=$?
expect_exit 2
zr-letter --facts $facts --mail $mail -o - >/dev/full 2>"$err"
rc=$?
expect_exit 2

# An agent filed: the return envelope goes to the agent's office.
{ cat "$facts"; printf 'agent_name = 行政 花子\nagent_occupation = 行政書士\nagent_phone = 03-1111-2222\nagent_postcode = 100-0001\nagent_address = 東京都千代田区千代田1-1 サンプル事務所\n'; } > "$tmp/agent.facts"
run zr-letter --facts "$tmp/agent.facts" --mail $mail --text
expect_exit 0
expect_out_has "〒100-0001"
expect_out_has "東京都千代田区千代田1-1 サンプル事務所"
expect_out_has "行政 花子 様"

# --- issue 15: cases where the card cannot come by post (A53, A57, A70) -----
K="--facts $facts --set receipt_number=東オンEN26004321 --set receipt_date=2026-11-02 --set completion_date=2026-11-20"
run zr-letter $K --set status=Official --text
expect_exit 0
expect_err_has "zr-letter: warning: this card cannot come by post (status Official)"
expect_out_has "Picking up your new residence card at the counter"
expect_out_has "With the status \"Official\" the passport needs a seal"
run zr-letter $K --set add_name_kanji=yes --json
expect_out_has '"pickup":"counter"'
expect_out_has '"counter_reasons":["kanji_name"]'
run zr-letter $K --set add_name_kanji=yes --set name_kanji=見本太郎 --json
expect_out_has '"pickup":"post"'
run zr-letter $K --set also_filed=reentry --set stay_period=3m --json
expect_out_has '"counter_reasons":["passport_stamp"]'
run zr-letter $K --set also_filed=reentry --set stay_period=1y --json
expect_out_has '"counter_reasons":[]'
run zr-letter $K --set birth_date=2011-02-01 --json
expect_out_has '"counter_reasons":["under_16"]'
run zr-letter $K --set birth_date=2011-06-01 --json
expect_out_has '"counter_reasons":[]'
# The kit: re-entry remedy and the 14-day reports; no internal references.
run zr-letter $K --text
expect_out_has "get an ordinary re-entry permit at an immigration counter before you mail the card"
expect_out_has "Report changes within 14 days: a new address at your city office"
expect_out_lacks "rules-facts"
expect_out_lacks "fee.extension"
expect_out_lacks "(A6"
run zr-letter $K --text --set status=Official
expect_out_has "Report changes within 14 days"

# --- --today: the day the kit is made and posted --------------------------------
# Same inputs and the same --today: the same bytes (PDF and text).
run zr-letter --facts $facts --mail $mail --today 2026-11-25 -o "$tmp/t1.pdf"
expect_exit 0
run zr-letter --facts $facts --mail $mail --today 2026-11-25 -o "$tmp/t2.pdf"
expect_exit 0
expect_same_bytes "$tmp/t1.pdf" "$tmp/t2.pdf"
# Within the 14 days (mail of 2026-11-20, mail by 2026-12-04): quiet; the
# last day itself is not late.
run zr-letter --facts $facts --mail $mail --today 2026-12-04 -o "$tmp/t3.pdf"
expect_exit 0
expect_err_empty
expect_same_bytes "$tmp/t1.pdf" "$tmp/t3.pdf"
# After it: said (not with -q), the kit still written, the same content
# (the postage of both days is the same), exit 0; a JSON note "deadline".
run zr-letter --facts $facts --mail $mail --today 2026-12-05 -o "$tmp/t4.pdf"
expect_exit 0
expect_err_is "zr-letter: warning: the mail-by date 2026-12-04 (14 days after the completion mail) is past on 2026-12-05: ask the immigration office what to do"
expect_same_bytes "$tmp/t1.pdf" "$tmp/t4.pdf"
run zr-letter -q --facts $facts --mail $mail --today 2026-12-05 --text
expect_exit 0
expect_err_empty
run zr-letter --facts $facts --mail $mail --today 2026-12-05 --json
expect_exit 0
expect_json_valid
expect_out_has '"status":"ok"'
expect_out_has '"code":"deadline","message":"the mail-by date 2026-12-04 (14 days after the completion mail) is past on 2026-12-05: ask the immigration office what to do"'
run zr-letter --facts $facts --mail $mail --today 2026-12-04 --json
expect_out_lacks '"deadline","message"'
expect_out_has '"postage_date":"2026-12-04"'
# The counter case: the pick-up date.
run zr-letter --facts $facts --mail $S/completion-counter.eml --today 2026-12-31 --text
expect_exit 0
expect_err_has "zr-letter: warning: the pick-up date "
# Postage is that of the day of posting (Japan Post raised it on
# 2024-10-01, rules-facts §3.2); the fee stays that of the receipt date.
P="--facts $facts --set receipt_number=東オンEN24000001 --set receipt_date=2024-09-02 --set completion_date=2024-09-20"
run zr-letter $P --today 2024-09-30 --json
expect_exit 0
expect_out_has '"rules_date":"2024-09-02","fee_rule":"fee.extension.online","fee":4000'
expect_out_has '"postage":{"letter":84,"simple_registered":350,"return_envelope":434,"letterpack_plus":520},"postage_date":"2024-09-30"'
run zr-letter $P --today 2024-10-01 --json
expect_exit 0
expect_out_has '"rules_date":"2024-09-02","fee_rule":"fee.extension.online","fee":4000'
expect_out_has '"postage":{"letter":110,"simple_registered":350,"return_envelope":460,"letterpack_plus":600},"postage_date":"2024-10-01"'
run zr-letter $P --today 2024-09-30 --text
expect_out_has "Letter Pack Plus (520 yen)"
cp "$out" "$tmp/p1.txt"
run zr-letter $P --today 2024-10-01 --text
expect_out_has "Letter Pack Plus (600 yen)"
cmp -s "$out" "$tmp/p1.txt" && nok "--today did not change the postage in the kit" || ok
# --rules-date decides both.
run zr-letter $P --today 2024-10-01 --rules-date 2024-09-30 --json
expect_out_has '"letterpack_plus":520},"postage_date":"2024-09-30"'
# The 16th-birthday case without a completion date: the card is issued
# about --today (A53: under 16 with less than 6 months to go).
U="--facts $facts --set receipt_number=東オンEN26004321 --set receipt_date=2026-11-02 --set birth_date=2011-02-01"
run zr-letter -q $U --today 2026-11-25 --json
expect_exit 0
expect_out_has '"counter_reasons":["under_16"]'
run zr-letter -q $U --today 2027-02-10 --json
expect_exit 0
expect_out_has '"counter_reasons":[]'
# A bad --today: a usage error, nothing written.
run zr-letter --facts $facts --mail $mail --today 2026-13-01 -o "$tmp/bad.pdf"
expect_exit 2
expect_err_has "zr-letter: --today: "
expect_no_file "$tmp/bad.pdf"
