import CarePathFiles
import CarePathModel
import CarePathSimulation
import Foundation

/// IEEE 1849 XES: a trace per patient (per variant and replication), written when the patient
/// leaves. Each state visited gives three events with the standard lifecycle: `schedule` when the
/// patient joined the role's queue (the start less the wait), `start` at the point of care (with
/// what was found of each needed item) and `complete`; the terminal state gives a last
/// `complete`. Every event of a state with an owner carries `org:resource` and `org:role` (the
/// role as `organisation/role`: the log knows roles, not the people in them) and `org:group`
/// (the organisation); the leaving event carries those of the state the patient left from, who
/// discharged them. Trace attributes: variant, replication, patient, cohort group, terminal
/// state, whether counted, and the patient's attributes as drawn.
///
/// Names are escaped once, when the run starts, and events are written as bytes: see `LogBytes`.
final class XESWriter: JourneySink {
    let file: StreamingFile
    let clock: LogClock
    var names: LogNames?
    var variant = 0
    var replication = 0
    private(set) var traces = 0
    private(set) var events = 0

    /// Per state: the `concept:name` line, and the organisational lines (possibly empty).
    var stateName: [[UInt8]] = []
    var stateOrg: [[UInt8]] = []
    /// Per state: its name escaped for an attribute value.
    var stateValue: [[UInt8]] = []
    var runPrefix: [UInt8] = []
    var runAttributes: [UInt8] = []
    var itemGapKeys: [[UInt8]] = []
    var itemNames: [String] = []
    var itemValue: [[UInt8]] = []
    var groupLines: [CohortGroups: [UInt8]] = [:]
    /// Per patient attribute: the opening of its line up to the value, and its levels if categorical.
    var attributeOpen: [[UInt8]] = []
    var attributeKinds: [AttributeType] = []
    var attributeLevels: [[[UInt8]]] = []
    var out = LogBytes()

    static let fixedTraceKeys: Set = ["concept:name", "variant", "replication", "patient", "cohort_group", "terminal", "counted"]

    init(_ url: URL, clock: LogClock, scenario: Scenario) throws {
        file = try StreamingFile(url)
        self.clock = clock
        file.write("""
            <?xml version="1.0" encoding="UTF-8"?>
            <log xes.version="1849-2016" xes.features="nested-attributes" xmlns="http://www.xes-standard.org/">
              <extension name="Concept" prefix="concept" uri="http://www.xes-standard.org/concept.xesext"/>
              <extension name="Time" prefix="time" uri="http://www.xes-standard.org/time.xesext"/>
              <extension name="Lifecycle" prefix="lifecycle" uri="http://www.xes-standard.org/lifecycle.xesext"/>
              <extension name="Organizational" prefix="org" uri="http://www.xes-standard.org/org.xesext"/>
              <global scope="trace">
                <string key="concept:name" value="__INVALID__"/>
              </global>
              <global scope="event">
                <string key="concept:name" value="__INVALID__"/>
                <date key="time:timestamp" value="1970-01-01T00:00:00.000+00:00"/>
                <string key="lifecycle:transition" value="complete"/>
              </global>
              <classifier name="Activity" keys="concept:name"/>
              <classifier name="ActivityLifecycle" keys="concept:name lifecycle:transition"/>
              <classifier name="Resource" keys="org:resource"/>
              <string key="concept:name" value="\(XMLText.escape(scenario.id))"/>
              <string key="carepath:scenario" value="\(XMLText.escape(scenario.title))"/>
              <string key="carepath:pathway" value="\(XMLText.escape(scenario.pathwayFile))"/>

            """)
    }

    static func line(_ type: String, _ key: String, _ value: String, indent: String = "      ") -> [UInt8] {
        Array("\(indent)<\(type) key=\"\(XMLText.attribute(key))\" value=\"\(XMLText.attribute(value))\"/>\n".utf8)
    }

    func begin(names: LogNames, pathway: Pathway, variant: Int, variantName: String, replication: Int) {
        self.variant = variant
        self.replication = replication
        runPrefix = Array("v\(variant)-r\(replication)-p".utf8)
        runAttributes = Self.line("string", "variant", variantName, indent: "    ") + Self.line("int", "replication", String(replication), indent: "    ")
        self.names = names
        stateName = names.states.map { Self.line("string", "concept:name", $0) }
        stateValue = names.states.map(XMLText.attributeBytes)
        stateOrg = names.states.indices.map { s in
            var lines: [UInt8] = []
            if let role = names.role(ofState: s) { lines += Self.line("string", "org:resource", role) + Self.line("string", "org:role", role) }
            if let group = names.organisation(ofState: s) { lines += Self.line("string", "org:group", group) }
            return lines
        }
        itemNames = names.items
        itemValue = names.items.map(XMLText.attributeBytes)
        itemGapKeys = names.items.map { Array("      <string key=\"\(XMLText.attribute("gap:" + $0))\" value=\"".utf8) }
        groupLines = [:]
        attributeKinds = names.attributes.map(\.type)
        attributeOpen = names.attributes.map { a in
            let key = Self.fixedTraceKeys.contains(a.name) ? "attribute:" + a.name : a.name
            let type: String
            switch a.type {
            case .number: type = "float"
            case .boolean: type = "boolean"
            case .categorical: type = "string"
            }
            return Array("    <\(type) key=\"\(XMLText.attribute(key))\" value=\"".utf8)
        }
        attributeLevels = names.attributes.map { a in
            if case .categorical(let levels) = a.type { return levels.map(XMLText.attributeBytes) }
            return []
        }
    }

