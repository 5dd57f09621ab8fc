import Foundation
import MixedInteger

/// Budgeted maximum coverage with shared extensions, solved exactly by integer programming.
///
/// Problem. Each gap g holds population p_g. Connecting it costs its distribution fiber d_g
/// plus one connection: either its own extension from the network (e_g), or a link from
/// another connected gap h (l_hg, the fiber from h's connection point to g's) — so gaps
/// that lie one behind the other share the first extension instead of each paying its
/// own. Choose the gaps and connections that cover the most people within the budget B,
/// then, among those, the cheapest.
///
/// Model (a budgeted prize-collecting Steiner arborescence, after Johnson, Minkoff &
/// Phillips 2000, "The prize collecting Steiner tree problem", SODA, in its budgeted form;
/// acyclicity by Miller–Tucker–Zemlin 1960 ordering constraints):
///   z_g ∈ {0,1} gap g connected; a_g ∈ {0,1} by its own extension; b_hg ∈ {0,1} by a link;
///   a_g + Σ_h b_hg = z_g;  b_hg ≤ z_h;  u_h − u_g + n b_hg ≤ n − 1 (u_g ∈ [0, n − 1]);
///   Σ e_g a_g + Σ d_g z_g + Σ l_hg b_hg ≤ B;
///   stage 1: max Σ p_g z_g; stage 2: with Σ p_g z_g ≥ stage-1 value, min the cost.
/// A link h → g no shorter than g's own extension is never needed (replacing it by the
/// extension keeps every connection and costs less), so only shorter links are offered
/// (`CoverageResult.planLinks`). Solved by COIN-OR CBC (Sources/MixedInteger) from the
/// greedy plan as its first solution, so the answer is never worse than greedy; when the
/// time limit stops it, the proven bound says how far the answer may be from the optimum.
///
/// Bound without the solver (for inputs too large for it): every connected gap pays its
/// distribution and at least its cheapest connection c_g = d_g + min(e_g, min_h l_hg), and
/// these are additive, so the fractional knapsack over (p_g, c_g) (Dantzig 1957) bounds
/// the optimum.
///
/// Complexity: model O(n + links); solve exponential in the worst case, bounded by
/// `timeSeconds`.
public enum SharedExtensionPlan {
    public struct Gap: Sendable, Equatable {
        public var population: Double
        /// Own extension from the network (JPY).
        public var extensionJPY: Double
        /// Fiber inside the gap (JPY), paid whenever it is connected.
        public var distributionJPY: Double
        public init(population: Double, extensionJPY: Double, distributionJPY: Double) {
            self.population = population
            self.extensionJPY = extensionJPY
            self.distributionJPY = distributionJPY
        }
    }

    /// A link that lets `to` connect from `from` (both gap indices) for `costJPY`.
    public struct Link: Sendable, Equatable {
        public var from: Int
        public var to: Int
        public var costJPY: Double
        public init(from: Int, to: Int, costJPY: Double) {
            self.from = from
            self.to = to
            self.costJPY = costJPY
        }
    }

    public struct Plan: Sendable {
        /// Chosen gaps in build order (a gap after the gap it connects from).
        public var chosen: [Int]
        /// For gaps connected by a link: the gap they connect from.
        public var parent: [Int: Int]
        public var costJPY: Double
        public var population: Double
        /// "exact" (CBC), "greedy" or "best-single" (the modified greedy, when CBC could
        /// not improve it or was not run).
        public var rule: String
        /// Covered population proven optimal.
        public var optimal: Bool
        /// Proven upper bound on the population any plan within budget covers.
        public var boundPopulation: Double
        /// (bound − population) / bound; 0 when optimal.
        public var gap: Double
        public var solverStatus: String
        public var seconds: Double
    }

