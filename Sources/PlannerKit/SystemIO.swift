#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// Thin POSIX helpers shared by PlannerMain and the host (WattBitHost). Plain file descriptors rather than
// FileHandle: we need exact control of which fd gets what (stdout carries GeoJSON only) and
// async-signal-safe cleanup of temporary files.

/// What `stat`/`access` say about a path we are about to read.
enum FileStatus {
    case missing, directory, unreadable, readable

    init(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            self = errno == EACCES ? .unreadable : .missing
            return
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            self = .directory
        } else if access(path, R_OK) != 0 {
            self = .unreadable
        } else {
            self = .readable
        }
    }
}

public enum SystemIO {
    /// `strerror` as a Swift string.
    public static func errorText(_ code: Int32) -> String { String(cString: strerror(code)) }

    /// Reads an fd to its end. Returns nil and the errno on failure.
    public static func readAll(fd: Int32) -> (bytes: [UInt8], errno: Int32?) {
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                result.append(contentsOf: buffer[0..<count])
            } else if count == 0 {
                return (result, nil)
            } else if errno != EINTR {
                return (result, errno)
            }
        }
    }

    /// Writes all bytes; returns the errno on failure, nil on success.
    @discardableResult
    public static func writeAll(fd: Int32, _ bytes: [UInt8]) -> Int32? {
        bytes.withUnsafeBytes { raw -> Int32? in
            var offset = 0
            while offset < raw.count {
                let count = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if count > 0 {
                    offset += count
                } else if count < 0 && errno == EINTR {
                    continue
                } else {
                    return count < 0 ? errno : EIO
                }
            }
            return nil
        }
    }

    /// Writes a line to stderr (fd 2) in one `write` call, so lines from concurrent
    /// writers do not interleave mid-line.
    public static func writeError(_ line: String) {
        var text = line
        if !text.hasSuffix("\n") { text += "\n" }
        writeAll(fd: 2, Array(text.utf8))
    }

    public static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

    /// A pipe whose ends are not inherited by spawned processes (only a dup2'ed copy is).
    package static func makePipe(_ fds: inout [Int32]) -> Bool {
        guard pipe(&fds) == 0 else { return false }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        return true
    }

    public static func environment(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        return String(cString: value)
    }
}
