import Foundation
import Testing
@testable import GeoCore

/// The geometric kernel (`Planar`, `LocalTangentPlane`, `BucketGrid`) against independent
/// oracles: GEOS for containment and distances, GeographicLib (Karney's geodesics, as PROJ
/// ships them) and the textbook GRS80 values for the local scale.
@Suite("Geometric kernel")
struct KernelTests {
    // MARK: Containment

    struct ContainmentCase: Sendable, CustomStringConvertible {
        let name: String
        let rings: [[Position]]
        let point: Position
        let inside: Bool
        var description: String { name }
    }

    static let square: [Position] = [Position(0, 0), Position(2, 0), Position(2, 2), Position(0, 2), Position(0, 0)]
    static let hole: [Position] = [Position(0.5, 0.5), Position(0.5, 1.5), Position(1.5, 1.5), Position(1.5, 0.5), Position(0.5, 0.5)]

    /// The edge rule, row by row: south and west edges inside, north and east outside, as
    /// for a JIS X 0410 mesh cell; holes flip parity; open rings work like closed ones.
    static let containment: [ContainmentCase] = [
        ContainmentCase(name: "interior", rings: [square], point: Position(1, 1), inside: true),
        ContainmentCase(name: "outside", rings: [square], point: Position(3, 1), inside: false),
        ContainmentCase(name: "west edge", rings: [square], point: Position(0, 1), inside: true),
        ContainmentCase(name: "south edge", rings: [square], point: Position(1, 0), inside: true),
        ContainmentCase(name: "east edge", rings: [square], point: Position(2, 1), inside: false),
        ContainmentCase(name: "north edge", rings: [square], point: Position(1, 2), inside: false),
        ContainmentCase(name: "south-west corner", rings: [square], point: Position(0, 0), inside: true),
        ContainmentCase(name: "north-east corner", rings: [square], point: Position(2, 2), inside: false),
        ContainmentCase(name: "in the hole", rings: [square, hole], point: Position(1, 1), inside: false),
        ContainmentCase(name: "between ring and hole", rings: [square, hole], point: Position(0.25, 1), inside: true),
        ContainmentCase(name: "open ring", rings: [Array(square.dropLast())], point: Position(1, 1), inside: true),
        ContainmentCase(name: "degenerate ring", rings: [[Position(0, 0), Position(1, 1)]], point: Position(0.5, 0.5), inside: false),
        ContainmentCase(name: "clockwise ring", rings: [Array(square.reversed())], point: Position(1.5, 0.5), inside: true),
        ContainmentCase(name: "ray through a vertex", rings: [[Position(0, 0), Position(2, 1), Position(0, 2), Position(0, 0)]],
                        point: Position(-1, 1), inside: false),
    ]

    @Test("ring containment: the edge rule, table by table", arguments: containment)
    func containmentTable(_ c: ContainmentCase) {
        #expect(Planar.contains(rings: c.rings, c.point) == c.inside)
    }

    @Test("a point on a border shared by two polygons of a partition belongs to exactly one")
    func partition() {
        // Four triangles fanning around (1, 1) tile the square; probe their shared edges.
        let c = Position(1, 1)
        let corners = [Position(0, 0), Position(2, 0), Position(2, 2), Position(0, 2)]
        let tiles = (0..<4).map { k in [[corners[k], corners[(k + 1) % 4], c, corners[k]]] }
        var random = SplitMix64(seed: 11)
        for _ in 0..<2000 {
            let k = Int.random(in: 0..<4, using: &random)
            let t = Double.random(in: 0.01...0.99, using: &random)
            let p = Position(corners[k].x + t * (c.x - corners[k].x), corners[k].y + t * (c.y - corners[k].y))
            let owners = tiles.filter { Planar.contains(rings: $0, p) }.count
            #expect(owners == 1, "\(p)")
        }
    }

