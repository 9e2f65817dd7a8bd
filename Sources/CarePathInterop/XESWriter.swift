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
/// Names are escaped once, when the run starts, into whole event openings (`XESEncoder`), and
/// events are written as bytes: see `LogBytes`.
final class XESWriter: JourneySink {
    let file: StreamingFile
    let clock: LogClock
    var encoder: XESEncoder?
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
              <classifier name="ActivityLifecycle" keys="concept:name lifecycle:transition"/>
              <classifier name="Resource" keys="org:resource"/>
              <string key="concept:name" value="\(XMLText.escape(scenario.id))"/>
              <string key="carepath:scenario" value="\(XMLText.escape(scenario.title))"/>
              <string key="carepath:pathway" value="\(XMLText.escape(scenario.pathwayFile))"/>

            """)
    }

    func begin(names: LogNames, pathway: Pathway, variant: Int, variantName: String, replication: Int) {
        // The buffer goes on to the next run's encoder.
        encoder = XESEncoder(names: names, clock: clock, variantName: variantName, variant: variant, replication: replication,
                             out: encoder?.out ?? LogBytes())
    }

    func journey(_ j: PatientJourney) {
        guard encoder != nil else { return }
        // The whole journey inside the encoder, a value: its buffer is then checked for exclusive
        // access once, not at every append.
        events += encoder!.write(j)
        traces += 1
        if encoder!.out.count >= 1 << 20 { flush() }
    }

    func flush() {
        guard encoder != nil else { return }
        encoder!.out.withUnsafeBytes { file.write(raw: $0) }
        encoder!.out.removeAll()
    }

    static func response(_ r: GapResponse) -> String {
        switch r {
        case .proceed: "proceed"
        case .chase: "chase"
        case .repeat: "repeat"
        }
    }

    func finish() throws {
        flush()
        file.write("</log>\n")
        try file.finish()
    }

    func abort() { file.abort() }
}
