/// A figure a report answers its question with, and the workshop page shows first; lower is
/// better on each. One list, so that the report's answer and the page name the same figures.
public struct HeadlineFigure: Hashable, Sendable {
    /// As it reads in a sentence: "data gaps per patient".
    public var noun: String
    /// The metric (`gaps_per_patient`), over all patients (no subject, no group).
    public var name: String
    /// Shown multiplied by this (hours as days).
    public var scale: Double = 1
    public var digits: Int = 2
    /// After the number, with its space: " days".
    public var unit: String = ""
    /// Counted (fewer) rather than measured (less).
    public var counted = true

    public init(noun: String, name: String, scale: Double = 1, digits: Int = 2, unit: String = "", counted: Bool = true) {
        self.noun = noun; self.name = name; self.scale = scale; self.digits = digits; self.unit = unit; self.counted = counted
    }

    /// The headline figures, in the order shown; the last only where a state holds beds
    /// (`blocked_bed_days_per_month` is measured).
    public static let all: [HeadlineFigure] = [
        HeadlineFigure(noun: "data gaps per patient", name: "gaps_per_patient"),
        HeadlineFigure(noun: "chases per patient", name: "chases_per_patient"),
        HeadlineFigure(noun: "duplicate collections per patient", name: "duplicates_per_patient"),
        HeadlineFigure(noun: "mean time in the pathway", name: "time_in_pathway_mean_h", scale: 1.0 / 24, unit: " days", counted: false),
        bedDays,
    ]

    public static let bedDays = HeadlineFigure(noun: "bed days a month held by patients ready to move on", name: "blocked_bed_days_per_month",
                                               digits: 1)
}
