import Foundation
import GeoCore
import Testing

/// wattbit-cable on the embedded geodata of Japan, checked from its output alone.
@Suite("wattbit cable")
struct CablePlannerTests {
    static var geodata: String { Tool.packageRoot.appendingPathComponent("geodata").path }

    static func features(_ result: ToolResult) throws -> [Feature] {
        try GeoJSONReader.read(bytes: result.stdout, source: "<stdout>").features
    }

    static func routes(_ features: [Feature]) -> [(feature: Feature, line: [Position])] {
        features.compactMap { f in
            guard f.role == "route", case .lineString(let line)? = f.geometry else { return nil }
            return (f, line)
        }
    }

    static let land: [Geometry] = {
        guard let collection = try? GeoJSONReader.read(path: "\(geodata)/japan-land.geojson") else { return [] }
        return collection.features.compactMap(\.geometry)
    }()

    static func zone(_ key: String) throws -> Geometry {
        let zones = try GeoJSONReader.read(path: "\(geodata)/zones.geojson")
        guard let g = zones.features.first(where: { $0[property: "zone"]?.stringValue == key })?.geometry else {
            throw ToolError.cannotStart("zone \(key) missing from zones.geojson")
        }
        return g
    }

    /// The parts of a route farther than `approachKm` from its ends and `stops`.
    static func outsideApproach(_ line: [Position], approachKm: Double, stops: [Position] = []) -> [[Position]] {
        guard let a = line.first, let b = line.last else { return [] }
        let landings = [a, b] + stops
        var pieces: [[Position]] = [], piece: [Position] = []
        for p in Geodesic.densify(line, maxSegmentKm: 0.5) {
            if landings.contains(where: { Geodesic.distanceKm($0, p) < approachKm }) {
                if piece.count >= 2 { pieces.append(piece) }
                piece = []
            } else {
                piece.append(p)
            }
        }
        if piece.count >= 2 { pieces.append(piece) }
        return pieces
    }

    /// GEOS: does any part of the route outside the approaches touch the geometry?
    static func touches(_ line: [Position], _ geometry: [Geometry], approachKm: Double,
                        stops: [Position] = []) throws -> Bool {
        let context = GEOSContext()
        let candidates = try GEOSSTRtree(geometry, context: context)
        for piece in outsideApproach(line, approachKm: approachKm, stops: stops) {
            let g = Geometry.lineString(piece)
            guard let box = g.boundingBox else { continue }
            for index in candidates.query(box) where try context.intersects(g, geometry[index]) { return true }
        }
        return false
    }

    @Test func ishikariToKitakyushuGoesRoundByTheJapanSea() throws {
        let result = try Tool.run("wattbit-cable", ["run", "--from", "Ishikari", "--to", "Kitakyushu"], timeout: 120)
        #expect(result.exitCode == 0, "\(result.stderr)")
        let routes = Self.routes(try Self.features(result))
        let route = try #require(routes.first)
        // South of 41°N, the Pacific side of Honshu starts east of 141°E; the route stays west.
        let south = route.line.filter { $0.lat < 41 }
        #expect(!south.isEmpty)
        #expect(south.allSatisfy { $0.lon < 141 }, "crosses to the Pacific side")
        #expect(try !Self.touches(route.line, Self.land, approachKm: 20), "crosses land")
        #expect((route.feature[property: "detour_ratio"]?.doubleValue ?? 9) < 1.1)
        #expect(route.feature[property: "subsidy_rate"]?.doubleValue == 0.8)
    }

    @Test func japanSeaToThePacificPassesAStrait() throws {
        let result = try Tool.run("wattbit-cable", ["run", "--from", "Naoetsu", "--to", "international:north-america"], timeout: 120)
        #expect(result.exitCode == 0, "\(result.stderr)")
        let route = try #require(Self.routes(try Self.features(result)).first)
        let tsugaru = route.line.contains { $0.lon > 139.9 && $0.lon < 141.6 && $0.lat > 41.0 && $0.lat < 41.9 }
        let soya = route.line.contains { $0.lat > 45.0 && $0.lon > 141.5 && $0.lon < 142.5 }
        let southAround = route.line.contains { $0.lat < 34.5 && $0.lon < 131.5 }
        #expect(tsugaru || soya || southAround, "no strait on the way")
        #expect(try !Self.touches(route.line, Self.land, approachKm: 20), "crosses land")
    }

    @Test func setoInlandSeaToThePacificTakesTheBungoChannel() throws {
        // Out of Iyo-nada through the 14 km Hayasui strait (coast clearance 2 km each side).
        let result = try Tool.run("wattbit-cable", ["run", "--from", "Matsuyama", "--to", "Kochi"], timeout: 120)
        #expect(result.exitCode == 0, "\(result.stderr)")
        let route = try #require(Self.routes(try Self.features(result)).first)
        #expect(route.line.contains { $0.lon > 131.7 && $0.lon < 132.4 && $0.lat > 32.8 && $0.lat < 33.5 }, "not via Bungo")
        #expect(try !Self.touches(route.line, Self.land, approachKm: 20), "crosses land")
    }

