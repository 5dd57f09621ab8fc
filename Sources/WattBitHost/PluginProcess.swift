import PlannerKit
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs one plugin process the way the protocol requires: `posix_spawn` (never a shell),
/// its own process group (so a timeout or interrupt reaches its children too), stdout
/// drained concurrently with stderr, a deadline enforced with SIGTERM, a grace period and
/// SIGKILL, and SIGINT/SIGTERM sent to the host forwarded to the plugin's group.
public struct PluginProcess {
    public enum StreamMode: Sendable {
        /// The plugin writes straight to the host's fd (stderr: progress bars stay live).
        case inherit
        /// Collected in memory (stderr: the last `capturedStderrLimit` bytes only).
        case capture
        /// /dev/null.
        case discard
    }

    public enum Termination: Equatable, Sendable {
        case exited(Int32)
        case signaled(Int32)
        /// The deadline passed; the group got SIGTERM and, after the grace period, SIGKILL.
        case timedOut
        /// The host was interrupted (SIGINT/SIGTERM) and passed it on to the plugin.
        case interrupted
    }

    public struct Outcome: Sendable {
        public var termination: Termination
        public var stdout: [UInt8]
        public var stderr: [UInt8]
        public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
        /// The last non-empty stderr line, for "describe failed: …" messages.
        public var lastStderrLine: String? {
            stderrText.split(separator: "\n").last(where: { !$0.trimmingSpaces.isEmpty }).map { String($0).trimmingSpaces }
        }
    }

    public var path: String
    public var arguments: [String]
    /// Added to (or replacing in) the host's environment.
    public var environment: [String: String] = [:]
    public var stdin: StreamMode = .inherit
    public var stdout: StreamMode = .capture
    public var stderr: StreamMode = .inherit
    public var timeoutSeconds: Double?
    public var graceSeconds: Double = 2
    public var capturedStderrLimit = 64 * 1024
    /// Receives stdout chunks as they arrive instead of collecting them (`--stream`).
    public var stdoutSink: (([UInt8]) -> Void)?

    public init(path: String, arguments: [String]) {
        self.path = path
        self.arguments = arguments
    }

