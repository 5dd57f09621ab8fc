"""geodata/prefectures.geojson: the 47 prefectures, cut from geodata/japan-land.geojson.

Source of the prefecture outlines: the PyPI package `japanmap` (MIT licence), which ships
one simplified outline ring per prefecture (main land mass only, 4,124 shared border
vertices for all of Japan, derived from MLIT National Land Numerical Information).
GMT's DCW has no Japanese subdivisions, so it cannot be used here.

Method
  1. The japanmap rings become polygons S_k (made valid; later rings lose any overlap
     with earlier ones so the S_k are disjoint).
  2. The plane is partitioned into 47 regions P_k: inside the union of the S_k, P_k = S_k;
     outside, each point goes to the prefecture whose outline coast is nearest (a
     Voronoi diagram of points sampled every ~1 km along the outlines' outer boundary,
     dissolved by prefecture).
  3. Japanese land (japan-land parts with country JP) is assigned:
       - parts whose representative point lies in a box of tables/prefecture_islands.csv
         (island groups that are far from, or closer to another prefecture than, their
         own: Izu/Ogasawara → Tokyo, Amami/Tokara → Kagoshima, Tsushima/Iki/Goto →
         Nagasaki, Awaji → Hyogo, Shodoshima → Kagawa, Amakusa → Kumamoto) go wholly
         to that prefecture;
       - parts mostly covered by the outlines (the main islands) are cut by the P_k;
       - every other part (an island) goes wholly to the P_k it overlaps most.
     So every Japanese land polygon is covered exactly once, islands are never split.
  4. Each prefecture is unioned and snapped to the 1e-5° grid (valid MultiPolygon).

Accuracy: land borders follow japanmap's simplified outlines (typically within 1–3 km of
the true boundary); the coastline is GSHHG high (~200 m). A few small islets in the Seto
Inland Sea may fall to a neighbouring prefecture. The Northern Territories (Etorofu,
Kunashiri, Shikotan, Habomai), claimed by Japan as part of Hokkaido, are marked RU in
japan-land (DCW, de facto administration) and are not in this file.
"""
import csv
import os
import sys

import japanmap
import shapely
from shapely import STRtree
from shapely.geometry import MultiPoint, MultiPolygon, Polygon, box, shape
from shapely.ops import unary_union

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from land_lib import GEODATA, TABLES, area_km2, read_features, round_area, write_feature_collection  # noqa: E402

GRID_DEG = 1e-5
SAMPLE_DEG = 0.01          # outline sampling step for the Voronoi partition (~1 km)


def polygonal(g):
    g = shapely.make_valid(g)
    if isinstance(g, (Polygon, MultiPolygon)):
        return g
    return unary_union([p for p in getattr(g, "geoms", []) if isinstance(p, (Polygon, MultiPolygon))])


def outlines():
    qp, qo = japanmap.get_data()
    rings = japanmap.pref_points((qp, qo))
    assert len(rings) == 47, len(rings)
    polys, taken = [], None
    for ring in rings:
        p = polygonal(Polygon(ring))
        if taken is not None:
            p = polygonal(p.difference(taken))
        taken = p if taken is None else unary_union([taken, p])
        polys.append(p)
    return polys


def partition(polys):
    """47 disjoint regions covering the plane around Japan (see module doc, step 2)."""
    allp = unary_union(polys)
    tree = STRtree(polys)
    pts, labels, seen = [], [], set()
    rings = []
    for part in (allp.geoms if isinstance(allp, MultiPolygon) else [allp]):
        rings.append(part.exterior)
        rings.extend(part.interiors)
    for ring in rings:
        for x, y in shapely.segmentize(ring, SAMPLE_DEG).coords[:-1]:
            key = (round(x, 6), round(y, 6))
            if key in seen:            # rings of different parts may share a vertex
                continue
            seen.add(key)
            pt = shapely.Point(*key)
            pts.append(pt)
            labels.append(int(tree.nearest(pt)))
    frame = box(115, 15, 160, 50)
    cells = shapely.voronoi_polygons(MultiPoint(pts), extend_to=frame, ordered=True)
    by_pref = [[] for _ in polys]
    for cell, lab in zip(cells.geoms, labels):
        by_pref[lab].append(cell)
    regions = []
    for k, cs in enumerate(by_pref):
        outside = polygonal(unary_union(cs).difference(allp)) if cs else Polygon()
        regions.append(polygonal(unary_union([polys[k], outside])))
    return allp, regions


def main():
    prefs = []
    with open(os.path.join(TABLES, "prefectures.csv"), encoding="utf-8") as f:
        prefs = list(csv.DictReader(f))
    overrides = []
    with open(os.path.join(TABLES, "prefecture_islands.csv"), encoding="utf-8") as f:
        for r in csv.DictReader(f):
            overrides.append((int(r["code"]) - 1, box(float(r["west"]), float(r["south"]),
                                                      float(r["east"]), float(r["north"]))))
    polys = outlines()
    allp, regions = partition(polys)
    rtree = STRtree(regions)
    land = [g for props, g in read_features(os.path.join(GEODATA, "japan-land.geojson"))
            if props.get("country") == "JP"]
    pieces = [[] for _ in range(47)]
    n_split = n_whole = n_override = 0
    for g in land:
        rp = g.representative_point()
        k = next((k for k, b in overrides if b.contains(rp)), None)
        if k is not None:
            pieces[k].append(g)
            n_override += 1
            continue
        cand = sorted(int(i) for i in rtree.query(g))
        if g.intersection(allp).area > 0.5 * g.area:
            for i in cand:
                part = g.intersection(regions[i])
                if not part.is_empty and part.area > 0:
                    pieces[i].append(polygonal(part))
            n_split += 1
        else:
            best = max(cand, key=lambda i: (g.intersection(regions[i]).area, -i))
            pieces[best].append(g)
            n_whole += 1
    feats = []
    for k, row in enumerate(prefs):
        geom = shapely.set_precision(unary_union(pieces[k]), GRID_DEG)
        geom = polygonal(geom)
        if isinstance(geom, Polygon):
            geom = MultiPolygon([geom])
        geom = MultiPolygon([shapely.geometry.polygon.orient(p, 1.0) for p in geom.geoms if p.area > 0])
        props = {"code": row["code"], "name": row["name"], "name_en": row["name_en"],
                 "area_km2": round_area(area_km2(geom))}
        feats.append((props, geom))
    size = write_feature_collection(os.path.join(GEODATA, "prefectures.geojson"), feats, 5, "prefectures")
    print(f"prefectures: 47 features, {size/1e6:.2f} MB; land parts split {n_split}, "
          f"whole {n_whole}, by island table {n_override}")
    bad = [p["code"] for p, g in feats if not g.is_valid or g.is_empty]
    if bad:
        raise SystemExit(f"prefectures: invalid or empty geometry for {bad}")


if __name__ == "__main__":
    main()
