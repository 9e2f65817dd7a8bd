import CarePathModel
import CarePathStore
import CarePathWorkshop
import Foundation

/// `WorkshopService` over CarePathWorkshop: the setup's levers and checks, live runs written to
/// the results store, and the board kept there. Translates its types to the page's JSON, nothing more.
public struct WorkshopEngine: WorkshopService {
    public let workshop: WorkshopSetup
    public let store: ResultsStore
    public let replications: Int?
    public let setup: WireSetup
    let room: WorkshopBoard

    public init(setup workshop: WorkshopSetup, store: ResultsStore, replications: Int? = nil) {
        self.workshop = workshop; self.store = store; self.replications = replications
        self.room = WorkshopBoard(setup: workshop, store: store)
        let pathway = workshop.pathway
        setup = WireSetup(
            scenario: workshop.scenario.id, title: workshop.scenario.title, question: workshop.scenario.question,
            replications: replications ?? workshop.scenario.replications,
            levers: workshop.levers.map { lever in
                WireLever(id: lever.id, label: lever.label, kind: lever.kind.rawValue, minimum: lever.minimum, maximum: lever.maximum,
                          step: lever.step, options: lever.options.isEmpty ? nil : lever.options, unit: lever.unit,
                          baseline: lever.baseline, subject: Self.wire(lever.subject, pathway))
            },
            organisations: pathway.organisations.map { WireOrganisation(id: $0.id, name: $0.name) },
            states: pathway.states.map { s in
                WireState(id: s.id, title: s.title ?? s.id, organisation: s.owner?.organisation, role: s.owner?.role,
                          noBlocked: s.hold == nil ? "none: patients ready to move on do not hold a unit here" : nil,
                          noGapRate: s.needs.isEmpty ? "none: this state needs no information at its start" : nil)
            })
    }

    public func check(lever id: String, value: String) -> String? { workshop.check(id, value) }

