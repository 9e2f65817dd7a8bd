import CarePathEngine
import CarePathModel

/// The limits every run obeys (`Bounds`): a patient who enters more states than
/// `maximumStateEntries` is a run-away (a loop they never leave), and a duration drawn beyond
/// `Bounds.maximumHours` (or not a number) cannot be simulated. Either stops the replication at
/// once, with what happened in words (`StuckRun.stopped`), so that no run loops for ever, grows
/// without limit, or turns a time into a trap.
extension PathwaySimulation where Observer: ~Copyable {
    /// A patient entered one state more: past the limit, their next states are traced until one
    /// repeats (the cycle they are caught in), and the run stops.
    @inline(never)
    mutating func overLimit(_ slot: Int, state: Int, at t: Double) {
        guard runaway.slot < 0 || runaway.slot == slot else { return }
        let names = plan.states.map(\.id)
        if runaway.slot < 0 {
            runaway = Runaway(slot: slot, trace: [state])
        } else if let first = runaway.trace.firstIndex(of: state) {
            let cycle = (runaway.trace[first...] + [state]).map { names[$0] }
            return halt(stoppedBy: runaway(slot, at: t, path: cycle, cycle: true))
        } else {
            runaway.trace.append(state)
        }
        // A patient who reaches a terminal state while traced was not caught in a loop for ever,
        // but still went past the limit.
        if cores[state].isTerminal || runaway.trace.count > plan.states.count {
            halt(stoppedBy: runaway(slot, at: t, path: runaway.trace.map { names[$0] }, cycle: false))
        }
    }

    func runaway(_ slot: Int, at t: Double, path: [String], cycle: Bool) -> StuckRun {
        let patient = patients[slot].index + 1
        let what = cycle ? "caught in the cycle \(path.joined(separator: " -> "))"
            : "its last states \(path.joined(separator: " -> "))"
        return StuckRun(roles: path, since: t, patients: inSystem, circular: false,
                        stopped: "run-away patient: patient \(patient) entered more than \(maximumStateEntries) states, \(what) "
                            + "(at \(StuckRun.hours(t)) h); a branch that always comes back, or a state-entry limit too low "
                            + "(max-state-entries in the scenario, --max-state-entries)")
    }

    /// One draw of sampler `k` from one of the patient's streams, checked.
    @inline(__always)
    mutating func draw(_ k: Int, _ stream: PatientStream, _ slot: Int, at t: Double) -> Double {
        let x: Double
        switch stream {
        case .durations: x = samplers[k].sample(&patients[slot].durations)
        case .handoffs: x = samplers[k].sample(&patients[slot].handoffs)
        case .information: x = samplers[k].sample(&patients[slot].information)
        case .recording: x = samplers[k].sample(&patients[slot].recording)
        }
        return checked(x, sampler: k, slot, at: t)
    }

    /// A draw of sampler `k` that is not a finite time within the bounds stops the run; the
    /// caller goes on with 0 until the event loop sees the stop.
    @inline(__always)
    mutating func checked(_ value: Double, sampler k: Int, _ slot: Int, at t: Double) -> Double {
        if value >= 0 && value <= Bounds.maximumHours { return value }
        drawOutOfBounds(value, sampler: k, slot, at: t)
        return 0
    }

    @inline(never)
    mutating func drawOutOfBounds(_ value: Double, sampler k: Int, _ slot: Int, at t: Double) {
        guard stuck == nil else { return }
        let place = plan.samplerPlaces.indices.contains(k) ? plan.samplerPlaces[k] : "a distribution"
        let drawn = value.isNaN ? "not a number" : value.isFinite ? "\(value) h" : "infinite"
        halt(stoppedBy: StuckRun(roles: [place], since: t, patients: inSystem, circular: false,
                                 stopped: "\(place) drew \(drawn) for patient \(patients[slot].index + 1) at \(StuckRun.hours(t)) h: "
                                    + "a duration must be a finite time of at most 8,766,000 h (1,000 years); "
                                    + "give the distribution a shorter tail or smaller parameters"))
    }

    /// The run was stopped by its caller (`StopSignal`): its figures are partial and not to be used.
    func cancelled(at t: Double) -> StuckRun {
        StuckRun(roles: [], since: t, patients: inSystem, circular: false,
                 stopped: "the run was cancelled at \(StuckRun.hours(t)) h, with \(inSystem) patients in the pathway")
    }

    mutating func halt(stoppedBy reason: StuckRun) {
        if stuck == nil { stuck = reason }
        halted = true
    }
}

/// The patient's streams that durations are drawn from.
enum PatientStream { case durations, handoffs, information, recording }

/// The patient being traced after going past the state-entry limit, and the states entered since.
struct Runaway {
    var slot = -1
    var trace: [Int] = []
}
