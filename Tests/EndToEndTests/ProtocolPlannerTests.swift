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
        BadInputCase(label: "missing required input", planner: "landing-diversity",
                     arguments: ["--match-km", "5"], exitCode: 64, message: ["missing required input --stations"]),
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
                     message: ["sites.geojson: features[0]: missing required property \"zone\""]),
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

@Suite("planner answers and protocol behaviour")
struct ProtocolPlannerFactsTests {
    func features(_ result: ToolResult) throws -> [[String: Any]] {
        let json = try #require(try result.json() as? [String: Any])
        #expect(json["type"] as? String == "FeatureCollection")
        return try #require(json["features"] as? [[String: Any]])
    }

    func properties(_ feature: [String: Any]) -> [String: Any] { feature["properties"] as? [String: Any] ?? [:] }

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

    @Test("landing-diversity: HHI 6250 before, 4062.5 after three planned landings from stdin")
    func landingDiversityFacts() throws {
        let routes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: PlannerFixtures.file("planned-routes.geojson"))))
        let result = try Tool.run("wattbit", ["landing-diversity", "--stations", ProtocolPlannerTests.stations, "--planned", "-"],
                                  stdin: routes, environment: PlannerFixtures.environment)
        #expect(result.exitCode == 0, "\(result.stderr)")
        let all = try features(result)
        let summary = try #require(all.first { properties($0)["role"] as? String == "diversity-summary" }.map(properties))
        #expect(summary["hhi_before"] as? Double == 6250)
        #expect(summary["hhi_after"] as? Double == 4062.5)
        #expect(summary["cables_after"] as? Int == 8)
        let zones = Dictionary(uniqueKeysWithValues: all.filter { properties($0)["role"] as? String == "zone-share" }
            .map { (properties($0)["zone"] as? String ?? "", properties($0)) })
        #expect(zones["boso"]?["share_before"] as? Double == 0.75)
        #expect(zones["boso"]?["share_after"] as? Double == 0.375)
        #expect(zones["other"]?["cables_after"] as? Int == 4)
        let planned = all.filter { properties($0)["role"] as? String == "planned-landing" }.map(properties)
        #expect(planned.count == 3, "the route feature is ignored")
        #expect(planned.first { $0["name"] as? String == "near K" }?["zone_from"] as? String == "nearest station")
        #expect(planned.first { $0["name"] as? String == "far away" }?["zone_from"] as? String == "unmatched")
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
