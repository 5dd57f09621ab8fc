import Foundation
import GeoCore
import Testing

/// `wattbit cable --pairs` and `--matrix`: many routes over one surface, checked against
/// single runs, geodesic lower bounds (GeographicLib through GeoCore) and GEOS land tests.
@Suite("wattbit cable batch")
struct CableBatchTests {
    typealias C = CablePlannerTests

    static func lengths(_ features: [Feature]) -> [Int: Double] {
        var result: [Int: Double] = [:]
        for f in features where f.role == "route" {
            if let pair = f[property: "pair"]?.doubleValue, let km = f[property: "length_km"]?.doubleValue { result[Int(pair)] = km }
        }
        return result
    }

    @Test("--pairs: every pair as a single run would route it; a pair that cannot land is reported, not fatal")
    func pairsFileMatchesSingleRuns() throws {
        let dir = try Tool.temporaryDirectory("wattbit-cable-pairs")
        let csv = try Tool.writeFile(dir, "pairs.csv", """
            from,to
            Ishikari,Akita
            "139.05,37.85",Naoetsu
            Chikura,Kochi
            Tsuruga,Matsue

            """)
        let table = dir + "/table.csv"
        let result = try Tool.run("wattbit-cable", ["run", "--pairs", csv, "--matrix-csv", table, "--progress", "none"], timeout: 300)
        #expect(result.exitCode == 0, "\(result.stderr)")
        let features = try C.features(result)
        #expect(features.count == 4)
        #expect(features.map { $0[property: "pair"]?.doubleValue ?? 0 } == [1, 2, 3, 4])
        let refused = try #require(features.first { $0.role == "unrouted" })
        #expect(refused.geometry == nil)
        #expect(refused[property: "status"]?.stringValue == "landing-refused")
        #expect(refused[property: "error"]?.stringValue?.contains("boso") == true)
        #expect(result.stderr.contains("pair 3 Chikura → Kochi"))

        let single: [(String, String, Int)] = [("Ishikari", "Akita", 1), ("139.05,37.85", "Naoetsu", 2), ("Tsuruga", "Matsue", 4)]
        let lengths = Self.lengths(features)
        for (from, to, pair) in single {
            let one = try Tool.run("wattbit-cable", ["run", "--from", from, "--to", to, "--progress", "none"], timeout: 120)
            #expect(one.exitCode == 0, "\(one.stderr)")
            let route = try #require(C.routes(try C.features(one)).first)
            let km = try #require(route.feature[property: "length_km"]?.doubleValue)
            #expect(lengths[pair] == km, "pair \(pair): batch \(lengths[pair] ?? -1) km, single \(km) km")
        }
        for route in C.routes(features) {
            guard let a = route.line.first, let b = route.line.last,
                  let km = route.feature[property: "length_km"]?.doubleValue else { continue }
            #expect(km >= Geodesic.distanceKm(a, b) - 0.01, "shorter than the geodesic")
            #expect(try !C.touches(route.line, C.land, approachKm: 20), "pair crosses land")
        }
        // The table: one row per pair, same numbers as the features.
        let rows = try String(contentsOfFile: table, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(rows.first == "pair,from,to,length_km,cost,one_way_latency_ms,est_cost_usd,status,error")
        #expect(rows.count == 5)
        #expect(rows[2].hasPrefix("2,\"139.05,37.85\",Naoetsu,"))
        #expect(rows[3].contains(",landing-refused,"))
        if let km = lengths[1] { #expect(rows[1].hasPrefix("1,Ishikari,Akita,\(String(format: "%.2f", km)),")) }
    }

    @Test("--pairs as GeoJSON: LineStrings from first to last position")
    func pairsGeoJSON() throws {
        let dir = try Tool.temporaryDirectory("wattbit-cable-pairs")
        let file = try Tool.writeFile(dir, "pairs.geojson", """
            {"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[141.31739,43.22156],[140.0,41.0],[140.05069,39.76074]]}},
            {"type":"Feature","properties":{},"geometry":{"type":"MultiPoint","coordinates":[[136.03632,35.67407],[133.04966,35.56066]]}}]}
            """)
        let result = try Tool.run("wattbit-cable", ["run", "--pairs", file, "--progress", "none"], timeout: 300)
        #expect(result.exitCode == 0, "\(result.stderr)")
        let routes = C.routes(try C.features(result))
        #expect(routes.count == 2)
    }

    @Test("--matrix: every --from candidate against every --to candidate, in row-major order")
    func matrix() throws {
        let dir = try Tool.temporaryDirectory("wattbit-cable-matrix")
        let table = dir + "/m.csv"
        let result = try Tool.run("wattbit-cable", ["run", "--from", "Ishikari,Akita", "--to", "Tsuruga,Matsue,Hamada",
                                                    "--matrix", "--matrix-csv", table, "--format", "geojsonseq",
                                                    "--progress", "none"], timeout: 300)
        #expect(result.exitCode == 0, "\(result.stderr)")
        // GeoJSON lines: one RS-prefixed record per pair.
        #expect(result.stdout.filter { $0 == 0x1E }.count == 6)
        let features = try C.features(result)
        let cells = features.map { [Int($0[property: "from_index"]?.doubleValue ?? 0), Int($0[property: "to_index"]?.doubleValue ?? 0)] }
        #expect(cells == [[1, 1], [1, 2], [1, 3], [2, 1], [2, 2], [2, 3]])
        for f in features {
            #expect(f.role == "route")
            for key in ["length_km", "cost", "one_way_latency_ms"] { #expect(f[property: key]?.doubleValue != nil, "\(key)") }
        }
        // Latency is the fiber model's 4.9 µs/km of the route length.
        for f in features {
            if let km = f[property: "length_km"]?.doubleValue, let ms = f[property: "one_way_latency_ms"]?.doubleValue {
                #expect(abs(ms - km * 0.0049) < 0.01)
            }
        }
        let rows = try String(contentsOfFile: table, encoding: .utf8).split(separator: "\n")
        #expect(rows.count == 7)
    }

    @Test("bad pairs and flag combinations: one line, right exit status, no output")
    func badInput() throws {
        let dir = try Tool.temporaryDirectory("wattbit-cable-pairs-bad")
        let cases: [(name: String, file: String?, args: [String], code: Int32, says: [String])] = [
            ("no from/to columns", "a,b\nIshikari,Akita\n", [], 65, ["pairs.csv:1", "from,to"]),
            ("unknown station", "from,to\nIshikari,Atlantis\n", [], 65, ["pairs.csv:2", "Atlantis"]),
            ("short row", "from,to\nIshikari\n", [], 65, ["pairs.csv:2", "1 fields"]),
            ("unterminated quote", "from,to\n\"139.0,37.8,Naoetsu\n", [], 65, ["pairs.csv:2", "unterminated"]),
            ("header only", "from,to\n", [], 65, ["no pairs"]),
            ("bad coordinate", "from_lon,from_lat,to_lon,to_lat\n139,37.8,x,35\n", [], 65, ["pairs.csv:2", "to_lon"]),
            ("geojson polygon", "{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[139,35],[140,35],[140,36],[139,35]]]}}", [], 65, ["features[0]", "Polygon"]),
            ("pairs and from", "from,to\nIshikari,Akita\n", ["--from", "Ishikari"], 64, ["--pairs"]),
            ("pairs and routes", "from,to\nIshikari,Akita\n", ["--routes", "2"], 64, ["one route per pair"]),
            ("matrix without to", nil, ["--matrix", "--from", "Ishikari"], 64, ["--matrix needs --from and --to"]),
            ("matrix-csv alone", nil, ["--from", "Ishikari", "--to", "Akita", "--matrix-csv", dir + "/x.csv"], 64, ["--matrix-csv"]),
            ("missing file", nil, ["--pairs", dir + "/absent.csv"], 66, ["absent.csv"]),
        ]
        for c in cases {
            var args = ["run"] + c.args + ["--progress", "none"]
            if let file = c.file { args += ["--pairs", try Tool.writeFile(dir, "pairs.csv", file)] }
            let result = try Tool.run("wattbit-cable", args, timeout: 120)
            #expect(result.exitCode == c.code, "\(c.name): \(result.exitCode) \(result.stderr)")
            #expect(result.stdout.isEmpty, "\(c.name): wrote output")
            #expect(result.stderrLines.count == 1, "\(c.name): \(result.stderr)")
            for text in c.says { #expect(result.stderr.contains(text), "\(c.name): \(result.stderr)") }
        }
    }
}
