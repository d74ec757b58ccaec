# CLI tests for zr-deadline: run the built binary as a user would.
. tests/cli/lib.sh

# The man page's examples and the basic report.
run zr-deadline --expiry 2026-05-31 --today 2026-03-01
expect_exit 0
expect_out_has "2026-02-28 Sat  first day to apply"
expect_out_has "2026-05-30 Sat  last day to apply online  <- next"
expect_out_has "2026-06-01 Mon  last day to apply at a counter  [the expiry 2026-05-31 is a Sunday: next open day]"
expect_out_has "2026-07-31 Fri  special period ends if applied in time"
expect_out_has "today 2026-03-01: open: 90 days left to apply online (last day 2026-05-30)"
expect_out_has "fee if granted: 5,500 yen online, 6,000 yen at a counter"
expect_err_empty

# Japanese and era dates are accepted the same way.
run zr-deadline --expiry 令和8年5月31日 --today R8.3.1
expect_exit 0
expect_out_has "open: 90 days left"

# Rules by date: the fee before 2025-04-01.
run zr-deadline --expiry 2026-05-31 --today 2026-03-01 --rules-date 2025-03-31
expect_out_has "fee if granted: 4,000 yen online, 4,000 yen at a counter (rules of 2025-03-31)"

# Facts file, with command-line values winning.
run zr-deadline --facts examples/sample/case.facts --today 2026-11-23
expect_exit 0
expect_out_has "SAMPLE TARO JOHN: period of stay 3y ends 2027-01-31 (Sun)"
run zr-deadline --facts examples/sample/case.facts --expiry 2026-12-01 --today 2026-11-23
expect_exit 1
expect_out_has "ends 2026-12-01"

# Exit 1: within --warn days, expired, online closed; -q prints nothing.
run zr-deadline --expiry 2026-05-31 --today 2026-05-20
expect_exit 1
run zr-deadline --expiry 2026-05-31 --today 2026-05-20 --warn 5
expect_exit 0
run zr-deadline -q --expiry 2026-05-31 --today 2026-06-02
expect_exit 1
expect_out_empty
run zr-deadline --expiry 2026-05-31 --today 2026-05-31
expect_exit 1
expect_out_has "online closed: apply at a counter by 2026-06-01 (Mon)"
run zr-deadline --expiry 2026-05-31 --today 2026-06-02
expect_out_has "expired: the period of stay ended 2026-05-31"

# Short stays: the midpoint.
run zr-deadline --expiry 2026-05-31 --period 3m --today 2026-04-01
expect_out_has "2026-04-15 Wed  about half the period has passed"
expect_out_has "too early: the window opens 2026-04-15 (in 14 days)"

# Optional events.
run zr-deadline --expiry 2031-05-31 --today 2026-11-23 --completion-mail 2026-11-20 \
	--jpki-issued 2024-06-01 --birth 1990-04-01 --lost 2026-11-22
expect_exit 1
expect_out_has "2026-12-04 Fri  mail the card kit"
expect_out_has "2026-12-06 Sun  apply for a new card (lost or stolen) within 14 days"
expect_out_has "2029-04-01 Sun  My Number card's JPKI certificates expire"
expect_out_has "visit the city office to extend the My Number card"

# JSON: one object, fixed keys; TSV; determinism.
run zr-deadline --expiry 2026-05-31 --today 2026-03-01 --json
expect_exit 0
expect_out_has '{"tool":"zr-deadline","version":"0.1.0","status":"ok","name":null,"stay_expiry":"2026-05-31","period":null,"today":"2026-03-01","stage":"open",'
expect_out_has '"next":"online_last","next_date":"2026-05-30","days_left":90,"events":[{"id":"window_open","date":"2026-02-28","action":false,'
[ "$(wc -l < "$out")" -eq 1 ] && ok || nok "JSON is one line"
if command -v python3 >/dev/null; then
	python3 -c 'import json,sys; json.loads(sys.stdin.read())' < "$out" && ok || nok "JSON parses"
fi
# --get: the same values, one per line, for scripts (zr-renew).
run zr-deadline --expiry 2026-05-31 --today 2026-03-01 --get stage,next,next_date,days_left,window_open,jpki_end,status
expect_exit 0
expect_out_is "open
online_last
2026-05-30
90
2026-02-28

