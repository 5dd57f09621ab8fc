import Foundation
import GeoCore
import PlannerKit
#if canImport(Glibc)
import Glibc
#endif

/// `wattbit [run] NAME [host options] [planner options]`.
public enum RunCommand {
    public static let usage = """
        Usage: wattbit [run] [--timeout SECONDS] [--no-check] [--stream] NAME [planner options]

        Runs planner NAME (an executable wattbit-NAME) through the planner protocol. Host options
        may also follow NAME unless the planner declares a parameter of the same name.
          --timeout SECONDS  Stop the planner (SIGTERM to its process group, SIGKILL 2 s later)
                             when it runs longer; exit 75 and write nothing.
          --no-check         Release output without checking it (valid GeoJSON, declared roles
                             and geometry types). Checking is on by default.
          --stream           With --format geojsonseq: pass features on as they arrive instead of
                             after the planner succeeded. Lower latency, but a planner that fails
                             midway leaves a truncated sequence downstream (unchecked).
        Planner options: see `wattbit NAME --help`.
        """

    /// Runs `wattbit [run] …` (arguments after `run`) and returns the exit status; every
    /// failure has printed one line.
    public static func main(_ arguments: [String]) -> Int32 {
        let leading: HostCommandLine.Leading
        do {
            leading = try HostCommandLine.leading(arguments)
        } catch {
            return PlannerHost.report(error)
        }
        if leading.helpRequested {
            print(usage)
            return 0
        }
        guard let name = leading.name else {
            SystemIO.writeError("wattbit: error: which planner? usage: wattbit [run] NAME [options]; `wattbit list` shows them")
            return PlannerExitCode.usage.rawValue
        }
        let candidate: PluginDiscovery.Candidate
        let manifest: Manifest
        do {
            (candidate, manifest) = try Resolve.planner(name)
        } catch {
            return PlannerHost.report(error)
        }
        var options = leading.options
        let plannerArguments: [String]
        do {
            plannerArguments = try HostCommandLine.plannerArguments(leading.rest, manifest: manifest, options: &options)
        } catch {
            return PlannerHost.report(error)
        }

        let invocation: PlannerInvocation
        do {
            invocation = try PlannerInvocation.parse(plannerArguments, manifest: manifest)
        } catch let error as PlannerError {
            SystemIO.writeError("wattbit-\(name): error: \(error.message)")
            return error.code.rawValue
        } catch {
            return PlannerHost.report(PlannerError(.software, "\(error)"))
        }
        if invocation.helpRequested {
            print(HelpText.render(manifest, command: "wattbit \(name)"), terminator: "")
            print("\nHost options: --timeout SECONDS, --no-check, --stream (see `wattbit run --help`).")
            return 0
        }
        if options.stream && invocation.format != .sequence {
            return PlannerHost.report(.usage("--stream needs --format geojsonseq (a FeatureCollection is only valid once complete)"))
        }
        if options.stream && invocation.outputPath != nil {
            SystemIO.writeError("wattbit: note: --stream has no effect with -o; the file is written atomically after checking")
        }
        return PlannerHost.run(candidate, manifest: manifest, invocation: invocation, options: options)
    }
}

/// The grammar of `wattbit [run] [HOST OPTIONS] NAME [PLANNER ARGUMENTS]`: host options
/// (`--timeout`, `--no-check`, `--check`, `--stream`) before NAME, and after it unless the
/// planner declares a flag of the same name (its manifest decides). Pure: no I/O.
public enum HostCommandLine {
    /// What comes before the planner's own arguments.
    public struct Leading: Sendable, Equatable {
        public var options = PlannerHost.RunOptions()
        public var name: String?
        public var rest: [String] = []
        public var helpRequested = false
    }

    /// Splits the host options before NAME, NAME and the rest.
    public static func leading(_ arguments: [String]) throws(PlannerError) -> Leading {
        var result = Leading()
        var rest = arguments
        while let first = rest.first, first.hasPrefix("-") {
            rest.removeFirst()
            if first == "-h" || first == "--help" {
                result.helpRequested = true
                return result
            }
            guard try takeHostOption(first, &rest, &result.options) else {
                throw .usage("unknown option \(first) before the planner name (see `wattbit --help`)")
            }
        }
        result.name = rest.first
        result.rest = Array(rest.dropFirst())
        return result
    }

    /// The planner's arguments from what follows NAME, taking out host options the planner
    /// does not declare itself.
    public static func plannerArguments(_ rest: [String], manifest: Manifest,
                                        options: inout PlannerHost.RunOptions) throws(PlannerError) -> [String] {
        let declared = Set((manifest.parameters.map(\.name) + manifest.inputs.map(\.name)).map(flagKey))
        var rest = rest
        var plannerArguments: [String] = []
        while !rest.isEmpty {
            let argument = rest.removeFirst()
            let flag = argument.split(separator: "=", maxSplits: 1).first.map(String.init) ?? argument
            if argument.hasPrefix("--"), !declared.contains(flagKey(String(flag.dropFirst(2)))),
               try takeHostOption(argument, &rest, &options) {
                continue
            }
            plannerArguments.append(argument)
        }
        return plannerArguments
    }

    /// Consumes a host option (and its value from `rest`). False when `argument` is not one.
    static func takeHostOption(_ argument: String, _ rest: inout [String],
                               _ options: inout PlannerHost.RunOptions) throws(PlannerError) -> Bool {
        let parts = argument.split(separator: "=", maxSplits: 1).map(String.init)
        switch parts[0] {
        case "--timeout":
            let value: String
            if parts.count == 2 {
                value = parts[1]
            } else {
                guard !rest.isEmpty else { throw .usage("--timeout needs a value in seconds") }
                value = rest.removeFirst()
            }
            guard let seconds = Double(value), seconds.isFinite, seconds > 0 else {
                throw .usage("--timeout \(value): expected a positive number of seconds")
            }
            options.timeoutSeconds = seconds
        case "--no-check": options.check = false
        case "--check": options.check = true
        case "--stream": options.stream = true
        default: return false
        }
        return true
    }
}
