import Foundation
import GeoCore

extension CableRouter {
    /// Plans K separated routes, widening the landing approach when K do not fit.
    ///
    /// Problem: routes that share a landing and must be `S` apart outside a radius `A` around
    /// it leave that circle at least 2·asin(S / 2A) apart (97° for S = 30, A = 20). A landing
    /// at the head of a bay that opens onto less than K such sectors of sea cannot carry K
    /// routes at radius A, however good the search. Method: plan at `request.approachKm`; if
    /// fewer than `request.routes` come back, plan again at each of `widerApproachKm` (in
    /// increasing order, the caller's steps) and keep the first plan with K routes, else the
    /// one with the most routes (the smallest approach among equals). A single route, a
    /// `via` chain, or K found at once cost exactly one `plan`.
    /// Returns the plan and the approach radius it used.
    /// Complexity: at most 1 + `widerApproachKm.count` plans.
    public func planWideningApproach(_ request: RouteRequest, widerApproachKm: [Double],
                                     progress: ProgressCallback? = nil) throws -> (plan: RoutePlan, approachKm: Double) {
        let first = try plan(request, progress: progress)
        guard request.routes > 1, request.via.isEmpty, first.routes.count < request.routes else {
            return (first, request.approachKm)
        }
        var best = (plan: first, approachKm: request.approachKm)
        for radius in widerApproachKm.sorted() where radius > request.approachKm {
            var wider = request
            wider.approachKm = radius
            let plan = try self.plan(wider, progress: progress)
            if plan.routes.count > best.plan.routes.count { best = (plan, radius) }
            if plan.routes.count >= request.routes { break }
        }
        return best
    }
}
