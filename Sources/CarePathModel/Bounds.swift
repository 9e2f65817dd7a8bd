import Foundation

/// The numbers a model and a run may hold, stated once. Every reader (durations, distributions,
/// rates, whole numbers, cohort sizes, command-line options) and every model check asks here, so
/// that a value that validates can always be simulated: no time overflows a conversion, no rate
/// makes an endless gap between arrivals, no count exhausts memory. docs/simulation.md ("Bounds")
/// lists them for users.
///
/// ```swift
/// if let problem = Bounds.timeProblem(hours, what: "a horizon") { error(problem) }
/// ```
public enum Bounds {
    /// The longest time anything may take, in hours: a duration, a horizon, a warm-up, any value or
    /// mean of a duration distribution, and any single duration a run draws (1,000 years of 365.25
    /// days). A patient's clock therefore stays far inside what whole seconds in 64 bits can count.
    public static let maximumHours = 1_000 * 365.25 * 24

    /// Arrival rates, per hour: at least one patient in `maximumHours`, at most a million an hour.
    public static let minimumRatePerHour = 1 / maximumHours
    public static let maximumRatePerHour = 1_000_000.0

    /// Shapes of gamma and Weibull distributions (below 0.01 the mean and the draws overflow).
    public static let shapeRange: ClosedRange<Double> = 0.01...10_000

    /// Whole numbers read from files (integer attributes, capacities, queue limits): well inside the
    /// range a Double holds exactly, so that sums and differences of two never overflow an Int.
    public static let maximumWholeNumber = 1_000_000_000_000

    /// Magnitude of numeric attribute values and their distributions' parameters.
    public static let maximumAttributeValue = 1e12

    /// Patients in one replication: patients are numbered with 32-bit slots in the engine.
    public static let maximumPatients = 100_000_000

    /// Replications per variant (the scenario file and `--replications` alike).
    public static let maximumReplications = 100_000

    /// States one patient may enter in a replication before the run stops as a run-away patient
    /// (a loop it never leaves), unless the scenario or `--max-state-entries` says otherwise.
    public static let defaultMaximumStateEntries = 10_000
    /// The largest limit on state entries a scenario or option may set.
    public static let maximumStateEntriesLimit = 100_000_000

    /// What is wrong with a time in hours, or nil when it is a finite number from 0 to
    /// `maximumHours`. `what` names the value ("a horizon").
    public static func timeProblem(_ hours: Double, what: String) -> String? {
        guard hours.isFinite, hours >= 0 else { return "\(what) must be a finite time >= 0, found \(format(hours)) h" }
        guard hours <= maximumHours else {
            return "\(what) must be at most \(maximumHoursText) (Bounds: 1,000 years), found \(format(hours)) h"
        }
        return nil
    }

    /// What is wrong with a rate per hour, or nil when it lies in the allowed range.
    public static func rateProblem(_ perHour: Double) -> String? {
        guard perHour.isFinite, perHour >= minimumRatePerHour, perHour <= maximumRatePerHour else {
            return "a rate must be from one patient in 1,000 years to 1,000,000 an hour, found \(format(perHour)) an hour"
        }
        return nil
    }

    /// What is wrong with a shape parameter, or nil.
    public static func shapeProblem(_ shape: Double, of name: String) -> String? {
        guard shape.isFinite, shapeRange.contains(shape) else {
            return "\(name) needs a shape from \(format(shapeRange.lowerBound)) to \(format(shapeRange.upperBound)), found \(format(shape))"
        }
        return nil
    }

    /// What is wrong with a whole number that must lie in `range`, or nil.
    public static func wholeNumberProblem(_ n: Int, in range: ClosedRange<Int>, what: String) -> String? {
        range.contains(n) ? nil : "expected \(what) from \(grouped(range.lowerBound)) to \(grouped(range.upperBound)), found \(grouped(n))"
    }

    static let maximumHoursText = "8,766,000 h"

    /// A number as messages show it: whole when it is, else in the shortest form.
    static func format(_ x: Double) -> String {
        x.isFinite && x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
    }

    /// 1000000 as 1,000,000.
    public static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }
}

extension Int {
    /// `value` rounded down and clamped to Int's range, NaN as `nan`: for positions computed
    /// from simulated times that the bounds keep small, where a trap would be the only other way
    /// out if a bound were ever missed.
    @inlinable
    public init(clampingFloor value: Double, nan: Int = 0) {
        if value.isNaN { self = nan; return }
        let v = value.rounded(.down)
        if v >= 9.2e18 { self = .max } else if v <= -9.2e18 { self = .min } else { self = Int(v) }
    }
}

extension UInt64 {
    /// `value` rounded down and clamped to 0...UInt64.max, NaN as 0.
    @inlinable
    public init(clampingFloor value: Double) {
        if value.isNaN || value <= 0 { self = 0; return }
        self = value >= 1.8e19 ? .max : UInt64(value.rounded(.down))
    }
}
