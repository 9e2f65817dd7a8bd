import CarePathModel
import Foundation
import Yams

/// Settings a scenario sets at its top level and each variant overrides: architecture, hand-offs,
/// access rules and consent.
extension ScenarioFile {
    // MARK: Settings (base and variants)

    /// Applies one settings key: `architecture` and `handoffs` replace only the parameters they
    /// name, `organisations` and `capacities` replace only the entries they name, the others
    /// replace the whole setting.
    static func applySetting(_ key: String, _ value: Node, _ path: DocumentPath, to settings: inout ScenarioSettings,
                             _ r: inout NodeReader, _ c: Context, base: Bool) {
        switch key {
        case "architecture":
            settings.architecture = readArchitecture(value, path, over: settings.architecture, requireOption: base, &r)
        case "organisations":
            for (org, v, p) in r.mapping(value, path, what: "a mapping of organisation: architecture option") ?? [] {
                guard checkOrganisation(org, nil, p, &r, c) else { continue }
                if let option = r.choice(v, p, ArchitectureOption.self, what: "architecture option") {
                    settings.organisationArchitectures[org] = option
                }
            }
        case "capacities":
            for (text, v, p) in r.mapping(value, path, what: "a mapping of organisation/role: capacity") ?? [] {
                applyCapacity(text, v, p, to: &settings, &r, c)
            }
        case "handoffs":
            settings.handoffs = readHandoffs(value, path, over: settings.handoffs, &r)
        case "access":
            settings.access = readAccess(value, path, &r, c)
        case "consent":
            settings.consent = readConsent(value, path, &r, c) ?? settings.consent
        case "channels":
            // A channel named replaces that channel's concerns; the others stay.
            for (name, v, p) in r.mapping(value, path, what: "a mapping of channel (an architecture option): { concerns: [...] }") ?? [] {
                guard let option = ArchitectureOption(rawValue: name) else {
                    let options = ArchitectureOption.allCases.map(\.rawValue)
                    let hint = closest(name, in: options).map { "; did you mean '\($0)'?" } ?? ""
                    r.error(v, p, "unknown channel '\(name.prefix(60))'\(hint) (a channel is an architecture option: \(options.joined(separator: ", ")))")
                    continue
                }
                guard let entries = r.mapping(v, p, allowed: ["concerns"], what: "a channel's { concerns: [...] }") else { continue }
                for (_, list, lp) in entries {
                    let annotations = PathwayFile.readAnnotations(list, lp, &r, allowed: PathwayFile.channelAnnotationKeys, at: "a channel")
                    settings.channels[option] = annotations.isEmpty ? nil : annotations
                }
            }
        default: // under-recording
            if let p = r.probability(value, path) { settings.underRecording = p }
        }
    }

    static let architectureKeys = ["option", "message-latency", "message-loss", "publish-latency", "batch", "outages",
                                   "source-availability", "source-outage", "paper-latency", "paper-loss", "fallback"]

    /// An architecture as a patch over `base`: the parameters named replace the base's.
    static func readArchitecture(_ node: Node, _ path: DocumentPath, over base: Architecture, requireOption: Bool,
                                 _ r: inout NodeReader) -> Architecture {
        guard let entries = r.mapping(node, path, allowed: architectureKeys,
                                      what: "an architecture (a mapping with option and its parameters)") else { return base }
        if requireOption { r.require(["option"], in: entries, of: node, path) }
        var a = base
        for (key, value, p) in entries {
            switch key {
            case "option": a.option = r.choice(value, p, ArchitectureOption.self, what: "architecture option") ?? a.option
            case "message-latency": a.messageLatency = r.distribution(value, p) ?? a.messageLatency
            case "message-loss": a.messageLoss = r.probability(value, p) ?? a.messageLoss
            case "publish-latency": a.publishLatency = r.distribution(value, p) ?? a.publishLatency
            case "batch":
                if isNone(value) { a.batchEvery = nil; break }
                guard let entries = r.mapping(value, p, allowed: ["every", "at"],
                                              what: "a batch schedule such as { every: 24h, at: 02:00 }, or none for real time") else { break }
                r.require(["every"], in: entries, of: value, p)
                for (k, v, kp) in entries {
                    if k == "every" { if let h = positiveDuration(v, kp, &r, what: "a time between batches") { a.batchEvery = h } }
                    else if let h = clock(v, kp, &r) { a.batchAt = h }
                }
            case "outages":
                if isNone(value) { a.outages = nil; break }
                guard let entries = r.mapping(value, p, allowed: ["every", "lasting"],
                                              what: "outages such as { every: 30d, lasting: 4h }, or none") else { break }
                r.require(["every", "lasting"], in: entries, of: value, p)
                var between: Double?, lasting: Double?
                for (k, v, kp) in entries {
                    if k == "every" { between = positiveDuration(v, kp, &r, what: "a mean time between outages") }
                    else { lasting = positiveDuration(v, kp, &r, what: "a mean outage length") }
                }
                if let between, let lasting { a.outages = Outages(meanTimeBetween: between, meanDuration: lasting) }
            case "source-availability":
                guard let v = r.number(value, p, what: "an availability (a share of time, above 0 and at most 1)") else { break }
                if v > 0 && v <= 1 { a.sourceAvailability = v }
                else { r.error(value, p, "expected an availability above 0 and at most 1, found \(v)") }
            case "source-outage": a.sourceOutageMean = positiveDuration(value, p, &r, what: "a mean outage length") ?? a.sourceOutageMean
            case "paper-latency": a.paperLatency = r.distribution(value, p) ?? a.paperLatency
            case "paper-loss": a.paperLoss = r.probability(value, p) ?? a.paperLoss
            default: a.fallback = r.choice(value, p, ArchitectureOption.self, what: "fallback option") ?? a.fallback
            }
        }
        return a
    }

