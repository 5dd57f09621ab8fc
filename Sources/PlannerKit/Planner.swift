import GeoCore

/// A planner: a manifest that describes it and a `run` that turns inputs and parameters
/// into features. `PlannerMain.run(MyPlanner.self)` makes it a protocol-speaking
/// executable (`describe`, `run`, `--help`); see docs/plugin-protocol.md.
public protocol Planner: Sendable {
    /// The manifest printed by `describe`; help text and validation come from it.
    static var manifest: Manifest { get }
    init()
    /// Plans. Throw `PlannerError` for anything the user can fix (it names what and where).
    func run(_ inputs: PlannerInputs, _ parameters: PlannerParameters,
             progress: ProgressReporter) async throws -> PlannerOutput
}
