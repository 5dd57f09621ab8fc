import MixedInteger

/// Chooses `count` routes from a candidate set at least cost such that no two chosen
/// routes conflict, as a 0–1 programme solved by CBC (`MixedInteger`).
///
/// Model (a minimum-cost independent set of fixed size in the conflict graph, i.e. the
/// selection step of the dissimilar-paths method of Akgün, Erkut & Batta, "On finding
/// dissimilar paths", EJOR 121(2), 2000: generate many candidate paths, then select a subset;
/// they maximise dispersion, here the separation is a constraint and the cost is minimised):
///
///     minimise   Σ_c cost_c · x_c
///     subject to Σ_c x_c = count
///                x_a + x_b ≤ 1              for every conflicting pair (a, b)
///                Σ_{c ∈ G} x_c ≤ 1          for every exclusive group G (a shared landing)
///                x_c ∈ {0, 1}
///
/// CBC separates clique cuts from the pair rows itself. `start` (e.g. the greedy answer)
/// becomes the first incumbent, so a time-limited solve is never worse than it.
/// Cost: exponential in the worst case, bounded by `limits`; instances of a few dozen
/// candidates solve at the root.
public enum JointRouteSelection {
    public struct Answer: Sendable {
        /// Chosen candidate indices, ascending.
        public var chosen: [Int]
        /// Σ cost of the chosen candidates.
        public var objective: Double
        /// Proven lower bound on the least total cost over the candidate set.
        public var bound: Double
        /// (objective − bound) / objective; 0 when proven optimal.
        public var gap: Double
        public var optimal: Bool
        public var seconds: Double
    }

    public enum Outcome: Sendable {
        case selected(Answer)
        /// No `count` candidates are pairwise compatible.
        case infeasible
        /// The limit came first with no selection found, or the solver failed; `reason` says which.
        case failed(String)
    }

    public static func select(costs: [Double], conflicts: [(Int, Int)], exclusiveGroups: [[Int]] = [], count: Int,
                              start: [Int]? = nil, limits: SolveLimits = SolveLimits(timeSeconds: 10)) -> Outcome {
        guard count >= 1, count <= costs.count else { return .infeasible }
        var model = LinearModel(.minimise)
        let x = costs.enumerated().map { model.addBinary(objective: $0.element, name: "route\($0.offset)") }
        model.addConstraint(x.map { ($0, 1.0) }, .equal, Double(count))
        for (a, b) in conflicts where a != b { model.addConstraint([(x[a], 1), (x[b], 1)], .lessOrEqual, 1) }
        for group in exclusiveGroups where group.count > 1 {
            model.addConstraint(group.map { (x[$0], 1.0) }, .lessOrEqual, 1)
        }
        var startValues: [Double]?
        if let start {
            var values = Array(repeating: 0.0, count: costs.count)
            for c in start { values[c] = 1 }
            startValues = values
        }
        let solution: Solution
        do {
            solution = try MixedIntegerSolver.solve(model, limits: limits, start: startValues)
        } catch {
            return .failed("solver error: \(error)")
        }
        switch solution.status {
        case .infeasible: return .infeasible
        case .optimal, .feasible:
            guard let objective = solution.objective else { return .failed("no selection") }
            let chosen = x.indices.filter { solution.isSet(x[$0]) }
            // Proven optimal: the bound is the objective (CBC may still report the root bound
            // when its search ends in preprocessing).
            let optimal = solution.status == .optimal
            return .selected(Answer(chosen: chosen, objective: objective, bound: optimal ? objective : solution.bound,
                                    gap: optimal ? 0 : (solution.gap ?? 0), optimal: optimal, seconds: solution.seconds))
        case .timeLimited: return .failed("time limit reached before a selection was found")
        case .unbounded, .abandoned: return .failed("solver stopped: \(solution.status.rawValue)")
        }
    }
}
