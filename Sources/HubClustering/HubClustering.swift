import GeoCore

/// Capacitated max-p clustering of DC sites into hubs.
///
/// Problem. Choose hub centres among the sites (plus any fixed centres) and assign sites to
/// them so that every member lies within `maxRadiusKm` (geodesic) of its centre and every
/// hub holds at least `minHubMW`. The objective is lexicographic:
///   1. maximise the number of hubs p (max-p-regions, Duque, Anselin & Rey 2012,
///      J. Regional Science 52(3) 397–419);
///   2. maximise the capacity in hubs — every site within reach of some centre joins a hub,
///      so a site is left out only when no centre is within the latency bound;
///   3. minimise Σ capacity × distance to centre (MW·km), so each centre ends at the
///      capacity-weighted medoid of its members (the capacitated p-median objective,
///      Mulvey & Beck 1984, EJOR 18(3) 339–348).
/// Without level 2, level 3 would be minimised by shrinking every hub to the floor and
/// leaving reachable sites out, which no planner wants.
///
/// Method (after Wei, Rey & Knaap 2021, "Efficient regionalization for spatially explicit
/// neighborhood delineation", IJGIS 35(1) 135–151: many cheap randomised constructions,
/// each improved by local search, keep the best):
///   - Construction: candidate centres are sites whose latency ball holds ≥ floor; they are
///     seeded least-flexible first (smallest ball capacity, a min-degree order as for
///     maximum independent set), the order perturbed between restarts; a hub grows from its
///     seed nearest-first until it meets the floor (so it uses as little as needed).
///   - Hub-count moves: open — a new centre gathers unassigned sites and the surplus of
///     neighbouring hubs (members whose removal keeps those hubs at the floor); (q, q+1)-swap
///     — close one hub (or two neighbours) and reopen as many as possible around them, with
///     several first seeds and a subset-sum split for pairs of new centres, kept when that
///     yields more hubs (the (1,2)-swap of Andrade, Resende & Werneck 2012, J. Heuristics 18,
///     525–547, generalised).
///   - Enclave assignment: every unassigned site within reach of a centre joins the nearest.
///   - Compactness local search: centre relocation to the weighted medoid of the members,
///     member moves to a nearer centre, and member swaps between hubs when a move alone
///     would break a floor (the move/swap neighbourhoods of capacitated clustering,
///     Osman & Christofides 1994, ITOR 1(3) 317–336).
///   - Exact neighbourhood repair, in parts the integer programme does not solve and whose
///     hubs fall short of their capacity bound: a few adjacent hubs are destroyed and their
///     window re-packed by CBC with neighbouring hubs as donors, kept when it adds a hub
///     (large-neighbourhood search, Shaw 1998; Pisinger & Ropke 2010). Details, budget and
///     determinism in MaxPSearch+Repair.swift.
///   - Stopping rule: local search ends at the first pass that changes nothing (every
///     change strictly improves (capacity in hubs, −cost), so it cannot cycle), after
///     `maxPasses` passes, or — above 5,000 sites — when a pass gains < 0.01 % of the cost;
///     hub-count phases repeat until a round opens nothing (at most 3 rounds; 1 above 2,000
///     sites).
///   - Large inputs (> 5,000 sites): ball capacities are grid upper bounds (CapacityGrid),
///     hubs grow from k-nearest queries, stealing scans stop at 1,024 neighbours, relocation
///     tries the 8 members nearest the weighted mean.
///
/// Complexity, with n sites, k sites per latency ball, p hubs, m members per hub and r
/// restarts, each step times r: ball capacities O(n (log n + k)) (O(n) by grid above 5,000
/// sites); construction O(n log n + Σ k′ log k′) with k′ the neighbours a seed scans; the
/// swap phase O(p · s · k′ log k′) with s candidate seeds (6 for large inputs); a local-search
/// pass O(n log p + p · 24 · m) geodesic evaluations. Memory O(n) plus the ball cache,
/// capped at 4 million entries. Measured times and memory: docs/planners/hubs.md, "Benchmark".
public enum HubClustering {
    /// Solves one instance. Throws only for invalid values (non-finite or negative capacity,
    /// invalid coordinates, non-positive floor or radius); empty input gives no hubs.
    public static func solve(sites: [HubSite], fixedCentres: [Position] = [],
                             options: HubClusteringOptions,
                             progress: ProgressCallback? = nil) throws -> HubClusteringResult {
        guard options.minHubMW.isFinite, options.minHubMW > 0 else {
            throw HubClusteringError("min_hub_mw must be a positive number, got \(options.minHubMW)", category: .usage)
        }
        guard options.maxRadiusKm.isFinite, options.maxRadiusKm > 0 else {
            throw HubClusteringError("the latency radius must be a positive number of km, got \(options.maxRadiusKm)", category: .usage)
        }
        for (i, s) in sites.enumerated() {
            guard s.capacityMW.isFinite, s.capacityMW >= 0 else {
                throw HubClusteringError("site \(i): capacity_mw must be a non-negative number, got \(s.capacityMW)")
            }
            guard validLonLat(s.position) else { throw HubClusteringError("site \(i): invalid lon/lat") }
        }
        for (i, p) in fixedCentres.enumerated() where !validLonLat(p) {
            throw HubClusteringError("fixed centre \(i): invalid lon/lat")
        }
        let search = MaxPSearch(sites: sites, fixed: fixedCentres, options: options)
        return search.run(progress: progress)
    }

    static func validLonLat(_ p: Position) -> Bool {
        p.lon.isFinite && p.lat.isFinite && abs(p.lat) <= 90 && abs(p.lon) <= 180
    }
}
