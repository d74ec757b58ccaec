#!/bin/sh
# zr-photo on what phones and browsers save: HEIC (with its own rotation),
# AVIF, WebP (alpha, animation), names that lie about the content, damage.
# Fixtures are made here from the project's sample (examples/sample/SOURCES)
# with tests/tools/mkportrait and Debian's heif-enc (libheif-examples),
# cwebp and img2webp (webp), all in scripts/deps.
. tests/cli/lib.sh

photo=examples/sample/photo.jpg        # public domain, EXIF 6 + GPS + date
sig=examples/sample/signature.png      # invented, RGBA on transparent
today=--today=2026-11-23
mk=$ZR_BUILD/tools/mkportrait

for t in heif-enc cwebp img2webp; do
	command -v $t >/dev/null || nok "$t missing (scripts/deps installs it)"
done

# A HEIC stored a quarter turn back with irot 6 and EXIF orientation 6, as
# a phone writes it: read upright once (the face is found, which it is not
# on a sideways or upside-down picture), EXIF's copy not applied again.
"$mk" rot6 $photo "$tmp/rot.heic" && ok || nok "mkportrait rot6"
run zr-photo --json $today "$tmp/rot.heic" -o "$tmp/rot.jpg"
expect_exit 0
expect_out_has '"source":{"width":600,"height":800,"orientation":1}'
expect_out_has '"face":{"found":1,"framed":true'
expect_out_lacks '"code":"extension"'
run zr-photo --check --json $today "$tmp/rot.heic"
expect_exit 1; expect_out_has '"format":"heic"'
expect_out_has '"code":"format","message":"a HEIC file; the upload wants JPEG"'
expect_out_has '"code":"metadata","message":"metadata present: EXIF"'
expect_out_lacks '"code":"orientation"'
# What came out is a JPEG without the HEIC's EXIF (GPS, date).
run zr-photo --check --json $today "$tmp/rot.jpg"
expect_out_has '"format":"jpeg-baseline"'; expect_out_has '"gps":false'
expect_out_lacks '"code":"metadata"'

# The same photo not turned (heif-enc, no transform) frames the same way.
"$mk" same $photo "$tmp/same.png" && ok || nok "mkportrait same"
heif-enc -q 80 -o "$tmp/plain.heic" "$tmp/same.png" >/dev/null 2>&1 &&
    ok || nok "heif-enc"
run zr-photo --json $today "$tmp/plain.heic" -o "$tmp/plain.jpg"
expect_exit 0; expect_out_has '"face":{"found":1,"framed":true'
expect_out_has '"source":{"width":600,"height":800,"orientation":1}'

# AVIF (libheif with dav1d/aom in Debian 12) is read too.
heif-enc -A -q 70 -o "$tmp/p.avif" "$tmp/same.png" >/dev/null 2>&1 &&
    ok || nok "heif-enc -A"
run zr-photo --check --json $today "$tmp/p.avif"
expect_exit 1; expect_out_has '"format":"avif"'
expect_out_has '"message":"an AVIF file; the upload wants JPEG"'
run zr-photo $today --crop 0,0,600,800 "$tmp/p.avif" -o "$tmp/avif.jpg"
expect_exit 0; expect_err_empty

# WebP with alpha, lossless and exact: flattened on white as the PNG is,
# so the output is the same bytes as from the PNG.
cwebp -quiet -lossless -exact "$sig" -o "$tmp/sig.webp" && ok || nok "cwebp"
run zr-photo --profile signature "$sig" -o "$tmp/sig-png.jpg"; expect_exit 0
run zr-photo --profile signature "$tmp/sig.webp" -o "$tmp/sig-webp.jpg"
expect_exit 0; grep -q WebP "$err" && nok "sig.webp: a WebP warning" || ok
expect_same_bytes "$tmp/sig-png.jpg" "$tmp/sig-webp.jpg"
run zr-photo --check --json --profile signature "$tmp/sig.webp"
expect_out_has '"format":"webp"'