ok"
run zr-deadline --expiry 2026-05-31 --today 2026-09-01 --get summary
expect_exit 1
expect_out_is "expired: the period of stay ended 2026-05-31 and the last day to apply was 2026-06-01"
run zr-deadline -q --expiry 2026-05-31 --today 2026-09-01 --get next
expect_exit 1
expect_out_is ""
run zr-deadline --expiry 2026-05-31 --get stage,nosuch
expect_exit 2
expect_err_has 'zr-deadline: --get: not keys of the JSON object or event ids: "stage,nosuch"'
expect_out_empty
run zr-deadline --roster /dev/null --get stage
expect_exit 2
run zr-deadline --expiry 2026-05-31 --today 2026-03-01 --tsv --name "A B"
expect_out_has "$(printf 'A B\tonline_last\t2026-05-30\tnext\tlast day to apply online')"

# iCalendar to a file; same bytes twice.
run zr-deadline --expiry 2026-05-31 --today 2026-03-01 --name "TEST X" --ics -o "$tmp/a.ics"
expect_exit 0
expect_out_empty
run zr-deadline --expiry 2026-05-31 --today 2026-03-01 --name "TEST X" --ics -o "$tmp/b.ics"
expect_same_bytes "$tmp/a.ics" "$tmp/b.ics"
grep -q 'DTSTART;VALUE=DATE:20260530' "$tmp/a.ics" && ok || nok "ics has online_last"
[ "$(grep -c 'BEGIN:VALARM' "$tmp/a.ics")" -eq 4 ] && ok || nok "ics alarms"
[ "$(head -1 "$tmp/a.ics" | od -An -tx1 | tr -d ' \n')" = \
	"424547494e3a5643414c454e4441520d0a" ] && ok || nok "ics CRLF"

# Holidays.
run zr-deadline holidays 2026
expect_exit 0
expect_out_has "$(printf '2026-09-22\t休日')"
[ "$(wc -l < "$out")" -eq 18 ] && ok || nok "18 holidays in 2026"
run zr-deadline holidays 2019 2020
expect_out_has "$(printf '2019-05-01\t休日（祝日扱い）')"
expect_out_has "$(printf '2020-07-24\tスポーツの日')"
run zr-deadline holidays --json 2026
expect_out_has '{"tool":"zr-deadline","version":"0.1.0","status":"ok","date":"2026-01-01","name":"元日","problems":[],"notes":[]}'
run zr-deadline holidays 1900
expect_exit 2
expect_err_is "zr-deadline: holidays: years must be within 1948-2099, in order"
run zr-deadline holidays abc
expect_exit 2

# Roster: sorted by next action, bad rows reported with line numbers.
cat > "$tmp/roster.csv" <<'CSV'
name,expiry,period,employee_id
"SMITH, JOHN",2027-03-31,3y,E1
TANAKA HANAKO,2026-12-10,1y,E2
BAD DATE,2026-02-30,1y,E3
"BROKEN QUOTE,2027-01-01,1y,E4
CSV
run zr-deadline --roster "$tmp/roster.csv" --today 2026-11-23
expect_exit 1
expect_err_has "roster.csv: 4: expiry: \"2026-02-30\": February 2026 has 28 days"
expect_err_has "roster.csv:5: unterminated quoted field"
expect_err_has "2 bad rows skipped, 2 processed"
head -1 "$out" | grep -q "TANAKA HANAKO" && ok || nok "sorted by next action"
expect_out_has "SMITH, JOHN"
printf 'name,expiry\nA,2027-01-10\nB,2026-12-20\n' > "$tmp/r2.csv"
run zr-deadline --roster "$tmp/r2.csv" --today 2026-11-23 --tsv
expect_exit 0
expect_out_has "$(printf 'name\tstage\tnext\tnext_date\tdays_left\tstay_expiry\tonline_last\tline')"
sed -n 2p "$out" | grep -q "^B	open	online_last	2026-12-19	26	2026-12-20" && ok || nok "tsv roster row"
runin "$tmp/r2.csv" zr-deadline --roster - --today 2026-11-23 --json
expect_exit 0
[ "$(wc -l < "$out")" -eq 2 ] && ok || nok "two JSON lines"
: > "$tmp/empty.csv"
run zr-deadline --roster "$tmp/empty.csv"
expect_exit 2
expect_err_is "zr-deadline: $tmp/empty.csv: empty roster (expected a header: name,expiry,period,...)"
printf 'name,when\nA,2027-01-01\n' > "$tmp/nohdr.csv"
run zr-deadline --roster "$tmp/nohdr.csv"
expect_exit 2
expect_err_is "zr-deadline: $tmp/nohdr.csv: the header has no \"expiry\" column"
printf 'name,expiry\n\377\376,2027-01-01\n' > "$tmp/bad8.csv"
run zr-deadline --roster "$tmp/bad8.csv"
expect_exit 2
expect_err_is "zr-deadline: $tmp/bad8.csv:2: neither UTF-8 nor Shift_JIS (CP932) (byte 13)"
# 300 people, as an HR batch.
{ echo name,expiry,period; i=0; while [ $i -lt 300 ]; do
	echo "PERSON $i,2027-$(( i % 12 + 1 ))-$(( i % 28 + 1 )),1y"; i=$((i + 1)); done; } > "$tmp/r300.csv"
