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
# Every tool x every mode x every common option (issue 12: "accepted by
# every tool", zairyu(7): "in every mode"): never a usage error; -o puts
# what the mode prints on standard output into the file, the same bytes
# (atomically: nothing on stdout); --json gives objects of the schema.
# Flags: s the mode prints its output on standard output; p the product
# goes there (--json then needs -o FILE; with -o FILE a summary may be
# printed); x --json is another format here; d -o is a folder.
S=$(pwd)/examples/sample
m=$tmp/modes
mkdir "$m"
cp -r "$S" "$m/case"
mkdir -p "$m/batch" "$m/sum"
cp -r "$S" "$m/batch/c1"
printf 'name,expiry,period,applied\nA,2026-12-01,1y,\n' > "$m/roster.csv"
while IFS='|' read -r t args flags; do
	[ -n "$t" ] || continue
	exe=$t
	[ "$t" = zr-renew ] && exe=$renew
	# The mode as it is, for its exit status and output.
	# shellcheck disable=SC2086
	(cd "$m" && "$exe" $args) > "$tmp/base.out" 2> "$tmp/base.err"
	base_rc=$?
	for o in -q -v --json -o --today --rules-date; do
		case $o in
		--json) case $flags in *x*) continue ;; esac ;;
		esac
		set -- "$o"
		case $o in
		-o) set -- -o "$tmp/o.file"
		    case $flags in *d*) set -- -o "$tmp/o.dir" ;; esac ;;
		--json) case $flags in *p*) set -- --json -o "$tmp/o.file" ;; esac ;;
		--today|--rules-date) set -- "$o" 2026-11-23 ;;
		esac
		# The product to -o FILE instead of standard output.
		a=$args
		case $o in -o|--json) a=$(printf '%s' "$args" | sed 's/ -o -$//') ;; esac
		rm -rf "$tmp/o.file" "$tmp/o.dir" "$m/pv"
		# Before the mode's own arguments (also before holidays).
		t_cmd="$t $* $a"
		# shellcheck disable=SC2086
		(cd "$m" && "$exe" "$@" $a) > "$out" 2> "$err" < /dev/null
		rc=$?
		if [ "$rc" -ne 2 ] && ! grep -q '^usage:' "$err"; then ok; else
			nok "$t $args: $o refused"; continue; fi
		case $o in
		-q|-v|-o) [ "$rc" -eq "$base_rc" ] && ok || nok "$o changed the exit status ($base_rc)" ;;
		esac
		case $o in
		--json) expect_json_valid
		    case $flags in *p*) [ -s "$tmp/o.file" ] && ok || nok "--json: no product in -o" ;; esac ;;
		-o) case $flags in
		    *p*) expect_same_bytes "$tmp/o.file" "$tmp/base.out" ;;
		    *s*) expect_out_empty
			 expect_same_bytes "$tmp/o.file" "$tmp/base.out" ;;
		    *d*) [ -d "$tmp/o.dir" ] && ok || nok "-o: no folder" ;;
		    esac ;;
		esac
	done
done <<MODES
zr-cardtest||s
zr-cardtest|--residence-card --card-number AB12345678CD|s
zr-cardtest|--list-readers|s
zr-deadline|--facts case/case.facts|s
zr-deadline|--facts case/case.facts --get stage|sx
zr-deadline|--facts case/case.facts --tsv|sx
zr-deadline|--facts case/case.facts --ics|sx
zr-deadline|--roster roster.csv|s
zr-deadline|holidays 2026|s
zr-letter|--facts case/case.facts --mail case/completion-mail.eml|s
zr-letter|--facts case/case.facts --mail case/completion-mail.eml --text|sx
zr-namecheck|--facts case/case.facts SAMPLE|s
zr-namecheck|--form Sample|s
zr-namecheck|--mrz case/passport.mrz --facts case/case.facts|s
zr-namecheck|--card-number AB12345678CD|s
zr-namecheck|--my-number 123456789018|s
zr-namecheck|--agree case/case.facts case/case.facts|s
zr-namecheck|--facts case/case.facts --get name|sx
zr-pdfmerge|case/30-employment.pdf -o -|sp
zr-pdfmerge|-c case/30-employment.pdf|s
zr-pdfmerge|--preview pv case/30-employment.pdf|s
zr-pdfmerge|--preview pv --get pages case/30-employment.pdf|sx
zr-photo|case/photo.jpg|sp
zr-photo|--check case/photo.jpg|s
zr-photo|--check --get width case/photo.jpg|sx
zr-renew|--no-card case|d
zr-renew|--batch --no-card batch|d
zr-renew|--summary sum case|x
MODES
t_done
