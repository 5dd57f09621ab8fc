import ArgumentParser
import Foundation
import GeoCore
import PlannerKit
#if canImport(Glibc)
import Glibc
#endif

// `wattbit`: finds planners (built-in and plugins), shows what they do, and runs them
// through the planner protocol (docs/plugin-protocol.md). `wattbit NAME …` is
// `wattbit run NAME …`. Running is handled without ArgumentParser so that everything after
// NAME reaches the planner untouched (its flags come from its manifest, not from here).

enum Toolkit { static let version = "0.1.0" }
let subcommands: Set<String> = ["list", "describe", "help", "-h", "--help", "--version", "version", "--generate-completion-script"]

var arguments = Array(CommandLine.arguments.dropFirst())
if let first = arguments.first, first == "run" || !subcommands.contains(first) {
    if first == "run" { arguments.removeFirst() }
    exit(RunCommand.main(arguments))
}
if arguments.first == "version" { arguments = ["--version"] }
Wattbit.main(arguments)

struct Wattbit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wattbit",
        abstract: "Plan Japan's submarine cables, GW-class data-centre hubs and fiber reach together.",
        discussion: """
            Each planner reads GeoJSON and writes GeoJSON, so planners chain in shell pipelines. \
            Run one with `wattbit NAME [options]` (or `wattbit run NAME …`); `wattbit NAME --help` \
            shows its inputs and parameters. `wattbit` with no arguments lists the planners found.

            Planners are executables named wattbit-NAME found in wattbit's own directory, its \
            planner directory ../libexec/wattbit, a build tree's Plugins/*/, then \
            $WATTBIT_PLUGIN_PATH, then $PATH (never the current directory). Write your own in any \
            language: docs/plugin-protocol.md.
            """,
        version: "wattbit \(Toolkit.version) (protocol \(Manifest.protocolVersion))",
        subcommands: [List.self, Describe.self, RunHelp.self])

    func run() throws {
        print(Overview.text(), terminator: "")
    }
}

/// The page shown by `wattbit` with no arguments.
enum Overview {
    static func text() -> String {
        let rows = ListRow.collect(PluginDiscovery.fromEnvironment())
        let planners = rows.filter { $0.status == "ok" }.map { ($0.name, $0.summary) }
        let broken = Set(rows.filter { $0.status == "broken" }.map(\.name)).subtracting(planners.map(\.0)).count
        var lines = [
            "wattbit \(Toolkit.version) — plan Japan's digital infrastructure where power and communications meet:",
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

struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List every planner found, with version, summary and path.",
        discussion: """
            Search order: wattbit's own directory, ../libexec/wattbit beside it, a build tree's \
            Plugins/*/, $WATTBIT_PLUGIN_PATH, $PATH. The first \
            executable of a name wins; later ones are shown as shadowed. Files that are not \
            executable or do not answer `describe` correctly are listed as broken, with the reason.
            """)

    @Flag(help: "One JSON object per planner file (name, version, summary, path, status, reason).")
    var json = false

    func run() throws {
        let discovery = PluginDiscovery.fromEnvironment()
        for directory in discovery.directories where directory.worldWritable {
            SystemIO.writeError("wattbit: warning: plugin directory \(directory.path) (\(directory.origin.rawValue)) is world-writable: anyone on this machine can plant a planner there")
        }
        let rows = ListRow.collect(discovery)
        if json {
            let array = JSONValue.array(rows.map(\.json))
            print(String(decoding: JSONText.encode(array, pretty: true), as: UTF8.self))
            return
        }
        let usable = rows.filter { $0.status != "broken" }
        let broken = rows.filter { $0.status == "broken" }
        let nameWidth = max(6, (rows.map(\.name.count).max() ?? 0) + 2)
        let versionWidth = max(9, (rows.map(\.version.count).max() ?? 0) + 2)
        if usable.isEmpty {
            print("No planners found. Searched: \(discovery.directories.map(\.path).joined(separator: ":"))")
        } else {
            print("NAME".padding(nameWidth) + "VERSION".padding(versionWidth) + "SUMMARY".padding(58) + "PATH")
            for row in usable {
                if row.status == "shadowed" {
                    print("  shadowed: " + row.path + " (also wattbit-\(row.name); hidden by the one above)")
                } else {
                    print(row.name.padding(nameWidth) + row.version.padding(versionWidth)
                          + row.summary.truncated(56).padding(58) + row.path)
                }
            }
        }
        if !broken.isEmpty {
            print("")
            print("Broken (found, but cannot be used):")
            for row in broken {
                print("  " + row.name.padding(nameWidth) + row.path + ": " + row.reason)
            }
        }
    }
}

/// One planner file in `wattbit list`.
struct ListRow: Sendable {
    var name: String
    var version: String
    var summary: String
    var path: String
    var status: String      // ok, shadowed, broken
    var reason: String

