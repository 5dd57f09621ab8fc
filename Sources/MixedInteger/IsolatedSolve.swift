import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One CBC solve in a child process of its own.
///
/// Why: CBC 2.10 can fault inside its cut generators or preprocessing on rare models and
/// timings (a segmentation fault or an assertion has been seen, under load, on tight hub
/// packings), and its time limit applies only to branch and bound, so preprocessing can
/// overrun it several times. In a child, a fault is an error the caller recovers from
/// (the planners keep their heuristic answer), and a solve that runs far past its limit is
/// stopped: the parent waits at most `deadline(for:)` and then kills it.
///
/// How: the model is loaded and configured in the parent, then the process forks (glibc
/// keeps malloc usable in the child); the child only solves, writes the answer to a pipe as
/// doubles and leaves with `_exit`, so it runs no Swift deinitialisers and touches no other
/// state. Solves are already serialised by `MixedIntegerSolver`'s lock.
enum IsolatedSolve {
    static let statuses: [SolveStatus] = [.optimal, .feasible, .infeasible, .timeLimited, .unbounded, .abandoned]

    /// Wall-clock seconds the parent waits for a solve limited to `limits`.
    static func deadline(for limits: SolveLimits) -> Double {
        max(2 * limits.timeSeconds, limits.timeSeconds + 5) + 5
    }

    /// The answer of `handle`'s solve, or nil when no child can be started (the caller then
    /// solves in this process).
    static func run(_ handle: CBCModelHandle, model: LinearModel, limits: SolveLimits) -> Result<Solution, MixedIntegerError>? {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return nil }
        let readEnd = fds[0], writeEnd = fds[1]
        let began = ContinuousClock.now
        let pid = fork()
        if pid < 0 {
            close(readEnd)
            close(writeEnd)
            return nil
        }
        if pid == 0 {
            // The child: nothing but the solve and the pipe. A fault ends it quietly (the
            // runtime's crash report is for faults of the planner itself).
            for fault in [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP] { signal(fault, SIG_DFL) }
            close(readEnd)
            let limit = Int32(clamping: sysconf(Int32(_SC_OPEN_MAX)))
            for fd in 3..<max(3, min(limit, 4096)) where fd != writeEnd { close(fd) }
            handle.solve()
            let elapsed = began.duration(to: .now)
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            let s = handle.solution(model: model, limits: limits, seconds: seconds)
            var words: [Double] = [Double(statuses.firstIndex(of: s.status) ?? 5), s.objective ?? .nan, s.bound,
                                   s.gap ?? .nan, Double(s.nodes), s.seconds, Double(s.values.count)]
            words += s.values
            let ok = words.withUnsafeBytes { bytes -> Bool in
                var offset = 0
                while offset < bytes.count {
                    guard let base = bytes.baseAddress else { return false }
                    let n = write(writeEnd, base + offset, bytes.count - offset)
                    if n < 0 && errno == EINTR { continue }
                    guard n > 0 else { return false }
                    offset += n
                }
                return true
            }
            _exit(ok ? 0 : 1)
        }
        close(writeEnd)
        defer { close(readEnd) }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        var killed = false
        let stopAt = began.advanced(by: .milliseconds(Int64(min(deadline(for: limits), 1e7) * 1000)))
        while true {
            let left = ContinuousClock.now.duration(to: stopAt)
            let leftMs = Int32(clamping: max(0, left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000))
            var poller = pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, leftMs)
            if ready < 0 && errno == EINTR { continue }
            if ready == 0 {
                kill(pid, SIGKILL)
                killed = true
                break
            }
            let n = buffer.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            received += buffer[0..<n]
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let worst: Double = model.direction == .maximise ? .infinity : -.infinity
        if killed {
            let seconds = Double(began.duration(to: .now).components.seconds)
            return .success(Solution(status: .timeLimited, values: [], objective: nil, bound: worst, gap: nil,
                                     nodes: 0, seconds: seconds))
        }
        // Exited normally with 0: the low 7 bits are the signal (0), the next 8 the code.
        let signal = status & 0x7f, code = (status >> 8) & 0xff
        guard signal == 0 else {
            return .failure(MixedIntegerError(message: "CBC stopped on signal \(signal) (a fault inside the solver); no solution from it"))
        }
        guard code == 0, received.count % 8 == 0, received.count >= 7 * 8 else {
            return .failure(MixedIntegerError(message: "CBC's solve process ended without an answer (exit \(code))"))
        }
        var words = [Double](repeating: 0, count: received.count / 8)
        words.withUnsafeMutableBytes { target in received.withUnsafeBytes { target.copyMemory(from: $0) } }
        let count = Int(words[6])
        guard words[6] >= 0, words[6] == Double(count), words.count == 7 + count,
              let index = Int(exactly: words[0]), statuses.indices.contains(index) else {
            return .failure(MixedIntegerError(message: "CBC's solve process wrote a malformed answer"))
        }
        return .success(Solution(status: statuses[index], values: Array(words[7...]),
                                 objective: words[1].isNaN ? nil : words[1], bound: words[2],
                                 gap: words[3].isNaN ? nil : words[3], nodes: Int(words[4]), seconds: words[5]))
    }
}
