#!/usr/bin/env python3
"""Counts exact-colour pixels in a PNG (8-bit RGB/RGBA, non-interlaced), standard library
only. Used by the map screenshot test to check that land and route colours are on screen.

    tools/png-colours.py shot.png '#efeadf' '#d62728'
prints JSON: {"width": W, "height": H, "distinct": N, "counts": {"#efeadf": n, ...}}"""
import json
import struct
import sys
import zlib


def decode(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise SystemExit(f"{path}: not a PNG")
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour_type, _, _, interlace = header
    if depth != 8 or colour_type not in (2, 6) or interlace:
        raise SystemExit(f"{path}: unsupported PNG (depth {depth}, colour type {colour_type})")
    channels = 3 if colour_type == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, previous, i = [], bytearray(stride), 0
    for _ in range(height):
        kind, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - channels] if x >= channels else 0
            b = previous[x]
            c = previous[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + a) & 255
            elif kind == 2:
                line[x] = (line[x] + b) & 255
            elif kind == 3:
                line[x] = (line[x] + ((a + b) >> 1)) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                predictor = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[x] = (line[x] + predictor) & 255
        rows.append(bytes(line))
        previous = line
    return width, height, channels, rows


def main():
    path, colours = sys.argv[1], sys.argv[2:]
    width, height, channels, rows = decode(path)
    wanted = {bytes.fromhex(c.lstrip("#")): c for c in colours}
    counts = {c: 0 for c in colours}
    distinct = set()
    for row in rows:
        for x in range(0, len(row), channels):
            rgb = row[x:x + 3]
            distinct.add(rgb)
            if rgb in wanted:
                counts[wanted[rgb]] += 1
    print(json.dumps({"width": width, "height": height, "distinct": len(distinct), "counts": counts}))


if __name__ == "__main__":
    main()
