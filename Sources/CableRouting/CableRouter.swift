import Foundation
import GeoCore

/// Plans submarine-cable routes on a `SeaSurface`.
///
/// Per request: landings are checked (on land or in a lake: moved to the nearest water
/// connected to the ocean within `snapKm`; refused in a concentration zone), a mask is
/// made over the coarse cells (concentration zones, `avoid` polygons) with the landing
/// approaches (inside which fine water cells are open even within the coast clearance),
/// connectivity is checked by a bidirectional flood fill over the lattice (so an
/// unreachable end fails fast), and routes
/// are found one after another by `RouteSearch`; after each accepted route, a corridor of
/// `minSeparationKm` around its part outside the approaches is blocked for the next
/// ones (the iterative-penalty scheme for spatially separated paths). The separation
/// actually achieved is then measured geodesically and reported.
public struct CableRouter: Sendable {
    public let surface: SeaSurface

    public init(surface: SeaSurface) {
        self.surface = surface
    }

    struct Prepared {
        var used: UsedLanding
        var terminal: RouteSearch.Terminal
    }

    /// Plans the request. Throws `CableRoutingError` for anything the user can fix.
    /// Cost: one flood fill and one Lazy Theta* search per route, O(cells) memory.
    public func plan(_ request: RouteRequest, progress: ProgressCallback? = nil) throws -> RoutePlan {
        guard request.routes >= 1 else { throw CableRoutingError.noRoutesRequested(routes: request.routes) }
        guard request.minSeparationKm >= 0, request.approachKm >= 0, request.snapKm >= 0 else {
            throw CableRoutingError.invalidRequest("distances must not be negative")
        }
        let ends = [request.from] + request.via + [request.to]
        for end in ends where end.candidates.isEmpty {
            throw CableRoutingError.invalidRequest("\(end.label): no landing candidates")
        }
        for (a, b) in zip(ends, ends.dropFirst()) where a.candidates.count == 1 && b.candidates.count == 1 {
            if Geodesic.distanceKm(a.candidates[0].position, b.candidates[0].position) < 1 {
                throw CableRoutingError.invalidRequest("\(a.label) and \(b.label) are the same place; a route needs two different ends")
            }
        }
        var warnings: [RouteWarning] = []

        // 1. Landings: snap, refuse, zone test (independent of the mask).
        var landingsPerEnd: [[UsedLanding]] = []
        for end in ends {
            var accepted: [UsedLanding] = []
            var firstError: CableRoutingError?
            for candidate in end.candidates {
                do {
                    accepted.append(try checkLanding(candidate, international: end.isInternational, request: request))
                } catch let error as CableRoutingError {
                    if end.candidates.count > 1 { warnings.append(.skippedCandidate(end: end.label, error: error)) }
                    if firstError == nil { firstError = error }
                }
            }
            if accepted.isEmpty, let firstError {
                if end.candidates.count > 1 {
                    throw CableRoutingError.noCandidateLands(end: end.label, candidates: end.candidates.count, first: firstError)
                }
                throw firstError
            }
            for landing in accepted where landing.snappedKm > 0.5 {
                warnings.append(.snapped(landing: landing.name, km: landing.snappedKm))
            }
            landingsPerEnd.append(accepted)
        }

        // 2. The blocked mask for this request.
        let allLandings = landingsPerEnd.flatMap { $0 }
        let base = blockedMask(request: request, landings: allLandings)

        // 3. Terminals (approach legs) per landing.
        let approaches = approachCircles(landings: allLandings, request: request)
        var preparedPerEnd: [[Prepared]] = []
        for (k, landings) in landingsPerEnd.enumerated() {
            var prepared: [Prepared] = []
            var firstError: CableRoutingError?
            for (index, landing) in landings.enumerated() {
                do {
                    let t = try terminal(for: landing, candidate: index, blocked: base, approaches: approaches, request: request)
                    prepared.append(Prepared(used: landing, terminal: t))
                } catch let error as CableRoutingError {
                    if landings.count > 1 { warnings.append(.skippedCandidate(end: ends[k].label, error: error)) }
                    if firstError == nil { firstError = error }
                }
            }
            if prepared.isEmpty, let firstError { throw firstError }
            preparedPerEnd.append(prepared)
        }

        var routes: [PlannedRoute] = []
        if !request.via.isEmpty {
            if request.routes > 1 { warnings.append(.viaIgnoresRoutes(routes: request.routes)) }
            routes.append(try planVia(ends: ends, prepared: preparedPerEnd, blocked: base, approaches: approaches,
                                      request: request, progress: progress))
        } else {
            routes = try planSeparated(from: ends[0], to: ends[1], sources: preparedPerEnd[0], goals: preparedPerEnd[1],
                                       blocked: base, approaches: approaches, request: request, warnings: &warnings,
                                       progress: progress)
        }
        for route in routes { try verifyAtSea(route, approachKm: request.approachKm) }
        measureSeparation(&routes, approachKm: request.approachKm)
        progress?(1, "search")
        return RoutePlan(routes: routes, warnings: warnings)
    }

