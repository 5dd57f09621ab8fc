import Foundation

/// Finds the geodata shipped with WattBit (`geodata/*.geojson`, `*.csv`).
///
/// Search order: `$WATTBIT_GEODATA`; `../share/wattbit/geodata` beside the running
/// executable (an installed layout: `PREFIX/bin`), or `../../share/wattbit/geodata` for a
/// plugin installed in `PREFIX/libexec/wattbit`; then each ancestor directory of the executable
/// that holds `geodata/` (a build tree: `.build/release/wattbit-cable` → repository root);
/// then each ancestor of the current directory (tests run from the package root).
public enum EmbeddedGeodata {
    /// The geodata directory, or nil when none can be found.
    public static func directory() -> URL? {
        let fm = FileManager.default
        func holdsGeodata(_ dir: URL) -> Bool {
            fm.fileExists(atPath: dir.appendingPathComponent("japan-land.geojson").path)
        }
        if let env = ProcessInfo.processInfo.environment["WATTBIT_GEODATA"], !env.isEmpty {
            let dir = URL(fileURLWithPath: env)
            if holdsGeodata(dir) { return dir }
        }
        var starts: [URL] = []
        let exe = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        if let real = Bundle.main.executableURL?.resolvingSymlinksInPath() { starts.append(real.deletingLastPathComponent()) }
        starts.append(exe.deletingLastPathComponent())
        starts.append(URL(fileURLWithPath: fm.currentDirectoryPath))
        for start in starts {
            for relative in ["../share/wattbit/geodata", "../../share/wattbit/geodata"] {
                let installed = start.appendingPathComponent(relative).standardized
                if holdsGeodata(installed) { return installed }
            }
            var dir = start.standardized
            for _ in 0..<8 {
                let candidate = dir.appendingPathComponent("geodata")
                if holdsGeodata(candidate) { return candidate }
                let parent = dir.deletingLastPathComponent()
                if parent.path == dir.path { break }
                dir = parent
            }
        }
        return nil
    }

    /// The path of one embedded file, e.g. `url(for: "japan-land.geojson")`.
    public static func url(for fileName: String) throws -> URL {
        guard let dir = directory() else { throw GeodataError.notFound(fileName) }
        let url = dir.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: url.path) else { throw GeodataError.notFound(fileName) }
        return url
    }
}

public enum GeodataError: Error, CustomStringConvertible {
    case notFound(String)
    public var description: String {
        switch self {
        case .notFound(let name):
            "embedded geodata file \(name) not found; set WATTBIT_GEODATA to the geodata/ directory"
        }
    }
}
