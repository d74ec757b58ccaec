# make check-corpus: every JPEG or PNG under $ZR_CORPUS (searched
# recursively) converts to an upload photo under the cap, JFIF only, that
# zr-photo --check reads, or fails with one line and no output.
. tests/cli/lib.sh

C=${ZR_CORPUS:?set ZR_CORPUS to a folder of real-world files}
today=--today=2026-11-23

find "$C" -type f \( -iname '*.jpg' -o -iname '*.jpeg' -o -iname '*.png' \) |
    LC_ALL=C sort > "$tmp/list"
[ -s "$tmp/list" ] || { echo "photo corpus: no image under $C"; exit 0; }
while IFS= read -r f; do
	run zr-photo -q $today "$f" -o "$tmp/p.jpg"
	case $rc in
	0) n=$(wc -c < "$tmp/p.jpg")
	   [ "$n" -le 50000 ] && ok || nok "$f: $n bytes"
	   head -c 200 "$tmp/p.jpg" | od -An -tx1 -v | tr -d ' \n' |
	       grep -q 'ffe1' && nok "$f: APP1 in output" || ok
	   run zr-photo --check $today "$tmp/p.jpg"
	   [ "$rc" -le 1 ] && ok || nok "$f: the output does not check" ;;
	1|2) [ "$(wc -l < "$err")" -eq 1 ] && ok || nok "$f: not one line"
	   expect_no_file "$tmp/p.jpg" ;;
	*) nok "$f: exit $rc" ;;
	esac
	rm -f "$tmp/p.jpg"
	run zr-photo --check $today "$f"
	[ "$rc" -le 2 ] && ok || nok "$f: --check exit $rc"
done < "$tmp/list"
