# pngstat.py [--color RRGGBB] FILE...: "WIDTH HEIGHT INK" per PNG, INK the
# per-mille of pixels that are not white (8-bit gray, RGB or RGBA, not
# interlaced); with --color, of pixels within 6 of that colour instead.
# Used by the CLI tests to see that a rendered page is not blank and that a
# screenshot shows a colour.
import struct
import sys
import zlib


def stat(path, color=None):
    data = open(path, 'rb').read()
    if data[:8] != b'\x89PNG\r\n\x1a\n':
        raise SystemExit('%s: not a PNG file' % path)
    pos, idat, hdr = 8, b'', None
    while pos < len(data):
        n, kind = struct.unpack('>I4s', data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b'IHDR':
            hdr = struct.unpack('>IIBBBBB', body)
        elif kind == b'IDAT':
            idat += body
        pos += 12 + n
    w, h, depth, ctype, _, _, interlace = hdr
    if depth != 8 or interlace or ctype not in (0, 2, 6):
        raise SystemExit('%s: unsupported PNG layout' % path)
    bpp = {0: 1, 2: 3, 6: 4}[ctype]
    raw = zlib.decompress(idat)
    stride = w * bpp
    prev = bytearray(stride)
    ink = 0
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pr = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[i] = (line[i] + pr) & 255
        for x in range(0, stride, bpp):
            px = line[x:x + min(bpp, 3)]
            if color is None:
                ink += min(px) < 250
            else:
                if bpp == 1:
                    px = px * 3
                ink += all(abs(px[k] - color[k]) <= 6 for k in range(3))
        prev = line
    return w, h, ink * 1000 // (w * h)


args = sys.argv[1:]
want = None
if args[:1] == ['--color']:
    want = bytes.fromhex(args[1])
    args = args[2:]
for p in args:
    print('%d %d %d' % stat(p, want))
