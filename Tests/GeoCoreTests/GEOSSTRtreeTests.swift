import Foundation
import Testing
@testable import GeoCore

/// The STRtree must give exactly the brute-force answers.
@Suite struct GEOSSTRtreeTests {
    // A suite instance is made per test and released when it ends, so the leak check
    // sees every GEOS handle freed.
    private let context = GEOSContext()

    private func randomPoints(_ count: Int, seed: UInt64) -> [Position] {
        var random = SplitMix64(seed: seed)
        return (0..<count).map { _ in Position(random.uniform(0, 100), random.uniform(0, 100)) }
    }

    private func planarDistance(_ a: Position, _ b: Position) -> Double {
        ((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)).squareRoot()
    }

    @Test func nearestNeighbourMatchesBruteForceOnRandomPoints() throws {
        let points = randomPoints(2_000, seed: 7)
        let tree = try GEOSSTRtree(points.map { .point($0) }, context: context)
        #expect(tree.count == 2_000)
        var random = SplitMix64(seed: 8)
        for _ in 0..<300 {
            let q = Position(random.uniform(-10, 110), random.uniform(-10, 110))
            let brute = points.indices.min { planarDistance(points[$0], q) < planarDistance(points[$1], q) }
            let found = try tree.nearest(to: q)
            #expect(found == brute, "query \(q)")
        }
    }

    @Test func nearestSegmentMatchesBruteForce() throws {
        // Random segments up to 10 long: envelopes overlap a lot, so only exact distances
        // (computed by GEOS in the callback) can pick the right one.
        var random = SplitMix64(seed: 21)
        let segments: [Geometry] = (0..<300).map { _ in
            let a = Position(random.uniform(0, 100), random.uniform(0, 100))
            return .lineString([a, Position(a.x + random.uniform(-10, 10), a.y + random.uniform(-10, 10))])
        }
        let tree = try GEOSSTRtree(segments, context: context)
        for _ in 0..<100 {
            let q = Geometry.point(Position(random.uniform(0, 100), random.uniform(0, 100)))
            let distances = try segments.map { try context.distance($0, q) }
            let found = try #require(try tree.nearest(to: q))
            #expect(abs(distances[found] - (distances.min() ?? .nan)) <= 1e-12, "query \(q)")
        }
    }

    @Test func nearestNeighbourUsesExactGeometryDistance() throws {
        // A long thin line whose box contains the query, and a small square whose box is
        // nearer than the line itself: the answer must come from real distances.
        let geometries: [Geometry] = [
            .lineString([Position(0, 0), Position(10, 10)]),   // 0: √8 ≈ 2.83 from (2,6)
            geosSquare(3, 6.5, side: 0.5),                     // 1: 1 from (2,6)
            .polygon([]),                                      // 2: empty, never returned
        ]
        let tree = try GEOSSTRtree(geometries, context: context)
        #expect(try tree.nearest(to: Position(2, 6)) == 1)
        #expect(try tree.nearest(to: Position(9, 8)) == 0)
        #expect(throws: (any Error).self) { try tree.nearest(to: .polygon([])) }
    }

    @Test func boxQueryMatchesBruteForce() throws {
        let points = randomPoints(2_000, seed: 11)
        let tree = try GEOSSTRtree(points.map { .point($0) }, context: context)
        var random = SplitMix64(seed: 12)
        for _ in 0..<200 {
            let x = random.uniform(-5, 100), y = random.uniform(-5, 100)
            let box = BoundingBox(minX: x, minY: y, maxX: x + random.uniform(0, 20), maxY: y + random.uniform(0, 20))
            #expect(tree.query(box) == (points.indices.filter { box.contains(points[$0]) }), "\(box)")
        }
        // Inverted boxes match nothing.
        #expect(tree.query(BoundingBox(minX: 50, minY: 50, maxX: 40, maxY: 60)) == [])
    }

    @Test func boxQueryReturnsCandidatesByEnvelope() throws {
        let tree = try GEOSSTRtree([
            geosSquare(0, 0, side: 1),
            .lineString([Position(5, 5), Position(6, 6)]),
            .geometryCollection([]),
            geosSquare(0.5, 0.5, side: 1),
        ], context: context)
        #expect(tree.query(BoundingBox(minX: 0.9, minY: 0.9, maxX: 1.1, maxY: 1.1)) == [0, 3])
        #expect(tree.query(BoundingBox(minX: 5.5, minY: 5.5, maxX: 5.5, maxY: 5.5)) == [1])
        #expect(tree.query(BoundingBox(minX: 10, minY: 10, maxX: 11, maxY: 11)) == [])
    }

    @Test func emptyTreeAnswersNothing() throws {
        let tree = try GEOSSTRtree([], context: context)
        #expect(try tree.nearest(to: Position(0, 0)) == nil)
        #expect(tree.query(BoundingBox(minX: -1, minY: -1, maxX: 1, maxY: 1)) == [])
        let onlyEmpty = try GEOSSTRtree([.polygon([])], context: context)
        #expect(try onlyEmpty.nearest(to: Position(0, 0)) == nil)
    }
}
