// `wattbit-bench geojson FILE [--mode read|stream|write] [--repeat N]`
//
// read:   GeoJSONReader.read(path:) — the whole file into a FeatureCollection.
// stream: GeoJSONReader.forEachFeature(path:) — feature by feature, nothing kept.
// write:  read once, then time GeoJSONWriter.encode of the collection.
// Prints one JSON line: bytes, features, best wall and CPU seconds, peak RSS in MB.
import Foundation
import GeoCore

func runGeoJSONBench(_ arguments: [String]) throws {
    guard let path = arguments.first else {
        throw GeoJSONBenchUsage(message: "usage: wattbit-bench geojson FILE [--mode read|stream|write] [--repeat N]")
    }
    var mode = "read"
    var repeats = 1
    var i = 1
    while i < arguments.count {
        switch arguments[i] {
        case "--mode" where i + 1 < arguments.count:
            mode = arguments[i + 1]
            i += 2
        case "--repeat" where i + 1 < arguments.count:
            repeats = max(1, Int(arguments[i + 1]) ?? 1)
            i += 2
        default:
            throw GeoJSONBenchUsage(message: "unknown argument \(arguments[i])")
        }
    }
    // "-" (stdin) has no size up front; MB/s is then 0.
    let fileBytes = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    var best = Double.infinity
    var bestCPU = Double.infinity
    var featureCount = 0
    var outputBytes = 0
    let collectionForWrite = mode == "write" ? try GeoJSONReader.read(path: path) : nil
    for _ in 0..<repeats {
        let start = DispatchTime.now().uptimeNanoseconds
        let cpuStart = cpuSeconds()
        switch mode {
        case "read":
            let collection = try GeoJSONReader.read(path: path)
            featureCount = collection.features.count
        case "stream":
            var count = 0
            try GeoJSONReader.forEachFeature(path: path) { _, _ in count += 1 }
            featureCount = count
        case "write":
            guard let collection = collectionForWrite else { return }
            outputBytes = GeoJSONWriter().encode(collection).count
            featureCount = collection.features.count
        default:
            throw GeoJSONBenchUsage(message: "unknown mode \(mode)")
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        best = min(best, seconds)
        bestCPU = min(bestCPU, cpuSeconds() - cpuStart)
    }
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    let measuredBytes = mode == "write" ? outputBytes : fileBytes
    let line = String(format: "{\"tool\":\"wattbit %@\",\"bytes\":%d,\"features\":%d,\"seconds\":%.3f,\"cpu_seconds\":%.3f,\"peak_rss_mb\":%.1f}",
                      mode, measuredBytes, featureCount, best, bestCPU, Double(usage.ru_maxrss) / 1024)
    print(line)
}

/// User + system CPU time of this process: on a shared machine wall time mostly measures
/// the neighbours, CPU time measures the parser.
private func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

private struct GeoJSONBenchUsage: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
