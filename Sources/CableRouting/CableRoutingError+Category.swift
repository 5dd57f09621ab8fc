import GeoCore

extension CableRoutingError: CategorizedError {
    public var category: ErrorCategory {
        switch self {
        case .unreachable, .landingRefused, .outsideRegion: .badData
        case .invalidRequest: .usage
        case .internalInconsistency: .internal
        }
    }
}

extension BathymetryGrid.ParseError: CategorizedError {
    public var category: ErrorCategory { .badData }
}
