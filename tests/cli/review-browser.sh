# zr-renew's review.html in a real browser (Debian's chromium, headless):
# the page renders, shows the verdict and one thumbnail per page of the
# upload PDF, and references nothing outside itself.
. tests/cli/lib.sh

renew=$(pwd)/scripts/zr-renew
today=2026-11-23
export ZR_BIN
pngstat() { python3 tests/cli/pngstat.py "$@"; }

browser=""
for b in chromium chromium-browser; do
	command -v "$b" >/dev/null 2>&1 && { browser=$b; break; }
done
# scripts/deps installs chromium: without it this test fails, it does not skip.
[ -n "$browser" ] && ok || nok "no chromium (run scripts/deps)"

# Headless, offline, a throw-away profile; nothing may be fetched.
chrome() { # args...
	prof=$(mktemp -d "$tmp/profile.XXXXXX")
	timeout 120 "$browser" --headless --no-sandbox --disable-gpu \
		--disable-background-networking --disable-component-update \
		--disable-sync --no-first-run --user-data-dir="$prof" \
		--host-resolver-rules='MAP * ~NOTFOUND' "$@" 2>>"$tmp/chrome.err"
}

# Every reference in an HTML file stays inside it: src and href only
# data: or #fragment; no scripts, frames, objects, style sheets, @import,
# url() or absolute URLs.  Prints what it finds, exit 1 when anything.
outside() { # file
	python3 - "$1" <<'PY'
import re, sys
html = open(sys.argv[1], encoding='utf-8').read()
bad = []
for m in re.finditer(r'''\b(src|href|action|poster|srcset|data)\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+))''', html, re.I):
    v = m.group(3) or m.group(4) or m.group(5) or ''
    if not (v.startswith('data:') or v.startswith('#')):
        bad.append('%s=%s' % (m.group(1), v[:60]))
for pat in (r'<\s*(script|iframe|frame|object|embed|link|base|audio|video|source)\b',
            r'@import', r'url\s*\(', r'https?://', r'//[a-z0-9.-]+\.[a-z]{2,}/'):
    for m in re.finditer(pat, html, re.I):
        bad.append(m.group(0))
for b in bad:
    print(b)
sys.exit(1 if bad else 0)
PY
}

mkcase() { # name
	rm -rf "$tmp/$1"
	mkdir -p "$tmp/$1"
	cp examples/sample/case.facts examples/sample/photo.jpg \
		examples/sample/passport.mrz examples/sample/completion-mail.eml \
		examples/sample/[0-9][0-9]-* "$tmp/$1/"
}

# The sample case with its mail-in kit: ready.
mkcase good
run "$renew" -q --today $today --no-card --after-mail "$tmp/good/completion-mail.eml" "$tmp/good"
expect_exit 0
page=$tmp/good/out/review.html
[ -s "$page" ] && ok || nok "no review.html"

# Self-contained, checked on the file itself...
run outside "$page"
expect_exit 0
expect_out_empty
# ... and the check finds what it must (a page with an outside reference).
sed 's|<h1>|<img src="http://example.invalid/x.png"><h1>|' "$page" > "$tmp/leak.html"
run outside "$tmp/leak.html"
expect_exit 1
expect_out_has "src=http://example.invalid/x.png"

# The DOM as chromium builds it (offline, from the file alone).
if [ -n "$browser" ]; then
	chrome --dump-dom "file://$page" > "$tmp/dom.html"
	[ -s "$tmp/dom.html" ] && ok || nok "chromium --dump-dom gave nothing: $(tail -3 "$tmp/chrome.err")"
	grep -qF 'id="verdict-text">mail-in kit ready: print letter.pdf and post it with the card' "$tmp/dom.html" &&
		ok || nok "verdict text not in the DOM"
	grep -qF 'id="form-name">SAMPLE TARO JOHN<' "$tmp/dom.html" && ok || nok "form name not in the DOM"
	# One thumbnail per page of the upload PDF, in order, each labelled.
	pages=$(pdfinfo "$tmp/good/out/upload.pdf" | sed -n 's/^Pages: *//p')
	thumbs=$(sed -n '/<section id="upload">/,/<\/section>/p' "$tmp/dom.html" |
		grep -o '<img class="thumb"' | wc -l)
	[ "$thumbs" -eq "$pages" ] && [ "$pages" -eq 3 ] && ok || nok "thumbnails: $thumbs for $pages pages"
	for l in "page 1 of 3 · from 10-application.jpg" "page 2 of 3 · from 20-passport.jpg" \
	    "page 3 of 3 · from 30-employment.pdf"; do
		grep -qF "<figcaption>$l</figcaption>" "$tmp/dom.html" && ok || nok "caption: $l"
	done
	kit=$(sed -n '/<section id="kit">/,/<\/section>/p' "$tmp/dom.html" | grep -o '<img class="thumb"' | wc -l)
	[ "$kit" -eq "$(pdfinfo "$tmp/good/out/letter.pdf" | sed -n 's/^Pages: *//p')" ] && ok || nok "kit thumbnails: $kit"
	# The sections in the order of zr-renew(1).
	order=$(grep -o '<section id="[a-z]*"' "$tmp/dom.html" | sed 's/.*id="//; s/"//' | tr '\n' ' ')
	[ "$order" = "verdict deadlines name photo upload checks card kit " ] && ok || nok "section order: $order"

	# A screenshot: the page is drawn, with the green verdict box.
	chrome --screenshot="$tmp/shot.png" --window-size=1200,2400 "file://$page" >/dev/null
	set -- $(pngstat "$tmp/shot.png")
	[ "$1" -eq 1200 ] && [ "$2" -eq 2400 ] && ok || nok "screenshot size: $*"
	[ "$3" -gt 50 ] && ok || nok "screenshot nearly blank: $*"
	set -- $(pngstat --color e3f4e3 "$tmp/shot.png")
	[ "$3" -ge 5 ] && ok || nok "no green verdict box in the screenshot: $*"
	set -- $(pngstat --color fbe3e3 "$tmp/shot.png")
	[ "$3" -eq 0 ] && ok || nok "red box on a ready case: $*"
