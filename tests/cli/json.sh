# CLI tests for --json (zairyu-json(5)): every tool, on fixed inputs and
# dates; each line must be one compact JSON object that starts tool,
# version, status, with exactly the keys the man page lists, in its order,
# with its types.
. tests/cli/lib.sh

S=examples/sample
T=2026-11-23

# jcheck TOOL NLINES SPEC [FILE]: FILE (default stdout of the last run) is
# NLINES lines (0: any number but none), each an object of TOOL whose keys
# are those of SPEC ("key:type ...", in order).  Types: s string, d date,
# i integer, b boolean, a array, o object, n null; "?" after one: or null.
jcheck() {
	python3 -c '
import json, os, re, sys
tool, nlines, spec, path = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
spec = [k.split(":") for k in spec.split()] if spec != "-" else None
def typed(v, t):
    if t.endswith("?"):
        if v is None:
            return True
        t = t[:-1]
    if t == "s": return isinstance(v, str)
    if t == "d": return isinstance(v, str) and re.fullmatch("[0-9]{4}-[0-9]{2}-[0-9]{2}", v) is not None
    if t == "i": return isinstance(v, int) and not isinstance(v, bool)
    if t == "b": return isinstance(v, bool)
    if t == "a": return isinstance(v, list)
    if t == "o": return isinstance(v, dict)
    if t == "n": return v is None
    sys.exit("bad type letter " + t)
import jsonschema
schema = json.load(open(os.environ["ZR_SCHEMA"]))
validator = jsonschema.Draft202012Validator(schema)
def nodup(pairs):
    d = dict(pairs)
    if len(d) != len(pairs):
        raise ValueError("duplicate key")
    return d
data = open(path, "rb").read().decode("utf-8")
if not data.endswith("\n"):
    sys.exit("output does not end with a newline")
lines = data[:-1].split("\n")
if (nlines and len(lines) != nlines) or lines == [""]:
    sys.exit("%d lines, expected %s" % (len(lines), nlines or "some"))
for n, line in enumerate(lines, 1):
    o = json.loads(line, object_pairs_hook=nodup)
    if not isinstance(o, dict):
        sys.exit("line %d: not an object" % n)
    keys = list(o)
    want = [k for k, t in spec or []]
    if spec is not None and keys != want:
        sys.exit("line %d: keys %s, expected %s" % (n, keys, want))
    for k, t in spec or []:
        if not typed(o[k], t):
            sys.exit("line %d: %s is %r, expected type %s" % (n, k, o[k], t))
    errs = sorted(validator.iter_errors(o), key=lambda e: list(e.path))
    if errs:
        sys.exit("line %d: not valid against zairyu-json.schema.json: %s at %s" %
                 (n, errs[0].message[:200], "/".join(map(str, errs[0].path))))
    if keys[:3] != ["tool", "version", "status"]:
        sys.exit("line %d: starts %s, not tool, version, status" % (n, keys[:3]))
    if o["tool"] != tool:
        sys.exit("line %d: tool %r" % (n, o["tool"]))
    if "status" in o and o["status"] not in ("ok", "problem", "error"):
        sys.exit("line %d: status %r" % (n, o["status"]))
    if json.dumps(o, ensure_ascii=False, separators=(",", ":")) != line:
        sys.exit("line %d: not compact JSON with UTF-8 as is" % n)
' "$1" "$2" "$3" "${4:-$out}" 2>"$tmp/jcheck.err" && ok ||
	    nok "$1 --json: $(tail -n 1 "$tmp/jcheck.err")"
}

C="tool:s version:s status:s"
ZR_SCHEMA=$(pwd)/man/zairyu-json.schema.json
export ZR_SCHEMA
# The schema itself is valid 2020-12, and its codes are exactly the ids of
# the one error table (lib/include/zairyu/error.h).
python3 -c '
import json, re, sys, jsonschema
s = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(s)
ids = [m.lower() for m in re.findall(r"ZR_ERR\(ZR_E_([A-Z0-9_]+),", open(sys.argv[2]).read())]
if s["$defs"]["code"]["enum"] != ids:
    sys.exit("schema codes differ from error.h: %s" % sorted(set(ids) ^ set(s["$defs"]["code"]["enum"])))
