"""geodata/international-endpoints.geojson: where international routes leave the region.

Source: tables/international_endpoints.csv (positions chosen for this project). Each point
stands for a destination outside (or, for Taiwan, Korea, China and Russia, on the far
shore of) the region lon 120–155, lat 20–47: at the region's edge in the direction a
route takes (great-circle direction, through the usual straits), or off the foreign
landing area. A route planned to the point is the Japanese part of an international
route; the rest lies beyond the embedded data.

Checks (the build fails otherwise): inside the region, at sea, and at least
MIN_LAND_KM from any land in japan-land.geojson (geodesic distance to the nearest
coastline point), so a router never has to snap an endpoint.
"""
import csv
import os
import sys

from shapely.geometry import Point
from shapely.ops import nearest_points

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from land_lib import GEODATA, REGION, TABLES, distance_km, read_features, write_feature_collection  # noqa: E402

MIN_LAND_KM = 20.0


def main():
    land = [g for _, g in read_features(os.path.join(GEODATA, "japan-land.geojson"))]
    w, e, s, n = REGION
    feats, problems = [], []
    with open(os.path.join(TABLES, "international_endpoints.csv"), encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        p = Point(float(r["lon"]), float(r["lat"]))
        if not (w < p.x < e and s < p.y < n):
            problems.append(f"{r['destination']}: outside the region")
        # Nearest land by geodesic distance: check the 8 planar-nearest parts' coasts.
        near = sorted(range(len(land)), key=lambda i: (land[i].distance(p), i))[:8]
        if any(land[i].covers(p) for i in near):
            problems.append(f"{r['destination']}: on land")
        dmin = min((distance_km(p.x, p.y, *nearest_points(land[i].exterior, p)[0].coords[0]) for i in near),
                   default=float("inf"))
        if dmin < MIN_LAND_KM:
            problems.append(f"{r['destination']}: {dmin:.1f} km from land (< {MIN_LAND_KM:g})")
        props = {"name": f"international:{r['destination']}", "name_en": r["name_en"],
                 "destination": r["destination"], "role": "international-endpoint",
                 "nearest_land_km": round(dmin, 1), "note": r["note"]}
        feats.append((props, p))
        print(f"  {props['name']:<30} nearest land {dmin:7.1f} km")
    size = write_feature_collection(os.path.join(GEODATA, "international-endpoints.geojson"), feats, 5,
                                    "international-endpoints")
    print(f"international-endpoints: {len(feats)} features, {size/1e3:.1f} kB")
    if problems:
        raise SystemExit("international-endpoints: " + "; ".join(problems))


if __name__ == "__main__":
    main()
