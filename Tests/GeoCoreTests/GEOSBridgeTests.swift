import Foundation
import Testing
@testable import GeoCore

/// Deterministic pseudo-random numbers for reproducible test points.

/// Axis-aligned square polygon, counter-clockwise.
func geosSquare(_ x: Double, _ y: Double, side: Double) -> Geometry {
    .polygon([[Position(x, y), Position(x + side, y), Position(x + side, y + side),
               Position(x, y + side), Position(x, y)]])
}

/// The bow-tie (0,0)-(2,2)-(2,0)-(0,2) crosses itself at (1,1).
private var bowTie: Geometry {
    .polygon([[Position(0, 0), Position(2, 2), Position(2, 0), Position(0, 2), Position(0, 0)]])
}

@Suite struct GEOSBridgeTests {
    // A suite instance is made per test and released when it ends, so the leak check
    // sees every GEOS handle freed.
    private let context = GEOSContext()

    // MARK: Conversion

    @Test func roundTripKeepsEveryGeometryType() throws {
        let cases: [(String, Geometry)] = [
            ("point", .point(Position(139.7671, 35.6812))),
            ("point with z", .point(Position(1, 2, 3))),
            ("multipoint", .multiPoint([Position(0, 0), Position(1, 1)])),
            ("line", .lineString([Position(0, 0), Position(1, 0), Position(1, 1)])),
            ("line with z", .lineString([Position(0, 0, 10), Position(1, 0, 20)])),
            ("line with partial z", .lineString([Position(0, 0, 10), Position(1, 0)])),
            ("multiline", .multiLineString([[Position(0, 0), Position(1, 0)], [Position(2, 2), Position(3, 3)]])),
            ("polygon with hole", .polygon([
                [Position(0, 0), Position(10, 0), Position(10, 10), Position(0, 10), Position(0, 0)],
                [Position(2, 2), Position(2, 4), Position(4, 4), Position(4, 2), Position(2, 2)]])),
            ("multipolygon", .multiPolygon([
                [[Position(0, 0), Position(1, 0), Position(1, 1), Position(0, 0)]],
                [[Position(5, 5), Position(6, 5), Position(6, 6), Position(5, 5)]]])),
            ("nested collection", .geometryCollection([
                .point(Position(0, 0)),
                .geometryCollection([.lineString([Position(0, 0), Position(1, 1)])]),
                geosSquare(3, 3, side: 1)])),
            ("empty line", .lineString([])),
            ("empty polygon", .polygon([])),
            ("empty multipoint", .multiPoint([])),
            ("empty multiline", .multiLineString([])),
            ("empty multipolygon", .multiPolygon([])),
            ("empty collection", .geometryCollection([])),
            ("collection with empties", .geometryCollection([.polygon([]), .lineString([])])),
        ]
        for (name, g) in cases {
            let back = try context.geometry(context.geos(g))
            #expect(back == g, "\(name)")
        }
    }

    @Test func wktShowsTypesEmptiesAndZ() throws {
        #expect(try context.wkt(.point(Position(1, 2, 3))) == "POINT Z (1 2 3)")
        #expect(try context.wkt(.polygon([])) == "POLYGON EMPTY")
        #expect(try context.wkt(.multiPoint([])) == "MULTIPOINT EMPTY")
        #expect(try context.geometry(wkt: "LINESTRING (0 0, 2 1)") == .lineString([Position(0, 0), Position(2, 1)]))
        // GeoCore has no empty point: GEOS's POINT EMPTY comes back as an empty multipoint.
        #expect(try context.geometry(wkt: "POINT EMPTY") == .multiPoint([]))
    }

