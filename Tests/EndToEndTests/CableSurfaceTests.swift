import Foundation
import GeoCore
import Testing

/// `wattbit cable` in Japan's bays, inner seas and straits, at harbours abroad, and at a
/// lake, on the embedded land. One row per place: a new bug is a new row. Every route is
/// checked by GEOS against the land polygons (no crossing outside the approaches) and its
/// reported `min_coast_km` against the GEOS distance to the land in a local metric CRS.
@Suite("wattbit cable: bays, straits, harbours and lakes", .serialized)
struct CableSurfaceTests {
    struct Box: Sendable {
        var minLon, minLat, maxLon, maxLat: Double
        func contains(_ p: Position) -> Bool { p.lon >= minLon && p.lon <= maxLon && p.lat >= minLat && p.lat <= maxLat }
    }

    enum Expectation: Sendable {
        /// A route that passes through `through` (if given), stays out of `avoids` (if
        /// given) and is at most `maxKm` long (if given).
        case route(through: Box? = nil, avoids: Box? = nil, maxKm: Double? = nil, minKm: Double? = nil)
        /// Refused with this exit code and a message containing these texts.
        case refuse(code: Int32, says: [String])
    }

    struct Case: Sendable {
        var name: String
        var args: [String]
        var expect: Expectation
        var why: String
    }

    // Straits as small boxes around their narrowest part (lon/lat).
    static let uraga = Box(minLon: 139.65, minLat: 35.15, maxLon: 139.85, maxLat: 35.3)
    static let akashi = Box(minLon: 134.95, minLat: 34.58, maxLon: 135.08, maxLat: 34.66)
    static let kitan = Box(minLon: 134.95, minLat: 34.2, maxLon: 135.15, maxLat: 34.35)
    static let irago = Box(minLon: 136.85, minLat: 34.45, maxLon: 137.1, maxLat: 34.62)
    static let naruto = Box(minLon: 134.6, minLat: 34.2, maxLon: 134.7, maxLat: 34.27)
    static let hayasaki = Box(minLon: 130.1, minLat: 32.5, maxLon: 130.3, maxLat: 32.65)
    static let tairadate = Box(minLon: 140.75, minLat: 41.05, maxLon: 141.1, maxLat: 41.3)
    static let kanmon = Box(minLon: 130.88, minLat: 33.92, maxLon: 130.99, maxLat: 33.99)
    static let innerSea = Box(minLon: 133.2, minLat: 34.0, maxLon: 133.8, maxLat: 34.5)
    /// An --avoid area south of Shikoku, so Bungo→Kii must go through the Inland Sea.
    static let southOfShikoku = """
        {"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[
          [[132.4,30.5],[135.2,30.5],[135.2,33.45],[132.4,33.45],[132.4,30.5]]]}}
        """