    func journey(_ j: PatientJourney) {
        guard let names else { return }
        // Written into a local buffer: a stored property would be checked for exclusive access
        // at every append.
        var out = LogBytes(capacity: 0)
        swap(&out, &self.out)
        defer { swap(&out, &self.out) }
        out.append("  <trace>\n    <string key=\"concept:name\" value=\"")
        out.append(runPrefix); out.append(j.patient); out.append("\"/>\n")
        out.append(runAttributes)
        out.append("    <int key=\"patient\" value=\""); out.append(j.patient); out.append("\"/>\n")
        if let cached = groupLines[j.group] {
            out.append(cached)
        } else {
            let line = Self.line("string", "cohort_group", names.group(j.group), indent: "    ")
            groupLines[j.group] = line
            out.append(line)
        }
        out.append("    <string key=\"terminal\" value=\"")
        if j.terminal >= 0 { out.append(stateValue[j.terminal]) }
        out.append("\"/>\n")
        out.append(j.counted ? "    <boolean key=\"counted\" value=\"true\"/>\n" : "    <boolean key=\"counted\" value=\"false\"/>\n")
        writeAttributes(j, &out)
        var count = 0
        for visit in j.visits {
            let s = visit.state
            // Schedule: the patient joins the role's queue.
            let queued = visit.waited.isFinite && visit.waited > 0 ? visit.start - visit.waited : visit.start
            open(&out, s, "schedule", queued)
            out.append("    </event>\n")
            // Start: the point of care, with what was found of each needed item.
            open(&out, s, "start", visit.start)
            if visit.waited.isFinite { out.append("      <float key=\"waited_h\" value=\""); out.append(decimal: visit.waited); out.append("\"/>\n") }
            if let h = visit.arrivedBy {
                out.append("      <string key=\"handoff_from\" value=\""); out.append(stateValue[h.from]); out.append("\"/>\n")
                out.append(h.crossOrganisation ? "      <boolean key=\"handoff_cross_organisation\" value=\"true\"/>\n"
                                               : "      <boolean key=\"handoff_cross_organisation\" value=\"false\"/>\n")
                if visit.handoffDelay.isFinite {
                    out.append("      <float key=\"handoff_delay_h\" value=\""); out.append(decimal: visit.handoffDelay); out.append("\"/>\n")
                }
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
            if !visit.checks.isEmpty {
                var gaps = 0, spent = 0.0
                var firstGap: PatientJourney.Check?
                for check in visit.checks {
                    spent += check.timeSpent
                    if check.gap != .available { gaps += 1; if firstGap == nil { firstGap = check } }
                }
                out.append("      <int key=\"items_needed\" value=\""); out.append(visit.checks.count); out.append("\"/>\n")
                out.append("      <int key=\"gaps\" value=\""); out.append(gaps); out.append("\"/>\n")
                for check in visit.checks {
                    out.append(itemGapKeys[check.item]); out.append(text: check.gap.name); out.append("\"/>\n")
                }
                if let firstGap {
                    out.append("      <string key=\"gap_response\" value=\""); out.append(text: Self.response(firstGap.response)); out.append("\"/>\n")
                }
                if spent > 0, spent.isFinite { out.append("      <float key=\"gap_time_h\" value=\""); out.append(decimal: spent); out.append("\"/>\n") }
            }
            out.append("    </event>\n")
            count += 2
            if visit.end.isFinite {
                open(&out, s, "complete", visit.end)
                out.append("    </event>\n")
                count += 1
            }
        }
        if j.terminal >= 0 {
            // Leaving: performed by the terminal state's owner if it has one, else by whoever the
            // patient left from.
            let by = stateOrg[j.terminal].isEmpty ? j.visits.last?.state : j.terminal
            out.append("    <event>\n")
            out.append(stateName[j.terminal])
            out.append("      <string key=\"lifecycle:transition\" value=\"complete\"/>\n      <date key=\"time:timestamp\" value=\"")
            out.append(time: j.left, clock: clock, iso: true)
            out.append("\"/>\n")
            if let by { out.append(stateOrg[by]) }
            out.append("    </event>\n")
            count += 1
        }
        out.append("  </trace>\n")
        if out.count >= 1 << 16 {
            out.withUnsafeBytes { file.write(raw: $0) }
            out.removeAll()
        }
        traces += 1
        events += count
    }

    /// An event's opening: its name, lifecycle, time and resource.
    @inline(__always)
    func open(_ out: inout LogBytes, _ state: Int, _ transition: StaticString, _ time: Double) {
        out.append("    <event>\n")
        out.append(stateName[state])
        out.append("      <string key=\"lifecycle:transition\" value=\"")
        out.append(transition)
        out.append("\"/>\n      <date key=\"time:timestamp\" value=\"")
        out.append(time: time, clock: clock, iso: true)
        out.append("\"/>\n")
        out.append(stateOrg[state])
    }

    func writeAttributes(_ j: PatientJourney, _ out: inout LogBytes) {
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

    static func response(_ r: GapResponse) -> String {
        switch r {
        case .proceed: "proceed"
        case .chase: "chase"
        case .repeat: "repeat"
        }
    }

    func finish() throws {
        out.withUnsafeBytes { file.write(raw: $0) }
        out.removeAll()
        file.write("</log>\n")
        try file.finish()
    }

    func abort() { file.abort() }
}
