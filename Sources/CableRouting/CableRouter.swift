import Foundation
import GeoCore

/// Plans submarine-cable routes on a `SeaSurface`.
///
/// Per request: landings are checked (snapped to the coast within `snapKm`, refused in a
/// concentration zone), a blocked mask is made (land, the coast-clearance band outside
/// the landing approaches, concentration zones, `avoid` polygons), connectivity is
/// checked by a bidirectional flood fill (so an unreachable end fails fast), and routes
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
        guard request.routes >= 1 else { throw CableRoutingError.invalidRequest("--routes must be at least 1") }
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
        var warnings: [String] = []

        // 1. Landings: snap, refuse, zone test (independent of the mask).
        var landingsPerEnd: [[UsedLanding]] = []
        for end in ends {
            var accepted: [UsedLanding] = []
            var firstError: CableRoutingError?
            for candidate in end.candidates {
                do {
                    accepted.append(try checkLanding(candidate, international: end.isInternational, request: request))
                } catch let error as CableRoutingError {
                    if end.candidates.count > 1 { warnings.append("\(end.label): skipped candidate: \(error)") }
                    if firstError == nil { firstError = error }
                }
            }
            if accepted.isEmpty, let firstError {
                if end.candidates.count > 1 {
                    throw CableRoutingError.landingRefused("\(end.label): none of \(end.candidates.count) candidates can land; first: \(firstError)")
                }
                throw firstError
            }
            for landing in accepted where landing.snappedKm > 0.5 {
                warnings.append("\(landing.name): on land, snapped \(format1(landing.snappedKm)) km to the coast")
            }
            landingsPerEnd.append(accepted)
        }

        // 2. The blocked mask for this request.
        let allLandings = landingsPerEnd.flatMap { $0 }
        let base = blockedMask(request: request, landings: allLandings)

        // 3. Terminals (approach legs) per landing.
        let search0 = RouteSearch(grid: surface.grid, multiplier: surface.multiplier, blocked: base,
                                  minMultiplier: minMultiplier)
        var preparedPerEnd: [[Prepared]] = []
        for (k, landings) in landingsPerEnd.enumerated() {
            var prepared: [Prepared] = []
            var firstError: CableRoutingError?
            for (index, landing) in landings.enumerated() {
                do {
                    let t = try terminal(for: landing, candidate: index, blocked: base, request: request)
                    prepared.append(Prepared(used: landing, terminal: t))
                } catch let error as CableRoutingError {
                    if landings.count > 1 { warnings.append("\(ends[k].label): skipped candidate: \(error)") }
                    if firstError == nil { firstError = error }
                }
            }
            if prepared.isEmpty, let firstError { throw firstError }
            preparedPerEnd.append(prepared)
        }
        _ = search0

        var routes: [PlannedRoute] = []
        if !request.via.isEmpty {
            if request.routes > 1 { warnings.append("--via plans one route through all stops; --routes \(request.routes) ignored") }
            routes.append(try planVia(ends: ends, prepared: preparedPerEnd, blocked: base, request: request, progress: progress))
        } else {
            routes = try planSeparated(from: ends[0], to: ends[1], sources: preparedPerEnd[0], goals: preparedPerEnd[1],
                                       blocked: base, request: request, warnings: &warnings, progress: progress)
        }
        for route in routes { try verifyAtSea(route, approachKm: request.approachKm) }
        measureSeparation(&routes, approachKm: request.approachKm)
        progress?(1, "search")
        return RoutePlan(routes: routes, warnings: warnings)
    }

    var minMultiplier: Double {
        Double(min(1, surface.multiplier.min() ?? 1))
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
        if surface.land.contains(p) {
            guard let coast = surface.land.nearestCoast(to: p, withinKm: request.snapKm) else {
                let distance = surface.land.nearestCoast(to: p, withinKm: 500)?.distanceKm
                let text = distance.map { "\(format1($0)) km" } ?? "more than 500 km"
                throw CableRoutingError.landingRefused(
                    "\(landing.name) at \(format4(p.lon)),\(format4(p.lat)) is on land, \(text) from the coast (more than --snap-km \(format1(request.snapKm)))")
            }
            snapped = coast.distanceKm
            p = coast.point
        }
        let zone = surface.zone(containing: p)?.name
        if let zone, !request.allowConcentrationLanding {
            throw CableRoutingError.landingRefused(
                "\(landing.name) lands in the \(zone) landing-concentration zone; choose another landing or pass --allow-concentration-landing")
        }
        return UsedLanding(name: landing.name, requested: landing.position, position: p, snappedKm: snapped,
                           concentrationZone: zone, isInternational: false)
    }

    /// The search terminal of a landing: the landing itself when its cell is open, else
    /// the nearest open cell (the landing approach leg).
    func terminal(for landing: UsedLanding, candidate: Int, blocked: [Bool], request: RouteRequest) throws -> RouteSearch.Terminal {
        let grid = surface.grid
        guard let cell = grid.cell(containing: landing.position), let g = grid.gridCoordinates(landing.position) else {
            throw CableRoutingError.outsideRegion("\(landing.name) lies outside the sea surface grid")
        }
        // A landing in a harbour pocket or behind a breakwater must not start from water
        // that leads nowhere: prefer the nearest open cell that opens onto real sea.
        if !blocked[cell], opensOntoSea(cell, blocked: blocked) {
            return RouteSearch.Terminal(cell: cell, gx: g.gx, gy: g.gy, legCost: 0, candidate: candidate)
        }
        let radius = max(3 * grid.cellKm, surface.options.coastClearanceKm + 2 * grid.cellKm,
                         landing.isInternational ? 50 : 0, min(request.snapKm, 10))
        var open: [(cell: Int, km: Double)] = []
        grid.cells(within: radius, of: landing.position) { c, d in
            if !blocked[c] { open.append((c, d)) }
        }
        open.sort { $0.km != $1.km ? $0.km < $1.km : $0.cell < $1.cell }
        guard let nearest = open.first else {
            throw CableRoutingError.unreachable(
                "\(landing.name): no open sea within \(format1(radius)) km of the landing (land, coast clearance or --avoid all around)")
        }
        let best = open.first { opensOntoSea($0.cell, blocked: blocked) } ?? nearest
        let c = grid.centerPlane(best.cell)
        let gc = grid.gridCoordinates(x: c.x, y: c.y)
        return RouteSearch.Terminal(cell: best.cell, gx: gc.gx, gy: gc.gy, legCost: best.km, candidate: candidate)
    }

    /// Whether open water from `cell` extends over more than a few hundred km² (a bounded
    /// flood fill), i.e. it is not a harbour basin or a lagoon cut off at this resolution.
    func opensOntoSea(_ cell: Int, blocked: [Bool], limitCells: Int = 4000) -> Bool {
        let grid = surface.grid
        let w = grid.width, h = grid.height
        var seen: Set<Int> = [cell]
        var queue = [cell]
        var head = 0
        while head < queue.count {
            let c = queue[head]
            head += 1
            let i = c % w, j = c / w
            for (di, dj) in [(1, 0), (-1, 0), (0, 1), (0, -1)] {
                let ii = i + di, jj = j + dj
                guard ii >= 0, jj >= 0, ii < w, jj < h else { continue }
                let m = jj * w + ii
                if blocked[m] || !seen.insert(m).inserted { continue }
                queue.append(m)
                if queue.count >= limitCells { return true }
            }
        }
        return false
    }

    // MARK: Mask

    func blockedMask(request: RouteRequest, landings: [UsedLanding]) -> [Bool] {
        let grid = surface.grid
        let n = grid.cellCount
        var approach = [Bool](repeating: false, count: n)
        for landing in landings where request.approachKm > 0 {
            grid.cells(within: request.approachKm, of: landing.position) { c, _ in approach[c] = true }
        }
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
        let flags = surface.flags, zoneIndex = surface.zoneIndex
        for c in 0..<n {
            let f = flags[c]
            if f & (SeaSurface.Flag.land | SeaSurface.Flag.outside) != 0 { blocked[c] = true; continue }
            if f & SeaSurface.Flag.clearance != 0 && !approach[c] { blocked[c] = true; continue }
            let z = Int(zoneIndex[c])
            if z != 0 && !allowedZones.contains(z) { blocked[c] = true }
        }
        for polygon in request.avoid {
            SeaSurface.forEachPolygon(polygon) { rings in
                grid.rasterize(polygon: rings, includeBoundary: true) { blocked[$0] = true }
            }
        }
        return blocked
    }

    // MARK: Connectivity

    /// Whether any source cell connects to any goal cell through open cells (8-connected,
    /// no corner cutting). Floods from both sides in turn and stops as soon as either side
    /// is exhausted or they meet, so an enclosed end is detected in time proportional to
    /// its enclosure. Returns nil when connected, else which side is enclosed.
    func enclosedSide(sources: [Int], goals: [Int], blocked: [Bool]) -> String? {
        let grid = surface.grid
        let w = grid.width, h = grid.height
        var mark = [UInt8](repeating: 0, count: grid.cellCount)
        var queues: [[Int]] = [[], []]
        var heads = [0, 0]
        for c in sources where mark[c] == 0 { mark[c] = 1; queues[0].append(c) }
        for c in goals {
            if mark[c] == 1 { return nil }
            if mark[c] == 0 { mark[c] = 2; queues[1].append(c) }
        }
        let steps: [(Int, Int)] = [(1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (1, -1), (-1, 1), (-1, -1)]
        var side = 0
        while true {
            if heads[side] >= queues[side].count { return side == 0 ? "from" : "to" }
            // Expand a batch from this side.
            var batch = 0
            while heads[side] < queues[side].count && batch < 64 {
                let c = queues[side][heads[side]]
                heads[side] += 1
                batch += 1
                let i = c % w, j = c / w
                for (di, dj) in steps {
                    let ii = i + di, jj = j + dj
                    guard ii >= 0, jj >= 0, ii < w, jj < h else { continue }
                    let m = jj * w + ii
                    if blocked[m] { continue }
                    if di != 0 && dj != 0 && (blocked[j * w + ii] || blocked[jj * w + i]) { continue }
                    let mine: UInt8 = side == 0 ? 1 : 2
                    if mark[m] == 0 { mark[m] = mine; queues[side].append(m) } else if mark[m] != mine { return nil }
                }
            }
            side = 1 - side
        }
    }

    // MARK: Routes

    func planSeparated(from: RouteEnd, to: RouteEnd, sources allSources: [Prepared], goals allGoals: [Prepared],
                       blocked base: [Bool], request: RouteRequest, warnings: inout [String],
                       progress: ProgressCallback?) throws -> [PlannedRoute] {
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
                warnings.append("found \(k) of \(request.routes) routes: no unused landing left for --distinct-landings")
                break
            }
            let enclosed = enclosedSide(sources: sources.map(\.element.terminal.cell),
                                        goals: goals.map(\.element.terminal.cell), blocked: blocked)
            if let enclosed {
                if k == 0 {
                    let end = enclosed == "from" ? from : to
                    throw CableRoutingError.unreachable(
                        "no sea route from \(from.label) to \(to.label): \(end.label) is enclosed by land, coast clearance or --avoid areas")
                }
                warnings.append(fewerRoutesWarning(found: k, request: request))
                break
            }
            var sourceTerminals = sources.map(\.element.terminal)
            var goalTerminals = goals.map(\.element.terminal)
            for i in sourceTerminals.indices { sourceTerminals[i].candidate = sources[i].offset }
            for i in goalTerminals.indices { goalTerminals[i].candidate = goals[i].offset }
            let search = RouteSearch(grid: surface.grid, multiplier: surface.multiplier, blocked: blocked,
                                     minMultiplier: minMultiplier)
            let rangeStart = Double(k) / Double(request.routes)
            let routeCount = Double(request.routes)
            var sub: ProgressCallback?
            if let progress {
                sub = { fraction, stage in progress(rangeStart + fraction / routeCount, stage) }
            }
            guard let result = search.run(sources: sourceTerminals, goals: goalTerminals, progress: sub) else {
                if k == 0 { throw CableRoutingError.unreachable("no sea route from \(from.label) to \(to.label)") }
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

    /// Why fewer routes came back, and what would admit more: two routes leaving one landing
    /// must cross its approach circle at least 2·asin(S / 2A) apart (S separation, A radius).
    func fewerRoutesWarning(found: Int, request: RouteRequest) -> String {
        let a = request.approachKm, s = request.minSeparationKm
        var text = "found \(found) of \(request.routes) routes at least \(format1(s)) km apart outside \(format1(a)) km of the landings"
        if a > 0, s < 2 * a {
            let degrees = 2 * asin(s / (2 * a)) * 180 / .pi
            text += " (routes sharing a landing must leave its \(format1(a)) km approach circle ≥ \(Int(degrees.rounded()))° apart; a larger --approach-km or candidate landings with --distinct-landings admit more)"
        } else if a > 0 {
            text += " (routes sharing a landing cannot be \(format1(s)) km apart outside a \(format1(a)) km approach; raise --approach-km or use --distinct-landings)"
        }
        return text
    }

    func planVia(ends: [RouteEnd], prepared: [[Prepared]], blocked: [Bool], request: RouteRequest,
                 progress: ProgressCallback?) throws -> PlannedRoute {
        var vertices: [Position] = []
        var chosen: [Prepared] = []
        var current = prepared[0]
        for leg in 1..<ends.count {
            let goals = prepared[leg]
            var sourceTerminals = current.map(\.terminal)
            var goalTerminals = goals.map(\.terminal)
            for i in sourceTerminals.indices { sourceTerminals[i].candidate = i }
            for i in goalTerminals.indices { goalTerminals[i].candidate = i }
            if let enclosed = enclosedSide(sources: sourceTerminals.map(\.cell), goals: goalTerminals.map(\.cell), blocked: blocked) {
                let end = enclosed == "from" ? ends[leg - 1] : ends[leg]
                throw CableRoutingError.unreachable(
                    "no sea route from \(ends[leg - 1].label) to \(ends[leg].label): \(end.label) is enclosed by land, coast clearance or --avoid areas")
            }
            let search = RouteSearch(grid: surface.grid, multiplier: surface.multiplier, blocked: blocked,
                                     minMultiplier: minMultiplier)
            let legs = Double(ends.count - 1)
            let legStart = Double(leg - 1)
            var sub: ProgressCallback?
            if let progress {
                sub = { fraction, stage in progress((legStart + fraction) / legs, stage) }
            }
            guard let result = search.run(sources: sourceTerminals, goals: goalTerminals, progress: sub) else {
                throw CableRoutingError.unreachable("no sea route from \(ends[leg - 1].label) to \(ends[leg].label)")
            }
            let source = current[result.source], goal = goals[result.goal]
            if chosen.isEmpty { chosen.append(source) }
            chosen.append(goal)
            let legVertices = assemble(result.points, from: source, to: goal)
            if vertices.isEmpty { vertices = legVertices } else { vertices.append(contentsOf: legVertices.dropFirst()) }
            current = [goal]
        }
        guard let first = chosen.first, let last = chosen.last else {
            throw CableRoutingError.invalidRequest("--via needs at least two stops")
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
    func stampSeparation(route: [Position], into blocked: inout [Bool], request: RouteRequest, exemptions: [Position]) {
        let grid = surface.grid
        let exemptUnits = exemptions.map(Gnomonic.unitVector)
        func nearestExemptionKm(_ u: SIMD3<Double>) -> Double {
            exemptUnits.map { Gnomonic.arcKm($0, u) }.min() ?? .infinity
        }
        // Discs of radius R every s km cover the band of radius R − s²/8R, so the radius
        // grows by that much; s = R/10 keeps wide separations cheap. Next to an approach
        // circle, where the stamped part begins, discs go every half cell.
        let base = request.minSeparationKm + grid.cellKm * 0.75
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
        return PlannedRoute(rank: rank, from: from, to: to, stops: stops, vertices: vertices,
                            line: Geodesic.densify(vertices, maxSegmentKm: request.displaySegmentKm),
                            lengthKm: length, geodesicKm: Geodesic.distanceKm(from.position, to.position),
                            cost: cost, minSeparationKm: nil, hazardKm: hazardKm(vertices),
                            subsidyRate: subsidy, oneWayLatencyMs: FiberLatency.oneWayMs(routeKm: length),
                            estimatedCostUSD: length * request.costPerKmUSD)
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

    func distanceToLines(_ g: Geometry, _ p: Position, within limit: Double) -> Bool {
        let kx = 111.32 * cos(p.lat * .pi / 180), ky = 111.2
        var hit = false
        SeaSurface.forEachLine(g) { line in
            guard !hit, line.count >= 2 else { return }
            for k in 1..<line.count {
                let ax = (line[k - 1].lon - p.lon) * kx, ay = (line[k - 1].lat - p.lat) * ky
                let bx = (line[k].lon - p.lon) * kx, by = (line[k].lat - p.lat) * ky
                let dx = bx - ax, dy = by - ay
                let len2 = dx * dx + dy * dy
                let t = len2 > 0 ? max(0, min(1, -(ax * dx + ay * dy) / len2)) : 0
                let qx = ax + t * dx, qy = ay + t * dy
                if qx * qx + qy * qy <= limit * limit { hit = true; return }
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
            routes[i].minSeparationKm = best.isFinite ? best : nil
        }
    }
}

func format1(_ x: Double) -> String { String(format: "%.1f", x) }
func format4(_ x: Double) -> String { String(format: "%.4f", x) }
