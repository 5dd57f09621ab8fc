#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GeoCore
import PlannerKit

/// The host side of the protocol, used by `wattbit`: asks a plugin for its manifest,
/// runs it with a deadline, checks what it wrote and only then releases it.
/// Every method reports problems as `PlannerError`s whose message is the one line to print.
public enum PlannerHost {
    /// `describe` must answer quickly and has no side effects; a plugin that takes longer
    /// than this is reported as broken.
    public static let describeTimeoutSeconds = 10.0
    /// Protocol majors offered to plugins in WATTBIT_PROTOCOL_VERSIONS.
    public static var offeredVersions: String { Manifest.supportedProtocolMajors.map(String.init).joined(separator: ",") }
    /// Exit statuses a plugin may use; anything else is treated as a crash (70).
    public static let documentedExitCodes: Set<Int32> = Set(PlannerExitCode.allDocumented.map(\.rawValue) + [PlannerExitCode.brokenPipe])

    /// "planner cable 1.2.0 (/usr/local/lib/wattbit/wattbit-cable)".
    public static func label(_ candidate: PluginDiscovery.Candidate, _ manifest: Manifest?) -> String {
        if let manifest { return "planner \(candidate.name) \(manifest.version) (\(candidate.path))" }
        return "planner \(candidate.name) (\(candidate.path))"
    }

    /// Runs `describe` and decodes the manifest. Errors: 69 not executable or no common
    /// protocol version (both named), 70 anything else the plugin did wrong.
    public static func describe(_ candidate: PluginDiscovery.Candidate) throws -> Manifest {
        let who = label(candidate, nil)
        guard candidate.isExecutable else {
            throw PlannerError(.unavailable, "\(who): not executable (chmod +x \(candidate.path))")
        }
        if let cached = ManifestCache.lookup(path: candidate.path) { return cached }
        var process = PluginProcess(path: candidate.path, arguments: ["describe"])
        process.environment = ["WATTBIT_PROTOCOL_VERSIONS": offeredVersions]
        process.stdin = .discard
        process.stderr = .capture
        process.timeoutSeconds = describeTimeoutSeconds
        process.graceSeconds = 1
        let outcome: PluginProcess.Outcome
        do {
            outcome = try process.run()
        } catch let error as PlannerError {
            throw PlannerError(error.code, "\(who): \(error.message)")
        }
        let said = outcome.lastStderrLine.map { ": \($0)" } ?? ""
        switch outcome.termination {
        case .exited(0): break
        case .exited(PlannerExitCode.unavailable.rawValue):
            throw PlannerError(.unavailable, "\(who): describe refused (exit 69)\(said)")
        case .exited(let code):
            throw PlannerError(.software, "\(who): describe failed with exit status \(code)\(said)")
        case .signaled(let signalNumber):
            throw PlannerError(.software, "\(who): describe crashed (\(signalName(signalNumber)))\(said)")
        case .timedOut:
            throw PlannerError(.software, "\(who): describe did not answer within \(formatNumber(describeTimeoutSeconds)) s")
        case .interrupted:
            throw PlannerError(.interrupted, "interrupted")
        }
        let json: JSONValue
        do {
            json = try JSONText.parse(outcome.stdout, source: "manifest of \(candidate.path)")
        } catch {
            throw PlannerError(.software, "\(who): describe printed invalid JSON: \(error)")
        }
        // The protocol member first: a plugin of another major may have another shape.
        if let protocolString = json.objectValue?["protocol"]?.stringValue {
            guard let major = Manifest.protocolMajor(protocolString) else {
                throw PlannerError(.unavailable, "\(who): unknown protocol \"\(protocolString)\" (expected wattbit-planner/N)")
            }
            guard Manifest.supportedProtocolMajors.contains(major) else {
                let ours = Manifest.supportedProtocolMajors.map { "wattbit-planner/\($0)" }.joined(separator: ", ")
                throw PlannerError(.unavailable, "\(who): speaks \(protocolString), but this wattbit speaks \(ours); upgrade wattbit or install a \(ours) build of the planner")
            }
        }
        let manifest: Manifest
        do {
            manifest = try Manifest(json: json)
        } catch {
            throw PlannerError(.software, "\(who): invalid manifest: \(error)")
        }
        let declaredName = manifest.name.hasPrefix("wattbit-") ? String(manifest.name.dropFirst(8)) : manifest.name
        guard declaredName == candidate.name else {
            throw PlannerError(.software, "\(who): manifest names it \"\(manifest.name)\" but the file is wattbit-\(candidate.name)")
        }
        ManifestCache.store(path: candidate.path, manifest: manifest)
        return manifest
    }