    /// Nodes each side of the connectivity flood may reach before the search takes over
    /// (pockets are smaller; the open sea is far larger).
    static let floodBudget = 20_000

    var minMultiplier: Double {
        surface.minMultiplier
    }

    // MARK: Landings

    func checkLanding(_ landing: Landing, international: Bool, request: RouteRequest) throws -> UsedLanding {
        var p = landing.position
        let region = surface.options.region
        guard p.lon.isFinite, p.lat.isFinite else {
            throw CableRoutingError.outsideRegion("\(landing.name): position is not a number")
        }
        if international {
            // A gateway beyond the region enters it where the region boundary is nearest.
            let inset = 1e-3
            p = Position(min(max(p.lon, region.minX + inset), region.maxX - inset),
                         min(max(p.lat, region.minY + inset), region.maxY - inset))
            return UsedLanding(name: landing.name, requested: landing.position, position: p, snappedKm: 0,
                               concentrationZone: nil, isInternational: true)
        }
        guard region.contains(p) else {
            throw CableRoutingError.outsideRegion(
                "\(landing.name) at \(format4(p.lon)),\(format4(p.lat)) lies outside the planning region lon \(format1(region.minX))–\(format1(region.maxX)), lat \(format1(region.minY))–\(format1(region.maxY))")
        }
        var snapped = 0.0
        // A landing on land moves to the nearest shore of the sea (never a lake's). A landing
        // in water stays: harbour water connects through the fine cells, and water the
        // lattice finds closed (a lagoon) gets an approach leg to the nearest sea (`terminal`).
        if surface.land.contains(p) {
            let onLand = true
            guard let shore = oceanShore(near: p, withinKm: request.snapKm) else {
                let reach = max(2 * request.snapKm, 50)
                let shore: CableRoutingError.LandingBeyondSnap.Shore
                if let sea = oceanShore(near: p, withinKm: reach) {
                    shore = .sea(km: sea.distanceKm)
                } else if onLand, let coast = surface.land.nearestCoast(to: p, withinKm: 500), coast.distanceKm > request.snapKm {
                    shore = .coast(km: coast.distanceKm)
                } else {
                    shore = .beyond(km: reach)
                }
                let lake = onLand ? surface.land.nearestCoast(to: p, withinKm: request.snapKm)?.distanceKm : nil
                throw CableRoutingError.landingBeyondSnap(.init(landing: landing.name, position: p, shore: shore,
                                                                snapKm: request.snapKm, closedWaterKm: lake))
            }
            snapped = shore.distanceKm
            p = shore.point
        }
        let zone = surface.zone(containing: p)?.name
        if let zone, !request.allowConcentrationLanding {
            throw CableRoutingError.landingInConcentrationZone(landing: landing.name, zone: zone)
        }
        return UsedLanding(name: landing.name, requested: landing.position, position: p, snappedKm: snapped,
                           concentrationZone: zone, isInternational: false)
    }

    /// The nearest point of a shore of ocean-connected water to `p` within `withinKm`:
    /// the nearest coastline point whose seaward side is ocean (lakes and closed lagoons
    /// are passed over), else the coast point nearest to the nearest ocean cell.
    func oceanShore(near p: Position, withinKm radius: Double) -> (point: Position, distanceKm: Double)? {
        let fine = surface.fineCellKm
        for candidate in surface.land.coastPoints(near: p, withinKm: radius, limit: 64) {
            // Step just past the coastline, away from p (or across the segment when p is on it).
            let q = candidate.point
            let d = max(candidate.distanceKm, 1e-9)
            let step = 1.2 * fine / d
            var outside = Position(q.lon + (q.lon - p.lon) * step, q.lat + (q.lat - p.lat) * step)
            if candidate.distanceKm < 1e-6 { outside = q }
            if surface.isOceanWater(outside) || oceanNode(near: outside, withinKm: 2 * fine) != nil {
                return (q, candidate.distanceKm)
            }
        }
        guard let node = oceanNode(near: p, withinKm: radius) else { return nil }
        let c = surface.lattice.center(node.node)
        let center = surface.grid.position(gx: c.0, gy: c.1)
        let shore = surface.land.nearestCoast(to: center, withinKm: surface.grid.cellKm * 2)?.point ?? center
        let km = Geodesic.distanceKm(p, shore)
        return km <= radius + fine ? (shore, km) : nil
    }