run zr-deadline --roster "$tmp/r300.csv" --today 2026-11-23 --tsv -o "$tmp/r300.tsv"
[ "$(wc -l < "$tmp/r300.tsv")" -eq 301 ] && ok || nok "300 rows out"

# Bad input: one line, exit 2, no output file.
run zr-deadline --expiry 2026-02-30
expect_exit 2
expect_err_is 'zr-deadline: --expiry: "2026-02-30": February 2026 has 28 days'
run zr-deadline --expiry tomorrow
expect_exit 2
expect_err_is 'zr-deadline: --expiry: "tomorrow": not a date (use YYYY-MM-DD)'
run zr-deadline --expiry 2026-05-31 --today 2026-03-01 --ics -o "$tmp/x/none.ics"
expect_exit 2
run zr-deadline --expiry 2026-05-31 --period forever
expect_exit 2
expect_err_is 'zr-deadline: --period: period: "forever" is not a period (use 3y, 1y6m, 6m, 90d)'
run zr-deadline --expiry 2026-05-31 --warn -3
expect_exit 2
run zr-deadline
expect_exit 2
expect_err_has "zr-deadline: no expiry: give --expiry DATE or --facts FILE with stay_expiry"
expect_err_has "usage: zr-deadline"
run zr-deadline --bogus
expect_exit 2
run zr-deadline --expiry 2026-05-31 extra
expect_exit 2
: > "$tmp/empty.facts"
run zr-deadline --facts "$tmp/empty.facts"
expect_exit 2
expect_err_is "zr-deadline: $tmp/empty.facts: no stay_expiry (add it, or give --expiry DATE)"
printf 'name = A\nnmae = B\n' > "$tmp/typo.facts"
run zr-deadline --facts "$tmp/typo.facts"
expect_exit 2
expect_err_is "zr-deadline: $tmp/typo.facts:2: unknown key \"nmae\" (did you mean \"name\"?)"
printf 'stay_expiry = 2026-05-31\nname = \342\200\n' > "$tmp/bad.facts"
run zr-deadline --facts "$tmp/bad.facts"
expect_exit 2
expect_err_has "invalid UTF-8"
run zr-deadline --facts "$tmp"
expect_exit 2
expect_err_is "zr-deadline: $tmp: is a directory"
run zr-deadline --facts "$tmp/missing.facts"
expect_exit 2
expect_err_is "zr-deadline: $tmp/missing.facts: cannot open: No such file or directory"
# The output never replaces an input.
cp examples/sample/case.facts "$tmp/c.facts"
run zr-deadline --facts "$tmp/c.facts" --today 2026-11-23 -o "$tmp/c.facts"
expect_exit 2
cmp -s examples/sample/case.facts "$tmp/c.facts" && ok || nok "input untouched"
expect_no_file "$tmp/x/none.ics"

# Write errors are not silent.
run sh -c 'zr-deadline --expiry 2026-05-31 --today 2026-03-01 > /dev/full'
expect_exit 2
expect_err_has "write error"

# --help and --version.
run zr-deadline --help
expect_exit 0
expect_out_has "usage: zr-deadline"
run zr-deadline --version
expect_out_is "zr-deadline (zairyu-tools) 0.1.0"

# The man page's EXAMPLES, as written there.
cp examples/sample/case.facts "$tmp/case.facts"
(cd "$tmp" && zr-deadline --facts case.facts --today 2026-11-23 --ics -o deadlines.ics) && ok || nok "example: facts to ics"
grep -q 'SUMMARY:SAMPLE TARO JOHN: last day to apply online' "$tmp/deadlines.ics" && ok || nok "example ics content"
(cd "$tmp" && zr-deadline -q --facts case.facts --today 2026-11-23 --warn 30) && ok || nok "example: cron quiet 0"
(cd "$tmp" && zr-deadline -q --facts case.facts --today 2027-01-10 --warn 30) && nok "example: cron due" || ok
(cd "$tmp" && cp r2.csv staff.csv && zr-deadline --roster staff.csv --today 2026-11-23 --tsv -o due.tsv) && ok || nok "example: roster"
[ "$(wc -l < "$tmp/due.tsv")" -eq 3 ] && ok || nok "example: roster rows"
[ "$(zr-deadline holidays 2026 | cut -f1 | head -1)" = 2026-01-01 ] && ok || nok "example: holidays cut"