    public struct RunOptions: Sendable, Equatable {
        public var timeoutSeconds: Double?
        /// Check the output before releasing it (default). Off: `--no-check`.
        public var check = true
        /// Pass an RFC 8142 sequence through as it arrives (`--stream`): lower latency,
        /// but a failing plugin may leave a truncated sequence downstream.
        public var stream = false
        public init() {}
    }

    /// Runs a plugin for `invocation` and releases its output (stdout or `-o`, atomically).
    /// Returns the exit status for `wattbit`; every failure has printed one line.
    public static func run(_ candidate: PluginDiscovery.Candidate, manifest: Manifest,
                           invocation: PlannerInvocation, options: RunOptions) -> Int32 {
        let who = label(candidate, manifest)
        let outputPath = invocation.outputPath == "-" ? nil : invocation.outputPath
        let streaming = options.stream && outputPath == nil
        var process = PluginProcess(path: candidate.path, arguments: invocation.canonicalArguments(manifest: manifest))
        process.environment = ["WATTBIT_PROTOCOL_VERSIONS": offeredVersions, "WATTBIT_HOST_COMMAND": "wattbit"]
        // Informational: where the host will put the planner's stdout (a renderer may pick
        // SVG for `-o map.svg`). The planner still writes to stdout.
        if let outputPath { process.environment["WATTBIT_OUTPUT_PATH"] = outputPath }
        process.timeoutSeconds = options.timeoutSeconds
        if streaming {
            process.stdoutSink = { chunk in SystemIO.writeAll(fd: 1, chunk) }
        }
        let outcome: PluginProcess.Outcome
        do {
            outcome = try process.run()
        } catch let error as PlannerError {
            return report(PlannerError(error.code, "\(who): \(error.message)"))
        } catch {
            return report(PlannerError(.software, "\(who): \(error)"))
        }
        let nothing = streaming ? "output may be truncated" : "no output written"
        switch outcome.termination {
        case .timedOut:
            let seconds = formatNumber(options.timeoutSeconds ?? 0)
            return report(PlannerError(.timedOut, "\(who) timed out after \(seconds) s and was stopped; \(nothing)"))
        case .interrupted:
            return report(PlannerError(.interrupted, "interrupted; \(who) stopped; \(nothing)"))
        case .signaled(let signalNumber):
            return report(PlannerError(.software, "\(who) crashed (\(signalName(signalNumber))); \(nothing)"))
        case .exited(let code) where code != 0:
            if documentedExitCodes.contains(code) {
                // The plugin said what went wrong on stderr (passed straight through).
                return code
            }
            return report(PlannerError(.software, "\(who) failed with undocumented exit status \(code); \(nothing)"))
        case .exited:
            break
        }
        if streaming { return 0 }
        if options.check, let problem = checkOutput(outcome.stdout, manifest: manifest, format: invocation.format,
                                                    parameters: invocation.parameters) {
            return report(PlannerError(.software, "\(who) wrote invalid output: \(problem); \(nothing)"))
        }
        if let outputPath {
            let files = AtomicFileSet()
            do {
                try files.stage(path: outputPath, contents: outcome.stdout)
                try files.commit()
            } catch let error as PlannerError {
                return report(error)
            } catch {
                return report(PlannerError(.cannotCreate, "cannot write \(outputPath): \(error)"))
            }
        } else if let code = SystemIO.writeAll(fd: 1, outcome.stdout) {
            // The reader stopped reading (`| head`): quiet, as if killed by SIGPIPE.
            if code == EPIPE { return PlannerExitCode.brokenPipe }
            return report(PlannerError(.cannotCreate, "cannot write to stdout: \(SystemIO.errorText(code))"))
        }
        return 0
    }

    /// Prints `wattbit: MESSAGE` and returns the code.
    public static func report(_ error: PlannerError) -> Int32 {
        SystemIO.writeError("wattbit: \(error.message)")
        return error.code.rawValue
    }

