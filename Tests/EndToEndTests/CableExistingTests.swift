import Foundation
import GeoCore
import Testing

/// `--existing` and `--min-separation-existing-km`, checked by GEOS in a metric projection
/// (UTM 53N on GRS80 through PROJ), not by the engine's own measurements.
@Suite("wattbit cable --existing")
struct CableExistingTests {
    typealias C = CablePlannerTests

    /// Two existing systems near the Ishikari → Kitakyushu great circle: one alongside it
    /// (5–10 km east), one across it.
    static let existing = """
        {"type":"FeatureCollection","features":[
        {"type":"Feature","properties":{"name":"Alongside"},"geometry":{"type":"LineString","coordinates":[[136.95,40.35],[135.2,38.7]]}},
        {"type":"Feature","properties":{"name":"Across"},"geometry":{"type":"LineString","coordinates":[[134.0,38.5],[134.6,37.5]]}}]}
        """
    static let lines: [(name: String, line: [Position])] = [
        ("Alongside", [Position(136.95, 40.35), Position(135.2, 38.7)]),
        ("Across", [Position(134.0, 38.5), Position(134.6, 37.5)]),
    ]

    /// GEOS distance in km (UTM 53N) from the route's parts outside the approach to a line.
    static func geosDistanceKm(_ route: [Position], _ line: [Position], approachKm: Double) throws -> Double {
        let utm = try CoordinateTransform(from: "OGC:CRS84", to: "+proj=utm +zone=53 +ellps=GRS80 +units=m")
        let context = GEOSContext()
        let cable = Geometry.lineString(utm.forward(Geodesic.densify(line, maxSegmentKm: 1)))
        var best = Double.infinity
        for piece in C.outsideApproach(route, approachKm: approachKm) {
            best = min(best, try context.distance(.lineString(utm.forward(piece)), cable) / 1000)
        }
        return best
    }

    static func crossings(_ route: [Position], _ line: [Position]) throws -> Int {
        let context = GEOSContext()
        let meet = try context.intersection(.lineString(Geodesic.densify(route, maxSegmentKm: 1)),
                                            .lineString(Geodesic.densify(line, maxSegmentKm: 1)))
        switch meet {
        case .point: return 1
        case .multiPoint(let points): return points.count
        default: return 0
        }
    }

    @Test("measure only by default; with a separation, every existing cable is at least that far (GEOS)")
    func separationFromExistingCables() throws {
        let dir = try Tool.temporaryDirectory("wattbit-cable-existing")
        let file = try Tool.writeFile(dir, "existing.geojson", Self.existing)
        for separation in [0.0, 20.0] {
            var args = ["run", "--from", "Ishikari", "--to", "Kitakyushu", "--existing", file, "--progress", "none"]
            if separation > 0 { args += ["--min-separation-existing-km", "20"] }
            let result = try Tool.run("wattbit-cable", args, timeout: 300)
            #expect(result.exitCode == 0, "\(result.stderr)")
            let route = try #require(C.routes(try C.features(result)).first)
            let measured = try Self.lines.map { (name: $0.name, km: try Self.geosDistanceKm(route.line, $0.line, approachKm: 20)) }
            let nearest = try #require(measured.min { $0.km < $1.km })
            let closest = try #require(route.feature[property: "closest_existing_km"]?.doubleValue)
            #expect(abs(closest - nearest.km) < 0.5, "closest_existing_km \(closest), GEOS \(nearest.km)")
            #expect(route.feature[property: "closest_existing_name"]?.stringValue == nearest.name)
            let crossings = try Self.lines.map { try Self.crossings(route.line, $0.line) }.reduce(0, +)
            #expect(route.feature[property: "crossings_existing"]?.doubleValue == Double(crossings))
            if separation == 0 {
                // The great circle runs between and across them.
                #expect(crossings >= 1)
                #expect(route.feature[property: "km_near_existing"]?.doubleValue == 0)
            } else {
                for m in measured { #expect(m.km >= separation - 0.5, "\(m.name): \(m.km) km from the route (GEOS)") }
                #expect(crossings == 0)
                #expect((route.feature[property: "km_near_existing"]?.doubleValue ?? 1) < 0.5)
            }
        }
    }

    @Test("a separation without --existing is a usage error")
    func separationNeedsExisting() throws {
        let result = try Tool.run("wattbit-cable", ["run", "--from", "Ishikari", "--to", "Akita",
                                                    "--min-separation-existing-km", "10", "--progress", "none"], timeout: 60)
        #expect(result.exitCode == 64)
        #expect(result.stderr.contains("--existing"))
        #expect(result.stdout.isEmpty)
    }
}
