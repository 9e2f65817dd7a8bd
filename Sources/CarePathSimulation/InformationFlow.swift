import Foundation
import CarePathEngine
import CarePathModel

/// How items get from the organisation that records them to the one that needs them, and what the
/// point of care finds: the architecture options of DESIGN.md.
extension PathwaySimulation where Observer: ~Copyable {
    @inline(__always)
    func itemIndex(_ slot: Int, _ item: Int) -> Int { slot * itemCount + item }

    @inline(__always)
    func deliveryIndex(_ slot: Int, _ item: Int, _ organisation: Int) -> Int {
        (slot * itemCount + item) * plan.organisationCount + organisation
    }

    /// A state has produced an item: recorded (unless under-recorded) at its organisation, and
    /// published to the shared record on its schedule.
    mutating func record(_ item: Int, slot: Int, organisation: Int, underRecording: Double, state: Int = -1, at t: Double) {
        if underRecording > 0 && patients[slot].recording.uniform() < underRecording { return }
        let i = itemIndex(slot, item)
        var r = items[i]
        r.withheld = false
        r.wrong = false
        if state >= 0 && cores[state].hasEffects {
            // Drawn from the recording stream, like under-recording: the same in every variant.
            var withholding = effects[state].withholding, errors = effects[state].errors
            if !plan.itemEffects.isEmpty {
                withholding = 1 - (1 - withholding) * (1 - plan.itemEffects[item].withholding)
                errors = 1 - (1 - errors) * (1 - plan.itemEffects[item].errors)
            }
            if withholding > 0 && patients[slot].recording.uniform() < withholding {
                r.withheld = true
                observer.informationEffect(context(slot), state: state, item: item, effect: .withheld, hours: 0, at: t)
            }
            if errors > 0 && patients[slot].recording.uniform() < errors {
                r.wrong = true
                observer.informationEffect(context(slot), state: state, item: item, effect: .recordedWrong, hours: 0, at: t)
            }
        }
        // When the earliest of the older versions becomes readable centrally (any of them makes a
        // newer, unpublished version `stale` rather than `late`; with random publish latencies they
        // need not be published in order).
        r.previousPublishedAt = r.version > 0 ? min(r.previousPublishedAt, r.publishedAt) : .infinity
        r.version += 1
        r.producer = Int32(organisation)
        r.recordedAt = t
        let architecture = plan.settings.architecture
        if r.withheld {
            r.publishedAt = .infinity  // kept from the shared record: never readable there
        } else if let every = architecture.batchEvery, every > 0 {
            // Next batch run at or after t: batchAt + k * every.
            let k = ((t - architecture.batchAt) / every).rounded(.up)
            r.publishedAt = architecture.batchAt + max(k, 0) * every
        } else {
            r.publishedAt = t + draw(plan.publishLatency, .information, slot, at: t)
        }
        items[i] = r
        if organisation >= 0 {
            // The producing organisation holds its own record.
            deliveries[deliveryIndex(slot, item, organisation)] = Delivery(version: r.version, readableAt: t)
        }
    }

    /// A cross-organisation handoff over a message channel pushes the carried items to the receiver.
    mutating func sendMessages(_ slot: Int, from sender: Int, to receiver: Int, carries: ListSpan, at t: Double) {
        guard sender >= 0, receiver >= 0 else { return }
        let channel = plan.channel[sender * plan.organisationCount + receiver]
        guard channel == .pointToPoint || channel == .paper else { return }
        for k in carries { deliver(slot, item: Int(plan.carryList[Int(k)]), from: sender, to: receiver, by: channel, at: t) }
    }

    /// Items a state sends on its own (a letter to the GP), whatever the architecture: by direct
    /// message where both ends are on the messaging service, otherwise by post.
    mutating func sendOnItsOwn(_ slot: Int, _ sends: ListSpan, from sender: Int, at t: Double) {
        guard sender >= 0 else { return }
        for k in sends {
            let (item, receiver) = plan.sendList[Int(k)]
            let channel = plan.directChannel[sender * plan.organisationCount + Int(receiver)]
            deliver(slot, item: Int(item), from: sender, to: Int(receiver), by: channel, at: t)
        }
    }

    /// The sender's latest copy goes by message or post, with the channel's loss and latency.
    mutating func deliver(_ slot: Int, item: Int, from sender: Int, to receiver: Int, by channel: ArchitectureOption, at t: Double) {
        let architecture = plan.settings.architecture
        var held = deliveries[deliveryIndex(slot, item, sender)]
        held.settle(at: t)
        guard held.version > 0 else { return }
        // A withheld version does not leave the organisation that recorded it.
        let r = items[itemIndex(slot, item)]
        if r.withheld && held.version == r.version && Int(r.producer) == sender { return }
        let loss = channel == .paper ? architecture.paperLoss : architecture.messageLoss
        if loss > 0 && patients[slot].information.uniform() < loss { return }
        let latency = draw(channel == .paper ? plan.paperLatency : plan.messageLatency, .information, slot, at: t)
        let d = deliveryIndex(slot, item, receiver)
        deliveries[d].settle(at: t)
        if held.version > deliveries[d].transitVersion {
            deliveries[d].transitVersion = held.version
            deliveries[d].transitAt = t + latency
        }
    }

