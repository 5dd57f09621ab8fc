/// Propagation delay in optical fiber, shared by every planner that reports latency.
///
/// Light in G.652 single-mode fiber travels at c / n_g with group index n_g ≈ 1.468 at
/// 1550 nm (Corning SMF-28 datasheet): about 204,000 km/s, i.e. 4.9 µs per km one way.
/// Fiber rarely follows the geodesic; planners scale the geodesic by a route factor.
public enum FiberLatency {
    /// One-way delay per km of fiber route.
    public static let fiberMicrosecondsPerKm = 4.9

    /// One-way delay over `routeKm` of fiber.
    public static func oneWayMs(routeKm: Double) -> Double {
        routeKm * fiberMicrosecondsPerKm / 1000
    }
    /// Round trip over a fiber path `routeFactor` times longer than the geodesic.
    public static func rttMs(distanceKm: Double, routeFactor: Double) -> Double {
        2 * distanceKm * routeFactor * fiberMicrosecondsPerKm / 1000
    }
    /// The geodesic radius whose round trip equals `rttMs`.
    public static func radiusKm(rttMs: Double, routeFactor: Double) -> Double {
        rttMs * 1000 / (2 * routeFactor * fiberMicrosecondsPerKm)
    }
}