    /// The nearest lattice node to `p` (by centre, great-circle km) within `radiusKm` that
    /// passes `accept` (default: ocean water). Scans fine-lattice rings outwards and stops
    /// once a ring lies beyond the best found. O((radius / fine cell)²) at worst.
    func oceanNode(near p: Position, withinKm radiusKm: Double, accept: ((Int) -> Bool)? = nil) -> (node: Int, km: Double)? {
        let grid = surface.grid, lattice = surface.lattice
        guard let g = grid.gridCoordinates(p) else { return nil }
        let f = Double(lattice.factor)
        let fineGround = grid.groundKmPerCell(atGrid: g.gx, g.gy) / f
        let fx = Int((g.gx * f).rounded(.down)), fy = Int((g.gy * f).rounded(.down))
        let maxRing = Int((radiusKm / fineGround).rounded(.up)) + 1
        let u = Gnomonic.unitVector(p)
        var best: (node: Int, km: Double)?
        var checked = Set<Int>()
        func consider(_ x: Int, _ y: Int) {
            let n = lattice.node(fx: x, fy: y)
            guard n >= 0 else { return }
            if n < lattice.coarseCount && !checked.insert(n).inserted { return }
            guard accept?(n) ?? lattice.isOcean(n) else { return }
            let c = lattice.center(n)
            let km = Gnomonic.arcKm(u, grid.projection.unit(x: grid.minX + c.0 * grid.cellKm, y: grid.minY + c.1 * grid.cellKm))
            if km <= radiusKm, best == nil || km < best!.km || (km == best!.km && n < best!.node) { best = (n, km) }
        }
        for r in 0...maxRing {
            if let best, Double(r - 1) * fineGround > best.km { break }
            if r == 0 { consider(fx, fy); continue }
            for x in (fx - r)...(fx + r) { consider(x, fy - r); consider(x, fy + r) }
            for y in (fy - r + 1)...(fy + r - 1) { consider(fx - r, y); consider(fx + r, y) }
        }
        return best
    }

    /// The approach circles of the landings in grid units.
    func approachCircles(landings: [UsedLanding], request: RouteRequest) -> [RouteSearch.Approach] {
        guard request.approachKm > 0 else { return [] }
        let grid = surface.grid
        return landings.compactMap { landing in
            guard let g = grid.gridCoordinates(landing.position) else { return nil }
            let r = request.approachKm / grid.groundKmPerCell(atGrid: g.gx, g.gy)
            return RouteSearch.Approach(gx: g.gx, gy: g.gy, radius2: r * r)
        }
    }

    /// The search for one query. With `wholeBlocks`, refined blocks that the approach
    /// circles open entirely are crossed as one node (`SeaLattice.openingWholeBlocks`); tests
    /// of single nodes (`isOpen`) do not need that.
    func search(blocked: [Bool], approaches: [RouteSearch.Approach], wholeBlocks: Bool = true) -> RouteSearch {
        let lattice = wholeBlocks ? surface.lattice.openingWholeBlocks(inside: approaches.map { ($0.gx, $0.gy, $0.radius2) })
                                  : surface.lattice
        let skipping = wholeBlocks
            ? (surface.uniformSquares, UniformSquares.blockedTileDistance(blocked: blocked, width: surface.grid.width,
                                                                          height: surface.grid.height))
            : nil
        return RouteSearch(grid: surface.grid, lattice: lattice, multiplier: surface.multiplier, blocked: blocked,
                    approaches: approaches, minMultiplier: minMultiplier, skipping: skipping)
    }

