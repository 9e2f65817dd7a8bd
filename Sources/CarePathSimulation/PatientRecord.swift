import CarePathEngine

/// A patient in the system, stored by slot in a contiguous array; slots are reused when patients
/// leave, so memory follows the patients present, not the cohort.
struct PatientRecord {
    var index: Int
    var arrival: Double
    var state: Int
    /// When the patient became ready for the current state (arrived after the transfer).
    var readyAt: Double
    /// When the patient left the previous state; negative before the first.
    var leftAt: Double
    var crossHandoffs: Int32
    var internalHandoffs: Int32
    var delayedTransfer: Double
    var arrivedAcross: Bool = false
    /// The current state's role was released before the state ended (waiting for a chase).
    var releasedEarly: Bool = false
    /// The patient has met a stale or late item: professionals may no longer trust what they read.
    var metInconsistency: Bool = false
    /// A role unit kept after the work (blocking; see `PatientWaiting`), or -1.
    var heldRole: Int32 = -1
    /// States entered so far (terminal included): past the run's limit, a run-away.
    var entries: Int32 = 0
    var counted: Bool
    var optedOut: Bool
    /// The patient's group in each breakdown.
    var groups: CohortGroups
    /// Separate streams per purpose, so a variant that draws more for information flows still
    /// gives each patient the same durations and branches (common random numbers).
    var durations: RandomStream
    var branching: RandomStream
    var handoffs: RandomStream
    var information: RandomStream
    /// Whether each item produced is recorded: its own stream, so that it is the same in every variant.
    var recording: RandomStream
}

/// What a patient's holds and patience need, beside the record: kept apart so that pathways using
/// neither (the common case) carry none of it through the event loop.
struct PatientWaiting {
    /// The state whose work ended with the unit kept, and since when.
    var holdState: Int32 = -1
    var heldSince: Double = 0
    /// The role whose queue the patient waits in with a patience running, or -1; `queueTag` names
    /// that wait (it only grows, across the patients using the slot), so a give-up event that
    /// outlived it is ignored.
    var waitingRole: Int32 = -1
    var queueTag: UInt16 = 0
    /// Patience draws: their own stream, so that queues that give up change no other draw.
    var queueing: RandomStream = .unused
}

/// The latest recorded version of an item for one patient.
struct ItemRecord {
    var version: Int32 = 0
    var producer: Int32 = -1
    var recordedAt: Double = 0
    /// Shared record: when the latest version, and the earliest of the older ones, become readable centrally.
    var publishedAt: Double = 0
    var previousPublishedAt: Double = .infinity
    /// The latest version was kept from the shared record and messages (withholding).
    var withheld = false
    /// The latest version is wrong or incomplete (data quality).
    var wrong = false
}

/// The copy of an item one organisation holds (delivered message, letter, phone call).
struct Delivery {
    var version: Int32 = 0
    var readableAt: Double = 0
    /// A newer version in transit.
    var transitVersion: Int32 = 0
    var transitAt: Double = 0

    /// Moves a copy in transit that has arrived by `t` into the readable slot.
    @inline(__always)
    mutating func settle(at t: Double) {
        if transitVersion > 0 && transitAt <= t {
            if transitVersion > version { version = transitVersion; readableAt = transitAt }
            transitVersion = 0
        }
    }
}

/// An alternating up/down process (exponential up and down times), advanced lazily: the engine
/// asks in non-decreasing time, so no events are needed.
struct OutageProcess {
    var meanUp: Double
    var meanDown: Double
    var down = false
    var nextChange: Double
    var rng: RandomStream

    init(meanUp: Double, meanDown: Double, rng: RandomStream) {
        self.meanUp = meanUp; self.meanDown = meanDown; self.rng = rng
        nextChange = meanUp.isFinite ? -meanUp * log(self.rng.uniformPositive()) : .infinity
    }

    static func alwaysUp() -> OutageProcess {
        OutageProcess(meanUp: .infinity, meanDown: 0, rng: RandomStream(seed: 0))
    }

    mutating func isDown(at t: Double) -> Bool {
        while t >= nextChange {
            down.toggle()
            let mean = down ? meanDown : meanUp
            nextChange += -mean * log(rng.uniformPositive())
        }
        return down
    }
}

import Foundation
