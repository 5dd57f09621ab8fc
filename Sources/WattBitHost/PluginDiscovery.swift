import PlannerKit
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds planners: executables named `wattbit-NAME` in, in order, the directory of the
/// `wattbit` binary, its planner directory `../libexec/wattbit` (an installed layout:
/// `make install` puts the shipped plugins there), in a SwiftPM build tree the package's
/// `Plugins/*/` directories (so the Python plugin runs from the checkout with no setting),
/// each `$WATTBIT_PLUGIN_PATH` entry, each `$PATH` entry. The first executable of a name
/// wins; later ones are shadowed (and shown as such by `wattbit list`).
///
/// Like git and kubectl, and unlike a shell: entries that are empty, `.` or relative are
/// skipped (an empty PATH entry means the current directory, which would let whoever
/// controls the working directory plant a planner), and directories are de-duplicated by
/// real path.
public struct PluginDiscovery: Sendable {
    public enum Origin: String, Sendable {
        case binaryDirectory = "wattbit's directory"
        case plannerDirectory = "wattbit's planner directory"
        case buildTree = "build tree"
        case pluginPath = "WATTBIT_PLUGIN_PATH"
        case path = "PATH"
    }

    public struct Directory: Sendable, Equatable {
        public var path: String
        public var origin: Origin
        public var worldWritable: Bool
    }

    public struct Candidate: Sendable, Equatable {
        /// NAME in `wattbit-NAME`.
        public var name: String
        public var path: String
        public var directory: Directory
        public var isExecutable: Bool
    }

    /// One planner name as discovery sees it: the winner and the ones it shadows.
    public struct Resolution: Sendable {
        public var name: String
        /// The first executable candidate; nil when every candidate is broken.
        public var winner: Candidate?
        /// Later executables of the same name, hidden by the winner.
        public var shadowed: [Candidate]
        /// Files of the right name that cannot run (not executable).
        public var notExecutable: [Candidate]
    }

    public var directories: [Directory]
    /// Entries skipped and why ("PATH entry \"\" (empty = current directory) skipped").
    public var skippedEntries: [String]

    /// Executables beside `wattbit` that are not planners.
    public static let ignoredNames: Set<String> = ["bench"]

    public init(directories: [Directory], skippedEntries: [String] = []) {
        self.directories = directories
        self.skippedEntries = skippedEntries
    }

    /// The search directories from the environment. `binaryDirectory` is where the running
    /// `wattbit` lives (`/proc/self/exe`), or nil to leave it out.
    public static func fromEnvironment(binaryDirectory: String? = PluginDiscovery.binaryDirectory(),
                                       pluginPath: String? = SystemIO.environment("WATTBIT_PLUGIN_PATH"),
                                       path: String? = SystemIO.environment("PATH")) -> PluginDiscovery {
        var directories: [Directory] = []
        var skipped: [String] = []
        var seen: Set<String> = []
        func add(_ entry: String, _ origin: Origin) {
            if entry.isEmpty {
                skipped.append("\(origin.rawValue) entry \"\" skipped (an empty entry means the current directory)")
                return
            }
            guard entry.hasPrefix("/") else {
                skipped.append("\(origin.rawValue) entry \"\(entry)\" skipped (relative to the current directory)")
                return
            }
            guard let real = realPath(entry), isDirectory(real) else { return }
            guard seen.insert(real).inserted else { return }
            directories.append(Directory(path: entry, origin: origin, worldWritable: isWorldWritable(real)))
        }
        if let binaryDirectory {
            add(binaryDirectory, .binaryDirectory)
            add(plannerDirectory(binaryDirectory: binaryDirectory), .plannerDirectory)
            for directory in buildTreePluginDirectories(binaryDirectory: binaryDirectory) {
                add(directory, .buildTree)
            }
        }
        for entry in (pluginPath ?? "").split(separator: ":", omittingEmptySubsequences: false)
            where pluginPath != nil && !(pluginPath ?? "").isEmpty {
            add(String(entry), .pluginPath)
        }
        for entry in (path ?? "").split(separator: ":", omittingEmptySubsequences: false) where path != nil {
            add(String(entry), .path)
        }
        return PluginDiscovery(directories: directories, skippedEntries: skipped)
    }

    /// `PREFIX/libexec/wattbit` for a `wattbit` in `PREFIX/bin` (GNU layout: programs run
    /// by other programs, not by users, live in libexec).
    public static func plannerDirectory(binaryDirectory: String) -> String {
        let parent = AtomicFileSet.directoryName(of: binaryDirectory)
        return (parent.hasSuffix("/") ? parent : parent + "/") + "libexec/wattbit"
    }