    /// The search terminal of a landing: the landing itself when its node is open and
    /// ocean-connected, else the nearest such node (the landing approach leg).
    func terminal(for landing: UsedLanding, candidate: Int, blocked: [Bool], approaches: [RouteSearch.Approach],
                  request: RouteRequest) throws -> RouteSearch.Terminal {
        let grid = surface.grid, lattice = surface.lattice
        guard let g = grid.gridCoordinates(landing.position) else {
            throw CableRoutingError.outsideRegion("\(landing.name) lies outside the sea surface grid")
        }
        let search = search(blocked: blocked, approaches: approaches, wholeBlocks: false)
        let own = lattice.node(gx: g.gx, gy: g.gy)
        if own >= 0, lattice.isOcean(own), search.isOpen(own) {
            return RouteSearch.Terminal(node: own, gx: g.gx, gy: g.gy, legCost: 0, candidate: candidate)
        }
        let radius = max(3 * surface.fineCellKm, surface.options.coastClearanceKm + 2 * grid.cellKm,
                         landing.isInternational ? 50 : 0, min(request.snapKm, 10))
        // Prefer water that leads to the ocean; else any open water (the flood fill then
        // reports the end as enclosed).
        let found = oceanNode(near: landing.position, withinKm: radius) { lattice.isOcean($0) && search.isOpen($0) }
            ?? (own >= 0 && search.isOpen(own) ? (own, 0) : oceanNode(near: landing.position, withinKm: radius) { search.isOpen($0) })
        guard let found else {
            throw CableRoutingError.landingEnclosed(landing: landing.name, radiusKm: radius)
        }
        let c = lattice.center(found.node)
        return RouteSearch.Terminal(node: found.node, gx: c.0, gy: c.1, legCost: found.km, candidate: candidate)
    }

    // MARK: Mask

    /// Coarse cells this request closes: concentration zones not allowed and `avoid`
    /// polygons (every cell they touch).
    func blockedMask(request: RouteRequest, landings: [UsedLanding]) -> [Bool] {
        let grid = surface.grid
        let n = grid.cellCount
        var allowedZones = Set<Int>()
        if request.allowConcentrationZones {
            allowedZones = Set(1...max(1, surface.zones.count))
        } else {
            for landing in landings {
                if let name = landing.concentrationZone, let k = surface.zones.firstIndex(where: { $0.name == name }) {
                    allowedZones.insert(k + 1)
                }
            }
        }
        var blocked = [Bool](repeating: false, count: n)
        let zoneIndex = surface.zoneIndex
        if !surface.zones.isEmpty {
            for c in 0..<n {
                let z = Int(zoneIndex[c])
                if z != 0 && !allowedZones.contains(z) { blocked[c] = true }
            }
        }
        for polygon in request.avoid {
            SeaSurface.forEachPolygon(polygon) { rings in
                grid.rasterize(polygon: rings, includeBoundary: true) { blocked[$0] = true }
            }
        }
        stampExisting(into: &blocked, request: request, landings: landings.map(\.position))
        return blocked
    }

    // MARK: Connectivity

    /// Whether any source node connects to any goal node through open nodes (4-connected,
    /// as line of sight needs). Floods from both sides in turn and stops as soon as either
    /// side is exhausted or they meet, so an enclosed end is detected in time proportional
    /// to its enclosure. Returns nil when connected, else which side is enclosed.
    func enclosedSide(sources: [Int], goals: [Int], search: RouteSearch, budget: Int = .max) -> String? {
        // On the search's own nodes (an all-free block is one node), so the budget covers
        // open sea quickly and a pocket is walked cell by cell only where it is mixed.
        let lattice = search.lattice
        let scratch = NodeScratch(count: lattice.nodeCount)
        let mark = scratch.state
        var queues: [[Int]] = [[], []]
        var heads = [0, 0]
        let sources = sources.map(lattice.searchNode), goals = goals.map(lattice.searchNode)
        for c in sources where mark[c] == 0 { mark[c] = 1; queues[0].append(c) }
        for c in goals {
            if mark[c] == 1 { return nil }
            if mark[c] == 0 { mark[c] = 2; queues[1].append(c) }
        }
        var side = 0
        while true {
            if heads[side] >= queues[side].count { return side == 0 ? "from" : "to" }
            // Both sides reached far: neither is a pocket; the search decides the rest.
            if queues[0].count > budget && queues[1].count > budget { return nil }
            let mine: UInt8 = side == 0 ? 1 : 2
            var batch = 0
            var met = false
            while heads[side] < queues[side].count && batch < 64 && !met {
                let c = queues[side][heads[side]]
                heads[side] += 1
                batch += 1
                lattice.forEachSearchNeighbour(c, diagonal: false) { m in
                    if met { return }
                    let current = mark[m]
                    if current == mine || current == 3 { return }
                    if current != 0 { met = true; return }
                    guard search.isOpen(m) else { mark[m] = 3; return }
                    mark[m] = mine
                    queues[side].append(m)
                }
            }
            if met { return nil }
            side = 1 - side
        }
    }

