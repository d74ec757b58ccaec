#!/bin/sh
# Batch scale: 300 generated cases (copies of the sample with their own
# names) checked with case.mk and make -j2, as an HR officer would: per case
# zr-renew (upload files, checks, page previews, review.html), then one
# summary.  Prints cases per minute and the peak memory of the largest
# process; then the upload files alone (case.mk zr-files) for comparison.
# Usage: tests/bench/renew.sh BIN [CASES]
set -eu
bin=$(cd "${1:-bin}" && pwd)
n=${2:-300}
root=$(pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

i=0
while [ $i -lt "$n" ]; do
	d=$tmp/cases/c$i
	mkdir -p "$d"
	# Names take letters only (digits cannot go on the form): 12 -> BC.
	sed "s/^name = .*/name = SAMPLE PERSON $(echo $i | tr 0-9 A-J)/" \
		examples/sample/case.facts > "$d/case.facts"
	cp examples/sample/photo.jpg examples/sample/[0-9][0-9]-* "$d/"
	i=$((i + 1))
done
printf 'CASES := $(wildcard */case.facts)\ninclude %s/scripts/case.mk\n' \
	"$root" > "$tmp/cases/Makefile"

measure() { # label goal count-command
	start=$(date +%s.%N)
	/usr/bin/time -v make -s -C "$tmp/cases" -j2 ZR_BIN="$bin" \
		ZR_RENEW="$root/scripts/zr-renew" ZR_TODAY=2026-11-23 $2 \
		>"$tmp/make.out" 2>"$tmp/time.err"
	end=$(date +%s.%N)
	built=$(eval "$3")
	peak=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$tmp/time.err")
	awk -v l="$1" -v s="$start" -v e="$end" -v n="$built" -v peak="$peak" 'BEGIN {
		t = e - s
		printf "%s: %d cases in %.1f s with make -j2: %.0f cases/minute; peak RSS %.1f MB (largest process)\n", l, n, t, n * 60 / t, peak / 1024
	}'
	[ "$built" -eq "$n" ]
}
measure "renew batch, review pages and summary" zr-all \
	'grep -c "	ready	0	" "$tmp/cases/summary.tsv"'
rm -rf "$tmp"/cases/*/out
measure "renew batch, upload files only (zr-files)" zr-files \
	'ls "$tmp"/cases/*/out/upload.pdf | wc -l'
