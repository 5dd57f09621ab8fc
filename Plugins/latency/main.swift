import GeoCore
import PlannerKit

// wattbit-latency: round-trip fiber latency from candidate DC sites to demand centres, and
// which sites meet a latency budget — the question behind "can these distributed DCs run
// as one virtual hyperscale DC over the All-Photonics Network (APN)?".
//
// Model: fiber route length = route factor × geodesic distance (GRS80, Karney 2013 via
// GeoCore.Geodesic); one-way delay = route length × fiber delay per km. Light in silica
// fiber (group index ≈ 1.468) travels at ≈ 204 000 km/s, i.e. ≈ 4.9 µs per km
// (ITU-T G.652 fiber; ITU-T G.114 Appendix uses 5 µs/km for planning). Real routes follow
// roads, rail and seabed and are typically 1.3–2× the great-circle distance, hence the
// default route factor of 1.5. A fixed round-trip allowance covers transponders/switching.
// Cost: O(sites × centres) geodesic inverses (whole-run times: docs/plugin-protocol.md §8.1).

/// `--require`: a site meets the budget to every centre or to any one.
enum CentreRequirement: String, ParameterChoice {
    case all, any
}

/// `--links`: which site–centre links become lines.
enum LinkOutput: String, ParameterChoice {
    case within, all, none
}

/// Every parameter of the plugin, declared once (see PlannerKit's `Parameter`).
enum LatencyParameter {
    static let maxRTTMs = Parameter<Double>(
        "max_rtt_ms", unit: "ms", default: 1, in: 0.001...1000, help: "Round-trip latency budget")
    static let routeFactor = Parameter<Double>(
        "route_factor", default: 1.5, in: 1...5, help: "Fiber route length over the geodesic distance")
    static let fiberDelayMicrosecondsPerKm = Parameter<Double>(
        "fiber_delay_us_per_km", unit: "us/km", default: FiberLatency.fiberMicrosecondsPerKm, in: 3.34...20,
        help: "One-way delay in fiber per km of route (≈ 4.9 for silica fiber)")
    static let fixedRTTMs = Parameter<Double>(
        "fixed_rtt_ms", unit: "ms", default: 0, in: 0...100,
        help: "Round-trip allowance for transponders and switching, added to every pair")
    static let require = Parameter<CentreRequirement>(
        "require", default: .all,
        help: "A site meets the budget when it reaches all centres or any one centre within it")
    static let links = Parameter<LinkOutput>(
        "links", default: .within, help: "Which site–centre links to output as lines: within the budget, all, or none")

    static let all: [any ParameterDeclaration] = [maxRTTMs, routeFactor, fiberDelayMicrosecondsPerKm, fixedRTTMs, require, links]
}

struct LatencyPlanner: Planner {
    static let manifest = Manifest(
        name: "latency",
        version: WattBitVersion.current,
        summary: "Round-trip fiber latency from DC sites to demand centres, and the sites within a budget",
        description: """
            For every site and demand centre: geodesic distance, estimated fiber route length \
            (route factor × geodesic) and round-trip time (2 × route × delay per km + fixed \
            allowance). A site meets the budget when its round trip to every centre (--require \
            all) or to at least one (--require any) is at most --max-rtt-ms. Answers whether \
            distributed DCs can serve demand — or act as one virtual DC over the APN — within a \
            latency budget. Sites and centres keep their input order; output is deterministic.
            """,
        inputs: [
            InputSpec(name: "sites", description: "Candidate or existing DC sites; `name` is used when present.",
                      geometryTypes: ["Point"]),
            InputSpec(name: "centres", description: "Demand centres (cities, IXs, other DCs); `name` is used when present.",
                      geometryTypes: ["Point"]),
        ],
        parameters: LatencyParameter.all,
        outputs: [
            OutputSpec(format: .geojson,
                       roles: ["site": ["Point"], "centre": ["Point"], "latency-link": ["LineString"]],
                       description: "site: meets_budget, min/max_rtt_ms, nearest_centre, centres_within_budget; "
                           + "centre: sites_within_budget, min_rtt_ms; latency-link: site, centre, distance_km, "
                           + "route_km, rtt_ms, within_budget (geodesic line densified to 25 km segments)"),
        ],
        examples: [
            "wattbit latency --sites dcs.geojson --centres cities.geojson --max-rtt-ms 1",
            "wattbit hubs -o hubs.geojson && wattbit latency --sites hubs.geojson --centres ix.geojson --require any",
        ])

