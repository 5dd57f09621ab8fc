import CableRouting
import Foundation
import GeoCore
import PlannerKit

/// `wattbit cable`: multi-route submarine-cable planning that lands away from Boso and
/// Shima. Reads the embedded geodata (or the user's files), builds the sea surface, and
/// hands a `RouteRequest` to the `CableRouting` engine; this file only translates.
struct CablePlanner: Planner {
    static let manifest = Manifest(
        name: "cable",
        version: WattBitVersion.current,
        summary: "Plan submarine-cable routes over the sea, separated, landing away from Boso and Shima",
        description: """
            Finds the K least-cost cable routes between two ends (landing stations, lon,lat, \
            international exits or candidate sets from a GeoJSON file) that are pairwise at least \
            --min-separation-km apart outside --approach-km of their landings. Routes never cross \
            land outside the landing approaches, keep --coast-clearance-km from the coast, and \
            neither land in nor pass through the Boso and Shima landing-concentration zones unless \
            allowed. Cost per km = 1 + Σ weights of the soft hazards crossed (trench and trough \
            axes within their corridor, earthquake source regions) + a depth term from \
            --bathymetry. Bays, inner seas and straits are reachable: near the coast the --cell-km \
            grid is refined to about 0.125 km, passages narrower than --min-passage-km are closed, \
            and inside wider ones the clearance narrows to half the passage width so the route \
            keeps to the middle. Only water connected to the ocean counts: a landing on land or in \
            a lake moves to the nearest sea shore within --snap-km. Paths are any-angle and \
            geodesic: Lazy Theta* (Nash, Koenig & Tovey, AAAI 2010) on a gnomonic two-level grid \
            (framed quadtree), where straight segments are great circles, followed by string \
            pulling and vertex sliding; lengths are measured on the GRS80 ellipsoid (Karney 2013). \
            The sea surface is built once per land, cell size, clearance and passage width and \
            cached in $XDG_CACHE_HOME/wattbit (or $WATTBIT_CACHE_DIR). Deterministic.
            """,
        inputs: [
            InputSpec(name: "land", description: "Land polygons replacing the embedded GSHHG-high japan-land.",
                      geometryTypes: ["Polygon", "MultiPolygon"], required: false),
            InputSpec(name: "avoid", description: "Extra hard exclusions: routes never enter these polygons.",
                      geometryTypes: ["Polygon", "MultiPolygon"], required: false, multiple: true),
            InputSpec(name: "hazards", description: "Soft hazards replacing the embedded hazards.geojson (`weight`, optional `corridor_km`, `kind`).",
                      geometryTypes: ["LineString", "MultiLineString", "Polygon", "MultiPolygon"],
                      requiredProperties: ["weight"], required: false),
            InputSpec(name: "bathymetry", description: "Depth grid, ESRI ASCII (gdal_translate -of AAIGrid), lon/lat degrees; elevations (negative below sea level) or positive depths.",
                      formats: [.text], required: false),
            InputSpec(name: "existing", description: "Existing cable systems (LineStrings, optional name): routes are measured against them and keep --min-separation-existing-km away outside the approaches.",
                      geometryTypes: ["LineString", "MultiLineString"], required: false),
            InputSpec(name: "pairs", description: "Many routes at once: CSV with from,to columns (anything --from accepts; quote \"lon,lat\") or from_lon,from_lat,to_lon,to_lat, or GeoJSON LineStrings/MultiPoints from first to last position. One route per pair, over one sea surface.",
                      formats: [.csv, .geojson], geometryTypes: ["LineString", "MultiPoint"], required: false),
        ],
        parameters: CableParameter.all,
        outputs: [
            OutputSpec(format: .geojson, roles: ["route": ["LineString"], "landing": ["Point"], "access": ["LineString"],
                                                 "leg": ["LineString"], "unrouted": []],
                       description: "route: rank, from, to, approach_km, length_km, geodesic_km, detour_ratio, cost, "
                           + "achieved_separation_km (measured; the same value as min_separation_km), min_separation_km, "
                           + "min_coast_km, narrowest_passage_km, "
                           + "km_near_existing, crossings_existing, closest_existing_km, closest_existing_name (with --existing), "
                           + "hazard_km (per kind), landing_zones, subsidy_rate, "
                           + "with --routes K ≥ 2: selection (joint or greedy), total_cost, total_length_km, greedy_total_cost, "
                           + "greedy_total_length_km, candidate_routes, and where CBC chose: optimal, objective, bound, gap, "
                           + "improvement_over_greedy (selection_note when greedy stands), "
                           + "one_way_latency_ms, est_cost_usd; landing: name, zone, routes (ranks), snapped_km; "
                           + "access: the move from a requested point on land to its landing (name, snapped_km); "
                           + "leg (routes through --via stops, --ring): "
                           + "rank, leg, from, to and the route keys of that leg; route of a --ring: ring; with --pairs/--matrix, one route per pair "
                           + "(plus pair, from_index, to_index, status) and no landings; unrouted (null geometry): "
                           + "pair, from, to, from_index, to_index, status, error"),
        ],
        examples: [
            "wattbit cable --from Ishikari --to Kitakyushu --routes 3 > routes.geojson",
            "wattbit hubs --sites geodata/dc-sites.geojson | wattbit cable --from - --to international:north-america --routes 2 --distinct-landings",
            "wattbit cable --via Ishikari,Akita,Naoetsu,Tsuruga,Kitakyushu",
            "wattbit cable --via Ishikari,Kushiro,Sendai,Kochi,Kitakyushu,Tsuruga,Akita --ring",
            "wattbit cable --from Kagoshima --to international:southeast-asia",
            "wattbit cable --pairs pairs.csv --matrix-csv lengths.csv > routes.geojson",
            "wattbit cable --from Ishikari,Niigata --to Kitakyushu,Tsuruga --matrix --format geojsonseq",
        ])

