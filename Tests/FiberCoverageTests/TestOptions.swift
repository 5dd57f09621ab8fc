@testable import FiberCoverage

extension CoverageOptions {
    /// `wattbit gaps`'s defaults (centroid, 5,000,000 JPY/km) with the reach a test gives;
    /// the engine itself has no defaults for them.
    static func testing(reachKm: Double, demandMode: DemandMode = .centroid) -> CoverageOptions {
        CoverageOptions(reachKm: reachKm, demandMode: demandMode, costPerKmJPY: 5_000_000)
    }
}

extension MeshCSVParser {
    /// `wattbit gaps`'s default columns unless a test names another.
    static func testing(populationColumn: String = "population") -> MeshCSVParser {
        MeshCSVParser(populationColumn: populationColumn, householdsColumn: "households")
    }
}
