import GeoCore

/// Exit statuses from sysexits.h, as the protocol documents them.
public enum PlannerExitCode: Int32, Sendable {
    case ok = 0
    case usage = 64          // bad flags or parameter values
    case dataError = 65      // input data is wrong (names file, feature index, property)
    case noInput = 66        // an input file does not exist or cannot be read
    case unavailable = 69    // plugin missing or protocol-incompatible
    case software = 70       // internal error, plugin crash or invalid plugin output
    case cannotCreate = 73   // cannot write the output
    case timedOut = 75       // --timeout reached
    case interrupted = 130   // SIGINT
}

extension PlannerExitCode {
    /// 128 + SIGPIPE: stdout's reader went away (`… | head`); nothing is printed, as with
    /// any tool killed by SIGPIPE. Not an error of the planner or its input.
    public static let brokenPipe: Int32 = 141

    /// Every status the protocol documents.
    public static let allDocumented: [PlannerExitCode] =
        [.ok, .usage, .dataError, .noInput, .unavailable, .software, .cannotCreate, .timedOut, .interrupted]
}

extension PlannerExitCode {
    /// The one mapping from error categories to sysexits statuses.
    public init(_ category: ErrorCategory) {
        switch category {
        case .usage: self = .usage
        case .badData: self = .dataError
        case .missingInput: self = .noInput
        case .unavailable: self = .unavailable
        case .internal: self = .software
        }
    }
}

/// An error the user can act on: one line saying what and where, and the exit status.
public struct PlannerError: Error, CustomStringConvertible, Sendable {
    public var code: PlannerExitCode
    public var message: String
    public init(_ code: PlannerExitCode, _ message: String) {
        self.code = code
        self.message = message
    }
    /// A categorised library error, worded by `message` (default: its own description).
    public init(_ error: any CategorizedError, _ message: String? = nil) {
        self.init(PlannerExitCode(error.category), message ?? error.description)
    }
    public static func usage(_ message: String) -> PlannerError { .init(.usage, message) }
    public static func data(_ message: String) -> PlannerError { .init(.dataError, message) }
    public static func noInput(_ message: String) -> PlannerError { .init(.noInput, message) }
    public var description: String { message }
}

/// What `run` returns: features for stdout (or a document such as SVG/HTML for planners
/// whose manifest output is not GeoJSON), plus optional side files (`--summary x.csv`)
/// that PlannerMain writes atomically, and a short human summary for stderr.
public struct PlannerOutput: Sendable {
    public enum Body: Sendable {
        case features(FeatureCollection)
        case document([UInt8])
    }
    public struct SideFile: Sendable {
        public var path: String
        public var contents: [UInt8]
        public init(path: String, contents: [UInt8]) {
            self.path = path
            self.contents = contents
        }
    }
    public var body: Body
    public var sideFiles: [SideFile]
    public var summary: String?

    public init(_ features: FeatureCollection, sideFiles: [SideFile] = [], summary: String? = nil) {
        body = .features(features)
        self.sideFiles = sideFiles
        self.summary = summary
    }
    public init(document: [UInt8], sideFiles: [SideFile] = [], summary: String? = nil) {
        body = .document(document)
        self.sideFiles = sideFiles
        self.summary = summary
    }
}
