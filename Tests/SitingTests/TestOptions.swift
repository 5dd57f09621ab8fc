@testable import Siting

extension SitingOptions {
    /// `wattbit siting`'s defaults (its manifest); the engine itself has no defaults for them.
    static func testing() -> SitingOptions {
        SitingOptions(level: .third, decarbonisedRadiusKm: 100, routeFactor: 1.5, populationRTTMs: 2, gridRadiusKm: 20,
                      excludeMetro: true, minAvailableMW: nil, maxRTTMs: nil, top: 10, minSpacingKm: 50, minScore: 0.6,
                      sensitivitySamples: 0, sensitivityPool: 1000, sensitivityConcentration: 50, seed: 1)
    }
}
