import CarePathFormat
import CarePathInterop
import CarePathModel
import Foundation
import XCTest

/// `carepath import bpmn`: real BPMN files from other tools, and hand-made ones for each rule.
final class BPMNImportTests: XCTestCase {
    func importFixture(_ name: String) throws -> (BPMNImport.Result, Pathway) {
        let result = try BPMNImport.convert(try Support.fixture(name), as: name)
        let errors = result.check.filter { $0.severity == .error }
        XCTAssertEqual(errors, [], "\(name):\n" + result.yaml)
        let checked = PathwayFile.check(text: result.yaml, file: name + ".yaml")
        guard let pathway = checked.pathway else {
            XCTFail("\(name): the imported pathway does not validate:\n" + checked.problems.map(\.description).joined(separator: "\n"))
            throw XCTSkip("no pathway")
        }
        return (result, pathway)
    }

    func warnings(_ result: BPMNImport.Result) -> String { result.warnings.map(\.description).joined(separator: "\n") }

    func testEveryPublicFixtureImportsToAValidPathway() throws {
        for name in Support.publicFixtures {
            let (result, pathway) = try importFixture(name)
            XCTAssertFalse(pathway.states.isEmpty, name)
            XCTAssertTrue(result.yaml.contains("# TODO(planner):"), "\(name): defaults are marked for the planner")
            // Every warning is located in the BPMN file and names an element.
            for warning in result.warnings {
                XCTAssertEqual(warning.severity, .warning)
                XCTAssertTrue(warning.file == name && warning.line >= 1 && warning.column >= 1, warning.description)
            }
        }
    }

    func testCamundaInvoiceCollaboration() throws {
        let (result, pathway) = try importFixture("C.1.0-export-camunda-modeler.bpmn")
        XCTAssertEqual(pathway.organisations.map(\.id), ["team-assistant", "process-engine-invoice-receipt"])
        XCTAssertEqual(pathway.organisations.map(\.name), ["Team-Assistant", "Process Engine - Invoice Receipt"])
        // Lanes are roles; the pool without lanes has one.
        XCTAssertEqual(pathway.organisation("process-engine-invoice-receipt")?.roles.map(\.id), ["approver", "accountant", "team-assistant"])
        XCTAssertEqual(pathway.organisation("team-assistant")?.roles.count, 1)
        // Tasks are states owned by their lane's role.
        XCTAssertEqual(pathway.state("approve-invoice")?.owner?.description, "process-engine-invoice-receipt/approver")
        XCTAssertEqual(pathway.state("prepare-bank-transfer")?.owner?.description, "process-engine-invoice-receipt/accountant")
        XCTAssertEqual(pathway.state("archive-invoice")?.owner?.description, "process-engine-invoice-receipt/accountant")
        XCTAssertEqual(pathway.start, "scan-invoice")
        // Scanning sends the invoice to the other pool and carries on as drawn: a send, not a choice.
        let scan = try XCTUnwrap(pathway.state("scan-invoice"))
        XCTAssertEqual(scan.next.map(\.to), ["archive-original"])
        XCTAssertEqual(scan.sends, [Send(item: "message-from-scan-invoice", to: "process-engine-invoice-receipt")])
        // The exclusive gateway's labels are kept as comments; the branches share equally.
        XCTAssertTrue(result.yaml.contains("exclusive gateway \"Invoice approved?\" (Gateway_1dcehzu), branch \"yes\""))
        let approve = try XCTUnwrap(pathway.state("approve-invoice"))
        XCTAssertEqual(approve.next.compactMap(\.probability), [0.5, 0.5])
        // End events are terminal states; the empty timer waits, and is reported.
        XCTAssertTrue(pathway.state("invoice-processed")?.isTerminal ?? false)
        XCTAssertEqual(pathway.state("step-7-days")?.occupiesRole, false)
        let text = warnings(result)
        XCTAssertTrue(text.contains("intermediateCatchEvent.Event_1m6mn1s: timer Event_1m6mn1s \"7 Days\" has no duration"), text)
        XCTAssertTrue(text.contains("eventBasedGateway.Gateway_073nxen"), text)
        XCTAssertTrue(text.contains("messageFlow.Flow_0rh87ss"), text)
    }

