import Foundation
import GeoCore
import HubClustering
import PlannerKit

// wattbit-hubs: which DC sites can run together as GW-class hubs, and how well placed each
// hub is. A thin shell over the HubClustering engine: it reads and checks the inputs, asks
// the engine for hubs, scores them against the embedded power, cable, zone and hazard data,
// and returns features.

struct HubsPlanner: Planner {
    /// Upper bound of a plausible site figure in MW (capacity_mw, power_available_mw).
    static let maxSiteMW = 100_000.0

    static let manifest = Manifest(
        name: "hubs",
        version: WattBitVersion.current,
        summary: "GW-class data-centre hubs: groups of DC sites within a latency budget, scored for power, cables and resilience",
        description: """
            Groups DC sites (Points with capacity_mw) into hubs whose members all lie within \
            --max-rtt-ms round trip of the hub centre (fiber at 4.9 us/km one way x --route-factor \
            over the geodesic; or --max-radius-km) and that hold at least --min-hub-mw. Maximises \
            the number of hubs, then the capacity in hubs, then compactness (sum of MW x km to the \
            centre, so each centre is the capacity-weighted medoid): capacitated max-p clustering \
            by randomised seeded construction and local search (Duque, Anselin & Rey 2012; Wei, Rey \
            & Knaap 2021; Andrade, Resende & Werneck 2012). With --exclude-metro (default) no centre \
            lies in the Tokyo or Osaka area and metro sites join only with --allow-metro-members. \
            --fixed-hubs grows hubs around given centres first. Each hub is scored (0-1, weights are \
            parameters) on decarbonised power within --power-radius-km, generation headroom, the \
            nearest landing station outside Boso/Shima, RTT to Tokyo/Osaka, distance from the Nankai \
            and Tokyo-inland earthquake source regions, and the DC subsidy outside the metro areas; \
            raw values are in the output so the rank can be redone by hand. Without --sites the \
            embedded geodata/dc-sites.geojson is used.
            """,
        inputs: [
            InputSpec(name: "sites",
                      description: "DC sites: Points with capacity_mw (0 to 100000 MW); optional name, status, power_available_mw. Default: embedded dc-sites.geojson.",
                      geometryTypes: ["Point"], requiredProperties: ["capacity_mw"], required: false),
            InputSpec(name: "fixed_hubs",
                      description: "Hub centres to grow first (Points, optional name), e.g. a designated Hokkaido or Kyushu site.",
                      geometryTypes: ["Point"], required: false),
            InputSpec(name: "power_plants",
                      description: "Power stations (Points with capacity_mw, decarbonised). Default: embedded power-plants.geojson.",
                      geometryTypes: ["Point"], requiredProperties: ["capacity_mw"], required: false),
            InputSpec(name: "landings",
                      description: "Cable landing stations (Points; zone boso/shima marks the concentration zones). Default: embedded landing-stations.geojson.",
                      geometryTypes: ["Point"], required: false),
            InputSpec(name: "zones",
                      description: "Zones (Polygons; kind metro-area). Default: embedded zones.geojson.",
                      geometryTypes: ["Polygon", "MultiPolygon"], required: false),
            InputSpec(name: "hazards",
                      description: "Hazards (kind earthquake-source Polygons are used). Default: embedded hazards.geojson.",
                      required: false),
        ],
        parameters: HubsParameter.all,
        outputs: [
            OutputSpec(format: .geojson,
                       roles: ["hub": ["Point"], "hub-area": ["Polygon"], "hub-member": ["Point"], "unassigned": ["Point"]],
                       description: "hub (weighted medoid, by rank): hub_id, name, rank, total_mw, members, max_rtt_ms, raw values and "
                           + "score_* ; hub-area: member hull padded 1 km; hub-member: hub_id, rtt_ms_to_centre; "
                           + "unassigned: reason (metro-area, beyond-latency, short-of-floor) and its raw value. "
                           + "Every hub also carries the run's optimality: optimal, objective (hubs), bound (hubs_upper_bound), gap, "
                           + "cost_bound_mw_km, cost_gap, solver"),
        ],
        examples: [
            "wattbit hubs --sites geodata/dc-sites.geojson",
            "wattbit hubs --sites geodata/dc-sites.geojson --exact on --exact-time-limit 30",
            "wattbit hubs --sites sites.geojson --min-hub-mw 1000 --max-rtt-ms 1.0 > hubs.geojson",
            "wattbit hubs --sites geodata/dc-sites.geojson | wattbit cable --from - --to international:north-america",
        ])