    // MARK: Routes

    func planSeparated(from: RouteEnd, to: RouteEnd, sources allSources: [Prepared], goals allGoals: [Prepared],
                       blocked base: [Bool], approaches: [RouteSearch.Approach], request: RouteRequest,
                       warnings: inout [RouteWarning], progress: ProgressCallback?) throws -> [PlannedRoute] {
        var blocked = base
        var routes: [PlannedRoute] = []
        var usedSources = Set<Int>(), usedGoals = Set<Int>()
        let exemptions = (allSources + allGoals).map(\.used.position)
        for k in 0..<request.routes {
            // Distinct landings apply to ends with a choice; a single landing is shared.
            let distinctSources = request.distinctLandings && allSources.count > 1
            let distinctGoals = request.distinctLandings && allGoals.count > 1
            let sources = allSources.enumerated().filter { !distinctSources || !usedSources.contains($0.offset) }
            let goals = allGoals.enumerated().filter { !distinctGoals || !usedGoals.contains($0.offset) }
            if sources.isEmpty || goals.isEmpty {
                warnings.append(.fewerRoutes(.init(found: k, requested: request.routes, separationKm: request.minSeparationKm,
                                                   approachKm: request.approachKm, noUnusedLanding: true)))
                break
            }
            let search = search(blocked: blocked, approaches: approaches)
            let enclosed = enclosedSide(sources: sources.map(\.element.terminal.node),
                                        goals: goals.map(\.element.terminal.node), search: search, budget: Self.floodBudget)
            if let enclosed {
                if k == 0 {
                    let end = enclosed == "from" ? from : to
                    throw CableRoutingError.endEnclosed(from: from.label, to: to.label, end: end.label)
                }
                warnings.append(fewerRoutesWarning(found: k, request: request))
                break
            }
            var sourceTerminals = sources.map(\.element.terminal)
            var goalTerminals = goals.map(\.element.terminal)
            for i in sourceTerminals.indices { sourceTerminals[i].candidate = sources[i].offset }
            for i in goalTerminals.indices { goalTerminals[i].candidate = goals[i].offset }
            let rangeStart = Double(k) / Double(request.routes)
            let routeCount = Double(request.routes)
            var sub: ProgressCallback?
            if let progress {
                sub = { fraction, stage in progress(rangeStart + fraction / routeCount, stage) }
            }
            guard let result = search.run(sources: sourceTerminals, goals: goalTerminals, progress: sub) else {
                if k == 0 {
                    let side = enclosedSide(sources: sourceTerminals.map(\.node), goals: goalTerminals.map(\.node), search: search)
                    let end = side == "to" ? to : from
                    throw CableRoutingError.endEnclosed(from: from.label, to: to.label, end: end.label)
                }
                warnings.append(fewerRoutesWarning(found: k, request: request))
                break
            }
            let source = allSources[sourceTerminals[result.source].candidate]
            let goal = allGoals[goalTerminals[result.goal].candidate]
            usedSources.insert(sourceTerminals[result.source].candidate)
            usedGoals.insert(goalTerminals[result.goal].candidate)
            let vertices = assemble(result.points, from: source, to: goal)
            let route = makeRoute(rank: k + 1, from: source.used, to: goal.used, stops: [], vertices: vertices, request: request)
            routes.append(route)
            if k + 1 < request.routes {
                stampSeparation(route: route.vertices, into: &blocked, request: request, exemptions: exemptions)
            }
        }
        return routes
    }

    /// Why fewer routes came back (the warning says what would admit more).
    func fewerRoutesWarning(found: Int, request: RouteRequest) -> RouteWarning {
        .fewerRoutes(.init(found: found, requested: request.routes, separationKm: request.minSeparationKm,
                           approachKm: request.approachKm, noUnusedLanding: false))
    }

