import XCTest
@testable import GeoCore

/// Distances, nearest points, simplification, polygonization, hulls and measures, each
/// against values worked out by hand.
final class GEOSMeasureTests: XCTestCase {
    // Made per test and released in tearDown: XCTest on Linux keeps its test-case objects
    // alive until exit, and the leak check must see every GEOS handle freed.
    private var context: GEOSContext!
    override func setUp() { super.setUp(); context = GEOSContext() }
    override func tearDown() { context = nil; super.tearDown() }

    func testDistanceAndNearestPointsBetweenKnownSegments() throws {
        // (0,0)-(4,0) and (1,3)-(3,1): the end (3,1) is 1 above the first segment at (3,0).
        let base = Geometry.lineString([Position(0, 0), Position(4, 0)])
        let slant = Geometry.lineString([Position(1, 3), Position(3, 1)])
        XCTAssertEqual(try context.distance(base, slant), 1, accuracy: 1e-12)
        let (onBase, onSlant) = try context.nearestPoints(base, slant)
        XCTAssertEqual(onBase.x, 3, accuracy: 1e-12); XCTAssertEqual(onBase.y, 0, accuracy: 1e-12)
        XCTAssertEqual(onSlant.x, 3, accuracy: 1e-12); XCTAssertEqual(onSlant.y, 1, accuracy: 1e-12)

        // The point (1,0) projects onto the diagonal (0,0)-(1,1) at its midpoint: √2/2 away.
        let diagonal = Geometry.lineString([Position(0, 0), Position(1, 1)])
        XCTAssertEqual(try context.distance(diagonal, .point(Position(1, 0))), 0.5.squareRoot(), accuracy: 1e-12)
        let (foot, point) = try context.nearestPoints(diagonal, .point(Position(1, 0)))
        XCTAssertEqual(foot.x, 0.5, accuracy: 1e-12); XCTAssertEqual(foot.y, 0.5, accuracy: 1e-12)
        XCTAssertEqual(point, Position(1, 0))

        // Inside a polygon the distance is 0; crossing segments are 0 apart.
        XCTAssertEqual(try context.distance(geosSquare(0, 0, side: 2), .point(Position(1, 1))), 0)
        XCTAssertEqual(try context.distance(diagonal, .lineString([Position(0, 1), Position(1, 0)])), 0)
        // Parallel segments 3 apart, offset along their length (3-4-5 triangle between ends).
        XCTAssertEqual(try context.distance(.lineString([Position(0, 0), Position(1, 0)]),
                                            .lineString([Position(5, 3), Position(6, 3)])), 5, accuracy: 1e-12)
    }

    func testDistanceToAnEmptyGeometryIsAnErrorNotZero() {
        XCTAssertThrowsError(try context.distance(.point(Position(0, 0)), .polygon([])))
        XCTAssertThrowsError(try context.nearestPoints(.lineString([]), .point(Position(0, 0))))
    }

    func testSimplifyDouglasPeuckerAndTopologyPreserving() throws {
        // Tolerance 0.5 on (0,0) (1,0.4) (2,0) (3,3) (4,0): (3,3) is 3 off the chord; then
        // (2,0) is √2 off (0,0)-(3,3) and stays; (1,0.4) is 0.4 off (0,0)-(2,0) and goes.
        let line = Geometry.lineString([Position(0, 0), Position(1, 0.4), Position(2, 0), Position(3, 3), Position(4, 0)])
        let expected = Geometry.lineString([Position(0, 0), Position(2, 0), Position(3, 3), Position(4, 0)])
        XCTAssertEqual(try context.simplify(line, tolerance: 0.5, preserveTopology: false), expected)
        XCTAssertEqual(try context.simplify(line, tolerance: 0.5), expected)

        // A tolerance larger than the shape: plain Douglas–Peucker collapses the square,
        // the topology-preserving simplifier keeps a valid ring.
        let square = geosSquare(0, 0, side: 1)
        XCTAssertEqual(try context.simplify(square, tolerance: 10, preserveTopology: false), .polygon([]))
        let kept = try context.simplify(square, tolerance: 10)
        XCTAssertEqual(try context.area(kept), 1, accuracy: 1e-12)
        XCTAssertTrue(try context.isValid(kept).valid)
        XCTAssertThrowsError(try context.simplify(square, tolerance: -1))
    }