    var json: JSONValue {
        var object = JSONObject()
        object["name"] = .string(name)
        object["version"] = version.isEmpty ? .null : .string(version)
        object["summary"] = summary.isEmpty ? .null : .string(summary)
        object["path"] = .string(path)
        object["status"] = .string(status)
        object["reason"] = reason.isEmpty ? .null : .string(reason)
        return .object(object)
    }

    static func collect(_ discovery: PluginDiscovery) -> [ListRow] {
        let resolutions = discovery.resolveAll()
        // Describe every executable candidate at once: one slow plugin (describe may take
        // up to its 10 s limit) does not hold up the others.
        let candidates = resolutions.flatMap { [$0.winner].compactMap { $0 } + $0.shadowed }
        let results = DescribeResults(count: candidates.count)
        HostSignals.prepare()
        DispatchQueue.concurrentPerform(iterations: candidates.count) { index in
            do {
                results.set(index, .success(try PlannerHost.describe(candidates[index])))
            } catch let error as PlannerError {
                results.set(index, .failure(error))
            } catch {
                results.set(index, .failure(PlannerError(.software, "\(error)")))
            }
        }
        var rows: [ListRow] = []
        var next = 0
        for resolution in resolutions {
            var winnerListed = false
            for candidate in [resolution.winner].compactMap({ $0 }) + resolution.shadowed {
                defer { next += 1 }
                switch results.get(next) {
                case .success(let manifest)?:
                    rows.append(ListRow(name: resolution.name, version: manifest.version, summary: manifest.summary,
                                        path: candidate.path, status: winnerListed ? "shadowed" : "ok", reason: ""))
                    winnerListed = true
                case .failure(let error)?:
                    let reason = error.message.replacingPrefix(PlannerHost.label(candidate, nil) + ": ", with: "")
                    rows.append(ListRow(name: resolution.name, version: "", summary: "", path: candidate.path,
                                        status: "broken", reason: reason))
                case nil:
                    break
                }
            }
            for candidate in resolution.notExecutable {
                rows.append(ListRow(name: resolution.name, version: "", summary: "", path: candidate.path,
                                    status: "broken", reason: "not executable (chmod +x \(candidate.path))"))
            }
        }
        return rows
    }
}

/// Manifests (or why not) by candidate index, filled in concurrently.
final class DescribeResults: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Result<Manifest, PlannerError>?]
    init(count: Int) { results = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ result: Result<Manifest, PlannerError>) {
        lock.lock(); defer { lock.unlock() }
        results[index] = result
    }
    func get(_ index: Int) -> Result<Manifest, PlannerError>? {
        lock.lock(); defer { lock.unlock() }
        return index < results.count ? results[index] : nil
    }
}

struct Describe: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show a planner's inputs, parameters and outputs (from its manifest).")

    @Argument(help: "The planner's name (wattbit-NAME).")
    var name: String

    @Flag(help: "Print the manifest as JSON (docs/manifest.schema.json).")
    var json = false

    func run() throws {
        let (candidate, manifest) = try Resolve.planner(name)
        if json {
            print(String(decoding: JSONText.encode(manifest.jsonValue, pretty: true), as: UTF8.self))
        } else {
            print(HelpText.render(manifest, command: "wattbit \(name)"), terminator: "")
            print("")
            print("Path: \(candidate.path)")
            print("Protocol: \(manifest.protocolVersion)")
        }
    }
}

/// `wattbit help run` / listing in `wattbit --help`; running itself bypasses ArgumentParser.
struct RunHelp: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a planner: wattbit run NAME [--timeout SECONDS] [--no-check] [--stream] [planner options]",
        discussion: RunCommand.usage)
    func run() throws { print(RunCommand.usage) }
}

