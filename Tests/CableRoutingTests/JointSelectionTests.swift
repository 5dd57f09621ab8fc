import Foundation
import GeoCore
import Testing
@testable import CableRouting

/// The joint choice of K separated routes: the 0–1 programme against brute-force enumeration
/// of the same candidate sets, and on a sea where greedy is known to lose.
@Suite struct JointSelectionTests {
    /// The least total cost of `count` pairwise compatible candidates, by enumeration
    /// (nil when none exist).
    static func bruteForce(costs: [Double], conflicts: [(Int, Int)], groups: [[Int]], count: Int) -> Double? {
        let n = costs.count
        var conflict = Array(repeating: Array(repeating: false, count: n), count: n)
        for (a, b) in conflicts { conflict[a][b] = true; conflict[b][a] = true }
        for group in groups {
            for a in group { for b in group where a != b { conflict[a][b] = true } }
        }
        var best: Double?
        func extend(_ next: Int, _ chosen: [Int], _ total: Double) {
            if chosen.count == count {
                if best == nil || total < best! { best = total }
                return
            }
            guard next < n, n - next >= count - chosen.count else { return }
            if chosen.allSatisfy({ !conflict[$0][next] }) { extend(next + 1, chosen + [next], total + costs[next]) }
            extend(next + 1, chosen, total)
        }
        extend(0, [], 0)
        return best
    }

    struct Instance: CustomStringConvertible {
        var seed: UInt64
        var candidates: Int
        var count: Int
        var conflictDensity: Double
        var groups: Int
        var description: String { "seed \(seed): \(candidates) candidates, K \(count), density \(conflictDensity), \(groups) groups" }
    }

    /// 90 random instances: 4–16 candidates, K 1–5, sparse to dense conflicts, with and
    /// without landing groups (infeasible ones included).
    static let instances: [Instance] = (0..<90).map { k in
        var rng = SplitMix64(seed: UInt64(k) &* 0x9e37_79b9 &+ 7)
        let n = Int.random(in: 4...16, using: &rng)
        return Instance(seed: UInt64(k), candidates: n, count: Int.random(in: 1...min(5, n), using: &rng),
                        conflictDensity: [0.0, 0.15, 0.35, 0.6, 0.85][k % 5], groups: k % 3 == 0 ? Int.random(in: 1...4, using: &rng) : 0)
    }

