import Foundation

// Spawning the built executables from end-to-end tests.
//
//     let result = try Tool.run("wattbit", ["cable", "--from", path], stdin: bytes,
//                               environment: ["WATTBIT_PLUGIN_PATH": dir], timeout: 60)
//     #expect(result.exitCode == 0)
//     let collection = try result.features()      // stdout parsed as GeoJSON
//     #expect(result.stderr.contains("…"))
//
// Executables are looked up in `$WATTBIT_BIN_DIR`, else `.build/release` (what `make test`
// builds first), else `.build/debug`, relative to the package root. stdout and stderr are
// drained concurrently while the process runs (a large GeoJSON output cannot fill the pipe
// and hang the test), stdin is written from its own thread, and a process that outlives
// `timeout` gets SIGTERM, then SIGKILL, and the result says `timedOut`.

/// What a finished process did.
struct ToolResult: Sendable {
    var exitCode: Int32
    /// True when the process was killed by a signal; `exitCode` is then 128 + signal.
    var signaled: Bool
    var timedOut: Bool
    var stdout: [UInt8]
    var stderr: String

    var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    /// stderr without trailing blank lines, split into lines.
    var stderrLines: [String] {
        stderr.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    }
    /// stdout parsed as JSON (a manifest, a FeatureCollection) via Foundation.
    func json() throws -> Any {
        try JSONSerialization.jsonObject(with: Data(stdout), options: [.fragmentsAllowed])
    }
}

enum ToolError: Error, CustomStringConvertible {
    case notBuilt(String)
    case cannotStart(String)
    var description: String {
        switch self {
        case .notBuilt(let message), .cannotStart(let message): return message
        }
    }
}

enum Tool {
    /// The package root (the directory holding Package.swift).
    static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    /// Directory of the built executables: $WATTBIT_BIN_DIR, else .build/release, else .build/debug.
    static func binDirectory() throws -> URL {
        var candidates: [URL] = []
        if let dir = ProcessInfo.processInfo.environment["WATTBIT_BIN_DIR"], !dir.isEmpty {
            candidates.append(URL(fileURLWithPath: dir))
        }
        candidates.append(packageRoot.appendingPathComponent(".build/release"))
        candidates.append(packageRoot.appendingPathComponent(".build/debug"))
        for candidate in candidates
        where FileManager.default.isExecutableFile(atPath: candidate.appendingPathComponent("wattbit").path) {
            return candidate
        }
        throw ToolError.notBuilt("no built wattbit in \(candidates.map(\.path).joined(separator: ", ")); "
                                 + "run `swift build -c release` or set WATTBIT_BIN_DIR")
    }

    /// Full path of a built executable such as "wattbit" or "wattbit-cable".
    static func path(_ name: String) throws -> String {
        let url = try binDirectory().appendingPathComponent(name)
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw ToolError.notBuilt("\(name) is not built in \(url.deletingLastPathComponent().path)")
        }
        return url.path
    }

    /// Runs a built executable by name (see `path(_:)`).
    static func run(_ name: String, _ arguments: [String], stdin: [UInt8]? = nil,
                    environment: [String: String] = [:], timeout: Double = 60,
                    workingDirectory: String? = nil, interruptAfter: Double? = nil) throws -> ToolResult {
        try runExecutable(at: path(name), arguments, stdin: stdin, environment: environment,
                          timeout: timeout, workingDirectory: workingDirectory, interruptAfter: interruptAfter)
    }

    /// Runs any executable by path (fixture scripts, python3 …). `stdin: nil` = /dev/null,
    /// so a tool that wrongly reads stdin sees EOF instead of the test runner's terminal.
    /// `environment` is added to (and overrides) the test's own environment; a value of ""
    /// removes the variable. `interruptAfter` sends SIGINT (as Ctrl-C would) after that many seconds.
    static func runExecutable(at path: String, _ arguments: [String], stdin: [UInt8]? = nil,
                              environment: [String: String] = [:], timeout: Double = 60,
                              workingDirectory: String? = nil, interruptAfter: Double? = nil) throws -> ToolResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        var merged = ProcessInfo.processInfo.environment
        for (key, value) in environment {
            if value.isEmpty { merged[key] = nil } else { merged[key] = value }
        }
        process.environment = merged
        if let workingDirectory { process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory) }

        let outPipe = Pipe(), errPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        let inPipe: Pipe? = stdin == nil ? nil : Pipe()
        if let inPipe { process.standardInput = inPipe } else { process.standardInput = FileHandle.nullDevice }

        let collected = Collected()
        let group = DispatchGroup()
        let outHandle = outPipe.fileHandleForReading, errHandle = errPipe.fileHandleForReading
        do {
            try process.run()
        } catch {
            throw ToolError.cannotStart("cannot start \(path): \(error)")
        }
        group.enter()
        DispatchQueue.global().async {
            collected.setStdout(outHandle.readDataToEndOfFile())
            group.leave()
        }
        group.enter()
        DispatchQueue.global().async {
            collected.setStderr(errHandle.readDataToEndOfFile())
            group.leave()
        }
        if let inPipe, let stdin {
            let writer = inPipe.fileHandleForWriting
            let bytes = Data(stdin)
            DispatchQueue.global().async {
                // The child may exit without reading everything: a broken pipe is fine here.
                signal(SIGPIPE, SIG_IGN)
                try? writer.write(contentsOf: bytes)
                try? writer.close()
            }
        }

        let exited = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            process.waitUntilExit()
            exited.signal()
        }
        var timedOut = false
        var finished = false
        if let interruptAfter {
            if exited.wait(timeout: .now() + interruptAfter) == .success {
                finished = true
            } else {
                kill(process.processIdentifier, SIGINT)
            }
        }
        if !finished && exited.wait(timeout: .now() + timeout) == .timedOut {
            timedOut = true
            process.terminate()
            if exited.wait(timeout: .now() + 2) == .timedOut {
                kill(process.processIdentifier, SIGKILL)
                exited.wait()
            }
        }
        // Grandchildren may hold the pipes open; do not wait for them forever.
        _ = group.wait(timeout: .now() + 5)
        let signaled = process.terminationReason == .uncaughtSignal
        let code = signaled ? 128 + process.terminationStatus : process.terminationStatus
        return ToolResult(exitCode: code, signaled: signaled, timedOut: timedOut,
                          stdout: collected.stdout, stderr: collected.stderr)
    }

    /// A fresh empty directory under the system temp dir, removed by the caller if wanted.
    static func temporaryDirectory(_ label: String = "wattbit-test") throws -> String {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(label)-\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    /// Writes `contents` to `directory/name` (mode 0755 when `executable`) and returns the path.
    @discardableResult
    static func writeFile(_ directory: String, _ name: String, _ contents: String,
                          executable: Bool = false) throws -> String {
        let path = (directory as NSString).appendingPathComponent(name)
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
        if executable {
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        }
        return path
    }

    /// Files in a directory (e.g. to assert that no temporary or partial output remains).
    static func listDirectory(_ directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
    }
}

/// Output gathered by the reader threads.
private final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var out = Data()
    private var err = Data()
    func setStdout(_ data: Data) { lock.lock(); out = data; lock.unlock() }
    func setStderr(_ data: Data) { lock.lock(); err = data; lock.unlock() }
    var stdout: [UInt8] { lock.lock(); defer { lock.unlock() }; return [UInt8](out) }
    var stderr: String { lock.lock(); defer { lock.unlock() }; return String(decoding: err, as: UTF8.self) }
}