# Named for another format: read by the content, and said so; for --check
# (the upload is a JPEG named .jpg or .jpeg) a problem.
cp "$tmp/sig.webp" "$tmp/scan.jpg"
run zr-photo --profile signature "$tmp/scan.jpg" -o "$tmp/scan-out.jpg"
expect_exit 0
expect_err_has "zr-photo: warning: $tmp/scan.jpg: not a JPEG file (it is a WebP image)"
expect_same_bytes "$tmp/sig-png.jpg" "$tmp/scan-out.jpg"
run zr-photo --check --profile signature "$tmp/scan.jpg"
expect_exit 1
expect_out_has "scan.jpg: not a JPEG file (it is a WebP image); the upload wants a JPEG named .jpg or .jpeg"
cp "$photo" "$tmp/IMG_0001.HEIC"
run zr-photo --check --json $today "$tmp/IMG_0001.HEIC"
expect_exit 1
expect_out_has '"code":"extension","message":"not a HEIC file (it is a JPEG image); the upload wants a JPEG named .jpg or .jpeg"'

# Damaged: one line, exit 2, no output file, never a crash.
n=$(wc -c < "$tmp/rot.heic")
head -c $((n / 2)) "$tmp/rot.heic" > "$tmp/half.heic"
run zr-photo $today "$tmp/half.heic" -o "$tmp/half.jpg"
expect_exit 2; expect_no_file "$tmp/half.jpg"
[ "$(wc -l < "$err")" -eq 1 ] && ok || nok "half.heic: not one line"
expect_err_has "zr-photo: $tmp/half.heic: corrupt HEIC"
n=$(wc -c < "$tmp/sig.webp")
head -c $((n - 7)) "$tmp/sig.webp" > "$tmp/cut.webp"
run zr-photo --profile signature "$tmp/cut.webp" -o "$tmp/cut.jpg"
expect_exit 2; expect_no_file "$tmp/cut.jpg"
expect_err_is "zr-photo: $tmp/cut.webp: corrupt WebP: file is truncated"

# A HEIC whose grid declares a canvas far larger than its 'ispe' (found by
# fuzz_phoneimg; kept in its corpus): refused before libheif allocates it
# (it took 3.2 GB and 14 s), one line, nothing written.
cp tests/fuzz/corpus/fuzz_phoneimg/forged-grid.heic "$tmp/grid.heic"
run zr-photo $today "$tmp/grid.heic" -o "$tmp/grid.jpg"
expect_exit 2
expect_err_is "zr-photo: $tmp/grid.heic: corrupt HEIC: its picture is larger than the 16x6144 its header says"
expect_no_file "$tmp/grid.jpg"
run zr-photo --check $today "$tmp/grid.heic"
expect_exit 2
expect_err_is "zr-photo: $tmp/grid.heic: corrupt HEIC: its picture is larger than the 16x6144 its header says"
# A grid listed among its own tiles (found by fuzz_phoneimg; kept in its
# corpus): libheif recursed until it ran out of threads and aborted the
# process; refused before libheif reads it.
cp tests/fuzz/corpus/fuzz_phoneimg/grid-self-tile.heic "$tmp/self.heic"
run zr-photo --check $today "$tmp/self.heic"
expect_exit 2
expect_err_is "zr-photo: $tmp/self.heic: HEIC whose grid or overlay is made of other grids or overlays is not supported"
# An animation is refused (which frame would be the photo?).
"$mk" wall $photo "$tmp/wall.png" && ok || nok "mkportrait wall"
img2webp -lossless "$tmp/same.png" "$tmp/wall.png" -o "$tmp/anim.webp" \
    >/dev/null 2>&1 && ok || nok "img2webp"
run zr-photo --profile signature "$tmp/anim.webp" -o "$tmp/anim.jpg"
expect_exit 2; expect_no_file "$tmp/anim.jpg"
expect_err_is "zr-photo: $tmp/anim.webp: animated WebP is not supported (save one frame as a still picture)"
# An ISO media file that is no picture (an MP4 saved by the camera app).
printf '\000\000\000\030ftypisom\000\000\002\000isommp41\000\000\000\010free' \
    > "$tmp/clip.jpg"
run zr-photo "$tmp/clip.jpg" -o "$tmp/clip-out.jpg"
expect_exit 2; expect_no_file "$tmp/clip-out.jpg"
expect_err_is "zr-photo: $tmp/clip.jpg: not a picture: an ISO media file of brand 'isom' (a video?)"

t_done
