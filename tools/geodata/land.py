"""geodata/japan-land.geojson: land polygons for lon 120–155, lat 20–47 from GSHHG.

Method
  1. `gmt coast -R120/155/20/47 -Dh -W -M -A<min_km2>/1/2` dumps the GSHHG *high*
     resolution shoreline pieces (cut at GSHHG's internal bin edges) of level 1
     (ocean/land) and level 2 (land/lake). Level 3 (islands in lakes) and 4 (ponds on
     those) are left out: an island in a lake is not reachable from the sea and only
     fragments the lake hole.
  2. The pieces plus the region's boundary are noded and polygonized (shapely/GEOS).
  3. Each face is classified by testing one interior point with `gmt select -N`
     (same resolution and area threshold): only faces on level-1 land are kept, so
     lakes become holes and the sea is dropped.
  4. The land faces are unioned and snapped to a 1e-5° grid (≈1 m) with
     shapely.set_precision, which returns a *valid* MultiPolygon: parts never overlap.
  5. Each part gets its country (ISO code; de facto administration, as in DCW) from the
     DCW country polygon holding an interior point (null when a continental part spans
     several countries by > 5 % of its area) and,
     for well-known islands, a name from tables/land_islands.csv (seed point inside).

Why GSHHG high (~200 m): the cable router works on cells of ≤ 2 km; 200 m shoreline
detail is ten times finer than that, while full resolution (~40 m) would only add bulk.
Why drop features < MIN_AREA_KM2 (default 0.1 km², i.e. ~300 m across): smaller islets
are below the router's resolution by a factor of >6, are not landing sites, and make up
most of the polygon count; the threshold is a parameter (WATTBIT_LAND_MIN_KM2).
"""
import csv
import os
import sys

import shapely
from shapely.geometry import LineString, MultiPolygon, Point, Polygon, box
from shapely.ops import polygonize, unary_union

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from land_lib import (GEODATA, GMT_REGION, REGION, TABLES, area_km2, ensure_scratch,  # noqa: E402
                      round_area, run, write_feature_collection)

MIN_AREA_KM2 = float(os.environ.get("WATTBIT_LAND_MIN_KM2", "0.1"))
GRID_DEG = 1e-5          # output precision: 5 decimals ≈ 1.1 m in latitude
COUNTRIES = {"JP": "日本", "KR": "大韓民国", "KP": "朝鮮民主主義人民共和国", "RU": "ロシア",
             "CN": "中華人民共和国", "TW": "台湾", "PH": "フィリピン"}


def parse_segments(text):
    """Parses GMT multisegment text into [(header, [(lon, lat), ...]), ...]."""
    segs, cur, head = [], None, None
    for line in text.splitlines():
        if not line.strip():
            continue
        if line.startswith(">"):
            if cur is not None and len(cur) >= 2:
                segs.append((head, cur))
            head, cur = line[1:].strip(), []
        else:
            parts = line.split()
            cur.append((float(parts[0]), float(parts[1])))
    if cur is not None and len(cur) >= 2:
        segs.append((head, cur))
    return segs


def shoreline_faces():
    area_arg = f"-A{MIN_AREA_KM2:g}/1/2"
    text = run(["gmt", "coast", GMT_REGION, "-Dh", "-W", "-M", area_arg])
    segs = parse_segments(text)
    lines = [LineString(pts) for _, pts in segs]
    w, e, s, n = REGION
    frame = box(w, s, e, n)
    noded = unary_union(lines + [frame.exterior])
    faces = [f for f in polygonize(noded) if not f.is_empty]
    # Classify faces by one interior point each.
    pts = [f.representative_point() for f in faces]
    inp = "".join(f"{p.x:.10f} {p.y:.10f} {i}\n" for i, p in enumerate(pts))
    out = run(["gmt", "select", GMT_REGION, "-Dh", area_arg, "-Ns/k/s/s/s"], stdin=inp)
    keep = {int(line.split()[2]) for line in out.splitlines() if line.strip() and not line.startswith(">")}
    land = [faces[i] for i in sorted(keep)]
    return len(segs), len(faces), land


def country_polygons():
    w, e, s, n = REGION
    frame = box(w - 0.5, s - 0.5, e + 0.5, n + 0.5)
    out = {}
    for code in COUNTRIES:
        segs = parse_segments(run(["gmt", "coast", GMT_REGION, f"-E{code}", "-M"]))
        polys = []
        for _, pts in segs:
            if len(pts) < 4:
                continue
            p = Polygon(pts)
            if not p.is_valid:
                p = shapely.make_valid(p)
            if p.intersects(frame):
                polys.append(p.intersection(frame))
        if polys:
            out[code] = unary_union(polys)
    return out


def island_table():
    rows = []
    with open(os.path.join(TABLES, "land_islands.csv"), encoding="utf-8") as f:
        for r in csv.DictReader(f):
            rows.append((Point(float(r["lon"]), float(r["lat"])), r["name"], r["name_en"]))
    return rows


def main():
    ensure_scratch()
    nsegs, nfaces, land = shoreline_faces()
    merged = unary_union(land)
    snapped = shapely.set_precision(merged, GRID_DEG)
    parts = list(snapped.geoms) if isinstance(snapped, MultiPolygon) else [snapped]
    parts = [p for p in parts if isinstance(p, Polygon) and not p.is_empty]
    countries = country_polygons()
    ctree = list(countries.items())
    islands = island_table()

    records = []
    for p in parts:
        a = area_km2(p)
        if a < MIN_AREA_KM2 * 0.5:     # slivers from snapping only
            continue
        code, best = None, 0.0
        rp = p.representative_point()
        for c, cp in ctree:
            if cp.contains(rp):
                code = c
                break
        if code is None:               # DCW and GSHHG disagree: take the nearest country
            code = min(ctree, key=lambda kv: kv[1].distance(rp))[0]
        if a > 5000:                   # a continental piece may span several countries
            shares = sorted((p.intersection(cp).area for _, cp in ctree if cp.intersects(p)), reverse=True)
            if len(shares) > 1 and shares[1] > 0.05 * p.area:
                code = None
        name = name_en = None
        for seed, nja, nen in islands:
            if p.contains(seed):
                name, name_en = nja, nen
                break
        records.append((a, p, code, name, name_en))
    # Deterministic order: largest first, ties by a stable point.
    records.sort(key=lambda r: (-round(r[0], 6), round(r[1].representative_point().x, 6),
                                round(r[1].representative_point().y, 6)))
    feats = []
    for a, p, code, name, name_en in records:
        props = {"name": name, "name_en": name_en, "country": code,
                 "area_km2": round_area(a), "level": 1}
        feats.append((props, shapely.geometry.polygon.orient(p, 1.0)))   # RFC 7946: CCW shells
    path = os.path.join(GEODATA, "japan-land.geojson")
    size = write_feature_collection(path, feats, decimals=5, name="japan-land")
    bad = [i for i, (_, g) in enumerate(feats) if not g.is_valid]
    print(f"japan-land: {nsegs} shoreline pieces -> {nfaces} faces -> {len(feats)} land polygons, "
          f"{size/1e6:.2f} MB, invalid={len(bad)}, min area {MIN_AREA_KM2:g} km²")
    if bad:
        raise SystemExit(f"japan-land: invalid polygons at {bad[:5]}")


if __name__ == "__main__":
    main()
