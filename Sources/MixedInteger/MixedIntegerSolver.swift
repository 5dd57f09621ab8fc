import CCBC
import Foundation

/// Why a solve stopped, in the words a report uses.
public enum SolveStatus: String, Sendable {
    /// Proven optimal (to the requested relative gap, 1e-9 by default).
    case optimal
    /// A solution is known and the bound proves how far it may be from the optimum, but the
    /// time or node limit came first.
    case feasible
    /// Proven to have no solution.
    case infeasible
    /// The limit came before any solution was found; only the bound is known.
    case timeLimited = "time-limited"
    /// The LP relaxation is unbounded (a modelling error in the caller).
    case unbounded
    /// The solver gave up on numerical difficulties.
    case abandoned
}

/// When to stop. CBC stops at whichever comes first.
public struct SolveLimits: Sendable {
    /// Limit for branch and bound in CPU seconds (CBC's own clock). Preprocessing and the
    /// root cut loop are not interrupted, so a hard model can overrun it several times.
    public var timeSeconds: Double
    /// Stop when |objective − bound| ≤ relativeGap × |objective|.
    public var relativeGap: Double
    /// Stop when |objective − bound| ≤ absoluteGap (e.g. < 1 for an integer objective).
    public var absoluteGap: Double
    public var maxNodes: Int?
    /// Branch and bound on the LP relaxation only: no preprocessing, no cut generators, no
    /// primal heuristics. For many small models solved under a node limit (the hub repair's
    /// windows), where CBC's root work — which no limit interrupts — would cost more than the
    /// search, and the work done is then bounded by the node limit alone.
    public var plainBranchAndBound: Bool

    public init(timeSeconds: Double = 60, relativeGap: Double = 1e-9, absoluteGap: Double = 1e-9, maxNodes: Int? = nil,
                plainBranchAndBound: Bool = false) {
        self.timeSeconds = timeSeconds
        self.relativeGap = relativeGap
        self.absoluteGap = absoluteGap
        self.maxNodes = maxNodes
        self.plainBranchAndBound = plainBranchAndBound
    }
}

/// The answer to one solve: status, the best solution found, its objective, the proven bound
/// and the gap between them.
public struct Solution: Sendable {
    public var status: SolveStatus
    /// One value per column of the model; empty when no solution is known.
    public var values: [Double]
    /// Objective of `values`, nil without a solution.
    public var objective: Double?
    /// Proven bound on the optimum: no solution is better than this (an upper bound when
    /// maximising, a lower bound when minimising). Equals `objective` when optimal.
    public var bound: Double
    /// |objective − bound| / max(|objective|, 1e-9): the optimum is within this fraction of
    /// `objective`. 0 when optimal, nil without a solution.
    public var gap: Double?
    public var nodes: Int
    public var seconds: Double

    public init(status: SolveStatus, values: [Double], objective: Double?, bound: Double, gap: Double?,
                nodes: Int, seconds: Double) {
        self.status = status
        self.values = values
        self.objective = objective
        self.bound = bound
        self.gap = gap
        self.nodes = nodes
        self.seconds = seconds
    }

    public var hasSolution: Bool { !values.isEmpty }
    public func value(_ v: LinearModel.Variable) -> Double { values[v.index] }
    /// A 0–1 or integer column read as on (≥ 0.5).
    public func isSet(_ v: LinearModel.Variable) -> Bool { values[v.index] > 0.5 }

    static func gap(objective: Double, bound: Double) -> Double {
        let difference = abs(objective - bound)
        if difference <= 1e-9 * max(1, abs(objective)) { return 0 }
        return difference / max(abs(objective), 1e-9)
    }
}

public struct MixedIntegerError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}

