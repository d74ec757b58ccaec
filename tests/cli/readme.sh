# README.md's sample sessions, read from README.md when the test runs: every
# `$ command` line of an indented block is run in a folder holding the sample
# case (examples/sample, as ./ and as case/), with stdout and stderr together,
# and the lines shown under it must be what the tool prints, line for line; a
# line "..." stands for any number of lines.  A command shown without output
# must run (exit 0 or 1).  Commands of a tool that takes --today and gives no
# --today or --rules-date run with --today 2026-11-23, so the output does not
# move with the clock (not before a subcommand).  `ls` is compared by names.
# Not run: zr-cardtest (it needs a reader and a card: tests/card runs it
# against a software card).
. tests/cli/lib.sh

readme=$(pwd)/README.md
renew=$(pwd)/scripts
w=$tmp/readme
mkdir -p "$w/case" "$w/scans"
cp examples/sample/* "$w/case/"
cp examples/sample/* "$w/"
# Files the examples name that the sample case does not have.
for f in card passport application; do cp examples/sample/case.facts "$w/$f.facts"; done
printf 'name,expiry\nA,2027-01-10\nB,2026-12-20\n' > "$w/staff.csv"
cp examples/sample/30-employment.pdf "$w/scans/"
PATH=$renew:$PATH
export PATH

# Split README.md into $tmp/c.N (the command) and $tmp/e.N (the lines shown).
awk -v dir="$tmp" '
function flush() {
	if (n > 0 && n != done) {
		done = n
		while (m > 0 && ex[m] == "") m--
		f = dir "/e." n
		printf "" > f
		for (i = 1; i <= m; i++) print ex[i] > f
		close(f)
	}
	m = 0
}
/^    \$ / { flush(); n++; f = dir "/c." n; print substr($0, 7) > f; close(f); inblk = 1; next }
/^    / { if (inblk) ex[++m] = substr($0, 5); next }
/^$/ { if (inblk) ex[++m] = ""; next }
{ if (inblk) { flush(); inblk = 0 } }
END { flush(); print n > dir "/count" }
' "$readme"
total=$(cat "$tmp/count")
[ "$total" -ge 10 ] && ok || nok "README.md has $total sample commands"

# Does the output ($1) match the lines shown ($2), "..." for any lines?
matches() {
	awk '
	NR == FNR { e[++ne] = $0; next }
	{ o[++no] = $0 }
	function m(i, j,   k) {
		if (i > ne) return j > no
		if (e[i] ~ /^ *\.\.\. *$/) {
			for (k = j; k <= no + 1; k++) if (m(i + 1, k)) return 1
			return 0
		}
		return j <= no && e[i] == o[j] && m(i + 1, j + 1)
	}
	END { exit m(1, 1) ? 0 : 1 }
	' "$2" "$1"
}

i=0
while [ "$i" -lt "$total" ]; do
	i=$((i + 1))
	c=$(cat "$tmp/c.$i")
	tool=${c%% *}
	case $tool in
	zr-cardtest) continue ;;
	ls)	# Shown in columns: compare the names.
		t_cmd="(README.md) $c"
		a=$(cd "$w" && sh -c "$c" | tr -s ' \n' '  ')
		b=$(tr -s ' \n' '  ' < "$tmp/e.$i")
		[ "$a" = "$b" ] && ok || nok "README.md lists: $b; ls: $a"
		continue ;;
	esac
	rest=${c#"$tool" }
	case $c in
	*--today*|*--rules-date*) ;;
	zr-*" "-*)
		if "$tool" --help 2>&1 | grep -q -- '--today'; then
			c="$tool --today 2026-11-23 $rest"
		fi ;;
	esac
	t_cmd="(README.md) $c"
	(cd "$w" && sh -c "$c") > "$out" 2>&1 < /dev/null
	rc=$?
	[ "$rc" -le 1 ] && ok || nok "README.md: exit $rc"
	if [ -s "$tmp/e.$i" ]; then
		if matches "$out" "$tmp/e.$i"; then
			ok
		else
			nok "README.md shows other output; diff (README, tool):"
			diff "$tmp/e.$i" "$out" | head -20
		fi
	fi
done