    /// Items that exist before the pathway (a GP record, an advance care plan): one draw per such
    /// item from the patient's recording stream, whatever the outcome, so that every variant sees
    /// the same records. An existing record is already in the shared record.
    mutating func recordExisting(_ slot: Int, at t: Double) {
        for (item, alternatives) in plan.existing.enumerated() where !alternatives.isEmpty {
            let u = patients[slot].recording.uniform()
            for a in alternatives {
                if a.condition >= 0 && !holds(a.condition, slot: slot) { continue }
                if u < a.probability {
                    let i = itemIndex(slot, item)
                    items[i] = ItemRecord(version: 1, producer: a.organisation, recordedAt: t, publishedAt: t, previousPublishedAt: .infinity)
                    deliveries[deliveryIndex(slot, item, Int(a.organisation))] = Delivery(version: 1, readableAt: t)
                }
                break
            }
        }
    }

    /// What the point of care finds for one item.
    mutating func classify(_ slot: Int, item: Int, role: Int, organisation: Int, at t: Double) -> GapKind {
        let r = items[itemIndex(slot, item)]
        guard r.version > 0 else { return .missing }
        if role >= 0 && plan.accessDenied[role * plan.itemCount + item] { return .blocked }
        guard organisation >= 0 else { return .available }
        let d = deliveryIndex(slot, item, organisation)
        deliveries[d].settle(at: t)
        let local = deliveries[d]
        if local.version == r.version { return .available }
        let producer = Int(r.producer)
        let channel = plan.channel[producer * plan.organisationCount + organisation]
        switch channel {
        case .sharedRecord:
            if patients[slot].optedOut { return .blocked }
            if central.isDown(at: t) { return .unavailable }
            if r.publishedAt <= t { return .available }
            if r.previousPublishedAt <= t || local.version > 0 { return .stale }
            return r.withheld ? .missing : .late
        case .federatedQuery:
            if patients[slot].optedOut { return .blocked }
            if central.isDown(at: t) || sources[producer].isDown(at: t) { return .unavailable }
            if r.withheld { return local.version > 0 ? .stale : .missing }
            return .available
        case .pointToPoint, .paper:
            if local.version > 0 { return .stale }
            if local.transitVersion > 0 { return .late }
            return .missing
        }
    }

    /// Checks every needed item at the start of a state and applies the state's on-gap policy.
    /// Returns the time the role spends chasing or re-collecting before the activity itself, and
    /// the time the patient then waits for chased information that does not hold the role.
    mutating func checkInformation(_ slot: Int, _ core: SimulationPlan.StateCore, state: Int, at t: Double) -> (role: Double, wait: Double) {
        var extra = 0.0, wait = 0.0
        let role = Int(core.role), organisation = Int(core.organisation)
        // Data overload first: what the role is shown that it did not ask for (it can bury what it needs).
        var unneeded = 0
        for item in 0..<plan.itemCount where items[itemIndex(slot, item)].version > 0
            && !core.needs.contains(where: { plan.needList[Int($0)] == Int32(item) }) {
            if classify(slot, item: item, role: role, organisation: organisation, at: t) == .available { unneeded += 1 }
        }
        if core.hasEffects && unneeded > 0 && effects[state].reading >= 0 {
            var reading = 0.0
            for _ in 0..<unneeded { reading += draw(Int(effects[state].reading), .information, slot, at: t) }
            extra += reading
            observer.informationEffect(context(slot), state: state, item: -1, effect: .reading, hours: reading, at: t)
        }
        for k in core.needs {
            let item = Int(plan.needList[Int(k)])
            var gap = classify(slot, item: item, role: role, organisation: organisation, at: t)
            if gap == .stale || gap == .late { patients[slot].metInconsistency = true }
            var spent = 0.0, collectAgain = false
            if gap == .available && items[itemIndex(slot, item)].wrong {
                // Wrong or incomplete where it was recorded: whoever uses it finds out.
                gap = .missing
                observer.informationEffect(context(slot), state: state, item: item, effect: .foundWrong, hours: 0, at: t)
            }
            if core.hasEffects && gap == .available {
                (gap, spent, collectAgain) = effectsOnReadable(slot, state: state, item: item, organisation: organisation,
                                                               unneeded: unneeded, response: core.gapResponse, at: t)
            }
            if gap != .available || collectAgain {
                switch core.gapResponse {
                case .proceed: break
                case .chase:
                    // Drawn from the information stream, not the durations stream: gaps differ between
                    // variants, and the patient's activity durations must not (common random numbers).
                    let delay = draw(Int(core.gapTime), .information, slot, at: t)
                    var arrives = t + extra + delay
                    if core.chaseEffort >= 0 {
                        // A phone call of the role's; the patient waits for the answer without holding it.
                        spent += draw(Int(core.chaseEffort), .information, slot, at: t)
                        wait = max(wait, delay)
                        arrives = t + delay
                    } else {
                        spent += delay
                    }
                    // A chase gets what exists and may be shared; nothing to get otherwise.
                    let r = items[itemIndex(slot, item)]
                    if gap != .blocked && r.version > 0 && organisation >= 0 {
                        deliveries[deliveryIndex(slot, item, organisation)] = Delivery(version: r.version, readableAt: arrives)
                    }
                case .repeat:
                    let again = draw(Int(core.gapTime), .information, slot, at: t)
                    spent += again
                    // Collected again here: a new version, which makes everyone else's copy stale.
                    record(item, slot: slot, organisation: organisation, underRecording: 0, state: state, at: t + extra + spent)
                }
            }
            extra += spent
            observer.itemChecked(context(slot), state: state, item: item, gap: gap, response: core.gapResponse,
                                 timeSpent: spent, at: t)
        }
        observer.itemsShown(context(slot), state: state, unneeded: unneeded, needed: core.needs.count)
        return (extra, wait)
    }

