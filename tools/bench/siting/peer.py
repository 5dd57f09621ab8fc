"""The peer a GIS analyst would write for `wattbit siting`: geopandas for the land cells
(spatial join of 1 km mesh-cell centres with the prefectures, metro areas and earthquake
source regions), scipy cKDTree for nearest facilities, pyproj (GeographicLib) for geodesic
distances, numpy for the value functions and the weighted sum. Same criteria, same
defaults, same geodata as the Swift engine, so the scores must agree to 1e-9.

    python peer.py GEODATA_DIR OUT.npz       # writes mesh codes and scores; prints seconds
"""
import json
import sys
import time

import geopandas as gpd
import numpy as np
from pyproj import Geod
from scipy.spatial import cKDTree
from shapely.geometry import shape

GEOD = Geod(ellps="GRS80")
A, F = 6378137.0, 1 / 298.257222101
E2 = F * (2 - F)
TOKYO, OSAKA = (139.7640, 35.6870), (135.4950, 34.6960)
ROUTE_FACTOR, FIBER_US_PER_KM = 1.5, 4.9

# Value functions (best, worst) and weights: the engine's defaults (docs/planners/siting.md).
FUNCS = {"plant_km": (10, 100), "decarbonised_mw": (3000, 0), "substation_km": (5, 60), "landing_km": (30, 300),
         "ix_km": (20, 400), "rtt_tokyo_ms": (2, 15), "rtt_osaka_ms": (2, 15), "hazard_km": (100, 0)}
WEIGHTS = {"plant_km": 1, "decarbonised_mw": 2, "substation_km": 2, "landing_km": 1, "ix_km": 1,
           "rtt_tokyo_ms": 1, "rtt_osaka_ms": 1, "hazard_km": 1, "outside_metro": 1}
ORDER = ["plant_km", "decarbonised_mw", "substation_km", "landing_km", "ix_km", "rtt_tokyo_ms", "rtt_osaka_ms",
         "hazard_km", "outside_metro"]


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)["features"]


def ecef(lon, lat):
    lon, lat = np.radians(lon), np.radians(lat)
    n = A / np.sqrt(1 - E2 * np.sin(lat) ** 2)
    return np.column_stack([n * np.cos(lat) * np.cos(lon), n * np.cos(lat) * np.sin(lon), n * (1 - E2) * np.sin(lat)]) / 1000


def nearest_km(lon, lat, pts, k=8):
    """Geodesic km to the nearest of pts: k nearest by chord (cKDTree), then GeographicLib."""
    pts = np.asarray(pts)
    k = min(k, len(pts))
    _, idx = cKDTree(ecef(pts[:, 0], pts[:, 1])).query(ecef(lon, lat), k=k)
    idx = idx.reshape(len(lon), k)
    best = np.full(len(lon), np.inf)
    for j in range(k):
        _, _, d = GEOD.inv(lon, lat, pts[idx[:, j], 0], pts[idx[:, j], 1])
        best = np.minimum(best, d / 1000)
    return best


def densify(line, max_km=1.0):
    out = [line[0]]
    for (x1, y1), (x2, y2) in zip(line[:-1], line[1:]):
        _, _, d = GEOD.inv(x1, y1, x2, y2)
        if d > max_km * 1000:
            pieces = int(np.ceil(d / (max_km * 1000)))
            out += [tuple(p) for p in GEOD.npts(x1, y1, x2, y2, pieces - 1)]
        out.append((x2, y2))
    return out


def mesh_cells(prefectures):
    """Centres of every 1 km mesh cell (JIS X 0410 third level) in the prefectures' bbox."""
    minx, miny, maxx, maxy = prefectures.total_bounds
    r0, r1 = int(np.floor(miny * 120)), int(np.ceil(maxy * 120))
    c0, c1 = int(np.floor((minx - 100) * 80)), int(np.ceil((maxx - 100) * 80))
    rows, cols = np.meshgrid(np.arange(r0, r1), np.arange(c0, c1), indexing="ij")
    rows, cols = rows.ravel(), cols.ravel()
    # Centre as the engine computes it: first-level tile origin + (index + ½) × step.
    tr, tc = rows // 80, cols // 80
    lat = tr / 1.5 + ((rows - tr * 80) + 0.5) * ((2 / 3) / 80)
    lon = 100 + tc + ((cols - tc * 80) + 0.5) * (1 / 80)
    return rows, cols, lon, lat


