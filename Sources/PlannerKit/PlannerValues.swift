import Foundation
import GeoCore

/// Parameter values after parsing and validation against the manifest: every declared
/// parameter has a value (given or default) of its declared kind, within its bounds.
/// Asking for an undeclared name or the wrong kind is a programming error in the planner.
public struct PlannerParameters: Sendable {
    public private(set) var values: [String: JSONValue]
    /// Names the user gave explicitly (as opposed to defaults).
    public private(set) var explicitlySet: Set<String>

    public init(values: [String: JSONValue], explicitlySet: Set<String> = []) {
        self.values = values
        self.explicitlySet = explicitlySet
    }

    public func double(_ name: String) -> Double {
        guard let value = values[name]?.doubleValue else { preconditionFailure("parameter \(name) is not a number") }
        return value
    }
    public func int(_ name: String) -> Int {
        guard let value = values[name]?.intValue else { preconditionFailure("parameter \(name) is not an integer") }
        return value
    }
    public func bool(_ name: String) -> Bool {
        guard let value = values[name]?.boolValue else { preconditionFailure("parameter \(name) is not a boolean") }
        return value
    }
    /// A string or enum parameter; nil when it has no default and was not given.
    public func string(_ name: String) -> String? { values[name]?.stringValue }
    /// An optional number parameter without default; nil when not given.
    public func optionalDouble(_ name: String) -> Double? { values[name]?.doubleValue }
    public func isSet(_ name: String) -> Bool { explicitlySet.contains(name) }
}

/// The input files given on the command line (`--NAME FILE`, `-` = stdin), checked
/// against the manifest's input specs when loaded. Loading errors are `PlannerError`s that
/// name the file (66 when it is missing, 65 when its content is wrong).
public struct PlannerInputs: Sendable {
    /// Paths per input name in command-line order ("-" for stdin).
    public private(set) var paths: [String: [String]]
    public let specs: [InputSpec]

    public init(paths: [String: [String]], specs: [InputSpec]) {
        self.paths = paths
        self.specs = specs
    }

    public func isProvided(_ name: String) -> Bool { !(paths[name] ?? []).isEmpty }
    /// The first path given for an input, if any.
    public func path(_ name: String) -> String? { paths[name]?.first }
}

/// Progress and messages for stderr: a bar on a TTY, JSON lines with `--progress json`,
/// nothing when stderr is piped. Never writes to stdout.
public final class ProgressReporter: Sendable {
    public enum Mode: String, Sendable { case auto, json, none, bar }
    public let mode: Mode

    public init(mode: Mode) { self.mode = mode }
    public static let silent = ProgressReporter(mode: .none)

    /// The callback form engines take (they do not depend on PlannerKit).
    public var callback: ProgressCallback {
        { [self] fraction, stage in self.update(fraction, stage: stage) }
    }

    public func update(_ fraction: Double, stage: String) {}
    public func warning(_ message: String) {}
    public func info(_ message: String) {}
}
