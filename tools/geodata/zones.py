"""geodata/zones.geojson: landing-concentration zones (Boso, Shima) and metro areas.

Landing-concentration zones (`kind: landing-concentration`, `zone: boso|shima`)
  A coast segment is taken from the prefecture's coastline in prefectures.geojson (the
  path along the coast between two named points, on the side that passes a third one):
    boso : Chiba's Pacific coast from Choshi (Inubosaki) round Nojimazaki to Tateyama
    shima: Mie's coast from Toba round the Shima peninsula (Daiozaki, Ago Bay) to the
           mouth of Gokasho Bay
  The zone is the geodesically exact-enough buffer of that segment by DISTANCE_KM
  (default 30, build parameter WATTBIT_ZONE_DISTANCE_KM), computed in an azimuthal
  equidistant projection centred on the segment (distortion < 0.01 % at this size),
  covering sea and land alike, except the land of *other* prefectures (so the Miura
  peninsula across the Uraga Channel is not "Boso", and the Atsumi peninsula across the
  Irago Channel is not "Shima").
Metro areas (`kind: metro-area`, `area: tokyo|osaka`)
  The union of the prefectures of the DC-subsidy exclusion areas: Tokyo area = Tokyo,
  Saitama, Chiba, Kanagawa; Osaka area = Osaka, Kyoto, Hyogo (including their islands).
"""
import os
import sys

import shapely
from shapely.geometry import LineString, MultiPolygon, Point, Polygon
from shapely.ops import unary_union

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from land_lib import (GEODATA, area_km2, local_aeqd, project, read_features, round_area,  # noqa: E402
                      write_feature_collection)

DISTANCE_KM = float(os.environ.get("WATTBIT_ZONE_DISTANCE_KM", "30"))
GRID_DEG = 1e-5

# zone, prefecture code, name, name_en, from (lon, lat, label), via, to
SEGMENTS = [
    ("boso", "12", "房総半島 陸揚集中地域", "Boso landing-concentration zone",
     (140.868, 35.708, "Choshi (Inubosaki)"), (140.300, 35.140, "Katsuura"),
     (139.840, 34.990, "Tateyama")),
    ("shima", "24", "志摩半島 陸揚集中地域", "Shima landing-concentration zone",
     (136.850, 34.485, "Toba"), (136.900, 34.275, "Daiozaki"),
     (136.690, 34.290, "Gokasho Bay mouth")),
]
METROS = [
    ("tokyo", ["11", "12", "13", "14"], "東京圏", "Tokyo area (Tokyo, Saitama, Chiba, Kanagawa)"),
    ("osaka", ["26", "27", "28"], "大阪圏", "Osaka area (Osaka, Kyoto, Hyogo)"),
]


def coast_segment(pref_geom, a, via, b):
    """The path along the prefecture's main coastline from a to b that passes nearest via."""
    main = max(pref_geom.geoms, key=lambda p: p.area)
    ring = list(main.exterior.coords)[:-1]
    n = len(ring)

    def nearest(pt):
        return min(range(n), key=lambda i: (ring[i][0] - pt[0]) ** 2 + (ring[i][1] - pt[1]) ** 2)

    ia, ib, iv = nearest(a), nearest(b), nearest(via)
    fwd = [ring[(ia + k) % n] for k in range(((ib - ia) % n) + 1)]
    bwd = [ring[(ia - k) % n] for k in range(((ia - ib) % n) + 1)]
    on_fwd = ((iv - ia) % n) <= ((ib - ia) % n)
    return LineString(fwd if on_fwd else bwd)


def polygonal(g):
    g = shapely.make_valid(g)
    if isinstance(g, Polygon):
        return MultiPolygon([g])
    if isinstance(g, MultiPolygon):
        return g
    return MultiPolygon([p for p in g.geoms if isinstance(p, Polygon)])


def oriented(mp):
    return MultiPolygon([shapely.geometry.polygon.orient(p, 1.0) for p in mp.geoms if p.area > 0])


def main():
    prefs = {p["code"]: (p, g) for p, g in read_features(os.path.join(GEODATA, "prefectures.geojson"))}
    feats = []
    for zone, code, name, name_en, a, via, b in SEGMENTS:
        seg = coast_segment(prefs[code][1], a, via, b)
        c = seg.centroid
        fwd, inv = local_aeqd(c.x, c.y)
        buf_m = project(seg, fwd).buffer(DISTANCE_KM * 1000.0, quad_segs=16)
        buf = project(buf_m, inv)
        others = unary_union([g for k, (_, g) in prefs.items() if k != code and g.intersects(buf)])
        z = polygonal(shapely.set_precision(buf.difference(others), GRID_DEG))
        # Keep only the piece connected to the coast segment (drop far slivers of sea
        # cut off by the other prefectures' land).
        z = MultiPolygon([p for p in z.geoms if p.distance(seg) < 1e-6]) if len(z.geoms) > 1 else z
        props = {"kind": "landing-concentration", "zone": zone, "name": name, "name_en": name_en,
                 "prefecture": code, "distance_km": DISTANCE_KM,
                 "coast_from": a[2], "coast_via": via[2], "coast_to": b[2],
                 "coast_length_km": round(project(seg, fwd).length / 1000.0, 1),
                 "area_km2": round_area(area_km2(z))}
        feats.append((props, oriented(z)))
    for area, codes, name, name_en in METROS:
        u = polygonal(shapely.set_precision(unary_union([prefs[c][1] for c in codes]), GRID_DEG))
        props = {"kind": "metro-area", "area": area, "name": name, "name_en": name_en,
                 "prefectures": codes, "area_km2": round_area(area_km2(u))}
        feats.append((props, oriented(u)))
    size = write_feature_collection(os.path.join(GEODATA, "zones.geojson"), feats, 5, "zones")
    bad = [p.get("zone") or p.get("area") for p, g in feats if not g.is_valid or g.is_empty]
    print(f"zones: {len(feats)} features, {size/1e6:.2f} MB, landing zones at {DISTANCE_KM:g} km")
    if bad:
        raise SystemExit(f"zones: invalid geometry for {bad}")


if __name__ == "__main__":
    main()