/// Solves `LinearModel`s with COIN-OR CBC 2.10 (Forrest, Ralphs et al., COIN-OR Branch and
/// Cut, https://github.com/coin-or/Cbc, EPL-2.0): LP relaxations by Clp's dual simplex,
/// Cgl cutting planes (Gomory, mixed-integer rounding, knapsack covers, clique),
/// primal heuristics, then branch and bound.
///
/// Why CBC: Debian 12 packages it with a C interface and pkg-config (`coinor-libcbc-dev`,
/// `cbc`). HiGHS, the faster open MIP solver (Huangfu & Hall 2018), is not packaged for
/// Debian 12; GLPK 5.0 is, but its branch and bound has no general cutting-plane loop and
/// is several times slower than CBC on the covering and assignment models used here
/// (Mittelmann's MIPLIB benchmarks), so CBC is the better fit.
///
/// CBC keeps process-wide state in its command-line driver (`CbcMain1`), so solves are
/// serialised through one lock; a solve is single-threaded and runs in a child process
/// (`IsolatedSolve`), so a fault inside CBC is an error the caller recovers from.
public enum MixedIntegerSolver {
    private static let solveLock = NSLock()

    /// CBC's version string, e.g. "2.10.8" ("unavailable" when CBC cannot be loaded).
    public static var version: String {
        (try? CBCLibrary.loaded.get()).flatMap { $0.Cbc_getVersion() }.map { String(cString: $0) } ?? "unavailable"
    }

    /// Solves the model. `start` is an optional feasible assignment (one value per column)
    /// handed to CBC as its first incumbent, so a limited solve is never worse than it.
    /// Cost: exponential in the worst case; bounded by `limits`.
    public static func solve(_ model: LinearModel, limits: SolveLimits = SolveLimits(),
                             start: [Double]? = nil) throws -> Solution {
        guard model.variableCount > 0 else {
            return Solution(status: .optimal, values: [], objective: 0, bound: 0, gap: 0, nodes: 0, seconds: 0)
        }
        guard model.variableCount < Int(Int32.max), model.nonZeroCount < Int(Int32.max) else {
            throw MixedIntegerError(message: "model too large for CBC (\(model.variableCount) columns, \(model.nonZeroCount) non-zeros)")
        }
        for k in 0..<model.variableCount where !(model.cost[k].isFinite && model.lower[k] <= model.upper[k]) {
            throw MixedIntegerError(message: "column \(model.names[k] ?? String(k)): non-finite objective or empty bounds")
        }
        for r in 0..<model.constraintCount where model.rowLower[r].isNaN || model.rowUpper[r].isNaN {
            throw MixedIntegerError(message: "row \(r): right-hand side is not a number")
        }
        let cbc = try CBCLibrary.loaded.get()
        solveLock.lock()
        defer { solveLock.unlock() }
        let handle = try CBCModelHandle(cbc)
        handle.load(model)
        handle.configure(limits)
        if let start, start.count == model.variableCount, model.violation(start) <= 1e-6 {
            handle.setStart(start)
        }
        // In a child process, so that a fault inside CBC is an error, not the end of the
        // planner (`IsolatedSolve`); in this process only when no child can be started.
        switch IsolatedSolve.run(handle, model: model, limits: limits) {
        case .success(let solution)?: return solution
        case .failure(let error)?: throw error
        case nil: break
        }
        let clock = ContinuousClock()
        let began = clock.now
        handle.solve()
        let elapsed = began.duration(to: clock.now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        return handle.solution(model: model, limits: limits, seconds: seconds)
    }
}

/// CBC's C interface, loaded at the first solve (`Sources/CCBC/shim.h` says why).
enum CBCLibrary {
    /// The function table, or why CBC cannot be used (the callers then keep their
    /// heuristic answers, as after any solver failure).
    static let loaded: Result<WattBitCBC, MixedIntegerError> = {
        // One BLAS thread: the LP solves here are small, and OpenBLAS's extra threads
        // busy-wait. OpenBLAS reads this once, when it is loaded; a user's own setting wins.
        setenv("OPENBLAS_NUM_THREADS", "1", 0)
        let table = UnsafeMutablePointer<WattBitCBC>.allocate(capacity: 1)
        defer { table.deallocate() }
        UnsafeMutableRawPointer(table).initializeMemory(as: UInt8.self, repeating: 0, count: MemoryLayout<WattBitCBC>.size)
        if let failure = wattbit_cbc_load(table) {
            return .failure(MixedIntegerError(message: "the CBC solver library cannot be loaded (\(String(cString: failure))); "
                                              + "install coinor-libcbc-dev (tools/setup does)"))
        }
        return .success(table.pointee)
    }()
}

/// Owns one `Cbc_Model`. Freed in deinit; used by one thread at a time (under the solve
/// lock), never stored beyond one solve, never public.
final class CBCModelHandle {
    let cbc: WattBitCBC
    let pointer: UnsafeMutableRawPointer