    @Test("the 0–1 selection equals brute-force enumeration", arguments: instances)
    func selectionMatchesEnumeration(_ instance: Instance) throws {
        var rng = SplitMix64(seed: instance.seed)
        // Costs like route costs: 1,000–3,000 km-equivalent, with near-ties.
        let costs = (0..<instance.candidates).map { _ in (1000 + Double(Int.random(in: 0...2000, using: &rng))) + 0.25 * Double(Int.random(in: 0...3, using: &rng)) }
        var conflicts: [(Int, Int)] = []
        for a in 0..<instance.candidates {
            for b in (a + 1)..<instance.candidates where Double.random(in: 0..<1, using: &rng) < instance.conflictDensity {
                conflicts.append((a, b))
            }
        }
        var groups: [[Int]] = Array(repeating: [], count: instance.groups)
        if instance.groups > 0 {
            for c in 0..<instance.candidates where Bool.random(using: &rng) { groups[Int.random(in: 0..<instance.groups, using: &rng)].append(c) }
        }
        let expected = Self.bruteForce(costs: costs, conflicts: conflicts, groups: groups, count: instance.count)
        let outcome = JointRouteSelection.select(costs: costs, conflicts: conflicts, exclusiveGroups: groups, count: instance.count,
                                                 limits: .init(timeSeconds: 60, relativeGap: 1e-9, absoluteGap: 1e-6))
        switch outcome {
        case .infeasible:
            #expect(expected == nil, "solver says infeasible, enumeration found \(expected ?? 0)")
        case .failed(let reason):
            Issue.record("solver failed: \(reason)")
        case .selected(let answer):
            let optimum = try #require(expected, "solver selected \(answer.chosen), enumeration found nothing")
            #expect(answer.optimal)
            #expect(abs(answer.objective - optimum) < 1e-6, "objective \(answer.objective), enumeration \(optimum)")
            #expect(abs(answer.bound - optimum) < 1e-6 && answer.gap == 0)
            // The answer itself is a valid selection.
            #expect(answer.chosen.count == instance.count)
            #expect(abs(answer.chosen.reduce(0) { $0 + costs[$1] } - answer.objective) < 1e-6)
            let chosen = Set(answer.chosen)
            for (a, b) in conflicts { #expect(!(chosen.contains(a) && chosen.contains(b)), "conflict \(a)–\(b) chosen") }
            for group in groups { #expect(group.filter(chosen.contains).count <= 1) }
        }
    }

    @Test func aStartSolutionIsKeptWhenTheLimitStopsTheSearch() {
        // Nodes limited to zero: the greedy start must come back (never worse than greedy).
        let costs: [Double] = [10, 11, 12, 30, 31]
        let outcome = JointRouteSelection.select(costs: costs, conflicts: [(0, 1)], count: 2, start: [3, 4],
                                                 limits: .init(timeSeconds: 10, maxNodes: 0))
        guard case .selected(let answer) = outcome else { Issue.record("no selection: \(outcome)"); return }
        #expect(answer.objective <= 61 + 1e-9)
        #expect(answer.bound <= 22 + 1e-6)
    }

    // MARK: On the sea

    /// A 50 km wide channel, 220 km long, between two walls with open sea beyond them. Two
    /// routes 30 km apart fit inside it only if neither takes its middle: greedy's first
    /// route does, so its second goes round a wall; the joint choice keeps both inside.
    static let walls: [Geometry] = [
        .polygon([SyntheticWorld.box(3.0, 0.225, 5.0, 2.0)]),
        .polygon([SyntheticWorld.box(3.0, -2.0, 5.0, -0.225)]),
    ]

    static func channelRequest(routes: Int = 2) -> RouteRequest {
        RouteRequest.testing(from: SyntheticWorld.end("W", Position(1.0, 0)), to: SyntheticWorld.end("E", Position(7.0, 0)),
                     routes: routes, minSeparationKm: 30, approachKm: 20)
    }

    @Test func jointBeatsGreedyThroughANarrowChannelAndMatchesEnumeration() throws {
        let surface = SyntheticWorld.surface(land: Self.walls, clearanceKm: 2)
        let router = CableRouter(surface: surface)
        let request = Self.channelRequest()
        let greedy = try router.plan(request)
        #expect(greedy.routes.count == 2)
        let (joint, pool) = router.jointSelection(request, greedy: greedy, options: JointOptions.testing(seeds: 2, concurrency: 2),
                                                  progress: nil)
        #expect(joint.method == .joint, "\(joint.fallbackReason ?? "")")
        #expect(joint.plan.routes.count == 2)
        #expect(joint.optimal == true)
        let greedyTotal = greedy.routes.reduce(0) { $0 + $1.cost }
        #expect(joint.cost < greedyTotal - 50, "joint \(joint.cost), greedy \(greedyTotal)")
        // Both joint routes pass through the channel (|lat| < 0.225 between the walls).
        for route in joint.plan.routes {
            let mid = Geodesic.densify(route.vertices, maxSegmentKm: 2).filter { $0.lon > 3.2 && $0.lon < 4.8 }
            #expect(!mid.isEmpty && mid.allSatisfy { abs($0.lat) < 0.225 }, "rank \(route.rank) leaves the channel")
            #expect(try !ConstraintTests.touchesLandOutsideApproach(route, land: Self.walls, approachKm: 0), "rank \(route.rank) crosses land")
            let separation = try #require(route.achievedSeparationKm)
            #expect(separation >= 30 - 0.5, "rank \(route.rank): \(separation) km")
        }
        // Brute force over the same candidate set reaches the same total.
        let candidates = try #require(pool)
        let optimum = try #require(Self.bruteForce(costs: candidates.routes.map(\.cost),
                                                   conflicts: candidates.conflicts(minSeparationKm: 30, approachKm: 20),
                                                   groups: [], count: 2))
        #expect(abs(optimum - joint.cost) < 1e-6, "enumeration \(optimum), joint \(joint.cost)")
        #expect(joint.improvement ?? 0 > 0.01)
    }

