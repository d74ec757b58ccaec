# make check-corpus: the real portraits of $ZR_CORPUS/img (MANIFEST.tsv
# there), each with what a careful person would say of it for the upload:
# framed to the rule and passing its own --check, or refused with the
# reason that is really there.  A portrait not in the folder is skipped.
. tests/cli/lib.sh

C=${ZR_CORPUS:?set ZR_CORPUS to a folder of real-world files}
I=$C/img
today=--today=2026-11-23

# refused FILE PROFILE "reason" "--check finding on the original"
refused() {
	[ -f "$I/$1" ] || return 0
	run zr-photo $today --profile "$2" "$I/$1" -o "$tmp/r.jpg"
	expect_exit 1; expect_no_file "$tmp/r.jpg"
	[ "$(wc -l < "$err")" -eq 1 ] && ok || nok "$1: not one line"
	expect_err_has "$3"
	run zr-photo $today --profile "$2" --check "$I/$1"; expect_exit 1
	expect_out_has "$4"
}
# framed FILE PROFILE WxH: made, at that size, and passes its own check.
framed() {
	[ -f "$I/$1" ] || return 0
	run zr-photo $today --profile "$2" "$I/$1" -o "$tmp/f.jpg"
	expect_exit 0
	run zr-photo $today --profile "$2" --check "$tmp/f.jpg"; expect_exit 0
	expect_out_has "ok (jpeg-baseline, $3,"
	rm -f "$tmp/f.jpg"
}

# Official portrait in the Oval Office: flags, curtains and a window
# behind (ISA: no busy background), and the crown, estimated on that
# background, too near the top for the 2-8 mm margin.
refused facerec__obama.jpg isa "too close to the top edge" \
    "background is not plain"
refused facerec__obama-1080p.jpg isa "too close to the top edge" \
    "background is not plain"
refused facerec__obama.jpg passport "too close to the top edge" \
    "background is not plain"
# The head tilted 12-13 degrees, dark suit, curtains behind.
refused facerec__biden.jpg isa "the head is tilted 1" \
    "the eyes are not level"
# Two people.
refused facerec__obama_and_biden.jpg isa \
    "2 faces: the photo must show the applicant alone" "2 faces"
# Head and shoulders on a plain studio wall inside the frame (the flag and
# the model are outside it): framed at the profile's smallest size; the
# passport's fixed 600x730 would enlarge the head 3.4 times.
framed skimage__astronaut.png isa 240x320
refused skimage__astronaut.png passport "the face is too small" \
    "(the face is too small in the frame)"
# A small figure seen from behind in a landscape: no face.
for f in exif__Portrait_1.jpg exif__Portrait_6.jpg exif__Landscape_8.jpg; do
	refused "$f" isa "no face found" "no face found"
done
