"""geodata/landing-stations.geojson: international cable landing stations in Japan.

Source: tables/landing_stations.csv, compiled by hand from public information (operator
press releases, consortium announcements, news reports; see each row's `source`):
  - status `existing`: stations where international cables land today;
  - status `candidate`: sites outside Boso and Shima that policy discussions and recent
    announcements point to (Hokkaido, Tohoku, the Japan Sea coast, Kyushu, Shikoku,
    Okinawa) — candidates for new landings, not existing stations.
The table gives approximate positions (town level). Each point is moved to the nearest
point of the coastline of japan-land.geojson (outer rings of Japanese land parts of at
least 10 km², so never onto a rock offshore): the beach end of the landing, where a
route starts. The move is reported and may not exceed MAX_SNAP_KM.

`zone` is computed, not typed: `boso`/`shima` when the point lies in that
landing-concentration zone of zones.geojson, else `other`; a candidate inside a zone is
an error. `prefecture` is the code of the prefecture whose land the point touches.
"""
import csv
import os
import sys

from shapely import STRtree
from shapely.geometry import Point
from shapely.ops import nearest_points

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from land_lib import GEODATA, TABLES, distance_km, read_features, write_feature_collection  # noqa: E402

MAX_SNAP_KM = 10.0
MIN_PART_KM2 = 10.0


def main():
    land = [g for p, g in read_features(os.path.join(GEODATA, "japan-land.geojson"))
            if p.get("country") == "JP" and p["area_km2"] >= MIN_PART_KM2]
    coasts = [g.exterior for g in land]
    ctree = STRtree(coasts)
    zones = [(p["zone"], g) for p, g in read_features(os.path.join(GEODATA, "zones.geojson"))
             if p["kind"] == "landing-concentration"]
    prefs = read_features(os.path.join(GEODATA, "prefectures.geojson"))
    ptree = STRtree([g for _, g in prefs])

    feats, problems, seen = [], [], set()
    with open(os.path.join(TABLES, "landing_stations.csv"), encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        key = r["name_en"].lower()
        if key in seen:
            problems.append(f"duplicate name_en {r['name_en']}")
        seen.add(key)
        p0 = Point(float(r["lon"]), float(r["lat"]))
        coast = coasts[int(ctree.nearest(p0))]
        p = nearest_points(coast, p0)[0]
        p = Point(round(p.x, 5), round(p.y, 5))
        moved = distance_km(p0.x, p0.y, p.x, p.y)
        if moved > MAX_SNAP_KM:
            problems.append(f"{r['name_en']}: table position is {moved:.1f} km from the coast")
        zone = next((z for z, g in zones if g.covers(p)), "other")
        if r["status"] == "candidate" and zone != "other":
            problems.append(f"{r['name_en']}: candidate lies in the {zone} concentration zone")
        pi = int(ptree.nearest(p))
        pref = prefs[pi][0]
        props = {
            "name": r["name"], "name_en": r["name_en"], "status": r["status"], "zone": zone,
            "prefecture": pref["code"], "prefecture_name_en": pref["name_en"],
            "cables": [c.strip() for c in r["cables"].split(";") if c.strip()],
            "operator": r["operator"] or None,
            "source": r["source"], "accuracy": r["accuracy"],
        }
        feats.append((props, p))
        print(f"  {r['name_en']:<12} {r['status']:<9} {zone:<6} pref {pref['code']} moved {moved:5.2f} km")
    # Existing first, then candidates; each group north to south (stable by name_en).
    feats.sort(key=lambda ft: (ft[0]["status"] != "existing", -ft[1].y, ft[0]["name_en"]))
    size = write_feature_collection(os.path.join(GEODATA, "landing-stations.geojson"), feats, 5,
                                    "landing-stations")
    n_ex = sum(1 for p, _ in feats if p["status"] == "existing")
    print(f"landing-stations: {len(feats)} features ({n_ex} existing, {len(feats) - n_ex} candidate), "
          f"{size/1e3:.1f} kB")
    if problems:
        raise SystemExit("landing-stations: " + "; ".join(problems))


if __name__ == "__main__":
    main()
