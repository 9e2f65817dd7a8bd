import CarePathModel
import Foundation
import Yams

/// Reads and checks scenario files: the cohort, architecture, capacities and variants to run
/// through a pathway, checked against that pathway (its attributes, organisations and roles).
public enum ScenarioFile {
    /// A scenario read from a file, with its pathway and every problem found in either, located.
    public struct Result: Sendable {
        /// The scenario, when neither it nor its pathway has an error.
        public var scenario: Scenario?
        /// The pathway, when it could be read and has no error (even if the scenario has some).
        public var pathway: Pathway?
        /// Where the scenario's `pathway` points, resolved against the scenario's folder.
        public var pathwayURL: URL?
        /// The scenario's problems first, then the pathway's (which carry the pathway's file name).
        public var problems: [FormatProblem]
        /// The bank holiday file the calendar names, as read and checked, under its name in problems
        /// (the key of `includedTexts`); nil when the scenario names none or it could not be read.
        public var bankHolidays: InputFile? = nil
        /// Where the calendar's bank holiday file points, resolved against the scenario's folder.
        public var bankHolidaysURL: URL? = nil
        public var errors: [FormatProblem] { problems.filter { $0.severity == .error } }
        public var warnings: [FormatProblem] { problems.filter { $0.severity == .warning } }
    }

    /// Reads `url` and checks it and its pathway completely; never throws: unreadable files are problems too.
    public static func check(_ url: URL) -> Result {
        let name = url.relativePath
        let (text, problem) = readText(url)
        guard let text else {
            return Result(scenario: nil, pathway: nil, pathwayURL: nil,
                          problems: [FormatProblem(.error, file: name, line: 1, column: 1, path: .root,
                                                   message: problem ?? "cannot read the file")])
        }
        return check(text: text, file: name, baseDirectory: url.absoluteURL.deletingLastPathComponent())
    }

