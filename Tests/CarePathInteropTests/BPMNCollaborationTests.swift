import CarePathFormat
import CarePathInterop
import CarePathModel
import Foundation
import XCTest

/// Collaborations read as drawn: each pattern on a small hand-written model.
final class BPMNCollaborationTests: XCTestCase {
    func convert(_ xml: String) throws -> (BPMNImport.Result, Pathway) {
        let result = try BPMNImport.convert(data: Data(xml.utf8), file: "model.bpmn", pathwayID: "test-model")
        let checked = PathwayFile.check(text: result.yaml, file: "model.yaml")
        guard let pathway = checked.pathway else {
            XCTFail(checked.problems.map(\.description).joined(separator: "\n") + "\n" + result.yaml)
            throw XCTSkip("no pathway")
        }
        XCTAssertEqual(checked.problems.filter { $0.severity == .error }, [])
        return (result, pathway)
    }

    func warnings(_ result: BPMNImport.Result) -> String { result.warnings.map(\.description).joined(separator: "\n") }

    /// A clinic asks a lab for bloods and waits for the results: the request is sent, the patient
    /// stays in the clinic. Prefixed (QName) references throughout, unnamed lanes, and a vendor
    /// extension whose namespace is not a valid URI.
    static let requestAndReply = """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn2:definitions xmlns:bpmn2="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:vnd="urn:vendor ext 1.0" id="d" name="Bloods">
          <bpmn2:collaboration id="c">
            <bpmn2:participant id="P1" name="Clinic" processRef="bpmn2:PrClinic" />
            <bpmn2:participant id="P2" name="Lab" processRef="bpmn2:PrLab" />
            <bpmn2:messageFlow id="M1" name="Blood request" sourceRef="bpmn2:TA" targetRef="bpmn2:LabStart" />
            <bpmn2:messageFlow id="M2" name="Results" sourceRef="bpmn2:LabEnd" targetRef="bpmn2:TB" />
          </bpmn2:collaboration>
          <bpmn2:process id="PrClinic">
            <bpmn2:extensionElements><vnd:meta version="3" /></bpmn2:extensionElements>
            <bpmn2:laneSet id="ls1">
              <bpmn2:lane id="La"><bpmn2:flowNodeRef>bpmn2:S</bpmn2:flowNodeRef><bpmn2:flowNodeRef>TA</bpmn2:flowNodeRef></bpmn2:lane>
              <bpmn2:lane id="Lb"><bpmn2:flowNodeRef>TB</bpmn2:flowNodeRef><bpmn2:flowNodeRef>E</bpmn2:flowNodeRef></bpmn2:lane>
            </bpmn2:laneSet>
            <bpmn2:startEvent id="S" />
            <bpmn2:sendTask id="TA" name="Request bloods" />
            <bpmn2:receiveTask id="TB" name="Review results" />
            <bpmn2:endEvent id="E" name="Done" />
            <bpmn2:sequenceFlow id="f1" sourceRef="bpmn2:S" targetRef="bpmn2:TA" />
            <bpmn2:sequenceFlow id="f2" sourceRef="TA" targetRef="TB" />
            <bpmn2:sequenceFlow id="f3" sourceRef="TB" targetRef="E" />
          </bpmn2:process>
          <bpmn2:process id="PrLab">
            <bpmn2:startEvent id="LabStart"><bpmn2:messageEventDefinition /></bpmn2:startEvent>
            <bpmn2:task id="Run" name="Run tests" />
            <bpmn2:endEvent id="LabEnd"><bpmn2:messageEventDefinition /></bpmn2:endEvent>
            <bpmn2:sequenceFlow id="g1" sourceRef="LabStart" targetRef="Run" />
            <bpmn2:sequenceFlow id="g2" sourceRef="Run" targetRef="LabEnd" />
          </bpmn2:process>
          <bpmn2:process id="PrEmpty" />
        </bpmn2:definitions>
        """

