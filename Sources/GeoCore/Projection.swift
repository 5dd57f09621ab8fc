import CPROJ
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a coordinate transformation could not be set up.
public struct ProjectionError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable {
        /// A CRS string PROJ does not know (bad EPSG code, malformed PROJ string, …).
        case unknownCRS
        /// Both CRSs are known but PROJ has no operation between them.
        case noTransformation
        /// PROJ's database `proj.db` cannot be found (see `PROJ_DATA`).
        case databaseNotFound
        /// PROJ could not allocate a context.
        case unavailable
    }
    public var kind: Kind
    public var message: String
    public var description: String { message }

    public init(kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }
}

/// A coordinate transformation between two CRSs through PROJ (`proj_create_crs_to_crs`),
/// normalised with `proj_normalize_for_visualization` so that on our side geographic
/// coordinates are always lon,lat (RFC 7946) and projected ones easting,northing — even for
/// EPSG:4326/6668 (latitude first in EPSG) or the Japan plane rectangular zones (northing
/// first in EPSG).
///
/// Each instance owns its own `PJ_CONTEXT` (PROJ contexts are single-threaded), freed in
/// `deinit`. Not `Sendable`: create one per thread or task and reuse it, since creating one
/// costs a database lookup (measured costs: docs/geocore.md).
///
/// CRS strings: "EPSG:6668", "OGC:CRS84", WKT, PROJJSON, or a PROJ string ("+proj=aeqd …";
/// `+type=crs` is added when missing). Positions that cannot be transformed (outside the
/// projection's domain) come back with infinite coordinates; altitude is carried through
/// unchanged (the transformation is horizontal).
public final class CoordinateTransform {
    private let context: OpaquePointer
    private let operation: OpaquePointer
    private let log: ProjLog
    public let source: String
    public let target: String

    public init(from: String, to: String) throws {
        guard let context = proj_context_create() else {
            throw ProjectionError(kind: .unavailable, message: "PROJ: cannot create a context")
        }
        let log = ProjLog()
        // PROJ logs errors to stderr by default; keep its words for our error message instead.
        proj_log_func(context, Unmanaged.passUnretained(log).toOpaque(), projLogHandler)
        proj_log_level(context, PJ_LOG_ERROR)
        _ = proj_context_set_enable_network(context, 0)

        var source: OpaquePointer?, target: OpaquePointer?, raw: OpaquePointer?
        defer {
            if let source { proj_destroy(source) }
            if let target { proj_destroy(target) }
            if let raw { proj_destroy(raw) }
        }
        do {
            source = try CoordinateTransform.createCRS(from, role: "source", context: context, log: log)
            target = try CoordinateTransform.createCRS(to, role: "target", context: context, log: log)
            raw = proj_create_crs_to_crs_from_pj(context, source, target, nil, nil)
            guard let raw else {
                throw ProjectionError(kind: .noTransformation,
                    message: "PROJ: no transformation from \(from) to \(to)\(log.suffix)")
            }
            guard let normalized = proj_normalize_for_visualization(context, raw) else {
                throw ProjectionError(kind: .noTransformation,
                    message: "PROJ: cannot normalise axis order of \(from) -> \(to)\(log.suffix)")
            }
            self.operation = normalized
        } catch {
            proj_context_destroy(context)
            throw error
        }
        // Errors after set-up (points outside a projection's domain) surface as infinite
        // coordinates; stop collecting messages so bulk work cannot grow the log.
        proj_log_level(context, PJ_LOG_NONE)
        log.messages.removeAll()
        self.context = context
        self.log = log
        self.source = from
        self.target = to
    }

    deinit {
        proj_destroy(operation)
        proj_context_destroy(context)
    }

    /// Source → target. O(1).
    public func forward(_ p: Position) -> Position { transform(p, PJ_FWD) }
    /// Source → target for many positions in one PROJ call (`proj_trans_generic`). O(n).
    public func forward(_ ps: [Position]) -> [Position] { transform(ps, PJ_FWD) }
    /// Target → source. O(1).
    public func inverse(_ p: Position) -> Position { transform(p, PJ_INV) }
    /// Target → source for many positions. O(n).
    public func inverse(_ ps: [Position]) -> [Position] { transform(ps, PJ_INV) }

    private func transform(_ p: Position, _ direction: PJ_DIRECTION) -> Position {
        // t = HUGE_VAL: no observation epoch, as cs2cs does by default.
        let out = proj_trans(operation, direction, proj_coord(p.x, p.y, 0, .infinity))
        proj_errno_reset(operation)
        return Position(out.xyzt.x, out.xyzt.y, p.z)
    }

    private func transform(_ ps: [Position], _ direction: PJ_DIRECTION) -> [Position] {
        guard !ps.isEmpty else { return [] }
        var xs = ps.map(\.x), ys = ps.map(\.y)
        let stride = MemoryLayout<Double>.stride
        xs.withUnsafeMutableBufferPointer { x in
            ys.withUnsafeMutableBufferPointer { y in
                _ = proj_trans_generic(operation, direction,
                                       x.baseAddress, stride, x.count,
                                       y.baseAddress, stride, y.count,
                                       nil, 0, 0, nil, 0, 0)
            }
        }
        proj_errno_reset(operation)
        return ps.indices.map { Position(xs[$0], ys[$0], ps[$0].z) }
    }

    private static func createCRS(_ definition: String, role: String, context: OpaquePointer,
                                  log: ProjLog) throws -> OpaquePointer {
        var text = definition.trimmingSpaces
        if text.hasPrefix("+proj="), !text.contains("+type=crs") { text += " +type=crs" }
        log.messages.removeAll()
        guard !text.isEmpty, let crs = proj_create(context, text) else {
            if proj_context_get_database_path(context) == nil
                || log.messages.contains(where: { $0.contains("proj.db") }) {
                let env = environmentValue("PROJ_DATA") ?? environmentValue("PROJ_LIB")
                throw ProjectionError(kind: .databaseNotFound, message:
                    "PROJ: cannot find its database proj.db (PROJ_DATA is "
                    + (env.map { "'\($0)'" } ?? "not set")
                    + "); install the Debian package proj-data (apt-get install proj-data) or set PROJ_DATA to the directory that holds proj.db")
            }
            throw ProjectionError(kind: .unknownCRS,
                message: "PROJ: unknown \(role) CRS '\(definition)'\(log.suffix)")
        }
        guard proj_is_crs(crs) != 0 else {
            proj_destroy(crs)
            throw ProjectionError(kind: .unknownCRS,
                message: "PROJ: \(role) '\(definition)' is not a coordinate reference system")
        }
        return crs
    }
}

/// Collects PROJ's log messages for one context (PROJ calls back on the calling thread).
final class ProjLog {
    var messages: [String] = []
    /// ": <last message>" or "".
    var suffix: String { messages.last.map { ": \($0)" } ?? "" }
}

private let projLogHandler: @convention(c) (UnsafeMutableRawPointer?, Int32, UnsafePointer<CChar>?) -> Void = {
    data, _, message in
    guard let data, let message else { return }
    let log = Unmanaged<ProjLog>.fromOpaque(data).takeUnretainedValue()
    log.messages.append(String(cString: message))
}

private func environmentValue(_ name: String) -> String? {
    guard let value = getenv(name) else { return nil }
    return String(cString: value)
}

extension String {
    fileprivate var trimmingSpaces: String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return String(s)
    }
}
