#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import GeoCore

/// Turns a `Planner` into a protocol-speaking executable (docs/plugin-protocol.md):
///
/// ```swift
/// // Sources/wattbit-cable/main.swift
/// import PlannerKit
/// PlannerMain.run(CablePlanner.self)
/// ```
///
/// - `wattbit-NAME describe` prints the manifest as JSON.
/// - `wattbit-NAME run [--PARAM VALUE]… [--INPUT FILE|-]… [--format geojson|geojsonseq]
///   [-o FILE] [--progress auto|bar|json|none]` validates the flags against the manifest, runs
///   the planner and writes GeoJSON (or the planner's document) to stdout or atomically to FILE.
/// - `--help` renders help from the manifest.
///
/// While the planner runs, fd 1 points at stderr, so a stray `print` cannot corrupt the
/// GeoJSON; the result is written to the saved real stdout at the end, and only if the run
/// succeeded. Every failure is one line on stderr and a sysexits status.
public enum PlannerMain {
    public static func run<P: Planner>(_ planner: P.Type) -> Never {
        let arguments = Array(CommandLine.arguments.dropFirst())
        let manifest = P.manifest
        let program = programName(manifest)
        signal(SIGPIPE, SIG_IGN)

        if let problem = negotiate(SystemIO.environment("WATTBIT_PROTOCOL_VERSIONS"), manifest: manifest) {
            fail(program, problem)
        }
        if let problem = checkManifest(manifest) { fail(program, problem) }

        let command = SystemIO.environment("WATTBIT_HOST_COMMAND").map { "\($0) \(shortName(manifest))" } ?? program
        switch arguments.first {
        case nil:
            SystemIO.writeAll(fd: 2, Array(HelpText.render(manifest, command: command).utf8))
            exit(PlannerExitCode.usage.rawValue)
        case "describe":
            var bytes = JSONText.encode(manifest.jsonValue, pretty: true)
            bytes.append(0x0A)
            exitAfterWriting(bytes, fd: 1, program: program)
        case "-h", "--help", "help":
            exitAfterWriting(Array(HelpText.render(manifest, command: command).utf8), fd: 1, program: program)
        case "--version", "version":
            let text = "\(program) \(manifest.version) (\(manifest.protocolVersion))\n"
            exitAfterWriting(Array(text.utf8), fd: 1, program: program)
        case "run":
            runPlanner(P.self, Array(arguments.dropFirst()), manifest: manifest, program: program, command: command)
        case let first? where first.hasPrefix("-"):
            // Lenient: `wattbit-NAME --from x` means `wattbit-NAME run --from x`.
            runPlanner(P.self, arguments, manifest: manifest, program: program, command: command)
        case let first?:
            let near = closest(first, among: ["describe", "run", "help"]).map { "; did you mean '\($0)'?" } ?? ""
            fail(program, .usage("unknown command '\(first)'\(near) (expected describe or run; see --help)"))
        }
    }

    /// "wattbit-cable" for a manifest named "cable" (or already named "wattbit-cable").
    public static func programName(_ manifest: Manifest) -> String { "wattbit-" + shortName(manifest) }

    static func shortName(_ manifest: Manifest) -> String {
        manifest.name.hasPrefix("wattbit-") ? String(manifest.name.dropFirst(8)) : manifest.name
    }

    /// Version negotiation: the host offers majors in WATTBIT_PROTOCOL_VERSIONS ("1" or
    /// "1,2"); a planner that shares none exits 69 naming both sides. No variable = a person
    /// running the planner directly: fine.
    public static func negotiate(_ offered: String?, manifest: Manifest) -> PlannerError? {
        guard let offered, !offered.trimmingSpaces.isEmpty else { return nil }
        let majors = offered.split(separator: ",").compactMap { Int($0.trimmingSpaces) }
        guard let own = Manifest.protocolMajor(manifest.protocolVersion) else {
            return PlannerError(.software, "manifest protocol \"\(manifest.protocolVersion)\" is not of the form wattbit-planner/N")
        }
        if majors.contains(own) { return nil }
        let hostSide = majors.isEmpty ? "\"\(offered)\"" : majors.map { "wattbit-planner/\($0)" }.joined(separator: ", ")
        return PlannerError(.unavailable,
            "no common protocol version: the host speaks \(hostSide), this planner speaks \(manifest.protocolVersion)")
    }

