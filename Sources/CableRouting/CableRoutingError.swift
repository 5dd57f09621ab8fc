import Foundation
import GeoCore

/// The fields of a `RouteRequest` (and its inputs) that errors and warnings refer to. The
/// engine words its messages with `rawValue` (the Swift field name); a planner passes its
/// own spelling (`--snap-km`) to `message(naming:)`.
public enum RouteRequestField: String, Sendable, CaseIterable {
    case routes, via, snapKm, approachKm, allowConcentrationLanding, distinctLandings, avoid
}

/// Errors a user can act on: values, not sentences. `description` is one line saying what
/// and where in the engine's words; `message(naming:)` is the same line with the caller's
/// names for the request fields.
public enum CableRoutingError: Error, CustomStringConvertible, Sendable, Equatable {
    /// No sea path exists (exit 65).
    case unreachable(String)
    /// A landing was refused (exit 65).
    case landingRefused(String)
    /// A position lies outside the planning region (exit 65).
    case outsideRegion(String)
    /// The request itself is inconsistent (exit 64).
    case invalidRequest(String)
    /// A planned route failed the final exact land check: a defect, never a user error (exit 70).
    case internalInconsistency(String)
    /// A landing on land with no shore of the sea within `snapKm` (exit 65).
    case landingBeyondSnap(LandingBeyondSnap)
    /// A landing in a concentration zone while `allowConcentrationLanding` is off (exit 65).
    case landingInConcentrationZone(landing: String, zone: String)
    /// No open sea within `radiusKm` of a landing: land, coast clearance or `avoid` all
    /// around (exit 65).
    case landingEnclosed(landing: String, radiusKm: Double)
    /// The search from `from` cannot reach `to`: `end` is enclosed by land, coast clearance
    /// or `avoid` areas (exit 65).
    case endEnclosed(from: String, to: String, end: String)
    /// None of an end's `candidates` can land; `first` is why the first was refused (exit 65).
    indirect case noCandidateLands(end: String, candidates: Int, first: CableRoutingError)
    /// `routes` is below 1 (exit 64).
    case noRoutesRequested(routes: Int)
    /// A route through stops has fewer than two (exit 64).
    case tooFewStops(count: Int)

    /// A landing too far inland: where it is, how far the sea is, and the limit.
    public struct LandingBeyondSnap: Sendable, Equatable {
        /// How far the nearest water of each kind is.
        public enum Shore: Sendable, Equatable {
            /// The shore of ocean-connected water, this far (within the search reach).
            case sea(km: Double)
            /// No sea shore within reach; the nearest coast (of any water) is this far.
            case coast(km: Double)
            /// Neither within this reach.
            case beyond(km: Double)
        }
        public var landing: String
        public var position: Position
        public var shore: Shore
        /// The request's `snapKm`.
        public var snapKm: Double
        /// Water within `snapKm` that is a lake or closed lagoon, not the sea.
        public var closedWaterKm: Double?

        public init(landing: String, position: Position, shore: Shore, snapKm: Double, closedWaterKm: Double?) {
            self.landing = landing
            self.position = position
            self.shore = shore
            self.snapKm = snapKm
            self.closedWaterKm = closedWaterKm
        }
    }

    public var description: String { message(naming: \.rawValue) }

