import CarePathModel
import CarePathSimulation

/// One run's OCEL 2.0 JSON events and objects as bytes (see `OCELJSONWriter` for what they hold).
/// What does not change from one patient to the next is prepared when the run starts, as whole
/// runs of text: the attribute list of a state's event between its figures, the tail every event
/// shares (run attributes and the opening of the patient link), each item's link per qualifier.
/// Writing a journey allocates nothing: the lists it keeps are reused from patient to patient.
struct OCELJSONEncoder {
    typealias J = OCELJSONWriter.J
    let clock: LogClock
    let names: LogNames
    let fragments = LogFragments()
    /// `\n{"id":"event-v0-r1-`, and per event type (state, arrival, handoff) what follows the number
    /// up to the time's value.
    let eventOpen: LogFragment
    let stateTypeOpen: [LogFragment]
    let arrivalTypeOpen: LogFragment, handoffTypeOpen: LogFragment
    /// Per non-terminal state: from the end of `completed` to the opening of `waited_h`'s value.
    let stateMiddle: [LogFragment]
    /// Per terminal state, by the state that performed the leaving (or none): its attributes.
    let leavingAttributes: [LogFragment]
    let leavingAlone: LogFragment
    /// Run attributes, relationships' opening, and the patient link up to the patient's number.
    let eventTail: LogFragment
    /// The arrival's attributes (the run's alone) and the same.
    let arrivalTail: LogFragment
    /// Per state: its organisation's link (`performed by`, `from`, `to`), if it has one.
    let performedBy: [LogFragment?], fromLink: [LogFragment?], toLink: [LogFragment?]
    /// `,{"objectId":"item-v0-r1-`; per item, from the patient's number on: the link's end by qualifier.
    let itemLinkOpen: LogFragment
    let needsLink: [[LogFragment]], producesLink: [LogFragment], carriesLink: [LogFragment]
    let stateValue: [LogFragment]
    /// Objects: the patient's opening up to its number, after it up to `replication`'s value ...
    let patientOpen: LogFragment, patientAfterID: LogFragment
    let itemOpen: LogFragment
    /// Per item: its id's end, type and fixed attributes up to the patient id's value.
    let itemMiddle: [LogFragment]
    /// After the item's patient id: variant, replication, and the `about` link up to the patient's number.
    let itemTail: LogFragment
    let seenByLink: [LogFragment]
    let attributeOpen: [LogFragment]
    let attributeLevels: [[LogFragment]]
    let produces: [[Int]]
    let runID: [UInt8]
    let replication: Int
    var groupValues: [CohortGroups: LogFragment] = [:]

    var eventsOut: LogBytes, objectsOut: LogBytes
    var firstEvent: Bool, firstObject: Bool
    var nextEvent = 0
    var events: Int, objects: Int, patients: Int
    // Reused from patient to patient.
    var touched: [Int] = [], seenBy: [Int] = [], linked: [Int] = []

    static let epoch = OCELJSONWriter.epochBytes

    static func attribute(_ name: String, first: Bool = false) -> String { (first ? "" : ",") + "{\"name\":\"\(name)\",\"value\":" }
    static func objectAttribute(_ name: String, first: Bool = false) -> String {
        (first ? "" : ",") + "{\"name\":\"\(name)\",\"time\":\"\(epoch)\",\"value\":"
    }