    func run(_ inputs: PlannerInputs, _ parameters: PlannerParameters,
             progress: ProgressReporter) async throws -> PlannerOutput {
        let sites = try inputs.features("sites")?.features ?? []
        let centres = try inputs.features("centres")?.features ?? []
        guard !sites.isEmpty else { throw PlannerError.data("--sites \(inputs.path("sites") ?? ""): no features") }
        guard !centres.isEmpty else { throw PlannerError.data("--centres \(inputs.path("centres") ?? ""): no features") }

        let model = LatencyModel(routeFactor: parameters[LatencyParameter.routeFactor],
                                 delayMicrosecondsPerKm: parameters[LatencyParameter.fiberDelayMicrosecondsPerKm],
                                 fixedRoundTripMs: parameters[LatencyParameter.fixedRTTMs])
        let budgetMs = parameters[LatencyParameter.maxRTTMs]
        let requireAll = parameters[LatencyParameter.require] == .all
        let linkMode = parameters[LatencyParameter.links]

        let sitePoints = try sites.enumerated().map { try point(of: $1, index: $0, input: "sites") }
        let centrePoints = try centres.enumerated().map { try point(of: $1, index: $0, input: "centres") }
        let siteNames = sites.enumerated().map { name(of: $1, fallback: "site \($0)") }
        let centreNames = centres.enumerated().map { name(of: $1, fallback: "centre \($0)") }

        var siteFeatures: [Feature] = []
        var linkFeatures: [Feature] = []
        var centreWithin = [Int](repeating: 0, count: centres.count)
        var centreMinRtt = [Double](repeating: .infinity, count: centres.count)
        var meeting = 0

        for (siteIndex, site) in sitePoints.enumerated() {
            var minRtt = Double.infinity, maxRtt = 0.0
            var nearest = 0
            var within = 0
            for (centreIndex, centre) in centrePoints.enumerated() {
                let distanceKm = Geodesic.distanceKm(site, centre)
                let rttMs = model.roundTripMs(geodesicKm: distanceKm)
                let ok = rttMs <= budgetMs
                if rttMs < minRtt { minRtt = rttMs; nearest = centreIndex }
                maxRtt = max(maxRtt, rttMs)
                if ok {
                    within += 1
                    centreWithin[centreIndex] += 1
                }
                centreMinRtt[centreIndex] = min(centreMinRtt[centreIndex], rttMs)
                if linkMode == .all || (linkMode == .within && ok) {
                    let line = Geodesic.densify([site, centre], maxSegmentKm: 25)
                    linkFeatures.append(Feature(geometry: .lineString(line), properties: [
                        "role": "latency-link",
                        "site": .string(siteNames[siteIndex]),
                        "centre": .string(centreNames[centreIndex]),
                        "distance_km": .number(rounded(distanceKm, 3)),
                        "route_km": .number(rounded(distanceKm * model.routeFactor, 3)),
                        "rtt_ms": .number(rounded(rttMs, 4)),
                        "within_budget": .bool(ok),
                    ]))
                }
            }
            let meets = requireAll ? within == centres.count : within > 0
            if meets { meeting += 1 }
            var properties = sites[siteIndex].properties ?? JSONObject()
            properties["role"] = "site"
            properties["name"] = .string(siteNames[siteIndex])
            properties["meets_budget"] = .bool(meets)
            properties["min_rtt_ms"] = .number(rounded(minRtt, 4))
            properties["max_rtt_ms"] = .number(rounded(maxRtt, 4))
            properties["nearest_centre"] = .string(centreNames[nearest])
            properties["centres_within_budget"] = .number(Double(within))
            siteFeatures.append(Feature(id: sites[siteIndex].id, geometry: .point(site), properties: properties))
            progress.update(Double(siteIndex + 1) / Double(sites.count), stage: "latency")
        }

        var centreFeatures: [Feature] = []
        for (index, centre) in centrePoints.enumerated() {
            var properties = centres[index].properties ?? JSONObject()
            properties["role"] = "centre"
            properties["name"] = .string(centreNames[index])
            properties["sites_within_budget"] = .number(Double(centreWithin[index]))
            properties["min_rtt_ms"] = .number(rounded(centreMinRtt[index], 4))
            centreFeatures.append(Feature(id: centres[index].id, geometry: .point(centre), properties: properties))
        }

        let rule = requireAll ? "all \(centres.count)" : "at least one of \(centres.count)"
        let summary = "\(meeting) of \(sites.count) sites reach \(rule) centres within "
            + "\(formatNumber(budgetMs)) ms round trip (route factor \(formatNumber(model.routeFactor)), "
            + "\(formatNumber(model.delayMicrosecondsPerKm)) µs/km)"
        return PlannerOutput(FeatureCollection(siteFeatures + centreFeatures + linkFeatures), summary: summary)
    }

    func point(of feature: Feature, index: Int, input: String) throws -> Position {
        guard case .point(let position) = feature.geometry else {
            throw PlannerError.data("--\(input): features[\(index)]: expected a Point")
        }
        return position
    }

    func name(of feature: Feature, fallback: String) -> String {
        if let name = feature[property: "name"]?.stringValue, !name.isEmpty { return name }
        switch feature.id {
        case .string(let id)?: return id
        case .number(let id)?: return formatNumber(id)
        case nil: return fallback
        }
    }

    func rounded(_ value: Double, _ decimals: Int) -> Double {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        return (value * scale).rounded() / scale
    }
}

/// Fiber round-trip time over an estimated route.
struct LatencyModel {
    var routeFactor: Double
    var delayMicrosecondsPerKm: Double
    var fixedRoundTripMs: Double

    func roundTripMs(geodesicKm: Double) -> Double {
        2 * geodesicKm * routeFactor * delayMicrosecondsPerKm / 1000 + fixedRoundTripMs
    }
}

PlannerMain.run(LatencyPlanner.self)
