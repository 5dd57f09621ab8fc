import CableRouting
import Foundation
import FiberCoverage
import GeoCore
import PlannerKit

/// Island connections over sea: a gap on a land mass without network needs a submarine
/// link, which a straight line misrepresents (it may cross other land, and cables keep
/// off the coast). The `limit` most populous island links are routed in process by the
/// CableRouting engine — the one `wattbit cable` runs — as one batch over one sea surface
/// (`CableRouter.planBatch`); every other island link stays a straight line, and
/// `extension_method` says which is which.
enum IslandRouting {
    /// The geodata the sea surface is built from (the embedded cable layers).
    struct SeaData {
        var land: [Geometry]
        var zones: [ConcentrationZone]
        var hazards: [HazardZone]
    }

    /// How an island link is planned. These are the gaps planner's own choices, not the
    /// cable planner's defaults: a link starts at the network's nearest point, which often
    /// lies well inland (`snapKm` 200 moves it to the coast), and a domestic access link is
    /// not an international landing, so the Boso and Shima rules do not apply. The sea
    /// surface and the rest (20 km approach, 2 km cells and clearance, 1 km narrowest
    /// passage) match `wattbit cable`'s defaults; no existing cables are given.
    static func request(from: Position, to: Position) -> RouteRequest {
        RouteRequest(from: RouteEnd(label: "network \(lonLat(from))", candidates: [Landing(name: "network", position: from)]),
                     to: RouteEnd(label: "island \(lonLat(to))", candidates: [Landing(name: "island", position: to)]),
                     via: [], routes: 1, minSeparationKm: 30, approachKm: 20, snapKm: 200,
                     allowConcentrationZones: true, allowConcentrationLanding: true, distinctLandings: false,
                     avoid: [], costPerKmUSD: 30_000, displaySegmentKm: 10,
                     existing: [], minSeparationExistingKm: 0)
    }

    static let surfaceOptions = SeaSurfaceOptions(cellKm: 2, coastClearanceKm: 2, minPassageKm: 1)

    static func lonLat(_ p: Position) -> String { String(format: "%.5f,%.5f", p.lon, p.lat) }

    /// Routes the `limit` most populous island links; `sea` is asked for the geodata only
    /// when there is at least one link to route.
    static func route(_ result: inout CoverageResult, limit: Int, sea: () throws -> SeaData?,
                      progress: ProgressReporter) throws {
        let islands = result.gaps.indices.filter { result.gaps[$0].island }
            .sorted { (result.gaps[$0].population, -$0) > (result.gaps[$1].population, -$1) }
        guard !islands.isEmpty else { return }
        let routed = Array(islands.prefix(limit))
        guard !routed.isEmpty else {
            progress.info("\(islands.count) island connections measured as straight lines (--island-routes 0)")
            return
        }
        guard let data = try sea() else {
            progress.info("cable geodata not found: \(islands.count) island connections measured as straight lines (extension_method: straight-line)")
            return
        }
        progress.update(0, stage: "island routes")
        // The same content-keyed sea lattice as wattbit cable, so the two share one build.
        let cache = PlannerCache(environment: ProcessInfo.processInfo.environment)
        let surface = SeaSurface(land: data.land, zones: data.zones, hazards: data.hazards, options: surfaceOptions,
                                 cached: { cache?.load(name: $0) })
        if let cache, let problem = cache.store(surface.cacheEntries()) { progress.warning(problem) }
        let requests = routed.map { request(from: result.gaps[$0].networkPoint, to: result.gaps[$0].unitPoint) }
        let pairs = requests.map { RoutePair(from: $0.from, to: $0.to) }
        let outcomes = CableRouter(surface: surface).planBatch(
            pairs, template: requests[0], concurrency: ProcessInfo.processInfo.activeProcessorCount,
            progress: { fraction, _ in progress.update(fraction, stage: "island routes") })
        var failures = 0
        for (i, outcome) in zip(routed, outcomes) {
            let gap = result.gaps[i]
            switch outcome.result {
            case .success(let plan):
                guard let route = plan.routes.first, route.line.count >= 2 else { failures += 1; continue }
                var path: [Position] = []
                for p in [gap.networkPoint] + route.line + [gap.unitPoint] where path.last != p { path.append(p) }
                result.gaps[i].extensionPath = path
                result.gaps[i].extensionKm = Geodesic.lengthKm(path)
                result.gaps[i].extensionMethod = "cable-router"
            case .failure(let error):
                if case .internalInconsistency(let message) = error {
                    throw PlannerError(.software, "island link \(lonLat(gap.networkPoint)) → \(lonLat(gap.unitPoint)): \(message)")
                }
                failures += 1
                progress.warning("island link \(lonLat(gap.networkPoint)) → \(lonLat(gap.unitPoint)): \(error); straight line kept")
            }
        }
        progress.update(1, stage: "island routes")
        let straight = islands.count - routed.count + failures
        if straight > 0 {
            progress.info("\(routed.count - failures) island connections routed over sea; \(straight) measured as straight lines (--island-routes \(limit))")
        }
    }
}