    /// Checks a scenario's text; `file` names it in problems, and its pathway is looked for
    /// relative to `baseDirectory`.
    /// `pathwayText`, when given, is used instead of reading the pathway file (a stored run's copy).
    /// `includedTexts`, when given, are used instead of reading the other files the scenario names
    /// (its bank holiday file), none of which is then read from disk: keyed by each file's name as
    /// problems give it, the path written in the scenario seen from `file`'s folder
    /// (`Scenarios/calendars/england-bank-holidays.yaml`), which is `Result.bankHolidays?.path`.
    public static func check(text: String, file: String, baseDirectory: URL, pathwayText: String? = nil,
                             includedTexts: [String: String]? = nil) -> Result {
        let document: YAMLDocument
        do throws(FormatErrors) {
            document = try YAMLDocument.parse(text, file: file)
        } catch {
            return Result(scenario: nil, pathway: nil, pathwayURL: nil, problems: error.problems)
        }
        var r = NodeReader(file: file)
        let top = DocumentPath.root
        guard let entries = r.mapping(document.root, top, allowed: topKeys,
                                      what: "a scenario (a mapping with scenario, pathway, cohort)") else {
            return Result(scenario: nil, pathway: nil, pathwayURL: nil, problems: r.problems.sorted())
        }
        r.require(["scenario", "pathway", "cohort"], in: entries, of: document.root, top)

        // The pathway first: everything else is checked against it.
        var pathway: Pathway?, pathwayURL: URL?, pathwayProblems: [FormatProblem] = [], pathwayFile = ""
        if let entry = entries.first(where: { $0.key == "pathway" }),
           let written = r.string(entry.value, entry.path, what: "the path of a pathway file") {
            let trimmed = written.trimming(" \t")
            if trimmed.isEmpty {
                r.error(entry.value, entry.path, "expected the path of a pathway file (relative to this file's folder), found an empty value")
            } else {
                pathwayFile = trimmed
                let url = trimmed.hasPrefix("/") ? URL(fileURLWithPath: trimmed).standardized
                    : baseDirectory.appendingPathComponent(trimmed).standardized
                pathwayURL = url
                let (text, problem) = pathwayText.map { ($0, nil) } ?? readText(url)
                if let text {
                    let checked = PathwayFile.check(text: text, file: displayName(of: trimmed, besides: file))
                    pathway = checked.pathway
                    pathwayProblems = checked.problems
                } else {
                    r.error(entry.value, entry.path, "cannot use the pathway file '\(trimmed.prefix(200))' (\(url.path)): \(problem ?? "unreadable")")
                }
            }
        }
        let context = Context(pathway: pathway)
        var included = IncludedFiles(baseDirectory: baseDirectory, scenarioFile: file, texts: includedTexts)

        var id = "", title: String?, question: String?
        var cohort: Cohort?
        var warmUp = WarmUp.none, warmUpEntry: (Node, DocumentPath)?
        var replications = 10, seed: UInt64 = 1, maximumStateEntries = Bounds.defaultMaximumStateEntries
        var breakdowns: [Breakdown] = []
        var settings = ScenarioSettings(), calendarStartGiven = false
        var experiments = Experiments()
        var workshopEntry: (Node, DocumentPath)?
        for (key, value, path) in entries {
            switch key {
            case "scenario": id = r.name(value, path, what: "a scenario identifier") ?? ""
            case "title": title = r.string(value, path)
            case "question": question = r.string(value, path)
            case "pathway", "variants": break
            case "cohort": cohort = readCohort(value, path, &r, context)
            case "warm-up": warmUp = readWarmUp(value, path, &r) ?? .none; warmUpEntry = (value, path)
            case "replications":
                if let n = r.integer(value, path, what: "a number of replications (a whole number from 1 to \(maximumReplications))") {
                    if n >= 1 && n <= maximumReplications { replications = n }
                    else { r.error(value, path, "expected a number of replications from 1 to \(maximumReplications), found \(n)") }
                }
            case "seed":
                if let s = r.scalar(value, path, what: "a seed (a whole number)") {
                    if let v = UInt64(s.trimming(" \t").replacingOccurrences(of: "_", with: "")) { seed = v }
                    else { r.error(value, path, "expected a seed, a whole number from 0 to \(UInt64.max), found '\(s.prefix(60))'") }
                }
            case "max-state-entries":
                let range = 1...Bounds.maximumStateEntriesLimit
                if let n = r.integer(value, path, what: "the most states one patient may enter (a whole number)") {
                    if let problem = Bounds.wholeNumberProblem(n, in: range, what: "the most states one patient may enter") {
                        r.error(value, path, problem)
                    } else {
                        maximumStateEntries = n
                    }
                }
            case "breakdown": breakdowns = readBreakdowns(value, path, &r, context)
            case "experiments": experiments = readExperiments(value, path, &r, context)
            case "calendar":
                (settings.calendar, calendarStartGiven) = readScenarioCalendar(value, path, &r, &included)
            case "workshop": workshopEntry = (value, path)  // read once the variants are: ScenarioFile+Workshop.swift
            default: applySetting(key, value, path, to: &settings, &r, context, base: true)
            }
        }

        if let (node, path) = warmUpEntry, let cohort, let problem = warmUpProblem(warmUp, cohort) { r.error(node, path, problem) }

        let monthlyFactors = top.key("cohort").key("monthly-factors")
        if r.keyLocations[monthlyFactors] != nil && !calendarStartGiven {
            r.error(nil, monthlyFactors, "monthly factors need the calendar's start date to know the month: add calendar: { start: 2025-01-06 } (a Monday)")
        }

        var variants: [Variant] = [], levers: [Int: VariantLevers] = [:]
        if let entry = entries.first(where: { $0.key == "variants" }) {
            variants = readVariants(entry.value, entry.path, base: settings, &r, context, levers: &levers)
        }
        if let pathway, let cohort, !levers.isEmpty {
            let base = Scenario(id: id, title: title ?? id, pathwayFile: pathwayFile, cohort: cohort, warmUp: warmUp, settings: settings)
            pullLevers(&variants, levers, pathway: pathway, scenario: base, &r)
        }

        var workshop: [WorkshopDeclaration] = []
        if let (node, path) = workshopEntry {
            let base = cohort.map { Scenario(id: id, title: title ?? id, pathwayFile: pathwayFile, cohort: $0, warmUp: warmUp, settings: settings, variants: variants) }
            workshop = readWorkshop(node, path, &r, context, baseline: base, variant: base?.effectiveVariants.first)
        }

        var problems = r.problems.sorted()
        problems += pathwayProblems
        var scenario: Scenario?
        if let cohort, pathway != nil, !problems.contains(where: { $0.severity == .error }) {
            scenario = Scenario(id: id, title: title ?? id, question: question, pathwayFile: pathwayFile, cohort: cohort,
                                warmUp: warmUp, replications: replications, seed: seed, settings: settings,
                                variants: variants, breakdowns: breakdowns)
            scenario?.maximumStateEntries = maximumStateEntries
            scenario?.experiments = experiments
            scenario?.workshop = workshop
        }
        return Result(scenario: scenario, pathway: pathway, pathwayURL: pathwayURL, problems: problems,
                      bankHolidays: included.bankHolidays, bankHolidaysURL: included.bankHolidaysURL)
    }

