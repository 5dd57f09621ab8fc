import GeoCore
import HubClustering

/// Turns the engine's answer into the planner's features: hubs (by rank), hub areas,
/// members and unassigned sites, all in a fixed order with fixed rounding.
struct HubOutput {
    let sites: [HubsPlanner.SiteRecord]
    let result: HubClusteringResult
    let fixedNames: [String]
    let context: HubScoringContext
    let weights: HubScoreWeights
    let powerRadiusKm: Double
    let routeFactor: Double
    let radiusKm: Double
    let minHubMW: Double

    static func r(_ x: Double, _ decimals: Int) -> JSONValue {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        return .number((x * scale).rounded() / scale)
    }
    static func optional(_ x: Double?, _ decimals: Int) -> JSONValue { x.map { r($0, decimals) } ?? .null }

    func features() -> [Feature] {
        // Score, then rank by total score (descending), ties by the engine's hub order.
        let scored = result.hubs.enumerated().map { k, hub in
            (order: k, hub: hub, score: HubScoring.score(centre: hub.centre, loadMW: hub.totalMW,
                                                         sitePowerMW: hub.members.reduce(0) { $0 + (sites[$1].powerAvailableMW ?? 0) },
                                                         context: context,
                                                         powerRadiusKm: powerRadiusKm, routeFactor: routeFactor, weights: weights))
        }
        let ranked = scored.sorted { $0.score.total != $1.score.total ? $0.score.total > $1.score.total : $0.order < $1.order }
        var hubFeatures: [Feature] = [], areaFeatures: [Feature] = [], memberFeatures: [Feature] = []
        for (rankIndex, entry) in ranked.enumerated() {
            let hub = entry.hub, s = entry.score
            let hubID = String(format: "H%02d", rankIndex + 1)
            let centreName: String
            var centreNameEn: JSONValue = .null
            if let c = hub.centreSite {
                centreName = sites[c].name
                centreNameEn = sites[c].nameEn.map(JSONValue.string) ?? .null
            } else {
                centreName = hub.fixedCentre.map { fixedNames[$0] } ?? "hub"
            }
            let maxRtt = FiberLatency.rttMs(distanceKm: hub.maxDistanceKm, routeFactor: routeFactor)
            var p = JSONObject()
            p["role"] = "hub"
            p["hub_id"] = .string(hubID)
            p["name"] = .string("\(hubID) \(centreName)")
            p["name_en"] = centreNameEn
            p["rank"] = .number(Double(rankIndex + 1))
            p["centre_site"] = .string(centreName)
            p["fixed"] = .bool(hub.fixedCentre != nil)
            p["total_mw"] = Self.r(hub.totalMW, 3)
            p["members"] = .number(Double(hub.members.count))
            p["max_distance_km"] = Self.r(hub.maxDistanceKm, 3)
            p["max_rtt_ms"] = Self.r(maxRtt, 4)
            p["cost_mw_km"] = Self.r(hub.costMWKm, 1)
            let o = result.optimality
            p["optimal"] = .bool(o.optimal)
            p["objective"] = .number(Double(result.hubs.count))
            p["bound"] = .number(Double(o.hubsUpperBound))
            p["hubs_upper_bound"] = .number(Double(o.hubsUpperBound))
            p["gap"] = Self.r(o.hubCountGap, 6)
            p["cost_bound_mw_km"] = Self.optional(o.costBoundMWKm, 1)
            p["cost_gap"] = Self.optional(o.costGap, 6)
            p["solver"] = .string(o.method)
            p["decarbonised_mw"] = Self.r(s.decarbonisedMW, 1)
            p["generation_mw"] = Self.r(s.generationMW, 1)
            p["site_power_available_mw"] = Self.r(s.sitePowerMW, 1)
            p["headroom_mw"] = Self.r(s.headroomMW, 1)
            p["power_radius_km"] = Self.r(powerRadiusKm, 3)
            p["landing_km_outside_boso_shima"] = Self.optional(s.landingKmOutsideBosoShima, 1)
            p["landing_outside_boso_shima"] = s.landingOutsideBosoShima.map(JSONValue.string) ?? .null
            p["landing_km_any"] = Self.optional(s.landingKmAny, 1)
            p["landing_any"] = s.landingAny.map(JSONValue.string) ?? .null
            p["rtt_ms_tokyo"] = Self.r(s.rttMsTokyo, 3)
            p["rtt_ms_osaka"] = Self.r(s.rttMsOsaka, 3)
            p["earthquake_source_km"] = Self.optional(s.earthquakeSourceKm, 1)
            p["earthquake_source"] = s.earthquakeSource.map(JSONValue.string) ?? .null
            p["outside_metro"] = .bool(s.outsideMetro)
            p["score_power"] = .number(s.power)
            p["score_headroom"] = .number(s.headroom)
            p["score_cables"] = .number(s.cables)
            p["score_latency"] = .number(s.latency)
            p["score_hazard"] = .number(s.hazard)
            p["score_subsidy"] = .number(s.subsidy)
            p["score_total"] = .number(s.total)
            p["weights"] = .object(JSONObject([
                .init(key: "power", value: .number(weights.power)), .init(key: "headroom", value: .number(weights.headroom)),
                .init(key: "cables", value: .number(weights.cables)), .init(key: "latency", value: .number(weights.latency)),
                .init(key: "hazard", value: .number(weights.hazard)), .init(key: "subsidy", value: .number(weights.subsidy)),
            ]))
            hubFeatures.append(Feature(geometry: .point(hub.centre), properties: p))

            let hull = HubHull.padded(hub.members.map { sites[$0].site.position } + [hub.centre], padKm: 1)
            var a = JSONObject()
            a["role"] = "hub-area"
            a["hub_id"] = .string(hubID)
            a["name"] = .string("\(hubID) \(centreName)")
            a["area_km2"] = Self.r(Geodesic.polygonAreaKm2([hull]), 1)
            areaFeatures.append(Feature(geometry: .polygon([hull]), properties: a))

            for (k, j) in hub.members.enumerated() {
                let site = sites[j]
                var m = JSONObject()
                m["role"] = "hub-member"
                m["hub_id"] = .string(hubID)
                m["name"] = .string(site.name)
                m["name_en"] = site.nameEn.map(JSONValue.string) ?? .null
                m["status"] = site.status.map(JSONValue.string) ?? .null
                m["capacity_mw"] = Self.r(site.site.capacityMW, 3)
                m["power_available_mw"] = site.powerAvailableMW.map { Self.r($0, 3) } ?? .null
                m["centre"] = .bool(hub.centreSite == j)
                m["distance_km_to_centre"] = Self.r(hub.memberDistanceKm[k], 3)
                m["rtt_ms_to_centre"] = Self.r(FiberLatency.rttMs(distanceKm: hub.memberDistanceKm[k], routeFactor: routeFactor), 4)
                m["site_index"] = .number(Double(site.index))
                memberFeatures.append(Feature(geometry: .point(site.site.position), properties: m))
            }
        }
        var unassignedFeatures: [Feature] = []
        for (j, reason) in result.unassigned {
            let site = sites[j]
            var u = JSONObject()
            u["role"] = "unassigned"
            u["name"] = .string(site.name)
            u["name_en"] = site.nameEn.map(JSONValue.string) ?? .null
            u["status"] = site.status.map(JSONValue.string) ?? .null
            u["capacity_mw"] = Self.r(site.site.capacityMW, 3)
            switch reason {
            case .metroArea:
                u["reason"] = "metro-area"
                u["reason_detail"] = "in the Tokyo or Osaka area; allowed as a member only with --allow-metro-members"
            case .beyondLatency(let km):
                u["reason"] = "beyond-latency"
                u["nearest_hub_km"] = Self.optional(km, 3)
                u["nearest_hub_rtt_ms"] = km.map { Self.r(FiberLatency.rttMs(distanceKm: $0, routeFactor: routeFactor), 4) } ?? .null
                u["reason_detail"] = .string("no hub centre within \(HubsPlanner.fmt(radiusKm, 1)) km; the capacity around it is held by hubs centred out of reach")
            case .shortOfFloor(let mw):
                u["reason"] = "short-of-floor"
                u["reachable_mw"] = Self.r(mw, 3)
                u["reason_detail"] = .string("the best group within reach holds \(HubsPlanner.fmt(mw, 1)) MW < \(HubsPlanner.fmt(minHubMW, 1)) MW")
            }
            u["site_index"] = .number(Double(site.index))
            unassignedFeatures.append(Feature(geometry: .point(site.site.position), properties: u))
        }
        return hubFeatures + areaFeatures + memberFeatures + unassignedFeatures
    }
}
