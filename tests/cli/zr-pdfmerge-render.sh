# CLI tests for pages whose content stream is damaged beyond copying
# (issue 14, "Read what other readers read": refuse only what cannot be
# made into a valid PDF).  Such a page fails "qpdf --check" however it is
# copied; zr-pdfmerge stores it as a picture of what poppler (a viewer)
# draws, says so in one warning line, and leaves every other page as it
# was.  The PDFs are written here by a small Python PDF writer.
. tests/cli/lib.sh

R="--rules-date 2026-02-01"

cat > "$tmp/mk.py" <<'PY'
import sys
# usage: mk.py OUT CONTENT... (one page per content string; "\n" escapes)
outp, pages = sys.argv[1], [c.encode().decode('unicode_escape').encode('latin-1')
                            for c in sys.argv[2:]]
objs = {}
n = len(pages)
font = 3 + 2 * n
kids = ' '.join('%d 0 R' % (3 + 2 * i) for i in range(n))
objs[1] = b'<< /Type /Catalog /Pages 2 0 R >>'
objs[2] = ('<< /Type /Pages /Kids [%s] /Count %d >>' % (kids, n)).encode()
for i, c in enumerate(pages):
    objs[3 + 2 * i] = ('<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] '
                       '/Resources << /Font << /F1 %d 0 R >> >> '
                       '/Contents %d 0 R >>' % (font, 4 + 2 * i)).encode()
    objs[4 + 2 * i] = (b'<< /Length %d >>\nstream\n' % len(c)) + c + b'\nendstream'
objs[font] = b'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'
out = bytearray(b'%PDF-1.4\n')
off = {}
for k in sorted(objs):
    off[k] = len(out)
    out += b'%d 0 obj\n' % k + objs[k] + b'\nendobj\n'
x = len(out)
out += b'xref\n0 %d\n0000000000 65535 f \n' % (font + 1)
for k in range(1, font + 1):
    out += b'%010d 00000 n \n' % off[k]
out += b'trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n' % (font + 1, x)
open(outp, 'wb').write(out)
PY

good='BT /F1 36 Tf 72 700 Td (Good page) Tj ET\n0 0 1 RG 8 w 72 600 m 520 600 l S'
# Stray ")" and "]" (qpdf: "unexpected )") around drawing viewers still show.
bad='BT /F1 36 Tf 72 700 Td (Damaged page) Tj ET\n) ] )\n1 0 0 RG 8 w 72 500 m 520 500 l S'
# An integer too big for libqpdf stops its whole check (no page named).
huge='BT /F1 36 Tf 72 700 Td (Huge number) Tj ET\n107467070710746715964 0 m\n0 0.6 0 RG 8 w 72 400 m 520 400 l S'

python3 "$tmp/mk.py" "$tmp/good.pdf" "$good" "$good"
python3 "$tmp/mk.py" "$tmp/bad.pdf" "$good" "$bad" "$huge"
cp "$tmp/bad.pdf" "$tmp/bad.copy"

# The fixtures are what they claim: the damaged one fails qpdf --check.
if qpdf --check "$tmp/good.pdf" >/dev/null 2>&1; then ok; else nok "good.pdf fails qpdf --check"; fi
if qpdf --check "$tmp/bad.pdf" >/dev/null 2>&1; then nok "bad.pdf passes qpdf --check"; else ok; fi

run zr-pdfmerge $R -o "$tmp/out.pdf" "$tmp/good.pdf" "$tmp/bad.pdf"
expect_exit 0
expect_out_has "5 pages"
# One warning line for the file, naming both damaged pages.
expect_err_is "zr-pdfmerge: $tmp/bad.pdf: warning: the content of pages 2, 3 is damaged beyond what can be copied; stored as pictures of them at 300 dpi, as viewers show them (text there can no longer be selected)"
if qpdf --check "$tmp/out.pdf" >/dev/null 2>&1; then ok; else nok "output fails qpdf --check"; fi
expect_same_bytes "$tmp/bad.pdf" "$tmp/bad.copy"
[ "$(pdfinfo "$tmp/out.pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')" = 5 ] && ok || nok "not 5 pages"
# Pictures on output pages 4 and 5 only; the good pages keep their text.
imgs=$(pdfimages -list "$tmp/out.pdf" 2>/dev/null | awk 'NR > 2 { printf "%s:%sx%s ", $1, $4, $5 }')
[ "$imgs" = "4:2480x3509 5:2480x3509 " ] && ok || nok "images: $imgs"
for p in 1 2 3; do
	t=$(pdftotext -f $p -l $p "$tmp/out.pdf" - 2>/dev/null)
	case $t in *"Good page"*) ok ;; *) nok "page $p lost its text: $t" ;; esac