    func testPolygonizeBuildsFacesFromNodedEdges() throws {
        let edges: [Geometry] = [
            .lineString([Position(0, 0), Position(1, 0)]),
            .lineString([Position(1, 0), Position(1, 1)]),
            .lineString([Position(1, 1), Position(0, 1)]),
            .lineString([Position(0, 1), Position(0, 0)]),
        ]
        let one = try context.polygonize(edges)
        guard case .geometryCollection(let faces) = one else { return XCTFail("\(one)") }
        XCTAssertEqual(faces.count, 1)
        XCTAssertTrue(try context.equalsTopologically(faces[0], geosSquare(0, 0, side: 1)))

        // A dangling edge forms no face; a second square sharing the edge x=1 adds one.
        let more = edges + [
            .lineString([Position(0, 0), Position(-1, -1)]),
            .lineString([Position(1, 0), Position(2, 0), Position(2, 1), Position(1, 1)]),
        ]
        guard case .geometryCollection(let two) = try context.polygonize(more) else { return XCTFail() }
        XCTAssertEqual(two.count, 2)
        XCTAssertEqual(try two.map { try context.area($0) }.reduce(0, +), 2, accuracy: 1e-12)

        // No closed linework, no polygon.
        XCTAssertEqual(try context.polygonize([.lineString([Position(0, 0), Position(1, 0)])]), .geometryCollection([]))
    }

    func testConvexHullOfKnownPoints() throws {
        let points = Geometry.multiPoint([Position(0, 0), Position(4, 0), Position(4, 4), Position(0, 4),
                                          Position(2, 2), Position(1, 3), Position(3, 1)])
        let hull = try context.convexHull(points)
        guard case .polygon(let rings) = hull else { return XCTFail("\(hull)") }
        XCTAssertEqual(rings.count, 1)
        XCTAssertEqual(Set(rings[0]), [Position(0, 0), Position(4, 0), Position(4, 4), Position(0, 4)])
        XCTAssertEqual(try context.area(hull), 16)
        // Collinear points hull to their segment.
        XCTAssertEqual(try context.convexHull(.multiPoint([Position(0, 0), Position(1, 1), Position(2, 2)])),
                       .lineString([Position(0, 0), Position(2, 2)]))
    }

    func testConcaveHullFollowsAnLShapedGrid() throws {
        // Unit-grid points filling the L = [0,4]×[0,1] ∪ [0,1]×[0,4] (area 4 + 4 - 1 = 7).
        var points: [Position] = []
        for x in 0...4 { for y in 0...1 { points.append(Position(Double(x), Double(y))) } }
        for x in 0...1 { for y in 2...4 { points.append(Position(Double(x), Double(y))) } }
        let cloud = Geometry.multiPoint(points)
        // Ratio 1 is the convex hull (0,0) (4,0) (4,1) (1,4) (0,4): shoelace area 23/2.
        XCTAssertEqual(try context.area(context.concaveHull(cloud, ratio: 1)), 11.5, accuracy: 1e-12)
        // A small ratio removes every border edge longer than the unit grid spacing.
        let tight = try context.concaveHull(cloud, ratio: 0.1)
        XCTAssertEqual(try context.area(tight), 7, accuracy: 1e-12)
        XCTAssertTrue(try context.isValid(tight).valid)
        XCTAssertThrowsError(try context.concaveHull(cloud, ratio: 1.5))
    }

    func testAreaAndLength() throws {
        let holed = Geometry.polygon([
            [Position(0, 0), Position(10, 0), Position(10, 10), Position(0, 10), Position(0, 0)],
            [Position(2, 2), Position(2, 4), Position(4, 4), Position(4, 2), Position(2, 2)]])
        XCTAssertEqual(try context.area(holed), 96)
        XCTAssertEqual(try context.length(holed), 48)   // perimeter of shell and hole
        XCTAssertEqual(try context.length(.lineString([Position(0, 0), Position(3, 4)])), 5)
        XCTAssertEqual(try context.area(.lineString([Position(0, 0), Position(3, 4)])), 0)
        XCTAssertEqual(try context.area(.multiPolygon([])), 0)
        XCTAssertEqual(try context.length(.geometryCollection([
            .lineString([Position(0, 0), Position(3, 4)]), geosSquare(0, 0, side: 1)])), 9)
    }
}
