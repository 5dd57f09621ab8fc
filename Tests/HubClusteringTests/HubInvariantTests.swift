import GeoCore
import Testing
@testable import HubClustering

/// Facts a planner would check on any answer, on instances too large to solve exactly.
@Suite("Hub answers hold their promises")
struct HubInvariantTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var count: Int
        var towns: Int
        var metroShare: Double
        var allowMetroMembers: Bool
        var radiusKm: Double
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "300 sites, 5 towns", count: 300, towns: 5, metroShare: 0, allowMetroMembers: false, radiusKm: 40),
        Case(name: "800 sites, metro excluded", count: 800, towns: 8, metroShare: 0.25, allowMetroMembers: false, radiusKm: 50),
        Case(name: "800 sites, metro members allowed", count: 800, towns: 8, metroShare: 0.25, allowMetroMembers: true, radiusKm: 50),
        Case(name: "1500 sites, tight radius", count: 1500, towns: 12, metroShare: 0.1, allowMetroMembers: false, radiusKm: 15),
        // Above 5,000 sites the engine switches to grid bounds and k-nearest growth.
        Case(name: "6000 sites, large-input path", count: 6000, towns: 40, metroShare: 0.1, allowMetroMembers: true, radiusKm: 30),
    ]

    @Test("floor, latency bound, disjoint hubs, coverage and metro rules", arguments: cases)
    func invariants(_ c: Case) throws {
        let instance = SmallInstance.generate(seed: UInt64(c.count) * 31 + UInt64(c.towns), count: c.count,
                                              towns: c.towns, metroShare: c.metroShare)
        let options = HubClusteringOptions.testing(minHubMW: 1000, maxRadiusKm: c.radiusKm, allowMetroMembers: c.allowMetroMembers)
        let result = try HubClustering.solve(sites: instance.sites, options: options)
        let sites = instance.sites
        #expect(result.hubs.count > 0)
        var seen = Set<Int>()
        for hub in result.hubs {
            let total = hub.members.reduce(0.0) { $0 + sites[$1].capacityMW }
            #expect(total >= 1000, "hub at \(hub.centre) holds \(total) MW")
            #expect(abs(total - hub.totalMW) < 1e-6)
            guard let centre = hub.centreSite else { Issue.record("hub without centre site"); continue }
            #expect(hub.members.contains(centre), "the centre site is a member of its hub")
            #expect(!sites[centre].inMetroArea, "hub centred in a metro area")
            for j in hub.members {
                #expect(!seen.contains(j), "site \(j) in two hubs")
                seen.insert(j)
                let d = Geodesic.distanceKm(hub.centre, sites[j].position)
                #expect(d <= c.radiusKm + 1e-9, "member \(j) at \(d) km > \(c.radiusKm) km")
                if sites[j].inMetroArea { #expect(c.allowMetroMembers, "metro member without --allow-metro-members") }
            }
        }
        // Every site left out is either in a metro area (not allowed) or out of reach of every centre.
        for (j, reason) in result.unassigned {
            #expect(!seen.contains(j))
            switch reason {
            case .metroArea:
                #expect(sites[j].inMetroArea && !c.allowMetroMembers)
            case .beyondLatency, .shortOfFloor:
                for hub in result.hubs {
                    #expect(Geodesic.distanceKm(hub.centre, sites[j].position) > c.radiusKm, "site \(j) is within reach of a hub yet left out")
                }
            }
        }
        #expect(seen.count + result.unassigned.count == sites.count)
        // The centre is the weighted medoid among the members that keep the hub within reach
        // (small inputs, where local search runs to a local optimum over all members).
        for hub in result.hubs where hub.members.count <= 24 && c.count <= 5000 {
            for candidate in hub.members where !sites[candidate].inMetroArea {
                let distances = hub.members.map { Geodesic.distanceKm(sites[candidate].position, sites[$0].position) }
                guard distances.allSatisfy({ $0 <= c.radiusKm }) else { continue }
                let cost = zip(hub.members, distances).reduce(0.0) { $0 + sites[$1.0].capacityMW * $1.1 }
                #expect(cost >= hub.costMWKm - 1e-6 * max(1, hub.costMWKm), "a member is a better centre than the reported one")
            }
        }
    }

    @Test("same input, same answer")
    func deterministic() throws {
        let instance = SmallInstance.generate(seed: 99, count: 400, towns: 6)
        let a = try HubClustering.solve(sites: instance.sites, options: instance.options)
        let b = try HubClustering.solve(sites: instance.sites, options: instance.options)
        #expect(a.hubs == b.hubs)
        #expect(a.objective == b.objective)
    }

    @Test("a fixed centre grows its hub first and is kept when it gathers the floor")
    func fixedCentres() throws {
        let instance = SmallInstance.generate(seed: 7, count: 300, towns: 4)
        let anchor = instance.sites[0].position
        let far = Position(150.0, 30.0)   // open sea, nothing within reach
        let result = try HubClustering.solve(sites: instance.sites, fixedCentres: [anchor, far], options: instance.options)
        let fixedHub = result.hubs.first { $0.fixedCentre == 0 }
        #expect(fixedHub != nil, "the reachable fixed centre forms a hub")
        #expect(result.hubs.first?.fixedCentre == 0, "fixed hubs come first")
        #expect(result.droppedFixedCentres == [1])
        if let hub = fixedHub {
            #expect(hub.centre == anchor)
            #expect(hub.totalMW >= 1000)
        }
    }

    @Test("invalid values are refused with a message", arguments: [
        (HubSite(position: Position(140, 40), capacityMW: -1), "capacity_mw"),
        (HubSite(position: Position(140, 40), capacityMW: .nan), "capacity_mw"),
        (HubSite(position: Position(140, 95), capacityMW: 10), "lon/lat"),
    ])
    func invalidValues(_ site: HubSite, _ fragment: String) {
        #expect {
            _ = try HubClustering.solve(sites: [site], options: .testing())
        } throws: { error in
            "\(error)".contains(fragment) && "\(error)".contains("site 0")
        }
    }

    @Test("no sites, no hubs")
    func empty() throws {
        let result = try HubClustering.solve(sites: [], options: .testing())
        #expect(result.hubs.isEmpty && result.unassigned.isEmpty)
    }

    @Test("RTT and radius convert both ways: 1 ms at route factor 1.5 is 68.03 km")
    func latencyModel() {
        #expect(abs(FiberLatency.radiusKm(rttMs: 1, routeFactor: 1.5) - 68.027) < 0.001)
        #expect(abs(FiberLatency.rttMs(distanceKm: 68.027_210_884, routeFactor: 1.5) - 1) < 1e-9)
    }

    @Test("padded hull is a closed counter-clockwise ring holding every member")
    func hull() {
        let points = [Position(141, 43), Position(141.5, 43.2), Position(141.2, 42.8), Position(141.2, 43.0)]
        let ring = HubHull.padded(points, padKm: 1)
        #expect(ring.first == ring.last)
        var twiceArea = 0.0
        for i in 1..<ring.count { twiceArea += ring[i - 1].x * ring[i].y - ring[i].x * ring[i - 1].y }
        #expect(twiceArea > 0, "counter-clockwise")
        for p in points { #expect(Planar.contains(rings: [ring], p)) }
        let single = HubHull.padded([Position(141, 43)], padKm: 1)
        #expect(single.count == 9)
    }
}
