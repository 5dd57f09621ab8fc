"""geodata/hazards.geojson: soft hazard zones for submarine-cable routing.

Contents
  - trench axes (kind `trench-axis`): Japan, Kuril, Izu–Bonin, Ryukyu (Nansei-shoto)
  - trough axes (kind `trough-axis`): Sagami, Nankai (with the Suruga Trough)
  - earthquake source regions (kind `earthquake-source`): the Nankai Trough megaquake
    assumed source region and the Tokyo-inland (首都直下) M7 source region

How the router reads them (documented contract, also in geodata/README.md)
  - LineString: the hazard is the band within `corridor_km` (geodesic distance) of the
    line; Polygon: the hazard is the polygon itself (`corridor_km` 0).
  - `weight` is a soft cost: a route segment inside the hazard costs length × (1 + Σ
    weights of the hazards it is in). Weights are dimensionless; 0.5 makes a kilometre
    inside a trench corridor cost 1.5 km. They are defaults a user may override by
    passing their own file.

Sources and accuracy: the axes are digitised by hand at ~0.5–1° vertex spacing from public
small-scale maps of the plate boundaries (HERP — Headquarters for Earthquake Research
Promotion — long-term evaluation maps of the subduction zones; JCG bathymetric charts;
Bird (2003) PB2002 plate-boundary model); the source regions follow the outlines
published by the Cabinet Office (Nankai Trough megaquake model study group, 2012; Tokyo
inland earthquake study group, 2013), simplified to a few vertices. Positions are good to
roughly ±20–30 km — enough to weight a regional route, not for engineering a crossing.
"""
import os
import sys

from shapely.geometry import LineString, Polygon
from shapely.geometry.polygon import orient

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from land_lib import GEODATA, area_km2, geod, round_area, write_feature_collection  # noqa: E402

AXIS_ACCURACY = "hand-digitised axis, ±20–30 km; vertices every ~100 km"
HERP = "HERP long-term evaluation maps (地震調査研究推進本部); JCG bathymetry; Bird (2003) PB2002"

LINES = [
    # kind, name, name_en, weight, corridor_km, [(lon, lat), ...] north/east to south/west
    ("trench-axis", "千島海溝", "Kuril Trench", 0.5, 30,
     [(155.0, 46.95), (153.5, 46.1), (152.0, 45.2), (150.5, 44.3), (149.0, 43.4),
      (147.5, 42.5), (146.2, 41.7), (144.6, 41.0)]),
    ("trench-axis", "日本海溝", "Japan Trench", 0.5, 30,
     [(144.6, 41.0), (144.4, 40.0), (144.2, 39.0), (143.9, 38.0), (143.5, 37.0),
      (143.0, 36.0), (142.5, 35.0), (142.0, 34.1)]),
    ("trench-axis", "伊豆・小笠原海溝", "Izu–Bonin Trench", 0.5, 30,
     [(142.0, 34.1), (141.9, 33.0), (141.9, 32.0), (142.1, 31.0), (142.4, 30.0),
      (142.7, 29.0), (143.1, 28.0), (143.5, 27.0), (143.6, 26.0), (143.6, 25.0),
      (143.8, 24.0)]),
    ("trench-axis", "南西諸島海溝(琉球海溝)", "Ryukyu Trench", 0.5, 30,
     [(131.8, 30.6), (131.3, 29.3), (130.85, 28.05), (129.85, 26.85), (128.8, 25.9),
      (127.5, 25.0), (126.3, 24.2), (125.0, 23.6), (123.8, 23.4), (122.5, 23.4)]),
    ("trough-axis", "相模トラフ", "Sagami Trough", 0.5, 30,
     [(139.2, 35.2), (139.4, 35.0), (139.6, 34.88), (139.9, 34.68), (140.3, 34.45),
      (140.9, 34.2), (141.5, 34.1), (142.0, 34.1)]),
    ("trough-axis", "南海トラフ(駿河トラフを含む)", "Nankai Trough (with the Suruga Trough)", 0.5, 30,
     [(138.6, 35.0), (138.55, 34.6), (138.3, 34.0), (137.8, 33.6), (137.0, 33.3),
      (136.0, 32.95), (135.0, 32.7), (134.0, 32.45), (133.0, 32.1), (132.4, 31.7),
      (132.0, 31.2), (131.8, 30.6)]),
]

NANKAI_AXIS = LINES[5][5]
# Northern (landward) limit of the Cabinet Office 2012 assumed source region, east to west.
NANKAI_NORTH = [(138.75, 35.35), (138.2, 35.2), (137.5, 35.1), (136.8, 34.85), (136.0, 34.55),
                (135.3, 34.35), (134.5, 34.2), (133.5, 34.05), (132.6, 33.7), (131.9, 33.2),
                (131.4, 32.5), (131.3, 31.6), (131.5, 30.9)]

POLYGONS = [
    ("earthquake-source", "南海トラフ巨大地震 想定震源域", "Nankai Trough megaquake source region",
     0.3, 0, NANKAI_NORTH + list(reversed(NANKAI_AXIS)),
     "Cabinet Office (内閣府) Nankai Trough megaquake model study group, 2012 (assumed source region)",
     "simplified outline of the published region, ±20–30 km"),
    ("earthquake-source", "首都直下地震 想定震源域", "Tokyo-inland earthquake source region",
     0.3, 0, [(138.95, 35.45), (139.1, 36.05), (139.9, 36.2), (140.6, 35.95), (140.95, 35.7),
              (140.4, 35.0), (139.85, 34.85), (139.35, 34.95)],
     "Cabinet Office (内閣府) Tokyo inland earthquake study group, 2013 (M7-class source area, south Kanto)",
     "simplified envelope of the published fault models, ±20–30 km"),
]


def main():
    feats = []
    for kind, name, name_en, weight, corridor, pts in LINES:
        g = LineString(pts)
        length = geod().geometry_length(g) / 1000.0
        props = {"kind": kind, "name": name, "name_en": name_en, "weight": weight,
                 "corridor_km": corridor, "length_km": round(length, 1),
                 "source": HERP, "accuracy": AXIS_ACCURACY}
        feats.append((props, g))
    for kind, name, name_en, weight, corridor, pts, source, accuracy in POLYGONS:
        g = orient(Polygon(pts), 1.0)
        if not g.is_valid:
            raise SystemExit(f"hazards: {name_en} outline is not a valid polygon")
        props = {"kind": kind, "name": name, "name_en": name_en, "weight": weight,
                 "corridor_km": corridor, "area_km2": round_area(area_km2(g)),
                 "source": source, "accuracy": accuracy}
        feats.append((props, g))
    size = write_feature_collection(os.path.join(GEODATA, "hazards.geojson"), feats, 5, "hazards")
    print(f"hazards: {len(feats)} features, {size/1e3:.1f} kB")


if __name__ == "__main__":
    main()
