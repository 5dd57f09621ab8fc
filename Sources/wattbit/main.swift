import ArgumentParser
import Foundation
import GeoCore
import PlannerKit
import WattBitHost
#if canImport(Glibc)
import Glibc
#endif

// `wattbit`: a thin shell over WattBitHost, which finds planners (built-in and plugins),
// shows what they do, and runs them through the planner protocol (docs/plugin-protocol.md).
// `wattbit NAME …` is `wattbit run NAME …`. Running is handled without ArgumentParser so
// that everything after NAME reaches the planner untouched (its flags come from its
// manifest, not from here).

enum Toolkit { static let version = WattBitVersion.current }
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
        print(Overview.text(version: Toolkit.version), terminator: "")
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
        print(ListRow.table(rows, searched: discovery.directories.map(\.path)), terminator: "")
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
        let candidate: PluginDiscovery.Candidate, manifest: Manifest
        do {
            (candidate, manifest) = try Resolve.planner(name)
        } catch {
            throw ExitCode(PlannerHost.report(error))
        }
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