    func run(_ inputs: PlannerInputs, _ parameters: PlannerParameters,
             progress: ProgressReporter) async throws -> PlannerOutput {
        // Geodata: the user's files or the embedded ones.
        let land = CableGeodata.land(try inputs.features("land") ?? embedded("japan-land.geojson"))
        guard !land.isEmpty else { throw PlannerError.data("--land \(inputs.path("land") ?? ""): no Polygon or MultiPolygon features") }
        let zones = CableGeodata.concentrationZones(try embedded("zones.geojson"))
        var hazards: [HazardZone] = []
        if !parameters[CableParameter.ignoreHazards] {
            do {
                hazards = try CableGeodata.hazards(try inputs.features("hazards") ?? embedded("hazards.geojson"))
            } catch let error as CableRoutingError {
                let source = inputs.path("hazards").map { $0 == "-" ? "<stdin>" : $0 } ?? "hazards.geojson"
                throw PlannerError.data("\(source): \(error)")
            }
        }
        var bathymetry: BathymetryGrid?
        if let bytes = try inputs.bytes("bathymetry") {
            do { bathymetry = try BathymetryGrid(aaigrid: bytes) } catch let error as BathymetryGrid.ParseError {
                throw PlannerError.data("--bathymetry \(inputs.path("bathymetry") ?? ""):\(error.line): \(error.message)")
            }
        }
        var existing: [ExistingCable] = []
        if let collection = try inputs.features("existing") {
            for feature in collection.features {
                let name = feature[property: "name"]?.stringValue ?? feature[property: "name_en"]?.stringValue
                switch feature.geometry {
                case .lineString(let line)?: existing.append(ExistingCable(name: name, lines: [line]))
                case .multiLineString(let lines)?: existing.append(ExistingCable(name: name, lines: lines))
                default: continue
                }
            }
        }
        if parameters.isSet(CableParameter.minSeparationExistingKm) && existing.isEmpty {
            throw PlannerError.usage("--min-separation-existing-km needs --existing FILE (the existing cables' LineStrings)")
        }
        // Checked against the manifest: a null geometry, a Point or a GeometryCollection in an
        // exclusion file is an error, never silently not avoided.
        let avoid = CableGeodata.land(try inputs.features("avoid") ?? FeatureCollection([]))

        // Ends.
        let stations = try embedded("landing-stations.geojson")
        let international = try embedded("international-endpoints.geojson")
        let resolver = EndResolver(stations: stations, international: international)
        var ends: [RouteEnd] = []
        var fromEnd: RouteEnd?, toEnd: RouteEnd?
        if let from = parameters[CableParameter.from] { fromEnd = try resolver.resolveList(from, flag: CableParameter.from.flag) }
        if let to = parameters[CableParameter.to] { toEnd = try resolver.resolveList(to, flag: CableParameter.to.flag) }
        let matrix = parameters[CableParameter.matrix]
        let pairsGiven = inputs.isProvided("pairs")
        if matrix || pairsGiven {
            return try runBatch(inputs, parameters, progress: progress, resolver: resolver, from: fromEnd, to: toEnd,
                                geodata: (land, zones, hazards, bathymetry, avoid))
        }
        if parameters[CableParameter.matrixCSV] != nil {
            throw PlannerError.usage("--matrix-csv needs --matrix or --pairs")
        }
        var viaEnds: [RouteEnd] = []
        if let via = parameters[CableParameter.via] {
            viaEnds = try EndResolver.splitVia(via).map { try resolver.resolve($0, flag: CableParameter.via.flag) }
        }
        if let fromEnd { ends.append(fromEnd) }
        ends += viaEnds
        if let toEnd { ends.append(toEnd) }
        guard ends.count >= 2 else {
            throw PlannerError.usage("give --from and --to, or --via with at least two stops (e.g. --via Ishikari,Kitakyushu)")
        }
        let ring = parameters[CableParameter.ring]
        if ring {
            guard viaEnds.count + (fromEnd == nil ? 0 : 1) + (toEnd == nil ? 0 : 1) >= 3 else {
                throw PlannerError.usage("--ring closes a --via chain back to its first stop; give at least three stops (e.g. --via Ishikari,Tsuruga,Kitakyushu --ring)")
            }
            if parameters[CableParameter.routes] > 1 { throw PlannerError.usage("--ring plans one ring; leave out --routes") }
            if let first = ends.first { ends.append(first) }
        }

        // The surface takes the first part of the bar, routing the rest; with a joint
        // selection the greedy pass takes a share of the routing (about 1 / (1 + candidates)
        // of its searches) and the candidates the rest, so the bar never runs backwards.
        let selectsJointly = parameters[CableParameter.select] == .joint && parameters[CableParameter.routes] > 1
            && viaEnds.isEmpty && !ring
        let greedyEnd = selectsJointly
            ? Self.surfaceShare + (1 - Self.surfaceShare) / Double(1 + max(1, parameters[CableParameter.candidates])) : 1
        let callback = progress.callback(within: Self.surfaceShare...greedyEnd)
        let surface = makeSurface(parameters, land: land, zones: zones, hazards: hazards, bathymetry: bathymetry,
                                  progress: progress)
        var request = makeRequest(parameters, from: ends[0], to: ends[ends.count - 1],
                                  via: Array(ends.dropFirst().dropLast()), avoid: avoid)
        request.existing = existing
        let router = CableRouter(surface: surface)
        var plan: RoutePlan
        let approachKm: Double
        do {
            if parameters.isSet(CableParameter.approachKm) {
                plan = try router.plan(request, progress: callback)
                approachKm = request.approachKm
            } else {
                // Unset: K routes that do not fit through a narrow bay at the default radius
                // are tried again with a wider fan-out (see docs/planners/cable.md, Defaults).
                (plan, approachKm) = try router.planWideningApproach(request, widerApproachKm: Self.widerApproachKm,
                                                                       progress: callback)
            }
        } catch let error as CableRoutingError {
            throw Self.plannerError(error, fileEnds: [(CableParameter.from.flag, parameters[CableParameter.from], fromEnd),
                                                      (CableParameter.to.flag, parameters[CableParameter.to], toEnd)])
        }
        var joint: JointPlan?
        if selectsJointly && request.routes > 1 && request.via.isEmpty {
            var used = request
            used.approachKm = approachKm
            let options = JointOptions(seeds: parameters[CableParameter.candidates],
                                       timeLimitSeconds: parameters[CableParameter.selectTimeLimit],
                                       concurrency: ProcessInfo.processInfo.activeProcessorCount)
            let selection = router.planJoint(used, greedy: plan, options: options,
                                             progress: progress.callback(within: greedyEnd...1))
            plan = selection.plan
            joint = selection
            if let reason = selection.fallbackReason { progress.warning("joint selection: \(reason)") }
        }
        if parameters[CableParameter.replan] && plan.routes.count > 1 {
            var used = request
            used.approachKm = approachKm
            let better = router.replan(plan, request: used)
            plan = better.plan
            progress.info(String(format: "re-planning: total cost %.1f (greedy %.1f), %d of %d moves kept",
                                 better.cost, better.greedyCost, better.kept, better.tried))
        }
        if approachKm != request.approachKm {
            progress.info("approach widened from \(formatNumber(request.approachKm)) to \(formatNumber(approachKm)) km so that \(plan.routes.count) routes fit out of the landings' bays (--approach-km sets it)")
        }
        for warning in plan.warnings { progress.warning(warning.cliMessage) }
        var features = CableOutput.features(plan, ring: ring)
        var routeIndex = 0
        for k in features.indices where features[k].role == "route" {
            features[k].properties?["approach_km"] = CableOutput.round(approachKm, 1)
            if !existing.isEmpty, routeIndex < plan.routes.count {
                var used = request
                used.approachKm = approachKm
                let m = router.existingMetrics(plan.routes[routeIndex], request: used)
                features[k].properties?["km_near_existing"] = CableOutput.round(m.kmNearExisting, 2)
                features[k].properties?["crossings_existing"] = .number(Double(m.crossings))
                features[k].properties?["closest_existing_km"] = m.closestKm.map { CableOutput.round($0, 2) } ?? .null
                features[k].properties?["closest_existing_name"] = m.closestName.map { .string($0) } ?? .null
            }
            if let joint { CableOutput.addSelection(joint, to: &features[k]) }
            routeIndex += 1
        }
        var legCount = 0
        for route in plan.routes where !route.stops.isEmpty {
            let legs = router.legs(of: route, request: request)
            legCount += legs.count
            features += legs.map { CableOutput.legFeature($0, route: route.rank) }
        }
        let lengths = plan.routes.map { String(format: "%.1f", $0.lengthKm) }.joined(separator: ", ")
        var summary = ring
            ? "ring of \(legCount) legs: \(lengths) km"
            : "\(plan.routes.count) route\(plan.routes.count == 1 ? "" : "s"): \(lengths) km"
        if let joint { summary += "; " + CableOutput.selectionLine(joint) }
        return PlannerOutput(FeatureCollection(features), summary: summary)
    }

