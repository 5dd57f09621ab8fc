import Foundation
import Testing

// Planners given bad command lines and bad input, through `wattbit` and directly, in Swift
// (wattbit-latency on PlannerKit) and in Python (wattbit-landing-diversity): the same
// documented status, one line naming what and where, and no output file left behind.
// Then the facts their answers must get right.

enum PlannerFixtures {
    static let data = Tool.packageRoot.appendingPathComponent("Tests/EndToEndTests/Fixtures/data").path
    static func file(_ name: String) -> String { data + "/" + name }
    static let landingDiversity = Tool.packageRoot.appendingPathComponent("Plugins/landing-diversity/wattbit-landing-diversity").path
    /// One landing station at Chikura as a FeatureCollection, with the given properties text.
    static func station(properties: String) -> String {
        #"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[139.95,34.95]},"properties":{"# + properties + "}}]}"
    }
    static var environment: [String: String] {
        ["WATTBIT_PLUGIN_PATH": Tool.packageRoot.appendingPathComponent("Plugins/landing-diversity").path,
         "PATH": "/usr/bin:/bin"]
    }
}

struct BadInputCase: Sendable, CustomTestStringConvertible {
    var label: String
    var planner: String
    var arguments: [String]
    var stdin: String? = nil
    var exitCode: Int32
    var message: [String]
    var testDescription: String { "\(planner): \(label) → \(exitCode)" }
}

/// How a planner is invoked: through the host or directly.
enum Invocation: String, Sendable, CaseIterable {
    case host, direct
}

@Suite("planners given bad flags and bad input")
struct ProtocolPlannerTests {
    static let sites = PlannerFixtures.file("sites.geojson")
    static let centres = PlannerFixtures.file("centres.geojson")
    static let stations = PlannerFixtures.file("stations.geojson")

