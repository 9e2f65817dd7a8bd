import CarePathModel
import Foundation

/// A small pathway across three organisations, built in code so the tests do not depend on the
/// file format: a cross-organisation handoff with a condition (acute → council), an internal one
/// with a probability (ward → discharge team), a cross-organisation one with a probability and an
/// explicit `carries` (discharge team → GP), and terminal states without an owner.
enum Fixtures {
    static let hostileName = "Care <script>\"& Co"

    static func pathway(organisationName: String = "City General Hospital") throws -> Pathway {
        let acute = Organisation(
            id: "acute", name: organisationName, sector: .acute, maturity: .integrated,
            connections: [.messaging, .sharedRecord],
            roles: [
                Role(id: "ward", organisation: "acute", title: "Ward team", capacity: 40),
                Role(id: "discharge-team", organisation: "acute", title: "Discharge team", capacity: 4, calendar: .weekdays9to17),
            ])
        let council = Organisation(
            id: "council", name: "City Council Adult Social Care", sector: .socialCare, maturity: .basic,
            roles: [Role(id: "social-worker", organisation: "council", title: "Social worker", capacity: 12)],
            annotations: [Annotation(concern: .liabilityFear, note: "Assessments written defensively", underRecording: 0.05)])
        let gp = Organisation(
            id: "gp", name: "Riverside Practice", sector: .primary, maturity: .paper,
            roles: [Role(id: "gp", organisation: "gp", capacity: 6)])

        let states = [
            State(id: "inpatient-stay", title: "Inpatient stay", owner: RoleReference(organisation: "acute", role: "ward"),
                  duration: .lognormal(mean: 144, sd: 96), produces: ["discharge-summary"],
                  next: [
                    Transition(to: "social-care-assessment", condition: try Condition.parse("age >= 85 and lives_alone")),
                    Transition(to: "discharge-planning", probability: 0.3),
                    Transition(to: "home"),
                  ]),
            State(id: "discharge-planning", title: "Discharge planning", owner: RoleReference(organisation: "acute", role: "discharge-team"),
                  duration: .triangular(min: 1, mode: 2, max: 4), produces: ["medication-list"],
                  next: [
                    Transition(to: "gp-review", probability: 0.5, carries: ["discharge-summary", "medication-list"]),
                    Transition(to: "home", probability: 0.5),
                  ]),
            State(id: "social-care-assessment", title: "Social care assessment",
                  owner: RoleReference(organisation: "council", role: "social-worker"),
                  duration: .exponential(mean: 4), needs: ["discharge-summary"], produces: ["care-assessment"],
                  onGap: .chase(.exponential(mean: 4)),
                  next: [Transition(to: "care-home", probability: 0.3), Transition(to: "home", probability: 0.7)]),
            State(id: "gp-review", title: "GP medication review", owner: RoleReference(organisation: "gp", role: "gp"),
                  duration: .fixed(0.5), needs: ["medication-list"], next: [Transition(to: "home")]),
            State(id: "home", title: "Home", owner: nil, isTerminal: true),
            State(id: "care-home", title: "Care home", owner: nil, isTerminal: true),
        ]
        return Pathway(
            id: "discharge-to-assess", title: "Hospital discharge to assess",
            attributes: [PatientAttribute(name: "age", type: .number), PatientAttribute(name: "lives_alone", type: .boolean)],
            organisations: [acute, council, gp],
            information: [
                InformationItem(id: "discharge-summary", title: "Discharge summary", category: .health),
                InformationItem(id: "medication-list", title: "Medication list", category: .health),
                InformationItem(id: "care-assessment", title: "Care assessment", category: .socialCare),
            ],
            states: states, start: "inpatient-stay")
    }
}

extension String {
    func occurrences(of needle: String) -> Int {
        components(separatedBy: needle).count - 1
    }

    /// The DOT line of the edge between two state nodes.
    func edgeLine(from: String, to: String) -> String? {
        split(separator: "\n").map(String.init).first { $0.contains("\"state:\(from)\" -> \"state:\(to)\"") }
    }
}