    /// Random star-shaped polygons with a hole, random points: the kernel and GEOS agree.
    @Test("ring containment agrees with GEOS on random polygons with holes")
    func containmentMatchesGEOS() throws {
        let geos = GEOSContext()
        var random = SplitMix64(seed: 2026)
        var checked = 0
        for _ in 0..<40 {
            let centre = Position(Double.random(in: 125...145, using: &random), Double.random(in: 25...45, using: &random))
            func star(_ rMin: Double, _ rMax: Double, _ n: Int) -> [Position] {
                var ring = (0..<n).map { k -> Position in
                    let a = Double(k) / Double(n) * 2 * .pi
                    let r = Double.random(in: rMin...rMax, using: &random)
                    return Position(centre.x + r * cos(a), centre.y + r * sin(a))
                }
                ring.append(ring[0])
                return ring
            }
            let rings = [star(0.6, 1.0, Int.random(in: 5...40, using: &random)), Array(star(0.1, 0.3, 7).reversed())]
            let prepared = try PreparedGeometry(.polygon(rings), context: geos)
            for _ in 0..<200 {
                let p = Position(centre.x + Double.random(in: -1.1...1.1, using: &random),
                                 centre.y + Double.random(in: -1.1...1.1, using: &random))
                #expect(Planar.contains(rings: rings, p) == (try prepared.contains(p)), "\(p)")
                checked += 1
            }
        }
        #expect(checked == 8000)
    }

    // MARK: Distances

    @Test("point–segment and segment–segment distances agree with GEOS")
    func distancesMatchGEOS() throws {
        let geos = GEOSContext()
        var random = SplitMix64(seed: 7)
        func point() -> Position { Position(Double.random(in: -5...5, using: &random), Double.random(in: -5...5, using: &random)) }
        for k in 0..<3000 {
            let p = point(), a = point(), c = point(), d = point()
            // Every tenth segment is degenerate (a point), which GEOS measures as a point.
            let b = k % 10 == 0 ? a : point()
            let ab: Geometry = a == b ? .point(a) : .lineString([a, b])
            let cd: Geometry = .lineString([c, d])
            let expected = try geos.distance(.point(p), ab)
            #expect(abs(Planar.distance(from: p, toSegment: a, b) - expected) <= 1e-12 * max(1, expected))
            let closest = Planar.closest(on: a, b, to: p)
            let foot = Position(a.x + closest.t * (b.x - a.x), a.y + closest.t * (b.y - a.y))
            #expect(abs(hypot(foot.x - p.x, foot.y - p.y) - expected) <= 1e-12 * max(1, expected))
            let between = try geos.distance(ab, cd)
            #expect(abs(Planar.distance(segment: a, b, toSegment: c, d) - between) <= 1e-12 * max(1, between))
        }
    }

    // MARK: Segment intersection

    struct IntersectionCase: Sendable, CustomStringConvertible {
        let name: String
        let segments: (Position, Position, Position, Position)
        let intersects: Bool
        /// Where they meet (a + t·(b − a)), when in one point and not parallel.
        let point: Position?
        var description: String { name }
    }

    /// Closed segments: touching ends and collinear overlaps intersect; a single meeting
    /// point is reported only for segments that are not parallel.
    static let intersections: [IntersectionCase] = [
        IntersectionCase(name: "proper crossing", segments: (Position(0, 0), Position(2, 2), Position(0, 2), Position(2, 0)),
                         intersects: true, point: Position(1, 1)),
        IntersectionCase(name: "disjoint", segments: (Position(0, 0), Position(1, 0), Position(0, 1), Position(1, 2)),
                         intersects: false, point: nil),
        IntersectionCase(name: "T-junction (an end on the other's interior)",
                         segments: (Position(0, 0), Position(2, 0), Position(1, 0), Position(1, 3)), intersects: true, point: Position(1, 0)),
        IntersectionCase(name: "shared end", segments: (Position(0, 0), Position(1, 1), Position(1, 1), Position(2, 0)),
                         intersects: true, point: Position(1, 1)),
        IntersectionCase(name: "lines cross beyond the ends", segments: (Position(0, 0), Position(1, 1), Position(3, 0), Position(2, 1)),
                         intersects: false, point: nil),
        IntersectionCase(name: "collinear overlap", segments: (Position(0, 0), Position(2, 0), Position(1, 0), Position(3, 0)),
                         intersects: true, point: nil),
        IntersectionCase(name: "collinear, end to end", segments: (Position(0, 0), Position(1, 0), Position(1, 0), Position(2, 0)),
                         intersects: true, point: nil),
        IntersectionCase(name: "collinear, apart", segments: (Position(0, 0), Position(1, 0), Position(2, 0), Position(3, 0)),
                         intersects: false, point: nil),
        IntersectionCase(name: "parallel", segments: (Position(0, 0), Position(2, 0), Position(0, 1), Position(2, 1)),
                         intersects: false, point: nil),
        IntersectionCase(name: "zero-length segment on the other", segments: (Position(1, 0), Position(1, 0), Position(0, 0), Position(2, 0)),
                         intersects: true, point: nil),
        IntersectionCase(name: "zero-length segment off the line", segments: (Position(1, 1), Position(1, 1), Position(0, 0), Position(2, 0)),
                         intersects: false, point: nil),
    ]

