import Testing
@testable import FiberCoverage

/// The exact shared-extension plan against brute force.
///
/// The oracle knows nothing of the integer programme: it enumerates every set of gaps and
/// prices the set by Prim's minimum spanning tree over the gaps plus a "network" node (edge
/// network–g costs g's own extension, edge h–g the link between them), plus every gap's
/// distribution. Link costs are symmetric, so a spanning tree oriented away from the network
/// is exactly a way of connecting every gap in the set, and the cheapest connection of a set
/// is its minimum spanning tree.
@Suite("Shared-extension plan against brute force")
struct SharedExtensionPlanTests {
    struct Instance: CustomStringConvertible {
        var name: String
        var gaps: [SharedExtensionPlan.Gap]
        /// Planar positions in km (links are straight lines between them).
        var points: [(x: Double, y: Double)]
        var budgetJPY: Double
        var description: String { name }

        func linkJPY(_ h: Int, _ g: Int) -> Double {
            let dx = points[h].x - points[g].x, dy = points[h].y - points[g].y
            return (dx * dx + dy * dy).squareRoot() * Instance.costPerKm
        }

        /// Every link shorter than the target's own extension (the planner offers no other).
        var links: [SharedExtensionPlan.Link] {
            var out: [SharedExtensionPlan.Link] = []
            for h in gaps.indices { for g in gaps.indices where h != g && linkJPY(h, g) < gaps[g].extensionJPY {
                out.append(SharedExtensionPlan.Link(from: h, to: g, costJPY: linkJPY(h, g)))
            } }
            return out
        }

        static let costPerKm = 5e6

        /// Gaps in a 40 km square, some strung out one behind the other (a valley, a
        /// coast), own extensions 2–30 km, distribution 0–4 km, budget 15–70 % of the total.
        static func random(seed: UInt64) -> Instance {
            var state = seed &* 0x9E3779B97F4A7C15 | 1
            func unit() -> Double {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return Double(state >> 11) / Double(1 << 53)
            }
            let n = 4 + Int(unit() * 7)
            var points: [(x: Double, y: Double)] = []
            var gaps: [SharedExtensionPlan.Gap] = []
            for k in 0..<n {
                // Half of the instances put the gaps along a line away from the network.
                let along = seed % 2 == 0
                let p = along ? (x: 3 + Double(k) * (2 + 4 * unit()), y: 10 * unit()) : (x: 40 * unit(), y: 40 * unit())
                points.append(p)
                let own = along ? max(2, p.x * (1 + 0.3 * unit())) : 2 + 28 * unit()
                gaps.append(SharedExtensionPlan.Gap(population: (10 + 990 * unit()).rounded(),
                                                    extensionJPY: own * costPerKm,
                                                    distributionJPY: (4 * unit()).rounded() * costPerKm))
            }
            let total = gaps.reduce(0) { $0 + $1.extensionJPY + $1.distributionJPY }
            return Instance(name: "seed\(seed)-n\(n)", gaps: gaps, points: points,
                            budgetJPY: ((0.15 + 0.55 * unit()) * total / 1e6).rounded() * 1e6)
        }

        /// Cheapest way to connect exactly `set`: Prim's tree over the set and the network.
        func connectionJPY(_ set: [Int]) -> Double {
            var best = set.map { gaps[$0].extensionJPY }   // to the tree (network so far)
            var inTree = Array(repeating: false, count: set.count)
            var total = 0.0
            for _ in set.indices {
                var pick = -1
                for k in set.indices where !inTree[k] && (pick < 0 || best[k] < best[pick]) { pick = k }
                inTree[pick] = true
                total += best[pick]
                for k in set.indices where !inTree[k] { best[k] = min(best[k], linkJPY(set[pick], set[k])) }
            }
            return total + set.reduce(0) { $0 + gaps[$1].distributionJPY }
        }

        /// Most population within budget, then least cost.
        func optimum() -> (population: Double, costJPY: Double) {
            var best = (population: 0.0, costJPY: 0.0)
            for mask in 1..<(1 << gaps.count) {
                let set = gaps.indices.filter { mask & (1 << $0) != 0 }
                let population = set.reduce(0) { $0 + gaps[$1].population }
                if population < best.population { continue }
                let cost = connectionJPY(set)
                guard cost <= budgetJPY * (1 + 1e-12) else { continue }
                if population > best.population || cost < best.costJPY { best = (population, cost) }
            }
            return best
        }
    }