    /// Approach radii tried, in order, when --approach-km is not given and the default does
    /// not let --routes K routes leave a shared landing.
    static let widerApproachKm: [Double] = [40, 60, 80, 100]

    /// The share of the progress bar for building (or loading) the sea surface.
    static let surfaceShare = 0.3

    func makeSurface(_ parameters: PlannerParameters, land: [Geometry], zones: [ConcentrationZone], hazards: [HazardZone],
                     bathymetry: BathymetryGrid?, progress: ProgressReporter) -> SeaSurface {
        let options = SeaSurfaceOptions(cellKm: parameters[CableParameter.cellKm],
                                        coastClearanceKm: parameters[CableParameter.coastClearanceKm],
                                        minPassageKm: parameters[CableParameter.minPassageKm])
        // The sea lattice and the cost rasters are cached by content (see SeaSurface.cacheEntries).
        let cache = PlannerCache(environment: ProcessInfo.processInfo.environment)
        let surface = SeaSurface(land: land, zones: zones, hazards: hazards, bathymetry: bathymetry,
                                 options: options, cached: { cache?.load(name: $0) },
                                 progress: progress.callback(within: 0...Self.surfaceShare))
        if let cache, let problem = cache.store(surface.cacheEntries()) { progress.warning(problem) }
        return surface
    }

