import Foundation
import GeoCore

/// The fiber network as geodesic segments with a reach each, indexed by a uniform
/// latitude/longitude grid (bucket grid, the structure of choice for near-uniform segment
/// lengths: O(1) cell lookup, no tree descent).
///
/// Distances: for a query point p, every candidate segment is measured in the local
/// tangent plane at p, scaled by the GRS80 meridional and prime-vertical radii at p's
/// latitude (GeoCore's `LocalTangentPlane`). For a segment within r of p the relative error
/// of that metric stays below r/R (under a metre at 2 km), and lines are densified to
/// ≤ `maxSegmentKm` along the geodesic so the chord never departs from the geodesic by more
/// than ~0.3 m. Reported
/// distances (`nearest`) are then re-measured with the full geodesic inverse (Karney 2013,
/// via PROJ's geodesic.h in GeoCore).
public struct NetworkIndex: Sendable {
    /// Segment endpoints in lon/lat degrees (a point feature is a zero-length segment).
    public private(set) var segmentStart: [Position] = []
    public private(set) var segmentEnd: [Position] = []
    /// Reach of each segment in km.
    public private(set) var segmentReachKm: [Double] = []
    /// Source feature index of each segment.
    public private(set) var segmentFeature: [Int] = []
    public private(set) var maxReachKm: Double = 0
    public private(set) var bounds: BoundingBox?

    private var grid = BucketGrid()

    /// The largest reach a feature may declare (the `--reach-km` bound): the index's cells
    /// and searches are sized by the largest reach.
    public static let maximumReachKm = 100.0

    /// Longest chord kept between densified vertices.
    public static let maxSegmentKm = 5.0

    public enum BuildError: CategorizedError, Equatable {
        public var category: ErrorCategory { .badData }
        case unsupportedGeometry(feature: Int, type: String)
        case badReach(feature: Int, value: String)
        case emptyGeometry(feature: Int, type: String)
        case empty
        public var description: String {
            switch self {
            case .unsupportedGeometry(let i, let type):
                "feature \(i): geometry \(type) is not a network element (use LineString, MultiLineString, Point or MultiPoint)"
            case .badReach(let i, let value):
                "feature \(i): reach_km \(value) must be a number from 0 to \(Int(NetworkIndex.maximumReachKm)) km"
            case .emptyGeometry(let i, let type):
                "feature \(i): \(type) has no positions"
            case .empty: "the network has no LineString or Point features"
            }
        }
    }

    /// Builds the index. `reach_km` on a feature overrides `defaultReachKm`.
    /// Complexity: O(S) for S segments after densification.
    public init(features: [Feature], defaultReachKm: Double) throws(BuildError) {
        for (index, feature) in features.enumerated() {
            guard let geometry = feature.geometry else { continue }
            var reach = defaultReachKm
            if let value = feature[property: "reach_km"], !value.isNull {
                guard let r = value.doubleValue, r >= 0, r.isFinite, r <= NetworkIndex.maximumReachKm else {
                    throw .badReach(feature: index, value: String(decoding: JSONText.encode(value), as: UTF8.self))
                }
                reach = r
            }
            try add(geometry, feature: index, reachKm: reach)
        }
        guard !segmentStart.isEmpty else { throw .empty }
        buildGrid()
    }

    private mutating func add(_ geometry: Geometry, feature: Int, reachKm: Double) throws(BuildError) {
        switch geometry {
        case .point(let p): append(p, p, feature, reachKm)
        case .multiPoint(let ps):
            guard !ps.isEmpty else { throw .emptyGeometry(feature: feature, type: "MultiPoint") }
            for p in ps { append(p, p, feature, reachKm) }
        case .lineString(let line):
            guard !line.isEmpty else { throw .emptyGeometry(feature: feature, type: "LineString") }
            addLine(line, feature, reachKm)
        case .multiLineString(let lines):
            guard !lines.isEmpty, lines.allSatisfy({ !$0.isEmpty }) else {
                throw .emptyGeometry(feature: feature, type: "MultiLineString")
            }
            for line in lines { addLine(line, feature, reachKm) }
        case .geometryCollection(let members):
            for member in members { try add(member, feature: feature, reachKm: reachKm) }
        case .polygon, .multiPolygon:
            throw .unsupportedGeometry(feature: feature, type: geometry.typeName)
        }
    }

    private mutating func addLine(_ line: [Position], _ feature: Int, _ reachKm: Double) {
        if line.count == 1 { append(line[0], line[0], feature, reachKm); return }
        let dense = Geodesic.densify(line, maxSegmentKm: NetworkIndex.maxSegmentKm)
        guard dense.count >= 2 else { return }
        for k in 1..<dense.count { append(dense[k - 1], dense[k], feature, reachKm) }
    }

    private mutating func append(_ a: Position, _ b: Position, _ feature: Int, _ reachKm: Double) {
        segmentStart.append(Position(a.x, a.y))
        segmentEnd.append(Position(b.x, b.y))
        segmentReachKm.append(reachKm)
        segmentFeature.append(feature)
        maxReachKm = max(maxReachKm, reachKm)
        let box = BoundingBox(minX: min(a.x, b.x), minY: min(a.y, b.y), maxX: max(a.x, b.x), maxY: max(a.y, b.y))
        if bounds == nil { bounds = box } else { bounds?.include(box) }
    }