def main(geodata, out):
    t0 = time.perf_counter()
    prefs = gpd.read_file(f"{geodata}/prefectures.geojson")
    rows, cols, lon, lat = mesh_cells(prefs)
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs=prefs.crs)
    land = gpd.sjoin(pts, prefs[["code", "geometry"]], predicate="within", how="inner")
    land = land[~land.index.duplicated()].sort_index()
    keep = land.index.to_numpy()
    rows, cols, lon, lat = rows[keep], cols[keep], lon[keep], lat[keep]
    cells = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs=prefs.crs)

    plants = load(f"{geodata}/power-plants.geojson")
    plant_xy = [f["geometry"]["coordinates"] for f in plants]
    raw = {"plant_km": nearest_km(lon, lat, plant_xy)}
    clean = [(f["geometry"]["coordinates"], f["properties"]["capacity_mw"]) for f in plants if f["properties"]["decarbonised"]]
    cxy = np.array([c for c, _ in clean]); cmw = np.array([m for _, m in clean], dtype=float)
    mw = np.zeros(len(lon))
    for j in range(len(cxy)):   # 60 stations: a geodesic per station and cell, vectorised
        _, _, d = GEOD.inv(lon, lat, np.full(len(lon), cxy[j, 0]), np.full(len(lon), cxy[j, 1]))
        mw += np.where(d / 1000 <= 100, cmw[j], 0)
    raw["decarbonised_mw"] = mw
    raw["substation_km"] = nearest_km(lon, lat, [f["geometry"]["coordinates"] for f in load(f"{geodata}/substations.geojson")])
    raw["landing_km"] = nearest_km(lon, lat, [f["geometry"]["coordinates"] for f in load(f"{geodata}/landing-stations.geojson")
                                              if f["properties"]["zone"] == "other"])
    raw["ix_km"] = nearest_km(lon, lat, [f["geometry"]["coordinates"] for f in load(f"{geodata}/ix.geojson")])
    for name, (x, y) in (("rtt_tokyo_ms", TOKYO), ("rtt_osaka_ms", OSAKA)):
        _, _, d = GEOD.inv(lon, lat, np.full(len(lon), x), np.full(len(lon), y))
        raw[name] = 2 * (d / 1000) * ROUTE_FACTOR * FIBER_US_PER_KM / 1000
    hazards = load(f"{geodata}/hazards.geojson")
    hpts, regions = [], []
    for f in hazards:
        g = f["geometry"]
        if g["type"] == "LineString":
            hpts += densify(g["coordinates"])
        else:
            regions.append(shape(g))
            for ring in g["coordinates"]:
                hpts += densify(ring)
    hd = nearest_km(lon, lat, hpts)
    regions = gpd.GeoDataFrame(geometry=regions, crs=prefs.crs)
    inside = gpd.sjoin(cells, regions, predicate="within", how="inner").index.unique()
    hd[inside] = 0
    raw["hazard_km"] = hd
    zones = gpd.read_file(f"{geodata}/zones.geojson")
    metro = zones[zones["kind"] == "metro-area"]
    in_metro = np.zeros(len(lon), dtype=bool)
    in_metro[gpd.sjoin(cells, metro[["geometry"]], predicate="within", how="inner").index.unique()] = True
    raw["outside_metro"] = np.where(in_metro, 0.0, 1.0)

    total = np.zeros(len(lon))
    for name in ORDER:   # same order as the engine's sum
        if name == "outside_metro":
            s = (raw[name] >= 1).astype(float)
        else:
            best, worst = FUNCS[name]
            s = np.clip((raw[name] - worst) / (best - worst), 0, 1)
        total += WEIGHTS[name] * s
    total /= sum(WEIGHTS.values())
    eligible = ~in_metro
    order = np.lexsort((cols, rows, -np.where(eligible, total, -1)))
    seconds = time.perf_counter() - t0
    np.savez(out, rows=rows, cols=cols, score=total, eligible=eligible, best=order[:10])
    print(f"{seconds:.3f} s, {len(lon)} land cells, {int(eligible.sum())} eligible")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