    static let table = (1...120).map { Instance.random(seed: UInt64($0)) }

    /// The plan's own structure, priced from scratch: parents chosen and built first, no
    /// cycles, cost = Σ (own extension or link) + distribution.
    static func priced(_ plan: SharedExtensionPlan.Plan, _ instance: Instance) -> Double? {
        var built = Set<Int>()
        var cost = 0.0
        for g in plan.chosen {
            if let h = plan.parent[g] {
                guard built.contains(h) else { return nil }
                cost += instance.linkJPY(h, g)
            } else {
                cost += instance.gaps[g].extensionJPY
            }
            cost += instance.gaps[g].distributionJPY
            built.insert(g)
        }
        return built.count == plan.chosen.count ? cost : nil
    }

    @Test("covers the optimal population at the optimal cost, proven, on 120 instances; never below greedy")
    func againstBruteForce() throws {
        var sharingHelps = 0
        for instance in Self.table {
            let plan = SharedExtensionPlan.plan(instance.gaps, links: instance.links, budgetJPY: instance.budgetJPY,
                                                timeSeconds: 30)
            let oracle = instance.optimum()
            let greedy = SharedExtensionPlan.plan(instance.gaps, links: instance.links, budgetJPY: instance.budgetJPY,
                                                  timeSeconds: 30, useSolver: false)
            let cost = try #require(Self.priced(plan, instance), "\(instance): a gap connects from one not built before it")
            #expect(abs(cost - plan.costJPY) <= 1e-6 * max(1, cost), "\(instance): reported cost \(plan.costJPY), priced \(cost)")
            #expect(plan.costJPY <= instance.budgetJPY * (1 + 1e-9), "\(instance): over budget")
            #expect(abs(plan.population - oracle.population) < 1e-6, "\(instance): \(plan.population) people, optimum \(oracle.population)")
            #expect(plan.costJPY <= oracle.costJPY * (1 + 1e-6) + 1, "\(instance): cost \(plan.costJPY), optimum \(oracle.costJPY)")
            #expect(plan.optimal && plan.gap == 0, "\(instance): not proven optimal")
            #expect(plan.boundPopulation >= oracle.population - 1e-6)
            #expect(greedy.population <= plan.population + 1e-6)
            #expect(greedy.boundPopulation >= oracle.population - 1e-6, "\(instance): the knapsack bound cuts off the optimum")
            if plan.population > greedy.population + 1e-6 { sharingHelps += 1 }
        }
        // Strung-out gaps are where sharing pays: it must show on this table.
        #expect(sharingHelps >= 10, "sharing covered more people than greedy on only \(sharingHelps) instances")
        print("gaps-plan-exact: \(Self.table.count) instances, exact covers more people than greedy on \(sharingHelps)")
    }

    @Test("a plan cut off by the time limit stays within budget, never below greedy, with a bound no lower than the optimum")
    func timeLimited() throws {
        for instance in Self.table.prefix(20) {
            let plan = SharedExtensionPlan.plan(instance.gaps, links: instance.links, budgetJPY: instance.budgetJPY,
                                                timeSeconds: 0.001)
            let greedy = SharedExtensionPlan.plan(instance.gaps, links: instance.links, budgetJPY: instance.budgetJPY,
                                                  timeSeconds: 0, useSolver: false)
            let oracle = instance.optimum()
            #expect(plan.costJPY <= instance.budgetJPY * (1 + 1e-9))
            #expect(plan.population >= greedy.population - 1e-6)
            #expect(plan.population <= oracle.population + 1e-6)
            #expect(plan.boundPopulation >= oracle.population - 1e-6, "\(instance): bound \(plan.boundPopulation) below the optimum \(oracle.population)")
            #expect(plan.optimal == (plan.gap == 0))
            #expect(Self.priced(plan, instance) != nil)
        }
    }

    @Test("no gaps, no budget, nothing affordable")
    func edges() {
        let empty = SharedExtensionPlan.plan([], links: [], budgetJPY: 1e9, timeSeconds: 5)
        #expect(empty.chosen.isEmpty && empty.population == 0 && empty.optimal)
        let dear = [SharedExtensionPlan.Gap(population: 100, extensionJPY: 2e9, distributionJPY: 0)]
        let none = SharedExtensionPlan.plan(dear, links: [], budgetJPY: 1e9, timeSeconds: 5)
        #expect(none.chosen.isEmpty && none.population == 0 && none.optimal && none.boundPopulation == 0)
    }
}
