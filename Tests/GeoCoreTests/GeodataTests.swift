import Foundation
import Testing
@testable import GeoCore

/// Facts a user would check about the embedded geodata (geodata/*.geojson, made by
/// tools/build-geodata): land is valid and never overlaps, prefectures tile Japan's land,
/// landing stations sit on the coast and agree with the concentration zones, international
/// endpoints lie well out at sea. Bounding-box prefilters keep this fast in debug builds.
@Suite struct GeodataTests {
    // A suite instance is made per test and released when it ends, so the leak check
    // sees every GEOS handle freed.
    private let context = GEOSContext()

    // MARK: - Loading

    private func load(_ file: String) throws -> FeatureCollection {
        try GeoJSONReader.read(path: RepositoryGeodata.directory.appendingPathComponent(file).path)
    }

    private func string(_ f: Feature, _ key: String) -> String? { f[property: key]?.stringValue }

    private func geometry(_ f: Feature, file: String, index: Int) throws -> Geometry {
        guard let g = f.geometry else { throw GeodataTestError("\(file): features[\(index)] has no geometry") }
        return g
    }

    private func point(_ f: Feature, file: String, index: Int) throws -> Position {
        guard case .point(let p)? = f.geometry else {
            throw GeodataTestError("\(file): features[\(index)] is not a Point")
        }
        return p
    }

    /// Outer rings of every polygon part (the coastline; lakes are inner rings).
    private func outerRings(_ g: Geometry) -> [[Position]] {
        switch g {
        case .polygon(let rings): return rings.first.map { [$0] } ?? []
        case .multiPolygon(let polys): return polys.compactMap(\.first)
        default: return []
        }
    }

    private func geodesicAreaKm2(_ g: Geometry) -> Double {
        switch g {
        case .polygon(let rings): return Geodesic.polygonAreaKm2(rings)
        case .multiPolygon(let polys): return polys.reduce(0) { $0 + Geodesic.polygonAreaKm2($1) }
        default: return 0
        }
    }

    /// Geodesic distance from `p` to the nearest coastline (outer ring) among `land`,
    /// considering only parts whose box lies within `searchDegrees` of `p`.
    private func coastDistanceKm(_ p: Position, land: [Geometry], tree: GEOSSTRtree,
                                 searchDegrees: Double) throws -> Double {
        let box = BoundingBox(minX: p.x - searchDegrees, minY: p.y - searchDegrees,
                              maxX: p.x + searchDegrees, maxY: p.y + searchDegrees)
        var best = Double.infinity
        for i in tree.query(box) {
            for ring in outerRings(land[i]) {
                let (onRing, _) = try context.nearestPoints(.lineString(ring), .point(p))
                best = min(best, Geodesic.distanceKm(onRing, p))
            }
        }
        return best
    }

    /// Pairs of features whose interiors overlap (area of intersection > `toleranceDeg2`).
    private func overlappingPairs(_ geoms: [Geometry], toleranceDeg2: Double) throws -> [(Int, Int)] {
        let tree = try GEOSSTRtree(geoms, context: context)
        var pairs: [(Int, Int)] = []
        for (i, g) in geoms.enumerated() {
            guard let box = g.boundingBox else { continue }
            let candidates = tree.query(box).filter { $0 > i }
            if candidates.isEmpty { continue }
            let prepared = try PreparedGeometry(g, context: context)
            for j in candidates where try prepared.intersects(geoms[j]) {
                let overlap = try context.area(try context.intersection(g, geoms[j]))
                if overlap > toleranceDeg2 { pairs.append((i, j)) }
            }
        }
        return pairs
    }

    // MARK: - japan-land

