#!/usr/bin/env python3
"""Writes the big-layer map benchmark input: a deterministic FeatureCollection of N (default
400,000) JIS X 0410 3rd-level mesh cells (30" x 45", about 1 km) covering Japan, one Polygon
per cell with `role: "gap"`, its `mesh_code` and a `population` — the shape of a nationwide
`wattbit gaps` result at 1 km.

Cells are those whose centre lies on Japanese land (geodata/japan-land.geojson, country JP),
found by scanline even-odd rasterisation of the land rings at each mesh row's centre latitude;
when there are fewer than N, rings of coastal cells are added outward (one-cell dilation, in
mesh order) until there are N; when there are more, cells are dropped evenly. Population is
drawn from a fixed-seed log-uniform distribution (1 to 200,000 people) so that every one of
the map's five population classes is well represented.

usage: generate.py OUT.geojson [--cells 400000]
"""
import argparse
import json
import math
import os
import random

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
DLAT, DLON = 30 / 3600, 45 / 3600          # JIS X 0410 3rd level
LAT0, LON0 = 20.0, 122.0                   # grid origin (on mesh boundaries)
ROWS, COLS = int((46.0 - LAT0) / DLAT), int((154.0 - LON0) / DLON)


def land_rings():
    with open(os.path.join(ROOT, "geodata", "japan-land.geojson"), encoding="utf-8") as handle:
        land = json.load(handle)
    for feature in land["features"]:
        if (feature.get("properties") or {}).get("country") != "JP":
            continue
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        for polygon in polygons:
            yield from polygon


def land_cells():
    """(row, col) of the cells whose centre is on land: even-odd crossings per row."""
    crossings = {}
    for ring in land_rings():
        for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
            if y1 == y2:
                continue
            low, high = min(y1, y2), max(y1, y2)
            # Rows whose centre latitude c satisfies low <= c < high (half-open: no double count).
            first = max(0, math.ceil((low - LAT0) / DLAT - 0.5))
            last = min(ROWS - 1, math.ceil((high - LAT0) / DLAT - 0.5) - 1)
            for row in range(first, last + 1):
                centre = LAT0 + (row + 0.5) * DLAT
                x = x1 + (centre - y1) * (x2 - x1) / (y2 - y1)
                crossings.setdefault(row, []).append(x)
    cells = set()
    for row, xs in crossings.items():
        xs.sort()
        for west, east in zip(xs[0::2], xs[1::2]):
            first = max(0, math.ceil((west - LON0) / DLON - 0.5))
            last = min(COLS - 1, math.floor((east - LON0) / DLON - 0.5))
            for col in range(first, last + 1):
                cells.add((row, col))
    return cells


def select(cells, wanted):
    cells = set(cells)
    while len(cells) < wanted:
        ring = sorted({(r + dr, c + dc) for r, c in cells for dr in (-1, 0, 1) for dc in (-1, 0, 1)
                       if 0 <= r + dr < ROWS and 0 <= c + dc < COLS} - cells)
        if not ring:
            break
        cells.update(ring[:wanted - len(cells)])
    ordered = sorted(cells)
    if len(ordered) > wanted:
        ordered = [ordered[i * len(ordered) // wanted] for i in range(wanted)]
    return ordered


def mesh_code(row, col):
    """3rd-level JIS X 0410 code: 1st (40' x 1 deg), 2nd (1/8) and 3rd (1/10) level digits."""
    lat_units = int(round(LAT0 / DLAT)) + row          # in 30" steps from the equator
    lon_units = int(round((LON0 - 100) / DLON)) + col  # in 45" steps from 100 E
    p, rest_lat = divmod(lat_units, 80)
    u, rest_lon = divmod(lon_units, 80)
    q, r = divmod(rest_lat, 10)
    v, w = divmod(rest_lon, 10)
    return f"{p:02d}{u:02d}{q}{v}{r}{w}"


def fmt(value):
    text = f"{value:.7f}".rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--cells", type=int, default=400_000)
    args = parser.parse_args()
    land = land_cells()
    cells = select(land, args.cells)
    rng = random.Random(20261123)
    temporary = args.out + ".tmp"
    with open(temporary, "w", encoding="utf-8") as out:
        out.write('{"type":"FeatureCollection","features":[\n')
        for index, (row, col) in enumerate(cells):
            south, west = LAT0 + row * DLAT, LON0 + col * DLON
            north, east = south + DLAT, west + DLON
            ring = [(west, south), (east, south), (east, north), (west, north), (west, south)]
            coordinates = ",".join(f"[{fmt(x)},{fmt(y)}]" for x, y in ring)
            population = int(10 ** rng.uniform(0, math.log10(200_000)))
            properties = {"role": "gap", "mesh_code": mesh_code(row, col), "population": population}
            out.write(("," if index else "") + '{"type":"Feature","geometry":{"type":"Polygon","coordinates":[['
                      + coordinates + ']]},"properties":' + json.dumps(properties, separators=(",", ":")) + "}\n")
        out.write("]}\n")
    os.replace(temporary, args.out)
    print(f"wrote {args.out}: {len(cells)} cells ({len(land)} with their centre on land), "
          f"{os.path.getsize(args.out) / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