enum Resolve {
    /// Finds and describes a planner, or throws an ExitCode after printing one line.
    static func planner(_ name: String) throws -> (PluginDiscovery.Candidate, Manifest) {
        let discovery = PluginDiscovery.fromEnvironment()
        guard let resolution = discovery.resolve(name) else {
            let names = discovery.resolveAll().filter { $0.winner != nil }.map(\.name)
            var message = "no planner named '\(name)'"
            if let near = nearest(name, names) { message += "; did you mean '\(near)'?" }
            message += names.isEmpty ? " (no planners found; see `wattbit list`)" : " (available: \(names.joined(separator: ", ")))"
            throw ExitCode(PlannerHost.report(PlannerError(.unavailable, message)))
        }
        guard let candidate = resolution.winner else {
            let path = resolution.notExecutable.first?.path ?? "wattbit-\(name)"
            throw ExitCode(PlannerHost.report(PlannerError(.unavailable, "planner \(name) (\(path)): not executable (chmod +x \(path))")))
        }
        if candidate.directory.worldWritable {
            SystemIO.writeError("wattbit: warning: \(candidate.path) is in a world-writable directory")
        }
        do {
            return (candidate, try PlannerHost.describe(candidate))
        } catch let error as PlannerError {
            throw ExitCode(PlannerHost.report(error))
        }
    }

    static func nearest(_ word: String, _ names: [String]) -> String? {
        var best: (String, Int)?
        for name in names {
            let distance = levenshtein(word, name)
            if let current = best, distance >= current.1 { continue }
            best = (name, distance)
        }
        guard let (name, distance) = best, distance <= max(2, word.count / 3) else { return nil }
        return name
    }

    static func levenshtein(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}

/// `wattbit [run] NAME [host options] [planner options]`.
enum RunCommand {
    static let usage = """
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

    static func main(_ arguments: [String]) -> Int32 {
        var rest = arguments
        var options = PlannerHost.RunOptions()
        do {
            while let first = rest.first, first.hasPrefix("-") {
                rest.removeFirst()
                if first == "-h" || first == "--help" {
                    print(usage)
                    return 0
                }
                guard try takeHostOption(first, &rest, &options) else {
                    return PlannerHost.report(.usage("unknown option \(first) before the planner name (see `wattbit --help`)"))
                }
            }
        } catch let error as PlannerError {
            return PlannerHost.report(error)
        } catch {
            return PlannerHost.report(PlannerError(.software, "\(error)"))
        }
        guard let name = rest.first else {
            SystemIO.writeError("wattbit: error: which planner? usage: wattbit [run] NAME [options]; `wattbit list` shows them")
            return PlannerExitCode.usage.rawValue
        }
        rest.removeFirst()
        let candidate: PluginDiscovery.Candidate
        let manifest: Manifest
        do {
            (candidate, manifest) = try Resolve.planner(name)
        } catch let exit as ExitCode {
            return exit.rawValue
        } catch {
            return PlannerHost.report(PlannerError(.software, "\(error)"))
        }

        // Host options after NAME, unless the planner declares a flag of that name.
        let declared = Set((manifest.parameters.map(\.name) + manifest.inputs.map(\.name)).map(normalize))
        var plannerArguments: [String] = []
        do {
            while !rest.isEmpty {
                let argument = rest.removeFirst()
                let flag = argument.split(separator: "=", maxSplits: 1).first.map(String.init) ?? argument
                if argument.hasPrefix("--"), !declared.contains(normalize(String(flag.dropFirst(2)))),
                   try takeHostOption(argument, &rest, &options) {
                    continue
                }
                plannerArguments.append(argument)
            }
        } catch let error as PlannerError {
            return PlannerHost.report(error)
        } catch {
            return PlannerHost.report(PlannerError(.software, "\(error)"))
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

    static func normalize(_ name: String) -> String {
        String(name.lowercased().map { $0 == "-" ? "_" : $0 })
    }

    /// Consumes a host option (and its value from `rest`). False when `argument` is not one.
    static func takeHostOption(_ argument: String, _ rest: inout [String], _ options: inout PlannerHost.RunOptions) throws -> Bool {
        let parts = argument.split(separator: "=", maxSplits: 1).map(String.init)
        switch parts[0] {
        case "--timeout":
            let value: String
            if parts.count == 2 {
                value = parts[1]
            } else {
                guard !rest.isEmpty else { throw PlannerError.usage("--timeout needs a value in seconds") }
                value = rest.removeFirst()
            }
            guard let seconds = Double(value), seconds.isFinite, seconds > 0 else {
                throw PlannerError.usage("--timeout \(value): expected a positive number of seconds")
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

extension String {
    func padding(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
    func truncated(_ width: Int) -> String {
        count <= width ? self : String(prefix(width - 1)) + "…"
    }
    func replacingPrefix(_ prefix: String, with replacement: String) -> String {
        hasPrefix(prefix) ? replacement + dropFirst(prefix.count) : self
    }
}
