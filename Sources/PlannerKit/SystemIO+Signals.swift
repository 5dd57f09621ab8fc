#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Installs SIGINT/SIGTERM handlers that remove registered temporary files and exit with
/// 130 (interrupt) or 143 (terminated), writing one line to stderr. Used while a planner
/// runs: nothing has reached stdout or `-o` yet, so exiting is the whole cleanup.
package enum InterruptHandling {
    nonisolated(unsafe) static var messagePrefix: UnsafeMutablePointer<CChar>? = nil
    nonisolated(unsafe) static var messageLength = 0
    nonisolated(unsafe) package static var installed = false

    static func install(programName: String) {
        installed = true
        TemporaryFileRegistry.prepare()
        let message = Array("\(programName): interrupted; no output written\n".utf8)
        let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: message.count + 1)
        for (index, byte) in message.enumerated() { buffer[index] = CChar(bitPattern: byte) }
        buffer[message.count] = 0
        messagePrefix = buffer
        messageLength = message.count
        signal(SIGINT) { signalNumber in
            // A planner running another planner (PluginProcess) stops it too.
            if ChildProcessGroup.current > 0 { kill(-ChildProcessGroup.current, SIGTERM) }
            TemporaryFileRegistry.unlinkAll()
            if let message = InterruptHandling.messagePrefix {
                _ = write(2, message, InterruptHandling.messageLength)
            }
            _exit(signalNumber == SIGINT ? 130 : 128 + signalNumber)
        }
        signal(SIGTERM) { signalNumber in
            if ChildProcessGroup.current > 0 { kill(-ChildProcessGroup.current, SIGTERM) }
            TemporaryFileRegistry.unlinkAll()
            _exit(128 + signalNumber)
        }
        unblockTerminationSignals()
    }
}

/// The process group of a planner this process is running (a host, or a planner that runs
/// another planner), so an interrupt stops it too. Set by the supervisor; read by handlers.
package enum ChildProcessGroup {
    nonisolated(unsafe) package static var current: pid_t = 0
}

/// A parent may start us with SIGINT/SIGTERM blocked (some process launchers do);
/// Ctrl-C and timeouts must still reach the handlers.
package func unblockTerminationSignals() {
    var set = sigset_t()
    sigemptyset(&set)
    sigaddset(&set, SIGINT)
    sigaddset(&set, SIGTERM)
    pthread_sigmask(SIG_UNBLOCK, &set, nil)
}