    /// Spawns and supervises the process. Throws `PlannerError(.unavailable)` when it
    /// cannot be started (not executable, bad interpreter line, …).
    public func run() throws -> Outcome {
        HostSignals.install()
        var stdoutPipe: [Int32] = [-1, -1]
        var stderrPipe: [Int32] = [-1, -1]
        guard SystemIO.makePipe(&stdoutPipe) else { throw spawnError(errno) }
        if stderr == .capture {
            guard SystemIO.makePipe(&stderrPipe) else { throw spawnError(errno) }
        }
        defer {
            for fd in stdoutPipe + stderrPipe where fd >= 0 { close(fd) }
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        switch stdin {
        case .inherit: break
        case .capture, .discard: posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        switch stdout {
        case .inherit: break
        case .capture: posix_spawn_file_actions_adddup2(&actions, stdoutPipe[1], 1)
        case .discard: posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        }
        switch stderr {
        case .inherit: break
        case .capture: posix_spawn_file_actions_adddup2(&actions, stderrPipe[1], 2)
        case .discard: posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Own process group; default dispositions and an empty mask for the signals the
        // host handles or ignores, so the plugin starts with a clean slate.
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        posix_spawnattr_setpgroup(&attributes, 0)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signalNumber in [SIGINT, SIGTERM, SIGPIPE, SIGHUP, SIGQUIT] { sigaddset(&defaults, signalNumber) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)

        let argv = ([path] + arguments).map { strdup($0) }
        defer { argv.forEach { free($0) } }
        let envp = Self.mergedEnvironment(environment).map { strdup($0) }
        defer { envp.forEach { free($0) } }
        var pid: pid_t = 0
        let spawnResult = (argv + [nil]).withUnsafeBufferPointer { argvBuffer in
            (envp + [nil]).withUnsafeBufferPointer { envBuffer in
                posix_spawn(&pid, path, &actions, &attributes,
                            UnsafeMutablePointer(mutating: argvBuffer.baseAddress!),
                            UnsafeMutablePointer(mutating: envBuffer.baseAddress!))
            }
        }
        guard spawnResult == 0 else { throw spawnError(spawnResult) }
        HostSignals.setChild(pid)
        defer { HostSignals.setChild(0) }

        // The parent's copies of the write ends must close, or EOF never comes.
        close(stdoutPipe[1]); stdoutPipe[1] = -1
        if stderrPipe[1] >= 0 { close(stderrPipe[1]); stderrPipe[1] = -1 }

        return supervise(pid: pid, stdoutFD: stdout == .capture ? stdoutPipe[0] : -1,
                         stderrFD: stderr == .capture ? stderrPipe[0] : -1)
    }

    /// Why the executable could not be started; the caller names the planner and path.
    private func spawnError(_ code: Int32) -> PlannerError {
        switch code {
        case EACCES: return PlannerError(.unavailable, "not executable (permission denied; chmod +x \(path))")
        case ENOENT: return PlannerError(.unavailable, "cannot be started: the file vanished, or its #! interpreter is missing")
        case ENOEXEC: return PlannerError(.unavailable, "cannot be started: not a binary for this machine and no #! line")
        default: return PlannerError(.unavailable, "cannot be started: \(SystemIO.errorText(code))")
        }
    }

    private func supervise(pid: pid_t, stdoutFD: Int32, stderrFD: Int32) -> Outcome {
        var collected: [UInt8] = []
        var errors: [UInt8] = []
        var openFDs: [Int32] = [stdoutFD, stderrFD].filter { $0 >= 0 }
        let deadline = timeoutSeconds.map { monotonicSeconds() + $0 }
        var status: Int32 = 0
        var exited = false
        var exitedAt = 0.0
        var buffer = [UInt8](repeating: 0, count: 1 << 16)

        func stop(_ termination: Termination) -> Outcome {
            terminateGroup(pid: pid, alreadyExited: exited)
            return Outcome(termination: termination, stdout: [], stderr: errors)
        }

        while true {
            if HostSignals.interrupted() {
                kill(-pid, SIGINT)
                return stop(.interrupted)
            }
            let now = monotonicSeconds()
            if let deadline, now >= deadline { return stop(.timedOut) }
            if !exited {
                let result = waitpid(pid, &status, WNOHANG)
                if result == pid { exited = true; exitedAt = now }
            }
            if exited && (openFDs.isEmpty || now - exitedAt > 0.5) {
                // Done; a grandchild still holding the pipe open is not waited for.
                break
            }
            if openFDs.isEmpty {
                // Only waiting for the exit now: short sleeps, still honouring signals.
                var request = timespec(tv_sec: 0, tv_nsec: 10_000_000)
                nanosleep(&request, nil)
                continue
            }
            var pollFDs = openFDs.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            pollFDs.append(pollfd(fd: HostSignals.wakeFD, events: Int16(POLLIN), revents: 0))
            var waitMs: Int32 = 100
            if let deadline { waitMs = Int32(max(1, min(100, (deadline - now) * 1000))) }
            let ready = poll(&pollFDs, nfds_t(pollFDs.count), waitMs)
            if ready < 0 && errno != EINTR { break }
            guard ready > 0 else { continue }
            for entry in pollFDs where entry.fd != HostSignals.wakeFD && entry.revents != 0 {
                let count = buffer.withUnsafeMutableBytes { read(entry.fd, $0.baseAddress, $0.count) }
                if count > 0 {
                    let chunk = Array(buffer[0..<count])
                    if entry.fd == stdoutFD {
                        if let stdoutSink { stdoutSink(chunk) } else { collected += chunk }
                    } else {
                        errors += chunk
                        if errors.count > capturedStderrLimit { errors.removeFirst(errors.count - capturedStderrLimit) }
                    }
                } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
                    openFDs.removeAll { $0 == entry.fd }
                }
            }
        }
        if !exited {
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        }
        let termination: Termination
        if status & 0x7f == 0 {
            termination = .exited((status >> 8) & 0xff)
        } else {
            termination = .signaled(status & 0x7f)
        }
        return Outcome(termination: termination, stdout: collected, stderr: errors)
    }

    /// SIGTERM to the group, `graceSeconds` to exit, then SIGKILL to whatever is left.
    private func terminateGroup(pid: pid_t, alreadyExited: Bool) {
        var status: Int32 = 0
        var reaped = alreadyExited
        if !reaped {
            kill(-pid, SIGTERM)
            let giveUp = monotonicSeconds() + graceSeconds
            while monotonicSeconds() < giveUp {
                if waitpid(pid, &status, WNOHANG) == pid { reaped = true; break }
                var request = timespec(tv_sec: 0, tv_nsec: 10_000_000)
                nanosleep(&request, nil)
            }
        }
        // Children of the plugin may outlive it; the group goes either way.
        kill(-pid, SIGKILL)
        if !reaped { while waitpid(pid, &status, 0) < 0 && errno == EINTR {} }
    }

    /// Set by a host for the one plugin it runs; a planner that runs another planner must
    /// not hand its own output path on to it.
    static let perRunVariables: Set<String> = ["WATTBIT_OUTPUT_PATH", "WATTBIT_HOST_COMMAND"]

    static func mergedEnvironment(_ additions: [String: String]) -> [String] {
        var result: [String] = []
        var index = 0
        while let entry = environ[index] {
            let text = String(cString: entry)
            let key = text.split(separator: "=", maxSplits: 1).first.map(String.init) ?? text
            if additions[key] == nil && !perRunVariables.contains(key) { result.append(text) }
            index += 1
        }
        for key in additions.keys.sorted() { result.append("\(key)=\(additions[key] ?? "")") }
        return result
    }
}

func monotonicSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}

/// The host's SIGINT/SIGTERM handling: the handler only records the signal and writes a
/// byte to a self-pipe that wakes the supervising `poll`; the supervisor then forwards the
/// interrupt to the plugin's process group and reports `.interrupted`.
public enum HostSignals {
    nonisolated(unsafe) static var wakeFD: Int32 = -1
    nonisolated(unsafe) static var wakeWriteFD: Int32 = -1
    nonisolated(unsafe) static var caught: sig_atomic_t = 0
    nonisolated(unsafe) static var child: pid_t = 0
    nonisolated(unsafe) static var installed = false

