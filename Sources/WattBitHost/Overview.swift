import Foundation
import GeoCore
import PlannerKit
#if canImport(Glibc)
import Glibc
#endif

/// The page shown by `wattbit` with no arguments.
public enum Overview {
    public static func text(version: String) -> String {
        let rows = ListRow.collect(PluginDiscovery.fromEnvironment())
        let planners = rows.filter { $0.status == "ok" }.map { ($0.name, $0.summary) }
        let broken = Set(rows.filter { $0.status == "broken" }.map(\.name)).subtracting(planners.map(\.0)).count
        var lines = [
            "wattbit \(version) — plan Japan's digital infrastructure where power and communications meet:",
            "where to land new submarine cables (away from Boso and Shima), where to grow GW-class",
            "data-centre hubs near power, and where fiber still does not reach.",
            "",
            "Planners read GeoJSON and write GeoJSON, so they chain in shell pipelines.",
            "",
            "Planners available:",
        ]
        if planners.isEmpty { lines.append("  (none found; see `wattbit list`)") }
        let width = min(20, (planners.map(\.0.count).max() ?? 0) + 2)
        for (name, summary) in planners {
            lines.append("  " + name.padding(width) + summary)
        }
        if broken > 0 { lines.append("  (\(broken) more found but broken; `wattbit list` says why)") }
        lines += [
            "",
            "Example pipeline (GW-class hubs → cable routes from them → fiber gaps → one map):",
            "  wattbit hubs --sites geodata/dc-sites.geojson -o hubs.geojson",
            "  wattbit cable --from hubs.geojson --to international:north-america --routes 2 -o routes.geojson",
            "  wattbit gaps --network geodata/demo-network.geojson --demand geodata/demo-population.csv -o gaps.geojson",
            "  wattbit map --layer hubs.geojson --layer routes.geojson --layer gaps.geojson -o japan.html",
            "  wattbit cable --from Ishikari --to Kitakyushu \\",
            "    | wattbit landing-diversity --stations geodata/landing-stations.geojson --planned -",
            "",
            "Commands:",
            "  wattbit NAME [options]            run a planner (same as `wattbit run NAME …`)",
            "  wattbit NAME --help               its inputs, parameters, outputs and examples",
            "  wattbit list [--json]             every planner found: version, summary, path, problems",
            "  wattbit describe NAME [--json]    a planner's manifest",
            "  wattbit --version",
            "",
            "Options when running (before or after NAME): --timeout SECONDS, --no-check, --stream.",
            "Add a planner: put an executable named wattbit-NAME on $WATTBIT_PLUGIN_PATH",
            "(docs/plugin-protocol.md; Plugins/README.md).",
        ]
        return lines.joined(separator: "\n") + "\n"
    }
}
