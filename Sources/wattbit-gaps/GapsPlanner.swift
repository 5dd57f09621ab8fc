#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CableRouting
import FiberCoverage
import GeoCore
import PlannerKit

// wattbit-gaps: where fiber does not reach, who lives there, and what closing each gap
// costs. A thin shell over the FiberCoverage engine: it reads the inputs (streaming the
// mesh CSV in chunks, so memory follows the gaps, not the file), hands values to the
// engine, optionally routes island connections with the CableRouting engine, and returns features.

struct GapsPlanner: Planner {
    static let manifest = Manifest(
        name: "gaps",
        version: WattBitVersion.current,
        summary: "Fiber coverage gaps: who lives beyond the network's reach and what each connection costs",
        description: """
            Classifies every demand unit (JIS X 0410 mesh cell from an e-Stat style CSV, or a \
            GeoJSON Point/Polygon with population) as covered when it lies within reach of the \
            network (geodesic distance; per-feature reach_km overrides --reach-km), dissolves the \
            uncovered units into gap polygons (mesh cells by an exact grid union; other polygons \
            by GEOS unary union) and ranks the gaps by cost per person of their \
            closing cost: the shortest connection (extension_km) plus the distribution fiber \
            inside the gap, estimated as area / (2 × reach) since one line serves a strip twice \
            the reach wide (distribution_km). Gaps on a land mass without network are islands: \
            the --island-routes most populous connections are routed over sea in process by the \
            cable router (the engine of wattbit cable, one sea surface for all links), the rest \
            measured as straight lines (extension_method says which). --plan chooses gaps within --budget-jpy \
            to maximise covered population (budgeted maximum coverage; greedy by population per \
            yen, refined by the best single affordable gap: Khuller, Moss & Naor 1999). \
            --summary writes covered/uncovered population and households by prefecture \
            (geodata/prefectures.geojson), by --regions and for the nation as CSV.
            """,
        inputs: [
            InputSpec(name: "network",
                      description: "Fiber network: LineStrings (cables) and Points (access nodes); optional reach_km per feature.",
                      geometryTypes: ["LineString", "MultiLineString", "Point", "MultiPoint"]),
            InputSpec(name: "demand",
                      description: "Demand: e-Stat style mesh CSV (KEY_CODE + value columns; 1 km to 125 m mesh), or GeoJSON Points/Polygons with population (and households).",
                      formats: [.csv, .geojson],
                      geometryTypes: ["Point", "MultiPoint", "Polygon", "MultiPolygon"]),
            InputSpec(name: "regions",
                      description: "Optional boundary layer (Polygons with name) for the municipality of each gap and summary rows.",
                      geometryTypes: ["Polygon", "MultiPolygon"], required: false),
        ],
        parameters: GapsParameter.all,
        outputs: [
            OutputSpec(format: .geojson,
                       roles: ["gap": ["Polygon", "MultiPolygon", "Point", "MultiPoint"], "extension": ["LineString"]],
                       description: "gap (ranked by cost_per_person_jpy): id, rank, population, households, units, area_km2, "
                           + "nearest_network_km, prefecture, municipality (with --regions), island, land_mass, extension_km, "
                           + "extension_method, extension_cost_jpy, distribution_km, closing_cost_jpy, cost_per_person_jpy, "
                           + "first_mesh_code, planned (with --plan); extension (with --plan): gap, order, population, "
                           + "households, connects_from (network or the gap it shares an extension with), extension_km, "
                           + "extension_method, island, distribution_km, closing_cost_jpy, cumulative_cost_jpy, budget_jpy, plan_rule, "
                           + "optimal, objective (covered population), bound (proven upper bound), optimality_gap"),
        ],
        examples: [
            "wattbit gaps --network geodata/demo-network.geojson --demand geodata/demo-population.csv",
            "wattbit gaps --network fiber.geojson --demand mesh-population.csv --reach-km 2 > gaps.geojson",
            "ogr2ogr -f GeoJSONSeq /vsistdout/ plant.shp | wattbit gaps --network - --demand geodata/demo-population.csv --summary by-prefecture.csv",
            "wattbit gaps --network geodata/demo-network.geojson --demand geodata/demo-population.csv --budget-jpy 5e9 --plan",
        ])

