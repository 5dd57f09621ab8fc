import GeoCore

/// A planner: a manifest that describes it and a `run` that turns inputs and parameters
/// into features. `PlannerMain.run(MyPlanner.self)` makes it a protocol-speaking
/// executable (`describe`, `run`, `--help`); see docs/plugin-protocol.md.
///
/// Implement one of the two `run` methods: the one with a `context` when the planner needs
/// to know where its output goes (a renderer choosing SVG for `-o map.svg`) or how it was
/// invoked; the shorter one otherwise.
public protocol Planner: Sendable {
    /// The manifest printed by `describe`; help text and validation come from it.
    static var manifest: Manifest { get }
    init()
    /// Plans. Throw `PlannerError` for anything the user can fix (it names what and where).
    func run(_ inputs: PlannerInputs, _ parameters: PlannerParameters, context: PlannerContext,
             progress: ProgressReporter) async throws -> PlannerOutput
    /// Plans without the context.
    func run(_ inputs: PlannerInputs, _ parameters: PlannerParameters,
             progress: ProgressReporter) async throws -> PlannerOutput
}

extension Planner {
    public func run(_ inputs: PlannerInputs, _ parameters: PlannerParameters, context: PlannerContext,
                    progress: ProgressReporter) async throws -> PlannerOutput {
        try await run(inputs, parameters, progress: progress)
    }

    public func run(_ inputs: PlannerInputs, _ parameters: PlannerParameters,
                    progress: ProgressReporter) async throws -> PlannerOutput {
        throw PlannerError(.software, "\(Self.self) implements neither run method of Planner")
    }
}

/// How a planner was invoked, beyond its parameters.
public struct PlannerContext: Sendable, Equatable {
    /// Where the output goes: the `-o`/`--output` path, or the path a host will write the
    /// planner's stdout to (`WATTBIT_OUTPUT_PATH`); nil for stdout.
    public var outputPath: String?
    /// `--format`: a FeatureCollection or an RFC 8142 sequence.
    public var format: GeoJSONFormat
    /// The executable's name, `wattbit-NAME`, for messages.
    public var programName: String
    /// How the user ran it, `wattbit NAME` under the host, else the program name (for help).
    public var command: String

    public init(outputPath: String? = nil, format: GeoJSONFormat = .featureCollection,
                programName: String, command: String? = nil) {
        self.outputPath = outputPath
        self.format = format
        self.programName = programName
        self.command = command ?? programName
    }
}
