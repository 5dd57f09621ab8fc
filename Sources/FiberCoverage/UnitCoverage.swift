import GeoCore

/// A demand unit from GeoJSON: a Point (a place, a building) or a Polygon/MultiPolygon
/// (a district, a census block) with its population and households.
public struct DemandUnit: Sendable {
    public var geometry: Geometry
    public var population: Double
    public var households: Double
    /// Input feature index, for messages and a stable order.
    public var index: Int
    public init(geometry: Geometry, population: Double, households: Double, index: Int) {
        self.geometry = geometry
        self.population = population
        self.households = households
        self.index = index
    }

    /// Polygon rings of the unit (all parts), empty for points.
    var polygons: [[[Position]]] {
        switch geometry {
        case .polygon(let rings): [rings]
        case .multiPolygon(let parts): parts
        default: []
        }
    }

    /// The point a connection reaches: the point itself, or the area centroid of the
    /// largest part (planar in lon/lat: units are small enough for that to be exact to
    /// well under a metre).
    var centroid: Position {
        switch geometry {
        case .point(let p): return p
        case .multiPoint(let ps):
            guard !ps.isEmpty else { return Position(0, 0) }
            return Position(ps.map(\.x).reduce(0, +) / Double(ps.count), ps.map(\.y).reduce(0, +) / Double(ps.count))
        default:
            var best: (area: Double, c: Position)?
            for rings in polygons {
                guard let ring = rings.first, ring.count >= 3 else { continue }
                var a = 0.0, cx = 0.0, cy = 0.0
                let o = ring[0]
                for i in 1..<ring.count {
                    let p = ring[i - 1], q = ring[i]
                    let cross = (p.x - o.x) * (q.y - o.y) - (q.x - o.x) * (p.y - o.y)
                    a += cross
                    cx += (p.x + q.x - 2 * o.x) * cross
                    cy += (p.y + q.y - 2 * o.y) * cross
                }
                if a == 0 { continue }
                let c = Position(o.x + cx / (3 * a), o.y + cy / (3 * a))
                if best == nil || abs(a) > best?.area ?? 0 { best = (abs(a), c) }
            }
            if let best { return best.c }
            return geometry.boundingBox?.center ?? Position(0, 0)
        }
    }
}

/// Coverage of GeoJSON demand units. Units are classified as they are added; only the
/// uncovered ones are kept. Gaps: touching or overlapping uncovered polygons are dissolved
/// with GEOS (unary union per connected group); uncovered points closer together than the
/// reach form one gap (single linkage, MultiPoint), since one extension serves them all.
///
/// Complexity: `add` O(k) for k nearby segments (O(k·e) for a polygon of e edges in area
/// mode); `finish` O(u log u) plus the GEOS unions.
public struct UnitCoverage: Sendable {
    public let context: CoverageContext
    private var tallies: [CoverageTally]
    private var regionTallies: [CoverageTally]
    private var national = CoverageTally()
    private var uncovered: [DemandUnit] = []
    private var count = 0

    public init(context: CoverageContext) {
        self.context = context
        tallies = [CoverageTally](repeating: CoverageTally(), count: (context.prefectures?.names.count ?? 0) + 1)
        regionTallies = [CoverageTally](repeating: CoverageTally(), count: (context.regions?.names.count ?? 0) + 1)
    }

    public func isCovered(_ unit: DemandUnit) -> Bool {
        let polygons = unit.polygons
        if context.options.demandMode == .area && !polygons.isEmpty {
            return polygons.contains { context.network.covers(polygon: $0) }
        }
        if case .multiPoint(let ps) = unit.geometry, context.options.demandMode == .area {
            return ps.contains { context.network.covers($0) }
        }
        return context.network.covers(unit.centroid)
    }

    public mutating func add(_ unit: DemandUnit) {
        count += 1
        let covered = isCovered(unit)
        let c = unit.centroid
        national.add(covered: covered, population: unit.population, households: unit.households)
        if let prefectures = context.prefectures {
            tallies[prefectures.locate(c) ?? prefectures.names.count]
                .add(covered: covered, population: unit.population, households: unit.households)
        }
        if let regions = context.regions {
            regionTallies[regions.locate(c) ?? regions.names.count]
                .add(covered: covered, population: unit.population, households: unit.households)
        }
        if !covered && (unit.population > 0 || unit.households > 0) { uncovered.append(unit) }
    }

