# CLI tests: every tool, and zr-renew, takes the common options (README,
# "Conventions"; zairyu(7), "Common options") with one meaning: each is
# accepted, -V after them prints the version, a bad --today or
# --rules-date is a usage error (exit 2, the option named), and with
# --json that error is an object.
. tests/cli/lib.sh

renew=$(pwd)/scripts/zr-renew
# zr-renew checks its dates with a case, and writes into it.
mkdir "$tmp/case"
cp examples/sample/case.facts "$tmp/case/"
for t in zr-cardtest zr-deadline zr-letter zr-namecheck zr-pdfmerge zr-photo "$renew"; do
	n=$(basename "$t")
	# Each common option alone, then -V: accepted, nothing else done.
	for o in -q --quiet -v --verbose --json "-o $tmp/o" "--output $tmp/o" \
	    "--today 2026-11-23" "--rules-date 2026-11-23"; do
		# shellcheck disable=SC2086
		run "$t" $o -V
		expect_exit 0
		expect_out_is "$n (zairyu-tools) 0.1.0"
	done
	expect_no_file "$tmp/o"
	# All of them at once.
	run "$t" -qv --json -o "$tmp/o" --today 2026-11-23 --rules-date 2026-11-23 --version
	expect_exit 0
	expect_out_is "$n (zairyu-tools) 0.1.0"
	run "$t" -h
	expect_exit 0
	expect_out_has "usage: $n"
	run "$t" --help
	expect_exit 0
	expect_out_has "usage: $n"
	# A date that is not one: a usage error that names the option.
	# zr-renew checks its dates before the first step, with the case.
	for o in --today --rules-date; do
		if [ "$n" = zr-renew ]; then
			run "$t" "$o" 2026-02-30 "$tmp/case"
		else
			run "$t" "$o" 2026-02-30
		fi
		expect_exit 2
		expect_err_has "$o"
		if [ "$n" = zr-renew ]; then
			run "$t" --json "$o" 2026-02-30 "$tmp/case"
		else
			run "$t" --json "$o" 2026-02-30
		fi
		expect_exit 2
		expect_out_has "{\"tool\":\"$n\",\"version\":\"0.1.0\",\"status\":\"error\","
		expect_json_valid
	done
	# An unknown option: a usage error, an object with --json.
	run "$t" --json --no-such-option
	expect_exit 2
	expect_out_has '"problems":[{"code":"usage","message":"unknown option --no-such-option"}]'
	expect_json_valid
done
t_done
