import GeoCore

/// One candidate data-centre site: where it is, how much IT load it can host, and whether it
/// lies in the Tokyo or Osaka metro area (which the policy steers hubs away from).
public struct HubSite: Sendable, Hashable {
    public var position: Position
    public var capacityMW: Double
    public var inMetroArea: Bool

    public init(position: Position, capacityMW: Double, inMetroArea: Bool = false) {
        self.position = position
        self.capacityMW = capacityMW
        self.inMetroArea = inMetroArea
    }
}

/// Knobs of the clustering problem and of the search.
public struct HubClusteringOptions: Sendable, Hashable {
    /// Every hub holds at least this much capacity (MW).
    public var minHubMW: Double
    /// Every member lies within this geodesic distance of its hub centre (km). Derive it from
    /// a round-trip budget with `FiberLatency.radiusKm(rttMs:routeFactor:)`.
    public var maxRadiusKm: Double
    /// No hub centre inside a metro area.
    public var excludeMetroCentres: Bool
    /// Sites in a metro area may still join a hub whose centre lies outside.
    public var allowMetroMembers: Bool
    /// Independent constructions (different seed orders), each followed by local search;
    /// nil chooses by instance size (many for small instances, one for 100k sites).
    public var restarts: Int?
    /// Upper bound on local-search passes per restart (the search normally stops earlier,
    /// at the first pass that improves nothing).
    public var maxPasses: Int
    /// Seed of the deterministic generator that perturbs seed orders between restarts.
    public var seed: UInt64
    /// Whether independent parts are solved exactly by integer programming (CBC).
    public var exact: HubExactMode
    /// With `exact == .auto`, parts of at most this many sites are solved exactly.
    public var exactSiteLimit: Int
    /// Wall-clock budget for all exact solves and LP bounds together (seconds); a part the
    /// budget does not reach keeps the heuristic's answer and reports its gap.
    public var exactTimeLimitSeconds: Double
    /// Wall-clock budget of the exact neighbourhood repair of the heuristic's hubs, in parts
    /// the integer programme does not solve (seconds; 0 turns the repair off).
    public var repairTimeLimitSeconds: Double

    /// Every value that is a user's parameter is given here: the engine has no defaults of
    /// its own for them (`wattbit hubs` declares them).
    public init(minHubMW: Double, maxRadiusKm: Double, excludeMetroCentres: Bool, allowMetroMembers: Bool,
                restarts: Int?, maxPasses: Int = 50, seed: UInt64, exact: HubExactMode, exactSiteLimit: Int,
                exactTimeLimitSeconds: Double, repairTimeLimitSeconds: Double) {
        self.minHubMW = minHubMW
        self.maxRadiusKm = maxRadiusKm
        self.excludeMetroCentres = excludeMetroCentres
        self.allowMetroMembers = allowMetroMembers
        self.restarts = restarts
        self.maxPasses = maxPasses
        self.seed = seed
        self.exact = exact
        self.exactSiteLimit = exactSiteLimit
        self.exactTimeLimitSeconds = exactTimeLimitSeconds
        self.repairTimeLimitSeconds = repairTimeLimitSeconds
    }
}

/// A hub: a centre and the sites that run with it as one virtual DC.
public struct Hub: Sendable, Hashable {
    /// The site at the centre, or nil for a fixed centre that is not one of the sites.
    public var centreSite: Int?
    /// Index into the `fixedCentres` given to `solve`, when the hub was grown around one.
    public var fixedCentre: Int?
    public var centre: Position
    /// Member sites (the centre site included), nearest to the centre first, ties by index.
    public var members: [Int]
    /// Geodesic km from the centre, parallel to `members`.
    public var memberDistanceKm: [Double]
    public var totalMW: Double
    /// Σ capacity × distance to centre over the members (MW·km): the compactness objective.
    public var costMWKm: Double
    public var maxDistanceKm: Double
}

/// Why a site is in no hub.
public enum UnassignedReason: Sendable, Hashable {
    /// In a metro area while metro members are not allowed.
    case metroArea
    /// No hub centre within the latency bound although enough capacity lies around it:
    /// the capacity is held by hubs centred out of reach. Carries the nearest hub centre.
    case beyondLatency(nearestHubKm: Double?)
    /// No site within the latency bound gathers the floor: the best reachable group holds
    /// `reachableMW` < floor.
    case shortOfFloor(reachableMW: Double)
}

/// The lexicographic objective: more hubs, then more capacity in hubs, then compactness.
public struct HubObjective: Sendable, Hashable, Comparable {
    public var hubCount: Int
    public var assignedMW: Double
    public var costMWKm: Double

    public init(hubCount: Int, assignedMW: Double, costMWKm: Double) {
        self.hubCount = hubCount
        self.assignedMW = assignedMW
        self.costMWKm = costMWKm
    }

    /// `a < b` means a is better. Capacity and cost compare with a tolerance so that
    /// floating-point summation order cannot flip a comparison.
    public static func < (a: HubObjective, b: HubObjective) -> Bool {
        if a.hubCount != b.hubCount { return a.hubCount > b.hubCount }
        let mwTolerance = 1e-9 * max(1, abs(a.assignedMW), abs(b.assignedMW))
        if abs(a.assignedMW - b.assignedMW) > mwTolerance { return a.assignedMW > b.assignedMW }
        let costTolerance = 1e-9 * max(1, abs(a.costMWKm), abs(b.costMWKm))
        if abs(a.costMWKm - b.costMWKm) > costTolerance { return a.costMWKm < b.costMWKm }
        return false
    }
}

public struct HubClusteringResult: Sendable {
    /// Hubs in a stable order: fixed hubs first (in the order given), then by centre site.
    public var hubs: [Hub]
    /// Sites in no hub, ascending index, with the reason.
    public var unassigned: [(site: Int, reason: UnassignedReason)]
    /// Fixed centres that could not gather the floor (their sites went back to the pool).
    public var droppedFixedCentres: [Int]
    public var objective: HubObjective
    /// Restarts run, and the restart that produced the answer (0-based).
    public var restartsRun: Int
    public var bestRestart: Int
    /// Bounds and proof of optimality.
    public var optimality: HubOptimality
    /// What the exact neighbourhood repair of the heuristic did.
    public var repair: HubRepairStats
}

/// A request the engine cannot plan: options out of range (`usage`) or a site it cannot
/// use (`badData`).
public struct HubClusteringError: CategorizedError {
    public var message: String
    public var category: ErrorCategory
    public init(_ message: String, category: ErrorCategory = .badData) {
        self.message = message
        self.category = category
    }
    public var description: String { message }
}
