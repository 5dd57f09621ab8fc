"""geodata/ix.geojson: Japan's internet exchanges (IX) and their sites.

Source: tools/geodata/tables/ix.csv, compiled for WattBit from public knowledge: the IX
operators' service pages (JPIX, JPNAP/Internet Multifeed, BBIX, Equinix IX, WIDE's DIX-IE
and NSPIXP-3) and reports on the regional IXs (Toyama, Sapporo, Akita; RYUKYUIX in
Okinawa). One Point per IX site (an IX with fabrics in two metros has two rows); a metro
fabric spread over several buildings is one point at its core district (column
`accuracy`). Traffic and member counts change monthly and are left out.

Deterministic (rows in table order, fixed key order, 5-decimal coordinates); refuses to
write when a point is not on land in the prefecture its row claims, when an id repeats.
"""
import csv
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from land_lib import GEODATA, TABLES, write_feature_collection  # noqa: E402
from dc_sites import check_points, prefecture_table  # noqa: E402


def main():
    from shapely.geometry import Point
    prefs = prefecture_table()
    with open(os.path.join(TABLES, "ix.csv"), encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    problems = check_points(rows, "ix")
    ids = [r["id"] for r in rows]
    if len(set(ids)) != len(ids):
        problems.append("duplicate ids in ix.csv")
    if problems:
        sys.exit("ix.py: " + "; ".join(problems))
    feats = []
    for r in rows:
        pref = prefs[r["pref_code"]]
        props = {
            "id": r["id"], "name": r["name"], "name_en": r["name_en"], "ix": r["ix"],
            "operator": r["operator"], "city": r["city"], "site": r["site"],
            "prefecture_code": r["pref_code"], "prefecture": pref["name"], "prefecture_en": pref["name_en"],
            "source": r["source"], "accuracy": r["accuracy"],
        }
        feats.append((props, Point(float(r["lon"]), float(r["lat"]))))
    size = write_feature_collection(os.path.join(GEODATA, "ix.geojson"), feats, 5, "ix")
    print(f"ix.geojson: {len(feats)} IX sites, {size} bytes")


if __name__ == "__main__":
    main()