    static let cases: [Case] = [
        Case(name: "Tokyo Bay", args: ["--from", "139.68,35.45", "--to", "139.8,34.8",
                                       "--allow-concentration-zones", "--allow-concentration-landing"],
             expect: .route(through: uraga, maxKm: 90), why: "Yokohama to the bay mouth through the Uraga channel (issue 10)"),
        Case(name: "Osaka Bay by Kitan", args: ["--from", "135.2,34.66", "--to", "134.95,34.0"],
             expect: .route(through: kitan, maxKm: 100), why: "Kobe south through the Kitan/Tomogashima straits (issue 10)"),
        Case(name: "Osaka Bay by Akashi", args: ["--from", "135.2,34.66", "--to", "134.6,34.6", "--approach-km", "5"],
             expect: .route(through: akashi, maxKm: 70), why: "Kobe west into Harima-nada through the Akashi strait"),
        Case(name: "Ise Bay", args: ["--from", "136.85,35.0", "--to", "137.0,34.3",
                                     "--allow-concentration-zones", "--allow-concentration-landing"],
             expect: .route(through: irago, maxKm: 110), why: "Nagoya out through the Irago channel (issue 10; the far end is in the Shima zone)"),
        Case(name: "Hiroshima Bay", args: ["--from", "132.45,34.3", "--to", "132.2,33.5"],
             expect: .route(maxKm: 180), why: "Hiroshima south through the islands into Iyo-nada (issue 10)"),
        Case(name: "Seto Inland Sea, Bungo to Kii", args: ["--from", "132.1,33.2", "--to", "135.0,33.9", "--avoid", "@south-of-shikoku"],
             expect: .route(through: innerSea, maxKm: 600), why: "the whole Inland Sea from the Bungo channel to the Kii channel"),
        Case(name: "Naruto strait", args: ["--from", "134.6,34.35", "--to", "134.7,34.1", "--approach-km", "5"],
             expect: .route(through: naruto, maxKm: 40), why: "Harima-nada to the Kii channel through Naruto (≈ 1.3 km)"),
        Case(name: "Ariake Sea", args: ["--from", "130.3,33.0", "--to", "129.9,32.5", "--approach-km", "5"],
             expect: .route(through: hayasaki, maxKm: 120), why: "out of the Ariake Sea through the Hayasaki strait"),
        Case(name: "Mutsu Bay", args: ["--from", "140.8,40.95", "--to", "141.0,41.5", "--approach-km", "5"],
             expect: .route(through: tairadate, maxKm: 100), why: "Aomori out of Mutsu Bay through the Tairadate strait"),
        Case(name: "Busan harbour", args: ["--from", "129.05,35.1", "--to", "130.35,33.7", "--approach-km", "5"],
             expect: .route(maxKm: 260), why: "a harbour landing abroad (issue 10)"),
        Case(name: "Yangtze estuary", args: ["--from", "121.6,31.3", "--to", "123.5,31.0", "--approach-km", "5"],
             expect: .route(maxKm: 260), why: "an estuary landing abroad (issue 10)"),
        Case(name: "Kanmon closed at 1 km", args: ["--from", "130.8,33.97", "--to", "131.1,33.93", "--approach-km", "3"],
             expect: .route(avoids: kanmon, minKm: 300), why: "Kanmon is ≈ 0.46 km wide in the land data: round Kyushu instead"),
        Case(name: "Kanmon open at 0.4 km", args: ["--from", "130.8,33.97", "--to", "131.1,33.93", "--approach-km", "3",
                                                   "--min-passage-km", "0.4"],
             expect: .route(through: kanmon, maxKm: 50), why: "--min-passage-km 0.4 opens Kanmon"),
        Case(name: "Lake Kasumigaura is not sea", args: ["--from", "140.27,36.34", "--snap-km", "25", "--to", "141,36"],
             expect: .refuse(code: 65, says: ["on land", "--snap-km", "lake"]),
             why: "the lake shore is 23 km away, the sea 27 km: no sea within 25 km (issue 10)"),
        Case(name: "Inland point snaps to the sea, not the lake", args: ["--from", "140.27,36.34", "--snap-km", "40", "--to", "141,36"],
             expect: .route(maxKm: 80), why: "with 40 km of reach the landing is on the Pacific coast (lon > 140.5)"),
    ]

    static let cacheDirectory: String = {
        (try? Tool.temporaryDirectory("wattbit-cable-cache")) ?? NSTemporaryDirectory()
    }()

    /// GEOS distance (km) from the route outside the approaches to the land, measured in a
    /// local metric CRS (LocalMetricCRS) per piece; nil when no land lies within ~50 km.
    static func geosMinCoastKm(_ line: [Position], approachKm: Double) throws -> Double? {
        let land = CablePlannerTests.land
        let context = GEOSContext()
        let index = try GEOSSTRtree(land, context: context)
        var best: Double?
        for piece in CablePlannerTests.outsideApproach(line, approachKm: approachKm) {
            guard let box = Geometry.lineString(piece).boundingBox else { continue }
            let wide = BoundingBox(minX: box.minX - 0.5, minY: box.minY - 0.5, maxX: box.maxX + 0.5, maxY: box.maxY + 0.5)
            let near = index.query(wide)
            guard !near.isEmpty else { continue }
            let transform = try CoordinateTransform(from: "OGC:CRS84", to: LocalMetricCRS.definition(for: box))
            let projectedPiece = Geometry.lineString(transform.forward(piece))
            for k in near {
                let d = try context.distance(projectedPiece, project(land[k], transform)) / 1000
                if best == nil || d < best! { best = d }
            }
        }
        return best
    }

    static func project(_ g: Geometry, _ t: CoordinateTransform) -> Geometry {
        switch g {
        case .polygon(let rings): .polygon(rings.map { t.forward($0) })
        case .multiPolygon(let ps): .multiPolygon(ps.map { $0.map { t.forward($0) } })
        case .lineString(let line): .lineString(t.forward(line))
        default: g
        }
    }