    /// For a binary inside a SwiftPM build directory (`ROOT/.build/…/release`), the
    /// subdirectories of `ROOT/Plugins` (the planners shipped as plugins, e.g. the Python
    /// one, which SwiftPM does not copy into `.build`), sorted; otherwise none. `ROOT` must
    /// hold `Package.swift`, so a stray `.build` elsewhere adds nothing.
    public static func buildTreePluginDirectories(binaryDirectory: String) -> [String] {
        let components = binaryDirectory.split(separator: "/", omittingEmptySubsequences: true)
        guard let buildIndex = components.lastIndex(where: { $0 == ".build" || $0.hasPrefix(".build-") || $0.hasPrefix(".build_") }) else {
            return []
        }
        let root = "/" + components[..<buildIndex].joined(separator: "/")
        let plugins = (root == "/" ? "" : root) + "/Plugins"
        guard isRegularFile((root == "/" ? "" : root) + "/Package.swift"), isDirectory(plugins),
              let handle = opendir(plugins) else { return [] }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if !name.hasPrefix("."), isDirectory(plugins + "/" + name) { names.append(name) }
        }
        closedir(handle)
        return names.sorted().map { plugins + "/" + $0 }
    }

    /// The directory holding the running executable, symlinks resolved.
    public static func binaryDirectory() -> String? {
        guard let executable = realPath("/proc/self/exe") else { return nil }
        return AtomicFileSet.directoryName(of: executable)
    }

    /// Every `wattbit-NAME` file in search order, same real file listed once.
    public func candidates() -> [Candidate] {
        var result: [Candidate] = []
        var seenFiles: Set<String> = []
        for directory in directories {
            guard let handle = opendir(directory.path) else { continue }
            var names: [String] = []
            while let entry = readdir(handle) {
                let name = withUnsafePointer(to: entry.pointee.d_name) {
                    $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
                }
                names.append(name)
            }
            closedir(handle)
            for fileName in names.sorted() {
                guard let plannerName = Self.plannerName(fileName: fileName),
                      !(directory.origin == .binaryDirectory && Self.ignoredNames.contains(plannerName)) else { continue }
                let path = directory.path.hasSuffix("/") ? directory.path + fileName : directory.path + "/" + fileName
                guard let real = realPath(path), isRegularFile(real), seenFiles.insert(real).inserted else { continue }
                result.append(Candidate(name: plannerName, path: path, directory: directory,
                                        isExecutable: access(real, X_OK) == 0))
            }
        }
        return result
    }

    /// NAME for `wattbit-NAME`: lower-case letters, digits, `-` and `_`, starting with a
    /// letter or digit. Anything else (`wattbit-cable.swiftmodule`, `wattbit-x.py~`) is not
    /// a planner.
    public static func plannerName(fileName: String) -> String? {
        guard fileName.hasPrefix("wattbit-") else { return nil }
        let name = fileName.dropFirst("wattbit-".count)
        guard let first = name.first, first.isASCII, first.isLetter || first.isNumber else { return nil }
        for character in name {
            guard character.isASCII, character.isLowercase || character.isNumber || character == "-" || character == "_" else {
                return nil
            }
        }
        return String(name)
    }

    /// All names found, each with its winner and the candidates it shadows, sorted by name.
    public func resolveAll() -> [Resolution] {
        var order: [String] = []
        var byName: [String: [Candidate]] = [:]
        for candidate in candidates() {
            if byName[candidate.name] == nil { order.append(candidate.name) }
            byName[candidate.name, default: []].append(candidate)
        }
        return order.sorted().map { Self.resolution($0, byName[$0] ?? []) }
    }

    /// The planner `name`, or nil when no file of that name exists anywhere.
    public func resolve(_ name: String) -> Resolution? {
        let found = candidates().filter { $0.name == name }
        return found.isEmpty ? nil : Self.resolution(name, found)
    }

    static func resolution(_ name: String, _ candidates: [Candidate]) -> Resolution {
        let executables = candidates.filter(\.isExecutable)
        return Resolution(name: name, winner: executables.first, shadowed: Array(executables.dropFirst()),
                          notExecutable: candidates.filter { !$0.isExecutable })
    }
}

func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
}

func isDirectory(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
}

func isRegularFile(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
}

func isWorldWritable(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0 && (info.st_mode & S_IWOTH) != 0
}

/// Modification time and size of a file, for the manifest cache key.
func fileStamp(_ path: String) -> String? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    return "\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec):\(info.st_size):\(info.st_ino)"
}
