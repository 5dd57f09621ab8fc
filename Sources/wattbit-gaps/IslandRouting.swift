import FiberCoverage
import GeoCore
import PlannerKit

/// Island connections over sea: a gap on a land mass without network needs a submarine
/// link, which a straight line misrepresents (it may cross other land, and cables keep
/// off the coast). When the `wattbit-cable` planner is installed (found the way `wattbit`
/// finds planners: beside this executable, then $WATTBIT_PLUGIN_PATH, then $PATH) it
/// routes each island link through the planner protocol — a subprocess per link, as its
/// interface plans one from/to pair per run — for the `limit` most populous island gaps.
/// Every other island link stays a straight line, and `extension_method` says which is which.
enum IslandRouting {
    static func route(_ result: inout CoverageResult, limit: Int, progress: ProgressReporter) {
        let islands = result.gaps.indices.filter { result.gaps[$0].island }
            .sorted { (result.gaps[$0].population, -$0) > (result.gaps[$1].population, -$1) }
        guard !islands.isEmpty else { return }
        guard let cable = PluginDiscovery.fromEnvironment().resolve("cable")?.winner?.path else {
            progress.info("wattbit-cable not found: \(islands.count) island connections measured as straight lines (extension_method: straight-line)")
            return
        }
        let routed = Array(islands.prefix(limit))
        var failures = 0
        for (n, i) in routed.enumerated() {
            progress.update(Double(n) / Double(routed.count), stage: "island routes")
            let gap = result.gaps[i]
            guard let path = routeOverSea(cable: cable, from: gap.networkPoint, to: gap.unitPoint, progress: progress) else {
                failures += 1
                continue
            }
            result.gaps[i].extensionPath = path
            result.gaps[i].extensionKm = Geodesic.lengthKm(path)
            result.gaps[i].extensionMethod = "cable-router"
        }
        progress.update(1, stage: "island routes")
        let straight = islands.count - routed.count + failures
        if straight > 0 {
            progress.info("\(routed.count - failures) island connections routed over sea by \(cable); \(straight) measured as straight lines (--island-routes \(limit))")
        }
    }

    /// The land leg to the landing, the routed sea leg, and the land leg on the island.
    static func routeOverSea(cable: String, from: Position, to: Position, progress: ProgressReporter) -> [Position]? {
        func lonLat(_ p: Position) -> String { "\(p.x),\(p.y)" }
        var process = PluginProcess(path: cable, arguments: [
            "run", "--from", lonLat(from), "--to", lonLat(to), "--routes", "1", "--snap-km", "200",
            "--allow-concentration-zones", "--allow-concentration-landing", "--progress", "none",
        ])
        process.environment = ["WATTBIT_PROTOCOL_VERSIONS": "1"]
        process.stdin = .discard
        process.stdout = .capture
        process.stderr = .capture
        process.timeoutSeconds = 120
        guard let outcome = try? process.run() else { return nil }
        guard outcome.termination == .exited(0) else {
            progress.warning("wattbit-cable \(lonLat(from)) → \(lonLat(to)): \(outcome.lastStderrLine ?? "failed"); straight line kept")
            return nil
        }
        guard let collection = try? GeoJSONReader.read(bytes: outcome.stdout, source: "wattbit-cable"),
              let route = collection.features.first(where: { $0.role == "route" }),
              case .lineString(let sea)? = route.geometry, sea.count >= 2 else {
            progress.warning("wattbit-cable \(lonLat(from)) → \(lonLat(to)): no route in its output; straight line kept")
            return nil
        }
        var path = [from]
        // Orient the sea leg from the network side.
        let forward = Geodesic.distanceKm(from, sea[0]) <= Geodesic.distanceKm(from, sea[sea.count - 1])
        path += forward ? sea : sea.reversed()
        path.append(to)
        return path
    }
}