    func makeRequest(_ parameters: PlannerParameters, from: RouteEnd, to: RouteEnd, via: [RouteEnd],
                     avoid: [Geometry]) -> RouteRequest {
        RouteRequest(
            from: from, to: to, via: via,
            routes: parameters[CableParameter.routes], minSeparationKm: parameters[CableParameter.minSeparationKm],
            approachKm: parameters[CableParameter.approachKm], snapKm: parameters[CableParameter.snapKm],
            allowConcentrationZones: parameters[CableParameter.allowConcentrationZones],
            allowConcentrationLanding: parameters[CableParameter.allowConcentrationLanding],
            distinctLandings: parameters[CableParameter.distinctLandings], avoid: avoid,
            costPerKmUSD: parameters[CableParameter.costPerKmUSD],
            displaySegmentKm: parameters[CableParameter.displaySegmentKm],
            minSeparationExistingKm: parameters[CableParameter.minSeparationExistingKm])
    }

    /// The error, with `--from FILE: ` in front when it is about a landing read from that
    /// file, so a user with many files knows which one holds the bad point.
    static func plannerError(_ error: CableRoutingError, fileEnds: [(flag: String, text: String?, end: RouteEnd?)]) -> PlannerError {
        let mapped = plannerError(error)
        for (flag, text, end) in fileEnds {
            guard let text, let end, end.label == (text == "-" ? "stdin" : text), EndResolver.lonLat(text) == nil,
                  end.candidates.contains(where: { mapped.message.hasPrefix($0.name + " ") }) else { continue }
            return PlannerError(mapped.code, "\(flag) \(text): \(mapped.message)")
        }
        return mapped
    }