    static func install() {
        guard !installed else { return }
        installed = true
        var fds: [Int32] = [-1, -1]
        if SystemIO.makePipe(&fds) {
            _ = fcntl(fds[1], F_SETFL, O_NONBLOCK)
            wakeFD = fds[0]
            wakeWriteFD = fds[1]
        }
        signal(SIGPIPE, SIG_IGN)
        // Inside a planner (a planner that runs another planner), PlannerMain's handlers
        // stay: they stop the child's group, remove temporary files and exit 130.
        guard !InterruptHandling.installed else { return }
        let handler: @convention(c) (Int32) -> Void = { signalNumber in
            HostSignals.caught = signalNumber
            if HostSignals.wakeWriteFD >= 0 {
                var byte: UInt8 = 1
                _ = write(HostSignals.wakeWriteFD, &byte, 1)
            }
        }
        signal(SIGINT, handler)
        signal(SIGTERM, handler)
        unblockTerminationSignals()
    }

    static func setChild(_ pid: pid_t) { child = pid; ChildProcessGroup.current = pid }

    /// Installs the handlers once, before processes are spawned from several threads.
    public static func prepare() { install() }

    /// Whether SIGINT/SIGTERM arrived; the signal number, or 0.
    public static func interrupted() -> Bool { caught != 0 }
    public static var caughtSignal: Int32 { caught }
}