    static let cases: [BadInputCase] = [
        // wattbit-latency (Swift, PlannerKit)
        BadInputCase(label: "unknown parameter", planner: "latency",
                     arguments: ["--sites", sites, "--centres", centres, "--max-rtt-m", "2"], exitCode: 64,
                     message: ["unknown parameter --max-rtt-m", "did you mean --max-rtt-ms?"]),
        BadInputCase(label: "out of range", planner: "latency",
                     arguments: ["--sites", sites, "--centres", centres, "--max-rtt-ms", "0"], exitCode: 64,
                     message: ["--max-rtt-ms 0 is out of range", "between 0.001 and 1000 ms"]),
        BadInputCase(label: "not a number", planner: "latency",
                     arguments: ["--sites", sites, "--centres", centres, "--route-factor", "fast"], exitCode: 64,
                     message: ["--route-factor fast: expected a number"]),
        BadInputCase(label: "bad enum", planner: "latency",
                     arguments: ["--sites", sites, "--centres", centres, "--require", "most"], exitCode: 64,
                     message: ["--require 'most' is not one of: all, any"]),
        BadInputCase(label: "missing value", planner: "latency",
                     arguments: ["--sites", sites, "--centres", centres, "--max-rtt-ms"], exitCode: 64,
                     message: ["--max-rtt-ms needs a value"]),
        BadInputCase(label: "missing required input", planner: "latency",
                     arguments: ["--centres", centres], exitCode: 64,
                     message: ["missing required input --sites FILE", "Point"]),
        BadInputCase(label: "stray positional argument", planner: "latency",
                     arguments: [sites, "--centres", centres], exitCode: 64, message: ["unexpected argument"]),
        BadInputCase(label: "nonexistent input file", planner: "latency",
                     arguments: ["--sites", "/nonexistent/sites.geojson", "--centres", centres], exitCode: 66,
                     message: ["--sites /nonexistent/sites.geojson: no such file"]),
        BadInputCase(label: "empty stdin", planner: "latency",
                     arguments: ["--sites", "-", "--centres", centres], stdin: "", exitCode: 65,
                     message: ["<stdin>", "empty", "--sites"]),
        BadInputCase(label: "JSON syntax error", planner: "latency",
                     arguments: ["--sites", PlannerFixtures.file("broken-json.geojson"), "--centres", centres], exitCode: 65,
                     message: ["broken-json.geojson:3:", "--sites"]),
        BadInputCase(label: "wrong geometry type", planner: "latency",
                     arguments: ["--sites", PlannerFixtures.file("line.geojson"), "--centres", centres], exitCode: 65,
                     message: ["line.geojson: features[0]: geometry is LineString", "--sites expects Point"]),
        BadInputCase(label: "two inputs on stdin", planner: "latency",
                     arguments: ["--sites", "-", "--centres", "-"], stdin: "", exitCode: 64,
                     message: ["only one input can read stdin"]),
        BadInputCase(label: "output directory missing", planner: "latency",
                     arguments: ["--sites", sites, "--centres", centres, "-o", "/nonexistent/out.geojson"], exitCode: 73,
                     message: ["cannot write /nonexistent/out.geojson", "does not exist"]),

        // wattbit-landing-diversity (Python, standard library only)
        BadInputCase(label: "unknown parameter", planner: "landing-diversity",
                     arguments: ["--stations", stations, "--match-kms", "5"], exitCode: 64,
                     message: ["unknown parameter --match-kms", "did you mean --match-km?"]),
        BadInputCase(label: "out of range", planner: "landing-diversity",
                     arguments: ["--stations", stations, "--match-km", "-1"], exitCode: 64,
                     message: ["--match-km -1 is out of range", "between 0 and 1000 km"]),
        BadInputCase(label: "nonexistent input file", planner: "landing-diversity",
                     arguments: ["--stations", "/nonexistent/stations.geojson"], exitCode: 66,
                     message: ["--stations /nonexistent/stations.geojson: no such file"]),
        BadInputCase(label: "empty stdin", planner: "landing-diversity",
                     arguments: ["--stations", "-"], stdin: "", exitCode: 65, message: ["<stdin>", "empty"]),
        BadInputCase(label: "JSON syntax error", planner: "landing-diversity",
                     arguments: ["--stations", PlannerFixtures.file("broken-json.geojson")], exitCode: 65,
                     message: ["broken-json.geojson:3:"]),
        BadInputCase(label: "missing required property", planner: "landing-diversity",
                     arguments: ["--stations", sites], exitCode: 65,
                     message: ["sites.geojson: features[0]: missing required property \"cables\""]),
        // issue 15: what GeoCore's reader rejects, the plugin rejects too, with a located line.
        BadInputCase(label: "feature without coordinates", planner: "landing-diversity",
                     arguments: ["--stations", "-"], stdin: #"{"type":"Feature","geometry":{"type":"Polygon"},"properties":{"cables":1}}"#,
                     exitCode: 65, message: ["<stdin>:1:30: geometry: Polygon has no \"coordinates\" member"]),
        BadInputCase(label: "unpaired surrogate escape", planner: "landing-diversity",
                     arguments: ["--stations", "-"], stdin: PlannerFixtures.station(properties: #""cables":1,"name":"\ud83d""#),
                     exitCode: 65, message: ["<stdin>:1:", "properties.name: unpaired surrogate \\uD83D in a string"]),
        BadInputCase(label: "NaN", planner: "landing-diversity",
                     arguments: ["--stations", "-"], stdin: PlannerFixtures.station(properties: #""cables":NaN"#),
                     exitCode: 65, message: ["<stdin>:1:", "properties.cables: NaN is not a valid JSON number"]),
        BadInputCase(label: "1e400", planner: "landing-diversity",
                     arguments: ["--stations", "-"], stdin: PlannerFixtures.station(properties: #""cables":1e400"#),
                     exitCode: 65, message: ["<stdin>:1:", "properties.cables: number 1e400 is too large for a double"]),
        BadInputCase(label: "duplicate key", planner: "landing-diversity",
                     arguments: ["--stations", "-"], stdin: PlannerFixtures.station(properties: #""cables":1,"cables":2"#),
                     exitCode: 65, message: ["<stdin>:1:", "properties.cables: duplicate member \"cables\""]),
        BadInputCase(label: "EPSG:3857 crs", planner: "landing-diversity",
                     arguments: ["--planned", "-"],
                     stdin: #"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:3857"}},"features":[]}"#,
                     exitCode: 65, message: ["<stdin>:1:", "crs \"EPSG:3857\" is not WGS84/JGD2011 longitude/latitude", "--planned"]),
        BadInputCase(label: "deep nesting", planner: "landing-diversity",
                     arguments: ["--planned", "-"],
                     stdin: #"{"type":"FeatureCollection","features":["# + String(repeating: "[", count: 100_000) + "]}",
                     exitCode: 65, message: ["<stdin>:1:", "nesting deeper than 256 levels"]),
        BadInputCase(label: "cable count beyond any integer", planner: "landing-diversity",
                     arguments: ["--stations", "-"], stdin: PlannerFixtures.station(properties: #""cables":123456789012345678901234567890"#),
                     exitCode: 65, message: ["features[0]", "\"cables\" must be a list of cable names or a whole number"]),
        BadInputCase(label: "empty planned routes on stdin", planner: "landing-diversity",
                     arguments: ["--stations", stations, "--planned", "-"], stdin: "  \n", exitCode: 65,
                     message: ["<stdin>", "empty"]),
    ]

    static let matrix: [(BadInputCase, Invocation)] = cases.flatMap { c in Invocation.allCases.map { (c, $0) } }

    @Test(arguments: matrix)
    func badInputGivesDocumentedStatus(_ testCase: BadInputCase, _ invocation: Invocation) throws {
        let work = try Tool.temporaryDirectory("wattbit-work")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let writesFile = !testCase.arguments.contains("-o")
        // -o first: a case may end in a flag that lacks its value.
        let arguments = (writesFile ? ["-o", work + "/out.geojson"] : []) + testCase.arguments
        let stdin = testCase.stdin.map { Array($0.utf8) }
        let result: ToolResult
        switch invocation {
        case .host:
            result = try Tool.run("wattbit", [testCase.planner] + arguments, stdin: stdin,
                                  environment: PlannerFixtures.environment)
        case .direct where testCase.planner == "latency":
            result = try Tool.run("wattbit-latency", ["run"] + arguments, stdin: stdin, environment: PlannerFixtures.environment)
        case .direct:
            result = try Tool.runExecutable(at: PlannerFixtures.landingDiversity, ["run"] + arguments, stdin: stdin,
                                            environment: PlannerFixtures.environment)
        }
        #expect(result.exitCode == testCase.exitCode, "stderr: \(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderrLines.count == 1, "one line, got: \(result.stderr)")
        #expect(result.stderr.hasPrefix("wattbit-\(testCase.planner): error: "), "\(result.stderr)")
        for fragment in testCase.message {
            #expect(result.stderr.contains(fragment), "missing \"\(fragment)\" in: \(result.stderr)")
        }
        #expect(Tool.listDirectory(work).isEmpty, "left behind: \(Tool.listDirectory(work))")
    }
}

/// Every bad GeoJSON fixture of GeoCore's reader (`Tests/GeoCoreTests/Fixtures/bad`) given to
/// the Python plugin: exit 65, nothing on stdout, one line naming the same file and line as
/// the Swift reader's expected message.
@Suite("landing-diversity rejects what GeoCore rejects")
struct LandingDiversityBadFixtureTests {
    static let directory = Tool.packageRoot.appendingPathComponent("Tests/GeoCoreTests/Fixtures/bad").path
    static let fixtures: [String] = Tool.listDirectory(directory).filter { $0.hasSuffix(".expected") }.sorted()

    @Test(arguments: fixtures)
    func rejects(_ expectedName: String) throws {
        let stem = String(expectedName.dropLast(".expected".count))
        let input = try #require(Tool.listDirectory(Self.directory).first {
            $0.hasPrefix(stem + ".") && !$0.hasSuffix(".expected")
        })
        let expected = try String(contentsOfFile: Self.directory + "/" + expectedName, encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        // "name.geojson:3:61: …" → "name.geojson:3:"; "name.geojson: empty …" → "name.geojson:"
        let parts = expected.split(separator: ":", omittingEmptySubsequences: false)
        let located = parts.count > 2 && Int(parts[1]) != nil ? "\(parts[0]):\(parts[1]):" : "\(parts[0]):"
        let result = try Tool.runExecutable(at: PlannerFixtures.landingDiversity, ["run", "--stations", input],
                                            environment: PlannerFixtures.environment, workingDirectory: Self.directory)
        #expect(result.exitCode == 65, "\(input): \(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderrLines.count == 1, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("wattbit-landing-diversity: error: " + located),
                "expected like \(expected), got \(result.stderr)")
    }
}

@Suite("planner answers and protocol behaviour")
struct ProtocolPlannerFactsTests {
    func features(_ result: ToolResult) throws -> [[String: Any]] {
        let json = try #require(try result.json() as? [String: Any])
        #expect(json["type"] as? String == "FeatureCollection")
        return try #require(json["features"] as? [[String: Any]])
    }

    func properties(_ feature: [String: Any]) -> [String: Any] { feature["properties"] as? [String: Any] ?? [:] }

    /// Planner.run learns the output path from its context, whichever way -o was spelt and
    /// whether the host or the planner writes the file.
    @Test("map: -o / --output / --output= ending in .svg write SVG, directly and through the host",
          arguments: [["-o", "map.svg"], ["--output", "map.svg"], ["--output=map.svg"]])
    func mapOutputFormat(_ output: [String]) throws {
        let dir = try Tool.temporaryDirectory("wattbit-map-output")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let layer = dir + "/layer.geojson"
        let svg = dir + "/map.svg"
        try #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"role":"hub"},"geometry":{"type":"Point","coordinates":[139.7,35.7]}}]}"#
            .write(toFile: layer, atomically: true, encoding: .utf8)
        for (tool, prefix) in [("wattbit-map", ["run"]), ("wattbit", ["map"])] {
            let arguments = prefix + ["--layer", layer, "--progress", "none"]
                + output.map { $0.replacingOccurrences(of: "map.svg", with: svg) }
            let result = try Tool.run(tool, arguments, environment: PlannerFixtures.environment)
            #expect(result.exitCode == 0, "\(tool): \(result.stderr)")
            let written = try String(contentsOfFile: svg, encoding: .utf8)
            #expect(written.hasPrefix("<svg") || written.hasPrefix("<?xml"), "\(tool) \(output): \(written.prefix(60))")
            #expect(!written.lowercased().contains("<html"), "\(tool) \(output)")
            try FileManager.default.removeItem(atPath: svg)
        }
    }

    @Test("latency: Inzai–Otemachi 37.9 km is 0.557 ms round trip; Ishikari misses a 1 ms budget")
    func latencyFacts() throws {
        let result = try Tool.run("wattbit", ["latency", "--sites", ProtocolPlannerTests.sites,
                                              "--centres", ProtocolPlannerTests.centres, "--require", "any", "--progress", "none"],
                                  environment: PlannerFixtures.environment)
        #expect(result.exitCode == 0, "\(result.stderr)")
        let all = try features(result)
        let sites = all.filter { properties($0)["role"] as? String == "site" }
        #expect(sites.count == 3)
        let byName = Dictionary(uniqueKeysWithValues: sites.map { (properties($0)["name"] as? String ?? "", properties($0)) })
        // Karney geodesic 37.911 km × 1.5 route factor × 2 × 4.9 µs/km = 0.5573 ms.
        let inzaiRtt = try #require(byName["Inzai"]?["min_rtt_ms"] as? Double)
        #expect(abs(inzaiRtt - 0.5573) < 0.0005)
        #expect(byName["Inzai"]?["meets_budget"] as? Bool == true)
        #expect(byName["Inzai"]?["nearest_centre"] as? String == "Otemachi")
        #expect(byName["Ishikari"]?["meets_budget"] as? Bool == false)
        #expect((byName["Ishikari"]?["min_rtt_ms"] as? Double ?? 0) > 10, "Hokkaido to Tokyo is > 800 km")
        #expect(byName["Keihanna"]?["nearest_centre"] as? String == "Dojima")
        // Links are output only for pairs within the budget, and each says so.
        let links = all.filter { properties($0)["role"] as? String == "latency-link" }
        #expect(!links.isEmpty)
        for link in links {
            #expect(properties(link)["within_budget"] as? Bool == true)
            #expect((properties(link)["rtt_ms"] as? Double ?? 99) <= 1.0)
        }
        // "all": Inzai cannot reach Dojima (~400 km) within 1 ms, so nobody meets it.
        let strict = try Tool.run("wattbit", ["latency", "--sites", ProtocolPlannerTests.sites,
                                              "--centres", ProtocolPlannerTests.centres], environment: PlannerFixtures.environment)
        let strictSites = try features(strict).filter { properties($0)["role"] as? String == "site" }
        #expect(strictSites.allSatisfy { properties($0)["meets_budget"] as? Bool == false })
    }

    @Test("latency output is byte-identical from run to run, through the host or not, to -o or stdout")
    func deterministicAndAtomic() throws {
        let work = try Tool.temporaryDirectory("wattbit-work")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let arguments = ["--sites", ProtocolPlannerTests.sites, "--centres", ProtocolPlannerTests.centres, "--links", "all"]
        let viaHost = try Tool.run("wattbit", ["latency"] + arguments, environment: PlannerFixtures.environment)
        let direct = try Tool.run("wattbit-latency", ["run"] + arguments)
        let toFile = try Tool.run("wattbit", ["latency"] + arguments + ["-o", work + "/out.geojson"],
                                  environment: PlannerFixtures.environment)
        #expect(viaHost.exitCode == 0 && direct.exitCode == 0 && toFile.exitCode == 0)
        #expect(viaHost.stdout == direct.stdout)
        #expect(toFile.stdout.isEmpty)
        let written = try [UInt8](Data(contentsOf: URL(fileURLWithPath: work + "/out.geojson")))
        #expect(written == viaHost.stdout)
        #expect(Tool.listDirectory(work) == ["out.geojson"], "no temporary files remain")
    }

    @Test("--format geojsonseq writes RFC 8142 records; --progress json writes JSON lines on stderr only")
    func sequenceAndProgress() throws {
        let result = try Tool.run("wattbit", ["latency", "--sites", ProtocolPlannerTests.sites, "--centres",
                                              ProtocolPlannerTests.centres, "--format", "geojsonseq", "--progress", "json", "--stream"],
                                  environment: PlannerFixtures.environment)
        #expect(result.exitCode == 0, "\(result.stderr)")
        let records = result.stdout.split(separator: 0x1E)
        #expect(result.stdout.first == 0x1E)
        #expect(records.count == 3 + 2 + 2, "3 sites, 2 centres, 2 links within 1 ms (Inzai–Otemachi, Keihanna–Dojima)")
        for record in records {
            #expect(record.last == 0x0A)
            #expect((try? JSONSerialization.jsonObject(with: Data(record))) != nil)
        }
        for line in result.stderrLines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
            #expect(object["progress"] != nil || object["summary"] != nil || object["warning"] != nil)
        }
        #expect(result.stderrLines.contains { $0.contains("\"progress\":1") })
    }

    @Test("landing-diversity: HHI over prefectures 6250 before, 2500 after three planned landings in new prefectures")
    func landingDiversityFacts() throws {
        let routes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: PlannerFixtures.file("planned-routes.geojson"))))
        let result = try Tool.run("wattbit", ["landing-diversity", "--stations", ProtocolPlannerTests.stations, "--planned", "-"],
                                  stdin: routes, environment: PlannerFixtures.environment)
        #expect(result.exitCode == 0, "\(result.stderr)")
        let all = try features(result)
        let summary = try #require(all.first { properties($0)["role"] as? String == "diversity-summary" }.map(properties))
        // Before: Chiba 3 cables, Mie 1 → (75² + 25²) = 6250. After: Chiba 3, Hokkaido 2, Mie 1,
        // Fukuoka 1, Okinawa 1 of 8 → (3² + 2² + 1 + 1 + 1) / 8² × 10⁴ = 2500.
        #expect(summary["hhi_before"] as? Double == 6250)
        #expect(summary["hhi_after"] as? Double == 2500)
        #expect(summary["cables_after"] as? Int == 8)
        #expect(summary["regions_after"] as? Int == 5)
        #expect(summary["boso_shima_share_before"] as? Double == 1)
        #expect(summary["boso_shima_share_after"] as? Double == 0.5)
        let regions = Dictionary(uniqueKeysWithValues: all.filter { properties($0)["role"] as? String == "region-share" }
            .map { (properties($0)["region"] as? String ?? "", properties($0)) })
        #expect(regions["Chiba"]?["share_before"] as? Double == 0.75)
        #expect(regions["Chiba"]?["share_after"] as? Double == 0.375)
        #expect(regions["Hokkaido"]?["cables_after"] as? Int == 2)
        let planned = all.filter { properties($0)["role"] as? String == "planned-landing" }.map(properties)
        #expect(planned.count == 3, "the route feature is ignored")
        #expect(planned.first { $0["name"] as? String == "near K" }?["region"] as? String == "Fukuoka")
        #expect(planned.first { $0["name"] as? String == "far away" }?["region"] as? String == "Okinawa")
        #expect(planned.allSatisfy { $0["new_region"] as? Bool == true })
        // Several collections concatenated on stdin (`cat routes-*.geojson |`) all count.
        let twice = try Tool.run("wattbit", ["landing-diversity", "--stations", ProtocolPlannerTests.stations, "--planned", "-"],
                                 stdin: routes + routes, environment: PlannerFixtures.environment)
        let twiceSummary = try features(twice).first { properties($0)["role"] as? String == "diversity-summary" }.map(properties)
        #expect(twiceSummary?["planned_landings"] as? Int == 6)
        #expect(twiceSummary?["cables_after"] as? Int == 12)
        // Same answer without the host.
        let direct = try Tool.runExecutable(at: PlannerFixtures.landingDiversity,
                                            ["run", "--stations", ProtocolPlannerTests.stations, "--planned", "-"], stdin: routes)
        #expect(direct.stdout == result.stdout)
    }

    @Test("landing-diversity defaults to the embedded landing stations: 26 cables in 7 prefectures, HHI 2633.1")
    func landingDiversityEmbedded() throws {
        let result = try Tool.run("wattbit", ["landing-diversity"], environment: PlannerFixtures.environment)
        #expect(result.exitCode == 0, "\(result.stderr)")
        let summary = try #require(try features(result).first { properties($0)["role"] as? String == "diversity-summary" }.map(properties))
        // geodata/landing-stations.geojson: Chiba 11, Ibaraki 5, Mie 5, Fukuoka 2, Hokkaido,
        // Niigata, Okinawa 1 each → (121 + 25 + 25 + 4 + 1 + 1 + 1) / 26² × 10⁴ = 2633.1.
        #expect(summary["cables_before"] as? Int == 26)
        #expect(summary["regions_before"] as? Int == 7)
        #expect(summary["hhi_before"] as? Double == 2633.1)
        #expect(summary["boso_shima_cables_before"] as? Int == 16)
    }

    @Test("landing-diversity: dispersal property (random cases) and hostile input, in Python's own tests")
    func landingDiversityPythonTests() throws {
        let script = Tool.packageRoot.appendingPathComponent("Plugins/landing-diversity/test_landing_diversity.py").path
        let result = try Tool.runExecutable(at: "/usr/bin/env", ["python3", "-B", script], timeout: 300)
        #expect(result.exitCode == 0, "\(result.stderr)")
    }

    @Test("--help is rendered from the manifest, through the host and directly")
    func helpFromManifest() throws {
        for (name, result) in [("latency", try Tool.run("wattbit", ["latency", "--help"], environment: PlannerFixtures.environment)),
                               ("latency", try Tool.run("wattbit-latency", ["--help"])),
                               ("landing-diversity", try Tool.run("wattbit", ["landing-diversity", "--help"], environment: PlannerFixtures.environment))] {
            #expect(result.exitCode == 0)
            let describe = try Tool.run("wattbit", ["describe", name, "--json"], environment: PlannerFixtures.environment)
            let manifest = try #require(try describe.json() as? [String: Any])
            for parameter in manifest["parameters"] as? [[String: Any]] ?? [] {
                // Booleans show as --[no-]NAME.
                let flag = (parameter["name"] as? String ?? "").replacingOccurrences(of: "_", with: "-")
                #expect(result.stdoutText.contains("--" + flag) || result.stdoutText.contains("--[no-]" + flag),
                        "\(name) help lacks --\(flag)")
            }
        }
    }

    @Test("a planner refuses a host that offers no protocol version it speaks")
    func versionNegotiation() throws {
        let swift = try Tool.run("wattbit-latency", ["describe"], environment: ["WATTBIT_PROTOCOL_VERSIONS": "2,3"])
        let python = try Tool.runExecutable(at: PlannerFixtures.landingDiversity, ["describe"],
                                            environment: ["WATTBIT_PROTOCOL_VERSIONS": "2"])
        for result in [swift, python] {
            #expect(result.exitCode == 69)
            #expect(result.stdout.isEmpty)
            #expect(result.stderr.contains("wattbit-planner/2") && result.stderr.contains("wattbit-planner/1"), "\(result.stderr)")
        }
        let ok = try Tool.run("wattbit-latency", ["describe"], environment: ["WATTBIT_PROTOCOL_VERSIONS": "1,2"])
        #expect(ok.exitCode == 0)
    }

    @Test("Ctrl-C during a planner's run: exit 130, no output file")
    func plannerInterrupt() throws {
        // Enough sites × centres that the run is still going when SIGINT arrives.
        let work = try Tool.temporaryDirectory("wattbit-work")
        defer { try? FileManager.default.removeItem(atPath: work) }
        var features: [String] = []
        for i in 0..<3000 {
            let lon = 129.0 + Double(i % 100) * 0.1, lat = 31.0 + Double(i / 100) * 0.3
            features.append("{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"Point\",\"coordinates\":[\(lon),\(lat)]}}")
        }
        let big = try Tool.writeFile(work, "many.geojson", "{\"type\":\"FeatureCollection\",\"features\":[\(features.joined(separator: ","))]}")
        let result = try Tool.run("wattbit-latency", ["run", "--sites", big, "--centres", big, "--links", "all", "-o", work + "/out.geojson"],
                                  timeout: 120, interruptAfter: 1.0)
        #expect(result.exitCode == 130, "\(result.stderr)")
        #expect(Tool.listDirectory(work) == ["many.geojson"], "left behind: \(Tool.listDirectory(work))")
    }
}
