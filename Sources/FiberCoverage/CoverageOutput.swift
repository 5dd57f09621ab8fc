import Foundation
import GeoCore

/// Turning results into features and the summary table. Numbers are rounded to what a
/// user can act on (metres, whole yen) so the output is stable and readable.
extension CoverageResult {
    /// Gap features (`role: gap`) in rank order; with a plan, the planned extensions
    /// (`role: extension`, LineStrings) follow and each gap says whether it is planned.
    public func features(costPerKmJPY: Double, plan: SharedExtensionPlan.Plan? = nil,
                         budgetJPY: Double? = nil) -> [Feature] {
        var planned: [Int: Int] = [:]   // gap index → build order
        if let plan { for (order, i) in plan.chosen.enumerated() { planned[i] = order } }
        var out: [Feature] = []
        for (i, gap) in gaps.enumerated() {
            var p = JSONObject()
            p["role"] = "gap"
            p["id"] = .string(gapID(i))
            p["rank"] = .number(Double(i + 1))
            p["population"] = .number(round(gap.population, 3))
            p["households"] = .number(round(gap.households, 3))
            p["units"] = .number(Double(gap.units))
            p["area_km2"] = .number(round(gap.areaKm2, 3))
            p["nearest_network_km"] = .number(round(gap.nearestNetworkKm, 3))
            p["prefecture"] = gap.prefecture.map(JSONValue.string) ?? .null
            if !byRegion.isEmpty { p["municipality"] = gap.municipality.map(JSONValue.string) ?? .null }
            p["island"] = .bool(gap.island)
            p["land_mass"] = gap.landMass.map(JSONValue.string) ?? .null
            p["extension_km"] = .number(round(gap.extensionKm, 3))
            p["extension_method"] = .string(gap.extensionMethod)
            p["extension_cost_jpy"] = .number(gap.extensionCostJPY(costPerKmJPY: costPerKmJPY).rounded())
            p["distribution_km"] = .number(round(gap.distributionKm, 3))
            p["closing_cost_jpy"] = .number(gap.closingCostJPY(costPerKmJPY: costPerKmJPY).rounded())
            p["cost_per_person_jpy"] = gap.costPerPersonJPY(costPerKmJPY: costPerKmJPY).map { .number($0.rounded()) } ?? .null
            p[meshLevel == nil ? "first_feature" : "first_mesh_code"] = .string(gap.firstUnit)
            if plan != nil { p["planned"] = .bool(planned[i] != nil) }
            out.append(Feature(geometry: gap.geometry, properties: p))
        }
        if let plan {
            var cumulative = 0.0
            for (order, i) in plan.chosen.enumerated() {
                let gap = gaps[i]
                // Connected from another planned gap: the link from its connection point.
                let from = plan.parent[i]
                let sharedKm = from.map { self.linkKm(from: $0, to: i) }
                let connectionKm = sharedKm ?? gap.extensionKm
                let cost = (connectionKm + gap.distributionKm) * costPerKmJPY
                cumulative += cost
                var p = JSONObject()
                p["role"] = "extension"
                p["gap"] = .string(gapID(i))
                p["order"] = .number(Double(order + 1))
                p["population"] = .number(round(gap.population, 3))
                p["households"] = .number(round(gap.households, 3))
                p["connects_from"] = from.map { .string(gapID($0)) } ?? .string("network")
                p["extension_km"] = .number(round(connectionKm, 3))
                p["extension_method"] = .string(from == nil ? gap.extensionMethod : "straight-line")
                p["island"] = .bool(gap.island)
                p["distribution_km"] = .number(round(gap.distributionKm, 3))
                p["closing_cost_jpy"] = .number(cost.rounded())
                p["cumulative_cost_jpy"] = .number(cumulative.rounded())
                if let budgetJPY { p["budget_jpy"] = .number(budgetJPY) }
                p["plan_rule"] = .string(plan.rule)
                p["optimal"] = .bool(plan.optimal)
                p["objective"] = .number(round(plan.population, 3))
                p["bound"] = .number(round(plan.boundPopulation, 3))
                p["optimality_gap"] = .number(round(plan.gap, 6))
                let rawPath = from.map { [gaps[$0].unitPoint, gap.unitPoint] } ?? gap.extensionPath
                let path = rawPath.map { Position(round($0.x, 7), round($0.y, 7)) }
                out.append(Feature(geometry: .lineString(path), properties: p))
            }
        }
        return out
    }