    func testSendAndContinueIsASendNotAChoice() throws {
        let (result, pathway) = try convert(Self.requestAndReply)
        let text = warnings(result)
        // Every patient follows the drawn path: request, then review; no equal-probability choice.
        XCTAssertEqual(pathway.start, "request-bloods")
        let request = try XCTUnwrap(pathway.state("request-bloods"))
        XCTAssertEqual(request.next.map(\.to), ["review-results"])
        XCTAssertNil(request.next[0].probability)
        // The request is an item sent to the lab, which the requesting step records.
        XCTAssertEqual(request.sends, [Send(item: "blood-request", to: "lab")])
        XCTAssertTrue(request.produces.contains("blood-request"))
        XCTAssertEqual(pathway.state("review-results")?.next.map(\.to), ["done"])
        XCTAssertFalse(text.contains("alternatives with equal probabilities"), text)
        // QName references resolved: both pools are organisations with their steps, not black boxes.
        XCTAssertEqual(pathway.organisations.map(\.id), ["clinic", "lab"])
        XCTAssertFalse(text.contains("black-box"), text)
        // The lab's own work is not on the patient's path here: left out with a warning.
        XCTAssertNil(pathway.state("run-tests"))
        XCTAssertTrue(text.contains("cannot be reached from the start"), text)
        // Unnamed lanes are named from their pool and position.
        XCTAssertEqual(pathway.organisation("clinic")?.roles.map(\.id), ["lane-1", "lane-2"])
        XCTAssertEqual(pathway.organisation("clinic")?.roles.map(\.title), ["Clinic lane 1", "Clinic lane 2"])
        XCTAssertEqual(pathway.state("review-results")?.owner?.description, "clinic/lane-2")
        // The vendor namespace that is not a URI is tolerated with a warning; the empty process skipped.
        XCTAssertTrue(text.contains("model.bpmn:2:"), text)
        XCTAssertTrue(text.contains("namespace URI that is relative or not a URI"), text)
        XCTAssertTrue(text.contains("process PrEmpty has no tasks, events or gateways: skipped"), text)
    }

    /// A ward discharges a patient home; the GP pool is a black box that sends the referral and
    /// receives the discharge letter.
    static let blackBox = """
        <?xml version="1.0" encoding="UTF-8"?>
        <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:q="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" name="Ward">
          <collaboration id="c">
            <participant id="PW" name="Ward" processRef="q:W" />
            <participant id="PG" name="GP practice" />
            <participant id="PX" name="Nobody" processRef="Hollow" />
            <messageFlow id="M1" name="Referral letter" sourceRef="PG" targetRef="q:Admit" />
            <messageFlow id="M2" name="Discharge letter" sourceRef="q:Discharge" targetRef="q:PG" />
          </collaboration>
          <process id="W">
            <startEvent id="S" />
            <task id="Admit" name="Admit" />
            <task id="Discharge" name="Discharge" />
            <endEvent id="E" name="Home" />
            <sequenceFlow id="f1" sourceRef="S" targetRef="Admit" />
            <sequenceFlow id="f2" sourceRef="Admit" targetRef="Discharge" />
            <sequenceFlow id="f3" sourceRef="Discharge" targetRef="E" />
          </process>
          <process id="Hollow" />
        </definitions>
        """

    func testMessagesToAndFromBlackBoxPoolsAreItems() throws {
        let (result, pathway) = try convert(Self.blackBox)
        let text = warnings(result)
        XCTAssertEqual(pathway.start, "admit", "a message from a black box does not make the start a triggered one")
        XCTAssertEqual(pathway.organisations.map(\.id), ["ward", "gp-practice"])
        // Sent to the black box: a send; the patient goes home as drawn.
        let discharge = try XCTUnwrap(pathway.state("discharge"))
        XCTAssertEqual(discharge.sends, [Send(item: "discharge-letter", to: "gp-practice")])
        XCTAssertEqual(discharge.next.map(\.to), ["home"])
        // From the black box: an item that exists there, needed where it arrives.
        XCTAssertEqual(pathway.state("admit")?.needs, ["referral-letter"])
        XCTAssertEqual(pathway.item("referral-letter")?.existing.map(\.organisation), ["gp-practice"])
        // A pool whose process is empty is a black box; with no message flow it is not an organisation.
        XCTAssertTrue(text.contains("process Hollow has no tasks, events or gateways: skipped (its pool is a black box)"), text)
        XCTAssertTrue(text.contains("pool \"Nobody\" has no steps (a black-box pool) and no message flow"), text)
    }

    func testAReferralThatEndsItsPoolIsStillAHandoff() throws {
        // The sending step's sequence flow only reaches a plain end: the patient moves with the message.
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">
              <collaboration id="c">
                <participant id="P1" name="GP" processRef="A" />
                <participant id="P2" name="Falls service" processRef="B" />
                <messageFlow id="M1" name="Referral" sourceRef="Refer" targetRef="Triage" />
              </collaboration>
              <process id="A">
                <startEvent id="S" /><task id="Refer" name="Refer" /><endEvent id="E" />
                <sequenceFlow id="f1" sourceRef="S" targetRef="Refer" /><sequenceFlow id="f2" sourceRef="Refer" targetRef="E" />
              </process>
              <process id="B">
                <task id="Triage" name="Triage" /><endEvent id="E2" name="Seen" />
                <sequenceFlow id="g1" sourceRef="Triage" targetRef="E2" />
              </process>
            </definitions>
            """
        let (_, pathway) = try convert(xml)
        let refer = try XCTUnwrap(pathway.state("refer"))
        XCTAssertEqual(refer.next.map(\.to), ["triage"])
        XCTAssertEqual(refer.next[0].carries, ["referral"])
        XCTAssertEqual(refer.sends, [])
    }
}