' "$ZR_SCHEMA" lib/include/zairyu/error.h 2>"$tmp/schema.err" && ok || nok "schema: $(tail -n 1 "$tmp/schema.err")"
E="problems:a notes:a"

# --- zr-deadline ---------------------------------------------------------------
P="name:s? stay_expiry:d period:s? today:d stage:s summary:s next:s?
   next_date:d? days_left:i? events:a fee:o problems:a notes:a"
run zr-deadline --json --facts $S/case.facts --today $T --rules-date $T
expect_exit 0
jcheck zr-deadline 1 "$C $P"
run zr-deadline --json --expiry 2026-05-31 --today 2026-09-01 --rules-date $T
expect_exit 1
jcheck zr-deadline 1 "$C $P"
expect_out_has '"name":null,'
expect_out_has '"next":null,"next_date":null,"days_left":null,'
printf 'name,expiry,period,applied\nA,2026-12-01,1y,\nB,2027-06-01,3y,\nC,2026-12-20,1y,2026-11-01\n' > "$tmp/roster.csv"
run zr-deadline --json --roster "$tmp/roster.csv" --today $T
expect_exit 1
jcheck zr-deadline 3 "$C line:i $P"
run zr-deadline holidays --json 2026
expect_exit 0
jcheck zr-deadline 18 "$C date:d name:s problems:a notes:a"

# --- zr-namecheck --------------------------------------------------------------
F="problems:a notes:a"
run zr-namecheck --json --facts $S/case.facts --rules-date $T "SAMPLE TARO JOHN" "Sample Taro"
expect_exit 1
jcheck zr-namecheck 2 "$C check:s input:s card:s rules_date:d $F"
printf 'SAMPLE TARO JOHN\nSAMPLE, TARO JOHN\n' > "$tmp/names.txt"
runin "$tmp/names.txt" zr-namecheck --json --card "SAMPLE TARO JOHN" --rules-date $T
expect_exit 1
jcheck zr-namecheck 2 "$C check:s line:i input:s card:s rules_date:d $F"
run zr-namecheck --json --form --rules-date $T "Sämple Taro"
expect_exit 0
jcheck zr-namecheck 1 "$C check:s input:s rules_date:d form:s $F"
runin "$tmp/names.txt" zr-namecheck --json --form --rules-date $T
jcheck zr-namecheck 2 "$C check:s line:i input:s rules_date:d form:s $F"
run zr-namecheck --json --facts $S/case.facts --today $T --mrz $S/passport.mrz
expect_exit 0
jcheck zr-namecheck 1 "$C check:s file:s type:s issuer:s primary:s secondary:s
    name_field_full:b number:s nationality:s birth_date:d? sex:s expiry_date:d?
    optional:s check_digits:o today:d $F"
run zr-namecheck --json --card-number ab12345678cd
expect_exit 0
jcheck zr-namecheck 1 "$C check:s input:s normalised:s $F"
run zr-namecheck --json --my-number 123456789017
expect_exit 1
jcheck zr-namecheck 1 "$C check:s $F"
mkdir "$tmp/agree"
cp $S/case.facts "$tmp/agree/card.facts"
printf 'name = SAMPLE TARO JOHN\nbirth_date = 1990-04-02\n' > "$tmp/agree/passport.facts"
(cd "$tmp/agree" && zr-namecheck --json --agree card.facts passport.facts) > "$out" 2> "$err"
rc=$?
expect_exit 1
jcheck zr-namecheck 1 "$C check:s file:s reference:s problems:a notes:a"

# --- zr-photo ------------------------------------------------------------------
PC="file:s output:s profile:s width:i height:i bytes:i max_bytes:i
    quality:i subsampling:s chroma_percent:i ssim_x10000:i source:o crop:o
    face:o padded:b upscaled:b shrunk:b levelled:b problems:a notes:a"
PK="file:s profile:s format:s width:i height:i bytes:i max_bytes:i
    taken:d? gps:b problems:a notes:a"
