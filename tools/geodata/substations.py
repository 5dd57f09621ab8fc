"""geodata/substations.geojson: Japan's 500 kV and major 275 kV substations.

Source: tools/geodata/tables/substations.csv, compiled for WattBit from public knowledge:
the general transmission and distribution companies' published trunk-grid maps
(基幹系統図) and OCCTO's lists of interconnection facilities (frequency converters,
HVDC converter and back-to-back stations). `voltage_kv` is the highest voltage at the
site; `kind` is substation, switching-station or converter. Positions are at municipality
level (the utilities publish schematic maps, not coordinates; column `accuracy`).
Capacities (MVA) and headroom are not published per site and are left out.

Deterministic (rows in table order, fixed key order, 5-decimal coordinates); refuses to
write when a point is not on land in the prefecture its row claims, when an id repeats,
or when the voltage or kind is not one of the known values.
"""
import csv
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from land_lib import GEODATA, TABLES, write_feature_collection  # noqa: E402
from dc_sites import check_points, prefecture_table  # noqa: E402

KINDS = {"substation", "switching-station", "converter"}
VOLTAGES = {"275", "500"}


def main():
    from shapely.geometry import Point
    prefs = prefecture_table()
    with open(os.path.join(TABLES, "substations.csv"), encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    problems = check_points(rows, "substation")
    ids = [r["id"] for r in rows]
    if len(set(ids)) != len(ids):
        problems.append("duplicate ids in substations.csv")
    for r in rows:
        if r["kind"] not in KINDS:
            problems.append(f"substation {r['id']}: kind {r['kind']!r}")
        if r["voltage_kv"] not in VOLTAGES:
            problems.append(f"substation {r['id']}: voltage_kv {r['voltage_kv']!r}")
    if problems:
        sys.exit("substations.py: " + "; ".join(problems))
    feats = []
    for r in rows:
        pref = prefs[r["pref_code"]]
        props = {
            "id": r["id"], "name": r["name"], "name_en": r["name_en"], "utility": r["utility"],
            "voltage_kv": int(r["voltage_kv"]), "kind": r["kind"],
            "prefecture_code": r["pref_code"], "prefecture": pref["name"], "prefecture_en": pref["name_en"],
            "source": r["source"], "accuracy": r["accuracy"],
        }
        feats.append((props, Point(float(r["lon"]), float(r["lat"]))))
    size = write_feature_collection(os.path.join(GEODATA, "substations.geojson"), feats, 5, "substations")
    print(f"substations.geojson: {len(feats)} substations, {size} bytes")


if __name__ == "__main__":
    main()
