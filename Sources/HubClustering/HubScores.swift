import GeoCore

/// A power station near a hub.
public struct PowerPlant: Sendable, Hashable {
    public var position: Position
    public var capacityMW: Double
    public var decarbonised: Bool
    public init(position: Position, capacityMW: Double, decarbonised: Bool) {
        self.position = position
        self.capacityMW = capacityMW
        self.decarbonised = decarbonised
    }
}

/// A cable landing station; `inConcentrationZone` is true on the Boso and Shima peninsulas.
public struct LandingStation: Sendable, Hashable {
    public var position: Position
    public var name: String
    public var inConcentrationZone: Bool
    public init(position: Position, name: String, inConcentrationZone: Bool) {
        self.position = position
        self.name = name
        self.inConcentrationZone = inConcentrationZone
    }
}

/// A named area given as polygons (lon/lat rings, exterior first).
public struct NamedArea: Sendable, Hashable {
    public var name: String
    public var polygons: [[[Position]]]
    public init(name: String, polygons: [[[Position]]]) {
        self.name = name
        self.polygons = polygons
    }
    public func contains(_ p: Position) -> Bool { Planar.contains(polygons: polygons, p) }
    /// Distance (km) from an outside point to the area's boundary, in the local tangent
    /// plane at the point (areas are prefectures and zones: error well under 1 %); 0 inside.
    public func distanceKm(from p: Position) -> Double {
        if contains(p) { return 0 }
        let plane = LocalTangentPlane(at: p)
        let origin = Position(0, 0)
        var best = Double.infinity
        for polygon in polygons {
            for ring in polygon where ring.count >= 2 {
                for i in 1..<ring.count {
                    best = min(best, Planar.distance(from: origin, toSegment: plane.project(ring[i - 1]), plane.project(ring[i])))
                }
            }
        }
        return best / 1000
    }
}

/// What the hubs are scored against.
public struct HubScoringContext: Sendable {
    public var powerPlants: [PowerPlant]
    public var landings: [LandingStation]
    public var metroAreas: [NamedArea]
    public var earthquakeSources: [NamedArea]
    public var tokyo: Position
    public var osaka: Position
    public init(powerPlants: [PowerPlant], landings: [LandingStation], metroAreas: [NamedArea],
                earthquakeSources: [NamedArea],
                tokyo: Position = Position(139.7671, 35.6812),     // Tokyo Station
                osaka: Position = Position(135.4959, 34.7025)) {   // Osaka Station (Umeda)
        self.powerPlants = powerPlants
        self.landings = landings
        self.metroAreas = metroAreas
        self.earthquakeSources = earthquakeSources
        self.tokyo = tokyo
        self.osaka = osaka
    }
}

/// Weights of the six criteria (any non-negative values; the total divides by their sum).
public struct HubScoreWeights: Sendable, Hashable {
    public var power: Double, headroom: Double, cables: Double, latency: Double, hazard: Double, subsidy: Double
    public init(power: Double, headroom: Double, cables: Double, latency: Double, hazard: Double, subsidy: Double) {
        self.power = power; self.headroom = headroom; self.cables = cables
        self.latency = latency; self.hazard = hazard; self.subsidy = subsidy
    }
    var sum: Double { power + headroom + cables + latency + hazard + subsidy }
}

/// Raw values and 0…1 scores of one hub. Every score is a documented function of a raw value,
/// rounded to 4 decimals; `total` is Σ weight × score / Σ weight over the rounded scores,
/// rounded to 4 decimals, so a user can redo the ranking by hand from the output.
public struct HubScore: Sendable, Hashable {
    // Raw values.
    public var decarbonisedMW: Double          // decarbonised capacity within the power radius
    public var generationMW: Double            // all capacity within the power radius
    public var sitePowerMW: Double             // Σ power_available_mw declared by the members
    public var headroomMW: Double              // generationMW + sitePowerMW − hub load
    public var landingKmOutsideBosoShima: Double?
    public var landingOutsideBosoShima: String?
    public var landingKmAny: Double?
    public var landingAny: String?
    public var rttMsTokyo: Double
    public var rttMsOsaka: Double
    public var earthquakeSourceKm: Double?     // 0 inside a source region; nil when none given
    public var earthquakeSource: String?       // the nearest source region
    public var outsideMetro: Bool
    // Scores.
    public var power: Double, headroom: Double, cables: Double, latency: Double, hazard: Double, subsidy: Double
    public var total: Double