    func gapID(_ i: Int) -> String {
        let n = String(i + 1)
        return "gap-" + String(repeating: "0", count: max(0, 5 - n.count)) + n
    }

    /// The plan's items: each gap's closing cost (connection + distribution) and
    /// population, in rank order.
    public func planItems(costPerKmJPY: Double) -> [BudgetedCoverage.Item] {
        gaps.map { BudgetedCoverage.Item(costJPY: $0.closingCostJPY(costPerKmJPY: costPerKmJPY), population: $0.population) }
    }

    /// The gaps as the shared-extension plan sees them.
    public func planGaps(costPerKmJPY: Double) -> [SharedExtensionPlan.Gap] {
        gaps.map { SharedExtensionPlan.Gap(population: $0.population, extensionJPY: $0.extensionKm * costPerKmJPY,
                                          distributionJPY: $0.distributionKm * costPerKmJPY) }
    }

    /// Fiber from gap `from`'s connection point to gap `to`'s (geodesic km).
    func linkKm(from: Int, to: Int) -> Double { Geodesic.distanceKm(gaps[from].unitPoint, gaps[to].unitPoint) }

    /// Links that let a gap connect from another gap on the same land mass for less than its
    /// own extension: straight fiber between the two connection points, to at most
    /// `perGap` nearest gaps. Links longer than the target's own extension are never
    /// needed (SharedExtensionPlan), so the search radius is that extension. O(n log n + n · perGap).
    public func planLinks(costPerKmJPY: Double, perGap: Int = 32) -> [SharedExtensionPlan.Link] {
        guard gaps.count > 1 else { return [] }
        let index = PointIndex(gaps.map(\.unitPoint))
        var links: [SharedExtensionPlan.Link] = []
        for (g, gap) in gaps.enumerated() where gap.extensionKm > 0 {
            var found = 0
            for near in index.kNearest(perGap + 1, to: gap.unitPoint) where near.index != g {
                guard near.distanceKm < gap.extensionKm else { break }
                let h = near.index
                guard gaps[h].landMass == gap.landMass else { continue }
                let km = linkKm(from: h, to: g)
                guard km < gap.extensionKm else { continue }
                links.append(SharedExtensionPlan.Link(from: h, to: g, costJPY: km * costPerKmJPY))
                found += 1
                if found >= perGap { break }
            }
        }
        return links
    }

    /// CSV: national totals, then each prefecture (file order), then each region.
    public func summaryCSV() -> [UInt8] {
        var text = "level,name,population,covered_population,uncovered_population,households,covered_households,uncovered_households,units,covered_units,uncovered_units,coverage_rate\n"
        func row(_ level: String, _ name: String, _ t: CoverageTally) {
            let fields = [
                level, csvField(name), number(t.population), number(t.coveredPopulation), number(t.uncoveredPopulation),
                number(t.coveredHouseholds + t.uncoveredHouseholds), number(t.coveredHouseholds), number(t.uncoveredHouseholds),
                String(t.coveredUnits + t.uncoveredUnits), String(t.coveredUnits), String(t.uncoveredUnits),
                String(format: "%.4f", t.coverageRate),
            ]
            text += fields.joined(separator: ",") + "\n"
        }
        row("national", "全国", national)
        for (name, tally) in byPrefecture { row("prefecture", name, tally) }
        for (name, tally) in byRegion { row("region", name, tally) }
        return Array(text.utf8)
    }
}

func round(_ value: Double, _ decimals: Int) -> Double {
    let scale = pow(10.0, Double(decimals))
    return (value * scale).rounded() / scale
}

func number(_ value: Double) -> String {
    if value == value.rounded() && abs(value) < 1e15 { return String(Int(value)) }
    return String(format: "%.3f", value)
}

func csvField(_ s: String) -> String {
    s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
}
