/// What kind of failure an error is. Every public error of GeoCore and the engines has one,
/// and PlannerKit maps categories to exit statuses in one place
/// (`PlannerExitCode.init(_:)`), so no planner maps error types by hand.
///
/// The split follows GEOSwift's: a failure of the library itself (GEOS or PROJ refusing an
/// operation, a broken invariant) is `internal`, never the user's fault; what the user gave
/// is `usage` (a request that cannot be valid), `badData` (input that is not acceptable) or
/// `missingInput` (a file that is not there or cannot be read); something missing from the
/// installation (PROJ's database, the embedded geodata) is `unavailable`.
public enum ErrorCategory: String, Sendable, CaseIterable {
    case usage
    case badData = "bad-data"
    case missingInput = "missing-input"
    case unavailable
    case `internal`
}

/// An error with a category and a one-line description saying what and where.
public protocol CategorizedError: Error, CustomStringConvertible, Sendable {
    var category: ErrorCategory { get }
}

extension GeoJSONError: CategorizedError {
    public var category: ErrorCategory {
        switch kind {
        case .fileNotFound, .unreadable: .missingInput
        case .syntax, .structure, .value, .empty: .badData
        }
    }
}

extension ProjectionError: CategorizedError {
    public var category: ErrorCategory {
        switch kind {
        case .unknownCRS, .noTransformation: .usage
        case .databaseNotFound, .unavailable: .unavailable
        }
    }
}

extension GEOSError: CategorizedError {
    /// GEOS refusing an operation on geometry we built is a library failure.
    public var category: ErrorCategory { .internal }
}

extension MeshCode.ParseError: CategorizedError {
    public var category: ErrorCategory { .badData }
}
