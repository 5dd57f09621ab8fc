"""Side-by-side: WattBit cable routes vs scikit-image MCP_Geometric and searoute.

MCP_Geometric (scikit-image) is Dijkstra on an 8-connected raster with geometric edge
weights; the raster is lon/lat with ~cell_km cells (lon step scaled by cos 33.5°), land from
the same japan-land.geojson (exterior rings; the file has no lakes) dilated by one cell for
the coast clearance. searoute routes on its own global maritime network (no land file).
Every length is re-measured on the WGS84 ellipsoid (pyproj.Geod) so the columns compare.
"""
import json
import math
import sys
import time

import numpy as np
from pyproj import Geod
from skimage.draw import polygon as draw_polygon
from skimage.graph import MCP_Geometric
from scipy.ndimage import binary_dilation

geodata, wattbit_jsonl, cell_km = sys.argv[1], sys.argv[2], float(sys.argv[3])
geod = Geod(ellps="WGS84")


def length_km(coords):
    lons = [c[0] for c in coords]
    lats = [c[1] for c in coords]
    return geod.line_length(lons, lats) / 1000


lines = [json.loads(l) for l in open(wattbit_jsonl)]
surface = next(l for l in lines if l["case"] == "sea surface")
cases = [l for l in lines if "routes" in l]

# --- MCP_Geometric raster -------------------------------------------------------------
t0 = time.perf_counter()
west, south, east, north = 120.0, 20.0, 155.0, 47.0
dlat = cell_km / 111.2
dlon = cell_km / (111.32 * math.cos(math.radians(33.5)))
ny, nx = int(math.ceil((north - south) / dlat)), int(math.ceil((east - west) / dlon))
land = np.zeros((ny, nx), dtype=bool)
with open(f"{geodata}/japan-land.geojson") as f:
    collection = json.load(f)
for feature in collection["features"]:
    g = feature["geometry"]
    polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
    for poly in polys:
        ring = np.asarray(poly[0])
        rr, cc = draw_polygon((ring[:, 1] - south) / dlat, (ring[:, 0] - west) / dlon, shape=land.shape)
        land[rr, cc] = True
        # Small islands: mark the cells their vertices fall in.
        r = np.clip(((ring[:, 1] - south) / dlat).astype(int), 0, ny - 1)
        c = np.clip(((ring[:, 0] - west) / dlon).astype(int), 0, nx - 1)
        land[r, c] = True
blocked = binary_dilation(land, np.ones((3, 3), dtype=bool))
costs = np.where(blocked, np.inf, 1.0)
raster_seconds = time.perf_counter() - t0


def cell(lon, lat):
    return int((lat - south) / dlat), int((lon - west) / dlon)


def nearest_open(rc):
    r0, c0 = rc
    for radius in range(0, 50):
        best = None
        for r in range(max(0, r0 - radius), min(ny, r0 + radius + 1)):
            for c in range(max(0, c0 - radius), min(nx, c0 + radius + 1)):
                if not blocked[r, c]:
                    d = (r - r0) ** 2 + (c - c0) ** 2
                    if best is None or d < best[0]:
                        best = (d, (r, c))
        if best:
            return best[1]
    return rc


def centre(rc):
    r, c = rc
    return (west + (c + 0.5) * dlon, south + (r + 0.5) * dlat)


def mcp_route(a, b):
    """Seconds, length (None when the raster has no path) and how far the raster moved the
    ends to reach open water (a bay closed at 2 km moves its end out of the bay)."""
    t = time.perf_counter()
    start, end = nearest_open(cell(*a)), nearest_open(cell(*b))
    mcp = MCP_Geometric(costs, sampling=(dlat * 111.2, dlon * 111.32 * math.cos(math.radians(33.5))))
    cumulative, _ = mcp.find_costs([start], [end])
    seconds = time.perf_counter() - t
    moved = max(length_km([a, centre(start)]), length_km([b, centre(end)]))
    if not np.isfinite(cumulative[end]):
        return seconds, None, moved
    path = mcp.traceback(end)
    coords = [a] + [centre(rc) for rc in path] + [b]
    return seconds, length_km(coords), moved


def searoute_route(a, b):
    import searoute as sr
    t = time.perf_counter()
    feature = sr.searoute(list(a), list(b))
    seconds = time.perf_counter() - t
    return seconds, length_km(feature["geometry"]["coordinates"])


print(f"sea surface ({cell_km:g} km cells): WattBit {surface['seconds']:.2f} s wall, {surface['cpu_seconds']:.2f} s CPU for {surface['cells']:,} cells; "
      f"MCP raster {raster_seconds:.2f} s for {ny * nx:,} cells")
print()
print("Lengths in km on WGS84; WattBit 'length only' plans without hazard weights (what the peers minimise);")
print("'with hazards' is the default plan (all K routes listed for K > 1, approach 60 km).")
print()
print("WattBit s = wall (CPU) seconds of the full plan with hazards, K routes; the peers find one route.")
print()
print("'MCP ends moved' is how far the raster had to move an end to find open water: in a bay the")
print("2 km raster closes, that is out of the bay, and the MCP length is then not a route from the given point.")
print()
print("| case | WattBit s | WattBit km, length only | WattBit km, with hazards | MCP_Geometric s | MCP km | MCP ends moved km | searoute s | searoute km |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
import searoute  # noqa: F401  (first import outside the timings)
for case in cases:
    a, b = tuple(case["from"]), tuple(case["to"])
    w_len = case["length_only_km"]
    m_s, m_len, m_moved = mcp_route(a, b)
    m_text = "no path" if m_len is None else f"{m_len:.1f}"
    s_s, s_len = searoute_route(a, b)
    routes = case["routes"]
    hazards = ", ".join(f"{r['length_km']:.1f}" for r in routes)
    if len(routes) > 1:
        hazards += f" (min sep {min(r['min_separation_km'] for r in routes):.1f})"
    print(f"| {case['case']} | {case['seconds']:.2f} ({case['cpu_seconds']:.2f}) | {w_len:.1f} | {hazards} | {m_s:.2f} | {m_text} | {m_moved:.1f} | {s_s:.3f} | {s_len:.1f} |")
