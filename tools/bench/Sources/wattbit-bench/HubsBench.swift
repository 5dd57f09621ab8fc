import Foundation
import GeoCore
import HubClustering

/// `wattbit-bench hubs --sites N [--seed S] [--min-hub-mw MW] [--max-rtt-ms MS]
///                      [--route-factor F] [--restarts R] [--repair-time-limit S] [--csv FILE]`
///
/// Generates N DC sites (deterministic: clustered around 400 towns over Honshu, Shikoku
/// and Kyushu, capacities 5–120 MW), runs the hub engine and prints one JSON line: hub
/// count, capacity in hubs, the largest member RTT, validity (floor and latency checked
/// independently), wall time and peak resident memory. `--csv` also writes the sites
/// (lon,lat,mw) for the Python peers in tools/bench/hubs.
func runHubsBench(_ arguments: [String]) throws {
    var count = 10_000, seed: UInt64 = 1, minHubMW = 1000.0, maxRttMs = 1.0, routeFactor = 1.5
    var restarts: Int? = nil
    var repairLimit = HubClusteringOptions.hubsDefaults().repairTimeLimitSeconds
    var csvPath: String? = nil
    var k = 0
    func value() throws -> String {
        k += 1
        guard k < arguments.count else { throw BenchUsage("missing value after \(arguments[k - 1])") }
        return arguments[k]
    }
    while k < arguments.count {
        switch arguments[k] {
        case "--sites": count = Int(try value()) ?? count
        case "--seed": seed = UInt64(try value()) ?? seed
        case "--min-hub-mw": minHubMW = Double(try value()) ?? minHubMW
        case "--max-rtt-ms": maxRttMs = Double(try value()) ?? maxRttMs
        case "--route-factor": routeFactor = Double(try value()) ?? routeFactor
        case "--restarts": restarts = Int(try value())
        case "--repair-time-limit": repairLimit = Double(try value()) ?? repairLimit
        case "--csv": csvPath = try value()
        default: throw BenchUsage("unknown argument \(arguments[k])")
        }
        k += 1
    }
    let sites = benchSites(count: count, seed: seed)
    if let csvPath {
        var text = "lon,lat,mw\n"
        for s in sites { text += "\(s.position.lon),\(s.position.lat),\(s.capacityMW)\n" }
        try Data(text.utf8).write(to: URL(fileURLWithPath: csvPath))
    }
    let radiusKm = FiberLatency.radiusKm(rttMs: maxRttMs, routeFactor: routeFactor)
    let options = HubClusteringOptions.hubsDefaults(minHubMW: minHubMW, maxRadiusKm: radiusKm, restarts: restarts,
                                       repairTimeLimitSeconds: repairLimit)
    let start = DispatchTime.now().uptimeNanoseconds
    let result = try HubClustering.solve(sites: sites, options: options)
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9

    var valid = true, maxRtt = 0.0
    var seen = Set<Int>()
    for hub in result.hubs {
        if hub.members.reduce(0.0, { $0 + sites[$1].capacityMW }) < minHubMW { valid = false }
        for j in hub.members {
            if !seen.insert(j).inserted { valid = false }
            let rtt = FiberLatency.rttMs(distanceKm: Geodesic.distanceKm(hub.centre, sites[j].position), routeFactor: routeFactor)
            maxRtt = max(maxRtt, rtt)
            if rtt > maxRttMs + 1e-9 { valid = false }
        }
    }
    let line = String(format: #"{"bench":"hubs","engine":"wattbit","sites":%d,"min_hub_mw":%.0f,"max_rtt_ms":%.3f,"hubs":%d,"assigned_mw":%.1f,"cost_mw_km":%.1f,"max_member_rtt_ms":%.4f,"valid":%@,"restarts":%d,"repair_hubs_gained":%d,"repair_solves":%d,"repair_seconds":%.3f,"seconds":%.3f,"peak_rss_mb":%.1f}"#,
                      count, minHubMW, maxRttMs, result.hubs.count, result.objective.assignedMW, result.objective.costMWKm,
                      maxRtt, valid ? "true" : "false", result.restartsRun, result.repair.hubsGained, result.repair.solves,
                      result.repair.seconds, seconds, peakResidentMB())
    print(line)
}


/// Deterministic synthetic sites (SplitMix64): towns in boxes over the main islands, sites
/// spread around each town (σ ≈ 12 km), capacities skewed towards small sites.
func benchSites(count: Int, seed: UInt64) -> [HubSite] {
    var state = seed &* 0x9E37_79B9_7F4A_7C15 &+ 1
    func next() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Double((z ^ (z >> 31)) >> 11) * 0x1.0p-53
    }
    func gaussian() -> Double { (-2 * log(max(next(), 1e-300))).squareRoot() * cos(2 * .pi * next()) }
    // (minLon, minLat, maxLon, maxLat) boxes roughly over land.
    let boxes: [(Double, Double, Double, Double)] = [
        (139.0, 35.5, 141.0, 38.5), (136.5, 34.5, 139.0, 36.5), (132.0, 34.0, 136.0, 35.3),
        (130.2, 31.5, 131.7, 33.8), (132.5, 33.2, 134.5, 34.2), (140.3, 38.5, 141.5, 40.8),
        (141.0, 42.5, 143.5, 43.8),
    ]
    let towns = (0..<400).map { t -> (Double, Double) in
        let b = boxes[t % boxes.count]
        return (b.0 + (b.2 - b.0) * next(), b.1 + (b.3 - b.1) * next())
    }
    var sites: [HubSite] = []
    sites.reserveCapacity(count)
    for _ in 0..<count {
        let town = towns[Int(next() * Double(towns.count)) % towns.count]
        let lon = town.0 + gaussian() * 0.13, lat = town.1 + gaussian() * 0.11
        let mw = (5 + 115 * pow(next(), 2.0)).rounded()
        sites.append(HubSite(position: Position(lon, lat), capacityMW: mw))
    }
    return sites
}

func peakResidentMB() -> Double {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let digits = line.filter(\.isNumber)
        return (Double(String(digits)) ?? 0) / 1024
    }
    return 0
}
