import CableRouting
import GeoCore
import HubClustering

// Engines have no defaults for what users set; the benches run with the planners' defaults
// (their manifests) unless a case says otherwise.

extension RouteRequest {
    static func cableDefaults(from: RouteEnd, to: RouteEnd, routes: Int = 1, approachKm: Double = 20,
                              allowConcentrationZones: Bool = false, allowConcentrationLanding: Bool = false) -> RouteRequest {
        RouteRequest(from: from, to: to, routes: routes, minSeparationKm: 30, approachKm: approachKm, snapKm: 10,
                     allowConcentrationZones: allowConcentrationZones, allowConcentrationLanding: allowConcentrationLanding,
                     distinctLandings: false, costPerKmUSD: 30_000, displaySegmentKm: 10, minSeparationExistingKm: 0)
    }
}

extension SeaSurfaceOptions {
    static func cableDefaults(cellKm: Double = 2) -> SeaSurfaceOptions {
        SeaSurfaceOptions(cellKm: cellKm, coastClearanceKm: 2, minPassageKm: 1)
    }
}

extension JointOptions {
    /// `--candidates 4`, `--select-time-limit 10`.
    static let cableDefaults = JointOptions(seeds: 4, timeLimitSeconds: 10)
}

extension HubClusteringOptions {
    /// `wattbit hubs`'s defaults, with the search seed the benchmark's figures were taken with.
    static func hubsDefaults(minHubMW: Double = 1000,
                             maxRadiusKm: Double = FiberLatency.radiusKm(rttMs: 1.0, routeFactor: 1.5),
                             restarts: Int? = nil, exact: HubExactMode = .auto, exactSiteLimit: Int = 200,
                             exactTimeLimitSeconds: Double = 10, repairTimeLimitSeconds: Double = 10) -> HubClusteringOptions {
        HubClusteringOptions(minHubMW: minHubMW, maxRadiusKm: maxRadiusKm, excludeMetroCentres: true,
                             allowMetroMembers: false, restarts: restarts, seed: 20_240_601, exact: exact,
                             exactSiteLimit: exactSiteLimit, exactTimeLimitSeconds: exactTimeLimitSeconds,
                             repairTimeLimitSeconds: repairTimeLimitSeconds)
    }
}