    @Test func geosMessagesReachTheSwiftError() throws {
        let cases: [(String, Geometry, String)] = [
            ("unclosed ring", .polygon([[Position(0, 0), Position(1, 0), Position(1, 1), Position(0, 1)]]),
             "closed linestring"),
            ("line of one position", .lineString([Position(0, 0)]), "must contain 0 or >1 elements"),
        ]
        for (name, g, expected) in cases {
            if let error = #expect(throws: (any Error).self, "\(name)", performing: { try context.area(g) }) {
                let message = (error as? GEOSError)?.message ?? "\(error)"
                #expect(message.contains(expected), "\(name): \(message)")
            }
        }
        if let error = #expect(throws: (any Error).self, performing: { try context.geometry(wkt: "POLYGON ((0 0, 1") }) {
            #expect("\(error)".contains("ParseException"), "\(error)")
        }
        // The context stays usable after a failure.
        #expect(try context.area(geosSquare(0, 0, side: 2)) == 4)
    }

    // MARK: Validity

    @Test func bowTieIsInvalidWithTheSelfIntersectionNamed() throws {
        let result = try context.isValid(bowTie)
        #expect(!result.valid)
        #expect(result.reason == "Self-intersection at (1.0, 1.0)")
        let square = try context.isValid(geosSquare(0, 0, side: 1))
        #expect(square.valid)
        #expect(square.reason == nil)
        // GEOS 3.11 builds a ring of three positions and leaves the verdict to isValid.
        let collapsed = try context.isValid(.polygon([[Position(0, 0), Position(1, 0), Position(0, 0)]]))
        #expect(!collapsed.valid)
        #expect(collapsed.reason?.hasPrefix("Too few points") == true, "\(collapsed.reason ?? "nil")")
    }

    @Test func makeValidSplitsTheBowTieIntoTwoUnitTriangles() throws {
        let fixed = try context.makeValid(bowTie)
        guard case .multiPolygon(let parts) = fixed else { Issue.record("expected a multipolygon, got \(fixed)"); return }
        #expect(parts.count == 2)
        // Each triangle has base 2 and height 1: area 1.
        for part in parts {
            #expect(try abs(context.area(.polygon(part)) - 1) <= 1e-12)
            #expect(part[0].count == 4)
        }
        #expect(try context.isValid(fixed).valid)
        // Valid input is returned untouched.
        let square = geosSquare(0, 0, side: 1)
        #expect(try context.makeValid(square) == square)
    }

    // MARK: Overlay

    @Test func bufferOfUnitSquareHasTheAreaOfItsRoundedOutline() throws {
        // Square + four 1×1 side strips + the four corner arcs, which together are a regular
        // 32-gon inscribed in the unit circle (8 segments per quadrant): 16·sin(π/16).
        let buffered = try context.buffer(geosSquare(0, 0, side: 1), distance: 1, quadrantSegments: 8)
        #expect(try abs(context.area(buffered) - (1 + 4 + 16 * sin(Double.pi / 16))) <= 1e-9)
        // A negative distance shrinks: 4×4 square by -1 leaves the 2×2 core.
        #expect(try abs(context.area(try context.buffer(geosSquare(0, 0, side: 4), distance: -1)) - 4) <= 1e-12)
        #expect(throws: (any Error).self) { try context.buffer(geosSquare(0, 0, side: 1), distance: 1, quadrantSegments: 0) }
    }

    @Test func overlayOfTwoOffsetSquares() throws {
        // [0,2]² and [1,3]² overlap in [1,2]².
        let a = geosSquare(0, 0, side: 2), b = geosSquare(1, 1, side: 2)
        #expect(try abs(context.area(context.intersection(a, b)) - 1) <= 1e-12)
        #expect(try abs(context.area(context.union(a, b)) - 7) <= 1e-12)
        #expect(try abs(context.area(context.difference(a, b)) - 3) <= 1e-12)
        #expect(try context.equalsTopologically(context.intersection(a, b), geosSquare(1, 1, side: 1)))
        #expect(try abs(context.area(context.unaryUnion(.multiPolygon([
            [[Position(0, 0), Position(2, 0), Position(2, 2), Position(0, 2), Position(0, 0)]],
            [[Position(1, 1), Position(3, 1), Position(3, 3), Position(1, 3), Position(1, 1)]]]))) - 7) <= 1e-12)
        #expect(try context.intersects(a, b))
        #expect(try !context.intersects(a, geosSquare(5, 5, side: 1)))
        // Disjoint inputs intersect in an empty polygon.
        #expect(try context.intersection(a, geosSquare(5, 5, side: 1)) == .polygon([]))
    }

    @Test func polygonsComeBackInRightHandRuleOrder() throws {
        // A clockwise shell with a counter-clockwise hole goes in; RFC 7946 order comes out.
        let clockwise = Geometry.polygon([
            [Position(0, 0), Position(0, 10), Position(10, 10), Position(10, 0), Position(0, 0)],
            [Position(2, 2), Position(4, 2), Position(4, 4), Position(2, 4), Position(2, 2)]])
        for result in [try context.unaryUnion(clockwise),
                       try context.intersection(clockwise, geosSquare(-1, -1, side: 20)),
                       try context.buffer(clockwise, distance: 0)] {
            guard case .polygon(let rings) = result, rings.count == 2 else { Issue.record("\(result)"); return }
            #expect(signedArea(rings[0]) > 0, "shell must be counter-clockwise")
            #expect(signedArea(rings[1]) < 0, "hole must be clockwise")
        }
    }

    private func signedArea(_ ring: [Position]) -> Double {
        zip(ring, ring.dropFirst()).reduce(0) { $0 + ($1.0.x * $1.1.y - $1.1.x * $1.0.y) } / 2
    }

    @Test func overlayKeepsZ() throws {
        let line = Geometry.lineString([Position(0, 0, 5), Position(10, 0, 5)])
        let clipped = try context.intersection(line, geosSquare(2, -1, side: 2))
        guard case .lineString(let positions) = clipped else { Issue.record("\(clipped)"); return }
        #expect(positions.map(\.x) == [2, 4])
        #expect(positions.map(\.z) == [5, 5])
    }

    // MARK: Prepared geometry

    @Test func preparedContainsAgreesWithRayCastingOnRandomPoints() throws {
        // A concave "C" shape with a hole in its spine.
        let shell = [Position(0, 0), Position(10, 0), Position(10, 3), Position(3, 3), Position(3, 7),
                     Position(10, 7), Position(10, 10), Position(0, 10), Position(0, 0)]
        let hole = [Position(1, 4), Position(2, 4), Position(2, 6), Position(1, 6), Position(1, 4)]
        let shape = Geometry.polygon([shell, hole])
        let prepared = try PreparedGeometry(shape, context: context)
        var random = SplitMix64(seed: 42)
        var inside = 0
        for _ in 0..<5_000 {
            let p = Position(random.uniform(-1, 11), random.uniform(-1, 11))
            let expected = evenOddContains([shell, hole], p)
            #expect(try prepared.contains(p) == expected, "\(p)")
            #expect(try prepared.contains(.point(p)) == expected, "\(p)")
            #expect(try prepared.intersects(.point(p)) == expected, "\(p)")
            if expected { inside += 1 }
        }
        // Area share of the C: (100 - 28 - 2) / 144 of the sampling box.
        #expect(abs((Double(inside) / 5_000) - (70.0 / 144.0)) <= 0.03)
    }

    @Test func preparedContainsAndCoversDifferOnTheBoundary() throws {
        let prepared = try PreparedGeometry(geosSquare(0, 0, side: 2), context: context)
        let edge = Geometry.lineString([Position(0, 0), Position(2, 0)])
        #expect(try !prepared.contains(edge))
        #expect(try prepared.covers(edge))
        #expect(try !prepared.contains(Position(0, 1)))
        #expect(try prepared.covers(.point(Position(0, 1))))
        #expect(try prepared.contains(geosSquare(0.5, 0.5, side: 1)))
        #expect(try prepared.intersects(geosSquare(1.5, 1.5, side: 1)))
        #expect(try !prepared.intersects(geosSquare(3, 3, side: 1)))
    }

    // MARK: Threads

    @Test func perThreadContextsAreDistinctPerThreadAndStablePerThread() throws {
        let here = GEOSContext.perThread
        #expect(here === GEOSContext.perThread)
        let hereID = ObjectIdentifier(here)
        let areas = ResultBox()
        let threads = (0..<4).map { i in
            Thread {
                let ctx = GEOSContext.perThread
                var sum = 0.0
                for _ in 0..<200 {
                    sum += (try? ctx.area(ctx.intersection(geosSquare(0, 0, side: 2),
                                                          geosSquare(1, 1, side: 2)))) ?? .nan
                }
                areas.record(index: i, area: sum, distinct: ObjectIdentifier(ctx) != hereID)
            }
        }
        threads.forEach { $0.start() }
        let deadline = Date().addingTimeInterval(30)
        while areas.count < 4, Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        #expect(areas.values == [200, 200, 200, 200])
        #expect(areas.distinct == [true, true, true, true])
    }
}

/// Collects results from worker threads.
final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var areas = [Double](repeating: 0, count: 4)
    private var flags = [Bool](repeating: false, count: 4)
    private var done = 0
    func record(index: Int, area: Double, distinct: Bool) {
        lock.lock(); areas[index] = area; flags[index] = distinct; done += 1; lock.unlock()
    }
    var count: Int { lock.lock(); defer { lock.unlock() }; return done }
    var values: [Double] { lock.lock(); defer { lock.unlock() }; return areas }
    var distinct: [Bool] { lock.lock(); defer { lock.unlock() }; return flags }
}

/// Even-odd ray casting (W. R. Franklin's PNPOLY) over all rings: the brute-force reference.
func evenOddContains(_ rings: [[Position]], _ p: Position) -> Bool {
    var inside = false
    for ring in rings {
        var j = ring.count - 1
        for i in 0..<ring.count {
            let a = ring[i], b = ring[j]
            if (a.y > p.y) != (b.y > p.y), p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x {
                inside.toggle()
            }
            j = i
        }
    }
    return inside
}
