#!/usr/bin/env python3
"""Writes a deterministic FeatureCollection of JIS X 0410 3rd-level mesh cells (1 km,
30" x 45") over Japan, shaped like nationwide e-Stat mesh layers: one Polygon per cell,
a mesh code, a Japanese municipality name, integer population and float measures.

usage: generate.py OUT.geojson [--target-mb 100]
"""
import argparse
import json
import random

NAMES = ["東京都千代田区", "北海道札幌市中央区", "大阪府大阪市北区", "福岡県福岡市博多区",
         "宮城県仙台市青葉区", "愛知県名古屋市中区", "広島県広島市中区", "沖縄県那覇市",
         "新潟県新潟市中央区", "石川県金沢市", "鹿児島県鹿児島市", "千葉県南房総市",
         "三重県志摩市", "青森県青森市", "高知県高知市", "島根県松江市"]


def mesh_code(lat, lon):
    """3rd-level JIS X 0410 code of the cell whose south-west corner is (lat, lon)."""
    p = int(lat * 1.5 + 1e-9)
    u = int(lon - 100 + 1e-9)
    lat_rem = lat * 60 - p * 40          # minutes within the 1st-level cell
    lon_rem = (lon - 100 - u) * 60
    q = int(lat_rem / 5 + 1e-9)
    v = int(lon_rem / 7.5 + 1e-9)
    r = int((lat_rem - q * 5) * 60 / 30 + 1e-9)
    w = int((lon_rem - v * 7.5) * 60 / 45 + 1e-9)
    return f"{p:02d}{u:02d}{q}{v}{r}{w}"


def fmt(x):
    text = f"{x:.7f}".rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--target-mb", type=float, default=100.0)
    args = parser.parse_args()
    target = int(args.target_mb * 1_000_000)
    rng = random.Random(20260401)
    dlat, dlon = 30 / 3600, 45 / 3600
    written = 0
    count = 0
    with open(args.out, "w", encoding="utf-8") as f:
        head = '{"type":"FeatureCollection","name":"mesh3","features":[\n'
        f.write(head)
        written += len(head.encode())
        row, col = 0, 0
        while written < target:
            # Walk a 1200 x N grid of cells from Kyushu towards Hokkaido.
            lat = 30.0 + row * dlat
            lon = 128.0 + col * dlon
            col += 1
            if col == 1200:
                col, row = 0, row + 1
            ring = [[lon, lat], [lon + dlon, lat], [lon + dlon, lat + dlat], [lon, lat + dlat], [lon, lat]]
            coords = ",".join(f"[{fmt(x)},{fmt(y)}]" for x, y in ring)
            props = {
                "mesh_code": mesh_code(lat, lon),
                "name": NAMES[rng.randrange(len(NAMES))],
                "population": rng.randrange(0, 20000),
                "households": rng.randrange(0, 9000),
                "area_km2": round(rng.uniform(0.8, 1.1), 6),
                "elevation_m": round(rng.uniform(-2, 2500), 1),
                "fiber": rng.random() < 0.9,
            }
            line = ('{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[' + coords + ']]},'
                    '"properties":' + json.dumps(props, ensure_ascii=False, separators=(",", ":")) + "}")
            if count:
                line = ",\n" + line
            f.write(line)
            written += len(line.encode())
            count += 1
        f.write("\n]}\n")
    print(f"wrote {args.out}: {count} features, {written / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
