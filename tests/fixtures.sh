#!/bin/sh
# Make the synthetic inputs the tests use (nothing real, nothing fetched):
# images and PDFs from tests/tools/mkfixture.c, encrypted PDFs with qpdf.
# Usage: tests/fixtures.sh BUILD   (writes BUILD/fixtures; the Makefile
# runs it before the tests).  Names say what each file exercises.
set -eu
# Under make sanitize the generator is built with ASan; its leaks are not
# the library's.
ASAN_OPTIONS="${ASAN_OPTIONS:-}${ASAN_OPTIONS:+:}detect_leaks=0"
export ASAN_OPTIONS
build=$1
mk=$build/tools/mkfixture
d=$build/fixtures
rm -rf "$d.new"
mkdir -p "$d.new"
cd "$d.new"
case $mk in /*) ;; *) mk=$OLDPWD/$mk ;; esac

# Images.
"$mk" jpeg upright.jpg 600 800 rgb 90 1        # a phone photo, upright
"$mk" jpeg rot6.jpg 600 800 rgb 90 6           # the same, stored turned, EXIF 6
"$mk" jpeg cmyk.jpg 500 333 cmyk 90            # Adobe CMYK
"$mk" jpeg rgbt.jpg 2268 1512 rgbt 85          # RGB without the YCbCr transform
"$mk" jpeg gray.jpg 640 480 gray 90
"$mk" jpeg big.jpg 4032 3024 rgb 92            # a 12 MP phone frame
"$mk" jpeg hd.jpg 1920 1080 rgb 92
"$mk" jpeg-giant giant.jpg 20000 14000         # over the pixel limit
"$mk" jpeg whole.jpg 800 600 rgb 90
n=$(wc -c < whole.jpg)
head -c $((n / 2)) whole.jpg > truncated.jpg   # cut inside the scan data
rm whole.jpg
"$mk" png photo.png 512 512 rgb
"$mk" png alpha.png 400 300 rgba               # transparent margin
"$mk" png gray.png 300 200 gray

# PDFs.
"$mk" pdf-scan scan.pdf 1240 1754 150          # an A4 page scanned at 150 dpi
"$mk" pdf-scan lowres.pdf 1000 400 100         # an image under 150 dpi
"$mk" pdf-text text.pdf 1
"$mk" pdf-text multipage.pdf 6
"$mk" pdf-text pages20.pdf 20
"$mk" pdf-form form.pdf                        # AcroForm text field "Text2"
"$mk" pdf-badxref badxref.pdf                  # damaged, recoverable
"$mk" pdf-badjpeg badjpeg.pdf                  # a DCTDecode image that is no JPEG
printf '%%PDF-1.3\nThis is not a valid PDF file\n%%%%EOF\n' > invalid.pdf
# Encryption (qpdf): user passwords, owner-only restrictions, AES-128 (V4).
qpdf --encrypt user owner 256 -- pages20.pdf enc-user.pdf
qpdf --encrypt openpassword owner 256 -- text.pdf enc-open.pdf
qpdf --encrypt '' owner 256 --extract=n --modify=none -- form.pdf enc-owner.pdf
qpdf --encrypt '' owner 128 --use-aes=y -- text.pdf enc-aes.pdf
rm pages20.pdf

cd "$OLDPWD"
rm -rf "$d"
mv "$d.new" "$d"
