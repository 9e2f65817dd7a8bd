import CarePathModel
import CarePathSimulation

/// One run's XES traces as bytes (see `XESWriter` for what they hold). Everything that does not
/// change from one patient to the next is prepared when the run starts: per state and lifecycle
/// transition, the whole opening of an event up to its timestamp's value, and the rest of the
/// line with the organisational attributes; so an event is a fragment, a timestamp and a fragment.
struct XESEncoder {
    let clock: LogClock
    /// Owns the fragments below.
    let fragments = LogFragments()
    /// Per state: `<event>`, `concept:name`, `lifecycle:transition` and the opening of `time:timestamp`.
    let schedule: [LogFragment], start: [LogFragment], complete: [LogFragment]
    /// Per state: the timestamp's closing and the organisational lines; `closed` then ends the event.
    let opened: [LogFragment], closed: [LogFragment]
    let hasOrganisation: [Bool]
    /// The leaving event's end when no state performed it.
    let closedAlone: LogFragment
    /// Per state: its name escaped for an attribute value.
    let stateValue: [LogFragment]
    /// The trace's opening up to the patient's number (`v0-r1-p`), and from there to the `patient` value.
    let traceOpen: LogFragment, traceMiddle: LogFragment
    /// Per item: `gap:<item>` up to the value; per gap kind: the value and the line's end.
    let itemGapKey: [LogFragment], gapValue: [LogFragment]
    let responseValue: [LogFragment]
    let itemValue: [LogFragment]
    /// Per patient attribute: the opening of its line up to the value, and its levels if categorical.
    let attributeOpen: [LogFragment]
    let attributeKinds: [AttributeType]
    let attributeLevels: [[LogFragment]]
    let names: LogNames
    var groupLines: [CohortGroups: LogFragment] = [:]
    var out: LogBytes

    static let fixedTraceKeys: Set = ["concept:name", "variant", "replication", "patient", "cohort_group", "terminal", "counted"]

    static func line(_ type: String, _ key: String, _ value: String, indent: String = "      ") -> [UInt8] {
        Array("\(indent)<\(type) key=\"\(XMLText.attribute(key))\" value=\"\(XMLText.attribute(value))\"/>\n".utf8)
    }

    init(names: LogNames, clock: LogClock, variantName: String, variant: Int, replication: Int, out: LogBytes) {
        self.names = names
        self.clock = clock
        self.out = out
        let f = fragments
        let stateName = names.states.map { Self.line("string", "concept:name", $0) }
        let stateOrg = names.states.indices.map { s in
            var lines: [UInt8] = []
            if let role = names.role(ofState: s) { lines += Self.line("string", "org:resource", role) + Self.line("string", "org:role", role) }
            if let group = names.organisation(ofState: s) { lines += Self.line("string", "org:group", group) }
            return lines
        }
        func opening(_ transition: String) -> [LogFragment] {
            stateName.map { f.make(Array("    <event>\n".utf8) + $0 + Array("      <string key=\"lifecycle:transition\" value=\"\(transition)\"/>\n      <date key=\"time:timestamp\" value=\"".utf8)) }
        }
        schedule = opening("schedule"); start = opening("start"); complete = opening("complete")
        opened = stateOrg.map { f.make(Array("\"/>\n".utf8) + $0) }
        closed = stateOrg.map { f.make(Array("\"/>\n".utf8) + $0 + Array("    </event>\n".utf8)) }
        hasOrganisation = stateOrg.map { !$0.isEmpty }
        closedAlone = f.make("\"/>\n    </event>\n")
        stateValue = names.states.map { f.make(XMLText.attributeBytes($0)) }
        traceOpen = f.make("  <trace>\n    <string key=\"concept:name\" value=\"v\(variant)-r\(replication)-p")
        traceMiddle = f.make(Array("\"/>\n".utf8) + Self.line("string", "variant", variantName, indent: "    ")
                             + Self.line("int", "replication", String(replication), indent: "    ") + Array("    <int key=\"patient\" value=\"".utf8))
        itemValue = names.items.map { f.make(XMLText.attributeBytes($0)) }
        itemGapKey = names.items.map { f.make("      <string key=\"\(XMLText.attribute("gap:" + $0))\" value=\"") }
        gapValue = GapKind.allCases.map { f.make($0.name + "\"/>\n") }
        responseValue = [GapResponse.proceed, .chase, .repeat].map { f.make("      <string key=\"gap_response\" value=\"\(XESWriter.response($0))\"/>\n") }
        attributeKinds = names.attributes.map(\.type)
        attributeOpen = names.attributes.map { a in
            let key = Self.fixedTraceKeys.contains(a.name) ? "attribute:" + a.name : a.name
            let type: String
            switch a.type {
            case .number: type = "float"
            case .boolean: type = "boolean"
            case .categorical: type = "string"
            }
            return f.make("    <\(type) key=\"\(XMLText.attribute(key))\" value=\"")
        }
        attributeLevels = names.attributes.map { a in
            if case .categorical(let levels) = a.type { return levels.map { f.make(XMLText.attributeBytes($0)) } }
            return []
        }
    }