    @Test func distinctLandingsAreNeverSharedAndTheSelectionMatchesEnumeration() throws {
        // Three candidate landings each side of an island; two routes, distinct landings.
        let island: [Geometry] = [SyntheticWorld.disc(center: Position(4.0, 0.3), radiusKm: 70)]
        let surface = SyntheticWorld.surface(land: island, clearanceKm: 2)
        let router = CableRouter(surface: surface)
        let west = RouteEnd(label: "W", candidates: [Landing(name: "W1", position: Position(1.0, -0.6)),
                                                     Landing(name: "W2", position: Position(1.0, 0.3)),
                                                     Landing(name: "W3", position: Position(1.2, 1.2))])
        let east = RouteEnd(label: "E", candidates: [Landing(name: "E1", position: Position(7.0, -0.4)),
                                                     Landing(name: "E2", position: Position(7.0, 0.5)),
                                                     Landing(name: "E3", position: Position(6.8, 1.4))])
        let request = RouteRequest.testing(from: west, to: east, routes: 2, minSeparationKm: 30, approachKm: 20, distinctLandings: true)
        let greedy = try router.plan(request)
        #expect(greedy.routes.count == 2)
        let (joint, pool) = router.jointSelection(request, greedy: greedy, options: JointOptions.testing(seeds: 3, concurrency: 2),
                                                  progress: nil)
        #expect(joint.method == .joint, "\(joint.fallbackReason ?? "")")
        #expect(joint.plan.routes.count == 2)
        #expect(joint.cost <= greedy.routes.reduce(0) { $0 + $1.cost } + 1e-6)
        #expect(Set(joint.plan.routes.map(\.from.name)).count == 2 && Set(joint.plan.routes.map(\.to.name)).count == 2,
                "\(joint.plan.routes.map { "\($0.from.name)→\($0.to.name)" })")
        for route in joint.plan.routes {
            #expect(try !ConstraintTests.touchesLandOutsideApproach(route, land: island, approachKm: 0), "rank \(route.rank) crosses land")
        }
        let candidates = try #require(pool)
        var groups: [[Int]] = []
        for key in [\PlannedRoute.from.name, \PlannedRoute.to.name] {
            let names = Set(candidates.routes.map { $0[keyPath: key] })
            groups += names.sorted().map { name in candidates.routes.indices.filter { candidates.routes[$0][keyPath: key] == name } }
        }
        let optimum = try #require(Self.bruteForce(costs: candidates.routes.map(\.cost),
                                                   conflicts: candidates.conflicts(minSeparationKm: 30, approachKm: 20),
                                                   groups: groups, count: 2))
        #expect(abs(optimum - joint.cost) < 1e-6, "enumeration \(optimum), joint \(joint.cost)")
    }

    @Test func oneRouteOrAViaChainKeepsGreedy() throws {
        let surface = SyntheticWorld.surface(land: Self.walls, clearanceKm: 2)
        let router = CableRouter(surface: surface)
        let request = Self.channelRequest(routes: 1)
        let greedy = try router.plan(request)
        let joint = router.planJoint(request, greedy: greedy, options: .testing())
        #expect(joint.method == .greedy)
        #expect(joint.plan.routes.map(\.cost) == greedy.routes.map(\.cost))
    }

    @Test func aCandidateSetOverTheLimitKeepsGreedyAndSaysSo() throws {
        let surface = SyntheticWorld.surface(land: Self.walls, clearanceKm: 2)
        let router = CableRouter(surface: surface)
        let request = Self.channelRequest()
        let greedy = try router.plan(request)
        let joint = router.planJoint(request, greedy: greedy, options: JointOptions.testing(seeds: 2, maxCandidates: 2))
        #expect(joint.method == .greedy)
        #expect(joint.fallbackReason?.contains("exceed the limit of 2") == true, "\(joint.fallbackReason ?? "nil")")
        #expect(joint.plan.routes.map(\.cost) == greedy.routes.map(\.cost))
    }
}