    /// The one-line message with `name(field)` for each request field it mentions.
    public func message(naming name: (RouteRequestField) -> String) -> String {
        switch self {
        case .unreachable(let m), .landingRefused(let m), .outsideRegion(let m), .invalidRequest(let m),
             .internalInconsistency(let m):
            return m
        case .landingBeyondSnap(let refusal):
            let p = refusal.position
            var text = "\(refusal.landing) at \(format4(p.lon)),\(format4(p.lat)) is on land"
            switch refusal.shore {
            case .sea(let km): text += ", \(format1(km)) km from the coast of the sea"
            case .coast(let km): text += ", \(format1(km)) km from the coast"
            case .beyond(let km): text += ", more than \(format1(km)) km from the coast of the sea"
            }
            text += " (more than \(name(.snapKm)) \(format1(refusal.snapKm)))"
            if let lake = refusal.closedWaterKm {
                text += "; the water \(format1(lake)) km away is a lake or closed lagoon, not the sea"
            }
            return text
        case .landingInConcentrationZone(let landing, let zone):
            return "\(landing) lands in the \(zone) landing-concentration zone; choose another landing or pass \(name(.allowConcentrationLanding))"
        case .landingEnclosed(let landing, let radiusKm):
            return "\(landing): no open sea within \(format1(radiusKm)) km of the landing (land, coast clearance or \(name(.avoid)) all around)"
        case .endEnclosed(let from, let to, let end):
            return "no sea route from \(from) to \(to): \(end) is enclosed by land, coast clearance or \(name(.avoid)) areas"
        case .noCandidateLands(let end, let candidates, let first):
            return "\(end): none of \(candidates) candidates can land; first: \(first.message(naming: name))"
        case .noRoutesRequested:
            return "\(name(.routes)) must be at least 1"
        case .tooFewStops:
            return "\(name(.via)) needs at least two stops"
        }
    }
}

/// Something the user should know about a plan: values, worded by `message(naming:)` as
/// `CableRoutingError` is.
public enum RouteWarning: Sendable, Equatable, CustomStringConvertible {
    /// One of an end's candidates could not land (the others could).
    case skippedCandidate(end: String, error: CableRoutingError)
    /// A landing on land moved `km` to the coast of the sea.
    case snapped(landing: String, km: Double)
    /// A route through stops is one route; `routes` was ignored.
    case viaIgnoresRoutes(routes: Int)
    /// Fewer separated routes than asked.
    case fewerRoutes(FewerRoutes)

    public struct FewerRoutes: Sendable, Equatable {
        public var found: Int
        public var requested: Int
        public var separationKm: Double
        public var approachKm: Double
        /// With distinct landings: none was left unused.
        public var noUnusedLanding: Bool

        public init(found: Int, requested: Int, separationKm: Double, approachKm: Double, noUnusedLanding: Bool) {
            self.found = found
            self.requested = requested
            self.separationKm = separationKm
            self.approachKm = approachKm
            self.noUnusedLanding = noUnusedLanding
        }

        /// Two routes leaving one landing must cross its approach circle at least
        /// 2·asin(S / 2A) apart (S separation, A radius); nil when no angle admits them.
        public var sharedLandingAngleDegrees: Double? {
            guard approachKm > 0, separationKm < 2 * approachKm else { return nil }
            return 2 * asin(separationKm / (2 * approachKm)) * 180 / .pi
        }
    }

    public var description: String { message(naming: \.rawValue) }

    public func message(naming name: (RouteRequestField) -> String) -> String {
        switch self {
        case .skippedCandidate(let end, let error):
            return "\(end): skipped candidate: \(error.message(naming: name))"
        case .snapped(let landing, let km):
            return "\(landing): on land, snapped \(format1(km)) km to the coast"
        case .viaIgnoresRoutes(let routes):
            return "\(name(.via)) plans one route through all stops; \(name(.routes)) \(routes) ignored"
        case .fewerRoutes(let f) where f.noUnusedLanding:
            return "found \(f.found) of \(f.requested) routes: no unused landing left for \(name(.distinctLandings))"
        case .fewerRoutes(let f):
            let a = f.approachKm, s = f.separationKm
            var text = "found \(f.found) of \(f.requested) routes at least \(format1(s)) km apart outside \(format1(a)) km of the landings"
            if let degrees = f.sharedLandingAngleDegrees {
                text += " (routes sharing a landing must leave its \(format1(a)) km approach circle ≥ \(Int(degrees.rounded()))° apart; a larger \(name(.approachKm)) or candidate landings with \(name(.distinctLandings)) admit more)"
            } else if a > 0 {
                text += " (routes sharing a landing cannot be \(format1(s)) km apart outside a \(format1(a)) km approach; raise \(name(.approachKm)) or use \(name(.distinctLandings)))"
            }
            return text
        }
    }

    /// Whether this says fewer routes were found (a joint selection replaces it).
    public var isFewerRoutes: Bool {
        if case .fewerRoutes = self { true } else { false }
    }
}