    @Test func separatedRoutesStayApartAtSeaAndOutOfBosoAndShima() throws {
        let result = try Tool.run("wattbit-cable", ["run", "--from", "Kitaibaraki", "--to", "Kochi", "--routes", "3",
                                                    "--approach-km", "60"], timeout: 180)
        #expect(result.exitCode == 0, "\(result.stderr)")
        let routes = Self.routes(try Self.features(result))
        #expect(routes.count >= 2, "\(result.stderr)")
        let zones = [try Self.zone("boso"), try Self.zone("shima")]
        for route in routes {
            let rank = route.feature[property: "rank"]?.intValue ?? 0
            #expect(try !Self.touches(route.line, Self.land, approachKm: 60), "rank \(rank) crosses land")
            #expect(try !Self.touches(route.line, zones, approachKm: 0), "rank \(rank) enters Boso or Shima")
            let separation = route.feature[property: "min_separation_km"]?.doubleValue ?? 0
            #expect(separation >= 29.5, "rank \(rank): \(separation) km")
        }
    }

    @Test func badEndsFailWithOneClearLine() throws {
        let dir = try Tool.temporaryDirectory("wattbit-cable")
        // A ring of --avoid around Kitakyushu's sea: the landing is walled off.
        let wall = """
            {"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[
              [[129.9,33.3],[131.6,33.3],[131.6,34.8],[129.9,34.8],[129.9,33.3]],
              [[130.3,33.7],[130.3,34.3],[131.2,34.3],[131.2,33.7],[130.3,33.7]]]}}
            """
        let avoid = try Tool.writeFile(dir, "wall.geojson", wall)
        let cases: [(name: String, args: [String], code: Int32, says: [String])] = [
            ("walled off", ["--from", "Ishikari", "--to", "Kitakyushu", "--avoid", avoid], 65, ["no sea route", "enclosed", "--avoid areas"]),
            ("far inland", ["--from", "139.7,35.9", "--to", "Kitakyushu"], 65, ["on land", "km from the coast", "--snap-km"]),
            ("Boso landing", ["--from", "Chikura", "--to", "Kitakyushu"], 65, ["boso", "--allow-concentration-landing"]),
            ("unknown name", ["--from", "Atlantis", "--to", "Kitakyushu"], 64, ["Atlantis", "Ishikari"]),
            ("no ends", ["--routes", "2"], 64, ["--from"]),
            ("same ends", ["--from", "Ishikari", "--to", "ishikari"], 64, ["same place"]),
            ("outside the region", ["--from", "160,35", "--to", "Ishikari"], 65, ["outside the planning region"]),
        ]
        for c in cases {
            let result = try Tool.run("wattbit-cable", ["run"] + c.args + ["--progress", "none"], timeout: 120)
            #expect(result.exitCode == c.code, "\(c.name): \(result.exitCode) \(result.stderr)")
            #expect(result.stdout.isEmpty, "\(c.name): wrote output")
            #expect(result.stderrLines.count == 1, "\(c.name): \(result.stderr)")
            for text in c.says { #expect(result.stderr.contains(text), "\(c.name): \(result.stderr)") }
        }
    }

    @Test func anInlandEndWithinSnapKmIsSnappedToTheCoast() throws {
        let result = try Tool.run("wattbit-cable", ["run", "--from", "139.05,37.85", "--to", "Naoetsu", "--progress", "none"], timeout: 120)
        #expect(result.exitCode == 0, "\(result.stderr)")
        let landing = try #require(try Self.features(result).first { $0.role == "landing" })
        let snapped = landing[property: "snapped_km"]?.doubleValue ?? 0
        #expect(snapped > 5 && snapped <= 10, "snapped \(snapped) km")
        #expect(result.stderr.contains("snapped"))
    }

    @Test func viaChainAndOutputAreDeterministic() throws {
        let args = ["run", "--via", "Ishikari,Akita,Naoetsu,Tsuruga,Kitakyushu", "--progress", "none"]
        let first = try Tool.run("wattbit-cable", args, timeout: 120)
        let second = try Tool.run("wattbit-cable", args, timeout: 120)
        #expect(first.exitCode == 0, "\(first.stderr)")
        #expect(first.stdout == second.stdout, "same inputs, different bytes")
        let features = try Self.features(first)
        let route = try #require(Self.routes(features).first)
        #expect(route.feature[property: "via"]?.arrayValue?.count == 3)
        #expect(features.filter { $0.role == "landing" }.count == 5)
        let stops: [Position] = features.compactMap { f in
            guard f.role == "landing", case .point(let p)? = f.geometry else { return nil }
            return p
        }
        #expect(try !Self.touches(route.line, Self.land, approachKm: 20, stops: stops), "crosses land between stops")
    }
}
