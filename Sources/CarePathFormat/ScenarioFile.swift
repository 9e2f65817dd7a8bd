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
                          "under-recording", "channels", "variants", "workshop"]
    static let settingsKeys = ["architecture", "organisations", "capacities", "handoffs", "access", "consent", "under-recording", "channels"]

    /// What the scenario is checked against; `pathway` is nil when it could not be read or has errors.
    struct Context {
        let pathway: Pathway?
    }

    // MARK: Cohort

    static let cohortKeys = ["patients", "horizon", "arrivals", "attributes", "monthly-factors"]

    static func readCohort(_ node: Node, _ path: DocumentPath, _ r: inout NodeReader, _ c: Context) -> Cohort? {
        guard let entries = r.mapping(node, path, allowed: cohortKeys,
                                      what: "a cohort (a mapping with patients or horizon, arrivals and attributes)") else { return nil }
        r.require(["arrivals"], in: entries, of: node, path)
        let hasPatients = entries.contains { $0.key == "patients" }, hasHorizon = entries.contains { $0.key == "horizon" }
        if hasPatients && hasHorizon {
            r.error(node, path, "give either patients (a number of patients) or horizon (a time after which arrivals stop), not both")
        } else if !hasPatients && !hasHorizon {
            r.report(.error, node.mark, path, "missing required key 'patients' (or 'horizon')")
        }
        var size = Cohort.Size.patients(1)
        var arrivals = ArrivalProcess.poisson(ratePerHour: 1)
        var attributes: [String: AttributeDistribution] = [:], monthlyFactors: [Double]?
        var mentioned: Set<String> = [], order: [String] = []
        var attributesPath: DocumentPath?, horizonEntry: (Node, DocumentPath)?
        for (key, value, p) in entries {
            switch key {
            case "patients":
                if let n = r.integer(value, p, what: "a number of patients (a whole number >= 1)") {
                    if n < 1 {
                        r.error(value, p, "expected a number of patients >= 1, found \(n)")
                    } else if let problem = Bounds.wholeNumberProblem(n, in: 1...Bounds.maximumPatients, what: "a number of patients") {
                        r.error(value, p, problem + " (Bounds: the most one replication may hold)")
                    } else {
                        size = .patients(n)
                    }
                }
            case "horizon":
                if let h = positiveDuration(value, p, &r, what: "a horizon") { size = .horizon(h); horizonEntry = (value, p) }
            case "arrivals":
                if let a = readArrivals(value, p, &r) { arrivals = a }
            case "monthly-factors":
                monthlyFactors = readMonthlyFactors(value, p, &r)
            default:
                attributesPath = p
                (attributes, mentioned, order) = readCohortAttributes(value, p, &r, c)
            }
        }
        if let pathway = c.pathway {
            for attribute in pathway.attributes where !mentioned.contains(attribute.name) {
                r.error(nil, attributesPath ?? path,
                        "no distribution for the attribute '\(attribute.name)' that the pathway declares (\(attribute.type)); give \(hint(for: attribute.type))")
            }
        }
        // A horizon obeys the cohort's bound through the patients it brings (at the peak month's rate).
        if case .horizon(let h) = size, let (node, p) = horizonEntry {
            let expected = h * arrivals.meanRatePerHour * max(monthlyFactors?.max() ?? 1, 1)
            if expected > Double(Bounds.maximumPatients) {
                r.error(node, p, "the horizon brings about \(Bounds.grouped(Int(clampingFloor: expected))) patients a replication at the arrival rate, "
                        + "more than \(Bounds.grouped(Bounds.maximumPatients)) (Bounds: the most one replication may hold)")
            }
        }
        return Cohort(size: size, arrivals: arrivals, attributes: attributes, monthlyFactors: monthlyFactors, attributeOrder: order)
    }

    static func hint(for type: AttributeType) -> String {
        switch type {
        case .boolean: return "the probability that it is true, such as 0.4"
        case .number: return "a distribution such as normal(mean=82, sd=7), or integer(1, 5) for whole numbers"
        case .categorical(let levels):
            let share = levels.isEmpty ? "1" : String(format: "%.2g", 1.0 / Double(levels.count))
            return "a weight per level, such as { " + levels.map { "\($0): \(share)" }.joined(separator: ", ") + " }"
        }
    }

    /// The distributions read, every attribute named (readable or not, so that a bad value is
    /// not reported as missing too), and the declared ones in the order listed (the draw order).
    static func readCohortAttributes(_ node: Node, _ path: DocumentPath, _ r: inout NodeReader, _ c: Context)
        -> ([String: AttributeDistribution], Set<String>, [String]) {
        var distributions: [String: AttributeDistribution] = [:]
        var mentioned: Set<String> = [], order: [String] = []
        guard let entries = r.mapping(node, path, what: "a mapping of attribute distributions, one per attribute the pathway declares") else {
            // Unreadable as a whole: do not also report each attribute as missing.
            return ([:], Set(c.pathway?.attributes.map(\.name) ?? []), [])
        }
        for (name, value, p) in entries {
            mentioned.insert(name)
            guard let pathway = c.pathway else {
                // The pathway is unusable: check the value's own form only.
                guard PathwayFile.checkName(name, p, &r, what: "an attribute name") else { continue }
                if case .sequence = value { _ = readConditionalAttribute(name, value, p, &r, pathway: nil, drawnBefore: []) }
                else { checkAttributeForm(name, value, p, &r) }
                continue
            }
            guard let type = pathway.attributeTypes[name] else {
                let declared = pathway.attributes.map(\.name)
                var message = "the pathway declares no attribute '\(name.prefix(60))'"
                if let close = closest(name, in: declared) { message += "; did you mean '\(close)'?" }
                message += declared.isEmpty ? " (it declares none)" : " (it declares: \(declared.joined(separator: ", ")))"
                if name.contains(")") { message += Self.flowHint }
                r.error(nil, p, message)
                continue
            }
            let distribution: AttributeDistribution?
            if case .sequence = value {
                distribution = readConditionalAttribute(name, value, p, &r, pathway: pathway, drawnBefore: order)
            } else {
                distribution = readPlainAttribute(name, type, value, p, &r)
            }
            if let distribution { distributions[name] = distribution }
            if !order.contains(name) { order.append(name) }
        }
        return (distributions, mentioned, order)
    }

    static func readBernoulli(_ name: String, _ node: Node, _ path: DocumentPath, _ r: inout NodeReader) -> AttributeDistribution? {
        guard let text = r.scalar(node, path, what: "the probability that '\(name)' is true") else { return nil }
        guard let p = Double(text.trimming(" \t")), p.isFinite, p >= 0, p <= 1 else {
            r.error(node, path, "'\(name)' is a boolean attribute: expected the probability that it is true, between 0 and 1, found '\(text.prefix(60))'")
            return nil
        }
        return .bernoulli(p)
    }

    /// A distribution without units (`normal(mean=82, sd=7)`), or `integer(lo, hi)`.
    static func readNumberAttribute(_ text: String, _ node: Node, _ path: DocumentPath, _ r: inout NodeReader) -> AttributeDistribution? {
        let trimmed = text.trimming(" \t")
        if trimmed.hasPrefix("integer") {
            let rest = trimmed.dropFirst("integer".count).trimming(" \t")
            guard rest.hasPrefix("("), rest.hasSuffix(")"), rest.count >= 2 else {
                r.error(node, path, "expected integer(LOW, HIGH) such as integer(1, 5), found '\(trimmed.prefix(60))'"
                        + (trimmed.contains("(") && !trimmed.contains(")") ? Self.flowHint : ""))
                return nil
            }
            let inner = rest.dropFirst().dropLast()
            let parts = inner.split(separator: ",", omittingEmptySubsequences: false).map { part -> String in
                var s = String(part).trimming(" \t")
                for label in ["min=", "max=", "low=", "high="] where s.hasPrefix(label) { s = String(s.dropFirst(label.count)).trimming(" \t") }
                return s
            }
            let limit = Bounds.maximumWholeNumber
            guard parts.count == 2, let lo = Int(parts[0]), let hi = Int(parts[1]) else {
                r.error(node, path, "expected integer(LOW, HIGH) with two whole numbers, such as integer(1, 5), found '\(trimmed.prefix(60))'")
                return nil
            }
            guard lo <= hi else {
                r.error(node, path, "integer(LOW, HIGH) needs LOW <= HIGH, found \(lo) > \(hi)")
                return nil
            }
            // Compared without abs: abs(Int.min) traps.
            guard lo >= -limit, hi <= limit else {
                r.error(node, path, "integer(LOW, HIGH) takes whole numbers between -\(Bounds.grouped(limit)) and \(Bounds.grouped(limit)), found '\(trimmed.prefix(60))'")
                return nil
            }
            return .integers(lo, hi)
        }
        do throws(DistributionText.ParseError) {
            let d = try DistributionText.parse(trimmed, durations: false)
            let problems = d.problems(durations: false)
            for p in problems { r.error(node, path, p) }
            return problems.isEmpty ? .numeric(d) : nil
        } catch {
            r.error(node, path, error.message + " (a number attribute takes a distribution without units, such as normal(mean=82, sd=7), or integer(1, 5))"
                    + (trimmed.contains("(") && !trimmed.contains(")") ? Self.flowHint : ""))
            return nil
        }
    }

    /// Weights per level; `levels` nil when the pathway is unknown (the form alone is checked).
    static func readCategorical(_ name: String, levels: [String]?, _ node: Node, _ path: DocumentPath, _ r: inout NodeReader) -> AttributeDistribution? {
        let example = levels.map { "{ " + $0.prefix(3).map { "\($0): 1" }.joined(separator: ", ") + " }" } ?? "{ female: 0.56, male: 0.44 }"
        guard let entries = r.mapping(node, path, what: "a weight per level of the categorical attribute '\(name)', such as \(example)") else { return nil }
        var weights: [String: Double] = [:]
        var order: [String] = []
        var ok = true
        for (level, value, p) in entries {
            if let levels, !levels.contains(level) {
                var message = "'\(level.prefix(60))' is not a level of '\(name)'"
                if let close = closest(level, in: levels) { message += "; did you mean '\(close)'?" }
                r.error(nil, p, message + " (its levels: \(levels.joined(separator: ", ")))")
                ok = false
                continue
            }
            guard let w = weight(value, p, &r) else { ok = false; continue }
            weights[level] = w
            order.append(level)
        }
        let wanted = levels ?? order
        let given = Set(entries.map(\.key))
        let missing = wanted.filter { !given.contains($0) }
        if !missing.isEmpty {
            r.error(nil, path, "missing a weight for level\(missing.count > 1 ? "s" : "") \(missing.map { "'\($0)'" }.joined(separator: ", ")) of '\(name)' (give 0 for a level no patient has; its levels: \(wanted.joined(separator: ", ")))")
            ok = false
        }
        if ok, !weights.isEmpty, weights.values.allSatisfy({ $0 == 0 }) {
            r.error(node, path, "the weights of '\(name)' are all zero")
            ok = false
        }
        if ok, entries.isEmpty {
            r.error(node, path, "expected a weight per level of '\(name)', found an empty mapping")
            ok = false
        }
        guard ok else { return nil }
        return .categorical(levels: wanted, weights: wanted.map { weights[$0] ?? 0 })
    }

    /// A relative weight: a finite number >= 0.
    static func weight(_ node: Node, _ path: DocumentPath, _ r: inout NodeReader) -> Double? {
        guard let w = r.number(node, path, what: "a weight (a number >= 0)") else { return nil }
        guard w >= 0 else {
            r.error(node, path, "expected a weight >= 0, found \(w)")
            return nil
        }
        return w
    }

    static let arrivalKeys = ["rate", "days", "hours"]

    /// `20/d` (Poisson), or { rate, days, hours } (a weekly profile with that mean rate).
    static func readArrivals(_ node: Node, _ path: DocumentPath, _ r: inout NodeReader) -> ArrivalProcess? {
        guard case .mapping = node else { return r.rate(node, path).map { .poisson(ratePerHour: $0) } }
        guard let entries = r.mapping(node, path, allowed: arrivalKeys, what: "arrivals") else { return nil }
        r.require(["rate"], in: entries, of: node, path)
        var rate: Double?, days: [Double]?, hours: [Double]?
        var ok = true
        for (key, value, p) in entries {
            switch key {
            case "rate":
                rate = r.rate(value, p)
            case "days":
                guard let dayEntries = r.mapping(value, p, allowed: WorkingCalendar.dayNames,
                                                 what: "a weight per day, such as { mon: 1.2, tue: 1.1, wed: 1, thu: 1, fri: 1.1, sat: 0.8, sun: 0.8 }") else {
                    ok = false; continue
                }
                var byDay: [String: Double] = [:]
                for (day, w, wp) in dayEntries {
                    if let v = weight(w, wp, &r) { byDay[day] = v } else { ok = false }
                }
                let missing = WorkingCalendar.dayNames.filter { day in !dayEntries.contains { $0.key == day } }
                if !missing.isEmpty {
                    r.error(nil, p, "missing a weight for \(missing.joined(separator: ", ")) (give every day a weight; 0 for a day without arrivals)")
                    ok = false
                } else if byDay.count == 7 {
                    if byDay.values.allSatisfy({ $0 == 0 }) {
                        r.error(value, p, "the day weights are all zero: no patient would arrive")
                        ok = false
                    } else {
                        days = WorkingCalendar.dayNames.map { byDay[$0] ?? 0 }
                    }
                }
            default:
                guard let items = r.sequence(value, p, what: "a list of 24 weights, one per hour of the day from 00:00") else { ok = false; continue }
                let values = items.map { weight($0.0, $0.1, &r) }
                if items.count != 24 {
                    r.error(value, p, "expected 24 hourly weights (00:00-01:00 first), found \(items.count)")
                    ok = false
                } else if values.contains(where: { $0 == nil }) {
                    ok = false
                } else {
                    let hourly = values.map { $0 ?? 0 }
                    if hourly.allSatisfy({ $0 == 0 }) {
                        r.error(value, p, "the hourly weights are all zero: no patient would arrive")
                        ok = false
                    } else { hours = hourly }
                }
            }
        }
        guard ok, let rate else { return nil }
        if days == nil && hours == nil { return .poisson(ratePerHour: rate) }
        let rates = weeklyRates(ratePerHour: rate, dayWeights: days ?? Array(repeating: 1, count: 7),
                                hourWeights: hours ?? Array(repeating: 1, count: 24))
        guard rates.allSatisfy({ $0.isFinite && $0 >= 0 }) else {
            r.error(node, path, "the weekly profile gives rates that are not finite numbers; use more moderate weights")
            return nil
        }
        return .weekly(ratesPerHour: rates)
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