    @Test func japanLandPolygonsAreValidDisjointAndInsideTheRegion() throws {
        let land = try load("japan-land.geojson")
        #expect(land.features.count > 1_000, "GSHHG high has thousands of islands")
        var geoms: [Geometry] = []
        for (i, f) in land.features.enumerated() {
            let g = try geometry(f, file: "japan-land", index: i)
            guard case .polygon = g else { Issue.record("japan-land features[\(i)] is \(g.typeName), not Polygon"); continue }
            let (valid, reason) = try context.isValid(g)
            #expect(valid, "japan-land features[\(i)] invalid: \(reason ?? "")")
            #expect(f[property: "level"]?.intValue == 1)
            if let box = g.boundingBox {
                #expect(box.minX >= 120 && box.maxX <= 155 && box.minY >= 20 && box.maxY <= 47, "japan-land features[\(i)] leaves lon 120–155, lat 20–47")
            }
            geoms.append(g)
        }
        let overlaps = try overlappingPairs(geoms, toleranceDeg2: 0)
        #expect(overlaps.isEmpty, "overlapping land polygons: \(overlaps.prefix(5))")
    }

    @Test func japanLandHasTheMainIslandsWithTheirKnownAreas() throws {
        let land = try load("japan-land.geojson")
        // Official areas (GSI) less large lakes; GSHHG high at ~200 m gets within a few %.
        let expected: [(name: String, km2: Double)] = [
            ("Honshu", 227_943), ("Hokkaido", 77_984), ("Kyushu", 36_782), ("Shikoku", 18_297),
            ("Okinawa Island", 1_207), ("Sado Island", 855),
        ]
        for (name, km2) in expected {
            guard let f = land.features.first(where: { string($0, "name_en") == name }),
                  let g = f.geometry else { Issue.record("\(name) missing from japan-land"); continue }
            let area = geodesicAreaKm2(g)
            #expect(abs(area - km2) <= km2 * 0.03, "\(name) area \(area) km²")
            #expect(string(f, "country") == "JP")
        }
    }