    func testTrisotechFourPoolsWithSubProcess() throws {
        let (result, pathway) = try importFixture("C.2.0-reference-trisotech.bpmn")
        XCTAssertEqual(Set(pathway.organisations.map(\.id)), ["carrier", "credit-card-company", "customer", "amazon"])
        XCTAssertEqual(pathway.organisation("amazon")?.roles.map(\.id), ["picker", "packager"])
        XCTAssertEqual(pathway.start, "browse-products-on-amazon")
        // The sub-process is one state; its inner task sends the named message to the card company
        // and the customer carries on as drawn (to receiving the items), not to the card company.
        let checkout = try XCTUnwrap(pathway.state("checkout"))
        XCTAssertTrue(checkout.sends.contains(Send(item: "send-credit-card-information", to: "credit-card-company")))
        XCTAssertTrue(checkout.produces.contains("send-credit-card-information"))
        XCTAssertEqual(Set(checkout.next.map(\.to)), ["receive-items", "error-after-checkout"])
        XCTAssertEqual(pathway.item("send-credit-card-information")?.title, "Send Credit Card Information")
        let text = warnings(result)
        XCTAssertTrue(text.contains("boundaryEvent.__cec149db-adae-4b69-8ea4-b866f2eef248"), text)
        XCTAssertTrue(text.contains("is one state; its 7 inner element(s)"), text)
    }

    func testDataSharingFrameworkPongProcess() throws {
        let (result, pathway) = try importFixture("dsf-pong.bpmn")
        XCTAssertEqual(pathway.organisations.count, 1)
        XCTAssertEqual(pathway.organisations[0].roles.count, 1, "a pool without lanes gets one role")
        XCTAssertEqual(pathway.start, "set-download-resource-size", "the message start event leads straight to the first task")
        // JUEL conditions are kept as comments, never turned into CarePath conditions.
        XCTAssertTrue(result.yaml.contains("condition ${downloadResourceSizeBytes < 0}"))
        XCTAssertFalse(pathway.states.flatMap(\.next).contains { $0.condition != nil })
        // The error boundary events are alternative outcomes of their tasks.
        XCTAssertTrue(pathway.state("download-resource-and-measure-speed")?.next.contains { $0.to == "invalid-resource-reference" } ?? false)
        let text = warnings(result)
        XCTAssertTrue(text.contains("intermediateCatchEvent.Event_0o4l2t4: timer Event_0o4l2t4 has the duration '${cleanupTimerDuration}', which is not an ISO 8601 duration"), text)
        XCTAssertTrue(text.contains("text annotation"), text)
    }

    func testBpmnJsPoolsAsMessageEnds() throws {
        let (result, pathway) = try importFixture("collaboration-message-flows.bpmn")
        XCTAssertEqual(pathway.organisations.map(\.id), ["pool", "pool-2"])
        XCTAssertEqual(pathway.start, "task", "a process without a start event starts at its step with no incoming flow")
        XCTAssertTrue(pathway.isCrossOrganisation(from: "task", to: "start"))
        XCTAssertTrue(warnings(result).contains("messageFlow.MessageFlow_2: message flow MessageFlow_2 comes from the whole pool \"Pool\""))
    }

    // MARK: Mapping rules on a small model

