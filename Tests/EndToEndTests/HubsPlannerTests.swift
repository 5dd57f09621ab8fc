import Foundation
import GeoCore
import Testing

/// wattbit-hubs checked from its output alone: what a GIS user would verify with jq.
@Suite("wattbit hubs")
struct HubsPlannerTests {
    static var geodata: String { Tool.packageRoot.appendingPathComponent("geodata").path }

    /// Parses stdout into features.
    static func features(_ result: ToolResult) throws -> [Feature] {
        try GeoJSONReader.read(bytes: result.stdout, source: "<stdout>").features
    }

    static func prop(_ f: Feature, _ key: String) -> JSONValue? { f[property: key] }

    static func writeTemp(_ name: String, _ text: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wattbit-hubs-tests-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// Checks every promise of the output: floor, latency, disjointness, metro exclusion,
    /// coverage of the unassigned, ranks. Returns the hub features.
    @discardableResult
    static func checkOutput(_ features: [Feature], minHubMW: Double, maxRttMs: Double, routeFactor: Double,
                            metro: [[[Position]]]?, allowMetroMembers: Bool) -> [Feature] {
        let hubs = features.filter { $0.role == "hub" }
        let members = features.filter { $0.role == "hub-member" }
        let unassigned = features.filter { $0.role == "unassigned" }
        var centres: [String: Position] = [:]
        for hub in hubs {
            guard case .point(let c)? = hub.geometry, let id = prop(hub, "hub_id")?.stringValue else {
                Issue.record("hub without Point geometry or hub_id"); continue
            }
            centres[id] = c
            #expect(prop(hub, "name")?.stringValue?.isEmpty == false, "hub centres carry a name for wattbit cable")
            #expect((prop(hub, "total_mw")?.doubleValue ?? 0) >= minHubMW, "\(id) below the floor")
            if let metro { #expect(!contains(metro, c), "\(id) centred in a metro area") }
        }
        var sums: [String: Double] = [:]
        var seen = Set<Int>()
        var maxRtt: [String: Double] = [:]
        for m in members {
            guard case .point(let p)? = m.geometry, let id = prop(m, "hub_id")?.stringValue, let c = centres[id],
                  let index = prop(m, "site_index")?.intValue else {
                Issue.record("member without hub, point or site_index"); continue
            }
            #expect(!seen.contains(index), "site \(index) in two hubs")
            seen.insert(index)
            sums[id, default: 0] += prop(m, "capacity_mw")?.doubleValue ?? 0
            let rtt = 2 * Geodesic.distanceKm(c, p) * routeFactor * 4.9 / 1000
            maxRtt[id] = max(maxRtt[id] ?? 0, rtt)
            // Coordinates are written at 1e-7 degrees (≈ 1 cm): allow that much.
            #expect(rtt <= maxRttMs + 1e-6, "member \(index) of \(id) at RTT \(rtt) ms")
            if let metro, contains(metro, p) { #expect(allowMetroMembers, "metro site \(index) joined \(id)") }
        }
        for hub in hubs {
            guard let id = prop(hub, "hub_id")?.stringValue else { continue }
            #expect((sums[id] ?? 0) >= minHubMW, "\(id): members sum to \(sums[id] ?? 0) MW")
            #expect(abs((sums[id] ?? 0) - (prop(hub, "total_mw")?.doubleValue ?? -1)) < 0.01)
            #expect(abs((maxRtt[id] ?? 0) - (prop(hub, "max_rtt_ms")?.doubleValue ?? -1)) < 1e-3)
        }
        for u in unassigned {
            guard case .point(let p)? = u.geometry, let index = prop(u, "site_index")?.intValue else { continue }
            #expect(!seen.contains(index))
            let reason = prop(u, "reason")?.stringValue
            #expect(["metro-area", "beyond-latency", "short-of-floor"].contains(reason ?? ""))
            if reason != "metro-area" {
                for (id, c) in centres {
                    let rtt = 2 * Geodesic.distanceKm(c, p) * routeFactor * 4.9 / 1000
                    #expect(rtt > maxRttMs - 1e-6, "unassigned site \(index) is within reach of \(id)")
                }
            }
        }
        // Ranks 1…n in order of score_total, and score_total is the weighted mean of the scores.
        let ranks = hubs.compactMap { prop($0, "rank")?.intValue }
        #expect(ranks == Array(1...max(1, hubs.count)).prefix(hubs.count).map { $0 })
        for hub in hubs {
            guard case .object(let w)? = prop(hub, "weights") else { continue }
            var sum = 0.0, weighted = 0.0
            for key in ["power", "headroom", "cables", "latency", "hazard", "subsidy"] {
                let wk = w[key]?.doubleValue ?? 0
                sum += wk
                weighted += wk * (prop(hub, "score_" + key)?.doubleValue ?? 0)
            }
            #expect(abs(weighted / sum - (prop(hub, "score_total")?.doubleValue ?? -1)) <= 0.00005 + 1e-12)
        }
        let totals = hubs.compactMap { prop($0, "score_total")?.doubleValue }
        #expect(totals == totals.sorted(by: >))
        return hubs
    }

    static func contains(_ polygons: [[[Position]]], _ p: Position) -> Bool {
        var inside = false
        for polygon in polygons {
            for ring in polygon {
                var j = ring.count - 1
                for i in 0..<ring.count {
                    let a = ring[i], b = ring[j]
                    if (a.y > p.y) != (b.y > p.y), p.x < a.x + (p.y - a.y) / (b.y - a.y) * (b.x - a.x) { inside.toggle() }
                    j = i
                }
            }
        }
        return inside
    }

    static func metroPolygons() throws -> [[[Position]]] {
        let zones = try GeoJSONReader.read(path: geodata + "/zones.geojson").features
        var polygons: [[[Position]]] = []
        for z in zones where z[property: "kind"]?.stringValue == "metro-area" {
            switch z.geometry {
            case .polygon(let rings)?: polygons.append(rings)
            case .multiPolygon(let ps)?: polygons += ps
            default: break
            }
        }
        return polygons
    }

    @Test("embedded DC sites with defaults: valid hubs, metro excluded, deterministic")
    func embeddedDefaults() throws {
        let args = ["run", "--sites", Self.geodata + "/dc-sites.geojson"]
        let first = try Tool.run("wattbit-hubs", args, timeout: 120)
        #expect(first.exitCode == 0, "\(first.stderr)")
        let features = try Self.features(first)
        let hubs = Self.checkOutput(features, minHubMW: 1000, maxRttMs: 1.0, routeFactor: 1.5,
                                    metro: try Self.metroPolygons(), allowMetroMembers: false)
        #expect(hubs.count >= 1)
        #expect(features.filter { $0.role == "hub-area" }.count == hubs.count)
        let second = try Tool.run("wattbit-hubs", args, timeout: 120)
        #expect(second.stdout == first.stdout, "same input, byte-identical output")
    }

    @Test("looser budget and metro members allowed still keep every promise")
    func looserBudget() throws {
        let result = try Tool.run("wattbit-hubs", ["run", "--sites", Self.geodata + "/dc-sites.geojson",
                                                   "--max-rtt-ms", "2", "--min-hub-mw", "600", "--allow-metro-members"], timeout: 120)
        #expect(result.exitCode == 0, "\(result.stderr)")
        let hubs = Self.checkOutput(try Self.features(result), minHubMW: 600, maxRttMs: 2, routeFactor: 1.5,
                                    metro: try Self.metroPolygons(), allowMetroMembers: true)
        #expect(hubs.count >= 2)
    }

    struct BadInput: Sendable, CustomTestStringConvertible {
        var name: String
        var text: String
        var exitCode: Int32
        var fragments: [String]
        var flag = "--sites"
        var testDescription: String { name }
    }

    static let badInputs: [BadInput] = [
        BadInput(name: "missing capacity_mw",
                 text: #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"A","capacity_mw":500},"geometry":{"type":"Point","coordinates":[141.3,43.2]}},{"type":"Feature","properties":{"name":"B"},"geometry":{"type":"Point","coordinates":[141.4,43.1]}}]}"#,
                 exitCode: 65, fragments: ["features[1]", "capacity_mw"]),
        BadInput(name: "negative capacity_mw",
                 text: #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"Minus","capacity_mw":-5},"geometry":{"type":"Point","coordinates":[141.3,43.2]}}]}"#,
                 exitCode: 65, fragments: ["features[0]", "Minus", "capacity_mw", "-5"]),
        BadInput(name: "capacity_mw as text",
                 text: #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"T","capacity_mw":"lots"},"geometry":{"type":"Point","coordinates":[141.3,43.2]}}]}"#,
                 exitCode: 65, fragments: ["features[0]", "capacity_mw", "lots"]),
        BadInput(name: "polygon site",
                 text: #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"capacity_mw":5},"geometry":{"type":"Polygon","coordinates":[[[141,43],[141.1,43],[141.1,43.1],[141,43]]]}}]}"#,
                 exitCode: 65, fragments: ["features[0]", "Polygon", "Point"]),
        BadInput(name: "negative power_available_mw",
                 text: #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"P","capacity_mw":5,"power_available_mw":-1},"geometry":{"type":"Point","coordinates":[141.3,43.2]}}]}"#,
                 exitCode: 65, fragments: ["features[0]", "power_available_mw"]),
        BadInput(name: "empty collection",
                 text: #"{"type":"FeatureCollection","features":[]}"#,
                 exitCode: 65, fragments: ["no sites"]),
        BadInput(name: "empty file", text: "", exitCode: 65, fragments: ["sites"]),
        // Found by tools/fuzz: power plants with a bad capacity were skipped or clamped to 0.
        BadInput(name: "power plant capacity_mw as text",
                 text: #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"Tomari","capacity_mw":"big"},"geometry":{"type":"Point","coordinates":[140.5,43.0]}}]}"#,
                 exitCode: 65, fragments: ["features[0] (Tomari)", "capacity_mw must be a number ≥ 0", "\"big\""], flag: "--power-plants"),
        BadInput(name: "negative power plant capacity_mw",
                 text: #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"capacity_mw":-1},"geometry":{"type":"Point","coordinates":[140.5,43.0]}}]}"#,
                 exitCode: 65, fragments: ["features[0]", "capacity_mw must be a number ≥ 0, got -1"], flag: "--power-plants"),
        BadInput(name: "power plant decarbonised as text",
                 text: #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"capacity_mw":10,"decarbonised":"yes"},"geometry":{"type":"Point","coordinates":[140.5,43.0]}}]}"#,
                 exitCode: 65, fragments: ["features[0]", "decarbonised must be true or false"], flag: "--power-plants"),
    ]

    @Test("bad sites give exit 65, one line naming the feature, no output", arguments: badInputs)
    func badInput(_ bad: BadInput) throws {
        let path = try Self.writeTemp(bad.name.replacingOccurrences(of: " ", with: "-") + ".geojson", bad.text)
        let arguments = bad.flag == "--sites" ? ["--sites", path] : ["--sites", Self.geodata + "/dc-sites.geojson", bad.flag, path]
        let result = try Tool.run("wattbit-hubs", ["run"] + arguments, timeout: 60)
        #expect(result.exitCode == bad.exitCode, "\(bad.name): exit \(result.exitCode), stderr \(result.stderr)")
        #expect(result.stdout.isEmpty, "no half output")
        for fragment in bad.fragments { #expect(result.stderr.contains(fragment), "\(bad.name): stderr lacks \(fragment): \(result.stderr)") }
        #expect(!result.stderr.contains("Fatal error"))
    }

    @Test("hub centres feed wattbit cable: a route leaves from one of the hubs")
    func pipelineIntoCable() throws {
        let hubs = try Tool.run("wattbit-hubs", ["run", "--sites", Self.geodata + "/dc-sites.geojson"], timeout: 120)
        #expect(hubs.exitCode == 0)
        let names = Set(try Self.features(hubs).filter { $0.role == "hub" }.compactMap { $0[property: "name_en"]?.stringValue })
        let cable = try Tool.run("wattbit-cable", ["run", "--from", "-", "--to", "international:north-america"],
                                 stdin: hubs.stdout, timeout: 300)
        #expect(cable.exitCode == 0, "\(cable.stderr)")
        let routes = try Self.features(cable).filter { $0.role == "route" }
        #expect(!routes.isEmpty)
        for route in routes {
            #expect(names.contains(route[property: "from"]?.stringValue ?? ""), "route starts at a hub centre")
        }
    }

    @Test("missing sites file gives 66")
    func missingFile() throws {
        let result = try Tool.run("wattbit-hubs", ["run", "--sites", "/nonexistent/sites.geojson"], timeout: 60)
        #expect(result.exitCode == 66)
    }

    @Test("a fixed centre inside the Tokyo area is refused while --exclude-metro is on")
    func fixedInMetro() throws {
        let fixed = try Self.writeTemp("fixed-tokyo.geojson",
            #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"Otemachi"},"geometry":{"type":"Point","coordinates":[139.765,35.687]}}]}"#)
        let result = try Tool.run("wattbit-hubs", ["run", "--sites", Self.geodata + "/dc-sites.geojson", "--fixed-hubs", fixed], timeout: 60)
        #expect(result.exitCode == 65)
        #expect(result.stderr.contains("Otemachi"))
    }
}