done
t=$(pdftotext -f 4 -l 5 "$tmp/out.pdf" - 2>/dev/null | tr -d '[:space:]')
[ -z "$t" ] && ok || nok "pictures with text: $t"

# The pictures show what a viewer shows of the source pages: the text and
# the coloured rule, at the same place (renders at 20 dpi, by pixel).
for p in 2 3; do
	q=$((p + 2))
	pdftoppm -r 20 -f $p -l $p -singlefile -gray "$tmp/bad.pdf" "$tmp/src$p" 2>/dev/null
	pdftoppm -r 20 -f $q -l $q -singlefile -gray "$tmp/out.pdf" "$tmp/dst$p" 2>/dev/null
	d=$(python3 - "$tmp/src$p.pgm" "$tmp/dst$p.pgm" <<'PY'
import sys
def pgm(f):
    b = open(f, 'rb').read().split(b'\n', 3)
    w, h = map(int, b[1].split())
    return w, h, b[3][:w * h]
w1, h1, a = pgm(sys.argv[1]); w2, h2, b = pgm(sys.argv[2])
if (w1, h1) != (w2, h2):
    print('size %dx%d vs %dx%d' % (w1, h1, w2, h2)); sys.exit()
dark = sum(1 for x in a if x < 128)
diff = sum(abs(x - y) for x, y in zip(a, b)) / len(a)
print('ok' if dark > 50 and diff < 4 else 'dark %d diff %.2f' % (dark, diff))
PY
)
	[ "$d" = ok ] && ok || nok "page $p rendered unlike the source: $d"
done

# Same inputs, same bytes.
run zr-pdfmerge $R -o "$tmp/out2.pdf" "$tmp/good.pdf" "$tmp/bad.pdf"
expect_exit 0
expect_same_bytes "$tmp/out.pdf" "$tmp/out2.pdf"

# Under a budget that binds, the pictures are scaled down like scans.
run zr-pdfmerge $R --max-size 120k -o "$tmp/small.pdf" "$tmp/good.pdf" "$tmp/bad.pdf"
expect_exit 0
s=$(wc -c < "$tmp/small.pdf")
[ "$s" -le 122880 ] && ok || nok "120k budget: $s bytes"
if qpdf --check "$tmp/small.pdf" >/dev/null 2>&1; then ok; else nok "small output fails qpdf --check"; fi

# Under a budget even the pictures at the floor do not fit: exit 1, and
# the file is named with its size at the floor, its pictures counted
# (they are not in its file: it was once listed as 0 bytes).
python3 "$tmp/mk.py" "$tmp/one.pdf" "$bad"
run zr-pdfmerge $R -q --max-size 4k -o "$tmp/tiny.pdf" "$tmp/one.pdf"
expect_exit 1
expect_no_file "$tmp/tiny.pdf"
expect_err_has "largest inputs: $tmp/one.pdf ("
grep -q "largest inputs: $tmp/one.pdf (0 bytes)" "$err" && nok "input at 0 bytes" || ok

# The JSON report carries the warning among its notes.
run zr-pdfmerge $R --json -o "$tmp/j.pdf" "$tmp/bad.pdf"
expect_exit 0
expect_out_has "the content of pages 2, 3 is damaged"

# A single damaged page: the message in the singular.
python3 "$tmp/mk.py" "$tmp/one.pdf" "$bad"
run zr-pdfmerge $R -o "$tmp/one-out.pdf" "$tmp/one.pdf"
expect_exit 0
expect_err_is "zr-pdfmerge: $tmp/one.pdf: warning: the content of page 1 is damaged beyond what can be copied; stored as a picture of it at 300 dpi, as viewers show it (text there can no longer be selected)"


# The self-check and the page scan run qpdf's job without its command-line
# parser, which reads bash's completion variables from the environment:
# with COMP_LINE set, the job printed completions to stdout and the
# library exited 0 before writing anything.  The same bytes, the same
# warning, and nothing on stdout but the summary.
run env COMP_LINE="qpdf --chec" COMP_POINT=11 zr-pdfmerge $R -o "$tmp/comp.pdf" "$tmp/good.pdf" "$tmp/bad.pdf"
expect_exit 0
expect_out_has "5 pages"
if grep -q -e '--check' "$out"; then nok "completions printed: $(cat "$out")"; else ok; fi
expect_err_has "the content of pages 2, 3 is damaged"
expect_same_bytes "$tmp/out.pdf" "$tmp/comp.pdf"
run env COMP_LINE="qpdf --chec" COMP_POINT=11 zr-pdfmerge $R -q -o "$tmp/comp2.pdf" "$tmp/good.pdf"
expect_exit 0
expect_out_empty
expect_err_empty
[ -s "$tmp/comp2.pdf" ] && ok || nok "no output with COMP_LINE set"
