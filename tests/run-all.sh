#!/bin/sh
# Run the test groups and print one grand total.
# Usage: tests/run-all.sh BUILD BIN [unit|cli|man|fuzz|card|corpus ...]
# With ZR_CORPUS=DIR (make check-corpus), "corpus" runs tests/corpus/*.sh
# over that folder of real-world files and "fuzz" replays it too.
# Each group prints its own lines; the last line is "total: N passed, N failed".
set -u
build=$1 bin=$2
shift 2
groups=${*:-unit cli man headers fuzz card}
res=$build/results
# The synthetic inputs of tests/fixtures.sh (made by the Makefile).
ZR_FIXTURES=$(cd "$build" && pwd)/fixtures
export ZR_FIXTURES
rm -rf "$res"
mkdir -p "$res"
pass=0 fail=0
# Under ASan (make sanitize) the tools are short-lived processes whose exit
# status the tests check: leak reports would replace it, so leak checking is
# on for the unit tests (long-lived library use) and off for the binaries.
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
tool_asan="${ASAN_OPTIONS:-}${ASAN_OPTIONS:+:}detect_leaks=0"
# Leaks of system libraries' own caches are not ours (tests/lsan.supp).
LSAN_OPTIONS="${LSAN_OPTIONS:-}${LSAN_OPTIONS:+:}suppressions=$(pwd)/tests/lsan.supp"
export LSAN_OPTIONS

add() { # group passed failed
	echo "$1: $2 passed, $3 failed"
	pass=$((pass + $2)) fail=$((fail + $3))
}

