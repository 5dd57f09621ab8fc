import Foundation
import GeoCore
import Testing

/// `wattbit cable --select joint` (the default for K ≥ 2) against `--select greedy` on real
/// cases over the embedded geodata: never more total cost, the solver's figures consistent
/// with the routes themselves, and every route checked against the land by GEOS.
@Suite("wattbit cable --select")
struct CableJointTests {
    struct Case: CustomStringConvertible, Sendable {
        var name: String
        var arguments: [String]
        var routes: Int
        var approachKm: Double
        var description: String { name }
    }

    // A new case is a new row.
    static let cases: [Case] = [
        Case(name: "Kagoshima → Southeast Asia ×3", arguments: ["--from", "Kagoshima", "--to", "international:southeast-asia", "--routes", "3", "--approach-km", "40"],
             routes: 3, approachKm: 40),
        Case(name: "Sendai → Tomakomai ×2", arguments: ["--from", "Sendai", "--to", "Tomakomai", "--routes", "2", "--approach-km", "40"],
             routes: 2, approachKm: 40),
    ]

    static func number(_ f: Feature, _ key: String) -> Double? { f[property: key]?.doubleValue }

    @Test("joint total ≤ greedy total, figures consistent, no land crossed (GEOS)", arguments: cases)
    func jointIsNeverWorseThanGreedy(_ c: Case) throws {
        let greedyRun = try Tool.run("wattbit-cable", ["run"] + c.arguments + ["--select", "greedy"], timeout: 300)
        #expect(greedyRun.exitCode == 0, "\(greedyRun.stderr)")
        let jointRun = try Tool.run("wattbit-cable", ["run"] + c.arguments, timeout: 600)
        #expect(jointRun.exitCode == 0, "\(jointRun.stderr)")
        let greedy = CablePlannerTests.routes(try CablePlannerTests.features(greedyRun))
        let joint = CablePlannerTests.routes(try CablePlannerTests.features(jointRun))
        #expect(greedy.count == c.routes && joint.count == c.routes)
        let greedyTotal = greedy.reduce(0) { $0 + (Self.number($1.feature, "cost") ?? .nan) }
        let jointTotal = joint.reduce(0) { $0 + (Self.number($1.feature, "cost") ?? .nan) }
        #expect(jointTotal <= greedyTotal + 0.01 * Double(c.routes), "joint \(jointTotal), greedy \(greedyTotal)")
        for route in joint {
            let f = route.feature
            let rank = f[property: "rank"]?.intValue ?? 0
            #expect(f[property: "selection"]?.stringValue == "joint", "rank \(rank): \(f[property: "selection_note"]?.stringValue ?? "")")
            // The objective is the routes' own total; the greedy total is what --select greedy gives.
            let objective = try #require(Self.number(f, "objective"))
            #expect(abs(objective - jointTotal) <= 0.01 * Double(c.routes) + 0.01)
            #expect(abs((Self.number(f, "greedy_total_cost") ?? .nan) - greedyTotal) <= 0.01 * Double(c.routes) + 0.01)
            let bound = try #require(Self.number(f, "bound"))
            let gap = try #require(Self.number(f, "gap"))
            #expect(bound <= objective + 1e-6 && gap >= 0)
            if f[property: "optimal"] == .bool(true) { #expect(gap == 0 && abs(bound - objective) < 0.011) }
            let improvement = try #require(Self.number(f, "improvement_over_greedy"))
            #expect(abs(improvement - (greedyTotal - jointTotal) / greedyTotal) < 1e-4)
            #expect((Self.number(f, "min_separation_km") ?? 0) >= 29.5, "rank \(rank)")
            #expect(try !CablePlannerTests.touches(route.line, CablePlannerTests.land, approachKm: c.approachKm),
                    "rank \(rank) crosses land")
        }
        #expect(jointRun.stderr.contains("joint selection"), "\(jointRun.stderr)")
    }

    @Test func badSelectValuesAreUsageErrors() throws {
        for (arguments, words) in [(["--select", "best"], ["--select"]), (["--candidates", "-1"], ["--candidates"]),
                                   (["--select-time-limit", "0"], ["--select-time-limit"])] {
            let result = try Tool.run("wattbit-cable", ["run", "--from", "Ishikari", "--to", "Kitakyushu", "--routes", "2"] + arguments,
                                      timeout: 60)
            #expect(result.exitCode == 64, "\(arguments): \(result.exitCode) \(result.stderr)")
            for word in words { #expect(result.stderr.contains(word), "\(arguments): \(result.stderr)") }
        }
    }
}