run zr-photo --json --today $T --rules-date $T $S/photo.jpg -o "$tmp/photo.jpg"
expect_exit 0
jcheck zr-photo 1 "$C $PC"
run zr-photo --json --profile signature --today $T --rules-date $T $S/signature.png -o "$tmp/sig.jpg"
expect_exit 0
jcheck zr-photo 1 "$C $PC"
run zr-photo --check --json --today $T --rules-date $T "$tmp/photo.jpg"
expect_exit 0
jcheck zr-photo 1 "$C $PK"
run zr-photo --check --json --today $T --rules-date $T $S/photo.jpg
expect_exit 1
jcheck zr-photo 1 "$C $PK"
# A WebP named .jpg (cwebp, scripts/deps): format webp, code extension.
cwebp -quiet -lossless $S/signature.png -o "$tmp/sig-webp.jpg"
run zr-photo --check --json --profile signature --today $T --rules-date $T "$tmp/sig-webp.jpg"
expect_exit 1; expect_out_has '"code":"extension"'
jcheck zr-photo 1 "$C $PK"
run zr-photo --json --profile signature --today $T --rules-date $T "$tmp/sig-webp.jpg" -o "$tmp/sig2.jpg"
expect_exit 0; expect_out_has '"code":"extension"'
jcheck zr-photo 1 "$C $PC"
# The landmark findings (head_size, centre, ...) are codes of the table.
run zr-photo --today $T --crop 150,0,450,600 $S/photo.jpg -o "$tmp/off.jpg"
expect_exit 0
run zr-photo --check --json --today $T --rules-date $T "$tmp/off.jpg"
expect_exit 1; expect_out_has '"code":"centre"'
jcheck zr-photo 1 "$C $PK"

# A photo refused (no face) or that cannot fit (exit 1, nothing written):
# one object of what was measured, the refusal in problems.
PR="file:s output:s profile:s format:s width:i height:i bytes:i max_bytes:i
    source:o face:o problems:a notes:a"
run zr-photo --json --today $T --rules-date $T $S/10-application.jpg -o "$tmp/noface.jpg"
expect_exit 1; expect_out_has '"status":"problem",'
expect_out_has '"face":{"found":0,"framed":false},"problems":[{"code":"refused",'
jcheck zr-photo 1 "$C $PR"
expect_no_file "$tmp/noface.jpg"
expect_err_has "no face found"
run zr-photo --json --max-bytes 2000 --today $T --rules-date $T $S/photo.jpg -o "$tmp/nofit.jpg"
expect_exit 1; expect_out_has '"max_bytes":2000,'
expect_out_has '"problems":[{"code":"no_fit",'
jcheck zr-photo 1 "$C $PR"
expect_no_file "$tmp/nofit.jpg"
# The same through --crop, and a crop outside the picture: an error object.
run zr-photo --json --max-bytes 1000 --crop 0,0,600,800 --today $T $S/photo.jpg -o "$tmp/nofit2.jpg"
expect_exit 1
jcheck zr-photo 1 "$C $PR"
run zr-photo --json --crop 0,0,6000,8000 --today $T $S/photo.jpg -o "$tmp/nofit3.jpg"
expect_exit 2
jcheck zr-photo 1 "$C $E"
# --check with -o: the same object, in the file.
run zr-photo --check --json -o "$tmp/check.json" --today $T --rules-date $T $S/photo.jpg
expect_exit 1; expect_out_empty
jcheck zr-photo 1 "$C $PK" "$tmp/check.json"

# --- zr-pdfmerge ---------------------------------------------------------------
M="pages:i bytes_in:i bytes_out:i budget:i dpi:i quality:i flate_recompressed:i
   notes:a inputs:a"