    init(names: LogNames, pathway: Pathway, clock: LogClock, variant: Int, variantName: String, replication: Int,
         carrying previous: OCELJSONEncoder.Carried) {
        self.names = names
        self.clock = clock
        self.replication = replication
        eventsOut = previous.eventsOut; objectsOut = previous.objectsOut
        firstEvent = previous.firstEvent; firstObject = previous.firstObject
        events = previous.events; objects = previous.objects; patients = previous.patients
        let f = fragments
        let run = "v\(variant)-r\(replication)"
        runID = Array(run.utf8)
        let variantValue = String(decoding: J.string(variantName), as: UTF8.self)
        func json(_ s: String) -> String { J.text(s) }
        func bare(_ s: String) -> String { String(json(s).dropFirst().dropLast()) }
        let typeOpen = { (type: String) in f.make("\",\"type\":\(json(type)),\"time\":\"") }
        eventOpen = f.make("\n{\"id\":\"event-\(run)-")
        stateTypeOpen = names.states.map(typeOpen)
        arrivalTypeOpen = typeOpen(OCELWriter.arrives)
        handoffTypeOpen = typeOpen(OCELWriter.handoff)
        let organisation = names.states.indices.map { names.organisation(ofState: $0).map(json) ?? "\"\"" }
        let role = names.states.indices.map { names.role(ofState: $0).map(json) ?? "\"\"" }
        stateMiddle = names.states.indices.map { s in
            f.make(Self.attribute("organisation") + organisation[s] + "}" + Self.attribute("role") + role[s] + "}" + Self.attribute("waited_h"))
        }
        leavingAttributes = names.states.indices.map { s in
            f.make(Self.attribute("organisation", first: true) + organisation[s] + "}" + Self.attribute("role") + role[s] + "}")
        }
        leavingAlone = f.make(Self.attribute("organisation", first: true) + "\"\"}" + Self.attribute("role") + "\"\"}")
        let runAttributes = Self.attribute("variant") + variantValue + "}" + Self.attribute("replication") + "\(replication)}"
            + "],\"relationships\":[{\"objectId\":\"patient-\(run)-"
        eventTail = f.make(runAttributes)
        arrivalTail = f.make("\",\"attributes\":[" + runAttributes.dropFirst())
        let organisationID = names.states.indices.map { names.organisation(ofState: $0).map { "organisation-" + bare($0) } }
        func link(_ id: String?, _ qualifier: String) -> LogFragment? {
            id.map { f.make(",{\"objectId\":\"\($0)\",\"qualifier\":\"\(qualifier)\"}") }
        }
        performedBy = organisationID.map { link($0, "performed by") }
        fromLink = organisationID.map { link($0, "from") }
        toLink = organisationID.map { link($0, "to") }
        itemLinkOpen = f.make(",{\"objectId\":\"item-\(run)-")
        let itemKey = names.items.map(bare)
        needsLink = itemKey.map { key in GapKind.allCases.map { f.make("-\(key)\",\"qualifier\":\(json("needs (\($0.name))"))}") } }
        producesLink = itemKey.map { f.make("-\($0)\",\"qualifier\":\"produces\"}") }
        carriesLink = itemKey.map { f.make("-\($0)\",\"qualifier\":\"carries\"}") }
        stateValue = names.states.map { f.make(json($0)) }
        patientOpen = f.make("\n{\"id\":\"patient-\(run)-")
        patientAfterID = f.make("\",\"type\":\(json(OCELWriter.patientType)),\"attributes\":[" + Self.objectAttribute("variant", first: true)
                                + variantValue + "}" + Self.objectAttribute("replication") + "\(replication)}" + Self.objectAttribute("patient"))
        itemOpen = f.make("\n{\"id\":\"item-\(run)-")
        itemMiddle = names.items.enumerated().map { i, item in
            let model = pathway.item(item)
            return f.make("-\(itemKey[i])\",\"type\":\(json(OCELWriter.itemType)),\"attributes\":[" + Self.objectAttribute("item", first: true) + json(item) + "}"
                          + Self.objectAttribute("title") + json(model?.title ?? item) + "}"
                          + Self.objectAttribute("category") + json(model?.category.rawValue ?? "") + "}"
                          + Self.objectAttribute("patient") + "\"patient-\(run)-")
        }
        itemTail = f.make("\"}" + Self.objectAttribute("variant") + variantValue + "}" + Self.objectAttribute("replication") + "\(replication)}"
                          + "],\"relationships\":[{\"objectId\":\"patient-\(run)-")
        seenByLink = names.organisations.map { f.make("{\"objectId\":\"organisation-\(bare($0))\",\"qualifier\":\"seen by\"}") }
        attributeOpen = names.attributes.map { f.make(",{\"name\":\(json($0.name)),\"time\":\"\(Self.epoch)\",\"value\":") }
        attributeLevels = names.attributes.map { a in
            if case .categorical(let levels) = a.type { return levels.map { f.make(json($0)) } }
            return []
        }
        let itemIndex = Dictionary(names.items.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        produces = names.states.indices.map { s in s < pathway.states.count ? pathway.states[s].produces.compactMap { itemIndex[$0] } : [] }
    }

    /// What goes on from one run to the next: the buffers, whether a list has begun, the counts.
    struct Carried {
        var eventsOut = LogBytes(), objectsOut = LogBytes()
        var firstEvent = true, firstObject = true
        var events = 0, objects = 0, patients = 0
    }

    var carried: Carried {
        Carried(eventsOut: eventsOut, objectsOut: objectsOut, firstEvent: firstEvent, firstObject: firstObject,
                events: events, objects: objects, patients: patients)
    }
}