    public func run(settings: [String: String], client: String) throws -> AsyncThrowingStream<WireUpdate, any Error> {
        let run: WorkshopRun
        do {
            run = try WorkshopRun(setup: workshop, settings: settings, name: "option", replications: replications)
        } catch {
            throw Self.refusal(error)
        }
        let updates = run.updates(store: store), pathway = workshop.pathway
        return AsyncThrowingStream { continuation in
            let task = Task {
                for await update in updates {
                    if let stopped = update.stopped {
                        continuation.finish(throwing: WorkshopServiceError.invalid(stopped))
                        return
                    }
                    continuation.yield(Self.wire(update, pathway))
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    public func board() throws -> WireBoard {
        WireBoard(options: try room.options().map { WireOption(name: $0.name, settings: $0.settings) },
                  notes: try room.notes().map { WireNote(subject: Self.wire($0.subject, workshop.pathway) ?? WireSubject(), text: $0.text) })
    }

    public func saveOption(name: String, settings: [String: String]) throws -> WireBoard {
        do { try room.save(WorkshopOption(name: name, settings: settings)) } catch { throw Self.refusal(error) }
        return try board()
    }

    public func addNote(subject: WireSubject, text: String) throws -> WireBoard {
        let about: WorkshopSubject
        if let state = subject.state {
            about = WorkshopSubject(kind: .state, id: state)
        } else if let organisation = subject.organisation, let role = subject.role {
            about = WorkshopSubject(kind: .role, id: "\(organisation)/\(role)", organisation: organisation)
        } else if let organisation = subject.organisation {
            about = WorkshopSubject(kind: .organisation, id: organisation)
        } else {
            about = WorkshopSubject(kind: .scenario)
        }
        do { try room.add(WorkshopNote(subject: about, text: text)) } catch { throw Self.refusal(error) }
        return try board()
    }

    /// The saved options named (every one when `names` is empty) against the baseline in one run
    /// (stored): only those are run.
    public func compare(options names: [String]) async throws -> WireComparison {
        let board = self.room, replications = self.replications, pathway = workshop.pathway
        let comparison: WorkshopComparison
        do {
            // On a dispatch thread, not the tasks' shared pool (a thread per core): a comparison
            // blocks its thread for seconds, and the server's requests run on that pool.
            comparison = try await withCheckedThrowingContinuation { done in
                DispatchQueue.global(qos: .userInitiated).async {
                    done.resume(with: Result { try board.compare(only: names, replications: replications) })
                }
            }
        } catch {
            throw Self.refusal(error)
        }
        let rows = comparison.rows
        let columns = rows.map { Self.wire(WorkshopUpdate(replicationsDone: comparison.replications, replications: comparison.replications,
                                                          headlines: $0.headlines, nodes: [], finished: true), pathway).headlines }
        let labels = columns.first?.map(\.label) ?? []
        return WireComparison(options: rows.map(\.option), rows: labels.indices.map { i in
            WireComparison.Row(label: labels[i], cells: columns.map { $0[i] })
        }, storedRun: comparison.storedRun)
    }

    public func writeScenario(named file: String, overwrite: Bool) throws -> String {
        let url = try ScenarioFileName.resolve(file, beside: workshop.scenarioURL)
        do {
            let written = try room.writeScenario(to: url, overwrite: overwrite)
            return ([written.scenario] + (written.pathway.map { [$0] } ?? [])).map(\.path).joined(separator: " and ")
        } catch let exists as WorkshopFileExists {
            throw WorkshopServiceError.exists(file: exists.path)
        } catch {
            throw Self.refusal(error)
        }
    }

    // MARK: Translation

    static func refusal(_ error: any Error) -> any Error {
        if let problems = error as? WorkshopProblems {
            if let named = problems.problems.first(where: { !$0.lever.isEmpty }) { return WorkshopServiceError.lever(id: named.lever, message: named.message) }
            return WorkshopServiceError.invalid(problems.description)
        }
        return error
    }

    static func wire(_ subject: WorkshopSubject, _ pathway: Pathway) -> WireSubject? {
        switch subject.kind {
        case .organisation: return WireSubject(organisation: subject.id)
        case .role:
            let parts = subject.id.split(separator: "/", maxSplits: 1).map(String.init)
            return WireSubject(organisation: subject.organisation ?? parts.first, role: parts.count == 2 ? parts[1] : nil)
        case .state:
            return WireSubject(organisation: pathway.states.first { $0.id == subject.id }?.owner?.organisation, state: subject.id)
        default: return nil
        }
    }

    static func wire(_ update: WorkshopUpdate, _ pathway: Pathway) -> WireUpdate {
        func estimate(_ e: WorkshopEstimate, _ scale: Double) -> WireEstimate {
            WireEstimate(mean: e.mean * scale, low: e.low.map { $0 * scale }, high: e.high.map { $0 * scale })
        }
        let headlines = update.headlines.map { h in
            WireHeadline(id: h.name, label: h.noun.prefix(1).uppercased() + h.noun.dropFirst(), unit: h.unit,
                         baseline: estimate(h.baseline, h.scale), option: estimate(h.option, h.scale),
                         difference: estimate(h.difference, h.scale), noClearDifference: !h.clear, sentence: h.sentence)
        }
        var roles: [String: WorkshopNodeFigures] = [:], states: [String: WorkshopNodeFigures] = [:]
        for node in update.nodes {
            if node.subject.kind == .role { roles[node.subject.id] = node }
            if node.subject.kind == .state { states[node.subject.id] = node }
        }
        let figures = pathway.states.compactMap { state -> WireStateFigures? in
            let role = state.owner.flatMap { roles[$0.description] }, own = states[state.id]
            guard role != nil || own != nil else { return nil }
            // Blocked bed-days are measured per role (its units held): shown at the state that holds them.
            func side(_ pick: (WorkshopNodeFigures) -> [String: Double]) -> WireStateFigures.Figures {
                WireStateFigures.Figures(load: role.flatMap { pick($0)["utilisation"] },
                                         blocked: state.hold == nil ? nil : role.flatMap { pick($0)["blocked_bed_days_per_month"] },
                                         gapRate: own.flatMap { pick($0)["state_gap_rate"] })
            }
            return WireStateFigures(state: state.id, baseline: side(\.baseline), option: side(\.option))
        }
        return WireUpdate(replicationsDone: update.replicationsDone, replications: update.replications, final: update.finished,
                          headlines: headlines, states: figures, storedRun: update.storedRun, problem: update.storeProblem)
    }
}