    @Test func everyRowOfTheTable() throws {
        let dir = try Tool.temporaryDirectory("wattbit-cable-surface")
        let avoid = try Tool.writeFile(dir, "south-of-shikoku.geojson", Self.southOfShikoku)
        for c in Self.cases {
            let args = c.args.map { $0 == "@south-of-shikoku" ? avoid : $0 }
            let result = try Tool.run("wattbit-cable", ["run"] + args + ["--progress", "none"],
                                      environment: ["WATTBIT_CACHE_DIR": Self.cacheDirectory], timeout: 300)
            switch c.expect {
            case .refuse(let code, let says):
                #expect(result.exitCode == code, "\(c.name): exit \(result.exitCode) \(result.stderr)")
                #expect(result.stdout.isEmpty, "\(c.name): wrote output")
                #expect(result.stderrLines.count == 1, "\(c.name): \(result.stderr)")
                for text in says { #expect(result.stderr.contains(text), "\(c.name): \(result.stderr)") }
            case .route(let through, let avoids, let maxKm, let minKm):
                #expect(result.exitCode == 0, "\(c.name) (\(c.why)): \(result.stderr)")
                guard result.exitCode == 0 else { continue }
                let features = try CablePlannerTests.features(result)
                let route = try #require(CablePlannerTests.routes(features).first, "\(c.name)")
                let line = Geodesic.densify(route.line, maxSegmentKm: 0.5)
                let length = route.feature[property: "length_km"]?.doubleValue ?? 0
                if let through { #expect(line.contains(where: through.contains), "\(c.name): does not pass \(through) (\(c.why))") }
                if let avoids { #expect(!line.contains(where: avoids.contains), "\(c.name): passes \(avoids) (\(c.why))") }
                if let maxKm { #expect(length <= maxKm, "\(c.name): \(length) km") }
                if let minKm { #expect(length >= minKm, "\(c.name): \(length) km") }
                let approach = args.firstIndex(of: "--approach-km").flatMap { Double(args[$0 + 1]) } ?? 20
                // GEOS: no land crossed outside the approaches, and min_coast_km is the real distance.
                #expect(try !CablePlannerTests.touches(route.line, CablePlannerTests.land, approachKm: approach),
                        "\(c.name): crosses land")
                let reported = route.feature[property: "min_coast_km"]?.doubleValue
                let measured = try Self.geosMinCoastKm(route.line, approachKm: approach)
                if let measured, measured < 40 {
                    let r = try #require(reported, "\(c.name): no min_coast_km")
                    #expect(abs(r - measured) <= 0.03 + 0.01 * measured, "\(c.name): min_coast_km \(r), GEOS \(measured) (\(c.why))")
                }
                // Passages narrower than --min-passage-km are closed.
                let minPassage = args.firstIndex(of: "--min-passage-km").flatMap { Double(args[$0 + 1]) } ?? 1
                if let passage = route.feature[property: "narrowest_passage_km"]?.doubleValue {
                    #expect(passage >= minPassage - 0.25, "\(c.name): passage \(passage) km")
                }
                if c.name.hasPrefix("Inland point") {
                    let landing = try #require(features.first { $0.role == "landing" })
                    guard case .point(let p)? = landing.geometry else { Issue.record("landing not a point"); continue }
                    #expect(p.lon > 140.5, "\(c.name): snapped to \(p), not the Pacific coast")
                    #expect(features.contains { $0.role == "access" }, "\(c.name): no access path")
                }
            }
        }
    }

    /// The sea surface is cached by content: a second run reuses the file, changed land
    /// makes a new one (and a different answer), and changed --avoid areas change the
    /// route (they are applied per request, never baked into the cache).
    @Test func theCacheFollowsTheLandAndTheAvoidAreas() throws {
        let dir = try Tool.temporaryDirectory("wattbit-cable-cache-test")
        let cache = dir + "/cache"
        // Two islands; the second run adds a third between the ends.
        func island(_ lon: Double, _ lat: Double, _ r: Double) -> String {
            """
            {"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[\(lon - r),\(lat - r)],[\(lon + r),\(lat - r)],[\(lon + r),\(lat + r)],[\(lon - r),\(lat + r)],[\(lon - r),\(lat - r)]]]}}
            """
        }
        func collection(_ features: [String]) -> String {
            "{\"type\":\"FeatureCollection\",\"features\":[" + features.joined(separator: ",") + "]}"
        }
        let landA = try Tool.writeFile(dir, "land.geojson", collection([island(140, 30, 0.3), island(143, 30, 0.3)]))
        let args = ["run", "--land", landA, "--from", "139.5,30", "--to", "143.5,30", "--approach-km", "5", "--progress", "none"]
        func files() throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: cache).filter { $0.hasSuffix(".lattice") }.sorted()
        }
        func length(_ result: ToolResult) throws -> Double {
            let route = try #require(CablePlannerTests.routes(try CablePlannerTests.features(result)).first)
            return route.feature[property: "length_km"]?.doubleValue ?? 0
        }
        let first = try Tool.run("wattbit-cable", args, environment: ["WATTBIT_CACHE_DIR": cache], timeout: 300)
        #expect(first.exitCode == 0, "\(first.stderr)")
        let afterFirst = try files()
        #expect(afterFirst.count == 1)
        let second = try Tool.run("wattbit-cable", args, environment: ["WATTBIT_CACHE_DIR": cache], timeout: 300)
        #expect(second.stdout == first.stdout, "the cached surface gives the same answer")
        #expect(try files() == afterFirst, "a second run reuses the cache")

        // Land changes: a third island on the straight line.
        _ = try Tool.writeFile(dir, "land.geojson", collection([island(140, 30, 0.3), island(143, 30, 0.3), island(141.5, 30, 0.8)]))
        let third = try Tool.run("wattbit-cable", args, environment: ["WATTBIT_CACHE_DIR": cache], timeout: 300)
        #expect(third.exitCode == 0, "\(third.stderr)")
        #expect(try files().count == 2, "changed land must not reuse the old surface")
        #expect(try length(third) > length(first) + 1, "the new island is avoided")
        #expect(try !CablePlannerTests.touches(
            CablePlannerTests.routes(try CablePlannerTests.features(third))[0].line,
            [.polygon([[Position(140.7, 29.2), Position(142.3, 29.2), Position(142.3, 30.8), Position(140.7, 30.8), Position(140.7, 29.2)]])],
            approachKm: 0))

        // Avoid areas change: the route goes round the new one. An area across the northern
        // passage round the middle island sends the route south; moved to the southern
        // passage, it sends the route north.
        let avoidFile = try Tool.writeFile(dir, "avoid.geojson", collection([island(141.5, 30.95, 0.25)]))
        let avoided = try Tool.run("wattbit-cable", args + ["--avoid", avoidFile], environment: ["WATTBIT_CACHE_DIR": cache], timeout: 300)
        #expect(avoided.exitCode == 0, "\(avoided.stderr)")
        _ = try Tool.writeFile(dir, "avoid.geojson", collection([island(141.5, 29.05, 0.25)]))
        let moved = try Tool.run("wattbit-cable", args + ["--avoid", avoidFile], environment: ["WATTBIT_CACHE_DIR": cache], timeout: 300)
        #expect(moved.exitCode == 0, "\(moved.stderr)")
        #expect(try files().count == 2, "avoid areas are applied per request, never baked into the cache")
        let southOfIsland = try CablePlannerTests.routes(try CablePlannerTests.features(avoided))[0].line.allSatisfy { $0.y < 30.05 || abs($0.x - 141.5) > 0.9 }
        let northOfIsland = try CablePlannerTests.routes(try CablePlannerTests.features(moved))[0].line.allSatisfy { $0.y > 29.95 || abs($0.x - 141.5) > 0.9 }
        #expect(southOfIsland, "an --avoid area across the northern passage sends the route south")
        #expect(northOfIsland, "the moved --avoid area sends the route north")
        for (result, box) in [(avoided, (141.25, 30.7, 141.75, 31.2)), (moved, (141.25, 28.8, 141.75, 29.3))] {
            let line = CablePlannerTests.routes(try CablePlannerTests.features(result))[0].line
            let ring = [Position(box.0, box.1), Position(box.2, box.1), Position(box.2, box.3), Position(box.0, box.3), Position(box.0, box.1)]
            #expect(try !CablePlannerTests.touches(line, [.polygon([ring])], approachKm: 0), "enters the --avoid area")
        }
    }
}