for g in $groups; do
	case $g in
	unit)
		echo "== unit tests (Check)"
		if "$build/check_main" "$res/unit.count"; then :; fi
		if [ -s "$res/unit.count" ]; then
			read -r p f < "$res/unit.count"
		else
			p=0 f=1 # the runner itself crashed
		fi
		add unit "$p" "$f"
		;;
	cli)
		# The scripts are independent (each has its own temporary
		# folder), so they run ZR_JOBS at a time (default: the number
		# of cores), slowest first; each one's lines are printed
		# afterwards in name order, so the output does not depend on
		# the timing.
		echo "== CLI tests (tests/cli)"
		jobs=${ZR_JOBS:-$(nproc 2>/dev/null || echo 1)}
		mkdir -p "$res/cli"
		# Slowest first (measured): the whole-chain runs of zr-renew
		# and the face model loads of zr-photo dominate.
		first="zr-renew.sh zr-photo.sh review-browser.sh json.sh zr-pdfmerge.sh zr-pdfmerge-tiff.sh zr-photo-phone.sh"
		{
			for n in $first; do
				[ -f "tests/cli/$n" ] && echo "tests/cli/$n"
			done
			for t in tests/cli/*.sh; do
				n=${t##*/}
				case " lib.sh $first " in *" $n "*) continue ;; esac
				echo "$t"
			done
		} | ASAN_OPTIONS=$tool_asan ZR_BIN=$bin ZR_BUILD=$build \
		    xargs -P "$jobs" -n 1 sh -c 'n=${1##*/}; n=${n%.sh}
			t0=$(date +%s)
			ZR_COUNT="$0/$n.count" sh "$1" > "$0/$n.log" 2>&1
			echo "$(( $(date +%s) - t0 )) $n" > "$0/$n.time"
			exit 0' "$res/cli"
		p=0 f=0
		for t in tests/cli/*.sh; do
			n=$(basename "$t" .sh)
			[ "$n" = lib ] && continue
			cat "$res/cli/$n.log" 2>/dev/null
			if [ -s "$res/cli/$n.count" ]; then
				read -r tp tf < "$res/cli/$n.count"
			else
				echo "$t: did not finish"; tp=0 tf=1
			fi
			p=$((p + tp)) f=$((f + tf))
		done
		add cli "$p" "$f"
		;;
	man)
		echo "== man pages (mandoc -Tlint, groff -ww, options against --help)"
		p=0 f=0
		for m in man/man*/*.[1-9]; do
			[ -e "$m" ] || continue
			if out=$(mandoc -Tlint -Wwarning "$m" 2>&1) && [ -z "$out" ]; then
				p=$((p + 1))
			else
				echo "$out"; f=$((f + 1))
			fi
			# groff renders what man(1) shows on most systems: no
			# warning (lines that cannot break, bad escapes, ...).
			if out=$(groff -k -Tutf8 -ww -z -mandoc "$m" 2>&1) && [ -z "$out" ]; then
				p=$((p + 1))
			else
				echo "$m (groff):"; echo "$out"; f=$((f + 1))
			fi
		done
		# SYNOPSIS and option items of each tool's page against --help.
		python3 tests/man/options.py "$bin" > "$res/man-options" 2>&1
		while IFS= read -r line; do
			case $line in
			*": ok ("*) p=$((p + 1)) ;;
			*) echo "$line"; f=$((f + 1)) ;;
			esac
		done < "$res/man-options"
		add man "$p" "$f"
		;;
	headers)
		echo "== public headers compile alone (C11, -Wall -Wextra -Wpedantic)"
		p=0 f=0
		cflags=$(pkg-config --cflags libpcsclite libqpdf libpng 2>/dev/null)
		for h in lib/include/zairyu/*.h; do
			# shellcheck disable=SC2086
			if printf '#include "zairyu/%s"\n' "${h##*/}" |
			    ${CC:-cc} -std=c11 -Wall -Wextra -Wpedantic -Werror \
			    -fsyntax-only -Ilib/include $cflags -x c - 2>"$res/hdr.err"; then
				p=$((p + 1))
			else
				echo "$h:"; cat "$res/hdr.err"; f=$((f + 1))
			fi
		done
		add headers "$p" "$f"
		;;
	fuzz)
		echo "== fuzz targets replaying their corpora"
		p=0 f=0
		for src in tests/fuzz/fuzz_*.c; do
			[ -e "$src" ] || continue
			n=$(basename "$src" .c)
			set -- "tests/fuzz/corpus/$n"
			# Extra seed folders, one per line; @CORPUS@/img is a
			# folder of ZR_CORPUS (the whole of it when it has no
			# such folder), only under make check-corpus.
			if [ -f "tests/fuzz/$n.dirs" ]; then
				while read -r d; do
					case $d in
					''|'#'*) continue ;;
					@CORPUS@*)
						[ -n "${ZR_CORPUS:-}" ] || continue
						c=$ZR_CORPUS${d#@CORPUS@}
						[ -d "$c" ] || c=$ZR_CORPUS
						d=$c ;;
					esac
					[ -d "$d" ] && set -- "$@" "$d"
				done < "tests/fuzz/$n.dirs"
			fi
			if out=$("$build/fuzz/$n" "$@" 2>"$res/$n.err"); then
				p=$((p + out))
			else
				echo "$n: crashed or failed:"; tail -20 "$res/$n.err"
				f=$((f + 1))
			fi
		done
		add fuzz "$p" "$f"
		;;
	corpus)
		echo "== real-world files under ${ZR_CORPUS:-(ZR_CORPUS not set)} (tests/corpus)"
		p=0 f=0
		if [ -z "${ZR_CORPUS:-}" ] || [ ! -d "$ZR_CORPUS" ]; then
			echo "corpus: no folder (make check-corpus CORPUS=DIR)"
			f=1
		else
			for t in tests/corpus/*.sh; do
				[ -e "$t" ] || continue
				ASAN_OPTIONS=$tool_asan ZR_BIN=$bin ZR_BUILD=$build \
					ZR_COUNT=$res/corpus.count sh "$t" || true
				if [ -s "$res/corpus.count" ]; then
					read -r tp tf < "$res/corpus.count"
					rm -f "$res/corpus.count"
				else
					echo "$t: did not finish"; tp=0 tf=1
				fi
				p=$((p + tp)) f=$((f + tf))
			done
		fi
		add corpus "$p" "$f"
		;;
	card)
		echo "== software card behind pcscd (tests/card)"
		if [ -f tests/card/run.sh ]; then
			ASAN_OPTIONS=$tool_asan ZR_BIN=$bin ZR_BUILD=$build \
				ZR_COUNT=$res/card.count sh tests/card/run.sh || true
			if [ -s "$res/card.count" ]; then
				read -r p f < "$res/card.count"
			else
				p=0 f=1
			fi
			add card "$p" "$f"
		fi
		;;
	esac
done
echo "total: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