    init(_ cbc: WattBitCBC) throws {
        guard let p = cbc.Cbc_newModel() else { throw MixedIntegerError(message: "CBC could not create a model (out of memory)") }
        self.cbc = cbc
        pointer = p
        cbc.Cbc_setLogLevel(pointer, 0)
    }

    deinit { cbc.Cbc_deleteModel(pointer) }

    /// Loads the model column-wise (CBC's native layout) in one call.
    func load(_ model: LinearModel) {
        let n = model.variableCount
        var count = Array(repeating: 0, count: n)
        for c in model.rowColumn { count[Int(c)] += 1 }
        var start = Array(repeating: CoinBigIndex(0), count: n + 1)
        for k in 0..<n { start[k + 1] = start[k] + CoinBigIndex(count[k]) }
        var fill = start.map { Int($0) }
        var index = Array(repeating: Int32(0), count: model.nonZeroCount)
        var value = Array(repeating: 0.0, count: model.nonZeroCount)
        for r in 0..<model.constraintCount {
            for e in model.rowStart[r]..<model.rowStart[r + 1] {
                let c = Int(model.rowColumn[e])
                index[fill[c]] = Int32(r)
                value[fill[c]] = model.rowValue[e]
                fill[c] += 1
            }
        }
        // CBC reads ±COIN_DBL_MAX (DBL_MAX) as infinite.
        func finite(_ x: Double) -> Double { x == .infinity ? Double.greatestFiniteMagnitude : (x == -.infinity ? -Double.greatestFiniteMagnitude : x) }
        let collb = model.lower.map(finite), colub = model.upper.map(finite)
        let rowlb = model.rowLower.map(finite), rowub = model.rowUpper.map(finite)
        let obj = model.cost
        cbc.Cbc_loadProblem(pointer, Int32(n), Int32(model.constraintCount), start, index, value,
                        collb, colub, obj, rowlb, rowub)
        for k in 0..<n where model.integer[k] { cbc.Cbc_setInteger(pointer, Int32(k)) }
        cbc.Cbc_setObjSense(pointer, model.direction == .maximise ? -1 : 1)
    }

    func configure(_ limits: SolveLimits) {
        cbc.Cbc_setMaximumSeconds(pointer, max(0.01, limits.timeSeconds))
        cbc.Cbc_setAllowableFractionGap(pointer, max(0, limits.relativeGap))
        cbc.Cbc_setAllowableGap(pointer, max(0, limits.absoluteGap))
        if let nodes = limits.maxNodes { cbc.Cbc_setMaximumNodes(pointer, Int32(clamping: nodes)) }
        // The limits are the model's, which CBC's branch and bound observes; preprocessing and
        // the root cut loop may overrun them. Also handing the limit to CBC's driver
        // ("sec") or making it wall-clock ("timeMode elapsed") kept it more closely, but then
        // CBC 2.10.8 aborted (an assertion in OsiClpSolverInterface::resolve) or crashed in
        // Cgl when the limit struck mid-cut: a planner must not die, so neither is used.
        cbc.Cbc_setParameter(pointer, "log", "0")
        cbc.Cbc_setParameter(pointer, "slog", "0")
        if limits.plainBranchAndBound {
            cbc.Cbc_setParameter(pointer, "preprocess", "off")
            cbc.Cbc_setParameter(pointer, "cuts", "off")
            cbc.Cbc_setParameter(pointer, "heuristicsOnOff", "off")
        }
    }