    /// A warm-up that leaves nothing to measure: as long as the horizon, as long as the expected
    /// arrival period of a cohort given by size (patients / mean rate: arrivals after it are few
    /// or none, and every figure would rest on almost nobody), or a share that skips every patient.
    static func warmUpProblem(_ warmUp: WarmUp, _ cohort: Cohort) -> String? {
        // Durations past a billion hours in plain hours: the duration text rounds to a whole Int.
        func text(_ h: Double) -> String { h < 1e9 ? DurationText.format(hours: h) : String(format: "%.3gh", h) }
        switch (warmUp, cohort.size) {
        case (.hours(let h), .horizon(let horizon)) where h >= horizon:
            return "the warm-up (\(text(h))) is not shorter than the cohort's horizon (\(text(horizon))): nothing would be measured"
        case (.hours(let h), .patients(let n)) where h > 0:
            var rate = cohort.arrivals.meanRatePerHour
            if let factors = cohort.monthlyFactors, !factors.isEmpty { rate *= factors.reduce(0, +) / Double(factors.count) }
            guard rate > 0, rate.isFinite, h >= Double(n) / rate else { return nil }
            let period = Double(n) / rate
            return "the warm-up (\(text(h))) is not shorter than the expected arrival period (\(text(period)): "
                + "\(n) patients at \(String(format: "%.3g", rate * 24)) a day): few or no patients would arrive after it, so nothing would be measured; "
                + "shorten the warm-up, or give it as a share of the patients (such as 10%)"
        case (.fraction(let f), .patients(let n)) where n > 0 && f.isFinite && Int(min(max(Double(n) * f, 0), Double(Int.max / 2)).rounded()) >= n:
            return "the warm-up share (\(String(format: "%.1f", f * 100))% of \(n) patients) leaves no patient to measure"
        default:
            return nil
        }
    }

    /// A valid scenario with its pathway and the files they were read from, for a run to record.
    public struct Loaded: Sendable {
        public var scenario: Scenario
        public var pathway: Pathway
        public var pathwayURL: URL
        /// The calendar's bank holiday file as read and checked; nil when the scenario names none.
        public var bankHolidays: InputFile?
        public var bankHolidaysURL: URL?
    }

    /// Loads a scenario and its pathway for use; throws all the errors of both when either is not valid.
    public static func load(_ url: URL) throws(FormatErrors) -> (Scenario, Pathway, URL) {
        let loaded = try loadWithFiles(url)
        return (loaded.scenario, loaded.pathway, loaded.pathwayURL)
    }

