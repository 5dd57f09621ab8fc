"""Batch peer: the same pairs routed by scikit-image MCP_Geometric, one-to-many.

MCP_Geometric is Dijkstra on an 8-connected lon/lat raster (the raster of compare.py: same
land, one dilation cell for clearance). Its natural batch is one `find_costs` per source
with every target of that source, then one traceback per pair, so it is given that
advantage. Lengths are re-measured on WGS84 (pyproj.Geod).
Usage: batch.py GEODATA WATTBIT_PAIRS_JSONL WATTBIT_BATCH_JSON CELL_KM
"""
import json
import math
import statistics
import sys
import time
from collections import defaultdict

import numpy as np
from pyproj import Geod
from scipy.ndimage import binary_dilation
from skimage.draw import polygon as draw_polygon
from skimage.graph import MCP_Geometric

geodata, pairs_path, batch_path, cell_km = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
geod = Geod(ellps="WGS84")
pairs = [json.loads(l) for l in open(pairs_path)]
ours = json.loads(open(batch_path).read().splitlines()[-1])

west, south, east, north = 120.0, 20.0, 155.0, 47.0
dlat = cell_km / 111.2
dlon = cell_km / (111.32 * math.cos(math.radians(33.5)))
ny, nx = int(math.ceil((north - south) / dlat)), int(math.ceil((east - west) / dlon))
land = np.zeros((ny, nx), dtype=bool)
for feature in json.load(open(f"{geodata}/japan-land.geojson"))["features"]:
    g = feature["geometry"]
    for poly in ([g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]):
        ring = np.asarray(poly[0])
        rr, cc = draw_polygon((ring[:, 1] - south) / dlat, (ring[:, 0] - west) / dlon, shape=land.shape)
        land[rr, cc] = True
        land[np.clip(((ring[:, 1] - south) / dlat).astype(int), 0, ny - 1),
             np.clip(((ring[:, 0] - west) / dlon).astype(int), 0, nx - 1)] = True
blocked = binary_dilation(land, np.ones((3, 3), dtype=bool))
costs = np.where(blocked, np.inf, 1.0)
open_cells = np.argwhere(~blocked)


def nearest_open(lon, lat):
    r0, c0 = int((lat - south) / dlat), int((lon - west) / dlon)
    r0, c0 = min(max(r0, 0), ny - 1), min(max(c0, 0), nx - 1)
    if not blocked[r0, c0]:
        return (r0, c0)
    d = (open_cells[:, 0] - r0) ** 2 + (open_cells[:, 1] - c0) ** 2
    r, c = open_cells[int(np.argmin(d))]
    return (int(r), int(c))


by_source = defaultdict(list)
for k, p in enumerate(pairs):
    by_source[tuple(p["from"])].append(k)
t = time.perf_counter()
lengths = [None] * len(pairs)
sampling = (dlat * 111.2, dlon * 111.32 * math.cos(math.radians(33.5)))
for source, ks in by_source.items():
    start = nearest_open(*source)
    ends = {k: nearest_open(*pairs[k]["to"]) for k in ks}
    mcp = MCP_Geometric(costs, sampling=sampling)
    cumulative, _ = mcp.find_costs([start], list(set(ends.values())))
    for k, end in ends.items():
        if not np.isfinite(cumulative[end]):
            continue  # the raster closes this end's bay or strait: no path (counted below)
        path = mcp.traceback(end)
        coords = [source] + [(west + (c + 0.5) * dlon, south + (r + 0.5) * dlat) for r, c in path] + [tuple(pairs[k]["to"])]
        lengths[k] = geod.line_length([c[0] for c in coords], [c[1] for c in coords]) / 1000
mcp_seconds = time.perf_counter() - t

ratios = [w["length_km"] / m for w, m in zip(pairs, lengths) if w["length_km"] > 0 and m]
print(f"{len(pairs)} pairs ({ours.get('distinct', '?')} distinct), {len(by_source)} sources")
print(f"| | wall s | CPU s | routed | median length vs MCP |")
print(f"|---|---:|---:|---:|---:|")
print(f"| WattBit planBatch ({ours['threads']} threads) | {ours['seconds']:.1f} | {ours['cpu_seconds']:.1f} | {ours['routed']} | {statistics.median(ratios):.3f} |")
print(f"| MCP_Geometric one-to-many ({len(by_source)} find_costs) | {mcp_seconds:.1f} | — | {sum(1 for l in lengths if l)} | 1 |")
