import GeoCore

// The state of the max-p search behind `HubClustering.solve` (problem, method, citations and
// complexity in HubClustering.swift): sites, fixed centres and their latency balls here; the
// assignment primitives with their trial journal in MaxPSearch+State.swift, the hub-count
// phases in MaxPSearch+Phases.swift, compactness local search in MaxPSearch+LocalSearch.swift,
// the restart driver in MaxPSearch+Driver.swift, the exact neighbourhood repair in
// MaxPSearch+Repair.swift and the exact phase in ExactHubs.swift.

struct Neighbour {
    var site: Int32
    var km: Double
}

final class MaxPSearch {
    let siteCount: Int            // real sites; fixed centres follow as virtual points
    let pointCount: Int
    let position: [Position]
    let weight: [Double]
    let memberOK: [Bool]
    let centreOK: [Bool]
    let radiusKm: Double
    let floorMW: Double
    let options: HubClusteringOptions
    let fixedCount: Int

    let memberIndex: PointIndex
    let memberIds: [Int]
    var ballCache: [[Neighbour]?]
    var cachedEntries = 0
    static let ballCacheBudget = 4_000_000
    /// Capacity of member-eligible sites within reach of each point (0 when not a centre candidate).
    var ballMW: [Double] = []

    // Search state.
    var hubOf: [Int32]
    var distKm: [Double]
    var slot: [Int32]
    var hubCentre: [Int] = []
    var hubMW: [Double] = []
    var hubAlive: [Bool] = []
    var hubMembers: [[Int32]] = []
    var hubFixed: [Bool] = []

    struct JournalEntry { var site: Int32; var previousHub: Int32; var previousKm: Double }
    var journal: [JournalEntry]? = nil
    var journalClosed: [Int] = []

    var centreIndex: PointIndex? = nil
    /// Unassigned member-eligible capacity on a grid (upper bounds for seeds).
    var available = CapacityGrid(points: [], radiusKm: 1)
    /// Hubs whose membership changed since their last relocation.
    var hubDirty: [Bool] = []
    /// Whether new hubs give back surplus members (varied between restarts).
    var trimOnOpen = false
    var centreIndexHubs: [Int] = []

    /// Floor checks tolerate summation drift; final totals are recomputed exactly.
    var floorWithSlack: Double { floorMW - 1e-7 * max(1, floorMW) }

    init(sites: [HubSite], fixed: [Position], options: HubClusteringOptions) {
        siteCount = sites.count
        fixedCount = fixed.count
        pointCount = sites.count + fixed.count
        self.options = options
        radiusKm = options.maxRadiusKm
        floorMW = options.minHubMW
        position = sites.map(\.position) + fixed
        weight = sites.map(\.capacityMW) + Array(repeating: 0, count: fixed.count)
        let metroFullyEligible = !options.excludeMetroCentres
        memberOK = sites.map { !$0.inMetroArea || options.allowMetroMembers || metroFullyEligible }
            + Array(repeating: false, count: fixed.count)
        centreOK = sites.map { !$0.inMetroArea || metroFullyEligible } + Array(repeating: true, count: fixed.count)
        var ids: [Int] = []
        var idPositions: [Position] = []
        for i in 0..<sites.count where memberOK[i] { ids.append(i); idPositions.append(sites[i].position) }
        memberIds = ids
        memberIndex = PointIndex(idPositions)
        ballCache = Array(repeating: nil, count: pointCount)
        hubOf = Array(repeating: -1, count: pointCount)
        distKm = Array(repeating: 0, count: pointCount)
        slot = Array(repeating: -1, count: pointCount)
    }

    // MARK: Balls

    /// Member-eligible sites within the radius of point `c`, nearest first (ties by index).
    func ball(_ c: Int) -> [Neighbour] {
        if let cached = ballCache[c] { return cached }
        let centre = position[c]
        var result = memberIndex.within(km: radiusKm, of: centre).map { k -> Neighbour in
            let site = memberIds[k]
            return Neighbour(site: Int32(site), km: site == c ? 0 : Geodesic.distanceKm(centre, position[site]))
        }
        result.sort { $0.km != $1.km ? $0.km < $1.km : $0.site < $1.site }
        if cachedEntries + result.count <= MaxPSearch.ballCacheBudget {
            ballCache[c] = result
            cachedEntries += result.count
        }
        return result
    }

    /// Up to `count` member-eligible sites nearest to point `c` within the radius, nearest
    /// first (ties by index), and whether that is all of them.
    func nearestMembers(of c: Int, count: Int) -> (neighbours: [Neighbour], exhausted: Bool) {
        if siteCount <= MaxPSearch.smallInstance || ballCache[c] != nil {
            return (ball(c), true)
        }
        let found = memberIndex.kNearest(count, to: position[c])
        var result: [Neighbour] = []
        result.reserveCapacity(found.count)
        for f in found {
            if f.distanceKm > radiusKm { return (result, true) }
            let site = memberIds[f.index]
            result.append(Neighbour(site: Int32(site), km: site == c ? 0 : f.distanceKm))
        }
        return (result, found.count < count)
    }

    /// A member considers moving to its nearest few centres only.
    static let moveCentres = 8

    /// Below this many sites every ball is cached and searched whole.
    static let smallInstance = 5000

    /// Ball capacities: exact for small inputs; above `smallInstance` sites the grid upper
    /// bound (box of cells around the ball), which is enough to filter and order seeds —
    /// every hub is still grown from exact neighbour queries.
    func computeBallCapacities() {
        ballMW = Array(repeating: 0, count: pointCount)
        if siteCount > MaxPSearch.smallInstance {
            var grid = CapacityGrid(points: position, radiusKm: radiusKm)
            for i in 0..<siteCount where memberOK[i] { grid.add(position[i], weight[i]) }
            for c in 0..<pointCount where centreOK[c] { ballMW[c] = grid.upperBound(around: position[c], radiusKm: radiusKm) }
            return
        }
        for c in 0..<pointCount where centreOK[c] {
            var total = 0.0
            for k in memberIndex.within(km: radiusKm, of: position[c]) { total += weight[memberIds[k]] }
            ballMW[c] = total
        }
    }
}
