import Foundation
import GeoCore

/// A place a cable can land (or, for an international end, a gateway at sea).
public struct Landing: Sendable, Hashable {
    public var name: String
    public var position: Position
    public init(name: String, position: Position) {
        self.name = name
        self.position = position
    }
}

/// One end of a route: one landing, or a set of candidates the planner chooses among.
public struct RouteEnd: Sendable, Hashable {
    /// How the user named it ("Ishikari", "139.8,35.6", "hubs.geojson").
    public var label: String
    public var candidates: [Landing]
    /// An international end: a gateway at sea, not a landing in Japan (no snapping, no
    /// concentration-zone or subsidy test).
    public var isInternational: Bool

    public init(label: String, candidates: [Landing], isInternational: Bool = false) {
        self.label = label
        self.candidates = candidates
        self.isInternational = isInternational
    }
}

/// What to plan.
public struct RouteRequest: Sendable {
    public var from: RouteEnd
    public var to: RouteEnd
    /// Intermediate stops, in order (a single route through all of them).
    public var via: [RouteEnd]
    /// Number of mutually separated routes wanted (K).
    public var routes: Int
    public var minSeparationKm: Double
    /// Radius around route ends inside which separation and coast clearance do not apply.
    public var approachKm: Double
    /// A landing on land moves to the nearest coast within this distance, else is refused.
    public var snapKm: Double
    /// Let routes pass through (not land in) the concentration zones.
    public var allowConcentrationZones: Bool
    /// Let routes land in the concentration zones.
    public var allowConcentrationLanding: Bool
    /// With candidate sets: each route lands at stations no other route uses.
    public var distinctLandings: Bool
    /// Extra hard exclusions (Polygon / MultiPolygon).
    public var avoid: [Geometry]
    public var costPerKmUSD: Double
    /// Maximum segment length of the densified output line.
    public var displaySegmentKm: Double
    /// Existing cable systems routes keep away from (and are measured against).
    public var existing: [ExistingCable]
    /// Distance kept from every existing cable outside the approaches; 0 = measure only.
    public var minSeparationExistingKm: Double

    /// Every value that is a user's parameter is given here: the engine has no defaults of
    /// its own for them (the planner's parameter declarations hold the defaults).
    public init(from: RouteEnd, to: RouteEnd, via: [RouteEnd] = [], routes: Int,
                minSeparationKm: Double, approachKm: Double, snapKm: Double,
                allowConcentrationZones: Bool, allowConcentrationLanding: Bool,
                distinctLandings: Bool, avoid: [Geometry] = [], costPerKmUSD: Double,
                displaySegmentKm: Double, existing: [ExistingCable] = [], minSeparationExistingKm: Double) {
        self.from = from
        self.to = to
        self.via = via
        self.routes = routes
        self.minSeparationKm = minSeparationKm
        self.approachKm = approachKm
        self.snapKm = snapKm
        self.allowConcentrationZones = allowConcentrationZones
        self.allowConcentrationLanding = allowConcentrationLanding
        self.distinctLandings = distinctLandings
        self.avoid = avoid
        self.costPerKmUSD = costPerKmUSD
        self.displaySegmentKm = displaySegmentKm
        self.existing = existing
        self.minSeparationExistingKm = minSeparationExistingKm
    }
}

/// A landing as used by a route: where it was asked for and where the cable lands.
public struct UsedLanding: Sendable, Hashable {
    public var name: String
    /// The requested position.
    public var requested: Position
    /// The landing point (the requested one, or the nearest coast when snapped).
    public var position: Position
    public var snappedKm: Double
    /// The concentration zone it lies in, if any.
    public var concentrationZone: String?
    public var isInternational: Bool
}

/// One planned route.
public struct PlannedRoute: Sendable {
    public var rank: Int
    public var from: UsedLanding
    public var to: UsedLanding
    /// Intermediate landings of a `via` route.
    public var stops: [UsedLanding]
    /// Vertices; consecutive vertices are joined by geodesics.
    public var vertices: [Position]
    /// The smallest distance to the coast outside the approach circles (nil when the
    /// route lies entirely inside them).
    public var minCoastKm: Double?
    /// The narrowest passage the route runs through: twice `minCoastKm` when that is below
    /// the coast clearance (clearance narrows to half a passage's width), else nil.
    public var narrowestPassageKm: Double?
    /// `vertices` densified geodesically for display.
    public var line: [Position]
    public var lengthKm: Double
    /// Geodesic distance between the two ends.
    public var geodesicKm: Double
    public var detourRatio: Double { geodesicKm > 0 ? lengthKm / geodesicKm : 1 }
    /// Σ segment length × cost multiplier (km-equivalent).
    public var cost: Double
    /// The measured separation: the smallest distance to any other route outside the
    /// approaches (nil when alone). At least the request's `minSeparationKm`, usually more.
    public var achievedSeparationKm: Double?
    /// Length inside each hazard kind, by kind name.
    public var hazardKm: [String: Double]
    public var subsidyRate: Double
    public var oneWayLatencyMs: Double
    public var estimatedCostUSD: Double
}

public struct RoutePlan: Sendable {
    public var routes: [PlannedRoute]
    /// What the user should know about the answer: snapped landings, fewer routes than
    /// asked, … (`RouteWarning.message(naming:)` words them).
    public var warnings: [RouteWarning]
}