    /// The engine's error worded with flag names, with the exit status of its category.
    static func plannerError(_ error: CableRoutingError) -> PlannerError {
        PlannerError(error, error.cliMessage)
    }

    /// `--pairs` / `--matrix`: one route per pair over one surface (`CableRouter.planBatch`).
    func runBatch(_ inputs: PlannerInputs, _ parameters: PlannerParameters, progress: ProgressReporter,
                  resolver: EndResolver, from: RouteEnd?, to: RouteEnd?,
                  geodata: (land: [Geometry], zones: [ConcentrationZone], hazards: [HazardZone],
                            bathymetry: BathymetryGrid?, avoid: [Geometry])) throws -> PlannerOutput {
        let matrix = parameters[CableParameter.matrix]
        if parameters[CableParameter.via] != nil { throw PlannerError.usage("--via plans one route through stops; it does not combine with --pairs or --matrix") }
        if parameters[CableParameter.routes] > 1 { throw PlannerError.usage("--pairs and --matrix plan one route per pair; leave out --routes") }
        var pairs: [RoutePair] = []
        var fromIndex: [Int]?, toIndex: [Int]?
        if matrix {
            if inputs.isProvided("pairs") { throw PlannerError.usage("give either --pairs FILE or --matrix with --from and --to, not both") }
            guard let from, let to else { throw PlannerError.usage("--matrix needs --from and --to (candidate lists, e.g. --from Ishikari,Niigata or a GeoJSON file)") }
            var fi: [Int] = [], ti: [Int] = []
            for (i, a) in from.candidates.enumerated() {
                for (j, b) in to.candidates.enumerated() where Geodesic.distanceKm(a.position, b.position) >= 1 {
                    pairs.append(RoutePair(from: RouteEnd(label: a.name, candidates: [a], isInternational: from.isInternational),
                                           to: RouteEnd(label: b.name, candidates: [b], isInternational: to.isInternational)))
                    fi.append(i)
                    ti.append(j)
                }
            }
            guard !pairs.isEmpty else { throw PlannerError.usage("--matrix: every --from candidate is the same place as every --to candidate") }
            fromIndex = fi
            toIndex = ti
        } else {
            if from != nil || to != nil { throw PlannerError.usage("--pairs FILE gives the ends; leave out --from and --to (or use --matrix)") }
            guard let path = inputs.path("pairs"), let bytes = try inputs.bytes("pairs") else {
                throw PlannerError.usage("--pairs needs a file")
            }
            for text in try CableBatch.readPairs(path: path, bytes: bytes) {
                func end(_ s: String) throws -> RouteEnd {
                    do { return try resolver.resolve(s, flag: "--pairs", allowFiles: false) } catch let error as PlannerError {
                        throw PlannerError.data("\(text.location): \(error.message)")
                    }
                }
                pairs.append(RoutePair(from: try end(text.from), to: try end(text.to)))
            }
        }
        // The surface takes the first part of the bar, routing the rest.
        let callback = progress.callback(within: Self.surfaceShare...1)
        let surface = makeSurface(parameters, land: geodata.land, zones: geodata.zones, hazards: geodata.hazards,
                                  bathymetry: geodata.bathymetry, progress: progress)
        let template = makeRequest(parameters, from: pairs[0].from, to: pairs[0].to, via: [], avoid: geodata.avoid)
        let outcomes = CableRouter(surface: surface).planBatch(
            pairs, template: template, concurrency: ProcessInfo.processInfo.activeProcessorCount, progress: callback)
        var failed = 0
        for outcome in outcomes {
            guard case .failure(let error) = outcome.result else { continue }
            if case .internalInconsistency(let message) = error { throw PlannerError(.software, "pair \(outcome.index + 1): \(message)") }
            failed += 1
            progress.warning("pair \(outcome.index + 1) \(outcome.pair.from.label) → \(outcome.pair.to.label): \(error.cliMessage)")
        }
        var sideFiles: [PlannerOutput.SideFile] = []
        if let path = parameters[CableParameter.matrixCSV], !path.isEmpty {
            sideFiles.append(.init(path: path, contents: CableBatch.csv(outcomes)))
        }
        let features = CableBatch.features(outcomes, fromIndex: fromIndex, toIndex: toIndex)
        return PlannerOutput(FeatureCollection(features), sideFiles: sideFiles,
                             summary: "\(outcomes.count - failed) of \(outcomes.count) pairs routed")
    }

