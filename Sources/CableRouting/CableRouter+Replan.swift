import Foundation
import GeoCore

/// What re-planning did to a set of separated routes.
public struct ReplanResult: Sendable {
    public var plan: RoutePlan
    /// Σ cost of the routes as the greedy pass found them.
    public var greedyCost: Double
    /// Σ cost after re-planning (≤ `greedyCost`).
    public var cost: Double
    /// Moves tried and moves kept.
    public var tried: Int
    public var kept: Int
}

extension CableRouter {
    /// Improves K separated routes after the greedy pass by re-planning them with the
    /// others fixed (rip-up and re-route, as in VLSI global routing: Nair, "A simple yet
    /// effective technique for global wiring", IEEE TCAD 6(2), 1987).
    ///
    /// Why pairs: re-planning one route of a greedy solution with all the others fixed can
    /// never lower its cost (route k was already the best route given routes 1…k−1, and
    /// fixing more routes only adds constraints). What greedy gets wrong is the order: an
    /// early route may take the corridor a later one needed. So each move takes a pair
    /// (i, j), removes both, re-plans j first with every other route fixed, then i with j's
    /// new route and the others fixed, and keeps the pair when their total cost falls.
    /// Passes repeat until no move is kept or `maxPasses` is reached. Each re-plan is an
    /// ordinary single-route `plan` in which the fixed routes are existing cables to keep
    /// `minSeparationKm` from outside the approaches, so a kept solution meets every
    /// constraint the greedy one met. With `distinctLandings`, a re-planned route may not
    /// land where a fixed route lands.
    /// This is the function a joint selection over a candidate set can call to polish its
    /// answer. Complexity: at most `maxPasses` · K(K−1) single-route plans.
    public func replan(_ greedy: RoutePlan, request: RouteRequest, maxPasses: Int = 2) -> ReplanResult {
        var routes = greedy.routes
        let greedyCost = routes.reduce(0) { $0 + $1.cost }
        var result = ReplanResult(plan: greedy, greedyCost: greedyCost, cost: greedyCost, tried: 0, kept: 0)
        guard routes.count > 1, request.via.isEmpty else { return result }

        func single(_ k: Int, fixed: [PlannedRoute]) -> PlannedRoute? {
            var one = request
            one.routes = 1
            one.existing = request.existing + fixed.map { ExistingCable(name: "route \($0.rank)", lines: [$0.vertices]) }
            // The fixed routes keep the route separation; the caller's own existing cables
            // then keep at least as much (never less than the greedy pass kept).
            one.minSeparationExistingKm = max(request.minSeparationExistingKm, request.minSeparationKm)
            if request.distinctLandings {
                let taken = Set(fixed.flatMap { [$0.from.requested, $0.to.requested] })
                one.from.candidates = request.from.candidates.filter { request.from.candidates.count == 1 || !taken.contains($0.position) }
                one.to.candidates = request.to.candidates.filter { request.to.candidates.count == 1 || !taken.contains($0.position) }
                if one.from.candidates.isEmpty || one.to.candidates.isEmpty { return nil }
            }
            return try? plan(one).routes.first
        }

        for _ in 0..<maxPasses {
            var improved = false
            for i in routes.indices {
                for j in routes.indices where j != i {
                    let others = routes.indices.filter { $0 != i && $0 != j }.map { routes[$0] }
                    result.tried += 1
                    guard let newJ = single(j, fixed: others), let newI = single(i, fixed: others + [newJ]) else { continue }
                    if newI.cost + newJ.cost < routes[i].cost + routes[j].cost - 1e-6 {
                        routes[i] = newI
                        routes[j] = newJ
                        result.kept += 1
                        improved = true
                    }
                }
            }
            if !improved { break }
        }
        // Ranks by cost again, and the separation re-measured.
        routes.sort { $0.cost < $1.cost }
        for k in routes.indices { routes[k].rank = k + 1 }
        measureSeparation(&routes, approachKm: request.approachKm)
        result.plan = RoutePlan(routes: routes, warnings: greedy.warnings)
        result.cost = routes.reduce(0) { $0 + $1.cost }
        return result
    }
}
