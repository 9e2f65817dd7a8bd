import Foundation

/// The parts of a BPMN 2.0 file CarePath reads, taken out of the XML by namespace URI (any prefix
/// or none). Layout (`bpmndi`), vendor extensions and unknown elements are not read.
struct BPMNDocument {
    static let model = "http://www.omg.org/spec/BPMN/20100524/MODEL"

    enum NodeKind: Equatable {
        case activity
        case startEvent, endEvent, intermediateCatch, intermediateThrow, boundary
        case exclusiveGateway, parallelGateway, inclusiveGateway, eventBasedGateway, complexGateway

        var isGateway: Bool {
            switch self {
            case .exclusiveGateway, .parallelGateway, .inclusiveGateway, .eventBasedGateway, .complexGateway: true
            default: false
            }
        }
        var isEvent: Bool {
            switch self {
            case .startEvent, .endEvent, .intermediateCatch, .intermediateThrow, .boundary: true
            default: false
            }
        }
    }

    struct Timer {
        /// `timeDuration`, `timeDate` or `timeCycle`, or nil when the definition is empty.
        var kind: String?
        var text: String
    }

    struct Node {
        var element: Int
        var id: String
        var name: String?
        /// The BPMN element name (`userTask`, `intermediateCatchEvent`).
        var tag: String
        var kind: NodeKind
        var process: Int
        /// The top-level activity (an expanded sub-process) this node sits inside, or nil.
        var container: Int?
        var eventDefinitions: [String] = []
        var timer: Timer?
        var linkName: String?
        var attachedTo: String?
        var defaultFlow: String?
        var documentation: String?
        var carePathID: String?
        /// A CarePath distribution written by `BPMNExport` (`lognormal(mean=5d, sd=4d)`).
        var carePathDuration: String?
        /// `carepath:occupies="false"`: a step that holds no staff.
        var holdsNoStaff = false
        var loop: String?
        /// Data object references read and written (data associations).
        var reads: [String] = []
        var writes: [String] = []
    }

    struct Flow {
        var element: Int
        var id: String
        var source: String
        var target: String
        var name: String?
        var condition: String?
        /// A branch probability written by `BPMNExport`.
        var carePathP: Double?
        /// Inside a sub-process (collapsed into one state): not a transition of the pathway.
        var inner: Bool
    }

    struct MessageFlow {
        var element: Int
        var id: String
        var source: String
        var target: String
        var name: String?
        var messageRef: String?
        /// The CarePath item it carries, written by `BPMNExport`.
        var carePathID: String?
        /// The state a message to a whole pool stands for (`carepath:target`, by `BPMNExport`, where
        /// the state is a wait or an end, which cannot receive a message).
        var carePathTarget: String?
    }

    struct Participant {
        var element: Int
        var id: String
        var name: String?
        var processRef: String?
        var carePathID: String?
    }

    struct Process {
        var element: Int
        var id: String
        var name: String?
        var lanes: [Lane] = []
    }

    struct Lane {
        var element: Int
        var id: String
        var name: String?
        var nodeRefs: [String]
        var depth: Int
        var hasChildren: Bool
        var carePathID: String?
    }

    struct DataReference {
        var element: Int
        var id: String
        var name: String?
        var isStore: Bool
        /// A reference's data object, whose name it shows when it has none of its own.
        var objectRef: String?
        var carePathID: String?
    }

    /// Something in the file CarePath does not map, with where it is.
    struct Note {
        var element: Int
        var tag: String
        var id: String
        var message: String
    }

    var markup: MarkupDocument
    var definitionsName: String?
    var processes: [Process] = []
    var participants: [Participant] = []
    var nodes: [Node] = []
    var nodeIndex: [String: Int] = [:]
    var flows: [Flow] = []
    var messageFlows: [MessageFlow] = []
    var messageNames: [String: String] = [:]
    var dataReferences: [String: DataReference] = [:]
    var notes: [Note] = []
    var annotations = 0

