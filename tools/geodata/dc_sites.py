"""geodata/dc-sites.geojson: data-centre campuses in Japan (existing, announced, candidate).

Source: tools/geodata/tables/dc_sites.csv, compiled for WattBit from public knowledge
(operator web sites and press releases, prefectural and METI siting material, 2023-2025).
It is a planning sample, not a register: locations are town- or campus-level (column
`accuracy`), and capacities not published by the operator are estimates
(`capacity_estimate: true`). Candidate zones are sized from siting material.

This script turns the table into GeoJSON deterministically (rows in table order, fixed key
order, 5-decimal coordinates) and refuses to write when a point is not on land in the
prefecture its row claims (checked against geodata/prefectures.geojson), so the file and
its claims cannot drift apart.
"""
import csv
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from land_lib import GEODATA, TABLES, read_features, write_feature_collection  # noqa: E402


def prefecture_table():
    with open(os.path.join(TABLES, "prefectures.csv"), encoding="utf-8") as f:
        return {r["code"]: r for r in csv.DictReader(f)}


def check_points(rows, label):
    """Every row's point must lie in its prefecture's polygon; returns the problems."""
    from shapely.geometry import Point
    from shapely.prepared import prep
    prefs = {p["code"]: prep(g) for p, g in read_features(os.path.join(GEODATA, "prefectures.geojson"))}
    problems = []
    for r in rows:
        pt = Point(float(r["lon"]), float(r["lat"]))
        poly = prefs.get(r["pref_code"])
        if poly is None:
            problems.append(f"{label} {r['id']}: unknown prefecture code {r['pref_code']}")
        elif not poly.contains(pt):
            problems.append(f"{label} {r['id']}: ({r['lon']}, {r['lat']}) is not on land in prefecture {r['pref_code']}")
    return problems


def number(text):
    v = float(text)
    return int(v) if v == int(v) else v


def main():
    from shapely.geometry import Point
    prefs = prefecture_table()
    with open(os.path.join(TABLES, "dc_sites.csv"), encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    problems = check_points(rows, "dc site")
    ids = [r["id"] for r in rows]
    if len(set(ids)) != len(ids):
        problems.append("duplicate ids in dc_sites.csv")
    for r in rows:
        if r["status"] not in ("existing", "announced", "candidate"):
            problems.append(f"dc site {r['id']}: status {r['status']!r}")
    if problems:
        sys.exit("dc_sites.py: " + "; ".join(problems))
    feats = []
    for r in rows:
        pref = prefs[r["pref_code"]]
        props = {
            "id": r["id"], "name": r["name"], "name_en": r["name_en"], "operator": r["operator"],
            "prefecture_code": r["pref_code"], "prefecture": pref["name"], "prefecture_en": pref["name_en"],
            "status": r["status"], "capacity_mw": number(r["capacity_mw"]),
            "capacity_estimate": r["capacity_estimate"] == "true",
            "source": r["source"], "accuracy": r["accuracy"],
        }
        feats.append((props, Point(float(r["lon"]), float(r["lat"]))))
    size = write_feature_collection(os.path.join(GEODATA, "dc-sites.geojson"), feats, 5, "dc-sites")
    print(f"dc-sites.geojson: {len(feats)} sites, {size} bytes")


if __name__ == "__main__":
    main()