    /// The exact plan (or the best within `timeSeconds`), never worse than the modified
    /// greedy over independent costs, with its proven bound. With `useSolver == false`, the
    /// greedy plan with the knapsack bound.
    public static func plan(_ gaps: [Gap], links: [Link], budgetJPY: Double, timeSeconds: Double,
                            useSolver: Bool = true) -> Plan {
        let items = gaps.map { BudgetedCoverage.Item(costJPY: $0.extensionJPY + $0.distributionJPY, population: $0.population) }
        let greedy = BudgetedCoverage.plan(items, budgetJPY: budgetJPY)
        let knapsackBound = fractionalBound(gaps, links: links, budgetJPY: budgetJPY)
        var fallback = Plan(chosen: greedy.chosen, parent: [:], costJPY: greedy.costJPY, population: greedy.population,
                            rule: greedy.rule, optimal: false, boundPopulation: max(knapsackBound, greedy.population),
                            gap: 0, solverStatus: "not-run", seconds: 0)
        fallback.gap = relativeGap(fallback.population, fallback.boundPopulation)
        fallback.optimal = fallback.gap == 0
        guard useSolver, !gaps.isEmpty, timeSeconds > 0 else { return fallback }

        let clock = ContinuousClock()
        let began = clock.now
        func remaining() -> Double {
            let d = began.duration(to: clock.now)
            return timeSeconds - (Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18)
        }
        let n = gaps.count
        var model = LinearModel(.maximise)
        var z: [LinearModel.Variable] = [], a: [LinearModel.Variable] = [], u: [LinearModel.Variable] = []
        for g in gaps {
            z.append(model.addBinary(objective: g.population))
            a.append(model.addBinary())
            _ = g
        }
        let useful = links.filter { $0.from != $0.to && $0.from >= 0 && $0.from < n && $0.to >= 0 && $0.to < n
            && $0.costJPY < gaps[$0.to].extensionJPY }
        if !useful.isEmpty { for _ in 0..<n { u.append(model.addVariable(lower: 0, upper: Double(n - 1))) } }
        var incoming = Array(repeating: [(LinearModel.Variable, Double)](), count: n)
        var b: [LinearModel.Variable] = []
        var costTerms: [(LinearModel.Variable, Double)] = []
        for l in useful {
            let v = model.addBinary()
            b.append(v)
            incoming[l.to].append((v, 1))
            model.addConstraint([(v, 1), (z[l.from], -1)], .lessOrEqual, 0)
            model.addConstraint([(u[l.from], 1), (u[l.to], -1), (v, Double(n))], .lessOrEqual, Double(n - 1))
            costTerms.append((v, l.costJPY))
        }
        for g in 0..<n {
            model.addConstraint([(a[g], 1), (z[g], -1)] + incoming[g], .equal, 0)
            costTerms.append((a[g], gaps[g].extensionJPY))
            costTerms.append((z[g], gaps[g].distributionJPY))
        }
        model.addConstraint(costTerms, .lessOrEqual, budgetJPY)

        // The greedy plan as the first solution (all own extensions).
        var start = Array(repeating: 0.0, count: model.variableCount)
        for g in greedy.chosen { start[z[g].index] = 1; start[a[g].index] = 1 }
        let populationScale = max(1, gaps.map(\.population).max() ?? 1)
        guard let s1 = try? MixedIntegerSolver.solve(model, limits: SolveLimits(timeSeconds: max(0.05, remaining()),
                                                                               relativeGap: 1e-9, absoluteGap: 1e-6 * populationScale),
                                                     start: start), s1.hasSolution else {
            fallback.solverStatus = "no-solution-in-time"
            return fallback
        }
        var best = s1
        let proven = s1.status == .optimal
        let bound = min(knapsackBound.isFinite ? max(knapsackBound, s1.objective ?? 0) : .infinity, s1.bound)
        var status = s1.status.rawValue
        if remaining() > 0.05 {
            let covered = s1.objective ?? 0
            var costModel = model
            costModel.addConstraint(z.enumerated().map { ($1, gaps[$0].population) }, .greaterOrEqual,
                                    covered - 1e-9 * max(1, covered))
            costModel.replaceObjective(.minimise, costTerms)
            if let s2 = try? MixedIntegerSolver.solve(costModel, limits: SolveLimits(timeSeconds: max(0.05, remaining()), relativeGap: 1e-6),
                                                      start: s1.values), s2.hasSolution {
                best = s2
                if s2.status != .optimal { status += "; cost \(s2.status.rawValue)" }
            }
        }
        var parent: [Int: Int] = [:]
        for (k, l) in useful.enumerated() where best.isSet(b[k]) { parent[l.to] = l.from }
        let chosenSet = (0..<n).filter { best.isSet(z[$0]) }
        // Build order: roots by index, then children after their parent (breadth first).
        var children: [Int: [Int]] = [:]
        for g in chosenSet { if let p = parent[g] { children[p, default: []].append(g) } }
        var order: [Int] = []
        var queue = chosenSet.filter { parent[$0] == nil }
        while !queue.isEmpty {
            let g = queue.removeFirst()
            order.append(g)
            queue.append(contentsOf: children[g] ?? [])
        }
        var cost = 0.0, population = 0.0
        for g in order {
            population += gaps[g].population
            cost += gaps[g].distributionJPY
            if let p = parent[g], let l = useful.first(where: { $0.from == p && $0.to == g }) { cost += l.costJPY } else { cost += gaps[g].extensionJPY }
        }
        if population < greedy.population - 1e-9 * max(1, greedy.population) {
            fallback.solverStatus = status
            return fallback
        }
        let boundPopulation = max(population, proven ? population : bound)
        let gap = relativeGap(population, boundPopulation)
        return Plan(chosen: order, parent: parent, costJPY: cost, population: population, rule: "exact",
                    optimal: gap == 0, boundPopulation: boundPopulation, gap: gap, solverStatus: status,
                    seconds: timeSeconds - remaining())
    }

    static func relativeGap(_ value: Double, _ bound: Double) -> Double {
        let d = bound - value
        if d <= 1e-9 * max(1, abs(bound)) { return 0 }
        return d / max(abs(bound), 1e-9)
    }

    /// Dantzig's fractional-knapsack bound with each gap at its cheapest possible cost.
    static func fractionalBound(_ gaps: [Gap], links: [Link], budgetJPY: Double) -> Double {
        var cheapest = gaps.map(\.extensionJPY)
        for l in links where l.to >= 0 && l.to < gaps.count { cheapest[l.to] = min(cheapest[l.to], l.costJPY) }
        let items = gaps.indices.map { (population: gaps[$0].population, cost: cheapest[$0] + gaps[$0].distributionJPY) }
            .filter { $0.population > 0 }
        var free = 0.0
        var paid: [(population: Double, cost: Double)] = []
        for item in items { if item.cost <= 0 { free += item.population } else { paid.append(item) } }
        paid.sort { $0.population / $0.cost > $1.population / $1.cost }
        var left = budgetJPY, total = free
        for item in paid {
            if item.cost <= left { total += item.population; left -= item.cost }
            else { total += item.population * left / item.cost; break }
        }
        return total
    }
}