run zr-pdfmerge --json --rules-date $T -o "$tmp/up.pdf" $S/10-application.jpg $S/20-passport.jpg $S/30-employment.pdf
expect_exit 0
jcheck zr-pdfmerge 1 "$C output:s problems:a $M"
run zr-pdfmerge --json --rules-date $T --max-size 10k -o "$tmp/small.pdf" $S/10-application.jpg $S/20-passport.jpg
expect_exit 1
jcheck zr-pdfmerge 1 "$C output:s problems:a $M"
expect_no_file "$tmp/small.pdf"
run zr-pdfmerge -c --json --rules-date $T "$tmp/up.pdf" "$tmp/photo.jpg"
expect_exit 0
head -n 2 "$out" > "$tmp/files.json"
tail -n 1 "$out" > "$tmp/set.json"
jcheck zr-pdfmerge 2 "$C file:s problems:a notes:a pdf:b bytes:i pages:i
    encrypted:b restricted:b javascript:i embedded_files:i min_dpi:i
    min_dpi_page:i page_sizes:a" "$tmp/files.json"
jcheck zr-pdfmerge 1 "$C file:n problems:a notes:a files:i total_bytes:i
    max_files:i max_file_bytes:i max_total_bytes:i violations:i warnings:i" \
    "$tmp/set.json"

# A check that finds a violation (the photo among the uploads), and -o.
run zr-pdfmerge -c --json --rules-date $T -o "$tmp/check-pdf.json" $S/photo.jpg $S/30-employment.pdf
expect_exit 1; expect_out_empty
jcheck zr-pdfmerge 3 - "$tmp/check-pdf.json"
grep -q '"status":"problem"' "$tmp/check-pdf.json" && ok || nok "zr-pdfmerge -c: no problem object"

# --- zr-letter -----------------------------------------------------------------
L="pickup:s pickup_from_mail:b name:s receipt_number:s receipt_date:d
   completion_date:d? deadline:d? application:s rules_date:d fee_rule:s fee:i
   rules_fee:i mail_fee:i? postage:o postage_date:d designation:b? agent:b send_to:o? office:s?
   counter_reasons:a problems:a notes:a"
run zr-letter --json --facts $S/case.facts --mail $S/completion-mail.eml --rules-date $T
expect_exit 0
jcheck zr-letter 1 "$C $L"
run zr-letter --json --facts $S/case.facts --mail $S/completion-counter.eml --rules-date $T -o "$tmp/kit.json"
expect_exit 0
jcheck zr-letter 1 "$C $L" "$tmp/kit.json"
run zr-letter -q --json --facts $S/case.facts --set receipt_number=福オンＥＮ25001878 --set receipt_date=2026-11-02 --rules-date $T
expect_exit 0
jcheck zr-letter 1 "$C $L"
expect_out_has '"completion_date":null,"deadline":null,'

# --- zairyu-json(5) EXAMPLES -----------------------------------------------------
run zr-namecheck --json --card-number ab12345678cd
sed 's/"version":"[^"]*"/"version":"0.1.0"/' "$out" > "$tmp/ex1.json"
printf '%s\n' '{"tool":"zr-namecheck","version":"0.1.0","status":"ok","check":"card_number","input":"ab12345678cd","normalised":"AB12345678CD","problems":[],"notes":[]}' > "$tmp/ex1.want"
expect_same_bytes "$tmp/ex1.json" "$tmp/ex1.want"
zr-photo --check --json --today $T $S/photo.jpg | python3 -c 'import json, sys
for o in map(json.loads, sys.stdin):
    for p in o["problems"]: print(p["code"])' > "$out" 2> "$err"
rc=$?
expect_exit 0
expect_out_is "aspect
orientation
metadata
gps"
run sh -c "zr-pdfmerge -c --json --rules-date $T '$tmp/up.pdf' '$tmp/photo.jpg' | tail -n 1"
expect_exit 0
jcheck zr-pdfmerge 1 "$C file:n problems:a notes:a files:i total_bytes:i
    max_files:i max_file_bytes:i max_total_bytes:i violations:i warnings:i"

# --- every tool: errors as objects, other modes, names that are not UTF-8 ------
# A usage error with --json: one object of status "error" on stdout.
for t in zr-deadline zr-namecheck zr-photo zr-pdfmerge zr-letter; do
	run $t --json --no-such-option
	expect_exit 2
	jcheck $t 1 "$C $E"
	expect_out_has '"status":"error","problems":[{"code":"usage","message":"unknown option --no-such-option"}]'