    /// As `load`, also giving the other files the scenario names, so that a run can keep them.
    public static func loadWithFiles(_ url: URL) throws(FormatErrors) -> Loaded {
        let result = check(url)
        guard let scenario = result.scenario, let pathway = result.pathway, let pathwayURL = result.pathwayURL else {
            let errors = result.errors
            throw FormatErrors(errors.isEmpty
                ? [FormatProblem(.error, file: url.relativePath, line: 1, column: 1, path: .root, message: "the scenario could not be read")]
                : errors)
        }
        return Loaded(scenario: scenario, pathway: pathway, pathwayURL: pathwayURL,
                      bankHolidays: result.bankHolidays, bankHolidaysURL: result.bankHolidaysURL)
    }

    /// 168 hourly arrival rates from Monday 00:00 whose mean is `ratePerHour`, shaped by relative
    /// weights per day (Monday first) and per hour of day. Weights must be finite, >= 0 and not all zero.
    public static func weeklyRates(ratePerHour: Double, dayWeights: [Double], hourWeights: [Double]) -> [Double] {
        guard dayWeights.count == 7, hourWeights.count == 24 else { return Array(repeating: ratePerHour, count: 168) }
        // Scale each set by its largest weight, then to mean 1, so that large weights cannot overflow.
        let dayMax = dayWeights.max() ?? 0, hourMax = hourWeights.max() ?? 0
        guard dayMax > 0, hourMax > 0, dayMax.isFinite, hourMax.isFinite else { return Array(repeating: ratePerHour, count: 168) }
        let days = dayWeights.map { $0 / dayMax }, hours = hourWeights.map { $0 / hourMax }
        let dayMean = days.reduce(0, +) / 7, hourMean = hours.reduce(0, +) / 24
        guard dayMean > 0, hourMean > 0, dayMean.isFinite, hourMean.isFinite else { return Array(repeating: ratePerHour, count: 168) }
        var shape: [Double] = []
        shape.reserveCapacity(168)
        for d in days { for h in hours { shape.append((d / dayMean) * (h / hourMean)) } }
        let mean = shape.reduce(0, +) / 168
        guard mean > 0, mean.isFinite else { return Array(repeating: ratePerHour, count: 168) }
        return shape.map { ratePerHour * $0 / mean }
    }

    /// A comma inside `{ }` or `[ ]` ends the value: the usual cause of a cut distribution.
    static let flowHint = "; inside { } write the attributes one per line, or quote a value that contains commas"

    static let maximumReplications = Bounds.maximumReplications
    static let maximumFileBytes = YAMLDocument.maximumBytes

    static let topKeys = ["scenario", "title", "question", "pathway", "cohort", "warm-up", "replications", "seed", "max-state-entries", "breakdown",
                          "calendar", "architecture", "organisations", "capacities", "handoffs", "access", "consent",
                          "under-recording", "channels", "variants", "experiments", "workshop"]
    static let settingsKeys = ["architecture", "organisations", "capacities", "handoffs", "access", "consent", "under-recording", "channels"]

    /// What the scenario is checked against; `pathway` is nil when it could not be read or has errors.
    struct Context {
        let pathway: Pathway?
    }

    // MARK: Top-level values

    /// `4w` (a time), `5%` (a share of the patients), or `none`.
    static func readWarmUp(_ node: Node, _ path: DocumentPath, _ r: inout NodeReader) -> WarmUp? {
        guard let text = r.scalar(node, path, what: "a warm-up (a time such as 4w, or a share of patients such as 5%)") else { return nil }
        let t = text.trimming(" \t")
        if t == "none" || t == "0" { return WarmUp.none }
        if t.hasSuffix("%") {
            guard let v = Double(t.dropLast().trimming(" \t")), v.isFinite, v >= 0, v < 100 else {
                r.error(node, path, "expected a warm-up share of patients from 0% to below 100%, found '\(t.prefix(60))'")
                return nil
            }
            return v == 0 ? WarmUp.none : .fraction(v / 100)
        }
        guard let h = DurationText.hours(t), h.isFinite, h >= 0 else {
            r.error(node, path, "expected a warm-up time with a unit (4w, 72h) or a share of patients (5%), found '\(t.prefix(60))'")
            return nil
        }
        if let problem = Bounds.timeProblem(h, what: "a warm-up") {
            r.error(node, path, problem)
            return nil
        }
        return h == 0 ? WarmUp.none : .hours(h)
    }

