import GeoCore

/// The siting criteria, each a raw value in real units turned into a 0…1 score by a value
/// function. Names are what the weight and threshold lists accept (`wattbit siting --weights`).
public enum Criterion: String, CaseIterable, Sendable, Comparable {
    /// Geodesic km to the nearest power station (geodata/power-plants.geojson).
    case plantKm = "plant_km"
    /// Decarbonised MW (nuclear, hydro, pumped storage, wind, solar, geothermal) within
    /// `decarbonisedRadiusKm`.
    case decarbonisedMW = "decarbonised_mw"
    /// Geodesic km to the nearest 500/275 kV substation (geodata/substations.geojson).
    case substationKm = "substation_km"
    /// Grid headroom (available_mw) from --grid-capacity; only with that layer.
    case gridMW = "grid_mw"
    /// Geodesic km to the nearest landing station outside Boso/Shima.
    case landingKm = "landing_km"
    /// Geodesic km to the nearest internet exchange (geodata/ix.geojson).
    case ixKm = "ix_km"
    /// Fiber round trip to Tokyo (Otemachi), shared fiber model (GeoCore.FiberLatency).
    case rttTokyoMs = "rtt_tokyo_ms"
    /// Fiber round trip to Osaka (Dojima).
    case rttOsakaMs = "rtt_osaka_ms"
    /// People within the population latency budget; only with --population.
    case population = "population"
    /// Geodesic km to the nearest earthquake source region or trench/trough axis (0 inside
    /// a source region).
    case hazardKm = "hazard_km"
    /// 1 outside the Tokyo and Osaka metro areas (subsidy-eligible), 0 inside.
    case outsideMetro = "outside_metro"
    /// A user layer (--factor FILE:PROPERTY); only with that layer.
    case factor = "factor"

    public static func < (a: Criterion, b: Criterion) -> Bool { a.index < b.index }
    /// Position in `allCases` (the fixed criterion order of properties and sums). O(1).
    public var index: Int {
        switch self {
        case .plantKm: return 0
        case .decarbonisedMW: return 1
        case .substationKm: return 2
        case .gridMW: return 3
        case .landingKm: return 4
        case .ixKm: return 5
        case .rttTokyoMs: return 6
        case .rttOsakaMs: return 7
        case .population: return 8
        case .hazardKm: return 9
        case .outsideMetro: return 10
        case .factor: return 11
        }
    }
}

/// A documented value function: linear between two thresholds (`best` scores 1, `worst`
/// scores 0, clamped outside; either may be the larger, so "nearer is better" and "more is
/// better" are the same shape), or a step (1 at or beyond `best`, else 0).
public enum ValueFunction: Sendable, Equatable {
    case linear(best: Double, worst: Double)
    case step(threshold: Double)

    /// The score of a raw value, in 0…1. O(1).
    public func score(_ raw: Double) -> Double {
        switch self {
        case .linear(let best, let worst):
            if best == worst { return raw >= best ? 1 : 0 }
            let t = (raw - worst) / (best - worst)
            return min(max(t, 0), 1)
        case .step(let threshold):
            return raw >= threshold ? 1 : 0
        }
    }

    public var text: String {
        switch self {
        case .linear(let best, let worst): return "linear: 1 at \(fmt(best)), 0 at \(fmt(worst))"
        case .step(let t): return "step: 1 at ≥ \(fmt(t)), else 0"
        }
    }
}

func fmt(_ x: Double) -> String {
    x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
}

/// Default thresholds and weights. The thresholds are planning conventions grounded in the
/// policy material cited in docs/planners/siting.md (METI/MIC "デジタルインフラ(DC等)整備
/// に関する有識者会合" 2021–2024 on Watt-Bit siting criteria; the utilities' welcome-zone
/// maps for grid headroom; the Cabinet Office Nankai Trough and Tokyo-inland source
/// models for hazards). They are parameters: a user with better numbers passes them.
public enum SitingDefaults {
    public static let functions: [Criterion: ValueFunction] = [
        .plantKm: .linear(best: 10, worst: 100),
        .decarbonisedMW: .linear(best: 3000, worst: 0),
        .substationKm: .linear(best: 5, worst: 60),
        .gridMW: .linear(best: 500, worst: 0),
        .landingKm: .linear(best: 30, worst: 300),
        .ixKm: .linear(best: 20, worst: 400),
        .rttTokyoMs: .linear(best: 2, worst: 15),
        .rttOsakaMs: .linear(best: 2, worst: 15),
        .population: .linear(best: 10_000_000, worst: 0),
        .hazardKm: .linear(best: 100, worst: 0),
        .outsideMetro: .step(threshold: 1),
        .factor: .linear(best: 1, worst: 0),
    ]
    public static let weights: [Criterion: Double] = [
        .plantKm: 1, .decarbonisedMW: 2, .substationKm: 2, .gridMW: 2, .landingKm: 1, .ixKm: 1,
        .rttTokyoMs: 1, .rttOsakaMs: 1, .population: 1, .hazardKm: 1, .outsideMetro: 1, .factor: 1,
    ]
}