    /// Appends the patient's trace to `out`; returns the events written.
    mutating func write(_ j: PatientJourney) -> Int {
        out.append(traceOpen); out.append(j.patient)
        out.append(traceMiddle); out.append(j.patient); out.append("\"/>\n")
        if let cached = groupLines[j.group] {
            out.append(cached)
        } else {
            let line = fragments.make(Self.line("string", "cohort_group", names.group(j.group), indent: "    "))
            groupLines[j.group] = line
            out.append(line)
        }
        out.append("    <string key=\"terminal\" value=\"")
        if j.terminal >= 0 { out.append(stateValue[j.terminal]) }
        out.append("\"/>\n")
        out.append(j.counted ? "    <boolean key=\"counted\" value=\"true\"/>\n" : "    <boolean key=\"counted\" value=\"false\"/>\n")
        writeAttributes(j)
        var count = 0
        for visit in j.visits {
            let s = visit.state
            // Schedule: the patient joins the role's queue.
            let queued = visit.waited.isFinite && visit.waited > 0 ? visit.start - visit.waited : visit.start
            out.append(schedule[s]); out.append(time: queued, clock: clock, iso: true); out.append(closed[s])
            // Start: the point of care, with what was found of each needed item.
            out.append(start[s]); out.append(time: visit.start, clock: clock, iso: true); out.append(opened[s])
            if visit.waited.isFinite { out.append("      <float key=\"waited_h\" value=\""); out.append(decimal: visit.waited); out.append("\"/>\n") }
            if let h = visit.arrivedBy { writeHandoff(h, delay: visit.handoffDelay) }
            if !visit.checks.isEmpty { writeChecks(visit.checks) }
            out.append("    </event>\n")
            count += 2
            if visit.end.isFinite {
                out.append(complete[s]); out.append(time: visit.end, clock: clock, iso: true); out.append(closed[s])
                count += 1
            }
        }
        if j.terminal >= 0 {
            // Leaving: performed by the terminal state's owner if it has one, else by whoever the
            // patient left from.
            let by = hasOrganisation[j.terminal] ? j.terminal : j.visits.last?.state
            out.append(complete[j.terminal]); out.append(time: j.left, clock: clock, iso: true)
            if let by { out.append(closed[by]) } else { out.append(closedAlone) }
            count += 1
        }
        out.append("  </trace>\n")
        return count
    }

    mutating func writeHandoff(_ h: PatientJourney.Handoff, delay: Double) {
        out.append("      <string key=\"handoff_from\" value=\""); out.append(stateValue[h.from]); out.append("\"/>\n")
        out.append(h.crossOrganisation ? "      <boolean key=\"handoff_cross_organisation\" value=\"true\"/>\n"
                                       : "      <boolean key=\"handoff_cross_organisation\" value=\"false\"/>\n")
        if delay.isFinite { out.append("      <float key=\"handoff_delay_h\" value=\""); out.append(decimal: delay); out.append("\"/>\n") }
        if h.lost > 0 { out.append("      <int key=\"lost_referrals\" value=\""); out.append(h.lost); out.append("\"/>\n") }
        if !h.carried.isEmpty {
            out.append("      <string key=\"items_carried\" value=\"")
            // Escaped item by item: escaping is character by character, and a space needs none.
            for (k, item) in h.carried.enumerated() {
                if k > 0 { out.append(byte: UInt8(ascii: " ")) }
                out.append(itemValue[item])
            }
            out.append("\"/>\n")
        }
    }

    mutating func writeChecks(_ checks: [PatientJourney.Check]) {
        var gaps = 0, spent = 0.0
        var firstGap = -1
        for (k, check) in checks.enumerated() {
            spent += check.timeSpent
            if check.gap != .available { gaps += 1; if firstGap < 0 { firstGap = k } }
        }
        out.append("      <int key=\"items_needed\" value=\""); out.append(checks.count); out.append("\"/>\n")
        out.append("      <int key=\"gaps\" value=\""); out.append(gaps); out.append("\"/>\n")
        for check in checks { out.append(itemGapKey[check.item]); out.append(gapValue[check.gap.rawValue]) }
        if firstGap >= 0 { out.append(responseValue[Self.responseIndex(checks[firstGap].response)]) }
        if spent > 0, spent.isFinite { out.append("      <float key=\"gap_time_h\" value=\""); out.append(decimal: spent); out.append("\"/>\n") }
    }

    static func responseIndex(_ r: GapResponse) -> Int {
        switch r {
        case .proceed: 0
        case .chase: 1
        case .repeat: 2
        }
    }

    mutating func writeAttributes(_ j: PatientJourney) {
        for (a, value) in j.attributes.enumerated() where a < attributeOpen.count {
            switch attributeKinds[a] {
            case .number:
                guard value.isFinite else { continue }
                out.append(attributeOpen[a]); out.append(decimal: value)
            case .boolean:
                out.append(attributeOpen[a]); out.append(value != 0 ? "true" : "false")
            case .categorical:
                let level = Int(exactly: value) ?? -1
                guard level >= 0 && level < attributeLevels[a].count else { continue }
                out.append(attributeOpen[a]); out.append(attributeLevels[a][level])
            }
            out.append("\"/>\n")
        }
    }
}