    func embedded(_ name: String) throws -> FeatureCollection {
        try EmbeddedGeodata.features(name)
    }
}

/// Turns `--from`/`--to`/`--via` text into route ends.
struct EndResolver {
    let stations: FeatureCollection
    let international: FeatureCollection

    /// One end, or a comma list of ends that becomes one candidate set
    /// ("Ishikari,Niigata"; "lon,lat" pairs are re-joined as in --via).
    func resolveList(_ text: String, flag: String) throws -> RouteEnd {
        let parts = EndResolver.splitVia(text)
        guard parts.count > 1 else { return try resolve(text, flag: flag) }
        let ends = try parts.map { try resolve($0, flag: flag, allowFiles: false) }
        guard Set(ends.map(\.isInternational)).count == 1 else {
            throw PlannerError.usage("\(flag) \(text): a list is either all international exits or all landings in Japan")
        }
        return RouteEnd(label: text, candidates: ends.flatMap(\.candidates), isInternational: ends[0].isInternational)
    }

    func resolve(_ text: String, flag: String, allowFiles: Bool = true) throws -> RouteEnd {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw PlannerError.usage("\(flag): empty value") }
        if let p = EndResolver.lonLat(trimmed) {
            return RouteEnd(label: trimmed, candidates: [Landing(name: trimmed, position: p)])
        }
        if let found = CableGeodata.find(trimmed, in: international) {
            let name = international.features.first { $0.geometry == .point(found.position) }?[property: "name"]?.stringValue ?? trimmed
            return RouteEnd(label: name, candidates: [Landing(name: name, position: found.position)], isInternational: true)
        }
        if let found = CableGeodata.find(trimmed, in: stations) {
            return RouteEnd(label: found.name, candidates: [found])
        }
        let lower = trimmed.lowercased()
        if allowFiles, trimmed == "-" || lower.hasSuffix(".geojson") || lower.hasSuffix(".json") || lower.hasSuffix(".geojsons")
            || FileManager.default.fileExists(atPath: trimmed) {
            let collection = try PlannerInputs.loadFeatures(path: trimmed, label: flag)
            let landings = CableGeodata.landings(collection, label: trimmed == "-" ? "stdin" : (trimmed as NSString).lastPathComponent)
            guard !landings.isEmpty else { throw PlannerError.data("\(flag) \(trimmed): no Point features to land at") }
            return RouteEnd(label: trimmed == "-" ? "stdin" : trimmed, candidates: landings)
        }
        if lower.hasPrefix("international:") {
            let known = international.features.compactMap { $0[property: "name"]?.stringValue }.joined(separator: ", ")
            throw PlannerError.usage("\(flag) \(trimmed): unknown international endpoint; known: \(known)")
        }
        let known = CableGeodata.names(in: stations).joined(separator: ", ")
        throw PlannerError.usage("\(flag) \(trimmed): not a landing station, lon,lat, international:NAME or GeoJSON file; stations: \(known)")
    }

    /// "lon,lat" with both numbers in range, else nil.
    static func lonLat(_ text: String) -> Position? {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let lon = Double(parts[0]), let lat = Double(parts[1]),
              lon.isFinite, lat.isFinite, abs(lon) <= 180, abs(lat) <= 90 else { return nil }
        return Position(lon, lat)
    }

    /// Splits a --via list on commas, re-joining "lon,lat" pairs.
    static func splitVia(_ text: String) -> [String] {
        let tokens = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        var stops: [String] = []
        var k = 0
        while k < tokens.count {
            if k + 1 < tokens.count, Double(tokens[k]) != nil, Double(tokens[k + 1]) != nil {
                stops.append("\(tokens[k]),\(tokens[k + 1])")
                k += 2
            } else {
                stops.append(tokens[k])
                k += 1
            }
        }
        return stops
    }
}

