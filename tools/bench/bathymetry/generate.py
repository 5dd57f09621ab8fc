#!/usr/bin/env python3
"""A synthetic GEBCO-like ESRI ASCII grid for the bathymetry benchmark (standard library).

3600 x 1600 values at 0.01 degrees (36 x 16 degrees: 122-158 E, 29-45 N), elevations in
metres: a smooth sea floor deepening away from Japan's Pacific margin with a trench-like
trough, land cells positive, and a NODATA block. Deterministic (no randomness).
Usage: generate.py OUT.asc [--cols 3600 --rows 1600 --cell 0.01]
"""
import argparse
import math

parser = argparse.ArgumentParser()
parser.add_argument("out")
parser.add_argument("--cols", type=int, default=3600)
parser.add_argument("--rows", type=int, default=1600)
parser.add_argument("--cell", type=float, default=0.01)
args = parser.parse_args()
west, south = 122.0, 29.0
with open(args.out, "w") as f:
    f.write(f"ncols {args.cols}\nnrows {args.rows}\nxllcorner {west}\nyllcorner {south}\n")
    f.write(f"cellsize {args.cell}\nNODATA_value -32768\n")
    for r in range(args.rows):
        lat = south + (args.rows - r - 0.5) * args.cell
        row = []
        for c in range(args.cols):
            lon = west + (c + 0.5) * args.cell
            # Distance (degrees) past a line along Japan's Pacific coast; a trough 2 degrees out.
            d = (lon - 135.0) * 0.6 - (lat - 30.0) * 0.8
            depth = 80 + 5500 * (1 - math.exp(-max(d, 0) / 1.5)) + 2500 * math.exp(-((d - 2.0) ** 2) / 0.1)
            if lat > 44.5 and lon < 123.0:
                row.append("-32768")
            else:
                row.append(str(-int(depth)))
        f.write(" ".join(row))
        f.write("\n")