    @Test("segment intersection: the closed-segment rule, row by row", arguments: intersections)
    func intersectionTable(_ c: IntersectionCase) throws {
        let (a, b, p, q) = c.segments
        let geos = GEOSContext()
        func geometry(_ u: Position, _ v: Position) -> Geometry { u == v ? .point(u) : .lineString([u, v]) }
        #expect(try geos.intersects(geometry(a, b), geometry(p, q)) == c.intersects, "the row disagrees with GEOS")
        #expect(Planar.intersects(segment: a, b, segment: p, q) == c.intersects)
        #expect(Planar.intersects(segment: p, q, segment: a, b) == c.intersects)
        let meeting = Planar.intersection(segment: a, b, segment: p, q)
        #expect((meeting != nil) == (c.point != nil))
        if let meeting, let point = c.point {
            #expect(Position(a.x + meeting.t * (b.x - a.x), a.y + meeting.t * (b.y - a.y)) == point)
            #expect(Position(p.x + meeting.u * (q.x - p.x), p.y + meeting.u * (q.y - p.y)) == point)
        }
    }

    /// Random segments on a small integer lattice (so touching ends, T-junctions and
    /// collinear overlaps are common and every orientation is exact) and random real
    /// segments: the predicate is GEOS `intersects`, the meeting point GEOS `intersection`.
    @Test("segment intersection agrees with GEOS (lattice and real coordinates)")
    func intersectionMatchesGEOS() throws {
        let geos = GEOSContext()
        var random = SplitMix64(seed: 13)
        var touching = 0, crossing = 0
        for k in 0..<6000 {
            let lattice = k % 2 == 0
            func point() -> Position {
                lattice ? Position(Double(Int.random(in: 0...4, using: &random)), Double(Int.random(in: 0...4, using: &random)))
                        : Position(Double.random(in: 130...140, using: &random), Double.random(in: 30...40, using: &random))
            }
            let a = point(), b = point(), c = point(), d = point()
            func geometry(_ u: Position, _ v: Position) -> Geometry { u == v ? .point(u) : .lineString([u, v]) }
            let expected = try geos.intersects(geometry(a, b), geometry(c, d))
            #expect(Planar.intersects(segment: a, b, segment: c, d) == expected, "\(a) \(b) \(c) \(d)")
            let meeting = Planar.intersection(segment: a, b, segment: c, d)
            let parallel = Planar.orient(c, d, a) == Planar.orient(c, d, b) || Planar.orient(a, b, c) == Planar.orient(a, b, d)
            #expect((meeting != nil) == (expected && !parallel), "\(a) \(b) \(c) \(d)")
            guard let meeting else { continue }
            guard case .point(let point) = try geos.intersection(geometry(a, b), geometry(c, d)) else {
                Issue.record("GEOS gives no single point for \(a) \(b) \(c) \(d)")
                continue
            }
            let onAB = Position(a.x + meeting.t * (b.x - a.x), a.y + meeting.t * (b.y - a.y))
            let onCD = Position(c.x + meeting.u * (d.x - c.x), c.y + meeting.u * (d.y - c.y))
            let tolerance = lattice ? 1e-12 : 1e-9
            #expect(abs(onAB.x - point.x) <= tolerance && abs(onAB.y - point.y) <= tolerance, "\(onAB) vs \(point)")
            #expect(abs(onCD.x - point.x) <= tolerance && abs(onCD.y - point.y) <= tolerance, "\(onCD) vs \(point)")
            if meeting.t == 0 || meeting.t == 1 || meeting.u == 0 || meeting.u == 1 { touching += 1 } else { crossing += 1 }
        }
        // Both kinds were exercised.
        #expect(touching > 100 && crossing > 100, "touching \(touching), crossing \(crossing)")
    }