# --- issue 15: rules that protect the right to stay --------------------------
# 1. Past the special period's end: said plainly, exit 1.
run zr-deadline --expiry 2026-05-31 --applied 2026-05-20 --today 2026-08-05
expect_exit 1
expect_out_has "today 2026-08-05: the special period is over: it ended on 2026-07-31"
expect_out_lacks "you may stay until the decision"
run zr-deadline --expiry 2026-05-31 --applied 2026-05-20 --today 2026-07-31 --json
expect_exit 0
expect_out_has '"stage":"applied","summary":"applied on 2026-05-20: in the special period, you may stay until the decision, at the latest 2026-07-31"'
# 2. The fee follows the acceptance date, not today.
run zr-deadline --expiry 2025-05-31 --applied 2025-03-31 --today 2025-08-05
expect_out_has "fee if granted: 4,000 yen online, 4,000 yen at a counter (fee of applications accepted on 2025-03-31)"
run zr-deadline --expiry 2025-05-31 --applied 2025-03-31 --today 2025-08-05 --json
expect_out_has '"fee":{"day":"2025-03-31","online":4000,"counter":4000}'
# 3. 民法 143条2項: the month's last day when the start day has no twin.
for pair in 2026-07-30:2026-09-30 2025-12-29:2026-02-28 2027-12-30:2028-02-29; do
	run zr-deadline --expiry "${pair%%:*}" --today 2025-10-01 --tsv
	expect_out_has "$(printf 'special_end\t%s' "${pair##*:}")"
done
# 4. The halfway rule only for stays of 3 months or less; odd --applied dates
#    are advice (exit 1), not usage errors.
run zr-deadline --expiry 2026-05-31 --period 4m --today 2026-03-01
expect_out_has "2026-02-28 Sat  first day to apply  [3 months before the expiry; not confirmed for periods of stay under 6 months"
expect_out_lacks "about half the period"
run zr-deadline --expiry 2026-05-31 --period 90d --today 2026-03-01
expect_out_has "about half the period has passed"
run zr-deadline --expiry 2026-05-31 --applied 2026-01-10 --today 2026-03-10
expect_exit 1
expect_out_has "warning: the application date 2026-01-10 is before the window opened (2026-02-28 to 2026-06-01): check the acceptance date"
expect_err_empty
run zr-deadline --expiry 2026-05-31 --applied 2026-03-20 --today 2026-03-10
expect_exit 1
expect_out_has "warning: the application date 2026-03-20 is after today"
# 5. --rules-date counts in --roster mode.
printf 'name,expiry,applied\nA,2026-12-20,\n' > "$tmp/rr.csv"
run zr-deadline --roster "$tmp/rr.csv" --today 2026-11-23 --rules-date 2025-03-31 --json
expect_out_has '"fee":{"day":"2025-03-31","online":4000,"counter":4000}'
run zr-deadline --roster "$tmp/rr.csv" --today 2026-11-23 --json
expect_out_has '"fee":{"day":"2026-11-23","online":5500,"counter":6000}'
# 6. Outside the calendar: exit 2, saying the range.
run zr-deadline --expiry 2100-01-01 --today 2026-01-01
expect_exit 2
expect_err_is "zr-deadline: the expiry 2100-01-01 is outside the calendar this tool knows (1948-07-20 to 2099-12-31)"
expect_out_empty
run zr-deadline --expiry 9999-12-31 --today 2026-01-01
expect_exit 2
expect_out_lacks "0000"
# Missing 1: a mail-by date after the special period ends.
run zr-deadline --expiry 2026-05-31 --applied 2026-05-20 --completion-mail 2026-07-25 --today 2026-07-25
expect_exit 1
expect_out_has "warning: by post the new status starts only when the card is delivered, and the mail-by date 2026-08-08 is after the special period ends on 2026-07-31: collect the card at the immigration counter instead"
# Missing 2: My Number card and signature certificate end dates.
run zr-deadline --expiry 2026-05-31 --today 2026-03-01 --myna-expiry 2026-04-30
expect_exit 1
expect_out_has "warning: your My Number card ends on 2026-04-30, before the last day to apply online (2026-05-30)"
run zr-deadline --expiry 2026-05-31 --today 2026-03-01 --applied 2026-03-01 --jpki-expiry 2026-07-01
expect_exit 1
expect_out_has "signature certificate ends on 2026-07-01, before the result may come (at the latest 2026-07-31)"
# Missing 5: a lost card learned of abroad; no fee; police number.
run zr-deadline --expiry 2028-05-31 --today 2026-03-01 --lost 2026-02-10 --reentered 2026-02-25
expect_out_has "2026-03-11 Wed  apply for a new card (lost or stolen) within 14 days  <- next  [learned abroad: 14 days from the re-entry on 2026-02-25]"
expect_out_has "the acceptance number (受理番号) of the police report"
expect_out_has "costs nothing (one by your own wish costs 1,600 yen)"
run zr-deadline --expiry 2028-05-31 --today 2026-03-01 --reentered 2026-02-25
expect_exit 2
# Every message speaks to the user: no rule keys or fact sections.
run zr-deadline --expiry 2026-05-31 --applied 2026-05-20 --completion-mail 2026-07-25 --today 2026-07-25 --lost 2026-07-20 --myna --json
expect_out_lacks "rules-facts"
expect_out_lacks "fee.extension"

# --- issue 15: HR rosters from Excel -----------------------------------------
# CP932 (Excel's "CSV" in Japan), made here with iconv; a broken quote on
# one row must not swallow the next; every row ends in the output or in
# an error line.
if command -v iconv >/dev/null; then
	printf 'name,expiry,period,employee_id\n田中 花子,2026-12-10,1y,E1\n"山田, 太郎,2027-01-01,1y,E2\nSMITH JOHN,2027-03-31,3y,E3\n佐藤 次郎,2026-02-30,1y,E4\n鈴木 一郎,2027-02-15,1y,E5\n' |
		iconv -f UTF-8 -t CP932 > "$tmp/sjis.csv"
	run zr-deadline --roster "$tmp/sjis.csv" --today 2026-11-23
	expect_exit 1
	expect_err_has "zr-deadline: $tmp/sjis.csv: note: read as Shift_JIS (CP932)"
	expect_err_has "sjis.csv:3: unterminated quoted field"
	expect_err_has "sjis.csv: 5: expiry:"
	expect_err_has "5 rows: 2 bad rows skipped, 3 processed"
	expect_out_has "田中 花子"
	expect_out_has "SMITH JOHN"
	expect_out_has "鈴木 一郎"
	rows=$(($(wc -l < "$tmp/sjis.csv") - 1))
	shown=$(wc -l < "$out")
	errs=$(grep -c "sjis.csv: *[0-9][0-9]*:" "$err")
	[ "$rows" -eq $((shown + errs)) ] && ok || nok "row count: $rows rows, $shown shown + $errs errors"
	run zr-deadline --roster "$tmp/sjis.csv" --today 2026-11-23 --json
	# One object per person, and one of status "error" per broken row.
	[ "$(grep -c '"stage":' "$out")" -eq 3 ] && ok || nok "CP932 roster as JSON"
	[ "$(grep -c '"status":"error"' "$out")" -eq "$errs" ] && ok || nok "CP932 roster: an error object per broken row"
	expect_out_has '"name":"田中 花子"'
fi
# UTF-8 with a BOM (Excel's "CSV UTF-8"), and without.
printf '\357\273\277name,expiry\nA,2027-01-10\n' > "$tmp/bom.csv"
run zr-deadline --roster "$tmp/bom.csv" --today 2026-11-23
expect_exit 0
expect_err_is "zr-deadline: $tmp/bom.csv: note: read as UTF-8 with BOM"
expect_out_has "A  open"
run zr-deadline -q --roster "$tmp/bom.csv" --today 2026-11-23
expect_err_empty
run zr-deadline --roster "$tmp/r2.csv" --today 2026-11-23
expect_err_empty
# Neither: refused at its byte and line.
printf 'name,expiry\n\200\200,2027-01-10\n' > "$tmp/bin.csv"
run zr-deadline --roster "$tmp/bin.csv" --today 2026-11-23
expect_exit 2
expect_err_is "zr-deadline: $tmp/bin.csv:2: neither UTF-8 nor Shift_JIS (CP932) (byte 13)"
expect_out_empty