/// The output features: routes then landings, with rounded, deterministic properties.
enum CableOutput {
    static func round(_ x: Double, _ digits: Int) -> JSONValue {
        let scale = pow(10, Double(digits))
        let value = (x * scale).rounded() / scale
        return .number(value == 0 ? 0 : value)
    }

    static func zoneLabel(_ landing: UsedLanding) -> String {
        landing.isInternational ? "international" : (landing.concentrationZone ?? "other")
    }

    static func features(_ plan: RoutePlan, ring: Bool = false) -> [Feature] {
        var features: [Feature] = []
        for route in plan.routes {
            var feature = routeFeature(route)
            if ring { feature.properties?["ring"] = true }
            features.append(feature)
        }
        // Landings in first-use order, each once, with the ranks that use it.
        features += landingFeatures(plan)
        return features
    }

    static func routeFeature(_ route: PlannedRoute) -> Feature {
            var properties = JSONObject()
            properties["role"] = "route"
            properties["rank"] = .number(Double(route.rank))
            properties["from"] = .string(route.from.name)
            properties["to"] = .string(route.to.name)
            if !route.stops.isEmpty { properties["via"] = .array(route.stops.map { .string($0.name) }) }
            properties["length_km"] = round(route.lengthKm, 2)
            properties["geodesic_km"] = round(route.geodesicKm, 2)
            properties["detour_ratio"] = round(route.detourRatio, 4)
            properties["cost"] = round(route.cost, 2)
            // Measured, not requested: `achieved_separation_km` names it so; `min_separation_km`
            // keeps the same value under the name users' filters already read (docs/planners/cable.md).
            let achieved = route.achievedSeparationKm.map { round($0, 2) } ?? .null
            properties["min_separation_km"] = achieved
            properties["achieved_separation_km"] = achieved
            properties["min_coast_km"] = route.minCoastKm.map { round($0, 3) } ?? .null
            properties["narrowest_passage_km"] = route.narrowestPassageKm.map { round($0, 3) } ?? .null
            var hazards = JSONObject()
            for kind in route.hazardKm.keys.sorted() { hazards[kind] = round(route.hazardKm[kind] ?? 0, 2) }
            properties["hazard_km"] = .object(hazards)
            let landings = [route.from] + route.stops + [route.to]
            properties["landing_zones"] = .array(landings.map { .string(zoneLabel($0)) })
            properties["subsidy_rate"] = round(route.subsidyRate, 2)
            properties["one_way_latency_ms"] = round(route.oneWayLatencyMs, 3)
            properties["est_cost_usd"] = round(route.estimatedCostUSD, 0)
            return Feature(geometry: .lineString(route.line), properties: properties)
    }