    func run(_ inputs: PlannerInputs, _ parameters: PlannerParameters,
             progress: ProgressReporter) async throws -> PlannerOutput {
        let routeFactor = parameters[HubsParameter.routeFactor]
        if parameters.isSet(HubsParameter.maxRadiusKm) && parameters.isSet(HubsParameter.maxRTTMs) {
            throw PlannerError.usage("give either --max-rtt-ms or --max-radius-km, not both")
        }
        let radiusKm = parameters[HubsParameter.maxRadiusKm]
            ?? FiberLatency.radiusKm(rttMs: parameters[HubsParameter.maxRTTMs], routeFactor: routeFactor)
        let excludeMetro = parameters[HubsParameter.excludeMetro]
        let allowMetroMembers = parameters[HubsParameter.allowMetroMembers]
        if allowMetroMembers && !excludeMetro {
            progress.info("--allow-metro-members has no effect with --no-exclude-metro (metro sites are fully eligible)")
        }

        progress.update(0, stage: "read")
        // Messages name the file, or <stdin> for `-`, as the GeoJSON reader's own do.
        func label(_ name: String) -> String? { inputs.path(name).map { $0 == "-" ? "<stdin>" : $0 } }
        let sitesLabel = inputs.isProvided("sites") ? (label("sites") ?? "--sites") : "dc-sites.geojson"
        let siteFeatures = try loadInput(inputs, "sites", embedded: "dc-sites.geojson", required: true) ?? []
        let zones = try loadInput(inputs, "zones", embedded: "zones.geojson", required: false, progress: progress) ?? []
        let metroAreas = zones.filter { $0[property: "kind"]?.stringValue == "metro-area" }.compactMap(Self.namedArea)
        if metroAreas.isEmpty && excludeMetro {
            progress.warning("no metro-area zones found; --exclude-metro cannot exclude anything")
        }
        let sites = try Self.sites(siteFeatures, source: sitesLabel, metroAreas: metroAreas)

        var fixedCentres: [Position] = []
        var fixedNames: [String] = []
        let fixedLabel = label("fixed_hubs") ?? "--fixed-hubs"
        for (index, feature) in (try inputs.features("fixed_hubs")?.features ?? []).enumerated() {
            guard case .point(let p)? = feature.geometry else { continue }
            let name = feature[property: "name"]?.stringValue ?? "fixed hub \(index + 1)"
            if excludeMetro, let area = metroAreas.first(where: { $0.contains(p) }) {
                throw PlannerError.data("\(fixedLabel): features[\(index)] (\(name)) lies in the \(area.name) while --exclude-metro is on")
            }
            fixedCentres.append(p)
            fixedNames.append(name)
        }

        let options = HubClusteringOptions(
            minHubMW: parameters[HubsParameter.minHubMW], maxRadiusKm: radiusKm,
            excludeMetroCentres: excludeMetro, allowMetroMembers: allowMetroMembers,
            restarts: parameters[HubsParameter.restarts] == 0 ? nil : parameters[HubsParameter.restarts],
            seed: UInt64(parameters[HubsParameter.seed]),
            exact: parameters[HubsParameter.exact],
            exactSiteLimit: parameters[HubsParameter.exactMaxSites],
            exactTimeLimitSeconds: parameters[HubsParameter.exactTimeLimit],
            repairTimeLimitSeconds: parameters[HubsParameter.repairTimeLimit])
        let callback = progress.callback
        let result: HubClusteringResult
        do {
            result = try HubClustering.solve(sites: sites.map(\.site), fixedCentres: fixedCentres, options: options) { f, stage in
                callback(f, stage)
            }
        } catch let error as HubClusteringError {
            throw PlannerError.data("\(sitesLabel): \(error.message)")
        }
        for f in result.droppedFixedCentres {
            progress.warning("fixed hub \(fixedNames[f]) cannot gather \(formatNumber(options.minHubMW)) MW within \(Self.fmt(radiusKm, 1)) km; not formed")
        }

        progress.update(0, stage: "score")
        let context = HubScoringContext(
            powerPlants: try Self.plants(loadInput(inputs, "power_plants", embedded: "power-plants.geojson", required: false, progress: progress) ?? [],
                                         source: label("power_plants") ?? "power-plants.geojson"),
            landings: Self.landings(try loadInput(inputs, "landings", embedded: "landing-stations.geojson", required: false, progress: progress) ?? []),
            metroAreas: metroAreas,
            earthquakeSources: (try loadInput(inputs, "hazards", embedded: "hazards.geojson", required: false, progress: progress) ?? [])
                .filter { $0[property: "kind"]?.stringValue == "earthquake-source" }.compactMap(Self.namedArea))
        let weights = HubScoreWeights(
            power: parameters[HubsParameter.weightPower], headroom: parameters[HubsParameter.weightHeadroom],
            cables: parameters[HubsParameter.weightCables], latency: parameters[HubsParameter.weightLatency],
            hazard: parameters[HubsParameter.weightHazard], subsidy: parameters[HubsParameter.weightSubsidy])
        let output = HubOutput(sites: sites, result: result, fixedNames: fixedNames, context: context, weights: weights,
                               powerRadiusKm: parameters[HubsParameter.powerRadiusKm], routeFactor: routeFactor,
                               radiusKm: radiusKm, minHubMW: options.minHubMW)
        let features = output.features()
        let summary = "\(result.hubs.count) hub(s) of ≥ \(formatNumber(options.minHubMW)) MW within \(Self.fmt(radiusKm, 1)) km "
            + "(RTT \(Self.fmt(FiberLatency.rttMs(distanceKm: radiusKm, routeFactor: routeFactor), 3)) ms); "
            + "\(result.hubs.reduce(0) { $0 + $1.members.count }) of \(sites.count) sites in hubs; "
            + Self.optimalityLine(result)
        return PlannerOutput(FeatureCollection(features), summary: summary)
    }

