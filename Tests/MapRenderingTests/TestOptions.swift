@testable import MapRendering

extension MapOptions {
    /// `wattbit map`'s canvas defaults (1200 px, binning above 20,000 features) with a test's
    /// title; the engine itself has no defaults for them.
    static func testing(title: String = "WattBit", attribution: String = MapOptions.defaultAttribution) -> MapOptions {
        MapOptions(title: title, widthPx: 1200, attribution: attribution, maxVectorFeatures: 20_000)
    }
}