/// The options (and layers) a `SitingOptionError` can name; a caller words them its own way
/// (a flag).
public enum SitingOptionField: String, Sendable {
    case weights, thresholds, minAvailableMW, gridCapacity
}

/// Errors in the options a user gives (unknown criterion, bad threshold, zero weights):
/// values, worded by `message(naming:)`.
public struct SitingOptionError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Problem: Sendable, Equatable {
        /// An item of a `NAME=VALUE,…` list is not `NAME=VALUE`.
        case notAPair(field: SitingOptionField, item: String)
        case unknownCriterion(field: SitingOptionField, name: String)
        /// A weight that is not a number ≥ 0.
        case badWeight(criterion: String, value: String)
        /// A value function that is neither BEST:WORST nor step:T.
        case badThreshold(criterion: String, value: String)
        /// The weights of the criteria that apply add up to 0.
        case weightsSumToZero(active: [Criterion])
        /// A grid-headroom floor without a grid-capacity layer.
        case minAvailableWithoutGrid
        /// Anything else (e.g. a cell read back with a bad property), worded.
        case invalid(String)
    }
    public var problem: Problem
    public init(_ problem: Problem) { self.problem = problem }
    public init(_ message: String) { self.init(.invalid(message)) }

    /// The message naming the options by their Swift names.
    public var message: String { message(naming: \.rawValue) }
    public var description: String { message }

    /// The one-line message with `name(field)` for each option it mentions.
    public func message(naming name: (SitingOptionField) -> String) -> String {
        switch problem {
        case .invalid(let message):
            message
        case .notAPair(let field, let item):
            "\(name(field)) '\(item)': expected NAME=VALUE"
        case .unknownCriterion(let field, let criterion):
            "\(name(field)): unknown criterion '\(criterion)' (known: \(Criterion.allCases.map(\.rawValue).joined(separator: ", ")))"
        case .badWeight(let criterion, let value):
            "\(name(.weights)) \(criterion)=\(value): a weight is a number ≥ 0"
        case .badThreshold(let criterion, let value):
            "\(name(.thresholds)) \(criterion)=\(value): expected BEST:WORST (two different numbers) or step:T"
        case .weightsSumToZero(let active):
            "\(name(.weights)): the weights of the active criteria (\(active.map(\.rawValue).joined(separator: ", "))) sum to 0"
        case .minAvailableWithoutGrid:
            "\(name(.minAvailableMW)) needs \(name(.gridCapacity)) (a layer with available_mw)"
        }
    }
}

/// Parsing the weight list `name=w,…` and the value-function list `name=best:worst,…`.
public enum CriterionSpec {
    /// Overrides for the named criteria; throws for an unknown name or a bad number.
    public static func weights(_ text: String) throws -> [Criterion: Double] {
        var result: [Criterion: Double] = [:]
        for (name, value) in try pairs(text, field: .weights) {
            let c = try criterion(name, field: .weights)
            guard let w = Double(value), w.isFinite, w >= 0 else {
                throw SitingOptionError(.badWeight(criterion: name, value: value))
            }
            result[c] = w
        }
        return result
    }

    public static func thresholds(_ text: String) throws -> [Criterion: ValueFunction] {
        var result: [Criterion: ValueFunction] = [:]
        for (name, value) in try pairs(text, field: .thresholds) {
            let c = try criterion(name, field: .thresholds)
            let parts = value.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            if parts.count == 2, parts[0] == "step", let t = Double(parts[1]), t.isFinite {
                result[c] = .step(threshold: t)
            } else if parts.count == 2, let best = Double(parts[0]), let worst = Double(parts[1]),
                      best.isFinite, worst.isFinite, best != worst {
                result[c] = .linear(best: best, worst: worst)
            } else {
                throw SitingOptionError(.badThreshold(criterion: name, value: value))
            }
        }
        return result
    }

    static func pairs(_ text: String, field: SitingOptionField) throws -> [(String, String)] {
        try text.split(separator: ",").map { item in
            let kv = item.split(separator: "=", maxSplits: 1).map { String($0).trimmedSpaces() }
            guard kv.count == 2, !kv[0].isEmpty, !kv[1].isEmpty else {
                throw SitingOptionError(.notAPair(field: field, item: String(item)))
            }
            return (kv[0], kv[1])
        }
    }

    static func criterion(_ name: String, field: SitingOptionField) throws -> Criterion {
        if let c = Criterion(rawValue: name) { return c }
        throw SitingOptionError(.unknownCriterion(field: field, name: name))
    }
}

extension String {
    func trimmedSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}