    public func finish(progress: ProgressCallback? = nil) throws -> CoverageResult {
        let groups = group()
        var gaps: [Gap] = []
        let geos = GEOSContext()
        for (n, members) in groups.enumerated() {
            if n % 64 == 0 { progress?(Double(n) / Double(max(groups.count, 1)), "gaps") }
            gaps.append(try gap(members.map { uncovered[$0] }, geos: geos))
        }
        rank(&gaps, costPerKmJPY: context.options.costPerKmJPY)
        progress?(1, "gaps")
        return CoverageResult(gaps: gaps, national: national,
                              byPrefecture: named(tallies, context.prefectures?.names),
                              byRegion: named(regionTallies, context.regions?.names),
                              unitsRead: count, meshLevel: nil)
    }

    /// Connected groups of uncovered units (indices), in order of their first member.
    private func group() -> [[Int]] {
        var sets = DisjointSets(count: uncovered.count)
        // Bucket by a grid of ~reach size; compare within neighbouring buckets only.
        let linkKm = max(context.options.reachKm, 0.001)
        var boxes: [BoundingBox] = []
        var poleward = 0.0
        for unit in uncovered {
            let box = unit.geometry.boundingBox ?? BoundingBox(minX: 0, minY: 0, maxX: 0, maxY: 0)
            boxes.append(box)
            poleward = max(poleward, min(abs(box.minY), 89), min(abs(box.maxY), 89))
        }
        // Buckets at least linkKm across in both directions everywhere in the data (a degree
        // of longitude is shortest at the most poleward latitude), so linked points lie in
        // neighbouring buckets.
        let cellLat = linkKm * 1000 / Ellipsoid.minimumMetresPerDegreeLatitude
        let cellLon = linkKm * 1000 / Ellipsoid.metresPerDegree(latitude: poleward).lon
        var buckets: [Int64: [Int]] = [:]
        for (i, box) in boxes.enumerated() {
            buckets[bucketKey(Int((box.center.y / cellLat).rounded(.down)), Int((box.center.x / cellLon).rounded(.down))), default: []].append(i)
        }
        let keys = buckets.keys.sorted()
        // Polygons can be larger than a bucket: index them by every bucket they touch. A
        // polygon spanning more than `maxBuckets` buckets (a prefecture, or a whole-world
        // polygon, which would need 5e7 buckets) is instead compared with every other
        // polygon by bounding box: O(large × polygons), not O(area / bucket).
        let maxBuckets = 4096.0
        var touch: [Int64: [Int]] = [:]
        var large: [Int] = []
        for (i, unit) in uncovered.enumerated() where !unit.polygons.isEmpty {
            let b = boxes[i]
            let rows = (b.maxY / cellLat).rounded(.down) - (b.minY / cellLat).rounded(.down) + 1
            let columns = (b.maxX / cellLon).rounded(.down) - (b.minX / cellLon).rounded(.down) + 1
            guard rows * columns <= maxBuckets else { large.append(i); continue }
            for r in Int((b.minY / cellLat).rounded(.down))...Int((b.maxY / cellLat).rounded(.down)) {
                for c in Int((b.minX / cellLon).rounded(.down))...Int((b.maxX / cellLon).rounded(.down)) {
                    touch[bucketKey(r, c), default: []].append(i)
                }
            }
        }
        for i in large {
            for j in uncovered.indices where j != i && !uncovered[j].polygons.isEmpty && boxes[i].intersects(boxes[j]) {
                if sets.find(i) != sets.find(j) && touches(uncovered[i], uncovered[j]) { sets.union(i, j) }
            }
        }
        for key in touch.keys.sorted() {
            for members in [touch[key] ?? []] where members.count > 1 {
                for x in 0..<members.count {
                    for y in (x + 1)..<members.count where boxes[members[x]].intersects(boxes[members[y]]) {
                        if touches(uncovered[members[x]], uncovered[members[y]]) { sets.union(members[x], members[y]) }
                    }
                }
            }
        }
        // Points: single linkage within the reach (neighbouring buckets).
        for key in keys {
            guard let here = buckets[key] else { continue }
            let r = Int(key >> 32), c = Int(Int32(truncatingIfNeeded: key & 0xFFFF_FFFF))
            for dr in -1...1 {
                for dc in -1...1 {
                    guard let there = buckets[bucketKey(r + dr, c + dc)] else { continue }
                    for i in here where uncovered[i].polygons.isEmpty {
                        for j in there where j > i && uncovered[j].polygons.isEmpty {
                            if Geodesic.distanceKm(uncovered[i].centroid, uncovered[j].centroid) <= linkKm { sets.union(i, j) }
                        }
                    }
                }
            }
        }
        var groups: [Int: [Int]] = [:]
        for i in uncovered.indices { groups[sets.find(i), default: []].append(i) }
        return groups.keys.sorted().compactMap { groups[$0] }
    }

