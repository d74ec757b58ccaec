#!/bin/sh
# make demo: run the tools on the bundled sample case; results under OUT.
# Usage: scripts/demo.sh BIN CASE_DIR OUT_DIR
# Each tool adds its step below, in the order of the renewal.
set -eu
bin=$1 case=$2 outdir=$3
PATH=$(cd "$bin" && pwd):$PATH
export PATH
mkdir -p "$outdir"
today=${ZR_TODAY:-2026-11-23}

echo "== zr-deadline: where the case stands"
zr-deadline --facts "$case/case.facts" --today "$today" || true
zr-deadline --facts "$case/case.facts" --today "$today" --ics -o "$outdir/deadlines.ics" || true
echo "   -> $outdir/deadlines.ics"

echo "== zr-namecheck: the name as on the card, on the form, in the passport"
zr-namecheck --facts "$case/case.facts" --rules-date "$today" --form
zr-namecheck --facts "$case/case.facts" --rules-date "$today" "Taro John Sample" || true
zr-namecheck -v --facts "$case/case.facts" --today "$today" --mrz "$case/passport.mrz" || true