    /// Two pools, default namespace (no prefix), lanes, a named message, an ISO timer, an
    /// exclusive gateway with three branches, a parallel block and a data object.
    static let referral = """
        <?xml version="1.0" encoding="UTF-8"?>
        <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="d" name="Falls referral">
          <collaboration id="c">
            <participant id="P_gp" name="Riverside Surgery" processRef="gp" />
            <participant id="P_falls" name="Community Falls Service" processRef="falls" />
            <messageFlow id="M1" name="Falls referral letter" sourceRef="refer" targetRef="triage" />
          </collaboration>
          <process id="gp">
            <laneSet><lane id="L_gp" name="GP"><flowNodeRef>start</flowNodeRef><flowNodeRef>review</flowNodeRef><flowNodeRef>g</flowNodeRef><flowNodeRef>refer</flowNodeRef><flowNodeRef>done</flowNodeRef><flowNodeRef>wait</flowNodeRef><flowNodeRef>meds</flowNodeRef></lane></laneSet>
            <startEvent id="start" name="Fall reported" />
            <userTask id="review" name="GP review">
              <dataOutputAssociation id="a1"><targetRef>dor</targetRef></dataOutputAssociation>
            </userTask>
            <dataObject id="do" name="Medication list" />
            <dataObjectReference id="dor" dataObjectRef="do" />
            <exclusiveGateway id="g" name="Risk?" />
            <sendTask id="refer" name="Refer to falls service" />
            <intermediateCatchEvent id="wait" name="Wait two weeks">
              <timerEventDefinition><timeDuration xsi:type="tFormalExpression">P14D</timeDuration></timerEventDefinition>
            </intermediateCatchEvent>
            <task id="meds" name="Medication review" />
            <endEvent id="done" name="Home" />
            <sequenceFlow id="f1" sourceRef="start" targetRef="review" />
            <sequenceFlow id="f2" sourceRef="review" targetRef="g" />
            <sequenceFlow id="f3" name="high" sourceRef="g" targetRef="refer"><conditionExpression xsi:type="tFormalExpression">risk &gt; 2</conditionExpression></sequenceFlow>
            <sequenceFlow id="f4" name="low" sourceRef="g" targetRef="done" />
            <sequenceFlow id="f5" name="unclear" sourceRef="g" targetRef="wait" />
            <sequenceFlow id="f6" sourceRef="wait" targetRef="meds" />
            <sequenceFlow id="f7" sourceRef="meds" targetRef="done" />
            <sequenceFlow id="f8" sourceRef="refer" targetRef="done" />
          </process>
          <process id="falls">
            <laneSet>
              <lane id="L_nurse" name="Falls nurse"><flowNodeRef>triage</flowNodeRef><flowNodeRef>split</flowNodeRef><flowNodeRef>home</flowNodeRef><flowNodeRef>join</flowNodeRef><flowNodeRef>end2</flowNodeRef></lane>
              <lane id="L_physio" name="Physiotherapist"><flowNodeRef>strength</flowNodeRef></lane>
            </laneSet>
            <task id="triage" name="Triage referral" />
            <parallelGateway id="split" />
            <task id="home" name="Home hazard check" />
            <task id="strength" name="Strength and balance" />
            <parallelGateway id="join" />
            <endEvent id="end2" name="Discharged from falls service" />
            <sequenceFlow id="s1" sourceRef="triage" targetRef="split" />
            <sequenceFlow id="s2" sourceRef="split" targetRef="home" />
            <sequenceFlow id="s3" sourceRef="split" targetRef="strength" />
            <sequenceFlow id="s4" sourceRef="home" targetRef="join" />
            <sequenceFlow id="s5" sourceRef="strength" targetRef="join" />
            <sequenceFlow id="s6" sourceRef="join" targetRef="end2" />
          </process>
        </definitions>
        """

    func convert(_ xml: String, file: String = "model.bpmn") throws -> (BPMNImport.Result, Pathway) {
        let result = try BPMNImport.convert(data: Data(xml.utf8), file: file, pathwayID: "test-model")
        let checked = PathwayFile.check(text: result.yaml, file: "model.yaml")
        guard let pathway = checked.pathway else {
            XCTFail(checked.problems.map(\.description).joined(separator: "\n") + "\n" + result.yaml)
            throw XCTSkip("no pathway")
        }
        return (result, pathway)
    }