    /// The selection's properties on a route: `selection`, the greedy and selected totals,
    /// and with a solver `optimal`, `objective`, `bound`, `gap` (over the candidate set).
    static func addSelection(_ joint: JointPlan, to feature: inout Feature) {
        feature.properties?["selection"] = .string(joint.method.rawValue)
        feature.properties?["total_cost"] = round(joint.cost, 2)
        feature.properties?["total_length_km"] = round(joint.lengthKm, 2)
        feature.properties?["greedy_total_cost"] = round(joint.greedyCost, 2)
        feature.properties?["greedy_total_length_km"] = round(joint.greedyLengthKm, 2)
        feature.properties?["candidate_routes"] = .number(Double(joint.candidates))
        guard joint.method == .joint, let objective = joint.objective, let bound = joint.bound else {
            if let reason = joint.fallbackReason { feature.properties?["selection_note"] = .string(reason) }
            return
        }
        feature.properties?["optimal"] = .bool(joint.optimal ?? false)
        feature.properties?["objective"] = round(objective, 2)
        feature.properties?["bound"] = round(bound, 2)
        feature.properties?["gap"] = round(joint.gap ?? 0, 6)
        feature.properties?["improvement_over_greedy"] = joint.improvement.map { round($0, 6) } ?? .null
    }

    /// "joint selection proven optimal over 17 candidates, 2.3 % below greedy (4512.2)" for the summary.
    static func selectionLine(_ joint: JointPlan) -> String {
        guard joint.method == .joint else { return "greedy selection" }
        var line = "joint selection"
        if joint.optimal == true {
            line += " proven optimal over \(joint.candidates) candidates"
        } else {
            line += String(format: " within %.2f %% of the best over %d candidates", 100 * (joint.gap ?? 0), joint.candidates)
        }
        if let gain = joint.improvement {
            line += gain > 5e-7 ? String(format: ", total cost %.1f, %.2f %% below greedy (%.1f)", joint.cost, 100 * gain, joint.greedyCost)
                : String(format: ", total cost %.1f, same as greedy", joint.cost)
        } else {
            line += ", \(joint.plan.routes.count) routes where greedy found \(joint.greedyRoutes)"
        }
        return line
    }

    /// One leg of a route through stops: `role: leg`, its route's rank, its 1-based
    /// position, its ends and its own length, cost, latency and hazards.
    static func legFeature(_ leg: PlannedRoute, route rank: Int) -> Feature {
        var feature = routeFeature(leg)
        feature.properties?["role"] = "leg"
        feature.properties?["leg"] = .number(Double(leg.rank))
        feature.properties?["rank"] = .number(Double(rank))
        return feature
    }

    static func landingFeatures(_ plan: RoutePlan) -> [Feature] {
        var features: [Feature] = []
        var order: [UsedLanding] = []
        var ranks: [[Int]] = []
        for route in plan.routes {
            for landing in [route.from] + route.stops + [route.to] {
                if let k = order.firstIndex(where: { $0.name == landing.name && $0.position == landing.position }) {
                    if !ranks[k].contains(route.rank) { ranks[k].append(route.rank) }
                } else {
                    order.append(landing)
                    ranks.append([route.rank])
                }
            }
        }
        for (landing, used) in zip(order, ranks) {
            var properties = JSONObject()
            properties["role"] = "landing"
            properties["name"] = .string(landing.name)
            properties["zone"] = .string(zoneLabel(landing))
            properties["routes"] = .array(used.map { .number(Double($0)) })
            properties["snapped_km"] = round(landing.snappedKm, 2)
            features.append(Feature(geometry: .point(landing.position), properties: properties))
        }
        for landing in order where landing.snappedKm > 0 && landing.requested != landing.position {
            var properties = JSONObject()
            properties["role"] = "access"
            properties["name"] = .string(landing.name)
            properties["snapped_km"] = round(landing.snappedKm, 2)
            features.append(Feature(geometry: .lineString([landing.requested, landing.position]), properties: properties))
        }
        return features
    }
}