    /// A needed item that is readable (and right) may still fail the point of care: coded for
    /// another system (unusable, or keyed in again), overlooked among the items the role did not
    /// need, or not trusted after an inconsistency (collected again). Returns the gap it becomes,
    /// the role's time spent re-keying, and whether it is collected again.
    mutating func effectsOnReadable(_ slot: Int, state: Int, item: Int, organisation: Int, unneeded: Int,
                                    response: GapResponse, at t: Double) -> (GapKind, Double, Bool) {
        let e = effects[state]
        let own = plan.itemEffects.isEmpty ? SimulationPlan.ItemEffects() : plan.itemEffects[item]
        let producer = Int(items[itemIndex(slot, item)].producer)
        var hours = 0.0
        if producer != organisation {
            // The state's and the item's concerns first, then the channel's: one cause each time.
            let unusable = 1 - (1 - e.unusable) * (1 - own.unusable)
            let pair = producer >= 0 && organisation >= 0 && !plan.pairUnusable.isEmpty ? producer * plan.organisationCount + organisation : -1
            if unusable > 0 && patients[slot].information.uniform() < unusable {
                let rekeying = e.rekeying >= 0 ? e.rekeying : own.rekeying
                guard rekeying >= 0 else {
                    observer.informationEffect(context(slot), state: state, item: item, effect: .unusable, hours: 0, at: t)
                    return (.missing, 0, false)
                }
                hours = draw(Int(rekeying), .information, slot, at: t)
                observer.informationEffect(context(slot), state: state, item: item, effect: .rekeyed, hours: hours, at: t)
            } else if pair >= 0 && plan.pairUnusable[pair] > 0 && patients[slot].information.uniform() < plan.pairUnusable[pair] {
                let channel = plan.channel[pair]
                guard plan.pairRekeying[pair] >= 0 else {
                    observer.informationEffect(context(slot), state: state, item: item, effect: .unusable, hours: 0, at: t)
                    observer.channelEffect(context(slot), channel: channel, effect: .unusable, hours: 0, at: t)
                    return (.missing, 0, false)
                }
                hours = draw(Int(plan.pairRekeying[pair]), .information, slot, at: t)
                observer.informationEffect(context(slot), state: state, item: item, effect: .rekeyed, hours: hours, at: t)
                observer.channelEffect(context(slot), channel: channel, effect: .rekeyed, hours: hours, at: t)
            }
        }
        if e.overlook > 0 && unneeded > 0 {
            let overlooked = 1 - pow(1 - e.overlook, Double(unneeded))
            if patients[slot].information.uniform() < overlooked {
                observer.informationEffect(context(slot), state: state, item: item, effect: .overlooked, hours: 0, at: t)
                return (.missing, hours, false)
            }
        }
        let mistrust = 1 - (1 - e.mistrust) * (1 - own.mistrust)
        if mistrust > 0 && response == .repeat && patients[slot].metInconsistency
            && patients[slot].information.uniform() < mistrust {
            observer.informationEffect(context(slot), state: state, item: item, effect: .mistrustRepeat, hours: 0, at: t)
            return (.available, hours, true)
        }
        return (.available, hours, false)
    }
}

extension PathwaySimulation where Observer: ~Copyable {
    /// Documentation burden: the role's time to record each item the state produces, drawn from
    /// the recording stream (the same in every variant).
    mutating func documenting(_ slot: Int, _ core: SimulationPlan.StateCore, state: Int, at t: Double) -> Double {
        var hours = 0.0
        for k in core.produces {
            // The state's recording time, else the item's own.
            var sampler = effects[state].recording
            if sampler < 0 && !plan.itemEffects.isEmpty { sampler = plan.itemEffects[Int(plan.produceList[Int(k)])].recording }
            if sampler >= 0 { hours += draw(Int(sampler), .recording, slot, at: t) }
        }
        observer.informationEffect(context(slot), state: state, item: -1, effect: .documenting, hours: hours, at: t)
        return hours
    }
}
