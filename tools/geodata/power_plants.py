"""geodata/power-plants.geojson: Japan's major power stations.

Source: tools/geodata/tables/power_plants.csv, compiled for WattBit from public knowledge
(operators' station pages, NRA reactor status, METI/ANRE material, 2023-2025): every
nuclear station (operating, idle, under construction; decommissioning ones with 0 MW
available), thermal stations of about 1 GW and more, large hydro and pumped storage, and
the largest wind, solar and geothermal plants. `capacity_mw` is installed capacity of the
units not retired; `decarbonised` is true for nuclear, hydro, pumped storage, wind, solar
and geothermal. Coastal stations are placed on the station's land side (column
`accuracy`); offshore wind is placed at its onshore grid connection.

Deterministic: rows in table order, fixed key order, 5-decimal coordinates; the script
refuses to write when a point is not on land in the prefecture its row claims.
"""
import csv
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from land_lib import GEODATA, TABLES, write_feature_collection  # noqa: E402
from dc_sites import check_points, number, prefecture_table  # noqa: E402

FUELS = {"nuclear", "coal", "lng", "oil", "hydro", "pumped-storage", "wind", "solar", "geothermal"}


def main():
    from shapely.geometry import Point
    prefs = prefecture_table()
    with open(os.path.join(TABLES, "power_plants.csv"), encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    problems = check_points(rows, "power plant")
    for r in rows:
        if r["fuel"] not in FUELS:
            problems.append(f"power plant {r['id']}: fuel {r['fuel']!r}")
        clean = r["fuel"] not in ("coal", "lng", "oil")
        if (r["decarbonised"] == "true") != clean:
            problems.append(f"power plant {r['id']}: decarbonised does not match fuel {r['fuel']}")
    if problems:
        sys.exit("power_plants.py: " + "; ".join(problems))
    feats = []
    for r in rows:
        pref = prefs[r["pref_code"]]
        props = {
            "id": r["id"], "name": r["name"], "name_en": r["name_en"], "operator": r["operator"],
            "prefecture_code": r["pref_code"], "prefecture": pref["name"], "prefecture_en": pref["name_en"],
            "fuel": r["fuel"], "status": r["status"], "capacity_mw": number(r["capacity_mw"]),
            "decarbonised": r["decarbonised"] == "true", "source": r["source"], "accuracy": r["accuracy"],
        }
        feats.append((props, Point(float(r["lon"]), float(r["lat"]))))
    size = write_feature_collection(os.path.join(GEODATA, "power-plants.geojson"), feats, 5, "power-plants")
    print(f"power-plants.geojson: {len(feats)} plants, {size} bytes")


if __name__ == "__main__":
    main()
