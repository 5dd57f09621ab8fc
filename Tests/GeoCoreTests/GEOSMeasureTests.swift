import Foundation
import Testing
@testable import GeoCore

/// Distances, nearest points, simplification, polygonization, hulls and measures, each
/// against values worked out by hand.
@Suite struct GEOSMeasureTests {
    // A suite instance is made per test and released when it ends, so the leak check
    // sees every GEOS handle freed.
    private let context = GEOSContext()

    @Test func distanceAndNearestPointsBetweenKnownSegments() throws {
        // (0,0)-(4,0) and (1,3)-(3,1): the end (3,1) is 1 above the first segment at (3,0).
        let base = Geometry.lineString([Position(0, 0), Position(4, 0)])
        let slant = Geometry.lineString([Position(1, 3), Position(3, 1)])
        #expect(try abs(context.distance(base, slant) - 1) <= 1e-12)
        let (onBase, onSlant) = try context.nearestPoints(base, slant)
        #expect(abs(onBase.x - 3) <= 1e-12); #expect(abs(onBase.y - 0) <= 1e-12)
        #expect(abs(onSlant.x - 3) <= 1e-12); #expect(abs(onSlant.y - 1) <= 1e-12)

        // The point (1,0) projects onto the diagonal (0,0)-(1,1) at its midpoint: √2/2 away.
        let diagonal = Geometry.lineString([Position(0, 0), Position(1, 1)])
        #expect(try abs(context.distance(diagonal, .point(Position(1, 0))) - 0.5.squareRoot()) <= 1e-12)
        let (foot, point) = try context.nearestPoints(diagonal, .point(Position(1, 0)))
        #expect(abs(foot.x - 0.5) <= 1e-12); #expect(abs(foot.y - 0.5) <= 1e-12)
        #expect(point == Position(1, 0))

        // Inside a polygon the distance is 0; crossing segments are 0 apart.
        #expect(try context.distance(geosSquare(0, 0, side: 2), .point(Position(1, 1))) == 0)
        #expect(try context.distance(diagonal, .lineString([Position(0, 1), Position(1, 0)])) == 0)
        // Parallel segments 3 apart, offset along their length (3-4-5 triangle between ends).
        #expect(try abs(context.distance(.lineString([Position(0, 0), Position(1, 0)]),
                                            .lineString([Position(5, 3), Position(6, 3)])) - 5) <= 1e-12)
    }

    @Test func distanceToAnEmptyGeometryIsAnErrorNotZero() throws {
        #expect(throws: (any Error).self) { try context.distance(.point(Position(0, 0)), .polygon([])) }
        #expect(throws: (any Error).self) { try context.nearestPoints(.lineString([]), .point(Position(0, 0))) }
    }

    @Test func simplifyDouglasPeuckerAndTopologyPreserving() throws {
        // Tolerance 0.5 on (0,0) (1,0.4) (2,0) (3,3) (4,0): (3,3) is 3 off the chord; then
        // (2,0) is √2 off (0,0)-(3,3) and stays; (1,0.4) is 0.4 off (0,0)-(2,0) and goes.
        let line = Geometry.lineString([Position(0, 0), Position(1, 0.4), Position(2, 0), Position(3, 3), Position(4, 0)])
        let expected = Geometry.lineString([Position(0, 0), Position(2, 0), Position(3, 3), Position(4, 0)])
        #expect(try context.simplify(line, tolerance: 0.5, preserveTopology: false) == expected)
        #expect(try context.simplify(line, tolerance: 0.5) == expected)

        // A tolerance larger than the shape: plain Douglas–Peucker collapses the square,
        // the topology-preserving simplifier keeps a valid ring.
        let square = geosSquare(0, 0, side: 1)
        #expect(try context.simplify(square, tolerance: 10, preserveTopology: false) == .polygon([]))
        let kept = try context.simplify(square, tolerance: 10)
        #expect(try abs(context.area(kept) - 1) <= 1e-12)
        #expect(try context.isValid(kept).valid)
        #expect(throws: (any Error).self) { try context.simplify(square, tolerance: -1) }
    }

    @Test func polygonizeBuildsFacesFromNodedEdges() throws {
        let edges: [Geometry] = [
            .lineString([Position(0, 0), Position(1, 0)]),
            .lineString([Position(1, 0), Position(1, 1)]),
            .lineString([Position(1, 1), Position(0, 1)]),
            .lineString([Position(0, 1), Position(0, 0)]),
        ]
        let one = try context.polygonize(edges)
        guard case .geometryCollection(let faces) = one else { Issue.record("\(one)"); return }
        #expect(faces.count == 1)
        #expect(try context.equalsTopologically(faces[0], geosSquare(0, 0, side: 1)))

        // A dangling edge forms no face; a second square sharing the edge x=1 adds one.
        let more = edges + [
            .lineString([Position(0, 0), Position(-1, -1)]),
            .lineString([Position(1, 0), Position(2, 0), Position(2, 1), Position(1, 1)]),
        ]
        guard case .geometryCollection(let two) = try context.polygonize(more) else { Issue.record("failed"); return }
        #expect(two.count == 2)
        #expect(try abs((two.map { try context.area($0) }.reduce(0, +)) - 2) <= 1e-12)

        // No closed linework, no polygon.
        #expect(try context.polygonize([.lineString([Position(0, 0), Position(1, 0)])]) == .geometryCollection([]))
    }

    @Test func convexHullOfKnownPoints() throws {
        let points = Geometry.multiPoint([Position(0, 0), Position(4, 0), Position(4, 4), Position(0, 4),
                                          Position(2, 2), Position(1, 3), Position(3, 1)])
        let hull = try context.convexHull(points)
        guard case .polygon(let rings) = hull else { Issue.record("\(hull)"); return }
        #expect(rings.count == 1)
        #expect(Set(rings[0]) == [Position(0, 0), Position(4, 0), Position(4, 4), Position(0, 4)])
        #expect(try context.area(hull) == 16)
        // Collinear points hull to their segment.
        #expect(try context.convexHull(.multiPoint([Position(0, 0), Position(1, 1), Position(2, 2)])) == .lineString([Position(0, 0), Position(2, 2)]))
    }

    @Test func concaveHullFollowsAnLShapedGrid() throws {
        // Unit-grid points filling the L = [0,4]×[0,1] ∪ [0,1]×[0,4] (area 4 + 4 - 1 = 7).
        var points: [Position] = []
        for x in 0...4 { for y in 0...1 { points.append(Position(Double(x), Double(y))) } }
        for x in 0...1 { for y in 2...4 { points.append(Position(Double(x), Double(y))) } }
        let cloud = Geometry.multiPoint(points)
        // Ratio 1 is the convex hull (0,0) (4,0) (4,1) (1,4) (0,4): shoelace area 23/2.
        #expect(try abs(context.area(context.concaveHull(cloud, ratio: 1)) - 11.5) <= 1e-12)
        // A small ratio removes every border edge longer than the unit grid spacing.
        let tight = try context.concaveHull(cloud, ratio: 0.1)
        #expect(try abs(context.area(tight) - 7) <= 1e-12)
        #expect(try context.isValid(tight).valid)
        #expect(throws: (any Error).self) { try context.concaveHull(cloud, ratio: 1.5) }
    }

    @Test func areaAndLength() throws {
        let holed = Geometry.polygon([
            [Position(0, 0), Position(10, 0), Position(10, 10), Position(0, 10), Position(0, 0)],
            [Position(2, 2), Position(2, 4), Position(4, 4), Position(4, 2), Position(2, 2)]])
        #expect(try context.area(holed) == 96)
        #expect(try context.length(holed) == 48)   // perimeter of shell and hole
        #expect(try context.length(.lineString([Position(0, 0), Position(3, 4)])) == 5)
        #expect(try context.area(.lineString([Position(0, 0), Position(3, 4)])) == 0)
        #expect(try context.area(.multiPolygon([])) == 0)
        #expect(try context.length(.geometryCollection([
            .lineString([Position(0, 0), Position(3, 4)]), geosSquare(0, 0, side: 1)])) == 9)
    }
}