    func planVia(ends: [RouteEnd], prepared: [[Prepared]], blocked: [Bool], approaches: [RouteSearch.Approach],
                 request: RouteRequest, progress: ProgressCallback?) throws -> PlannedRoute {
        var vertices: [Position] = []
        var chosen: [Prepared] = []
        var current = prepared[0]
        for leg in 1..<ends.count {
            let goals = prepared[leg]
            var sourceTerminals = current.map(\.terminal)
            var goalTerminals = goals.map(\.terminal)
            for i in sourceTerminals.indices { sourceTerminals[i].candidate = i }
            for i in goalTerminals.indices { goalTerminals[i].candidate = i }
            let search = search(blocked: blocked, approaches: approaches)
            if let enclosed = enclosedSide(sources: sourceTerminals.map(\.node), goals: goalTerminals.map(\.node), search: search,
                                           budget: Self.floodBudget) {
                let end = enclosed == "from" ? ends[leg - 1] : ends[leg]
                throw CableRoutingError.endEnclosed(from: ends[leg - 1].label, to: ends[leg].label, end: end.label)
            }
            let legs = Double(ends.count - 1)
            let legStart = Double(leg - 1)
            var sub: ProgressCallback?
            if let progress {
                sub = { fraction, stage in progress((legStart + fraction) / legs, stage) }
            }
            guard let result = search.run(sources: sourceTerminals, goals: goalTerminals, progress: sub) else {
                let side = enclosedSide(sources: sourceTerminals.map(\.node), goals: goalTerminals.map(\.node), search: search)
                let end = side == "to" ? ends[leg] : ends[leg - 1]
                throw CableRoutingError.endEnclosed(from: ends[leg - 1].label, to: ends[leg].label, end: end.label)
            }
            let source = current[result.source], goal = goals[result.goal]
            if chosen.isEmpty { chosen.append(source) }
            chosen.append(goal)
            let legVertices = assemble(result.points, from: source, to: goal)
            if vertices.isEmpty { vertices = legVertices } else { vertices.append(contentsOf: legVertices.dropFirst()) }
            current = [goal]
        }
        guard let first = chosen.first, let last = chosen.last else {
            throw CableRoutingError.tooFewStops(count: chosen.count)
        }
        return makeRoute(rank: 1, from: first.used, to: last.used, stops: chosen.dropFirst().dropLast().map(\.used),
                         vertices: vertices, request: request)
    }

    /// Lon/lat vertices from the landing through the search path to the landing.
    func assemble(_ points: [(gx: Double, gy: Double)], from: Prepared, to: Prepared) -> [Position] {
        let grid = surface.grid
        var vertices = points.map { grid.position(gx: $0.gx, gy: $0.gy) }
        // The exact landing replaces its own round-tripped projection, or leads the leg.
        if from.terminal.legCost == 0, !vertices.isEmpty { vertices[0] = from.used.position } else { vertices.insert(from.used.position, at: 0) }
        if to.terminal.legCost == 0, vertices.count > 1 { vertices[vertices.count - 1] = to.used.position } else { vertices.append(to.used.position) }
        var cleaned: [Position] = []
        for v in vertices where cleaned.last != v { cleaned.append(v) }
        return cleaned
    }

    /// Blocks cells within the separation of the route's part outside the approaches.
    func stampSeparation(route: [Position], into blocked: inout [Bool], request: RouteRequest, exemptions: [Position],
                         radiusKm: Double? = nil) {
        let grid = surface.grid
        let exemptUnits = exemptions.map(Gnomonic.unitVector)
        func nearestExemptionKm(_ u: SIMD3<Double>) -> Double {
            exemptUnits.map { Gnomonic.arcKm($0, u) }.min() ?? .infinity
        }
        // Discs of radius R every s km cover the band of radius R − s²/8R, so the radius
        // grows by that much; s = R/10 keeps wide separations cheap. Next to an approach
        // circle, where the stamped part begins, discs go every half cell.
        let base = (radiusKm ?? request.minSeparationKm) + grid.cellKm * 0.75
        let spacing = max(grid.cellKm / 2, base / 10)
        let radius = base + spacing * spacing / (8 * base)
        var done = Set<Int>()
        var sinceLast = Double.infinity
        var previous: SIMD3<Double>?
        for p in Geodesic.densify(route, maxSegmentKm: grid.cellKm / 2) {
            let u = Gnomonic.unitVector(p)
            if let previous { sinceLast += Gnomonic.arcKm(previous, u) }
            previous = u
            let nearest = nearestExemptionKm(u)
            if nearest < request.approachKm { continue }
            if sinceLast < spacing && nearest > request.approachKm + spacing { continue }
            sinceLast = 0
            guard let c = grid.cell(containing: p), done.insert(c).inserted else { continue }
            grid.cells(within: radius, of: p) { cell, _ in
                if !blocked[cell] && nearestExemptionKm(grid.centerUnit(cell)) >= request.approachKm { blocked[cell] = true }
            }
        }
    }