    static let activityTags: Set<String> = [
        "task", "userTask", "manualTask", "serviceTask", "sendTask", "receiveTask", "scriptTask",
        "businessRuleTask", "subProcess", "callActivity", "transaction", "adHocSubProcess",
    ]
    static let containerTags: Set<String> = ["subProcess", "transaction", "adHocSubProcess"]
    static let nodeKinds: [String: NodeKind] = [
        "startEvent": .startEvent, "endEvent": .endEvent, "intermediateCatchEvent": .intermediateCatch,
        "intermediateThrowEvent": .intermediateThrow, "implicitThrowEvent": .intermediateThrow, "boundaryEvent": .boundary,
        "exclusiveGateway": .exclusiveGateway, "parallelGateway": .parallelGateway, "inclusiveGateway": .inclusiveGateway,
        "eventBasedGateway": .eventBasedGateway, "complexGateway": .complexGateway,
    ]
    /// Elements that carry nothing for a pathway, skipped without a word.
    static let silent: Set<String> = [
        "documentation", "extensionElements", "laneSet", "property", "ioSpecification", "ioBinding",
        "dataObject", "dataObjectReference", "dataStoreReference", "textAnnotation", "association", "group",
        "category", "categoryValue", "sequenceFlow", "auditing", "monitoring", "incoming", "outgoing",
        "multiInstanceLoopCharacteristics", "standardLoopCharacteristics", "dataInputAssociation", "dataOutputAssociation",
        "completionCondition", "dataInput", "dataOutput", "inputSet", "outputSet", "resourceRole", "performer",
        "humanPerformer", "potentialOwner", "rendering",
    ]

    /// Reads the document's BPMN content. `markup` has already been checked to be BPMN definitions.
    init(markup: MarkupDocument, root: Int) {
        self.markup = markup
        let definitions = markup[root]
        definitionsName = Self.clean(definitions.attribute("name"))
        for child in definitions.children where markup[child].namespace == Self.model {
            let e = markup[child]
            switch e.name {
            case "process": readProcess(child)
            case "collaboration": readCollaboration(child)
            case "message":
                if let id = e.attribute("id"), let name = Self.clean(e.attribute("name")) { messageNames[id] = name }
            default: break
            }
        }
    }

    static func clean(_ text: String?) -> String? {
        guard let text else { return nil }
        let collapsed = text.split(whereSeparator: { $0.isWhitespace || $0.isNewline }).joined(separator: " ")
        return collapsed.isEmpty ? nil : collapsed
    }

    /// An id reference, with a QName's declared prefix dropped (`bpmn2:TaskA` -> `TaskA`).
    func ref(_ value: String?, _ element: Int) -> String? { value.map { markup.reference($0, at: element) } }

    func children(_ element: Int, named name: String) -> [Int] {
        markup[element].children.filter { markup[$0].namespace == Self.model && markup[$0].name == name }
    }

