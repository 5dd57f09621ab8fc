import Foundation
import Testing
@testable import GeoCore

/// Real-size throughput figures for docs/geos-bridge.md. Skipped unless
/// WATTBIT_GEOS_THROUGHPUT=1 (run in release:
/// `WATTBIT_GEOS_THROUGHPUT=1 swift test -c release --filter GEOSThroughputTests`).
/// Asserts correctness of the large results only; CPU timings are printed, not asserted.
@Suite struct GEOSThroughputTests {
    /// CPU seconds of this thread: the build machine is shared, so wall time would mostly
    /// measure the other processes.
    private func seconds(_ body: () throws -> Void) rethrows -> Double {
        func now() -> Double {
            var t = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
            return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
        }
        let start = now()
        try body()
        return now() - start
    }

    /// A star-shaped ring of `vertices` points around (139.7, 35.7), lon/lat-sized values,
    /// whose radius alternates between 1 and 0.95 degrees like a ragged coastline.
    private func star(vertices: Int) -> [Position] {
        var ring = (0..<vertices).map { i -> Position in
            let angle = 2 * Double.pi * Double(i) / Double(vertices)
            let radius = i % 2 == 0 ? 1.0 : 0.95
            return Position(139.7 + radius * cos(angle), 35.7 + radius * sin(angle))
        }
        ring.append(ring[0])
        return ring
    }

    /// Off unless WATTBIT_GEOS_THROUGHPUT=1 (it measures, it does not check).
    @Test(.enabled(if: ProcessInfo.processInfo.environment["WATTBIT_GEOS_THROUGHPUT"] == "1",
                   "set WATTBIT_GEOS_THROUGHPUT=1 to measure"))
    func throughput() throws {
        let context = GEOSContext()
        var report: [String] = []

        // Bulk conversion: one polygon of a million vertices there and back.
        let big = Geometry.polygon([star(vertices: 1_000_000)])
        var back: Geometry = .polygon([])
        let roundTrip = try seconds { back = try context.geometry(context.geos(big)) }
        #expect(back == big)
        report.append(String(format: "round trip of a 1,000,000-vertex polygon: %.3f s (%.1f M vertices/s)",
                             roundTrip, 1.0 / roundTrip))

        // Point in polygon: a million points against a prepared 10,000-vertex star.
        let shape = Geometry.polygon([star(vertices: 10_000)])
        let prepared = try PreparedGeometry(shape, context: context)
        var random = SplitMix64(seed: 3)
        let points = (0..<1_000_000).map { _ in Position(random.uniform(138.6, 140.8), random.uniform(34.6, 36.8)) }
        var inside = 0
        let contains = try seconds { for p in points where try prepared.contains(p) { inside += 1 } }
        let shareInside = Double(inside) / Double(points.count)
        #expect(try abs(shareInside - (context.area(shape) / (2.2 * 2.2))) <= 0.01)
        report.append(String(format: "prepared contains, 1,000,000 points vs 10,000-vertex polygon: %.3f s (%.2f M points/s)",
                             contains, 1.0 / contains))

        // STRtree: 100,000 points, 100,000 nearest-neighbour queries.
        let sites = points.prefix(100_000).map { Geometry.point($0) }
        var tree: GEOSSTRtree?
        let build = try seconds { tree = try GEOSSTRtree(Array(sites), context: context) }
        let index = try #require(tree)
        var found = 0
        let nearest = try seconds {
            for p in points.suffix(100_000) where try index.nearest(to: p) != nil { found += 1 }
        }
        #expect(found == 100_000)
        report.append(String(format: "STRtree of 100,000 points: build %.3f s; 100,000 nearest queries %.3f s (%.0f queries/s)",
                             build, nearest, 100_000 / nearest))
        print(report.map { "GEOS throughput: " + $0 }.joined(separator: "\n"))
    }
}