    func testMappingRules() throws {
        let (result, pathway) = try convert(Self.referral)
        XCTAssertEqual(pathway.title, "Falls referral")
        XCTAssertEqual(pathway.organisations.map(\.id), ["riverside-surgery", "community-falls-service"])
        XCTAssertEqual(pathway.organisation("community-falls-service")?.roles.map(\.id), ["falls-nurse", "physiotherapist"])
        // The start event leads to one task, which is the start.
        XCTAssertEqual(pathway.start, "gp-review")
        // Three branches with equal shares written so that they add up to exactly 1.
        let review = try XCTUnwrap(pathway.state("gp-review"))
        XCTAssertEqual(review.next.map(\.to), ["refer-to-falls-service", "home", "wait-two-weeks"])
        XCTAssertTrue(result.yaml.contains("p: 0.3333") && result.yaml.contains("p: 0.3334"), result.yaml)
        XCTAssertEqual(review.next.compactMap(\.probability).reduce(0, +), 1, accuracy: 1e-12)
        XCTAssertTrue(result.yaml.contains("branch \"high\", condition risk > 2"), "conditions kept as comments")
        // The ISO timer is a wait with that duration that holds no staff.
        let wait = try XCTUnwrap(pathway.state("wait-two-weeks"))
        XCTAssertEqual(wait.duration, .fixed(14 * 24))
        XCTAssertFalse(wait.occupiesRole)
        // The message flow is a cross-organisation handoff carrying the message as an item.
        let refer = try XCTUnwrap(pathway.state("refer-to-falls-service"))
        let handoff = try XCTUnwrap(refer.next.first { $0.to == "triage-referral" })
        XCTAssertEqual(handoff.carries, ["falls-referral-letter"])
        XCTAssertTrue(refer.produces.contains("falls-referral-letter"))
        XCTAssertEqual(pathway.state("triage-referral")?.needs, ["falls-referral-letter"])
        XCTAssertEqual(pathway.state("triage-referral")?.owner?.description, "community-falls-service/falls-nurse")
        XCTAssertEqual(pathway.state("strength-and-balance")?.owner?.description, "community-falls-service/physiotherapist")
        // A data object written by a task is an item it produces.
        XCTAssertEqual(review.produces, ["medication-list"])
        // The parallel block runs its branches one after another, with a warning.
        XCTAssertEqual(pathway.state("triage-referral")?.next.map(\.to), ["home-hazard-check"])
        XCTAssertEqual(pathway.state("home-hazard-check")?.next.map(\.to), ["strength-and-balance"])
        XCTAssertEqual(pathway.state("strength-and-balance")?.next.map(\.to), ["discharged-from-falls-service"])
        XCTAssertTrue(warnings(result).contains("parallelGateway.split: parallel gateway split: a patient is in one state at a time"), warnings(result))
        // Defaults the BPMN lacks are marked for the planner.
        XCTAssertTrue(result.yaml.contains("capacity: 1            # TODO(planner): staff or slots"))
        XCTAssertTrue(result.yaml.contains("sector: community          # TODO(planner)"))
        XCTAssertTrue(result.yaml.contains("duration: 1h   # TODO(planner): duration of this step; BPMN userTask review has none"))
        XCTAssertTrue(result.yaml.contains("category: administrative, title: \"Falls referral letter\" }   # TODO(planner)"))
    }

    func testParallelSplitThatDoesNotRejoinIsAChoiceWithAWarning() throws {
        let xml = """
            <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">
              <bpmn:process id="p">
                <bpmn:startEvent id="s" /><bpmn:task id="a" name="A" /><bpmn:parallelGateway id="fork" />
                <bpmn:task id="b" name="B" /><bpmn:task id="c" name="C" /><bpmn:endEvent id="e1" name="Out one" /><bpmn:endEvent id="e2" name="Out two" />
                <bpmn:sequenceFlow id="1" sourceRef="s" targetRef="a" /><bpmn:sequenceFlow id="2" sourceRef="a" targetRef="fork" />
                <bpmn:sequenceFlow id="3" sourceRef="fork" targetRef="b" /><bpmn:sequenceFlow id="4" sourceRef="fork" targetRef="c" />
                <bpmn:sequenceFlow id="5" sourceRef="b" targetRef="e1" /><bpmn:sequenceFlow id="6" sourceRef="c" targetRef="e2" />
              </bpmn:process>
            </bpmn:definitions>
            """
        let (result, pathway) = try convert(xml)
        XCTAssertEqual(pathway.state("a")?.next.map(\.to), ["b", "c"])
        XCTAssertEqual(pathway.state("a")?.next.compactMap(\.probability), [0.5, 0.5])
        XCTAssertTrue(warnings(result).contains("parallelGateway.fork: parallel gateway fork: its branches do not meet again"), warnings(result))
    }