    static func isNone(_ node: Node) -> Bool {
        if case .scalar(let s) = node { return s.string == "none" }
        return false
    }

    /// `02:00` -> 2 (hours after midnight).
    static func clock(_ node: Node, _ path: DocumentPath, _ r: inout NodeReader) -> Double? {
        guard let text = r.scalar(node, path, what: "a time of day such as 02:00") else { return nil }
        guard let hours = ClockText.hours(text) else {
            r.error(node, path, "expected a time of day from 00:00 to 23:59, such as 02:00, found '\(text.prefix(60))'")
            return nil
        }
        return hours
    }

    static func readHandoffs(_ node: Node, _ path: DocumentPath, over base: HandoffSettings, _ r: inout NodeReader) -> HandoffSettings {
        guard let entries = r.mapping(node, path, allowed: ["latency", "loss", "resend-after"],
                                      what: "handoff settings (latency, loss, resend-after)") else { return base }
        var h = base
        for (key, value, p) in entries {
            switch key {
            case "latency": h.latency = r.distribution(value, p) ?? h.latency
            case "loss":
                guard let loss = r.probability(value, p) else { break }
                if loss < 1 { h.loss = loss }
                else { r.error(value, p, "a handoff lost every time never arrives: expected a probability below 1, found \(loss)") }
            default: h.resendAfter = r.distribution(value, p) ?? h.resendAfter
            }
        }
        return h
    }

    static func readAccess(_ node: Node, _ path: DocumentPath, _ r: inout NodeReader, _ c: Context) -> [AccessRule] {
        var rules: [AccessRule] = []
        for (item, p) in r.sequence(node, path, what: "a list of access rules such as { category: mental-health, deny: [council/social-worker] }") ?? [] {
            guard let entries = r.mapping(item, p, allowed: ["category", "deny"],
                                          what: "an access rule such as { category: mental-health, deny: [council/social-worker] }") else { continue }
            r.require(["category", "deny"], in: entries, of: item, p)
            var category: InformationCategory?, denied: [String] = [], ok = true
            for (key, value, vp) in entries {
                if key == "category" {
                    category = r.choice(value, vp, InformationCategory.self, what: "information category")
                    if category == nil { ok = false }
                } else {
                    for (d, dp) in r.sequence(value, vp, what: "a list of organisations or organisation/role") ?? [] {
                        guard let text = r.scalar(d, dp, what: "an organisation or organisation/role") else { ok = false; continue }
                        if text.contains("/") {
                            if roleReference(text, d, dp, &r, c) != nil { denied.append(text) } else { ok = false }
                        } else if checkOrganisation(text, d, dp, &r, c) {
                            denied.append(text)
                        } else { ok = false }
                    }
                }
            }
            if ok, let category { rules.append(AccessRule(category: category, denied: denied)) }
        }
        return rules
    }

    /// `{ opt-out: 0.014 }` (a rate) or `{ opt-out: consent_opt_out }` (a boolean attribute).
    static func readConsent(_ node: Node, _ path: DocumentPath, _ r: inout NodeReader, _ c: Context) -> ConsentSettings? {
        guard let entries = r.mapping(node, path, allowed: ["opt-out"], what: "consent settings such as { opt-out: 0.014 }") else { return nil }
        r.require(["opt-out"], in: entries, of: node, path)
        guard let (_, value, p) = entries.first,
              let text = r.scalar(value, p, what: "a share of patients opting out, or the name of a boolean attribute") else { return nil }
        let t = text.trimming(" \t")
        if let share = Double(t) {
            guard share.isFinite, share >= 0, share <= 1 else {
                r.error(value, p, "expected a share of patients opting out between 0 and 1, found \(t.prefix(60))")
                return nil
            }
            return ConsentSettings(optOutRate: share)
        }
        guard NodeReader.isName(t) else {
            r.error(value, p, "expected a share of patients opting out (such as 0.014) or the name of a boolean attribute, found '\(t.prefix(60))'")
            return nil
        }
        if c.pathway != nil {
            guard let type = checkAttribute(t, value, p, &r, c) else { return nil }
            guard type == .boolean else {
                r.error(value, p, "the opt-out attribute must be boolean; '\(t)' is \(type)")
                return nil
            }
        }
        return ConsentSettings(optOutAttribute: t)
    }
}
