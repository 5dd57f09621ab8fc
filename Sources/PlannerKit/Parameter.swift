import GeoCore

/// A Swift type a parameter's value can have, and how it travels in the manifest's JSON:
/// `Double` (number), `Int` (integer), `Bool` (boolean), `String` (string), an enum of
/// `String` raw values (`ParameterChoice`), or any of these as an `Optional` for a
/// parameter without a default (nil when the user does not give it).
public protocol ParameterValue: Sendable {
    /// The manifest kind of a parameter of this type.
    static var parameterKind: ParameterSpec.Kind { get }
    /// The allowed values of an enum parameter; empty for the others.
    static var parameterChoices: [String] { get }
    /// The value as the manifest and the parsed arguments carry it.
    var parameterJSON: JSONValue { get }
    /// The value from parsed arguments (`.null` when not given and without default), or
    /// nil when the JSON does not hold this type.
    init?(parameterJSON: JSONValue)
}

extension ParameterValue {
    public static var parameterChoices: [String] { [] }
}

extension Double: ParameterValue {
    public static var parameterKind: ParameterSpec.Kind { .number }
    public var parameterJSON: JSONValue { .number(self) }
    public init?(parameterJSON: JSONValue) {
        guard let value = parameterJSON.doubleValue else { return nil }
        self = value
    }
}

extension Int: ParameterValue {
    public static var parameterKind: ParameterSpec.Kind { .integer }
    public var parameterJSON: JSONValue { .number(Double(self)) }
    public init?(parameterJSON: JSONValue) {
        guard let value = parameterJSON.intValue else { return nil }
        self = value
    }
}

extension Bool: ParameterValue {
    public static var parameterKind: ParameterSpec.Kind { .boolean }
    public var parameterJSON: JSONValue { .bool(self) }
    public init?(parameterJSON: JSONValue) {
        guard let value = parameterJSON.boolValue else { return nil }
        self = value
    }
}

extension String: ParameterValue {
    public static var parameterKind: ParameterSpec.Kind { .string }
    public var parameterJSON: JSONValue { .string(self) }
    public init?(parameterJSON: JSONValue) {
        guard let value = parameterJSON.stringValue else { return nil }
        self = value
    }
}

/// A parameter without a default: nil when not given.
extension Optional: ParameterValue where Wrapped: ParameterValue {
    public static var parameterKind: ParameterSpec.Kind { Wrapped.parameterKind }
    public static var parameterChoices: [String] { Wrapped.parameterChoices }
    public var parameterJSON: JSONValue { map(\.parameterJSON) ?? .null }
    public init?(parameterJSON: JSONValue) {
        if parameterJSON.isNull {
            self = .none
        } else if let value = Wrapped(parameterJSON: parameterJSON) {
            self = .some(value)
        } else {
            return nil
        }
    }
}

/// An enum parameter: a Swift enum whose `String` raw values are the manifest's choices,
/// in case order (`enum Select: String, ParameterChoice { case joint, greedy }`).
public protocol ParameterChoice: ParameterValue, RawRepresentable, CaseIterable where RawValue == String {}

extension ParameterChoice {
    public static var parameterKind: ParameterSpec.Kind { .enum }
    public static var parameterChoices: [String] { allCases.map(\.rawValue) }
    public var parameterJSON: JSONValue { .string(rawValue) }
    public init?(parameterJSON: JSONValue) {
        guard let text = parameterJSON.stringValue, let value = Self(rawValue: text) else { return nil }
        self = value
    }
}

/// What every parameter declaration has, whatever its value type: the manifest entry it
/// stands for. A planner lists its declarations in order (`static let all`), and the
/// manifest's `parameters` is that list's specs.
public protocol ParameterDeclaration: Sendable {
    var spec: ParameterSpec { get }
}

extension ParameterDeclaration {
    /// The snake_case name in the manifest and the protocol (`min_separation_km`).
    public var name: String { spec.name }
    /// The command-line flag, for messages (`--min-separation-km`).
    public var flag: String { flagDisplayName(spec.name) }
}

/// One parameter, declared once: name, kind (from `Value`), unit, default, bounds,
/// choices and help. The manifest entry is derived from it, and a planner reads the value
/// with `parameters[declaration]`, so a misspelt name does not compile.
///
/// ```swift
/// enum CableParameter {
///     static let snapKm = Parameter<Double>("snap_km", unit: "km", default: 10, in: 0...200,
///                                           help: "A landing on land moves to the nearest shore within this distance")
///     static let all: [any ParameterDeclaration] = [snapKm, …]
/// }
/// let snap = parameters[CableParameter.snapKm]   // Double
/// ```
public struct Parameter<Value: ParameterValue>: ParameterDeclaration {
    public let spec: ParameterSpec
    /// The value when the user does not give one (nil for a parameter without default,
    /// whose `Value` is then an `Optional`).
    public let defaultValue: Value?