    // MARK: Segment crossing (half-open)

    /// Rows derived from the rule: an endpoint on the other segment's line counts as on
    /// its right. p→q runs north along x = 1 in each row (right of it is east, x > 1).
    static let crossings: [(name: String, edge: (Position, Position), crosses: Bool)] = [
        ("proper crossing", (Position(0, 1), Position(2, 1)), true),
        ("edge ends west of the path", (Position(0, 1), Position(0.5, 1)), false),
        ("edge starts on the path, ends west (on = east)", (Position(1, 1), Position(0, 2)), true),
        ("edge starts on the path, ends east", (Position(1, 1), Position(2, 2)), false),
        ("edge along the path (collinear overlap)", (Position(1, 1), Position(1, 3)), false),
        ("edge from the path's start going west", (Position(1, 0), Position(0, 1)), false),
        ("edge through the path's end, q on its right like p", (Position(0, 3), Position(2, 5)), false),
        ("edge through the path's end, p on its left", (Position(2, 5), Position(0, 3)), true),
    ]

    @Test("segment crossing: the half-open rule, row by row (general-position rows are GEOS intersects)")
    func crossingTable() throws {
        let geos = GEOSContext()
        let p = Position(1, 0), q = Position(1, 4)
        for row in Self.crossings {
            let (a, b) = row.edge
            #expect(Planar.crosses(segment: p, q, segment: a, b) == row.crosses, "\(row.name)")
            #expect(Planar.crosses(segment: a, b, segment: p, q) == row.crosses, "\(row.name), roles swapped")
            if row.name == "proper crossing" || row.name == "edge ends west of the path" {
                #expect(try geos.intersects(.lineString([p, q]), .lineString([a, b])) == row.crosses, "\(row.name): GEOS")
            }
        }
    }

