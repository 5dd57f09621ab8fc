import GeoCore

extension CableRoutingError: CategorizedError {
    public var category: ErrorCategory {
        switch self {
        case .unreachable, .landingRefused, .outsideRegion, .landingBeyondSnap, .landingInConcentrationZone,
             .landingEnclosed, .endEnclosed, .noCandidateLands: .badData
        case .invalidRequest, .noRoutesRequested, .tooFewStops: .usage
        case .internalInconsistency: .internal
        }
    }
}

extension BathymetryGrid.ParseError: CategorizedError {
    public var category: ErrorCategory { .badData }
}
