/// A mixed-integer linear programme as a plain value: variables with bounds, objective
/// coefficients and integrality, and linear constraints stored row by row.
///
/// Building a model does no solver work and holds no C resources; `MixedIntegerSolver`
/// hands it to COIN-OR CBC when asked to solve. Building is O(non-zeros).
public struct LinearModel: Sendable {
    public enum Direction: Sendable { case minimise, maximise }
    public enum Relation: Sendable { case lessOrEqual, greaterOrEqual, equal }

    /// A column of the model; only meaningful for the model that made it.
    public struct Variable: Hashable, Sendable {
        public let index: Int
    }

    public var direction: Direction
    var lower: [Double] = []
    var upper: [Double] = []
    var cost: [Double] = []
    var integer: [Bool] = []
    var names: [String?] = []
    // Rows in compressed sparse row form.
    var rowStart: [Int] = [0]
    var rowColumn: [Int32] = []
    var rowValue: [Double] = []
    var rowLower: [Double] = []
    var rowUpper: [Double] = []

    public init(_ direction: Direction) { self.direction = direction }

    public var variableCount: Int { cost.count }
    public var constraintCount: Int { rowLower.count }
    public var nonZeroCount: Int { rowValue.count }

    /// Adds a column. Bounds may be infinite; `integer` makes it an integer column.
    public mutating func addVariable(lower: Double = 0, upper: Double = .infinity, objective: Double = 0,
                                     integer: Bool = false, name: String? = nil) -> Variable {
        self.lower.append(lower)
        self.upper.append(upper)
        cost.append(objective)
        self.integer.append(integer)
        names.append(name)
        return Variable(index: cost.count - 1)
    }

    /// A 0–1 column.
    public mutating func addBinary(objective: Double = 0, name: String? = nil) -> Variable {
        addVariable(lower: 0, upper: 1, objective: objective, integer: true, name: name)
    }

    public mutating func setObjective(_ v: Variable, _ coefficient: Double) { cost[v.index] = coefficient }
    public func objectiveCoefficient(_ v: Variable) -> Double { cost[v.index] }

    /// Replaces the whole objective by Σ coefficient × variable (repeats are summed).
    public mutating func replaceObjective(_ direction: Direction, _ terms: [(Variable, Double)]) {
        self.direction = direction
        cost = Array(repeating: 0, count: cost.count)
        for (v, a) in terms { cost[v.index] += a }
    }

    /// Adds Σ coefficient × variable (relation) rhs. Repeated variables are summed by the solver.
    public mutating func addConstraint(_ terms: [(Variable, Double)], _ relation: Relation, _ rhs: Double) {
        for (v, a) in terms where a != 0 {
            rowColumn.append(Int32(v.index))
            rowValue.append(a)
        }
        rowStart.append(rowValue.count)
        switch relation {
        case .lessOrEqual: rowLower.append(-.infinity); rowUpper.append(rhs)
        case .greaterOrEqual: rowLower.append(rhs); rowUpper.append(.infinity)
        case .equal: rowLower.append(rhs); rowUpper.append(rhs)
        }
    }

    /// The same model with every integer column made continuous (its LP relaxation).
    public var relaxation: LinearModel {
        var copy = self
        copy.integer = Array(repeating: false, count: integer.count)
        return copy
    }

    /// Objective value of an assignment (one value per column).
    public func objectiveValue(_ values: [Double]) -> Double {
        var total = 0.0
        for (k, c) in cost.enumerated() where c != 0 { total += c * values[k] }
        return total
    }

    /// Largest bound or row violation of an assignment (0 when feasible); integrality is
    /// checked to `integrality`. For tests and for checking a start before it is offered.
    public func violation(_ values: [Double], integrality: Double = 1e-6) -> Double {
        var worst = 0.0
        for k in 0..<variableCount {
            worst = max(worst, lower[k] - values[k], values[k] - upper[k])
            if integer[k] { worst = max(worst, abs(values[k] - values[k].rounded()) - integrality) }
        }
        for r in 0..<constraintCount {
            var activity = 0.0
            for e in rowStart[r]..<rowStart[r + 1] { activity += rowValue[e] * values[Int(rowColumn[e])] }
            worst = max(worst, rowLower[r] - activity, activity - rowUpper[r])
        }
        return max(0, worst)
    }
}
