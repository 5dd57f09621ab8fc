// swift-tools-version:6.0
// WattBit: planning Japan's submarine cables, GW-class data-centre hubs and fiber reach
// together. See README.md and docs/.
import PackageDescription

let package = Package(
    name: "WattBit",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "GeoCore", targets: ["GeoCore"]),
        .library(name: "PlannerKit", targets: ["PlannerKit"]),
        .library(name: "WattBitHost", targets: ["WattBitHost"]),
        .executable(name: "wattbit", targets: ["wattbit"]),
        .executable(name: "wattbit-cable", targets: ["wattbit-cable"]),
        .executable(name: "wattbit-hubs", targets: ["wattbit-hubs"]),
        .executable(name: "wattbit-gaps", targets: ["wattbit-gaps"]),
        .executable(name: "wattbit-map", targets: ["wattbit-map"]),
        .executable(name: "wattbit-latency", targets: ["wattbit-latency"]),
        .executable(name: "wattbit-siting", targets: ["wattbit-siting"]),
    ],
    dependencies: [
        // Pinned to the exact version every build uses (see docs/dependencies.md for why
        // there is no committed Package.resolved).
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
    ],
    targets: [
        // System libraries, linked by their pkg-config names.
        .systemLibrary(name: "CGEOS", pkgConfig: "geos",
                       providers: [.apt(["libgeos-dev"])]),
        .systemLibrary(name: "CPROJ", pkgConfig: "proj",
                       providers: [.apt(["libproj-dev", "proj-data"])]),
        // COIN-OR CBC 2.10 (mixed-integer programming; EPL-2.0), header only: the library is
        // loaded at the first solve (Sources/CCBC/shim.h says why). Why CBC and not HiGHS or
        // GLPK: see Sources/MixedInteger/MixedIntegerSolver.swift. Debian: coinor-libcbc-dev.
        .systemLibrary(name: "CCBC"),

        // Geometry, GeoJSON I/O, GEOS/PROJ bridges, geodesics, mesh codes, spatial index.
        .target(name: "GeoCore", dependencies: ["CGEOS", "CPROJ"]),
        // The planner protocol shared by built-in planners and Swift plugins.
        .target(name: "PlannerKit", dependencies: ["GeoCore"]),
        // The host side of the protocol, used by `wattbit`: discovery, process supervision,
        // output checks, list/describe and the command-line grammar.
        .target(name: "WattBitHost", dependencies: ["PlannerKit", "GeoCore"]),
        // Mixed-integer linear models solved by CBC; no CBC type in its API.
        .target(name: "MixedInteger", dependencies: ["CCBC"]),

        // Engines: pure libraries, no I/O.
        .target(name: "CableRouting", dependencies: ["GeoCore", "MixedInteger"]),
        .target(name: "HubClustering", dependencies: ["GeoCore", "MixedInteger"]),
        .target(name: "FiberCoverage", dependencies: ["GeoCore", "MixedInteger"]),
        .target(name: "MapRendering", dependencies: ["GeoCore"]),
        .target(name: "Siting", dependencies: ["GeoCore"]),

        // Executables: thin shells over the engines.
        .executableTarget(name: "wattbit", dependencies: [
            "WattBitHost", "PlannerKit", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .executableTarget(name: "wattbit-cable", dependencies: ["PlannerKit", "CableRouting"]),
        .executableTarget(name: "wattbit-hubs", dependencies: ["PlannerKit", "HubClustering"]),
        .executableTarget(name: "wattbit-gaps", dependencies: ["PlannerKit", "FiberCoverage", "CableRouting"]),
        .executableTarget(name: "wattbit-map", dependencies: ["PlannerKit", "MapRendering"]),
        // The population CSV is read with FiberCoverage's e-Stat mesh reader (as wattbit gaps does).
        .executableTarget(name: "wattbit-siting", dependencies: ["PlannerKit", "Siting", "FiberCoverage"]),
        // A planner shipped as a plugin, built on PlannerKit exactly as a third party would.
        .executableTarget(name: "wattbit-latency", dependencies: ["PlannerKit"],
                          path: "Plugins/latency"),
        // Benchmark driver for tools/bench (release builds only; compared with Python peers).
        .executableTarget(name: "wattbit-bench", dependencies: [
            "GeoCore", "CableRouting", "HubClustering", "FiberCoverage"],
                          path: "tools/bench/Sources/wattbit-bench"),

        .testTarget(name: "GeoCoreTests", dependencies: ["GeoCore"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "PlannerKitTests", dependencies: ["PlannerKit"]),
        .testTarget(name: "WattBitHostTests", dependencies: ["WattBitHost", "PlannerKit"]),
        .testTarget(name: "MixedIntegerTests", dependencies: ["MixedInteger"]),
        .testTarget(name: "CableRoutingTests", dependencies: ["CableRouting"]),
        .testTarget(name: "HubClusteringTests", dependencies: ["HubClustering"]),
        .testTarget(name: "FiberCoverageTests", dependencies: ["FiberCoverage"]),
        .testTarget(name: "MapRenderingTests", dependencies: ["MapRendering"]),
        .testTarget(name: "SitingTests", dependencies: ["Siting"]),
        // Spawns the built executables: CLI tables, bad plugins, pipelines.
        .testTarget(name: "EndToEndTests", dependencies: ["GeoCore"], exclude: ["Fixtures"]),
    ],
    swiftLanguageModes: [.v6]
)