    init(name: String, help: String, unit: String?, defaultValue: Value?, minimum: Double?, maximum: Double?) {
        precondition(!name.isEmpty && name.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "_" },
                     "parameter names are snake_case: \(name)")
        let json = defaultValue.map(\.parameterJSON).flatMap { $0.isNull ? nil : $0 }
        spec = ParameterSpec(name: name, kind: Value.parameterKind, description: help, unit: unit,
                             defaultValue: json, minimum: minimum, maximum: maximum,
                             choices: Value.parameterChoices)
        self.defaultValue = defaultValue
    }
}

extension Parameter where Value == Double {
    /// A number with a default, e.g. `Parameter<Double>("snap_km", unit: "km", default: 10, in: 0...200, help: …)`.
    public init(_ name: String, unit: String? = nil, default value: Double, in bounds: ClosedRange<Double>? = nil,
                help: String) {
        self.init(name: name, help: help, unit: unit, defaultValue: value,
                  minimum: bounds?.lowerBound, maximum: bounds?.upperBound)
    }
}

extension Parameter where Value == Double? {
    /// A number without a default: nil when not given.
    public init(_ name: String, unit: String? = nil, in bounds: ClosedRange<Double>? = nil, help: String) {
        self.init(name: name, help: help, unit: unit, defaultValue: nil,
                  minimum: bounds?.lowerBound, maximum: bounds?.upperBound)
    }
}

extension Parameter where Value == Int {
    /// An integer with a default.
    public init(_ name: String, unit: String? = nil, default value: Int, in bounds: ClosedRange<Double>? = nil,
                help: String) {
        self.init(name: name, help: help, unit: unit, defaultValue: value,
                  minimum: bounds?.lowerBound, maximum: bounds?.upperBound)
    }
}

extension Parameter where Value == Bool {
    /// A switch: `--NAME` / `--no-NAME`.
    public init(_ name: String, default value: Bool, help: String) {
        self.init(name: name, help: help, unit: nil, defaultValue: value, minimum: nil, maximum: nil)
    }
}

extension Parameter where Value == String {
    /// Text with a default.
    public init(_ name: String, default value: String, help: String) {
        self.init(name: name, help: help, unit: nil, defaultValue: value, minimum: nil, maximum: nil)
    }
}

extension Parameter where Value == String? {
    /// Text without a default: nil when not given.
    public init(_ name: String, help: String) {
        self.init(name: name, help: help, unit: nil, defaultValue: nil, minimum: nil, maximum: nil)
    }
}

extension Parameter where Value: ParameterChoice {
    /// One of an enum's cases, by raw value; the cases are the choices, in order.
    public init(_ name: String, default value: Value, help: String) {
        self.init(name: name, help: help, unit: nil, defaultValue: value, minimum: nil, maximum: nil)
    }
}

extension PlannerParameters {
    /// The value of a declared parameter: the one given, else its default (nil for a
    /// parameter without default that was not given). The arguments were checked against
    /// the manifest, so a value of another type means the declaration is missing from the
    /// planner's manifest: a programming error.
    public subscript<Value>(_ parameter: Parameter<Value>) -> Value {
        let json = values[parameter.name] ?? parameter.defaultValue?.parameterJSON ?? .null
        guard let value = Value(parameterJSON: json) else {
            preconditionFailure("parameter \(parameter.name) is not a \(Value.parameterKind.rawValue) in this planner's manifest")
        }
        return value
    }

    /// Whether the user gave the parameter (as opposed to its default applying).
    public func isSet(_ parameter: some ParameterDeclaration) -> Bool {
        explicitlySet.contains(parameter.name)
    }
}

extension OutputSpec {
    /// An output selected by a boolean parameter (see `when`).
    public init(format: Format = .geojson, roles: [String: [String]] = [:], description: String = "",
                when parameter: Parameter<Bool>) {
        self.init(format: format, roles: roles, description: description, when: parameter.name)
    }
}

extension Manifest {
    /// A manifest whose parameters are the planner's declarations, in order.
    public init(name: String, version: String, summary: String, description: String = "",
                inputs: [InputSpec] = [], parameters: [any ParameterDeclaration],
                outputs: [OutputSpec] = [], examples: [String] = []) {
        self.init(name: name, version: version, summary: summary, description: description, inputs: inputs,
                  parameters: parameters.map(\.spec), outputs: outputs, examples: examples)
    }
}