    private func touches(_ a: DemandUnit, _ b: DemandUnit) -> Bool {
        let pa = a.polygons, pb = b.polygons
        for ra in pa {
            for rb in pb {
                if let p = rb.first?.first, Planar.contains(rings: ra, p) { return true }
                if let p = ra.first?.first, Planar.contains(rings: rb, p) { return true }
                for ringA in ra where ringA.count >= 2 {
                    for ringB in rb where ringB.count >= 2 {
                        for i in 1..<ringA.count {
                            for j in 1..<ringB.count
                            where Planar.distance(segment: ringA[i - 1], ringA[i], toSegment: ringB[j - 1], ringB[j]) <= 1e-9 {
                                return true
                            }
                        }
                    }
                }
            }
        }
        return false
    }

    private func gap(_ members: [DemandUnit], geos: GEOSContext) throws -> Gap {
        var population = 0.0, households = 0.0, area = 0.0
        var representative = members[0]
        var best: (unit: Position, point: Position, km: Double)?
        for unit in members {
            population += unit.population
            households += unit.households
            for rings in unit.polygons { area += Geodesic.polygonAreaKm2(rings) }
            if unit.population > representative.population { representative = unit }
            var probes = [unit.centroid]
            if context.options.demandMode == .area {
                for rings in unit.polygons { probes += rings.first ?? [] }
            }
            for p in probes {
                guard let near = context.network.nearest(to: p) else { continue }
                if let b = best, b.km <= near.distanceKm { continue }
                best = (p, near.point, near.distanceKm)
            }
        }
        let geometry: Geometry
        let polygons = members.flatMap(\.polygons)
        if !polygons.isEmpty {
            geometry = polygons.count == 1 ? .polygon(polygons[0]) : try geos.unaryUnion(.multiPolygon(polygons))
        } else {
            let points = members.map(\.centroid)
            geometry = points.count == 1 ? .point(points[0]) : .multiPoint(points)
        }
        let unitPoint = best?.unit ?? representative.centroid
        let networkPoint = best?.point ?? unitPoint
        let km = best?.km ?? 0
        var gap = Gap(geometry: geometry, population: population, households: households, areaKm2: area,
                      units: members.count, nearestNetworkKm: km, unitPoint: unitPoint, networkPoint: networkPoint,
                      extensionPath: [networkPoint, unitPoint], extensionKm: km, extensionMethod: "straight-line",
                      island: false, landMass: nil, prefecture: nil, municipality: nil,
                      firstUnit: String(format6(members[0].index)),
                      distributionKm: members.count > 1 && area > 0 ? area / (2 * max(context.options.reachKm, 0.1)) : 0)
        if let land = context.land, let k = land.locate(unitPoint) ?? land.locate(representative.centroid) {
            gap.landMass = land.names[k]
            gap.island = !context.networkLandMasses.contains(k)
        }
        if let prefectures = context.prefectures, let k = prefectures.locate(representative.centroid) ?? prefectures.locate(unitPoint) {
            gap.prefecture = prefectures.names[k]
        }
        if let regions = context.regions, let k = regions.locate(representative.centroid) ?? regions.locate(unitPoint) {
            gap.municipality = regions.names[k]
        }
        return gap
    }
}

func bucketKey(_ row: Int, _ column: Int) -> Int64 {
    Int64(row) << 32 | Int64(UInt32(truncatingIfNeeded: column))
}

/// Zero-padded feature index so that string order equals numeric order.
func format6(_ n: Int) -> String {
    let s = String(n)
    return s.count >= 9 ? s : String(repeating: "0", count: 9 - s.count) + s
}