    func run(_ inputs: PlannerInputs, _ parameters: PlannerParameters,
             progress: ProgressReporter) async throws -> PlannerOutput {
        let plan = parameters[GapsParameter.plan]
        let budget = parameters[GapsParameter.budgetJPY]
        if plan && budget == nil { throw PlannerError.usage("--plan needs --budget-jpy (the budget in yen)") }
        if budget != nil && !plan { progress.warning("--budget-jpy has no effect without --plan") }
        let costPerKm = parameters[GapsParameter.costPerKmJPY]
        let options = CoverageOptions(reachKm: parameters[GapsParameter.reachKm],
                                      demandMode: parameters[GapsParameter.demandMode],
                                      costPerKmJPY: costPerKm)

        progress.update(0, stage: "network")
        let networkFeatures = try inputs.features("network")?.features ?? []
        let network: NetworkIndex
        do {
            network = try NetworkIndex(features: networkFeatures, defaultReachKm: options.reachKm)
        } catch {
            throw PlannerError.data("--network \(inputs.path("network") ?? ""): \(error)")
        }
        let prefectures = try embeddedLayer("prefectures.geojson", progress: progress)?.layer
        let landLayer = try embeddedLayer("japan-land.geojson", progress: progress)
        let land = landLayer?.layer
        var regions: RegionLayer?
        if let features = try inputs.features("regions")?.features {
            regions = RegionLayer(features: features)
        }
        let context = CoverageContext(network: network, options: options, prefectures: prefectures,
                                      regions: regions, land: land)

        progress.update(0, stage: "demand")
        guard let demandPath = inputs.path("demand") else { throw PlannerError.usage("--demand is required") }
        let demand = try InputSource(path: demandPath, label: "--demand")
        var result: CoverageResult
        if try DemandSource.isCSV(demand) {
            result = try meshCoverage(demand, context: context, parameters: parameters, progress: progress)
        } else {
            result = try unitCoverage(demand, inputs, context: context, parameters: parameters, progress: progress)
        }

        if parameters[GapsParameter.islandRouting] == .auto {
            try IslandRouting.route(&result, limit: parameters[GapsParameter.islandRoutes], sea: {
                guard let landLayer else { return nil }
                return IslandRouting.SeaData(
                    land: CableGeodata.land(landLayer.features),
                    zones: CableGeodata.concentrationZones(try embeddedCollection("zones.geojson")),
                    hazards: try CableGeodata.hazards(try embeddedCollection("hazards.geojson")))
            }, progress: progress)
            rank(&result.gaps, costPerKmJPY: costPerKm)
        } else if result.gaps.contains(where: \.island) {
            progress.info("island connections measured as straight lines (--island-routing straight-line)")
        }

        var chosen: SharedExtensionPlan.Plan?
        if plan, let budget {
            progress.update(0, stage: "plan")
            let exact = parameters[GapsParameter.planMethod] == .exact
            chosen = SharedExtensionPlan.plan(result.planGaps(costPerKmJPY: costPerKm),
                                              links: result.planLinks(costPerKmJPY: costPerKm), budgetJPY: budget,
                                              timeSeconds: parameters[GapsParameter.planTimeLimit], useSolver: exact)
        }
        let features = result.features(costPerKmJPY: costPerKm, plan: chosen, budgetJPY: budget)
        var sideFiles: [PlannerOutput.SideFile] = []
        if let summaryPath = parameters[GapsParameter.summary], !summaryPath.isEmpty {
            sideFiles.append(.init(path: summaryPath, contents: result.summaryCSV()))
        }
        let n = result.national
        var text = "\(result.gaps.count) gaps; \(formatCount(n.uncoveredPopulation)) of \(formatCount(n.population)) people beyond reach (coverage \(formatPercent(n.coverageRate)) over \(result.unitsRead) units)"
        if let chosen {
            text += "; plan: \(chosen.chosen.count) extensions, \(formatCount(chosen.costJPY)) JPY, \(formatCount(chosen.population)) people (\(chosen.rule))"
            text += chosen.optimal ? ", proven optimal"
                : String(format: ", within %.2f %% of optimal (at most ", 100 * chosen.gap) + formatCount(chosen.boundPopulation) + " people)"
        }
        return PlannerOutput(FeatureCollection(features), sideFiles: sideFiles, summary: text)
    }

