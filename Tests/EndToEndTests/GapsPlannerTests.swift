import Foundation
import GeoCore
import Testing

/// wattbit-gaps from the outside: what a GIS user would check with jq and a spreadsheet.
@Suite("wattbit gaps")
struct GapsPlannerTests {
    static var geodata: String { Tool.packageRoot.appendingPathComponent("geodata").path }

    static func features(_ result: ToolResult) throws -> [Feature] {
        try GeoJSONReader.read(bytes: result.stdout, source: "<stdout>").features
    }

    /// A small network (one cable along 139.0°E) and a CSV of cells at known distances.
    static func fixture() throws -> (dir: String, network: String) {
        let dir = try Tool.temporaryDirectory("wattbit-gaps")
        let network = try Tool.writeFile(dir, "network.geojson", """
            {"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"trunk"},\
            "geometry":{"type":"LineString","coordinates":[[139.0,35.0],[139.0,36.0]]}}]}
            """)
        return (dir, network)
    }

    @Test("demo data with defaults: ranked gaps, summary adds up, output is byte-identical on re-run")
    func demo() throws {
        let dir = try Tool.temporaryDirectory("wattbit-gaps-demo")
        let summary = dir + "/summary.csv"
        let args = ["run", "--network", Self.geodata + "/demo-network.geojson",
                    "--demand", Self.geodata + "/demo-population.csv", "--summary", summary,
                    "--island-routing", "straight-line"]
        let first = try Tool.run("wattbit-gaps", args, timeout: 300)
        #expect(first.exitCode == 0, "\(first.stderr)")
        let gaps = try Self.features(first).filter { $0.role == "gap" }
        #expect(gaps.count > 100)
        let costs = gaps.compactMap { $0[property: "cost_per_person_jpy"]?.doubleValue }
        #expect(costs == costs.sorted())
        for gap in gaps.prefix(200) {
            #expect((gap[property: "nearest_network_km"]?.doubleValue ?? 0) >= 2 - 1e-3)
            #expect(gap[property: "prefecture"]?.stringValue != nil)
        }
        #expect(gaps.contains { $0[property: "island"]?.boolValue == true })
        // Summary: national row = sum of prefecture rows; gap population = uncovered population.
        let rows = try String(contentsOfFile: summary, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(rows.first?.first == "level")
        let national = try #require(rows.first { $0.first == "national" })
        let uncovered = Double(national[4]) ?? -1
        let prefectureTotal = rows.filter { $0.first == "prefecture" }.reduce(0.0) { $0 + (Double($1[2]) ?? 0) }
        #expect(abs(prefectureTotal - (Double(national[2]) ?? 0)) < 0.5)
        let gapPopulation = gaps.reduce(0.0) { $0 + ($1[property: "population"]?.doubleValue ?? 0) }
        #expect(abs(gapPopulation - uncovered) < 0.5)
        let second = try Tool.run("wattbit-gaps", args, timeout: 300)
        #expect(second.stdout == first.stdout)
    }

    struct BadCase: Sendable, CustomStringConvertible {
        let name: String
        let csv: String
        let extraArguments: [String]
        let exitCode: Int32
        let message: String
        var description: String { name }
    }

    static let badCases: [BadCase] = [
        BadCase(name: "unknown mesh code", csv: "KEY_CODE,population\n53394547,10\n12345678,3\n", extraArguments: [],
                exitCode: 65, message: "demand.csv:3: unknown mesh code '12345678'"),
        BadCase(name: "duplicate", csv: "KEY_CODE,population\n53394547,10\n53394547,3\n", extraArguments: [],
                exitCode: 65, message: "demand.csv:3: duplicate mesh code 53394547"),
        BadCase(name: "non-numeric population", csv: "KEY_CODE,population\n53394547,many\n", extraArguments: [],
                exitCode: 65, message: "demand.csv:2: population 'many' is not a non-negative number"),
        BadCase(name: "no KEY_CODE", csv: "code,population\n53394547,10\n", extraArguments: [],
                exitCode: 65, message: "demand.csv:1: header has no KEY_CODE column"),
        BadCase(name: "plan without budget", csv: "KEY_CODE,population\n53394547,10\n", extraArguments: ["--plan"],
                exitCode: 64, message: "--plan needs --budget-jpy"),
        BadCase(name: "negative reach", csv: "KEY_CODE,population\n53394547,10\n", extraArguments: ["--reach-km", "-1"],
                exitCode: 64, message: "--reach-km"),
    ]

    @Test("bad input: one line saying what and where, the documented exit code, nothing on stdout", arguments: badCases)
    func bad(_ bad: BadCase) throws {
        let (dir, network) = try Self.fixture()
        let demand = try Tool.writeFile(dir, "demand.csv", bad.csv)
        let result = try Tool.run("wattbit-gaps", ["run", "--network", network, "--demand", demand] + bad.extraArguments, timeout: 60)
        #expect(result.exitCode == bad.exitCode, "\(result.stderr)")
        #expect(result.stderr.contains(bad.message), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test("CR-only and CRLF line ends (old spreadsheet exports) read the same rows as LF")
    func lineEnds() throws {
        let (dir, network) = try Self.fixture()
        let rows = ["KEY_CODE,population,households", "53394547,10,4", "53394548,20,8", "53394549,5,2"]
        var outputs: [[UInt8]] = []
        for (name, end) in [("lf", "\n"), ("cr", "\r"), ("crlf", "\r\n")] {
            let demand = try Tool.writeFile(dir, "demand-\(name).csv", rows.joined(separator: end) + end)
            let result = try Tool.run("wattbit-gaps", ["run", "--network", network, "--demand", demand,
                                                       "--island-routing", "straight-line"], timeout: 60)
            #expect(result.exitCode == 0, "\(name): \(result.stderr)")
            #expect(result.stderr.contains("over 3 units"), "\(name): \(result.stderr)")
            outputs.append(result.stdout)
        }
        #expect(outputs[1] == outputs[0] && outputs[2] == outputs[0], "line ends change the answer")
    }

    @Test("missing demand file: exit 66 naming it")
    func missing() throws {
        let (_, network) = try Self.fixture()
        let result = try Tool.run("wattbit-gaps", ["run", "--network", network, "--demand", "/nonexistent/mesh.csv"], timeout: 60)
        #expect(result.exitCode == 66)
        #expect(result.stderr.contains("/nonexistent/mesh.csv"))
    }

    @Test("--plan: extensions within budget, from the network to the chosen gaps; network from stdin")
    func plan() throws {
        let (dir, network) = try Self.fixture()
        // Three isolated cells 5, 10 and 20 km east of the cable (1 km mesh at 35.5°N).
        var csv = "KEY_CODE,population,households\n"
        for (km, people) in [(5.0, 300), (10.0, 200), (20.0, 100)] {
            let lon = 139.0 + km / 90.8
            let row = Int((35.5 * 120).rounded(.down)), col = Int(((lon - 100) * 80).rounded(.down))
            csv += String(format: "%02d%02d%d%d%d%d", row / 80, col / 80, (row % 80) / 10, (col % 80) / 10, row % 10, col % 10)
            csv += ",\(people),\(people / 2)\n"
        }
        let demand = try Tool.writeFile(dir, "demand.csv", csv)
        let stdin = try [UInt8](Data(contentsOf: URL(fileURLWithPath: network)))
        let result = try Tool.run("wattbit-gaps", ["run", "--network", "-", "--demand", demand, "--budget-jpy", "90000000",
                                                   "--plan", "--cost-per-km-jpy", "5000000"], stdin: stdin, timeout: 60)
        #expect(result.exitCode == 0, "\(result.stderr)")
        let features = try Self.features(result)
        let gaps = features.filter { $0.role == "gap" }
        let extensions = features.filter { $0.role == "extension" }
        #expect(gaps.count == 3)
        // The 5 km and 10 km gaps fit; the 20 km one does not, even behind the 10 km one
        // (5 + 5 + 10 km ≈ 100 M > 90 M). The 10 km gap shares the 5 km gap's extension:
        // 5 km on from it (≈ 25 M) instead of its own 10 km (≈ 50 M).
        #expect(extensions.count == 2)
        let total = extensions.compactMap { $0[property: "closing_cost_jpy"]?.doubleValue }.reduce(0, +)
        #expect(total <= 60_000_000, "shared: ≈ 50 M, not the 75 M of two own extensions")
        var ends: [String: Position] = [:]
        for e in extensions {
            guard case .lineString(let line)? = e.geometry, let start = line.first, let end = line.last,
                  let gap = e[property: "gap"]?.stringValue else { Issue.record("not a line"); continue }
            ends[gap] = end
            #expect(e[property: "optimal"]?.boolValue == true)
            #expect(e[property: "plan_rule"]?.stringValue == "exact")
            let from = e[property: "connects_from"]?.stringValue
            if from == "network" {
                #expect(abs(start.x - 139.0) < 1e-6)     // starts on the cable
            } else if let from, let origin = ends[from] {
                #expect(start == origin, "starts where the gap it connects from was reached")
            } else {
                Issue.record("\(gap) connects from \(from ?? "nothing"), not built before it")
            }
        }
        #expect(extensions.filter { $0[property: "connects_from"]?.stringValue != "network" }.count == 1)

        // Greedy over independent costs: both from the cable, 75 M.
        let greedy = try Tool.run("wattbit-gaps", ["run", "--network", network, "--demand", demand, "--budget-jpy", "90000000",
                                                   "--plan", "--plan-method", "greedy", "--cost-per-km-jpy", "5000000"], timeout: 60)
        #expect(greedy.exitCode == 0, "\(greedy.stderr)")
        let greedyExtensions = try Self.features(greedy).filter { $0.role == "extension" }
        #expect(greedyExtensions.count == 2)
        #expect(greedyExtensions.allSatisfy { $0[property: "connects_from"]?.stringValue == "network" })
        let greedyTotal = greedyExtensions.compactMap { $0[property: "closing_cost_jpy"]?.doubleValue }.reduce(0, +)
        #expect(greedyTotal > 70_000_000 && greedyTotal <= 90_000_000)
    }
    /// A trap: a `wattbit-cable` that records being run. Island routing happens in process,
    /// so it must never be spawned.
    static let cableTrap = """
        #!/bin/sh
        touch "$(dirname "$0")/cable-was-run"
        exit 70
        """

    @Test("islands: routed over sea in process (no wattbit-cable process), clear of land outside the approaches")
    func islandRouting() throws {
        let dir = try Tool.temporaryDirectory("wattbit-gaps-islands")
        try Tool.writeFile(dir, "wattbit-cable", Self.cableTrap, executable: true)
        // Network: an access node in Niigata (Honshu). Demand: a cell on Sado (no network)
        // and one on Honshu beyond reach.
        let network = try Tool.writeFile(dir, "network.geojson", """
            {"type":"FeatureCollection","features":[{"type":"Feature","properties":{},\
            "geometry":{"type":"Point","coordinates":[139.05,37.92]}}]}
            """)
        func code(_ lon: Double, _ lat: Double) -> String {
            let row = Int((lat * 120).rounded(.down)), col = Int(((lon - 100) * 80).rounded(.down))
            return String(format: "%02d%02d%d%d%d%d", row / 80, col / 80, (row % 80) / 10, (col % 80) / 10, row % 10, col % 10)
        }
        let demand = try Tool.writeFile(dir, "demand.csv",
            "KEY_CODE,population\n\(code(138.40, 38.05)),500\n\(code(139.30, 37.80)),200\n")
        let env = ["WATTBIT_GEODATA": Self.geodata, "WATTBIT_PLUGIN_PATH": dir, "PATH": "\(dir):/usr/bin:/bin"]
        let routed = try Tool.run("wattbit-gaps", ["run", "--network", network, "--demand", demand, "--plan",
                                                   "--budget-jpy", "1e12", "--progress", "none"],
                                  environment: env, timeout: 300)
        #expect(routed.exitCode == 0, "\(routed.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/cable-was-run"), "wattbit-cable was spawned")
        let features = try Self.features(routed)
        let sado = try #require(features.first { $0.role == "gap" && $0[property: "island"]?.boolValue == true })
        let honshu = try #require(features.first { $0.role == "gap" && $0[property: "island"]?.boolValue == false })
        #expect(sado[property: "extension_method"]?.stringValue == "cable-router")
        #expect(honshu[property: "extension_method"]?.stringValue == "straight-line")
        let straightKm = try #require(sado[property: "nearest_network_km"]?.doubleValue)
        let routedKm = try #require(sado[property: "extension_km"]?.doubleValue)
        #expect(routedKm >= straightKm - 0.01)
        // The routed link, checked by GEOS: clear of land outside 22 km of its ends (the
        // 20 km approach plus the snap from the network node to the coast).
        let link = try #require(features.first { $0.role == "extension" && $0[property: "island"]?.boolValue == true })
        guard case .lineString(let line)? = link.geometry else { Issue.record("extension is not a line"); return }
        #expect(abs((link[property: "extension_km"]?.doubleValue ?? 0) - routedKm) < 0.01)
        #expect(try !CablePlannerTests.touches(line, CablePlannerTests.land, approachKm: 22), "island link crosses land")

        let straight = try Tool.run("wattbit-gaps", ["run", "--network", network, "--demand", demand,
                                                     "--island-routing", "straight-line", "--progress", "none"],
                                    environment: env, timeout: 120)
        #expect(straight.exitCode == 0, "\(straight.stderr)")
        let kept = try #require(try Self.features(straight).first { $0[property: "island"]?.boolValue == true })
        #expect(kept[property: "extension_method"]?.stringValue == "straight-line")
    }
}