    /// Checks a plugin's stdout against the protocol and its manifest: a GeoJSON planner
    /// must write valid GeoJSON (RFC 7946; an RFC 8142 sequence when `geojsonseq` was asked
    /// for) whose features carry declared roles with declared geometry types; a document
    /// planner (SVG/HTML) must write a non-empty document of that kind, a text output UTF-8
    /// lines. With `parameters`, only the outputs they select are allowed (an output's
    /// `when`). Returns the problem in one phrase, or nil when the output is fine.
    public static func checkOutput(_ bytes: [UInt8], manifest: Manifest, format: GeoJSONFormat,
                                   parameters: PlannerParameters? = nil) -> String? {
        let outputs = parameters.map { manifest.outputs(selectedBy: $0) } ?? manifest.outputs
        let geojsonOutputs = outputs.filter { $0.format.isGeoJSON }
        if !outputs.isEmpty && geojsonOutputs.isEmpty {
            return checkDocument(bytes, formats: outputs.map(\.format))
        }
        let first = bytes.first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }
        switch format {
        case .featureCollection:
            guard let first else { return "empty output (expected a GeoJSON FeatureCollection)" }
            if first == 0x1E { return "an RFC 8142 sequence where a FeatureCollection was asked for" }
        case .sequence:
            guard let first else { return nil }   // an empty sequence is zero features
            if first != 0x1E { return "not an RFC 8142 sequence (records start with 0x1E) where geojsonseq was asked for" }
        }
        let collection: FeatureCollection
        do {
            collection = try GeoJSONReader.read(bytes: bytes, source: "<output>")
        } catch {
            return "\(error)"
        }
        var roles: [String: [String]] = [:]
        for output in geojsonOutputs {
            for (role, types) in output.roles { roles[role, default: []] += types }
        }
        guard !roles.isEmpty else { return nil }
        let declared = roles.keys.sorted().joined(separator: ", ")
        for (index, feature) in collection.features.enumerated() {
            guard let role = feature.role else {
                return "features[\(index)] has no \"role\" property (the manifest declares \(declared))"
            }
            guard let types = roles[role] else {
                return "features[\(index)] has role \"\(role)\", which the manifest does not declare (it declares \(declared))"
            }
            guard !types.isEmpty else { continue }
            let actual = feature.geometry?.typeName ?? "null"
            if !types.contains(actual) {
                return "features[\(index)] (role \(role)) is a \(actual); the manifest declares \(types.joined(separator: " or "))"
            }
        }
        return nil
    }

    static func checkDocument(_ bytes: [UInt8], formats: [OutputSpec.Format]) -> String? {
        if formats == [.text] {
            // Lines for xargs or GNU parallel: UTF-8, no NUL, nothing else promised.
            if bytes.contains(0) { return "a NUL byte in text output" }
            if String(validating: bytes, as: UTF8.self) == nil { return "text output is not UTF-8" }
            return nil
        }
        guard !bytes.isEmpty else { return "empty output" }
        let head = String(decoding: bytes.prefix(4096), as: UTF8.self).lowercased()
        // SVG and HTML are both markup a renderer may choose between (`--format auto`):
        // either is accepted from a planner declaring one of them.
        let markup = formats.contains(.svg) || formats.contains(.html)
        if markup, head.contains("<svg") || head.contains("<html") || head.contains("<!doctype html") { return nil }
        if formats.contains(.csv) || formats.contains(.geojson) { return nil }
        let expected = formats.map { $0.rawValue.uppercased() }.joined(separator: " or ")
        return "output does not look like \(expected)"
    }

    public static func signalName(_ signalNumber: Int32) -> String {
        let names: [Int32: String] = [SIGSEGV: "SIGSEGV", SIGABRT: "SIGABRT", SIGILL: "SIGILL", SIGBUS: "SIGBUS",
                                      SIGFPE: "SIGFPE", SIGKILL: "SIGKILL", SIGTERM: "SIGTERM", SIGINT: "SIGINT",
                                      SIGTRAP: "SIGTRAP", SIGPIPE: "SIGPIPE"]
        return "killed by signal \(signalNumber)" + (names[signalNumber].map { " (\($0))" } ?? "")
    }
}

/// Manifests by path, modification time, size and inode, for the life of the process:
/// `wattbit list` and `wattbit NAME` describe each plugin at most once.
enum ManifestCache {
    nonisolated(unsafe) static var entries: [String: (stamp: String, manifest: Manifest)] = [:]
    private static let mutex = MutexBox()

    static func lookup(path: String) -> Manifest? {
        guard let stamp = fileStamp(path) else { return nil }
        return mutex.withLock {
            guard let entry = entries[path], entry.stamp == stamp else { return nil }
            return entry.manifest
        }
    }

    static func store(path: String, manifest: Manifest) {
        guard let stamp = fileStamp(path) else { return }
        mutex.withLock { entries[path] = (stamp, manifest) }
    }
}

final class MutexBox: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    init() { pthread_mutex_init(&mutex, nil) }
    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return try body()
    }
}