    private func embeddedLayer(_ name: String, progress: ProgressReporter) throws -> (layer: RegionLayer, features: FeatureCollection)? {
        let collection: FeatureCollection
        do {
            collection = try EmbeddedGeodata.features(name)
        } catch let error as PlannerError where error.code == .unavailable {
            progress.warning("\(error.message); gaps will lack \(name == "prefectures.geojson" ? "prefectures" : "island detection")")
            return nil
        }
        return (RegionLayer(features: collection.features), collection)
    }

    /// An embedded cable layer (zones, hazards) for island routing; a missing or broken
    /// file is an installation defect.
    private func embeddedCollection(_ name: String) throws -> FeatureCollection {
        try EmbeddedGeodata.features(name)
    }

    private func meshCoverage(_ input: InputSource, context: CoverageContext, parameters: PlannerParameters,
                              progress: ProgressReporter) throws -> CoverageResult {
        var parser = MeshCSVParser(populationColumn: parameters[GapsParameter.populationColumn],
                                   householdsColumn: parameters[GapsParameter.householdsColumn])
        var coverage = MeshCoverage(context: context)
        let label = input.displayLabel
        do {
            try DemandSource.stream(input, progress: progress) { chunk in
                try parser.feed(chunk) { coverage.add($0) }
            }
            try parser.finish { coverage.add($0) }
        } catch let error as MeshCSVError {
            throw PlannerError.data("\(label):\(error.line): \(error.message(naming: { _ in GapsParameter.populationColumn.flag }))")
        }
        // A table without rows would read as "coverage 100 %": that is not an answer.
        if parser.rows == 0 { throw PlannerError.data("\(label): no mesh rows after the header") }
        if !parser.hasHouseholds { progress.info("\(label): no '\(parser.householdsColumn)' column; households counted as 0") }
        if parser.suppressedValues > 0 { progress.info("\(label): \(parser.suppressedValues) suppressed values ('*' or '-') counted as 0") }
        return coverage.finish(progress: progress.callback)
    }

    private func unitCoverage(_ input: InputSource, _ inputs: PlannerInputs, context: CoverageContext,
                              parameters: PlannerParameters, progress: ProgressReporter) throws -> CoverageResult {
        let populationKey = parameters[GapsParameter.populationColumn]
        let householdsKey = parameters[GapsParameter.householdsColumn]
        let label = input.displayLabel
        let source = input.sourceName
        var coverage = UnitCoverage(context: context)
        var units = 0
        try inputs.forEachFeature("demand", from: input) { index, feature in
            // The manifest check has refused null geometries and other types.
            guard let geometry = feature.geometry else { return }
            let population = try DemandValue.check(feature[property: populationKey], required: true,
                                                   where: "\(source): features[\(index)].properties.\(populationKey)")
            let households = try DemandValue.check(feature[property: householdsKey], required: false,
                                                   where: "\(source): features[\(index)].properties.\(householdsKey)")
            coverage.add(DemandUnit(geometry: geometry, population: population, households: households, index: index))
            units += 1
        }
        if units == 0 { throw PlannerError.data("\(label): no demand features") }
        do {
            return try coverage.finish(progress: progress.callback)
        } catch let error as GEOSError {
            throw PlannerError.data("\(label): cannot dissolve gap polygons: \(error.message)")
        }
    }
}

/// A whole number for the summary line, exact where an Int holds it.
func formatCount(_ value: Double) -> String {
    let rounded = value.rounded()
    return abs(rounded) < 9e15 ? String(Int(rounded)) : "\(rounded)"
}

/// Population and households at the boundary: finite, non-negative and at most
/// `maximum` per unit (more than the world's population), so no sum can overflow.
enum DemandValue {
    static let maximum = 1e10

    static func check(_ value: JSONValue?, required: Bool, where location: String) throws -> Double {
        guard let value, !value.isNull else {
            if required { throw PlannerError.data("\(location): missing; expected a number from 0 to 1e10") }
            return 0
        }
        guard let number = value.doubleValue, number.isFinite, number >= 0, number <= maximum else {
            throw PlannerError.data("\(location): \(String(decoding: JSONText.encode(value), as: UTF8.self)) is not a number from 0 to 1e10")
        }
        return number
    }
}

func formatPercent(_ rate: Double) -> String {
    let tenths = (rate * 1000).rounded() / 10
    return "\(tenths) %"
}
