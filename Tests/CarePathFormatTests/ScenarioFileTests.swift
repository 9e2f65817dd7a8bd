import CarePathFormat
import CarePathModel
import Foundation
import XCTest

/// Scenario files read from real temporary files, beside a real pathway file.
final class ScenarioFileTests: XCTestCase {
    static let pathwayText = """
    pathway: discharge-to-assess
    title: Hospital discharge to assess
    attributes:
      age: number
      lives_alone: boolean
      deprivation: number
      sex: [female, male]
      consent_opt_out: boolean
    organisations:
      acute:
        name: City General Hospital
        sector: acute
        maturity: integrated
        connects: [messaging, shared-record]
        roles:
          ward: { capacity: 40 }
          discharge-team: { capacity: 4, calendar: weekdays 09:00-17:00 }
      council:
        name: City Council Adult Social Care
        sector: social-care
        maturity: basic
        roles:
          social-worker: { capacity: 12, calendar: weekdays 09:00-17:00 }
          reablement: { capacity: 30 }
      care-home:
        name: Oak Lodge
        sector: care-home
        maturity: paper
        roles:
          staff: { capacity: 20 }
    information:
      discharge-summary: { category: health }
      care-assessment: { category: social-care }
      mental-health-note: { category: mental-health }
    states:
      inpatient-stay:
        owner: acute/ward
        duration: lognormal(mean=6d, sd=4d)
        produces: [discharge-summary, mental-health-note]
        next:
          - { to: social-care-assessment, when: "age >= 85 or lives_alone" }
          - { to: home }
      social-care-assessment:
        owner: council/social-worker
        duration: triangular(1h, 2h, 4h)
        needs: [discharge-summary]
        on-gap: { chase: exponential(mean=4h) }
        produces: [care-assessment]
        next: [ { to: reablement, p: 0.7 }, { to: care-home-placement, p: 0.3 } ]
      reablement:
        owner: council/reablement
        duration: uniform(1w, 6w)
        needs: [care-assessment]
        next: [ { to: home } ]
      care-home-placement:
        owner: care-home/staff
        duration: 2d
        needs: [care-assessment]
        next: [ { to: care-home } ]
      home: { terminal: true }
      care-home: { terminal: true }
    """

    static let fullScenario = """
    scenario: discharge-architectures
    title: "Discharge to assess: which sharing architecture?"
    question: >-
      Which architecture leaves the fewest data gaps at the social care assessment?
    pathway: ../Pathways/discharge-to-assess.yaml

    cohort:
      patients: 5000
      arrivals: 20/d
      attributes:
        age: normal(mean=82, sd=7)
        deprivation: integer(1, 5)
        lives_alone: 0.38
        sex: { male: 0.44, female: 0.56 }
        consent_opt_out: 0.014

    warm-up: 4w
    replications: 20
    seed: 20261124
    breakdown: deprivation

    architecture:
      option: point-to-point
      message-latency: exponential(mean=24h)
      message-loss: 0.02
      publish-latency: 15m
      outages: { every: 30d, lasting: 4h }
      source-availability: 0.98
      source-outage: 4h
      paper-latency: triangular(1d, 3d, 7d)
      paper-loss: 0.05
      fallback: paper

    organisations:
      care-home: paper

    capacities:
      council/social-worker: 10

    handoffs:
      latency: exponential(mean=4h)
      loss: 0.03
      resend-after: 2d

    access:
      - { category: mental-health, deny: [council/social-worker, care-home] }
    consent:
      opt-out: 0.014
    under-recording: 0.02

    variants:
      - name: point-to-point
      - name: shared-record
        title: Regional shared care record, nightly batch
        architecture: { option: shared-record, batch: { every: 24h, at: 02:00 } }
      - name: more-social-workers
        capacities: { council/social-worker: 14 }
    """

    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("carepath-scenario-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("Pathways"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("Scenarios"), withIntermediateDirectories: true)
        try write(Self.pathwayText, to: "Pathways/discharge-to-assess.yaml")
    }

    override func tearDownWithError() throws {
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }

    @discardableResult
    func write(_ text: String, to relative: String) throws -> URL {
        let url = folder.appendingPathComponent(relative)
        try Data(text.utf8).write(to: url)
        return url
    }

