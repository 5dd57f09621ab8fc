#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GeoCore

/// The geodata shipped with WattBit (`geodata/*.geojson`, `*.csv`), for planners: one
/// lookup, one policy, one exit status.
///
/// Where it is looked for, in order:
/// 1. `$WATTBIT_GEODATA`, when set and not empty. It must hold the data: a wrong setting is
///    an error, never silently replaced by another copy.
/// 2. The installed layout relative to the running executable: `../share/wattbit/geodata`
///    for a program in `PREFIX/bin`, `../../share/wattbit/geodata` for a plugin in
///    `PREFIX/libexec/wattbit`.
/// 3. The executable's own tree: the nearest ancestor of its directory that holds
///    `geodata/` (a checkout's `.build/release/wattbit-cable` → the repository's `geodata/`).
///
/// Never the current directory or its ancestors: running in a directory that happens to
/// hold a `geodata/` must not change the answer. Not found → exit 69 (unavailable: the
/// installation is incomplete), naming the file, what was searched and the fix.
public enum EmbeddedGeodata {
    public static let environmentVariable = "WATTBIT_GEODATA"
    /// A file every geodata directory holds; its presence identifies one.
    static let marker = "japan-land.geojson"

    /// The geodata directory for `environment` (the value of WATTBIT_GEODATA) and the
    /// directory of the running executable (symlinks resolved). Pure but for file tests.
    public static func directory(environment: String?, executableDirectory: String?) throws(PlannerError) -> String {
        if let environment, !environment.isEmpty {
            guard holdsGeodata(environment) else {
                throw PlannerError(.unavailable, "\(environmentVariable)=\(environment) does not hold WattBit's geodata (no \(marker) there)")
            }
            return environment
        }
        var searched: [String] = []
        if let start = executableDirectory {
            for relative in ["../share/wattbit/geodata", "../../share/wattbit/geodata"] {
                let installed = normalized(start + "/" + relative)
                searched.append(installed)
                if holdsGeodata(installed) { return installed }
            }
            var directory = normalized(start)
            while true {
                let candidate = (directory == "/" ? "" : directory) + "/geodata"
                if holdsGeodata(candidate) { return candidate }
                guard directory != "/" else { break }
                directory = parent(of: directory)
            }
            searched.append("geodata/ in the ancestors of \(start)")
        }
        throw PlannerError(.unavailable, "WattBit's embedded geodata not found (searched \(searched.joined(separator: ", "))); "
                           + "set \(environmentVariable) to the geodata/ directory")
    }

    /// The geodata directory of this process.
    public static func directory() throws(PlannerError) -> String {
        try directory(environment: SystemIO.environment(environmentVariable), executableDirectory: executableDirectory())
    }

    /// The path of one embedded file, e.g. `path(for: "japan-land.geojson")`.
    public static func path(for fileName: String) throws(PlannerError) -> String {
        let directory = try directory()
        let path = directory + "/" + fileName
        guard access(path, R_OK) == 0 else {
            throw PlannerError(.unavailable, "embedded geodata file \(fileName) not found in \(directory); "
                               + "set \(environmentVariable) to a complete geodata/ directory")
        }
        return path
    }

    /// An embedded GeoJSON file's features.
    public static func features(_ fileName: String) throws -> FeatureCollection {
        try PlannerInputs.loadFeatures(path: try path(for: fileName), label: "embedded geodata/\(fileName)")
    }

    /// The running executable's directory, symlinks resolved.
    static func executableDirectory() -> String? {
        for candidate in ["/proc/self/exe", CommandLine.arguments.first ?? ""] where !candidate.isEmpty {
            if let resolved = realpath(candidate, nil) {
                defer { free(resolved) }
                return parent(of: String(cString: resolved))
            }
        }
        return nil
    }

    static func holdsGeodata(_ directory: String) -> Bool {
        access(directory + "/" + marker, R_OK) == 0
    }

    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let head = String(path[..<slash])
        return head.isEmpty ? "/" : head
    }

    /// Removes `.` and resolves `..` lexically (the installed layout is a fixed shape).
    static func normalized(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            if part == "." || part.isEmpty { continue }
            if part == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }
}
