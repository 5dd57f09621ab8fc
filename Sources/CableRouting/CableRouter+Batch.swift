import Dispatch
import Foundation
import GeoCore

/// One origin–destination pair of a batch.
public struct RoutePair: Sendable, Hashable {
    public var from: RouteEnd
    public var to: RouteEnd
    public init(from: RouteEnd, to: RouteEnd) {
        self.from = from
        self.to = to
    }
}

/// What one pair of a batch came to: its plan, or the error a single `plan` would have thrown.
public struct PairOutcome: Sendable {
    /// Position of the pair in the batch.
    public var index: Int
    public var pair: RoutePair
    public var result: Result<RoutePlan, CableRoutingError>

    /// The best route of the pair, when it has one.
    public var route: PlannedRoute? {
        if case .success(let plan) = result { return plan.routes.first }
        return nil
    }
}

extension CableRouter {
    /// Plans many origin–destination pairs over this one surface.
    ///
    /// Problem: a set of pairs (a `--pairs` file, an all-candidates matrix, the island
    /// links of `wattbit gaps`) each wants its own least-cost route(s) on the same sea.
    /// Method: the surface (land raster, clearance band, zones, hazard costs) is built once
    /// by the caller and shared read-only; every pair is an ordinary `plan` of `template`
    /// with that pair's ends, so a pair's answer is exactly what a single run would give.
    /// Pairs are independent, so they run on `concurrency` worker threads (a work-stealing
    /// counter over the pair list); outcomes come back in input order, so the result is
    /// deterministic whatever the thread count.
    /// A pair that cannot be routed (enclosed end, landing refused) does not stop the batch:
    /// its outcome carries the error. `internalInconsistency` is reported the same way and
    /// the caller decides (the planner exits 70).
    /// Complexity: Σ over pairs of one `plan` (one mask, one flood fill, one search per
    /// route), divided over the workers; memory O(cells) per worker.
    public func planBatch(_ pairs: [RoutePair], template: RouteRequest, concurrency: Int = 1,
                          progress: ProgressCallback? = nil) -> [PairOutcome] {
        guard !pairs.isEmpty else { return [] }
        // A pair asked again, or asked the other way round, is planned once: the cost of a
        // route does not depend on its direction (same landings, same mask, symmetric
        // segment costs), so the reverse of an optimal route is optimal for the reversed pair.
        var firstOf: [PairKey: Int] = [:]
        var unique: [Int] = []
        var source: [(index: Int, reversed: Bool)] = []
        for (k, pair) in pairs.enumerated() {
            let key = PairKey(pair)
            if let j = firstOf[key] {
                source.append((j, false))
            } else if let j = firstOf[key.reversed] {
                source.append((j, true))
            } else {
                firstOf[key] = unique.count
                source.append((unique.count, false))
                unique.append(k)
            }
        }
        let order = unique
        let results = BatchSlots(count: order.count)
        let workers = max(1, min(concurrency, order.count))
        let router = self
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let u = results.claim() {
                let k = order[u]
                var request = template
                request.from = pairs[k].from
                request.to = pairs[k].to
                request.via = []
                let result: Result<RoutePlan, CableRoutingError>
                do {
                    result = .success(try router.plan(request))
                } catch let error as CableRoutingError {
                    result = .failure(error)
                } catch {
                    result = .failure(.internalInconsistency("internal error: \(error)"))
                }
                let done = results.store(result, at: u)
                progress?(Double(done) / Double(order.count), "pairs")
            }
        }
        let planned = results.results()
        return pairs.indices.map { k in
            let (u, reversed) = source[k]
            var result: Result<RoutePlan, CableRoutingError> =
                planned[u] ?? .failure(.internalInconsistency("internal error: pair \(k + 1) was not planned"))
            if reversed, case .success(let plan) = result { result = .success(plan.reversed()) }
            return PairOutcome(index: k, pair: pairs[k], result: result)
        }
    }

    /// Every `from` candidate against every `to` candidate, row-major (from outer), each
    /// candidate its own single-landing end. Pairs of one place with itself (< 1 km apart)
    /// are left out, since a route needs two different ends.
    public static func matrixPairs(from: RouteEnd, to: RouteEnd) -> [RoutePair] {
        var pairs: [RoutePair] = []
        for a in from.candidates {
            for b in to.candidates where Geodesic.distanceKm(a.position, b.position) >= 1 {
                pairs.append(RoutePair(from: RouteEnd(label: a.name, candidates: [a], isInternational: from.isInternational),
                                       to: RouteEnd(label: b.name, candidates: [b], isInternational: to.isInternational)))
            }
        }
        return pairs
    }
}

/// Result slots shared by the batch workers: a claim counter and one slot per pair.
private final class BatchSlots: @unchecked Sendable {
    // Guarded by `lock`; workers touch disjoint slots, the lock orders claims and stores.
    private let lock = NSLock()
    private var next = 0
    private var done = 0
    private var slots: [Result<RoutePlan, CableRoutingError>?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func claim() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard next < slots.count else { return nil }
        next += 1
        return next - 1
    }

    func store(_ result: Result<RoutePlan, CableRoutingError>, at k: Int) -> Int {
        lock.lock()
        defer { lock.unlock() }
        slots[k] = result
        done += 1
        return done
    }

    func results() -> [Result<RoutePlan, CableRoutingError>?] {
        lock.lock()
        defer { lock.unlock() }
        return slots
    }
}

/// A pair's identity for re-use: each end's candidates (names and positions) and kind.
private struct PairKey: Hashable {
    var from: [Landing]
    var to: [Landing]
    var fromInternational: Bool
    var toInternational: Bool

    init(_ pair: RoutePair) {
        from = pair.from.candidates
        to = pair.to.candidates
        fromInternational = pair.from.isInternational
        toInternational = pair.to.isInternational
    }

    private init(from: [Landing], to: [Landing], fromInternational: Bool, toInternational: Bool) {
        self.from = from
        self.to = to
        self.fromInternational = fromInternational
        self.toInternational = toInternational
    }

    var reversed: PairKey { PairKey(from: to, to: from, fromInternational: toInternational, toInternational: fromInternational) }
}

extension RoutePlan {
    /// The same routes travelled the other way: ends swapped, stops and vertices reversed;
    /// lengths, costs and hazard figures are direction-free.
    func reversed() -> RoutePlan {
        RoutePlan(routes: routes.map { r in
            var route = r
            route.from = r.to
            route.to = r.from
            route.stops = r.stops.reversed()
            route.vertices = r.vertices.reversed()
            route.line = r.line.reversed()
            return route
        }, warnings: warnings)
    }
}