fi

# The photo: the input beside the upload copy; with the framing drawn on
# the input where zr-photo can draw it (its --preview).
sed -n '/<section id="photo">/,/<\/section>/p' "$page" > "$tmp/photo.sec"
[ "$(grep -c '<img class="photo"' "$tmp/photo.sec")" -eq 2 ] && ok || nok "two photos"
grep -qF '<figcaption>as uploaded (photo.jpg, ' "$tmp/photo.sec" && ok || nok "upload copy caption"
if zr-photo --help 2>&1 | grep -q -- '--preview'; then
	grep -qF '<figcaption>as taken (photo.jpg), with the framing</figcaption>' "$tmp/photo.sec" &&
		ok || nok "no framing with zr-photo --preview"
else
	grep -qF '<figcaption>as taken (photo.jpg)</figcaption>' "$tmp/photo.sec" && ok || nok "no input photo"
fi

# A case with a damaged document: the red verdict, no upload thumbnails.
mkcase cut
head -c 600 examples/sample/30-employment.pdf > "$tmp/cut/30-employment.pdf"
run "$renew" -q --today $today --no-card "$tmp/cut"
expect_exit 2
run outside "$tmp/cut/out/review.html"
expect_exit 0
if [ -n "$browser" ]; then
	chrome --dump-dom "file://$tmp/cut/out/review.html" > "$tmp/dom2.html"
	grep -qF "id=\"verdict-text\">input error: $tmp/cut/30-employment.pdf: " "$tmp/dom2.html" &&
		ok || nok "input-error verdict not in the DOM"
	thumbs=$(sed -n '/<section id="upload">/,/<\/section>/p' "$tmp/dom2.html" | grep -c '<img class="thumb"')
	[ "$thumbs" -eq 0 ] && ok || nok "thumbnails of a PDF not made: $thumbs"
	chrome --screenshot="$tmp/shot2.png" --window-size=1200,1200 "file://$tmp/cut/out/review.html" >/dev/null
	set -- $(pngstat --color fbe3e3 "$tmp/shot2.png")
	[ "$3" -ge 5 ] && ok || nok "no red verdict box: $*"
fi

# The batch index: self-contained too, one row and link per case.
mkdir -p "$tmp/batch"
mkcase batch/x
mkcase batch/y
printf 'not a jpeg' > "$tmp/batch/y/photo.jpg"
run "$renew" --batch -q --no-card --today $today "$tmp/batch"
expect_exit 0
# (its only links: each case's review page, relative, in the batch folder)
outside "$tmp/batch/index.html" | grep -v '^href=[a-z]/out/review\.html$' > "$tmp/idx.bad"
[ ! -s "$tmp/idx.bad" ] && ok || nok "index references outside: $(cat "$tmp/idx.bad")"
[ "$(outside "$tmp/batch/index.html" | wc -l)" -eq 2 ] && ok || nok "index: two review links"
if [ -n "$browser" ]; then
	chrome --dump-dom "file://$tmp/batch/index.html" > "$tmp/dom3.html"
	[ "$(grep -o '<a href="[xy]/out/review.html">review</a>' "$tmp/dom3.html" | wc -l)" -eq 2 ] &&
		ok || nok "index links in the DOM"
	grep -qF '<tr class="v-error"><td>' "$tmp/dom3.html" && ok || nok "index: the broken case"
fi