    /// Catches manifest mistakes at the planner author's first run rather than the user's.
    static func checkManifest(_ manifest: Manifest) -> PlannerError? {
        if let problem = manifest.outputSelectionProblem { return PlannerError(.software, "manifest: \(problem)") }
        var seen: Set<String> = []
        for name in manifest.parameters.map(\.name) + manifest.inputs.map(\.name) {
            let key = flagKey(name)
            if PlannerInvocation.reservedNames.contains(key) && !(key == "format" && manifest.ownsFormatFlag) {
                return PlannerError(.software, "manifest declares --\(name), which is an option of every planner; rename it")
            }
            if !seen.insert(key).inserted {
                return PlannerError(.software, "manifest declares --\(name) twice")
            }
        }
        return nil
    }

    static func runPlanner<P: Planner>(_ planner: P.Type, _ arguments: [String], manifest: Manifest,
                                       program: String, command: String) -> Never {
        let invocation: PlannerInvocation
        do {
            invocation = try PlannerInvocation.parse(arguments, manifest: manifest)
        } catch {
            fail(program, exitError(error))
        }
        if invocation.helpRequested {
            exitAfterWriting(Array(HelpText.render(manifest, command: command).utf8), fd: 1, program: program)
        }
        let reporter = ProgressReporter(mode: invocation.progressMode, programName: program)
        let ownOutput = invocation.outputPath == "-" ? nil : invocation.outputPath
        let context = PlannerContext(outputPath: ownOutput ?? SystemIO.environment("WATTBIT_OUTPUT_PATH").flatMap { $0.isEmpty ? nil : $0 },
                                     format: invocation.format, programName: program, command: command)
        InterruptHandling.install(programName: program)

        // Keep the real stdout for the result; point fd 1 at stderr while planner code runs.
        fflush(nil)
        let realStdout = fcntl(1, F_DUPFD_CLOEXEC, 3)
        guard realStdout >= 0 else { fail(program, PlannerError(.cannotCreate, "cannot use stdout: \(SystemIO.errorText(errno))")) }
        dup2(2, 1)

        Task {
            do {
                let output = try await P().run(invocation.inputs, invocation.parameters, context: context,
                                               progress: reporter)
                fflush(nil)
                reporter.finish()
                try deliver(output, invocation: invocation, stdoutFD: realStdout)
                if let summary = output.summary { reporter.summary(summary) }
                exit(PlannerExitCode.ok.rawValue)
            } catch {
                fflush(nil)
                reporter.finish()
                let failure = exitError(error)
                reporter.error(failure.message, code: failure.code)
                exit(failure.code.rawValue)
            }
        }
        dispatchMain()
    }

    /// Writes side files and the `-o` file atomically (all or none), or the body to stdout.
    static func deliver(_ output: PlannerOutput, invocation: PlannerInvocation, stdoutFD: Int32) throws {
        let body: [UInt8]
        switch output.body {
        case .features(let collection):
            body = GeoJSONWriter(format: invocation.format).encode(collection)
        case .document(let bytes):
            body = bytes
        }
        let files = AtomicFileSet()
        files.standardOutputDescriptor = stdoutFD
        for side in output.sideFiles { try files.stage(path: side.path, contents: side.contents) }
        let outputPath = invocation.outputPath == "-" ? nil : invocation.outputPath
        if let outputPath { try files.stage(path: outputPath, contents: body) }
        try files.commit()
        if outputPath == nil, let code = SystemIO.writeAll(fd: stdoutFD, body) {
            // The reader stopped reading (`| head`): quiet, as if killed by SIGPIPE.
            if code == EPIPE { exit(PlannerExitCode.brokenPipe) }
            throw PlannerError(.cannotCreate, "cannot write to stdout: \(SystemIO.errorText(code))")
        }
    }

    /// Maps any error a planner throws to the protocol's exit status and one line.
    public static func exitError(_ error: any Error) -> PlannerError {
        switch error {
        case let error as PlannerError: return error
        case let error as any CategorizedError:
            return error.category == .internal ? PlannerError(.software, "internal error: \(error)") : PlannerError(error)
        case is CancellationError: return PlannerError(.interrupted, "interrupted")
        default: return PlannerError(.software, "internal error: \(error)")
        }
    }

    static func fail(_ program: String, _ error: PlannerError) -> Never {
        SystemIO.writeError("\(program): error: \(error.message)")
        exit(error.code.rawValue)
    }

    static func exitAfterWriting(_ bytes: [UInt8], fd: Int32, program: String) -> Never {
        if let code = SystemIO.writeAll(fd: fd, bytes) {
            fail(program, PlannerError(.cannotCreate, "cannot write to stdout: \(SystemIO.errorText(code))"))
        }
        exit(0)
    }
}
