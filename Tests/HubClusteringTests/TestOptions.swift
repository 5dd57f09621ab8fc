import GeoCore
@testable import HubClustering

extension HubClusteringOptions {
    /// `wattbit hubs`'s defaults (1000 MW, 1 ms at route factor 1.5, metro excluded, exact
    /// auto up to 200 sites, 10 s limits) with a fixed search seed, unless a test says
    /// otherwise; the engine itself has no defaults for them.
    static func testing(minHubMW: Double = 1000,
                        maxRadiusKm: Double = FiberLatency.radiusKm(rttMs: 1.0, routeFactor: 1.5),
                        excludeMetroCentres: Bool = true, allowMetroMembers: Bool = false, restarts: Int? = nil,
                        seed: UInt64 = 20_240_601, exact: HubExactMode = .auto, exactSiteLimit: Int = 200,
                        exactTimeLimitSeconds: Double = 10, repairTimeLimitSeconds: Double = 10) -> HubClusteringOptions {
        HubClusteringOptions(minHubMW: minHubMW, maxRadiusKm: maxRadiusKm, excludeMetroCentres: excludeMetroCentres,
                             allowMetroMembers: allowMetroMembers, restarts: restarts, seed: seed, exact: exact,
                             exactSiteLimit: exactSiteLimit, exactTimeLimitSeconds: exactTimeLimitSeconds,
                             repairTimeLimitSeconds: repairTimeLimitSeconds)
    }
}