done
run zr-deadline --json --today 2026-02-30 --expiry 2026-05-31
expect_exit 2
jcheck zr-deadline 1 "$C $E"
run zr-deadline holidays --json 1900
expect_exit 2
jcheck zr-deadline 1 "$C $E"
# A file name with bytes that are not UTF-8 (Latin-1 "é", a lone 0xff):
# the output stays UTF-8, the bytes are U+FFFD (zairyu-json(5)).
bad=$(printf 'caf\351-\377.jpg')
printf 'not a jpeg' > "$tmp/$bad"
run zr-photo --check --json "$tmp/$bad"
expect_exit 2
jcheck zr-photo 1 "$C $E"
expect_out_has '"code":"not_image"'
expect_out_has "caf$(printf '\357\277\275')-$(printf '\357\277\275').jpg"
cp $S/photo.jpg "$tmp/$bad"
run zr-photo --check --json --today $T --rules-date $T "$tmp/$bad"
expect_exit 1
jcheck zr-photo 1 "$C $PK"
expect_out_has "caf$(printf '\357\277\275')-$(printf '\357\277\275').jpg"
run zr-photo --json --today $T --rules-date $T "$tmp/$bad" -o "$tmp/out-$bad"
expect_exit 0
jcheck zr-photo 1 "$C $PC"
run zr-pdfmerge -c --json --rules-date $T "$tmp/$bad"
jcheck zr-pdfmerge 0 -
cp $S/case.facts "$tmp/$bad.facts"
run zr-namecheck --json --facts "$tmp/$bad.facts" --get name
expect_exit 0
jcheck zr-namecheck 1 "$C check:s file:s key:s value:s? $E"
run zr-deadline --json --facts "$tmp/$bad.facts" --today $T
jcheck zr-deadline 1 "$C $P"
run zr-deadline --json --facts "$tmp/nosuch-$bad.facts" --today $T
expect_exit 2
jcheck zr-deadline 1 "$C $E"
# zr-cardtest: a CA file and a facts file under such a name.
run zr-cardtest --json --ca-file "$tmp/nosuch-$bad.pem"
expect_exit 2
jcheck zr-cardtest 1 -
expect_out_has "nosuch-caf$(printf '\357\277\275')-$(printf '\357\277\275').jpg.pem"
run zr-cardtest --json --residence-card --facts "$tmp/$bad.facts" --write-facts "$tmp/$bad.facts"
expect_exit 2
jcheck zr-cardtest 1 -
expect_out_has '"code":"same_file"'
expect_out_has "caf$(printf '\357\277\275')-$(printf '\357\277\275').jpg.facts"
# zr-renew: a case folder under such a name, and one that is not there;
# its strings are escaped as the C tools escape them (the same decoded
# name as zr-namecheck's "file").
mkdir "$tmp/case-$bad"
cp $S/* "$tmp/case-$bad/"
run "$(pwd)/scripts/zr-renew" --json --no-card --today $T "$tmp/case-$bad"
expect_exit 0
jcheck zr-renew 1 -
zr-namecheck --json --facts "$tmp/case-$bad/case.facts" --get name > "$tmp/nc.json"
python3 -c '
import json, sys
r = json.loads(open(sys.argv[1], encoding="utf-8").read())
n = json.loads(open(sys.argv[2], encoding="utf-8").read())
sys.exit(0 if r["case"] + "/case.facts" == n["file"] and "\ufffd" in r["case"] else "renew %r, namecheck %r" % (r["case"], n["file"]))
' "$out" "$tmp/nc.json" 2>"$tmp/cmp.err" && ok || nok "zr-renew escapes the name otherwise: $(cat "$tmp/cmp.err")"
run "$(pwd)/scripts/zr-renew" --json --no-card --today $T "$tmp/nosuch-$bad"
expect_exit 2
jcheck zr-renew 1 -
expect_out_has "nosuch-caf$(printf '\357\277\275')-$(printf '\357\277\275').jpg: not a folder"
# zr-namecheck --get, missing key; zr-pdfmerge --preview.
run zr-namecheck --json --facts $S/case.facts --get nosuch
expect_exit 1
jcheck zr-namecheck 1 "$C check:s file:s key:s value:n $E"
run zr-pdfmerge --json --preview "$tmp/pv" "$tmp/up.pdf"
expect_exit 0
jcheck zr-pdfmerge 0 "$C file:s problems:a notes:a page:i pages:i width:i
    height:i width_mm:i height_mm:i source:s?"
cp "$out" "$tmp/pv.json"
run zr-pdfmerge --json --preview "$tmp/pv" -o "$tmp/pv-o.json" "$tmp/up.pdf"
expect_exit 0; expect_out_empty
expect_same_bytes "$tmp/pv-o.json" "$tmp/pv.json"
# zr-letter: facts that contradict each other are a problem object (exit 1).
run zr-letter --json --facts $S/case.facts --mail $S/completion-mail.eml --set receipt_number=東オンＥＮ26009999 --rules-date $T
if [ "$rc" -eq 1 ]; then
	jcheck zr-letter 1 "$C $E"
	expect_out_has '"status":"problem"'
else
	expect_exit 2
	jcheck zr-letter 1 "$C $E"
fi
# zr-pdfmerge: the budget that cannot be met is one object, not two.
run zr-pdfmerge --json --rules-date $T --max-size 10k -o "$tmp/small2.pdf" $S/10-application.jpg
expect_exit 1
jcheck zr-pdfmerge 1 "$C output:s problems:a $M"
expect_out_has '"problems":[{"code":"no_fit",'

# -q never changes --json (the object is the job when asked; zairyu(7)):
# the same bytes and exit status with and without it, every tool and mode.
qsame() { # command...: run it, then again with -q at the end
	run "$@"
	cp "$out" "$tmp/q.out"
	q_rc=$rc
	run "$@" -q
	[ "$rc" -eq "$q_rc" ] && ok || nok "-q changed the exit status ($q_rc, $rc)"
	[ -s "$out" ] && cmp -s "$out" "$tmp/q.out" && ok || nok "-q changed --json"
}
qsame zr-deadline --json --facts $S/case.facts --today $T --rules-date $T
qsame zr-deadline --json --expiry 2026-05-31 --today 2026-09-01 --rules-date $T
qsame zr-deadline --json --roster "$tmp/roster.csv" --today $T
qsame zr-deadline holidays --json 2026
qsame zr-deadline --json --no-such-option
qsame zr-namecheck --json --facts $S/case.facts --rules-date $T "SAMPLE TARO JOHN" "Sample Taro"
qsame zr-namecheck --json --form --rules-date $T "Sämple Taro"
qsame zr-namecheck --json --facts $S/case.facts --today $T --mrz $S/passport.mrz
qsame zr-namecheck --json --card-number ab12345678cd
qsame zr-namecheck --json --my-number 123456789017
qsame zr-namecheck --json --facts $S/case.facts --get nosuch
qsame zr-photo --json --today $T --rules-date $T $S/photo.jpg -o "$tmp/photo-q.jpg"
qsame zr-photo --check --json --today $T --rules-date $T $S/photo.jpg
qsame zr-photo --json --today $T --rules-date $T $S/10-application.jpg -o "$tmp/noface-q.jpg"
qsame zr-photo --json --max-bytes 2000 --today $T --rules-date $T $S/photo.jpg -o "$tmp/nofit-q.jpg"
qsame zr-pdfmerge --json --rules-date $T -o "$tmp/up-q.pdf" $S/10-application.jpg $S/20-passport.jpg
qsame zr-pdfmerge --json --rules-date $T --max-size 10k -o "$tmp/small-q.pdf" $S/10-application.jpg
qsame zr-pdfmerge -c --json --rules-date $T "$tmp/up.pdf" "$tmp/photo.jpg"
qsame zr-pdfmerge --json --preview "$tmp/pv-q" "$tmp/up.pdf"
qsame zr-letter --json --facts $S/case.facts --mail $S/completion-mail.eml --rules-date $T
qsame zr-cardtest --json
qsame zr-cardtest --json --list-readers

# zr-cardtest: its report whatever the outcome (here most likely without a
# card service: status "error", exit 3), and --list-readers.
run zr-cardtest --json
jcheck zr-cardtest 1 -
run zr-cardtest --json --list-readers
jcheck zr-cardtest 1 -