    /// A full assignment as the first incumbent. (`Cbc_setMIPStartI` in CBC 2.10.8 looks
    /// up one column past the end by name and fails the solve, so it is not used.)
    func setStart(_ values: [Double]) {
        cbc.Cbc_setInitialSolution(pointer, values)
    }

    func solve() { _ = cbc.Cbc_solve(pointer) }

    func solution(model: LinearModel, limits: SolveLimits, seconds: Double) -> Solution {
        let n = model.variableCount
        let nodes = Int(cbc.Cbc_getNodeCount(pointer))
        let worst: Double = model.direction == .maximise ? .infinity : -.infinity
        if cbc.Cbc_isProvenInfeasible(pointer) != 0 {
            return Solution(status: .infeasible, values: [], objective: nil, bound: worst, gap: nil, nodes: nodes, seconds: seconds)
        }
        if cbc.Cbc_isContinuousUnbounded(pointer) != 0 {
            return Solution(status: .unbounded, values: [], objective: nil, bound: -worst, gap: nil, nodes: nodes, seconds: seconds)
        }
        var values: [Double] = []
        if let best = cbc.Cbc_bestSolution(pointer) {
            values = Array(UnsafeBufferPointer(start: best, count: n))
            // Integer columns come back with round-off; snap them so callers can compare.
            for k in 0..<n where model.integer[k] { values[k] = values[k].rounded() }
        }
        let hasLP = model.integer.allSatisfy { !$0 }
        if hasLP && values.isEmpty && cbc.Cbc_isProvenOptimal(pointer) != 0, let col = cbc.Cbc_getColSolution(pointer) {
            values = Array(UnsafeBufferPointer(start: col, count: n))
        }
        let objective = values.isEmpty ? nil : model.objectiveValue(values)
        var bound = cbc.Cbc_getBestPossibleObjValue(pointer)
        let proven = cbc.Cbc_isProvenOptimal(pointer) != 0
        if let objective {
            // A bound is never on the wrong side of a known solution (CBC may report the
            // root bound of a sub-problem slightly past it by round-off).
            bound = model.direction == .maximise ? max(bound, objective) : min(bound, objective)
            if !bound.isFinite { bound = model.direction == .maximise ? Double.infinity : -Double.infinity }
        } else if abs(bound) >= 1e300 {
            bound = model.direction == .maximise ? .infinity : -.infinity
        }
        if cbc.Cbc_isAbandoned(pointer) != 0 && objective == nil {
            return Solution(status: .abandoned, values: [], objective: nil, bound: bound, gap: nil, nodes: nodes, seconds: seconds)
        }
        guard let objective else {
            return Solution(status: .timeLimited, values: [], objective: nil, bound: bound, gap: nil, nodes: nodes, seconds: seconds)
        }
        let gap = Solution.gap(objective: objective, bound: bound)
        let withinTolerance = abs(objective - bound) <= max(limits.absoluteGap, limits.relativeGap * abs(objective)) + 1e-9
        let status: SolveStatus = (proven && !limitHit) || withinTolerance ? .optimal : .feasible
        return Solution(status: status, values: values, objective: objective, bound: bound, gap: gap, nodes: nodes, seconds: seconds)
    }

    /// Whether CBC stopped on a time, node or solution limit rather than by finishing.
    var limitHit: Bool {
        cbc.Cbc_isSecondsLimitReached(pointer) != 0 || cbc.Cbc_isNodeLimitReached(pointer) != 0
            || cbc.Cbc_isSolutionLimitReached(pointer) != 0
    }
}

@available(*, unavailable, message: "a CBC model is used by one thread at a time")
extension CBCModelHandle: Sendable {}