    @Test func japanLandSeparatesLandSeaAndLakes() throws {
        let land = try load("japan-land.geojson")
        let geoms = land.features.compactMap(\.geometry)
        let tree = try GEOSSTRtree(geoms, context: context)
        func onLand(_ p: Position) throws -> Bool {
            for i in tree.query(BoundingBox(minX: p.x, minY: p.y, maxX: p.x, maxY: p.y))
            where try PreparedGeometry(geoms[i], context: context).contains(p) { return true }
            return false
        }
        let cases: [(name: String, p: Position, land: Bool)] = [
            ("Tokyo Station", Position(139.7671, 35.6812), true),
            ("Sapporo", Position(141.3544, 43.0621), true),
            ("Seoul", Position(126.978, 37.566), true),
            ("Taipei", Position(121.565, 25.033), true),
            ("Tokyo Bay", Position(139.80, 35.45), false),
            ("Sea of Japan", Position(135.0, 40.0), false),
            ("Tsugaru Strait", Position(140.60, 41.45), false),
            ("Lake Biwa (a lake is not land)", Position(136.08, 35.25), false),
            ("Kanmon Strait", Position(130.93, 33.95), false),
        ]
        for c in cases { #expect(try onLand(c.p) == c.land, "\(c.name)") }
    }

    // MARK: - prefectures

    @Test func prefecturesAreTheFortySevenCodesAndDisjoint() throws {
        let prefs = try load("prefectures.geojson")
        #expect(prefs.features.count == 47)
        let codes = prefs.features.compactMap { string($0, "code") }
        #expect(codes == ((1...47).map { String(format: "%02d", $0) }))
        for (i, f) in prefs.features.enumerated() {
            #expect(!(string(f, "name") ?? "").isEmpty, "prefectures[\(i)] name")
            #expect(!(string(f, "name_en") ?? "").isEmpty, "prefectures[\(i)] name_en")
            let (valid, reason) = try context.isValid(try geometry(f, file: "prefectures", index: i))
            #expect(valid, "prefectures[\(i)] invalid: \(reason ?? "")")
        }
        #expect(string(prefs.features[12], "name") == "東京都")
        #expect(string(prefs.features[46], "name_en") == "Okinawa")
        // 1e-9 deg² ≈ 10 m²: shared borders may differ by rounding, areas may not.
        let overlaps = try overlappingPairs(prefs.features.compactMap(\.geometry), toleranceDeg2: 1e-9)
        #expect(overlaps.isEmpty, "overlapping prefectures: \(overlaps.prefix(5))")
    }

    @Test func prefecturesCoverExactlyJapansLand() throws {
        let prefs = try load("prefectures.geojson")
        let land = try load("japan-land.geojson")
        let prefArea = prefs.features.compactMap(\.geometry).reduce(0) { $0 + geodesicAreaKm2($1) }
        let jpArea = land.features.filter { string($0, "country") == "JP" }
            .compactMap(\.geometry).reduce(0) { $0 + geodesicAreaKm2($1) }
        // Disjoint (above) and equal in total area: every Japanese land polygon is in
        // exactly one prefecture, and no sea was added.
        #expect(abs(prefArea - jpArea) <= jpArea * 1e-4, "prefectures \(prefArea) vs JP land \(jpArea) km²")
    }

    @Test func placesFallInTheirPrefecture() throws {
        let prefs = try load("prefectures.geojson")
        let prepared = try prefs.features.map { try PreparedGeometry($0.geometry ?? .polygon([]), context: context) }
        let cases: [(place: String, p: Position, code: String)] = [
            ("Tokyo Station", Position(139.7671, 35.6812), "13"),
            ("Hachijojima", Position(139.79, 33.11), "13"),
            ("Chichijima", Position(142.21, 27.065), "13"),
            ("Osaka Castle", Position(135.5259, 34.6873), "27"),
            ("Sapporo", Position(141.3544, 43.0621), "01"),
            ("Naha", Position(127.6811, 26.2124), "47"),
            ("Amami Oshima", Position(129.49, 28.38), "46"),
            ("Tsushima", Position(129.30, 34.40), "42"),
            ("Awaji Island", Position(134.85, 34.45), "28"),
            ("Sado Island", Position(138.40, 38.05), "15"),
            ("Nagoya", Position(136.9066, 35.1815), "23"),
            ("Fukuoka", Position(130.4017, 33.5904), "40"),
        ]
        for c in cases {
            let hits = try prepared.indices.filter { try prepared[$0].contains(c.p) }
            #expect((hits.map { string(prefs.features[$0], "code") ?? "?" }) == [c.code], "\(c.place)")
        }
    }

    // MARK: - zones

    private struct Zones {
        var landing: [String: Geometry] = [:]
        var metro: [String: Geometry] = [:]
    }

    private func loadZones() throws -> Zones {
        var z = Zones()
        for (i, f) in try load("zones.geojson").features.enumerated() {
            let g = try geometry(f, file: "zones", index: i)
            switch string(f, "kind") {
            case "landing-concentration": z.landing[string(f, "zone") ?? "?"] = g
            case "metro-area": z.metro[string(f, "area") ?? "?"] = g
            default: Issue.record("zones features[\(i)] has an unknown kind")
            }
        }
        return z
    }

    @Test func zonesHaveBosoShimaAndTheTwoMetroAreas() throws {
        let z = try loadZones()
        #expect(Set(z.landing.keys) == ["boso", "shima"])
        #expect(Set(z.metro.keys) == ["tokyo", "osaka"])
        for g in Array(z.landing.values) + Array(z.metro.values) {
            let (valid, reason) = try context.isValid(g)
            #expect(valid, "\(reason ?? "")")
        }
        let prefs = try load("prefectures.geojson")
        func prefArea(_ codes: [String]) -> Double {
            prefs.features.filter { codes.contains(string($0, "code") ?? "") }
                .compactMap(\.geometry).reduce(0) { $0 + geodesicAreaKm2($1) }
        }
        let metro: [(String, [String])] = [("tokyo", ["11", "12", "13", "14"]), ("osaka", ["26", "27", "28"])]
        for (area, codes) in metro {
            let expected = prefArea(codes)
            #expect(abs(geodesicAreaKm2(z.metro[area] ?? .polygon([])) - expected) <= expected * 1e-4, "\(area)")
        }
    }

    @Test func concentrationZonesCoverTheirPeninsulasOnly() throws {
        let z = try loadZones()
        let boso = try PreparedGeometry(z.landing["boso"] ?? .polygon([]), context: context)
        let shima = try PreparedGeometry(z.landing["shima"] ?? .polygon([]), context: context)
        let cases: [(place: String, p: Position, boso: Bool, shima: Bool)] = [
            ("Chikura town", Position(139.955, 34.960), true, false),
            ("off Katsuura", Position(140.40, 35.05), true, false),
            ("Choshi", Position(140.83, 35.73), true, false),
            ("Miura peninsula (Kanagawa land)", Position(139.65, 35.20), false, false),
            ("Kitaibaraki", Position(140.78, 36.82), false, false),
            ("Ago Bay", Position(136.83, 34.29), false, true),
            ("off Daiozaki", Position(136.95, 34.20), false, true),
            ("Atsumi peninsula tip (Aichi land)", Position(137.03, 34.59), false, false),
            ("Nagoya", Position(136.9066, 35.1815), false, false),
        ]
        for c in cases {
            #expect(try boso.contains(c.p) == c.boso, "\(c.place) in boso")
            #expect(try shima.contains(c.p) == c.shima, "\(c.place) in shima")
        }
    }

    // MARK: - landing stations

    @Test func landingStationZonesAgreeWithZonesFile() throws {
        let stations = try load("landing-stations.geojson")
        let z = try loadZones()
        let boso = try PreparedGeometry(z.landing["boso"] ?? .polygon([]), context: context)
        let shima = try PreparedGeometry(z.landing["shima"] ?? .polygon([]), context: context)
        var seen = Set<String>()
        for (i, f) in stations.features.enumerated() {
            let p = try point(f, file: "landing-stations", index: i)
            let nameEn = string(f, "name_en") ?? ""
            #expect(!(nameEn.isEmpty || (string(f, "name") ?? "").isEmpty), "features[\(i)] names")
            #expect(seen.insert(nameEn.lowercased()).inserted, "duplicate name_en \(nameEn)")
            let zone = string(f, "zone")
            let expected = try boso.covers(.point(p)) ? "boso" : (try shima.covers(.point(p)) ? "shima" : "other")
            #expect(zone == expected, "\(nameEn): zone property vs zones.geojson")
            switch string(f, "status") {
            case "existing": break
            case "candidate": #expect(zone == "other", "candidate \(nameEn) must lie outside Boso and Shima")
            default: Issue.record("\(nameEn): status must be existing or candidate")
            }
            #expect(f[property: "cables"]?.arrayValue != nil, "\(nameEn): cables array")
            #expect(!(string(f, "accuracy") ?? "").isEmpty, "\(nameEn): accuracy note")
        }
        // The cable planner's documented examples look these up by name_en.
        for name in ["ishikari", "akita", "naoetsu", "tsuruga", "kitakyushu", "chikura", "maruyama", "shima",
                     "kitaibaraki", "fukuoka", "okinawa", "tomakomai", "kushiro", "kochi", "nagasaki", "kagoshima"] {
            #expect(seen.contains(name), "station \(name) missing")
        }
        // The concentration the policy talks about: existing stations in Boso and Shima.
        let existing = stations.features.filter { string($0, "status") == "existing" }
        #expect((existing.filter { string($0, "zone") == "boso" }.count) >= 3)
        #expect((existing.filter { string($0, "zone") == "shima" }.count) >= 1)
    }

    @Test func landingStationsAreOnTheCoast() throws {
        let stations = try load("landing-stations.geojson")
        let land = try load("japan-land.geojson").features.compactMap(\.geometry)
        let tree = try GEOSSTRtree(land, context: context)
        for (i, f) in stations.features.enumerated() {
            let p = try point(f, file: "landing-stations", index: i)
            let d = try coastDistanceKm(p, land: land, tree: tree, searchDegrees: 0.1)
            #expect(d <= 5, "\(string(f, "name_en") ?? "?") is \(d) km from the coastline")
        }
    }

    // MARK: - international endpoints

    @Test func internationalEndpointsLieWellOutAtSea() throws {
        let endpoints = try load("international-endpoints.geojson")
        let land = try load("japan-land.geojson").features.compactMap(\.geometry)
        let tree = try GEOSSTRtree(land, context: context)
        var destinations = Set<String>()
        for (i, f) in endpoints.features.enumerated() {
            let p = try point(f, file: "international-endpoints", index: i)
            let dest = string(f, "destination") ?? "?"
            destinations.insert(dest)
            #expect(string(f, "name") == "international:\(dest)")
            #expect(p.x > 120 && p.x < 155 && p.y > 20 && p.y < 47, "\(dest) outside the region")
            for j in tree.query(BoundingBox(minX: p.x, minY: p.y, maxX: p.x, maxY: p.y)) {
                #expect(try !PreparedGeometry(land[j], context: context).contains(p), "\(dest) on land")
            }
            // 0.5° ≥ 42 km at these latitudes: land outside the search box is farther than 20 km.
            let d = try coastDistanceKm(p, land: land, tree: tree, searchDegrees: 0.5)
            #expect(d >= 20, "\(dest) only \(d) km from land")
        }
        #expect(destinations == ["north-america", "guam", "hawaii", "southeast-asia", "hong-kong",
                                      "taiwan", "korea", "china", "russia", "australia"])
    }

    // MARK: - hazards

    @Test func hazardsAreWeightedAndTheAxesLieAtSea() throws {
        let hazards = try load("hazards.geojson")
        let land = try load("japan-land.geojson").features.compactMap(\.geometry)
        let tree = try GEOSSTRtree(land, context: context)
        var names = Set<String>()
        for (i, f) in hazards.features.enumerated() {
            let g = try geometry(f, file: "hazards", index: i)
            let name = string(f, "name_en") ?? "?"
            names.insert(name)
            let weight = f[property: "weight"]?.doubleValue ?? -1
            #expect(weight > 0 && weight <= 5, "\(name) weight \(weight)")
            #expect(!(string(f, "source") ?? "").isEmpty, "\(name) source")
            #expect(!(string(f, "accuracy") ?? "").isEmpty, "\(name) accuracy")
            switch (string(f, "kind"), g) {
            case ("trench-axis", .lineString), ("trough-axis", .lineString):
                #expect((f[property: "corridor_km"]?.doubleValue ?? 0) > 0, "\(name) corridor")
                guard let box = g.boundingBox else { continue }
                for j in tree.query(box) {
                    #expect(try !context.intersects(g, land[j]), "\(name) axis crosses land")
                }
            case ("earthquake-source", .polygon):
                #expect(try context.isValid(g).valid, "\(name)")
            default:
                Issue.record("\(name): kind \(string(f, "kind") ?? "nil") with \(g.typeName)")
            }
        }
        for required in ["Japan Trench", "Kuril Trench", "Izu–Bonin Trench", "Ryukyu Trench", "Sagami Trough",
                         "Nankai Trough (with the Suruga Trough)", "Nankai Trough megaquake source region",
                         "Tokyo-inland earthquake source region"] {
            #expect(names.contains(required), "\(required) missing")
        }
    }
}

private struct GeodataTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The repository's geodata/ (GeoCore does no geodata lookup; planners use PlannerKit's
/// EmbeddedGeodata). Tests read the checkout's own copy.
enum RepositoryGeodata {
    static let directory: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("geodata")
    }()
}