    func testUnreachableAndEndlessPartsStillGiveAValidPathway() throws {
        let xml = """
            <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">
              <process id="p">
                <startEvent id="s" /><task id="a" name="Assess" /><task id="b" name="Loop one" /><task id="c" name="Loop two" />
                <task id="orphan" name="Never reached" /><task id="z" name="Dead end" />
                <exclusiveGateway id="g1" /><exclusiveGateway id="g2" />
                <sequenceFlow id="1" sourceRef="s" targetRef="a" /><sequenceFlow id="2" sourceRef="a" targetRef="b" />
                <sequenceFlow id="3" sourceRef="b" targetRef="c" /><sequenceFlow id="4" sourceRef="c" targetRef="b" />
                <sequenceFlow id="5" sourceRef="a" targetRef="g1" /><sequenceFlow id="6" sourceRef="g1" targetRef="g2" />
                <sequenceFlow id="7" sourceRef="g2" targetRef="g1" /><sequenceFlow id="8" sourceRef="a" targetRef="z" />
                <sequenceFlow id="9" sourceRef="orphan" targetRef="ghost" />
              </process>
            </definitions>
            """
        let (result, pathway) = try convert(xml)
        XCTAssertNil(pathway.state("never-reached"))
        XCTAssertTrue(pathway.state("dead-end")?.next.contains { $0.to == "end" } ?? false, "a task with no outgoing flow ends the pathway")
        let text = warnings(result)
        XCTAssertTrue(text.contains("sequenceFlow.9: sequence flow 9 refers to 'ghost'"), text)
        XCTAssertTrue(text.contains("a loop through gateways with no task in it"), text)
        XCTAssertTrue(text.contains("in a loop with no way to an end event"), text)
        XCTAssertTrue(text.contains("cannot be reached from the start and are left out"), text)
    }

    func testISODurations() {
        XCTAssertEqual(ISODuration.parse("PT20S")?.hours ?? 0, 20.0 / 3600, accuracy: 1e-12)
        XCTAssertEqual(ISODuration.parse("P1DT12H")?.hours, 36)
        XCTAssertEqual(ISODuration.parse("P2W")?.hours, 336)
        XCTAssertEqual(ISODuration.parse("PT0.5H")?.hours, 0.5)
        XCTAssertEqual(ISODuration.parse("P1M")?.approximate, true)
        for bad in ["", "P", "PT", "20S", "${x}", "P1H", "PT1D", "P-1D", "PT1H2", "R3/PT1H"] {
            XCTAssertNil(ISODuration.parse(bad), bad)
        }
        XCTAssertEqual(ISODuration.format(hours: 36), "P1DT12H")
        XCTAssertEqual(ISODuration.format(hours: 0.25), "PT15M")
    }

    // MARK: Bad input

    func assertLocatedError(_ data: Data, file: String = "bad.bpmn", line: Int? = nil, contains text: String,
                            _ message: StaticString = #filePath, at lineNumber: UInt = #line) {
        do {
            let result = try BPMNImport.convert(data: data, file: file)
            XCTFail("expected an error, got a pathway:\n\(result.yaml)", file: message, line: lineNumber)
        } catch {
            XCTAssertEqual(error.problems.count, 1, file: message, line: lineNumber)
            guard let problem = error.problems.first else { return }
            XCTAssertEqual(problem.severity, .error, file: message, line: lineNumber)
            XCTAssertEqual(problem.file, file, file: message, line: lineNumber)
            if let line { XCTAssertEqual(problem.line, line, problem.description, file: message, line: lineNumber) }
            XCTAssertGreaterThanOrEqual(problem.column, 1, file: message, line: lineNumber)
            XCTAssertTrue(problem.description.hasPrefix("\(file):\(problem.line):\(problem.column): error: "), problem.description,
                          file: message, line: lineNumber)
            XCTAssertTrue(problem.message.contains(text), problem.description, file: message, line: lineNumber)
        }
    }