    /// Writes a scenario into Scenarios/ and checks it.
    func check(_ text: String, name: String = "scenario.yaml") throws -> ScenarioFile.Result {
        ScenarioFile.check(try write(text, to: "Scenarios/\(name)"))
    }

    /// The 1-based line of the first line of `text` containing `marker`.
    func line(of marker: String, in text: String, file: StaticString = #filePath, lineNumber: UInt = #line) -> Int {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let i = lines.firstIndex(where: { $0.contains(marker) }) else {
            XCTFail("no line contains '\(marker)'", file: file, line: lineNumber)
            return -1
        }
        return i + 1
    }

    /// The one error whose message contains `fragment`.
    func error(_ fragment: String, in result: ScenarioFile.Result, file: StaticString = #filePath, line: UInt = #line) -> FormatProblem? {
        let matches = result.errors.filter { $0.message.contains(fragment) }
        XCTAssertEqual(matches.count, 1, "errors containing '\(fragment)' in:\n\(result.problems.map(\.description).joined(separator: "\n"))",
                       file: file, line: line)
        return matches.first
    }

    /// The full scenario with one line replaced.
    func fullScenario(replacing old: String, with new: String) -> String {
        XCTAssertTrue(Self.fullScenario.contains(old), "fixture has no '\(old)'")
        return Self.fullScenario.replacingOccurrences(of: old, with: new)
    }

    // MARK: Valid scenarios

    func testTheFixturePathwayIsValid() {
        let result = PathwayFile.check(folder.appendingPathComponent("Pathways/discharge-to-assess.yaml"))
        XCTAssertEqual(result.errors, [], result.problems.map(\.description).joined(separator: "\n"))
    }

    func testValidScenarioWithVariantsAndEveryAttributeForm() throws {
        let result = try check(Self.fullScenario)
        XCTAssertEqual(result.errors, [], result.problems.map(\.description).joined(separator: "\n"))
        let scenario = try XCTUnwrap(result.scenario)
        XCTAssertEqual(result.pathway?.id, "discharge-to-assess")
        XCTAssertEqual(result.pathwayURL?.standardizedFileURL.path,
                       folder.appendingPathComponent("Pathways/discharge-to-assess.yaml").standardizedFileURL.path)

        XCTAssertEqual(scenario.id, "discharge-architectures")
        XCTAssertEqual(scenario.title, "Discharge to assess: which sharing architecture?")
        XCTAssertEqual(scenario.question, "Which architecture leaves the fewest data gaps at the social care assessment?")
        XCTAssertEqual(scenario.pathwayFile, "../Pathways/discharge-to-assess.yaml")
        XCTAssertEqual(scenario.cohort.size, .patients(5000))
        XCTAssertEqual(scenario.cohort.arrivals, .poisson(ratePerHour: 20.0 / 24))
        XCTAssertEqual(scenario.cohort.attributes["age"], .numeric(.normal(mean: 82, sd: 7)))
        XCTAssertEqual(scenario.cohort.attributes["deprivation"], .integers(1, 5))
        XCTAssertEqual(scenario.cohort.attributes["lives_alone"], .bernoulli(0.38))
        // Levels in the pathway's order, whatever the order written.
        XCTAssertEqual(scenario.cohort.attributes["sex"], .categorical(levels: ["female", "male"], weights: [0.56, 0.44]))
        XCTAssertEqual(scenario.cohort.attributes.count, 5)
        XCTAssertEqual(scenario.warmUp, .hours(672))
        XCTAssertEqual(scenario.replications, 20)
        XCTAssertEqual(scenario.seed, 20261124)
        XCTAssertEqual(scenario.breakdown, Breakdown(attribute: "deprivation"))

        let base = scenario.settings
        XCTAssertEqual(base.architecture.option, .pointToPoint)
        XCTAssertEqual(base.architecture.messageLatency, .exponential(mean: 24))
        XCTAssertEqual(base.architecture.messageLoss, 0.02)
        XCTAssertEqual(base.architecture.publishLatency, .fixed(0.25))
        XCTAssertNil(base.architecture.batchEvery)
        XCTAssertEqual(base.architecture.outages, Outages(meanTimeBetween: 720, meanDuration: 4))
        XCTAssertEqual(base.architecture.sourceAvailability, 0.98)
        XCTAssertEqual(base.architecture.sourceOutageMean, 4)
        XCTAssertEqual(base.architecture.paperLatency, .triangular(min: 24, mode: 72, max: 168))
        XCTAssertEqual(base.architecture.paperLoss, 0.05)
        XCTAssertEqual(base.architecture.fallback, .paper)
        XCTAssertEqual(base.organisationArchitectures, ["care-home": .paper])
        XCTAssertEqual(base.capacities, [RoleReference(organisation: "council", role: "social-worker"): 10])
        XCTAssertEqual(base.handoffs, HandoffSettings(latency: .exponential(mean: 4), loss: 0.03, resendAfter: .fixed(48)))
        XCTAssertEqual(base.access, [AccessRule(category: .mentalHealth, denied: ["council/social-worker", "care-home"])])
        XCTAssertEqual(base.consent, ConsentSettings(optOutRate: 0.014))
        XCTAssertEqual(base.underRecording, 0.02)

        XCTAssertEqual(scenario.variants.map(\.name), ["point-to-point", "shared-record", "more-social-workers"])
        XCTAssertEqual(scenario.variants[0].settings, base)
        XCTAssertNil(scenario.variants[0].title)
        XCTAssertEqual(scenario.variants[1].title, "Regional shared care record, nightly batch")
        XCTAssertEqual(scenario.variants[1].settings.architecture.option, .sharedRecord)
        XCTAssertEqual(scenario.variants[1].settings.architecture.batchEvery, 24)
        XCTAssertEqual(scenario.variants[1].settings.architecture.batchAt, 2)
        XCTAssertEqual(scenario.variants[2].settings.capacities, [RoleReference(organisation: "council", role: "social-worker"): 14])
        XCTAssertEqual(scenario.variants[2].settings.architecture, base.architecture)

        let (loaded, pathway, url) = try ScenarioFile.load(folder.appendingPathComponent("Scenarios/scenario.yaml"))
        XCTAssertEqual(loaded, scenario)
        XCTAssertEqual(pathway.id, "discharge-to-assess")
        XCTAssertEqual(url.lastPathComponent, "discharge-to-assess.yaml")
    }

    func testDefaultsAndOtherForms() throws {
        let text = """
        scenario: minimal
        pathway: ../Pathways/discharge-to-assess.yaml
        cohort:
          horizon: 26w
          arrivals: 1.5/h
          attributes:
            age: gamma(shape=2, scale=40)
            deprivation: empirical(1=3, 2=2, 5=1)
            lives_alone: 1
            sex: { female: 1, male: 0 }
            consent_opt_out: 0
        warm-up: 5%
        breakdown: { attribute: age, cuts: [75, 85] }
        consent: { opt-out: consent_opt_out }
        """
        let result = try check(text)
        XCTAssertEqual(result.errors, [], result.problems.map(\.description).joined(separator: "\n"))
        let scenario = try XCTUnwrap(result.scenario)
        XCTAssertEqual(scenario.title, "minimal")
        XCTAssertNil(scenario.question)
        XCTAssertEqual(scenario.cohort.size, .horizon(26 * 168))
        XCTAssertEqual(scenario.cohort.arrivals, .poisson(ratePerHour: 1.5))
        XCTAssertEqual(scenario.cohort.attributes["age"], .numeric(.gamma(shape: 2, scale: 40)))
        XCTAssertEqual(scenario.cohort.attributes["deprivation"], .numeric(.empirical(values: [1, 2, 5], weights: [3, 2, 1])))
        XCTAssertEqual(scenario.cohort.attributes["sex"], .categorical(levels: ["female", "male"], weights: [1, 0]))
        XCTAssertEqual(scenario.warmUp, .fraction(0.05))
        XCTAssertEqual(scenario.breakdown, Breakdown(attribute: "age", cuts: [75, 85]))
        XCTAssertEqual(scenario.replications, 10)
        XCTAssertEqual(scenario.seed, 1)
        XCTAssertEqual(scenario.settings.architecture, Architecture())
        XCTAssertEqual(scenario.settings.consent, ConsentSettings(optOutAttribute: "consent_opt_out"))
        XCTAssertEqual(scenario.variants, [])
        XCTAssertEqual(scenario.effectiveVariants.map(\.name), ["base"])
    }

    func testRatesPerWeekAndNoWarmUp() throws {
        let text = fullScenario(replacing: "arrivals: 20/d", with: "arrivals: 100/w")
            .replacingOccurrences(of: "warm-up: 4w", with: "warm-up: 0")
        let scenario = try XCTUnwrap(try check(text).scenario)
        XCTAssertEqual(scenario.cohort.arrivals, .poisson(ratePerHour: 100.0 / 168))
        XCTAssertEqual(scenario.warmUp, WarmUp.none)
    }

    func testVariantArchitectureReplacesOnlyTheNamedParameters() throws {
        let text = """
        scenario: patching
        pathway: ../Pathways/discharge-to-assess.yaml
        cohort:
          patients: 100
          arrivals: 10/d
          attributes: { age: 80, deprivation: "integer(1, 5)", lives_alone: 0.5, sex: { female: 1, male: 1 }, consent_opt_out: 0 }
        architecture:
          option: point-to-point
          message-loss: 0.1
          paper-loss: 0.2
          outages: { every: 10d, lasting: 2h }
        capacities: { council/social-worker: 8 }
        handoffs: { loss: 0.05 }
        variants:
          - name: nightly
            architecture: { option: shared-record, batch: { every: 24h, at: 02:30 } }
          - name: federated-always-up
            architecture: { option: federated-query, outages: none, source-availability: 0.9 }
            capacities: { acute/discharge-team: 6 }
            handoffs: { latency: 1h }
        """
        let result = try check(text)
        XCTAssertEqual(result.errors, [], result.problems.map(\.description).joined(separator: "\n"))
        let scenario = try XCTUnwrap(result.scenario)
        let base = scenario.settings.architecture
        XCTAssertEqual(base.option, .pointToPoint)
        XCTAssertNil(base.batchEvery)
        XCTAssertEqual(base.messageLatency, Architecture().messageLatency) // not named: the default

        let nightly = scenario.variants[0].settings.architecture
        XCTAssertEqual(nightly.option, .sharedRecord)
        XCTAssertEqual(nightly.batchEvery, 24)
        XCTAssertEqual(nightly.batchAt, 2.5)
        XCTAssertEqual(nightly.messageLoss, 0.1)     // from the base
        XCTAssertEqual(nightly.paperLoss, 0.2)       // from the base
        XCTAssertEqual(nightly.outages, Outages(meanTimeBetween: 240, meanDuration: 2))
        var expected = base
        expected.option = .sharedRecord; expected.batchEvery = 24; expected.batchAt = 2.5
        XCTAssertEqual(nightly, expected)

        let federated = scenario.variants[1].settings
        XCTAssertEqual(federated.architecture.option, .federatedQuery)
        XCTAssertNil(federated.architecture.outages)
        XCTAssertEqual(federated.architecture.sourceAvailability, 0.9)
        XCTAssertEqual(federated.architecture.messageLoss, 0.1)
        // Capacities: the variant's entries on top of the base's.
        XCTAssertEqual(federated.capacities, [RoleReference(organisation: "council", role: "social-worker"): 8,
                                              RoleReference(organisation: "acute", role: "discharge-team"): 6])
        // Handoffs: patched too.
        XCTAssertEqual(federated.handoffs, HandoffSettings(latency: .fixed(1), loss: 0.05))
    }

    func testWeeklyProfileIsNormalisedToTheMeanRate() throws {
        let hours = (0..<24).map { $0 >= 8 && $0 < 20 ? "3" : "1" }.joined(separator: ", ")
        let text = fullScenario(replacing: "  arrivals: 20/d", with: """
              arrivals:
                rate: 24/d
                days: { mon: 1.2, tue: 1.1, wed: 1.0, thu: 1.0, fri: 1.1, sat: 0.8, sun: 0.8 }
                hours: [\(hours)]
            """)
        let result = try check(text)
        XCTAssertEqual(result.errors, [], result.problems.map(\.description).joined(separator: "\n"))
        let scenario = try XCTUnwrap(result.scenario)
        guard case .weekly(let rates) = scenario.cohort.arrivals else { return XCTFail("expected a weekly profile") }
        XCTAssertEqual(rates.count, 168)
        XCTAssertEqual(scenario.cohort.arrivals.meanRatePerHour, 1, accuracy: 1e-12)
        // Monday 09:00-10:00 against Sunday 03:00-04:00: (1.2 * 3) / (0.8 * 1).
        XCTAssertEqual(rates[9] / rates[6 * 24 + 3], 4.5, accuracy: 1e-12)
        // Day weights alone: every hour of a day alike.
        let days = ScenarioFile.weeklyRates(ratePerHour: 2, dayWeights: [1, 1, 1, 1, 1, 0, 0], hourWeights: Array(repeating: 1, count: 24))
        XCTAssertEqual(days[0], 2.8, accuracy: 1e-12)
        XCTAssertEqual(days[5 * 24], 0)
        XCTAssertEqual(days.reduce(0, +) / 168, 2, accuracy: 1e-12)
        // Hours alone: the same day shape every day.
        let onlyHours = fullScenario(replacing: "  arrivals: 20/d", with: "  arrivals: { rate: 20/d, hours: [\(hours)] }")
        let hourly = try XCTUnwrap(try check(onlyHours, name: "hours.yaml").scenario)
        guard case .weekly(let r2) = hourly.cohort.arrivals else { return XCTFail("expected a weekly profile") }
        XCTAssertEqual(r2[12], r2[24 * 5 + 12])
        XCTAssertEqual(hourly.cohort.arrivals.meanRatePerHour, 20.0 / 24, accuracy: 1e-12)
    }

    // MARK: Bad scenarios, located

    func testMissingPathwayFileIsLocatedAtThePathwayKey() throws {
        let text = fullScenario(replacing: "pathway: ../Pathways/discharge-to-assess.yaml", with: "pathway: ../Pathways/nowhere.yaml")
        let result = try check(text)
        XCTAssertNil(result.scenario)
        XCTAssertNil(result.pathway)
        let problem = try XCTUnwrap(error("cannot use the pathway file '../Pathways/nowhere.yaml'", in: result))
        XCTAssertTrue(problem.message.contains("no such file"), problem.message)
        XCTAssertEqual(problem.line, line(of: "pathway: ../Pathways/nowhere.yaml", in: text))
        XCTAssertEqual(problem.column, 10)
        XCTAssertTrue(problem.file.hasSuffix("Scenarios/scenario.yaml"), problem.file)
        XCTAssertEqual(problem.path.description, "pathway")
        XCTAssertThrowsError(try ScenarioFile.load(folder.appendingPathComponent("Scenarios/scenario.yaml")))
    }

    func testThePathwaysOwnProblemsAreIncludedWithItsFileName() throws {
        try write(Self.pathwayText.replacingOccurrences(of: "capacity: 40", with: "capacity: many"), to: "Pathways/broken.yaml")
        let text = fullScenario(replacing: "discharge-to-assess.yaml", with: "broken.yaml")
        let result = try check(text)
        XCTAssertNil(result.scenario)
        XCTAssertNil(result.pathway)
        let problem = try XCTUnwrap(error("expected a capacity", in: result))
        XCTAssertTrue(problem.file.hasSuffix("Pathways/broken.yaml"), problem.file)
        XCTAssertFalse(problem.file.contains(".."), problem.file)
        XCTAssertEqual(problem.line, line(of: "capacity: many", in: Self.pathwayText.replacingOccurrences(of: "capacity: 40", with: "capacity: many")))
    }

    func testUnknownOrganisationInACapacityOverride() throws {
        let text = fullScenario(replacing: "  council/social-worker: 10", with: "  councl/social-worker: 10")
        let result = try check(text)
        XCTAssertNil(result.scenario)
        XCTAssertNotNil(result.pathway)
        let problem = try XCTUnwrap(error("unknown organisation 'councl'", in: result))
        XCTAssertTrue(problem.message.contains("did you mean 'council'?"), problem.message)
        XCTAssertEqual(problem.line, line(of: "councl/social-worker: 10", in: text))
        XCTAssertEqual(problem.column, 3)
        XCTAssertEqual(problem.path.description, "capacities.councl/social-worker")
    }

    func testUnknownRoleAndBadCapacityInAVariant() throws {
        let text = fullScenario(replacing: "capacities: { council/social-worker: 14 }",
                                with: "capacities: { council/social-wrker: 14, acute/ward: 0 }")
        let result = try check(text)
        let role = try XCTUnwrap(error("organisation 'council' has no role 'social-wrker'", in: result))
        XCTAssertTrue(role.message.contains("did you mean 'social-worker'?"), role.message)
        XCTAssertEqual(role.line, line(of: "social-wrker", in: text))
        XCTAssertEqual(role.path.description, "variants[2].capacities.council/social-wrker")
        let capacity = try XCTUnwrap(error("expected a capacity >= 1, found 0", in: result))
        XCTAssertEqual(capacity.line, line(of: "social-wrker", in: text))
    }

    func testNegativeRate() throws {
        let text = fullScenario(replacing: "arrivals: 20/d", with: "arrivals: -5/d")
        let result = try check(text)
        XCTAssertNil(result.scenario)
        let problem = try XCTUnwrap(error("expected a rate > 0", in: result))
        XCTAssertEqual(problem.line, line(of: "arrivals: -5/d", in: text))
        XCTAssertEqual(problem.column, 13)
        XCTAssertEqual(problem.path.description, "cohort.arrivals")

        let malformed = try check(fullScenario(replacing: "arrivals: 20/d", with: "arrivals: 20 per day"), name: "malformed.yaml")
        XCTAssertNotNil(error("expected a rate such as 20/d, 1.5/h or 100/w", in: malformed))
    }

    func testUnknownKeysAreErrorsWithSuggestions() throws {
        let text = fullScenario(replacing: "replications: 20", with: "replication: 20")
            .replacingOccurrences(of: "  message-loss: 0.02", with: "  mesage-loss: 0.02")
            .replacingOccurrences(of: "  patients: 5000", with: "  patients: 5000\n  arival: 3/d")
        let result = try check(text)
        XCTAssertNil(result.scenario)
        let top = try XCTUnwrap(error("unknown key 'replication'", in: result))
        XCTAssertTrue(top.message.contains("did you mean 'replications'?"), top.message)
        XCTAssertEqual(top.line, line(of: "replication: 20", in: text))
        XCTAssertEqual(top.column, 1)
        let nested = try XCTUnwrap(error("unknown key 'mesage-loss'", in: result))
        XCTAssertTrue(nested.message.contains("did you mean 'message-loss'?"), nested.message)
        XCTAssertEqual(nested.line, line(of: "mesage-loss", in: text))
        XCTAssertEqual(nested.column, 3)
        let cohort = try XCTUnwrap(error("unknown key 'arival'", in: result))
        XCTAssertTrue(cohort.message.contains("did you mean 'arrivals'?"), cohort.message)
        XCTAssertEqual(cohort.line, line(of: "arival", in: text))
    }

    func testMissingAttributeDistribution() throws {
        let text = fullScenario(replacing: "    lives_alone: 0.38\n", with: "")
        let result = try check(text)
        XCTAssertNil(result.scenario)
        let problem = try XCTUnwrap(error("no distribution for the attribute 'lives_alone'", in: result))
        XCTAssertTrue(problem.message.contains("boolean"), problem.message)
        XCTAssertEqual(problem.line, line(of: "  attributes:", in: text))
        XCTAssertEqual(problem.path.description, "cohort.attributes")
    }

    func testUnquotedDistributionInAFlowMappingGetsAHint() throws {
        let text = """
        scenario: flow
        pathway: ../Pathways/discharge-to-assess.yaml
        cohort:
          patients: 10
          arrivals: 1/h
          attributes: { age: normal(mean=82, sd=7), deprivation: "integer(1, 5)", lives_alone: 0.5, sex: { female: 1, male: 1 }, consent_opt_out: 0 }
        """
        let result = try check(text)
        XCTAssertNil(result.scenario)
        XCTAssertFalse(result.errors.isEmpty)
        XCTAssertTrue(result.errors.allSatisfy { $0.line == 6 })
        XCTAssertTrue(result.errors.contains { $0.message.contains("quote a value that contains commas") },
                      result.problems.map(\.description).joined(separator: "\n"))
    }

    func testUndeclaredAttributeAndWrongForms() throws {
        let text = fullScenario(replacing: "    lives_alone: 0.38", with: "    lives_alone: 1.5\n    frailty: 0.2")
            .replacingOccurrences(of: "deprivation: integer(1, 5)", with: "deprivation: integer(5, 1)")
        let result = try check(text)
        let undeclared = try XCTUnwrap(error("the pathway declares no attribute 'frailty'", in: result))
        XCTAssertEqual(undeclared.line, line(of: "frailty: 0.2", in: text))
        let probability = try XCTUnwrap(error("'lives_alone' is a boolean attribute", in: result))
        XCTAssertEqual(probability.line, line(of: "lives_alone: 1.5", in: text))
        XCTAssertNotNil(error("integer(LOW, HIGH) needs LOW <= HIGH", in: result))
        // A bad value is not also reported as missing.
        XCTAssertTrue(result.errors.allSatisfy { !$0.message.contains("no distribution for the attribute 'lives_alone'") })
    }

    func testCategoricalLevelsMismatch() throws {
        let text = fullScenario(replacing: "    sex: { male: 0.44, female: 0.56 }", with: "    sex:\n      female: 0.56\n      mal: 0.44")
        let result = try check(text)
        XCTAssertNil(result.scenario)
        let unknown = try XCTUnwrap(error("'mal' is not a level of 'sex'", in: result))
        XCTAssertTrue(unknown.message.contains("did you mean 'male'?"), unknown.message)
        XCTAssertEqual(unknown.line, line(of: "mal: 0.44", in: text))
        XCTAssertEqual(unknown.column, 7)
        let missing = try XCTUnwrap(error("missing a weight for level 'male' of 'sex'", in: result))
        XCTAssertEqual(missing.line, line(of: "    sex:", in: text))

        let negative = try check(fullScenario(replacing: "sex: { male: 0.44, female: 0.56 }", with: "sex: { male: -1, female: 0.56 }"),
                                 name: "negative.yaml")
        XCTAssertNotNil(error("expected a weight >= 0", in: negative))
        let zero = try check(fullScenario(replacing: "sex: { male: 0.44, female: 0.56 }", with: "sex: { male: 0, female: 0 }"),
                             name: "zero.yaml")
        XCTAssertNotNil(error("the weights of 'sex' are all zero", in: zero))
    }

    func testOtherValueChecks() throws {
        let text = fullScenario(replacing: "replications: 20", with: "replications: 0")
            .replacingOccurrences(of: "message-loss: 0.02", with: "message-loss: 1.2")
            .replacingOccurrences(of: "  - name: more-social-workers", with: "  - name: shared-record")
            .replacingOccurrences(of: "breakdown: deprivation", with: "breakdown: frailty")
            .replacingOccurrences(of: "opt-out: 0.014", with: "opt-out: age")
            .replacingOccurrences(of: "care-home: paper", with: "care-hme: paper")
            .replacingOccurrences(of: "deny: [council/social-worker, care-home]", with: "deny: [council/social-worker, hospice]")
            .replacingOccurrences(of: "patients: 5000", with: "patients: 0")
            .replacingOccurrences(of: "at: 02:00", with: "at: 25:00")
        let result = try check(text)
        XCTAssertNil(result.scenario)
        XCTAssertEqual(try XCTUnwrap(error("expected a number of replications from 1 to 100000", in: result)).line,
                       line(of: "replications: 0", in: text))
        XCTAssertEqual(try XCTUnwrap(error("expected a probability between 0 and 1, found 1.2", in: result)).line,
                       line(of: "message-loss: 1.2", in: text))
        XCTAssertEqual(try XCTUnwrap(error("the variant name 'shared-record' is already used", in: result)).line,
                       line(of: "  - name: shared-record", in: text) + 3)
        XCTAssertEqual(try XCTUnwrap(error("the pathway declares no attribute 'frailty'", in: result)).line,
                       line(of: "breakdown: frailty", in: text))
        XCTAssertEqual(try XCTUnwrap(error("the opt-out attribute must be boolean", in: result)).line,
                       line(of: "opt-out: age", in: text))
        XCTAssertTrue(try XCTUnwrap(error("unknown organisation 'care-hme'", in: result)).message.contains("did you mean 'care-home'?"))
        XCTAssertEqual(try XCTUnwrap(error("unknown organisation 'hospice'", in: result)).line,
                       line(of: "deny: [council/social-worker, hospice]", in: text))
        XCTAssertNotNil(error("expected a number of patients >= 1", in: result))
        XCTAssertNotNil(error("expected a time of day from 00:00 to 23:59", in: result))
    }

    func testNoInputCrashes() throws {
        let texts = [
            "", "---", "[]", "just text", "scenario: x", "scenario: [1, 2]\npathway: {}\ncohort: 3",
            "scenario: x\npathway: ../Pathways\ncohort: { patients: 1, arrivals: 1/h }",
            "scenario: x\npathway: ''\ncohort: { patients: 99999999999999999999999, arrivals: 1e308/h }",
            Self.fullScenario.replacingOccurrences(of: "arrivals: 20/d", with: "arrivals: { rate: 0/d, days: [1], hours: { a: 1 } }"),
            Self.fullScenario.replacingOccurrences(of: "attributes:\n", with: "attributes: { deprivation: integer(1, 5) }\n"),
            Self.fullScenario.replacingOccurrences(of: "age: normal(mean=82, sd=7)", with: "age: integer(, )"),
            Self.fullScenario.replacingOccurrences(of: "age: normal(mean=82, sd=7)", with: "age: integer"),
            Self.fullScenario.replacingOccurrences(of: "age: normal(mean=82, sd=7)", with: "age: normal(mean=82"),
            Self.fullScenario.replacingOccurrences(of: "seed: 20261124", with: "seed: -1"),
            Self.fullScenario.replacingOccurrences(of: "warm-up: 4w", with: "warm-up: 100%"),
            Self.fullScenario.replacingOccurrences(of: "variants:", with: "variants: 3\nx:"),
            "a: &a [1, 2]\nb: &b [*a, *a]\nc: [*b, *b]\nscenario: *c",
        ]
        for (i, text) in texts.enumerated() {
            let result = try check(text, name: "crash-\(i).yaml")
            XCTAssertNil(result.scenario, "case \(i)")
            XCTAssertFalse(result.errors.isEmpty, "case \(i)")
        }
        // Huge weights neither overflow nor pass silently.
        let huge = try check(Self.fullScenario.replacingOccurrences(of: "arrivals: 20/d",
            with: "arrivals: { rate: 1/h, days: { mon: 1e308, tue: 1e308, wed: 1e308, thu: 1e308, fri: 1e308, sat: 1e308, sun: 0 } }"),
            name: "huge.yaml")
        let hugeArrivals = try XCTUnwrap(huge.scenario?.cohort.arrivals)
        XCTAssertEqual(hugeArrivals.meanRatePerHour, 1, accuracy: 1e-12)
        guard case .weekly(let hugeRates) = hugeArrivals else { return XCTFail("expected a weekly profile") }
        XCTAssertEqual(hugeRates[0], 7.0 / 6, accuracy: 1e-12)
        XCTAssertEqual(hugeRates[167], 0)
        // A pathway path that is a folder, and a scenario file that does not exist.
        let folderResult = try check("scenario: x\npathway: ../Pathways\ncohort: { patients: 1, arrivals: 1/h }", name: "folder.yaml")
        XCTAssertEqual(folderResult.errors.first?.line, 2)
        let absent = ScenarioFile.check(folder.appendingPathComponent("Scenarios/absent.yaml"))
        XCTAssertEqual(absent.errors.count, 1)
    }

    func testWarmUpMustBeShorterThanTheHorizon() throws {
        let text = fullScenario(replacing: "patients: 5000", with: "horizon: 2w")
        let result = try check(text)
        XCTAssertEqual(try XCTUnwrap(error("is not shorter than the cohort's horizon", in: result)).line,
                       line(of: "warm-up: 4w", in: text))
    }
}