    /// Score rules (documented in docs/planners/hubs.md):
    /// power    = min(1, decarbonisedMW / loadMW)
    /// headroom = clamp((generationMW + sitePowerMW − loadMW) / loadMW, 0, 1)
    /// cables   = 1 − min(1, landingKmOutsideBosoShima / 200)       (0 when there is none)
    /// latency  = 1 − min(1, min(rttMsTokyo, rttMsOsaka) / 20)
    /// hazard   = min(1, earthquakeSourceKm / 100)                   (1 when no regions given)
    /// subsidy  = 1 outside the Tokyo and Osaka areas, else 0
    public static let cablesFullKm = 200.0
    public static let latencyZeroMs = 20.0
    public static let hazardFullKm = 100.0
}

public enum HubScoring {
    /// Scores one hub centre with load `loadMW`. O(plants + landings + area vertices).
    /// `sitePowerMW` is power the members themselves declare available (`power_available_mw`),
    /// counted towards headroom on top of the plants within the radius.
    public static func score(centre: Position, loadMW: Double, sitePowerMW: Double = 0, context: HubScoringContext,
                             powerRadiusKm: Double, routeFactor: Double,
                             weights: HubScoreWeights) -> HubScore {
        var decarbonised = 0.0, generation = 0.0
        for plant in context.powerPlants where Geodesic.distanceKm(centre, plant.position) <= powerRadiusKm {
            generation += plant.capacityMW
            if plant.decarbonised { decarbonised += plant.capacityMW }
        }
        var outside: (km: Double, name: String)? = nil, any: (km: Double, name: String)? = nil
        for landing in context.landings {
            let d = Geodesic.distanceKm(centre, landing.position)
            if any == nil || d < any!.km { any = (d, landing.name) }
            if !landing.inConcentrationZone, outside == nil || d < outside!.km { outside = (d, landing.name) }
        }
        var quake: (km: Double, name: String)? = nil
        for area in context.earthquakeSources {
            let d = area.distanceKm(from: centre)
            if quake == nil || d < quake!.km { quake = (d, area.name) }
        }
        let outsideMetro = !context.metroAreas.contains { $0.contains(centre) }
        let rttTokyo = FiberLatency.rttMs(distanceKm: Geodesic.distanceKm(centre, context.tokyo), routeFactor: routeFactor)
        let rttOsaka = FiberLatency.rttMs(distanceKm: Geodesic.distanceKm(centre, context.osaka), routeFactor: routeFactor)
        let load = max(loadMW, 1e-9)
        let power = round4(min(1, decarbonised / load))
        let headroomMW = generation + sitePowerMW - loadMW
        let headroom = round4(min(1, max(0, headroomMW / load)))
        let cables = outside.map { round4(1 - min(1, $0.km / HubScore.cablesFullKm)) } ?? 0
        let latency = round4(1 - min(1, min(rttTokyo, rttOsaka) / HubScore.latencyZeroMs))
        let hazard = quake.map { round4(min(1, $0.km / HubScore.hazardFullKm)) } ?? 1
        let subsidy: Double = outsideMetro ? 1 : 0
        let weightSum = weights.sum
        let total = weightSum > 0
            ? round4((weights.power * power + weights.headroom * headroom + weights.cables * cables
                      + weights.latency * latency + weights.hazard * hazard + weights.subsidy * subsidy) / weightSum)
            : 0
        return HubScore(decarbonisedMW: decarbonised, generationMW: generation, sitePowerMW: sitePowerMW, headroomMW: headroomMW,
                        landingKmOutsideBosoShima: outside?.km, landingOutsideBosoShima: outside?.name,
                        landingKmAny: any?.km, landingAny: any?.name, rttMsTokyo: rttTokyo, rttMsOsaka: rttOsaka,
                        earthquakeSourceKm: quake?.km, earthquakeSource: quake?.name, outsideMetro: outsideMetro,
                        power: power, headroom: headroom, cables: cables, latency: latency, hazard: hazard,
                        subsidy: subsidy, total: total)
    }

    static func round4(_ x: Double) -> Double { (x * 10_000).rounded() / 10_000 }
}