    func testTruncatedXMLIsALocatedError() throws {
        let full = try Data(contentsOf: try Support.fixture("C.1.0-export-camunda-modeler.bpmn"))
        assertLocatedError(full.prefix(full.count / 2), contains: "XML syntax")
        assertLocatedError(Data("<definitions xmlns=\"http://www.omg.org/spec/BPMN/20100524/MODEL\">\n  <process id=\"p\">\n    <task id=\"t\"".utf8),
                           line: 3, contains: "XML syntax")
    }

    func testNonBPMNXMLIsALocatedError() {
        assertLocatedError(Data("<?xml version=\"1.0\"?>\n<html><body>not a model</body></html>".utf8), line: 2,
                           contains: "not a BPMN 2.0 model: the root element is <html> in no namespace")
        // The right element name in the wrong namespace is not BPMN either.
        assertLocatedError(Data("<definitions xmlns=\"http://www.omg.org/spec/DMN/20191111/MODEL/\"><decision id=\"d\"/></definitions>".utf8),
                           line: 1, contains: "not a BPMN 2.0 model")
    }

    func testBPMNWithoutProcessIsALocatedError() {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">
              <bpmn:collaboration id="c"><bpmn:participant id="a" name="Black box" /></bpmn:collaboration>
            </bpmn:definitions>
            """
        assertLocatedError(Data(xml.utf8), line: 2, contains: "the BPMN file has no <process>")
        assertLocatedError(Data("<bpmn:definitions xmlns:bpmn=\"http://www.omg.org/spec/BPMN/20100524/MODEL\"><bpmn:process id=\"p\"/></bpmn:definitions>".utf8),
                           line: 1, contains: "no tasks, events or gateways")
    }

    func testOtherBadInputNeverCrashes() {
        assertLocatedError(Data(), contains: "empty")
        assertLocatedError(Data("   \n".utf8), contains: "empty")
        assertLocatedError(Data([0xFF, 0xFE, 0x00, 0x01, 0x02, 0x80, 0x81]), contains: "XML")
        assertLocatedError(Data("just text".utf8), contains: "not BPMN 2.0 XML: the file starts with \"just text\", not with an XML tag")
        assertLocatedError(Data("pathway: p\nstates:\n  a: { terminal: true }\n".utf8), line: 1,
                           contains: "it reads as a CarePath YAML file, which needs no import")
        assertLocatedError(Data("<!DOCTYPE x [<!ENTITY a \"aaaa\">]>\n<x>&a;</x>".utf8), line: 1, contains: "document type declaration")
        // Deep nesting, no crash.
        let deep = "<definitions xmlns=\"http://www.omg.org/spec/BPMN/20100524/MODEL\"><process id=\"p\">"
            + String(repeating: "<subProcess id=\"s\">", count: 5000) + String(repeating: "</subProcess>", count: 5000) + "</process></definitions>"
        _ = try? BPMNImport.convert(data: Data(deep.utf8), file: "deep.bpmn")
    }

    /// Every cut of a real file either imports to a valid pathway or is a located error.
    func testTruncationsOfARealFileNeverCrash() throws {
        for name in Support.publicFixtures {
            let full = try Data(contentsOf: try Support.fixture(name))
            for cut in stride(from: 0, to: full.count, by: max(full.count / 97, 1)) {
                do {
                    let result = try BPMNImport.convert(data: full.prefix(cut), file: name)
                    XCTAssertEqual(result.check.filter { $0.severity == .error }, [], "\(name) cut at \(cut)")
                } catch {
                    XCTAssertFalse(error.problems.isEmpty)
                }
            }
        }
    }

    /// Removing any one element of a real model still gives a valid pathway or a located error.
    func testDamagedModelsGiveValidPathwaysOrErrors() throws {
        let text = try String(contentsOf: try Support.fixture("C.2.0-reference-trisotech.bpmn"), encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for i in lines.indices where lines[i].contains("/>") && !lines[i].contains("definitions") {
            var damaged = lines
            damaged.remove(at: i)
            let xml = damaged.joined(separator: "\n")
            do {
                let result = try BPMNImport.convert(data: Data(xml.utf8), file: "damaged.bpmn")
                XCTAssertEqual(result.check.filter { $0.severity == .error }, [], "without line \(i + 1): \(lines[i])")
            } catch {
                XCTAssertFalse(error.problems.isEmpty)
            }
        }
    }
}
