import CarePathFiles
import CarePathModel
import CarePathSimulation
import Foundation

/// IEEE 1849 XES: a trace per patient (per variant and replication), written when the patient
/// leaves; a `start` and a `complete` event per state visited (`concept:name` the state,
/// `org:resource` the role as `organisation/role`, `org:group` the organisation), data-gap
/// attributes on the start event, where each needed item was checked, and a last event for the
/// terminal state. Trace attributes: variant, replication, patient, cohort group, terminal state.
final class XESWriter: JourneySink {
    let file: StreamingFile
    let clock: LogClock
    var names: LogNames?
    var variantName = ""
    var variant = 0
    var replication = 0
    private(set) var traces = 0
    private(set) var events = 0

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
              <classifier name="Activity and lifecycle" keys="concept:name lifecycle:transition"/>
              <string key="concept:name" value="\(XMLText.escape(scenario.id))"/>
              <string key="carepath:scenario" value="\(XMLText.escape(scenario.title))"/>
              <string key="carepath:pathway" value="\(XMLText.escape(scenario.pathwayFile))"/>

            """)
    }

    func begin(names: LogNames, pathway: Pathway, variant: Int, variantName: String, replication: Int) {
        self.names = names
        self.variant = variant
        self.variantName = variantName
        self.replication = replication
    }

    @inline(__always) func s(_ key: String, _ value: String) -> String {
        "      <string key=\"\(key)\" value=\"\(XMLText.attribute(value))\"/>\n"
    }

    func journey(_ j: PatientJourney) {
        guard let names else { return }
        var out = "  <trace>\n"
        out += "    <string key=\"concept:name\" value=\"v\(variant)-r\(replication)-p\(j.patient)\"/>\n"
        out += "    <string key=\"variant\" value=\"\(XMLText.attribute(variantName))\"/>\n"
        out += "    <int key=\"replication\" value=\"\(replication)\"/>\n"
        out += "    <int key=\"patient\" value=\"\(j.patient)\"/>\n"
        out += "    <string key=\"cohort_group\" value=\"\(XMLText.attribute(names.group(j.group)))\"/>\n"
        out += "    <string key=\"terminal\" value=\"\(XMLText.attribute(j.terminal >= 0 ? names.states[j.terminal] : ""))\"/>\n"
        out += "    <boolean key=\"counted\" value=\"\(j.counted)\"/>\n"
        var count = 0
        for visit in j.visits {
            let state = names.states[visit.state]
            let resource = names.role(ofState: visit.state), group = names.organisation(ofState: visit.state)
            // Start: the point of care, with what was found of each needed item.
            out += "    <event>\n"
            out += s("concept:name", state)
            out += "      <string key=\"lifecycle:transition\" value=\"start\"/>\n"
            out += "      <date key=\"time:timestamp\" value=\"\(clock.iso(visit.start))\"/>\n"
            if let resource { out += s("org:resource", resource) }
            if let group { out += s("org:group", group) }
            out += "      <float key=\"waited_h\" value=\"\(visit.waited)\"/>\n"
            if let h = visit.arrivedBy {
                out += s("handoff_from", names.states[h.from])
                out += "      <boolean key=\"handoff_cross_organisation\" value=\"\(h.crossOrganisation)\"/>\n"
                out += "      <float key=\"handoff_delay_h\" value=\"\(visit.handoffDelay)\"/>\n"
                if h.lost > 0 { out += "      <int key=\"lost_referrals\" value=\"\(h.lost)\"/>\n" }
                if !h.carried.isEmpty { out += s("items_carried", h.carried.map { names.items[$0] }.joined(separator: " ")) }
            }
            if !visit.checks.isEmpty {
                let gaps = visit.checks.filter { $0.gap != .available }
                out += "      <int key=\"items_needed\" value=\"\(visit.checks.count)\"/>\n"
                out += "      <int key=\"gaps\" value=\"\(gaps.count)\"/>\n"
                for check in visit.checks { out += s("gap:" + names.items[check.item], check.gap.name) }
                if let first = gaps.first { out += s("gap_response", Self.response(first.response)) }
                let spent = visit.checks.reduce(0) { $0 + $1.timeSpent }
                if spent > 0 { out += "      <float key=\"gap_time_h\" value=\"\(spent)\"/>\n" }
            }
            out += "    </event>\n"
            count += 1
            if visit.end.isFinite {
                out += "    <event>\n"
                out += s("concept:name", state)
                out += "      <string key=\"lifecycle:transition\" value=\"complete\"/>\n"
                out += "      <date key=\"time:timestamp\" value=\"\(clock.iso(visit.end))\"/>\n"
                if let resource { out += s("org:resource", resource) }
                if let group { out += s("org:group", group) }
                out += "    </event>\n"
                count += 1
            }
        }
        if j.terminal >= 0 {
            out += "    <event>\n"
            out += s("concept:name", names.states[j.terminal])
            out += "      <string key=\"lifecycle:transition\" value=\"complete\"/>\n"
            out += "      <date key=\"time:timestamp\" value=\"\(clock.iso(j.left))\"/>\n"
            if let group = names.organisation(ofState: j.terminal) { out += s("org:group", group) }
            out += "    </event>\n"
            count += 1
        }
        out += "  </trace>\n"
        file.write(out)
        traces += 1
        events += count
    }

    static func response(_ r: GapResponse) -> String {
        switch r {
        case .proceed: "proceed"
        case .chase: "chase"
        case .repeat: "repeat"
        }
    }

    func finish() throws {
        file.write("</log>\n")
        try file.finish()
    }

    func abort() { file.abort() }
}