    func childText(_ element: Int, _ name: String) -> [String] {
        children(element, named: name).map { markup[$0].text.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }

    mutating func note(_ element: Int, _ message: String) {
        let e = markup[element]
        notes.append(Note(element: element, tag: e.name, id: e.attribute("id") ?? "", message: message))
    }

    mutating func readCollaboration(_ element: Int) {
        for child in markup[element].children where markup[child].namespace == Self.model {
            let e = markup[child]
            switch e.name {
            case "participant":
                participants.append(Participant(element: child, id: e.attribute("id") ?? "", name: Self.clean(e.attribute("name")),
                                                processRef: ref(e.attribute("processRef"), child),
                                                carePathID: e.attribute("id", namespace: BPMNImport.carePathNamespace)))
            case "messageFlow":
                guard let source = ref(e.attribute("sourceRef"), child), let target = ref(e.attribute("targetRef"), child) else {
                    note(child, "a message flow without sourceRef or targetRef: ignored")
                    continue
                }
                messageFlows.append(MessageFlow(element: child, id: e.attribute("id") ?? "", source: source, target: target,
                                                name: Self.clean(e.attribute("name")), messageRef: ref(e.attribute("messageRef"), child),
                                                carePathID: e.attribute("id", namespace: BPMNImport.carePathNamespace),
                                                carePathTarget: e.attribute("target", namespace: BPMNImport.carePathNamespace)))
            case "documentation", "extensionElements", "textAnnotation", "association", "group", "conversation",
                 "conversationLink", "participantAssociation", "messageFlowAssociation":
                break
            default:
                note(child, "<\(e.name)> in the collaboration is not part of a CarePath pathway: ignored")
            }
        }
    }

    mutating func readProcess(_ element: Int) {
        let e = markup[element]
        let processIndex = processes.count
        var process = Process(element: element, id: e.attribute("id") ?? "process-\(processIndex + 1)", name: Self.clean(e.attribute("name")))
        // Lanes, depth first without recursion.
        var laneStack: [(Int, Int)] = children(element, named: "laneSet").flatMap { set in children(set, named: "lane").reversed().map { ($0, 0) } }
        while let (laneElement, depth) = laneStack.popLast() {
            let l = markup[laneElement]
            let childLanes = children(laneElement, named: "childLaneSet").flatMap { children($0, named: "lane") }
            process.lanes.append(Lane(element: laneElement, id: l.attribute("id") ?? "", name: Self.clean(l.attribute("name")),
                                      nodeRefs: childText(laneElement, "flowNodeRef").map { markup.reference($0, at: laneElement) }, depth: depth, hasChildren: !childLanes.isEmpty,
                                      carePathID: l.attribute("id", namespace: BPMNImport.carePathNamespace)))
            laneStack += childLanes.reversed().map { ($0, depth + 1) }
        }
        processes.append(process)

        // Flow elements of the process and of expanded sub-processes, in document order.
        var stack: [(element: Int, container: Int?)] = markup[element].children.reversed().map { ($0, nil) }
        while let (child, container) = stack.popLast() {
            let c = markup[child]
            guard c.namespace == Self.model else { continue }
            let id = c.attribute("id") ?? ""
            if Self.activityTags.contains(c.name) || Self.nodeKinds[c.name] != nil {
                guard !id.isEmpty else { note(child, "<\(c.name)> without an id: ignored"); continue }
                guard nodeIndex[id] == nil else { note(child, "a second element with id '\(id)': ignored"); continue }
                let node = readNode(child, process: processIndex, container: container)
                nodeIndex[id] = nodes.count
                nodes.append(node)
                if Self.containerTags.contains(c.name) {
                    let inner = container ?? (nodes.count - 1)
                    stack += c.children.reversed().map { ($0, inner) }
                }
                continue
            }
            switch c.name {
            case "sequenceFlow":
                guard let source = ref(c.attribute("sourceRef"), child), let target = ref(c.attribute("targetRef"), child) else {
                    note(child, "a sequence flow without sourceRef or targetRef: ignored")
                    continue
                }
                let condition = children(child, named: "conditionExpression").first.map { markup[$0].text }
                    .flatMap { Self.clean($0) }
                let p = c.attribute("p", namespace: BPMNImport.carePathNamespace).flatMap(Double.init)
                flows.append(Flow(element: child, id: id, source: source, target: target, name: Self.clean(c.attribute("name")),
                                  condition: condition, carePathP: p.flatMap { $0.isFinite && $0 >= 0 && $0 <= 1 ? $0 : nil },
                                  inner: container != nil))
            case "dataObjectReference", "dataObject", "dataStoreReference":
                guard !id.isEmpty else { continue }
                dataReferences[id] = DataReference(element: child, id: id, name: Self.clean(c.attribute("name")),
                                                   isStore: c.name == "dataStoreReference", objectRef: ref(c.attribute("dataObjectRef"), child),
                                                   carePathID: c.attribute("id", namespace: BPMNImport.carePathNamespace))
            case "textAnnotation", "association", "group":
                annotations += 1
            default:
                if !Self.silent.contains(c.name) {
                    note(child, "<\(c.name)> is not part of a CarePath pathway: ignored")
                }
            }
        }
    }

    func readNode(_ element: Int, process: Int, container: Int?) -> Node {
        let e = markup[element]
        let kind = Self.nodeKinds[e.name] ?? .activity
        var node = Node(element: element, id: e.attribute("id") ?? "", name: Self.clean(e.attribute("name")), tag: e.name,
                        kind: kind, process: process, container: container)
        node.attachedTo = ref(e.attribute("attachedToRef"), element)
        node.defaultFlow = ref(e.attribute("default"), element)
        node.carePathID = e.attribute("id", namespace: BPMNImport.carePathNamespace)
        node.carePathDuration = e.attribute("duration", namespace: BPMNImport.carePathNamespace)
        node.holdsNoStaff = e.attribute("occupies", namespace: BPMNImport.carePathNamespace) == "false"
        node.documentation = childText(element, "documentation").first.flatMap { Self.clean($0) }
        for child in e.children where markup[child].namespace == Self.model {
            let c = markup[child]
            if c.name.hasSuffix("EventDefinition") {
                node.eventDefinitions.append(c.name)
                if c.name == "timerEventDefinition" {
                    var timer = Timer(kind: nil, text: "")
                    for part in ["timeDuration", "timeDate", "timeCycle"] {
                        if let text = children(child, named: part).first.map({ markup[$0].text }) {
                            timer = Timer(kind: part, text: text.trimmingCharacters(in: .whitespacesAndNewlines))
                            break
                        }
                    }
                    node.timer = timer
                }
                if c.name == "linkEventDefinition" { node.linkName = Self.clean(c.attribute("name")) ?? node.name }
            } else if c.name == "eventDefinitionRef" {
                node.eventDefinitions.append("eventDefinitionRef")
            } else if c.name == "multiInstanceLoopCharacteristics" || c.name == "standardLoopCharacteristics" {
                node.loop = c.name == "multiInstanceLoopCharacteristics" ? "multi-instance" : "loop"
            } else if c.name == "dataInputAssociation" {
                node.reads += childText(child, "sourceRef").map { markup.reference($0, at: child) }
            } else if c.name == "dataOutputAssociation" {
                node.writes += childText(child, "targetRef").map { markup.reference($0, at: child) }
            }
        }
        return node
    }
}