    /// `deprivation`, or `{ attribute: age, cuts: [75, 85] }`.
    static func readBreakdown(_ node: Node, _ path: DocumentPath, _ r: inout NodeReader, _ c: Context) -> Breakdown? {
        if case .scalar = node {
            guard let name = r.name(node, path, what: "an attribute name") else { return nil }
            guard checkAttribute(name, node, path, &r, c) != nil || c.pathway == nil else { return nil }
            return Breakdown(attribute: name)
        }
        guard let entries = r.mapping(node, path, allowed: ["attribute", "cuts"],
                                      what: "an attribute name, or { attribute: age, cuts: [75, 85] }") else { return nil }
        r.require(["attribute"], in: entries, of: node, path)
        var attribute: String?, type: AttributeType?, cuts: [Double] = [], cutsEntry: (Node, DocumentPath)?
        var ok = true
        for (key, value, p) in entries {
            if key == "attribute" {
                guard let name = r.name(value, p, what: "an attribute name") else { ok = false; continue }
                type = checkAttribute(name, value, p, &r, c)
                if type == nil && c.pathway != nil { ok = false }
                attribute = name
            } else {
                cutsEntry = (value, p)
                guard let items = r.sequence(value, p, what: "a list of cut points such as [75, 85]") else { ok = false; continue }
                for (item, ip) in items {
                    if let v = r.number(item, ip, what: "a cut point (a number)") { cuts.append(v) } else { ok = false }
                }
                if ok, zip(cuts, cuts.dropFirst()).contains(where: { $0 >= $1 }) {
                    r.error(value, p, "the cut points must increase, found [\(cuts.map { formatNumber($0) }.joined(separator: ", "))]")
                    ok = false
                }
            }
        }
        if let type, type != .number, !cuts.isEmpty, let (value, p) = cutsEntry, let attribute {
            r.error(value, p, "cuts apply to number attributes only; '\(attribute)' is \(type)")
            ok = false
        }
        guard ok, let attribute else { return nil }
        return Breakdown(attribute: attribute, cuts: cuts)
    }

    /// The type of a declared attribute; reports one the pathway does not declare (nil then).
    static func checkAttribute(_ name: String, _ node: Node, _ path: DocumentPath, _ r: inout NodeReader, _ c: Context) -> AttributeType? {
        guard let pathway = c.pathway else { return nil }
        if let type = pathway.attributeTypes[name] { return type }
        let declared = pathway.attributes.map(\.name)
        var message = "the pathway declares no attribute '\(name)'"
        if let close = closest(name, in: declared) { message += "; did you mean '\(close)'?" }
        message += declared.isEmpty ? " (it declares none)" : " (it declares: \(declared.joined(separator: ", ")))"
        r.error(node, path, message)
        return nil
    }

    static func formatNumber(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
    }

    static func positiveDuration(_ node: Node, _ path: DocumentPath, _ r: inout NodeReader, what: String) -> Double? {
        guard let h = r.duration(node, path) else { return nil }
        guard h.isFinite, h > 0 else {
            r.error(node, path, "expected \(what) > 0 (a duration with a unit such as 4h), found '\(DurationText.format(hours: h))'")
            return nil
        }
        return h
    }

    // MARK: References into the pathway