    private mutating func buildGrid() {
        guard let box = bounds else { return }
        // Cells about the size of the largest reach (at least ~1 km, at most ~20 km): a
        // coverage query then touches 2×2 to 3×3 cells.
        let cellKm = min(max(maxReachKm, 1), 20)
        // Cells of about cellKm at the box's middle latitude (clamped so the longitude scale
        // never degenerates); the frame is padded by one cell on every side.
        let scale = LocalTangentPlane(at: Position(box.center.x, max(min(box.center.y, 60), -60)))
        // Keep the grid bounded for continent-wide networks: coarser cells, same answers.
        let frame = GridFrame(covering: box, dLon: cellKm * 1000 / scale.metresPerDegreeLon,
                              dLat: cellKm * 1000 / scale.metresPerDegreeLat, padding: 1, maxCells: 8_000_000)
        grid = BucketGrid(frame: frame, starts: segmentStart, ends: segmentEnd)
    }

    /// Local tangent-plane distance (km) from p to segment s and the nearest point on it.
    @inline(__always)
    func distance(from p: Position, segment s: Int, plane: LocalTangentPlane) -> (km: Double, t: Double) {
        let c = plane.closest(on: segmentStart[s], segmentEnd[s], to: p)
        return (c.meters / 1000, c.t)
    }

    /// Whether p lies within the reach of some segment. O(k) for the k segments in the
    /// few grid cells around p.
    public func covers(_ p: Position) -> Bool {
        let plane = LocalTangentPlane(at: p)
        let found = !grid.forEachCandidate(in: plane.box(around: p, meters: maxReachKm * 1000)) { s in
            distance(from: p, segment: s, plane: plane).km > segmentReachKm[s]
        }
        return found
    }

    /// Whether any part of the polygon (rings in lon/lat, exterior first) lies within the
    /// reach of some segment: 0 when a segment crosses or lies inside it, else the least
    /// edge-to-segment distance, measured in the tangent plane at the polygon's centre
    /// (units are at most a few km across, so the metric error stays ~(r/R)²).
    public func covers(polygon rings: [[Position]]) -> Bool {
        guard let outer = rings.first, !outer.isEmpty else { return false }
        var box = BoundingBox(minX: outer[0].x, minY: outer[0].y, maxX: outer[0].x, maxY: outer[0].y)
        for p in outer { box.include(p) }
        let plane = LocalTangentPlane(at: box.center)
        let reach = plane.box(around: box.center, meters: maxReachKm * 1000)
        let search = BoundingBox(minX: box.minX - reach.width / 2, minY: box.minY - reach.height / 2,
                                 maxX: box.maxX + reach.width / 2, maxY: box.maxY + reach.height / 2)
        let localRings = rings.map { $0.map(plane.project) }
        var seen = Set<Int>()
        let found = !grid.forEachCandidate(in: search) { s in
            guard seen.insert(s).inserted else { return true }
            let a = plane.project(segmentStart[s]), b = plane.project(segmentEnd[s])
            let reachM = segmentReachKm[s] * 1000
            if Planar.contains(rings: localRings, a) { return false }
            for ring in localRings where ring.count >= 2 {
                for e in 1..<ring.count where Planar.distance(segment: ring[e - 1], ring[e], toSegment: a, b) <= reachM {
                    return false
                }
            }
            return true
        }
        return found
    }

    /// Nearest point of the network to p: expanding rings of grid cells until no unseen
    /// cell can hold anything closer. Returns the segment, the point on it and the geodesic
    /// distance in km.
    public func nearest(to p: Position) -> (segment: Int, point: Position, distanceKm: Double)? {
        guard !segmentStart.isEmpty else { return nil }
        let plane = LocalTangentPlane(at: p)
        let frame = grid.frame
        let (minLon, minLat, dLon, dLat) = (frame.minLon, frame.minLat, frame.dLon, frame.dLat)
        let (rows, columns) = (frame.rows, frame.columns)
        let scale = (lat: plane.metresPerDegreeLat, lon: plane.metresPerDegreeLon)
        let ci = frame.row(p.y), cj = frame.column(p.x)
        var best = Double.infinity, bestSegment = -1, bestT = 0.0
        // Smallest distance (km) spanned by one grid cell around here, for the stop test.
        let cellKm = min(dLat * scale.lat, dLon * max(scale.lon, 1)) / 1000
        // Distance (km) from p to the grid's box, so rings start counting from the grid.
        let outsideKm = max(0, max(minLat - p.y, p.y - (minLat + Double(rows) * dLat)) * scale.lat / 1000,
                            max(minLon - p.x, p.x - (minLon + Double(columns) * dLon)) * scale.lon / 1000)
        var ring = 0
        let maxRing = max(rows, columns)
        while ring <= maxRing {
            if bestSegment >= 0 && Double(ring - 1) * cellKm + outsideKm > best { break }
            let i0 = ci - ring, i1 = ci + ring, j0 = cj - ring, j1 = cj + ring
            for i in max(i0, 0)...min(i1, rows - 1) {
                let edgeRow = i == i0 || i == i1
                var j = max(j0, 0)
                while j <= min(j1, columns - 1) {
                    let cell = i * columns + j
                    for k in grid.range(ofCell: cell) {
                        let s = Int(grid.items[k])
                        let d = distance(from: p, segment: s, plane: plane)
                        if d.km < best || (d.km == best && s < bestSegment) { best = d.km; bestSegment = s; bestT = d.t }
                    }
                    // Interior cells of the ring were visited by earlier rings.
                    j = edgeRow || j == j1 ? j + 1 : max(j1, j + 1)
                }
            }
            ring += 1
        }
        guard bestSegment >= 0 else { return nil }
        let a = segmentStart[bestSegment], b = segmentEnd[bestSegment]
        // Point on the chord (a straight line in the tangent plane is linear in lon/lat).
        let q = Position(a.x + bestT * (b.x - a.x), a.y + bestT * (b.y - a.y))
        return (bestSegment, q, Geodesic.distanceKm(p, q))
    }
}
