#!/bin/sh
# make demo: the renewal of the bundled sample case (an invented person),
# first as one job with zr-renew, then tool by tool; results under OUT.
# Usage: scripts/demo.sh BIN CASE_DIR OUT_DIR
set -eu
bin=$1 case=$2 outdir=$3
PATH=$(cd "$bin" && pwd):$PATH
export PATH
mkdir -p "$outdir"
today=${ZR_TODAY:-2026-11-23}

echo "######## zr-renew: the whole case, step by step"
ZR_BIN=$bin sh scripts/zr-renew --today "$today" --out "$outdir/case" \
    --after-mail "$case/completion-mail.eml" "$case"
echo "   -> $outdir/case/"
echo
echo "######## the same tools one by one"
echo "== zr-deadline: where the case stands"
zr-deadline --facts "$case/case.facts" --today "$today" || true
zr-deadline --facts "$case/case.facts" --today "$today" --ics -o "$outdir/deadlines.ics" || true
echo "   -> $outdir/deadlines.ics"

echo "== zr-namecheck: the name as on the card, on the form, in the passport"
zr-namecheck --facts "$case/case.facts" --rules-date "$today" --form
zr-namecheck --facts "$case/case.facts" --rules-date "$today" "Taro John Sample" || true
zr-namecheck -v --facts "$case/case.facts" --today "$today" --mrz "$case/passport.mrz" || true

echo "== zr-cardtest: reader, My Number card, certificates (no PIN asked, no try spent)"
if zr-cardtest --list-readers >/dev/null 2>&1; then
	zr-cardtest || true
else
	echo "   (skipped: no smart card service or reader here; see zr-cardtest(1))"
fi

echo "== zr-letter: the mail-in kit after the examination-completion mail"
zr-letter --facts "$case/case.facts" --mail "$case/completion-mail.eml" -o "$outdir/mail-in-kit.pdf"
zr-letter --facts "$case/case.facts" --mail "$case/completion-mail.eml" --text -o "$outdir/mail-in-kit.txt"
echo "   -> $outdir/mail-in-kit.pdf, $outdir/mail-in-kit.txt"

echo "== zr-photo: the application photo under 50,000 bytes, no GPS left in it"
zr-photo --check --today "$today" "$case/photo.jpg" || true
zr-photo -v --today "$today" "$case/photo.jpg" -o "$outdir/photo-upload.jpg"
zr-photo --check --today "$today" "$outdir/photo-upload.jpg" || true
zr-photo -v --profile signature "$case/signature.png" -o "$outdir/signature.jpg"
echo "   -> $outdir/photo-upload.jpg $outdir/signature.jpg"

echo "== zr-pdfmerge: the supporting documents as one upload that fits, checked"
# Invented documents only: the letter made above and the sample case's
# scans (an application form at 150 dpi, a passport page at 200 dpi, made by
# tests/sample/mkdocs.sh) and its employment letter.
docs="$outdir/mail-in-kit.pdf $case/10-application.jpg $case/20-passport.jpg $case/30-employment.pdf"
# shellcheck disable=SC2086
zr-pdfmerge --rules-date "$today" --max-size 1M --title "Mail-in kit" \
    -o "$outdir/upload.pdf" $docs
zr-pdfmerge -c --rules-date "$today" "$outdir/upload.pdf" "$outdir/photo-upload.jpg" || true
echo "   -> $outdir/upload.pdf"