    /// The exact check behind "never crosses land": every piece of the route farther than
    /// the approach radius (and two cells) from its landings is tested against the coastline
    /// polygons (orientation tests through the segment index). The raster guarantees this by
    /// construction; a failure is a defect and is reported as such rather than output.
    func verifyAtSea(_ route: PlannedRoute, approachKm: Double) throws {
        guard !surface.land.isEmpty else { return }
        let landings = ([route.from] + route.stops + [route.to]).map(\.position)
        let margin = approachKm + 2 * surface.grid.cellKm
        let points = Geodesic.densify(route.vertices, maxSegmentKm: 5)
        for (a, b) in zip(points, points.dropFirst()) {
            if landings.contains(where: { Geodesic.distanceKm($0, a) < margin || Geodesic.distanceKm($0, b) < margin }) { continue }
            if surface.land.segmentTouchesLand(a, b) {
                throw CableRoutingError.internalInconsistency(
                    "internal error: route \(route.rank) touches land between \(format4(a.lon)),\(format4(a.lat)) and \(format4(b.lon)),\(format4(b.lat))")
            }
        }
    }

    // MARK: Metrics

    func makeRoute(rank: Int, from: UsedLanding, to: UsedLanding, stops: [UsedLanding], vertices: [Position],
                   request: RouteRequest) -> PlannedRoute {
        let length = Geodesic.lengthKm(vertices)
        var cost = 0.0
        for k in 1..<max(1, vertices.count) {
            cost += Geodesic.distanceKm(vertices[k - 1], vertices[k]) * averageMultiplier(vertices[k - 1], vertices[k])
        }
        let landings = [from] + stops + [to]
        let domestic = landings.filter { !$0.isInternational }
        let subsidy = domestic.allSatisfy { $0.concentrationZone == nil } ? 0.8 : 0
        let coast = coastMetrics(vertices, landings: landings.map(\.position), approachKm: request.approachKm)
        return PlannedRoute(rank: rank, from: from, to: to, stops: stops, vertices: vertices,
                            minCoastKm: coast.minCoastKm, narrowestPassageKm: coast.narrowestPassageKm,
                            line: Geodesic.densify(vertices, maxSegmentKm: request.displaySegmentKm),
                            lengthKm: length, geodesicKm: Geodesic.distanceKm(from.position, to.position),
                            cost: cost, achievedSeparationKm: nil, hazardKm: hazardKm(vertices),
                            subsidyRate: subsidy, oneWayLatencyMs: FiberLatency.oneWayMs(routeKm: length),
                            estimatedCostUSD: length * request.costPerKmUSD)
    }

    /// The route's smallest distance to the coastline outside the approach circles (exact
    /// segment–segment distances to the coastline on pieces of ≤ 0.5 km), and the narrowest
    /// passage it runs through: wherever the route comes closer to the coast than the
    /// clearance (only inside passages, where clearance narrows), the width across the
    /// water there — from the nearest coast point through the route to the opposite shore
    /// (a ray cast against the coastline) — minimised along the route; nil when the route
    /// keeps the full clearance.
    func coastMetrics(_ vertices: [Position], landings: [Position], approachKm: Double)
        -> (minCoastKm: Double?, narrowestPassageKm: Double?) {
        guard !surface.land.isEmpty, vertices.count >= 2 else { return (nil, nil) }
        let clearance = surface.options.coastClearanceKm
        let landingUnits = landings.map(Gnomonic.unitVector)
        func outside(_ p: Position) -> Bool {
            let u = Gnomonic.unitVector(p)
            return landingUnits.allSatisfy { Gnomonic.arcKm($0, u) >= approachKm }
        }
        // Runs of the route outside the approaches, cut at 0.5 km resolution; measured in
        // pieces of `spacing` km against coastline within `limit` (near first, then wider).
        let points = Geodesic.densify(vertices, maxSegmentKm: 0.5)
        var runs: [[Position]] = [], run: [Position] = []
        for p in points {
            if outside(p) { run.append(p) } else { if run.count >= 2 { runs.append(run) }; run = [] }
        }
        if run.count >= 2 { runs.append(run) }
        guard !runs.isEmpty else { return (nil, nil) }
        var minCoast: Double?
        for (limit, stride) in [(max(10, 3 * clearance + 2), 1), (60.0, 6), (600.0, 60)] {
            var best: Double?
            for run in runs {
                var k = 0
                while k < run.count - 1 {
                    let next = min(run.count - 1, k + stride)
                    if let d = surface.land.distanceToCoastKm(run[k], run[next], below: best ?? limit) { best = d }
                    k = next
                }
            }
            if let best { minCoast = best; break }
        }
        guard let minCoast else { return (nil, nil) }
        // Open fine cells keep the clearance at their centres, so a straight run may pass
        // up to half a fine diagonal closer; only a clearly closer run is in a passage.
        let threshold = clearance - 2 * surface.fineCellKm
        guard minCoast < threshold else { return (minCoast, nil) }
        var narrowest: Double?
        for p in Geodesic.densify(vertices, maxSegmentKm: 0.1) where outside(p) {
            guard let near = surface.land.nearestCoast(to: p, withinKm: threshold) else { continue }
            guard let width = surface.land.rayToCoastKm(from: near.point, through: p, maxKm: 4 * clearance + 10) else { continue }
            if narrowest == nil || width < narrowest! { narrowest = width }
        }
        return (minCoast, narrowest ?? 2 * minCoast)
    }