    /// The property both users rely on (FiberCoverage's polygon locator, the cable's
    /// count of crossings with existing cables): crossings of a path with a closed ring
    /// have the parity of the containment change between the path's ends. On an integer
    /// lattice paths run through ring vertices and along edges; GEOS decides containment.
    /// Random real segments: GEOS `intersects`.
    @Test("crossing parity of lattice paths over rings with holes equals GEOS containment change; general position is GEOS intersects")
    func crossingParityMatchesGEOS() throws {
        let geos = GEOSContext()
        var random = SplitMix64(seed: 17)
        func lattice(_ lo: Int, _ hi: Int) -> Position {
            Position(Double(Int.random(in: lo...hi, using: &random)), Double(Int.random(in: lo...hi, using: &random)))
        }
        var paths = 0, throughVertices = 0, vertexOnEdge = 0, unsettledPaths = 0
        for _ in 0..<60 {
            func star(_ rMin: Double, _ rMax: Double, _ n: Int) -> [Position] {
                var ring: [Position] = []
                for k in 0..<n {
                    let a = Double(k) / Double(n) * 2 * .pi, r = Double.random(in: rMin...rMax, using: &random)
                    let p = Position((r * cos(a)).rounded(), (r * sin(a)).rounded())
                    if ring.last != p { ring.append(p) }
                }
                ring.append(ring[0])
                return ring
            }
            let rings = [star(5, 9, Int.random(in: 4...16, using: &random)), Array(star(1, 3, 6).reversed())]
            let polygon = Geometry.polygon(rings)
            guard try geos.isValid(polygon).valid else { continue }
            let prepared = try PreparedGeometry(polygon, context: geos)
            for _ in 0..<100 {
                // A path of 1–4 pieces on the lattice: it runs through ring vertices and
                // along edges.
                var path = (0..<Int.random(in: 2...5, using: &random)).map { _ in lattice(-10, 10) }
                guard let first = path.first, let last = path.last else { continue }
                path = path.enumerated().filter { $0.offset == 0 || path[$0.offset - 1] != $0.element }.map(\.element)
                var count = 0
                for (p, q) in zip(path, path.dropFirst()) {
                    for ring in rings {
                        for (a, b) in zip(ring, ring.dropFirst()) where Planar.crosses(segment: p, q, segment: a, b) { count += 1 }
                    }
                }
                let change = try prepared.contains(first) != prepared.contains(last)
                // Each pair is decided on its own (no shared perturbation), so the parity is
                // not settled for a path that ends on the ring, has a vertex on a ring
                // vertex, or turns on an edge it runs along; a path vertex inside an edge it
                // crosses is settled (counted once).
                let vertices = rings.flatMap { $0 }
                let edges = rings.flatMap { ring in zip(ring, ring.dropFirst()).map { ($0, $1) } }
                func unsettled(_ k: Int) -> Bool {
                    let v = path[k]
                    if k == 0 || k == path.count - 1 { return edges.contains { Planar.intersects(segment: $0.0, $0.1, segment: v, v) } }
                    if vertices.contains(v) { return true }
                    return edges.contains { a, b in
                        Planar.intersects(segment: a, b, segment: v, v)
                            && (Planar.orient(a, b, path[k - 1]) == 0 || Planar.orient(a, b, path[k + 1]) == 0)
                    }
                }
                if path.indices.contains(where: unsettled) { unsettledPaths += 1; continue }
                #expect((count % 2 == 1) == change, "path \(path) over \(rings): \(count) crossings")
                if try path.contains(where: { try prepared.covers(.point($0)) && !prepared.contains($0) }) { vertexOnEdge += 1 }
                if zip(path, path.dropFirst()).contains(where: { p, q in vertices.contains { Planar.intersects(segment: p, q, segment: $0, $0) } }) {
                    throughVertices += 1
                }
                paths += 1
            }
        }
        #expect(paths > 3000 && throughVertices > 300 && vertexOnEdge > 30,
                "paths \(paths), through ring vertices \(throughVertices), turning on an edge \(vertexOnEdge) (not checked: \(unsettledPaths))")
        for _ in 0..<3000 {
            func point() -> Position { Position(Double.random(in: 130...140, using: &random), Double.random(in: 30...40, using: &random)) }
            let a = point(), b = point(), c = point(), d = point()
            #expect(Planar.crosses(segment: a, b, segment: c, d) == (try geos.intersects(.lineString([a, b]), .lineString([c, d]))))
        }
    }

    @Test("distance to a ring boundary agrees with GEOS")
    func boundaryDistance() throws {
        let geos = GEOSContext()
        let rings = [Self.square, Self.hole]
        for p in [Position(1, 1), Position(3, 3), Position(-1, 1), Position(0.2, 0.3)] {
            let expected = try geos.distance(.point(p), .multiLineString(rings))
            #expect(abs(Planar.distance(from: p, toBoundaryOf: rings) - expected) < 1e-12)
        }
    }

    // MARK: Local scale

    /// GRS80 at the equator in closed form: M₀·π/180 = a(1 − e²)·π/180 = 110 574.2758 m and
    /// a·π/180 = 111 319.4908 m (a = 6 378 137, f = 1/298.257222101), and at latitudes across
    /// Japan the length of a small arc measured with GeographicLib's geodesic inverse.
    @Test("metres per degree match GRS80 reference values and GeographicLib",
          arguments: [0.0, 20.4, 24.3, 30, 35.681236, 40, 43.06, 45.5, 60])
    func localScale(latitude: Double) {
        let plane = LocalTangentPlane(at: Position(139, latitude))
        let h = 1e-4
        let meridian = Geodesic.inverse(Position(139, latitude - h / 2), Position(139, latitude + h / 2)).distanceMeters / h
        let parallel = Geodesic.inverse(Position(139 - h / 2, latitude), Position(139 + h / 2, latitude)).distanceMeters / h
        #expect(abs(plane.metresPerDegreeLat - meridian) < 1e-3, "\(plane.metresPerDegreeLat) vs \(meridian)")
        // A parallel arc is not a geodesic; over 1e-4° the difference is below a micrometre.
        #expect(abs(plane.metresPerDegreeLon - parallel) < 1e-3, "\(plane.metresPerDegreeLon) vs \(parallel)")
        if latitude == 0 {
            #expect(abs(plane.metresPerDegreeLat - 110_574.2758) < 1e-3)
            #expect(abs(plane.metresPerDegreeLon - 111_319.4908) < 1e-3)
            #expect(Ellipsoid.minimumMetresPerDegreeLatitude == plane.metresPerDegreeLat)
        }
    }

    @Test("tangent-plane distances within r of the origin match the geodesic to better than r/R")
    func tangentPlaneDistance() {
        var random = SplitMix64(seed: 5)
        for _ in 0..<500 {
            let o = Position(Double.random(in: 123...146, using: &random), Double.random(in: 24...45, using: &random))
            let q = Geodesic.direct(from: o, azimuthDegrees: Double.random(in: 0..<360, using: &random),
                                    distanceMeters: Double.random(in: 10...5000, using: &random))
            let plane = LocalTangentPlane(at: o)
            let geodesic = Geodesic.inverse(o, q).distanceMeters
            #expect(abs(plane.distanceMeters(o, q) - geodesic) / geodesic < geodesic / 6_371_000)
            let back = plane.unproject(plane.project(q))
            #expect(abs(back.x - q.x) < 1e-12 && abs(back.y - q.y) < 1e-12)
            let box = plane.box(around: o, meters: geodesic * 1.001)
            #expect(box.contains(q))
        }
    }

    // MARK: Bucket grid

    @Test("bucket grid candidates hold every segment meeting the box (brute force)")
    func bucketGrid() {
        var random = SplitMix64(seed: 3)
        var starts: [Position] = [], ends: [Position] = []
        for k in 0..<3000 {
            let a = Position(Double.random(in: 130...140, using: &random), Double.random(in: 30...40, using: &random))
            let b = k % 3 == 0 ? a : Position(a.x + Double.random(in: -0.3...0.3, using: &random),
                                              a.y + Double.random(in: -0.3...0.3, using: &random))
            starts.append(a); ends.append(b)
        }
        var box = BoundingBox(minX: 130, minY: 30, maxX: 130, maxY: 30)
        for p in starts + ends { box.include(p) }
        let grid = BucketGrid(frame: GridFrame(covering: box, dLon: 0.25, dLat: 0.2, padding: 1), starts: starts, ends: ends)
        for cell in 0..<grid.frame.cellCount {
            let ids = grid.range(ofCell: cell).map { Int(grid.items[$0]) }
            #expect(ids == ids.sorted())
        }
        for _ in 0..<300 {
            let x = Double.random(in: 129...141, using: &random), y = Double.random(in: 29...41, using: &random)
            let query = BoundingBox(minX: x, minY: y, maxX: x + Double.random(in: 0...1, using: &random),
                                    maxY: y + Double.random(in: 0...1, using: &random))
            var found = Set<Int>()
            grid.forEachCandidate(in: query) { found.insert($0); return true }
            for k in 0..<starts.count {
                let s = BoundingBox(minX: min(starts[k].x, ends[k].x), minY: min(starts[k].y, ends[k].y),
                                    maxX: max(starts[k].x, ends[k].x), maxY: max(starts[k].y, ends[k].y))
                if s.intersects(query) { #expect(found.contains(k), "segment \(k) missing") }
            }
            // Stopping early reports it.
            if !found.isEmpty { #expect(grid.forEachCandidate(in: query) { _ in false } == false) }
        }
        // A point grid puts each point in exactly the cell that holds it.
        let points = BucketGrid(frame: grid.frame, points: starts)
        for (k, p) in starts.enumerated() { #expect(points.cell(points.frame.cell(p), holds: k)) }
        #expect(BucketGrid().forEachCandidate(in: box) { _ in Issue.record("empty grid"); return true })
    }
}
