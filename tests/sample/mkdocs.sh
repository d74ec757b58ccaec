#!/bin/sh
# Remake the invented documents of examples/sample from tests/sample/mkdocs.c:
# 10-application.jpg (a form-shaped page scanned at 150 dpi, gray),
# 20-passport.jpg (a data page photographed at 200 dpi) and
# 30-employment.pdf (a short letter).  The outputs are checked in; run this
# only to change them.
set -eu
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
font=/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf
cc -std=c11 -Wall -Wextra -O1 -o "$tmp/mkdocs" tests/sample/mkdocs.c -lhpdf
"$tmp/mkdocs" "$font" "$tmp/app.pdf" "$tmp/passport.pdf" \
	examples/sample/30-employment.pdf
pdftoppm -r 150 -gray -jpeg -singlefile "$tmp/app.pdf" "$tmp/app" 2>/dev/null
pdftoppm -r 200 -jpeg -jpegopt quality=92 -singlefile "$tmp/passport.pdf" \
	"$tmp/passport" 2>/dev/null
cp "$tmp/app.jpg" examples/sample/10-application.jpg
cp "$tmp/passport.jpg" examples/sample/20-passport.jpg
ls -l examples/sample/[0-9][0-9]-*