    /// Mean cost multiplier along a geodesic segment (raster traversal on the gnomonic grid).
    func averageMultiplier(_ a: Position, _ b: Position) -> Double {
        let grid = surface.grid
        guard let ga = grid.gridCoordinates(a), let gb = grid.gridCoordinates(b) else { return 1 }
        var weighted = 0.0, total = 0.0
        _ = grid.traverse(ga.gx, ga.gy, gb.gx, gb.gy) { cell, t0, t1 in
            let m = cell >= 0 ? Double(surface.multiplier[cell]) : 1
            weighted += (t1 - t0) * m
            total += t1 - t0
            return true
        }
        return total > 0 ? weighted / total : 1
    }

    /// Length of the route inside each hazard kind (sampled every 0.5 km).
    func hazardKm(_ vertices: [Position]) -> [String: Double] {
        var result: [String: Double] = [:]
        guard !surface.hazards.isEmpty, vertices.count >= 2 else { return result }
        let points = Geodesic.densify(vertices, maxSegmentKm: 0.5)
        for k in 1..<points.count {
            let a = points[k - 1], b = points[k]
            let mid = Position((a.lon + b.lon) / 2, (a.lat + b.lat) / 2)
            let piece = Geodesic.distanceKm(a, b)
            var kinds = Set<String>()
            for hazard in surface.hazards where !kinds.contains(hazard.kind) {
                if SeaSurface.geometry(hazard.geometry, contains: mid) || (hazard.corridorKm > 0 && distanceToLines(hazard.geometry, mid, within: hazard.corridorKm)) {
                    kinds.insert(hazard.kind)
                }
            }
            for kind in kinds { result[kind, default: 0] += piece }
        }
        return result
    }

    /// Whether `p` lies within `limit` km of a line of `g`, measured in the local tangent
    /// plane at `p` (GeoCore).
    func distanceToLines(_ g: Geometry, _ p: Position, within limit: Double) -> Bool {
        let plane = LocalTangentPlane(at: p)
        var hit = false
        SeaSurface.forEachLine(g) { line in
            guard !hit, line.count >= 2 else { return }
            for k in 1..<line.count where plane.closest(on: line[k - 1], line[k], to: p).meters <= limit * 1000 {
                hit = true
                return
            }
        }
        return hit
    }

    /// The smallest geodesic distance between each route and any other, counting only
    /// points outside `approachKm` of either route's ends.
    func measureSeparation(_ routes: inout [PlannedRoute], approachKm: Double) {
        guard routes.count > 1 else { return }
        let samples: [[Position]] = routes.map { route in
            let ends = [route.from.position, route.to.position]
            return Geodesic.densify(route.vertices, maxSegmentKm: 1).filter { p in
                ends.allSatisfy { Geodesic.distanceKm($0, p) >= approachKm }
            }
        }
        let indexes = samples.map { PointIndex($0) }
        for i in routes.indices {
            var best = Double.infinity
            for j in routes.indices where j != i {
                let ends = [routes[j].from.position, routes[j].to.position]
                for p in samples[i] where ends.allSatisfy({ Geodesic.distanceKm($0, p) >= approachKm }) {
                    if let nearest = indexes[j].nearest(to: p), nearest.distanceKm < best { best = nearest.distanceKm }
                }
            }
            routes[i].achievedSeparationKm = best.isFinite ? best : nil
        }
    }
}

func format1(_ x: Double) -> String { String(format: "%.1f", x) }
func format4(_ x: Double) -> String { String(format: "%.4f", x) }
