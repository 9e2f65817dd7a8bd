/// One lever a scenario offers a workshop room (`workshop:` in a scenario file): its place, in
/// plain words, and the range or choices the room may move it within. Checked when read: the
/// place exists, the range is ordered and holds the baseline value.
public struct WorkshopDeclaration: Hashable, Sendable {
    public var place: LeverPlace
    /// The place as written (`capacities.hub/coordinator`): the control's id on the page.
    public var written: String
    /// Plain words for the room ("Hub coordinators"); nil: one is made from the place.
    public var label: String?
    /// For numbers: the range and the slider's step, in the place's own unit (patients a day for
    /// arrivals).
    public var minimum: Double?
    public var maximum: Double?
    public var step: Double?
    /// For choices: the values the room may pick, as a file would write them.
    public var options: [String]?

    public init(place: LeverPlace, written: String, label: String? = nil, minimum: Double? = nil, maximum: Double? = nil,
                step: Double? = nil, options: [String]? = nil) {
        self.place = place; self.written = written; self.label = label; self.minimum = minimum; self.maximum = maximum
        self.step = step; self.options = options
    }
}
