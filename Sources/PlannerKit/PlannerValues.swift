import Foundation
import GeoCore

/// Parameter values after parsing and validation against the manifest: every declared
/// parameter has a value (given or default) of its declared kind, within its bounds.
/// Planners read them through their typed declarations (`parameters[CableParameter.snapKm]`,
/// see `Parameter`); the string-keyed accessors are PlannerKit's own, for the host side
/// that works from a manifest rather than declarations.
public struct PlannerParameters: Sendable {
    private(set) var values: [String: JSONValue]
    /// Names the user gave explicitly (as opposed to defaults).
    private(set) var explicitlySet: Set<String>

    init(values: [String: JSONValue], explicitlySet: Set<String> = []) {
        self.values = values
        self.explicitlySet = explicitlySet
    }

    /// Whether a parameter, by manifest name, has a value of a kind (for the host side,
    /// which knows a manifest but no declarations).
    func bool(_ name: String) -> Bool {
        guard let value = values[name]?.boolValue else { preconditionFailure("parameter \(name) is not a boolean") }
        return value
    }
    func isSet(_ name: String) -> Bool { explicitlySet.contains(name) }
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
///
/// Modes: `auto` = a bar when stderr is a terminal, else no progress; `bar` = always a bar;
/// `json` = one JSON object per line (`{"progress":0.42,"stage":"search"}`,
/// `{"warning":"…"}`, `{"info":"…"}`, `{"summary":"…"}`); `none` = no progress and no
/// info lines. Warnings are printed in every mode: they are about the answer.
public final class ProgressReporter: Sendable {
    public enum Mode: String, Sendable { case auto, json, none, bar }
    public let mode: Mode
    /// Prefix of plain-text lines, e.g. "wattbit-cable".
    public let programName: String
    private let output: ProgressOutput

    public convenience init(mode: Mode) {
        self.init(mode: mode, programName: ProgressReporter.defaultProgramName)
    }

    public init(mode: Mode, programName: String) {
        self.mode = mode
        self.programName = programName
        let resolved: ProgressOutput.Style
        switch mode {
        case .auto: resolved = SystemIO.isTerminal(2) ? .bar : .quiet
        case .bar: resolved = .bar
        case .json: resolved = .json
        case .none: resolved = .silent
        }
        output = ProgressOutput(style: resolved)
    }

    public static let silent = ProgressReporter(mode: .none)

    static var defaultProgramName: String {
        let path = CommandLine.arguments.first ?? "wattbit"
        return path.split(separator: "/").last.map(String.init) ?? path
    }

    /// The callback form engines take (they do not depend on PlannerKit).
    public var callback: ProgressCallback {
        { [self] fraction, stage in self.update(fraction, stage: stage) }
    }

    /// The callback for one stage of a run that spans `range` of the whole: the stage's own
    /// 0…1 maps onto the range, so a run of several stages never moves the bar backwards.
    public func callback(within range: ClosedRange<Double>) -> ProgressCallback {
        let lower = range.lowerBound, width = range.upperBound - range.lowerBound
        return { [self] fraction, stage in
            self.update(lower + width * (fraction.isFinite ? min(max(fraction, 0), 1) : 0), stage: stage)
        }
    }

    /// Reports that `fraction` (0…1) of the work is done, in `stage`. Cheap to call often:
    /// output is throttled (a bar redraws at most every 0.1 s, JSON lines per 1 %).
    public func update(_ fraction: Double, stage: String) {
        output.progress(fraction.isFinite ? min(max(fraction, 0), 1) : 0, stage: stage)
    }

    /// Something the user should know about the answer ("3 sites have no route").
    public func warning(_ message: String) {
        output.message(kind: "warning", text: message, plain: "\(programName): warning: \(message)", always: true)
    }

    /// A human message for stderr; not shown with `--progress none`.
    public func info(_ message: String) {
        output.message(kind: "info", text: message, plain: "\(programName): \(message)", always: false)
    }

    /// The planner's closing summary, printed after the output was delivered.
    public func summary(_ message: String) {
        output.message(kind: "summary", text: message, plain: message, always: false)
    }

    /// The error line of a failed run: plain text, or `{"error":…,"exit_code":N}` in JSON mode.
    public func error(_ message: String, code: PlannerExitCode) {
        output.error(message, code: code, plain: "\(programName): error: \(message)")
    }

    /// Clears a progress bar (call before the process prints anything else or exits).
    public func finish() { output.clearBar() }
}

/// The mutable side of a ProgressReporter, behind a lock.
final class ProgressOutput: @unchecked Sendable {
    enum Style { case bar, json, quiet, silent }
    let style: Style
    private let lock = NSLock()
    private var lastStage = ""
    private var lastFraction = -1.0
    private var lastDrawNanos: UInt64 = 0
    private var barVisible = false

    init(style: Style) { self.style = style }

    func progress(_ fraction: Double, stage: String) {
        lock.lock()
        defer { lock.unlock() }
        switch style {
        case .quiet, .silent: return
        case .json:
            guard stage != lastStage || fraction - lastFraction >= 0.01 || (fraction == 1 && lastFraction != 1) else { return }
            lastStage = stage
            lastFraction = fraction
            let rounded = (fraction * 1000).rounded() / 1000
            let line: JSONValue = ["progress": .number(rounded), "stage": .string(stage)]
            SystemIO.writeAll(fd: 2, JSONText.encode(line) + [0x0A])
        case .bar:
            let now = DispatchTime.now().uptimeNanoseconds
            let percent = Int(fraction * 100)
            guard stage != lastStage || (percent != Int(lastFraction * 100) && now - lastDrawNanos > 100_000_000)
                    || (fraction == 1 && lastFraction != 1) else { return }
            lastStage = stage
            lastFraction = fraction
            lastDrawNanos = now
            let width = 30
            let filled = Int((fraction * Double(width)).rounded(.down))
            let bar = String(repeating: "=", count: filled) + (filled < width ? ">" : "")
                + String(repeating: " ", count: max(0, width - filled - 1))
            let percentText = String(percent)
            let padded = String(repeating: " ", count: max(0, 3 - percentText.count)) + percentText
            let text = "\r\u{1B}[2K[\(bar)] \(padded)% \(stage)"
            SystemIO.writeAll(fd: 2, Array(text.utf8))
            barVisible = true
        }
    }

    func message(kind: String, text: String, plain: String, always: Bool) {
        lock.lock()
        defer { lock.unlock() }
        switch style {
        case .json:
            let line: JSONValue = .object(JSONObject([JSONObject.Member(key: kind, value: .string(text))]))
            SystemIO.writeAll(fd: 2, JSONText.encode(line) + [0x0A])
        case .silent where !always:
            return
        default:
            clearBarLocked()
            SystemIO.writeError(plain)
        }
    }

    func error(_ message: String, code: PlannerExitCode, plain: String) {
        lock.lock()
        defer { lock.unlock() }
        if style == .json {
            let line: JSONValue = ["error": .string(message), "exit_code": .number(Double(code.rawValue))]
            SystemIO.writeAll(fd: 2, JSONText.encode(line) + [0x0A])
        } else {
            clearBarLocked()
            SystemIO.writeError(plain)
        }
    }

    func clearBar() {
        lock.lock()
        defer { lock.unlock() }
        clearBarLocked()
    }

    private func clearBarLocked() {
        guard barVisible else { return }
        SystemIO.writeAll(fd: 2, Array("\r\u{1B}[2K".utf8))
        barVisible = false
    }
}