    /// Whether the pathway has this organisation (true when the pathway is unknown); reports it otherwise.
    static func checkOrganisation(_ id: String, _ node: Node?, _ path: DocumentPath, _ r: inout NodeReader, _ c: Context) -> Bool {
        guard let pathway = c.pathway else {
            if NodeReader.isName(id) { return true }
            r.error(node, path, "expected an organisation name, found '\(id.prefix(60))'")
            return false
        }
        if pathway.organisation(id) != nil { return true }
        let ids = pathway.organisations.map(\.id)
        var message = "unknown organisation '\(id.prefix(60))'"
        if let close = closest(id, in: ids) { message += "; did you mean '\(close)'?" }
        r.error(node, path, message + " (the pathway has: \(ids.joined(separator: ", ")))")
        return false
    }

    /// `organisation/role`, checked against the pathway; problems are located at `node`, or at the key of `path`.
    static func roleReference(_ text: String, _ node: Node?, _ path: DocumentPath, _ r: inout NodeReader, _ c: Context) -> RoleReference? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, NodeReader.isName(parts[0]), NodeReader.isName(parts[1]) else {
            r.error(node, path, "expected a role as 'organisation/role' (such as council/social-worker), found '\(text.prefix(60))'")
            return nil
        }
        let reference = RoleReference(organisation: parts[0], role: parts[1])
        guard let pathway = c.pathway else { return reference }
        guard let org = pathway.organisation(parts[0]) else {
            let ids = pathway.organisations.map(\.id)
            var message = "unknown organisation '\(parts[0])' in '\(text)'"
            if let close = closest(parts[0], in: ids) { message += "; did you mean '\(close)'?" }
            r.error(node, path, message + " (the pathway has: \(ids.joined(separator: ", ")))")
            return nil
        }
        guard org.role(parts[1]) != nil else {
            let ids = org.roles.map(\.id)
            var message = "organisation '\(org.id)' has no role '\(parts[1])'"
            if let close = closest(parts[1], in: ids) { message += "; did you mean '\(close)'?" }
            r.error(node, path, message + " (its roles: \(ids.joined(separator: ", ")))")
            return nil
        }
        return reference
    }

    // MARK: Variants

    static let variantKeys = ["name", "title"] + settingsKeys + ["set"]

    /// The variants, each with the base settings and its own changes; the levers of each `set:`
    /// go to `levers` by the variant's position, to be pulled once the scenario is read.
    static func readVariants(_ node: Node, _ path: DocumentPath, base: ScenarioSettings, _ r: inout NodeReader, _ c: Context,
                             levers: inout [Int: VariantLevers]) -> [Variant] {
        var variants: [Variant] = []
        var seen: [String: DocumentPath] = [:]
        for (item, p) in r.sequence(node, path, what: "a list of variants such as - { name: shared-record, architecture: { option: shared-record } }") ?? [] {
            guard let entries = r.mapping(item, p, allowed: variantKeys, what: "a variant (a mapping with name and the settings it changes)") else { continue }
            r.require(["name"], in: entries, of: item, p)
            var variant = Variant(name: "", settings: base)
            for (key, value, vp) in entries {
                switch key {
                case "name":
                    guard let name = r.name(value, vp, what: "a variant name") else { break }
                    if let first = seen[name] {
                        r.error(value, vp, "the variant name '\(name)' is already used by \(first); variant names must be unique")
                    } else { seen[name] = p }
                    variant.name = name
                case "title": variant.title = r.string(value, vp)
                case "set": if let read = readLevers(value, vp, &r, c) { levers[variants.count] = read }
                default: applySetting(key, value, vp, to: &variant.settings, &r, c, base: false)
                }
            }
            variants.append(variant)
        }
        return variants
    }
}

extension NodeReader {
    /// A rate of patients: `20/d`, `1.5/h`, `100/w`; returned per hour.
    mutating func rate(_ node: Node, _ path: DocumentPath) -> Double? {
        guard let s = scalar(node, path, what: "a rate such as 20/d") else { return nil }
        switch RateText.perHour(s) {
        case .success(let perHour): return perHour
        case .failure(let problem):
            error(node, path, problem.message)
            return nil
        }
    }
}