    /// An input's features, or the embedded file's when the input was not given.
    func loadInput(_ inputs: PlannerInputs, _ name: String, embedded: String, required: Bool,
                   progress: ProgressReporter? = nil) throws -> [Feature]? {
        if inputs.isProvided(name) { return try inputs.features(name)?.features }
        if required { return try EmbeddedGeodata.features(embedded).features }
        do {
            return try EmbeddedGeodata.features(embedded).features
        } catch let error as PlannerError where error.code == .unavailable {
            progress?.warning("\(error.message); its scores are left out")
            return nil
        }
    }

    struct SiteRecord {
        var site: HubSite
        var name: String
        var nameEn: String?
        var status: String?
        var powerAvailableMW: Double?
        var index: Int
    }

    /// Checks and converts the sites; every error names the file, feature index and site.
    static func sites(_ features: [Feature], source: String, metroAreas: [NamedArea]) throws -> [SiteRecord] {
        if features.isEmpty { throw PlannerError.data("\(source): no sites (the file holds no features)") }
        var records: [SiteRecord] = []
        records.reserveCapacity(features.count)
        let metroBoxes = metroAreas.map { area -> BoundingBox? in
            var box: BoundingBox?
            for polygon in area.polygons { for ring in polygon { for p in ring {
                if box == nil { box = BoundingBox(minX: p.x, minY: p.y, maxX: p.x, maxY: p.y) } else { box?.include(p) }
            } } }
            return box
        }
        for (index, feature) in features.enumerated() {
            let name = feature[property: "name"]?.stringValue
            let label = "\(source): features[\(index)]\(name.map { " (\($0))" } ?? "")"
            guard case .point(let p)? = feature.geometry else {
                throw PlannerError.data("\(label): geometry is \(feature.geometry?.typeName ?? "null"); sites must be Points")
            }
            guard p.lon.isFinite, p.lat.isFinite, abs(p.lon) <= 180, abs(p.lat) <= 90 else {
                throw PlannerError.data("\(label): coordinates out of range")
            }
            guard let raw = feature[property: "capacity_mw"], !raw.isNull else {
                throw PlannerError.data("\(label): missing capacity_mw")
            }
            guard let mw = raw.doubleValue, mw.isFinite else {
                throw PlannerError.data("\(label): capacity_mw must be a number, got \(describe(raw))")
            }
            guard mw >= 0 else { throw PlannerError.data("\(label): capacity_mw is \(formatNumber(mw)); it must be ≥ 0") }
            // The largest campuses announced anywhere are a few GW; a figure beyond 100 GW is a
            // unit or typing error, and would overflow the exact model's capacity sums.
            guard mw <= Self.maxSiteMW else {
                throw PlannerError.data("\(label): capacity_mw is \(formatNumber(mw)); a site above \(formatNumber(Self.maxSiteMW)) MW is not plausible (MW expected)")
            }
            var powerAvailable: Double? = nil
            if let raw = feature[property: "power_available_mw"], !raw.isNull {
                guard let value = raw.doubleValue, value.isFinite, value >= 0, value <= Self.maxSiteMW else {
                    throw PlannerError.data("\(label): power_available_mw must be a number from 0 to \(formatNumber(Self.maxSiteMW)), got \(describe(raw))")
                }
                powerAvailable = value
            }
            var inMetro = false
            for (k, area) in metroAreas.enumerated() where metroBoxes[k]?.contains(p) ?? false {
                if area.contains(p) { inMetro = true; break }
            }
            records.append(SiteRecord(site: HubSite(position: p, capacityMW: mw, inMetroArea: inMetro),
                                      name: name ?? "site \(index)", nameEn: feature[property: "name_en"]?.stringValue,
                                      status: feature[property: "status"]?.stringValue,
                                      powerAvailableMW: powerAvailable, index: index))
        }
        return records
    }

    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): "\"\(s)\""
        case .bool(let b): String(b)
        case .array: "an array"
        case .object: "an object"
        case .number(let x): formatNumber(x)
        case .null: "null"
        }
    }

    /// Power stations; a capacity that is not a number ≥ 0, or a `decarbonised` that is not
    /// a boolean, is bad data (exit 65), not a plant to skip or clamp.
    static func plants(_ features: [Feature], source: String) throws -> [PowerPlant] {
        var plants: [PowerPlant] = []
        for (index, f) in features.enumerated() {
            guard case .point(let p)? = f.geometry else { continue }   // the manifest admits Points only
            let label = "\(source): features[\(index)]\(f[property: "name"]?.stringValue.map { " (\($0))" } ?? "")"
            let raw = f[property: "capacity_mw"] ?? .null
            guard let mw = raw.doubleValue, mw.isFinite, mw >= 0 else {
                throw PlannerError.data("\(label): capacity_mw must be a number ≥ 0, got \(describe(raw))")
            }
            let decarbonised = f[property: "decarbonised"] ?? .null
            guard decarbonised.isNull || decarbonised.boolValue != nil else {
                throw PlannerError.data("\(label): decarbonised must be true or false, got \(describe(decarbonised))")
            }
            plants.append(PowerPlant(position: p, capacityMW: mw, decarbonised: decarbonised.boolValue ?? false))
        }
        return plants
    }

    static func landings(_ features: [Feature]) -> [LandingStation] {
        features.compactMap { f in
            guard case .point(let p)? = f.geometry else { return nil }
            let zone = f[property: "zone"]?.stringValue ?? "other"
            let name = f[property: "name_en"]?.stringValue ?? f[property: "name"]?.stringValue ?? "landing"
            return LandingStation(position: p, name: name, inConcentrationZone: zone == "boso" || zone == "shima")
        }
    }

    static func namedArea(_ f: Feature) -> NamedArea? {
        let name = f[property: "name_en"]?.stringValue ?? f[property: "name"]?.stringValue ?? "area"
        switch f.geometry {
        case .polygon(let rings)?: return NamedArea(name: name, polygons: [rings])
        case .multiPolygon(let polygons)?: return NamedArea(name: name, polygons: polygons)
        default: return nil
        }
    }

    static func fmt(_ x: Double, _ decimals: Int) -> String { String(format: "%.\(decimals)f", x) }

    /// "optimal (CBC proved it)" or "at most 7 hubs possible (gap 14.3 %)", for the summary line.
    static func optimalityLine(_ result: HubClusteringResult) -> String {
        let o = result.optimality
        if o.optimal { return "proven optimal (\(o.method))" }
        var line = o.hubCountOptimal ? "hub count proven optimal (at most \(o.hubsUpperBound))"
            : "at most \(o.hubsUpperBound) hubs possible (gap \(fmt(100 * o.hubCountGap, 1)) %)"
        if let g = o.costGap { line += ", compactness within \(fmt(100 * g, 2)) % of optimal" }
        return line
    }
}
