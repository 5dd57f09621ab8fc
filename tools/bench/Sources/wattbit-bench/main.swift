// Benchmark driver: `wattbit-bench NAME [ARGS…]`. Each benchmark prints one JSON line of
// figures to stdout; the scripts under tools/bench/*/ run it beside the Python peers.
import Foundation

let benchmarks: [String: ([String]) throws -> Void] = [
    "geojson": runGeoJSONBench,
    "cable": runCableBench,
    "cable-batch": runCableBatchBench,
    "cable-replan": runCableReplanBench,
    "cable-joint": runCableJointBench,
    "cable-joint-mip": runCableJointMIPBench,
    "hubs": runHubsBench,
    "gaps": runGapsBench,
    "hubs-exact": runHubsExactBench,
    "gaps-plan": runGapsPlanBench,
]

let arguments = Array(CommandLine.arguments.dropFirst())
guard let name = arguments.first, let bench = benchmarks[name] else {
    FileHandle.standardError.write(Data("usage: wattbit-bench \(benchmarks.keys.sorted().joined(separator: "|")) [ARGS…]\n".utf8))
    exit(64)
}
do {
    try bench(Array(arguments.dropFirst()))
} catch {
    FileHandle.standardError.write(Data("wattbit-bench \(name): \(error)\n".utf8))
    exit(70)
}

/// A benchmark's usage or set-up error, printed as one line with exit status 70.
struct BenchUsage: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = message }
    init(message: String) { description = message }
}
