import CarePathModel

/// The register's account of what a concern's information effects did in the run: the parameter
/// the workshop set, and the figure it moved, for each option.
extension ReportBuilder {
    /// The effects of one annotation at an organisation, a role or a state, in words.
    func effectsText(_ effects: InformationEffects, organisation: String?, state: String?, role: RoleReference? = nil) -> [String] {
        // The states the annotation acts at, and their roles.
        let states = pathway.states.filter { s in
            if let state { return s.id == state }
            if let role { return s.owner == role }
            return s.owner?.organisation == organisation
        }
        let roles = Array(Set(states.compactMap(\.owner?.description))).sorted()
        func perState(_ name: String) -> String {
            measured { index in states.reduce(0) { $0 + (index.metric("state_\(name)_per_100_patients", $1.id)?.mean ?? 0) } } + " per 100 patients"
        }
        func perRole(_ name: String) -> String {
            measured { index in roles.reduce(0) { $0 + (index.metric(name, $1)?.mean ?? 0) } } + " hours a day"
        }
        var parts: [String] = []
        if let p = effects.withholding {
            parts.append("withholding: \(Format.percent(p)) of the items recorded here kept from the shared record and messages; items withheld: " + perState("withheld"))
        }
        if let p = effects.errors {
            parts.append("errors: \(Format.percent(p)) of the items recorded here wrong or incomplete; recorded wrong: " + perState("recorded_wrong")
                         + "; found wrong where used, in the whole pathway: " + measured { $0.metric("found_wrong_per_100_patients")?.mean ?? 0 } + " per 100 patients")
        }
        if let p = effects.unusable {
            if effects.rekeying != nil {
                parts.append("unusable: \(Format.percent(p)) of the items from other systems keyed in again here; re-keying: "
                             + measured { index in roles.reduce(0) { $0 + (index.metric("rekeying_hours_per_day", $1)?.mean ?? 0) } } + " hours a day")
            } else {
                parts.append("unusable: \(Format.percent(p)) of the items from other systems cannot be used here; unusable: " + perState("unusable"))
            }
        }
        if let p = effects.mistrust {
            parts.append("mistrust: after a stale or late item, \(Format.percent(p)) of the readable items collected again; repeats: " + perState("mistrust_repeats"))
        }
        if let p = effects.overlook {
            parts.append("overlook: \(Format.percent(p)) per unneeded item shown of overlooking a needed one; overlooked: " + perState("overlooked"))
        }
        if effects.readingTime != nil { parts.append("reading time per unneeded item shown: " + perRole("reading_hours_per_day")) }
        if effects.recordingTime != nil { parts.append("recording time per item produced: " + perRole("documenting_hours_per_day")) }
        return parts
    }

    /// The effects of an item's concern, where the item is recorded and read, in words.
    func itemEffectsText(_ effects: InformationEffects, item: String) -> [String] {
        func count(_ name: String) -> String {
            measured { $0.metric("item_\(name)_per_100_patients", item)?.mean ?? 0 } + " per 100 patients"
        }
        var parts: [String] = []
        if let p = effects.withholding { parts.append("withholding: \(Format.percent(p)) of its recordings kept from the shared record and messages; withheld: " + count("withheld")) }
        if let p = effects.errors {
            parts.append("errors: \(Format.percent(p)) of its recordings wrong or incomplete; recorded wrong: " + count("recorded_wrong") + "; found wrong where used: " + count("found_wrong"))
        }
        if let p = effects.unusable {
            parts.append(effects.rekeying != nil
                         ? "unusable: \(Format.percent(p)) of the copies from another organisation keyed in again; re-keyed: " + count("rekeyed")
                         : "unusable: \(Format.percent(p)) of the copies from another organisation cannot be used; unusable: " + count("unusable"))
        }
        if let p = effects.mistrust { parts.append("mistrust: \(Format.percent(p)) collected again after an inconsistency; repeats: " + count("mistrust_repeats")) }
        if effects.recordingTime != nil { parts.append("recording time each time it is produced (in the producing roles' documenting hours)") }
        return parts
    }

    /// The effects of a channel's concern on the items it brings, in words.
    func channelEffectsText(_ effects: InformationEffects, channel: ArchitectureOption) -> [String] {
        guard let p = effects.unusable else { return [] }
        func figure(_ name: String) -> String { measured { $0.metric(name, channel.rawValue)?.mean ?? 0 } }
        if effects.rekeying != nil {
            return ["unusable: \(Format.percent(p)) of the items arriving by \(channel.rawValue) from another organisation keyed in again; re-keyed: "
                    + figure("channel_rekeyed_per_100_patients") + " per 100 patients, costing " + figure("channel_rekeying_hours_per_day") + " role hours a day"]
        }
        return ["unusable: \(Format.percent(p)) of the items arriving by \(channel.rawValue) from another organisation cannot be used (a missing gap); unusable: "
                + figure("channel_unusable_per_100_patients") + " per 100 patients"]
    }

    /// A figure for each option: `12.3 (point-to-point), 4.5 (shared-record)`, or one value when
    /// every option has it.
    private func measured(_ value: (MetricIndex) -> Double) -> String {
        let values = options.map { Format.number(value($0.index), 1) }
        if Set(values).count == 1 { return values.first ?? "0" }
        return zip(values, options).map { "\($0) (\($1.label))" }.joined(separator: ", ")
    }

    /// Why an annotation without a parameter changes no figure: where its dimension acts instead,
    /// or the parameter that would make it act.
    static func qualitativeReason(_ concern: Concern) -> String {
        switch concern {
        case .dataOwnershipUnclear, .differingIncentives, .professionalBoundaries:
            "none here: give it `withholding` to simulate items kept from the shared record and messages"
        case .liabilityFear: "none here: give it `under-recording` to simulate items never recorded"
        case .dataOverload: "none here: give it `reading-time` or `overlook` to simulate time lost and items buried"
        case .trainingGap: "none here: give it `errors` to simulate items recorded wrong or incomplete"
        case .consent: "acts through the scenario's consent settings (opt-out), not this note"
        case .informationGovernance: "acts through the scenario's access rules, not this note"
        case .digitalMaturity, .legacySystems: "acts through the organisation's maturity and connections (the channels table), not this note"
        case .connectivity: "none here: give it `availability` to simulate outages"
        case .differentSpeeds: "acts through the channels' latencies and batch publishing; give `mistrust` to simulate assessments repeated after an inconsistency"
        case .workforce: "acts through the roles' capacities and rotas, not this note"
        case .documentationBurden: "none here: give it `recording-time` to simulate the role's time per item produced"
        case .other: "none: qualitative, not simulated (no honest number for it)"
        }
    }
}
