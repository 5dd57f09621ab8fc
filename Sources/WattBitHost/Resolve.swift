import GeoCore
import PlannerKit

/// Finding a planner by the name a user typed.
public enum Resolve {
    /// Finds and describes planner `name`. Errors (69) name what was searched and suggest
    /// the nearest name for a typo; a planner in a world-writable directory gets a warning.
    public static func planner(_ name: String, discovery: PluginDiscovery = .fromEnvironment()) throws(PlannerError)
        -> (PluginDiscovery.Candidate, Manifest) {
        guard let resolution = discovery.resolve(name) else {
            let names = discovery.resolveAll().filter { $0.winner != nil }.map(\.name)
            var message = "no planner named '\(name)'"
            if let near = closest(name, among: names) { message += "; did you mean '\(near)'?" }
            message += names.isEmpty ? " (no planners found; see `wattbit list`)" : " (available: \(names.joined(separator: ", ")))"
            throw PlannerError(.unavailable, message)
        }
        guard let candidate = resolution.winner else {
            let path = resolution.notExecutable.first?.path ?? "wattbit-\(name)"
            throw PlannerError(.unavailable, "planner \(name) (\(path)): not executable (chmod +x \(path))")
        }
        if candidate.directory.worldWritable {
            SystemIO.writeError("wattbit: warning: \(candidate.path) is in a world-writable directory")
        }
        do {
            return (candidate, try PlannerHost.describe(candidate))
        } catch let error as PlannerError {
            throw error
        } catch {
            throw PlannerError(.software, "\(error)")
        }
    }
}
