import CarePathMetrics
import CarePathModel

/// The answer on the first screen: the question, which option does best on each headline figure
/// and whether that is clear (every pair of options compared on the same patients), where the
/// pathway struggles, and what changes the reading.
extension ReportBuilder {
    /// A headline figure the answer ranks the options by; lower is better on each.
    struct AnswerFigure {
        /// As it reads in a sentence: "data gaps per patient".
        var noun: String
        var name: String
        var scale: Double = 1
        var digits: Int = 2
        var unit: String = ""
        /// Counted (fewer) rather than measured (less).
        var counted = true
    }

    /// The headline figures (`HeadlineFigure.all`, shared with the workshop page), bed days only
    /// where measured.
    var answerFigures: [AnswerFigure] {
        HeadlineFigure.all.filter { $0 != HeadlineFigure.bedDays || hasBedDays }.map {
            AnswerFigure(noun: $0.noun, name: $0.name, scale: $0.scale, digits: $0.digits, unit: $0.unit, counted: $0.counted)
        }
    }

    func answerSection() -> HTML {
        let input = inputs[0]
        var out: HTML = "<p class=\"question-text\"><b>The question.</b> \(input.scenario.question ?? input.scenario.title)</p>"
        // Two columns on a wide screen (options left; struggles and caveats right), so that the
        // whole answer fits the first screen; one column on a phone and in print.
        var left: HTML = .empty
        // An option that measured nobody has zeros, not figures: it would "do best" on everything.
        let unmeasured = options.filter { ($0.index.mean("patients") ?? 1) == 0 }
        if !unmeasured.isEmpty {
            let names: [HTML] = unmeasured.map { o -> HTML in "<b>\(o.label)</b>" }
            left += "<p class=\"warning\">No patient was measured in \(names.joined(separator: ", ")) (every patient arrived during the warm-up): \(options.count > 1 ? "the options are not compared, and its" : "its") figures are not measurements.</p>"
        } else if options.count > 1 {
            let items = answerFigures.compactMap(answerSentence)
            left += "<h3>What the options do</h3>"
            left += items.isEmpty ? "<p>No figure was measured in every option.</p>" : "<ul class=\"answer\">\(items.map { "<li>\($0)</li>" })</ul>"
            left += "<p class=\"note\">Every pair of options is compared on the same patients (common random numbers), replication by replication; an option is named best only where its 95% interval against each other option excludes zero. Lower is better on every figure here. <a href=\"#comparison\">All trade-offs</a>.</p>"
        } else if let o = options.first {
            let items = answerFigures.compactMap { f -> HTML? in
                guard let m = o.index.metric(f.name) else { return nil }
                return "<li>\(defined(f.noun.prefix(1).uppercased() + f.noun.dropFirst(), f.name)): \(estimateText(m, f))</li>"
            }
            left += "<h3>What the pathway does</h3><ul class=\"answer\">\(items)</ul>"
        }
        out += "<div class=\"answer-grid\"><div class=\"answer-options\">\(left)</div><div class=\"answer-side\">\(struggles())\(caveats())</div></div>"
        return out
    }

    /// One figure in words: the best option and how clearly, with paired differences.
    private func answerSentence(_ f: AnswerFigure) -> HTML? {
        let summary = inputs[0].summary
        let measured = options.compactMap { o in o.index.metric(f.name).map { (o, $0) } }.filter { $0.1.mean.isFinite }
        guard measured.count == options.count, measured.count > 1 else { return nil }
        let ranked = measured.sorted { $0.1.mean < $1.1.mean }
        let best = ranked[0]
        func paired(_ a: Option, _ b: Option) -> PairedDifference? {
            summary.paired(f.name, a.variant.name, minus: b.variant.name)
        }
        // Options not clearly worse than the best: tied with it.
        let tied = ranked.dropFirst().filter { other in
            guard let d = paired(best.0, other.0) else { return true }
            return !(d.isClear && d.mean < 0)
        }
        let noun = defined(f.noun, f.name)
        if tied.count == ranked.count - 1 {
            let low = ranked.first?.1.mean ?? 0, high = ranked.last?.1.mean ?? 0
            return "<b>No clear difference</b> between the options on \(noun): from \(value(low, f)) (\(best.0.label)) to \(value(high, f)) (\(ranked.last?.0.label ?? "")), every pair's interval spanning zero or the lowest not clearly apart."
        }
        var text: HTML
        if tied.isEmpty {
            text = "<b>\(best.0.label)</b> does best on \(noun): \(estimateText(best.1, f))"
            if let next = ranked.dropFirst().first, let d = paired(best.0, next.0) {
                text += "; \(differenceText(d, f)) than the next, \(next.0.label)"
            }
        } else {
            let names: [HTML] = ([best.0] + tied.map(\.0)).map { o -> HTML in "<b>\(o.label)</b>" }
            text = "\(names.joined(separator: ", ")) do best on \(noun), not clearly apart: \(best.0.label) \(estimateText(best.1, f))"
            if let t = tied.first, let d = paired(best.0, t.0) {
                text += " (\(best.0.label) minus \(t.0.label): \(signedText(d, f)))"
            }
        }
        // Against the first option, the usual reference (current practice).
        if let first = options.first, first.variant.name != best.0.variant.name, !tied.contains(where: { $0.0.variant.name == first.variant.name }),
           let d = paired(best.0, first) {
            text += "; \(differenceText(d, f)) than \(first.label) (the first)"
        }
        return text + "."
    }

    private func value(_ x: Double, _ f: AnswerFigure) -> String { Format.number(x * f.scale, f.digits) + f.unit }
    /// The low end of an interval, whose unit follows the high end.
    private func bare(_ x: Double, _ f: AnswerFigure) -> String { Format.number(x * f.scale, f.digits) }

    private func estimateText(_ m: SummaryMetric, _ f: AnswerFigure) -> HTML {
        var text: HTML = "\(value(m.mean, f))"
        if let h = m.halfWidth, h.isFinite { text += " (95% CI \(bare(m.mean - h, f)) to \(value(m.mean + h, f)))" }
        return text
    }

    /// "0.62 fewer (95% CI 0.60 to 0.64)" for a difference below zero.
    private func differenceText(_ d: PairedDifference, _ f: AnswerFigure) -> HTML {
        let size = abs(d.mean)
        var text: HTML = "\(value(size, f)) \(d.mean <= 0 ? (f.counted ? "fewer" : "less") : "more")"
        if let h = d.halfWidth, h.isFinite {
            let a = abs(d.mean) - h, b = abs(d.mean) + h
            text += " (95% CI \(bare(a, f)) to \(value(b, f)))"
        }
        return text
    }

    private func signedText(_ d: PairedDifference, _ f: AnswerFigure) -> HTML {
        var text: HTML = "\(Format.signed(d.mean * f.scale, f.digits))\(f.unit)"
        if let h = d.halfWidth, h.isFinite {
            text += ", 95% CI \(Format.signed((d.mean - h) * f.scale, f.digits)) to \(Format.signed((d.mean + h) * f.scale, f.digits))\(f.unit)"
        }
        return text
    }

    /// The top bottlenecks of the first option: load, blocked beds, and where information is missing.
    private func struggles() -> HTML {
        guard let o = options.first else { return .empty }
        var items: [HTML] = []
        let roles = rolesInPathwayOrder().compactMap { r -> (Role, SummaryMetric)? in
            o.index.metric("utilisation", r.reference.description).map { (r, $0) }
        }.filter { $0.1.mean.isFinite }.sorted { $0.1.mean > $1.1.mean }.prefix(3)
        if !roles.isEmpty {
            let list = roles.map { r, m -> String in
                var t = "\(roleName(r)) (\(organisationName(r.organisation))) \(Format.number(m.mean * 100, 0))%"
                if let wait = o.index.metric("wait_mean_h", r.reference.description), wait.mean >= 0.05 { t += ", mean wait \(Format.number(wait.mean, 1)) h" }
                return t
            }
            items.append("<li><b>Busiest roles</b> (utilisation of the hours their rota opens): \(list.joined(separator: "; ")).</li>")
        }
        let blocked = rolesInPathwayOrder().compactMap { r -> (Role, Double)? in
            o.index.metric("blocked_bed_days_per_month", r.reference.description).map { (r, $0.mean) }
        }.filter { $0.1 >= 0.05 }.sorted { $0.1 > $1.1 }.prefix(3)
        if !blocked.isEmpty {
            items.append("<li><b>Beds held by patients ready to move on</b>: \(blocked.map { "\(roleName($0.0)) \(Format.number($0.1, 1)) bed days a month" }.joined(separator: "; ")).</li>")
        }
        let gaps = checkedStates().compactMap { s -> (State, Double, String)? in
            guard let rate = o.index.metric("state_gap_rate", s.id)?.mean, rate > 0 else { return nil }
            let kind = Self.gapKindLabels.max { a, b in
                (o.index.metric("state_\(a.0.name)_per_100_patients", s.id)?.mean ?? 0) < (o.index.metric("state_\(b.0.name)_per_100_patients", s.id)?.mean ?? 0)
            }
            return (s, rate, kind.map { String($0.0.name) } ?? "")
        }.sorted { $0.1 > $1.1 }.prefix(3)
        if !gaps.isEmpty {
            let list = gaps.map { "\(stateName($0.0.id)) \(Format.number($0.1 * 100, 0))% (mostly \($0.2))" }.joined(separator: "; ")
            items.append("<li><b>Where information is most often not there</b> (\(defined("share of needed items not available", "state_gap_rate")), most common kind): \(list).</li>")
        }
        items += gapsByItemAndKind(o)
        guard !items.isEmpty else { return .empty }
        let scope = options.count > 1 ? " (in \(o.label), the first option)" : ""
        return "<h3>Where it struggles\(scope)</h3><ul class=\"answer\">\(items)</ul>"
    }

    /// What changes the reading: run warnings, the warm-up, and the concerns that are notes only.
    private func caveats() -> HTML {
        var items: [HTML] = []
        let warnings = inputs.flatMap { $0.summary.warnings ?? [] }
        if !warnings.isEmpty {
            let kinds = Array(Set(warnings.map { Self.warningTitle($0.kind) })).sorted()
            items.append("<li><b>\(warnings.count) warning\(warnings.count == 1 ? "" : "s")</b> about these figures (\(kinds.joined(separator: "; "))): <a href=\"#run-warnings-heading\">read them</a> before using the numbers.</li>")
        }
        let scenario = inputs[0].scenario
        items.append("<li>Figures count patients arriving after the warm-up (\(Format.warmUp(scenario.warmUp))), over \(replicationText); intervals are 95%.</li>")
        var annotations: [Annotation] = []
        for o in pathway.organisations { annotations += o.annotations + o.roles.flatMap(\.annotations) }
        for s in pathway.states { annotations += s.annotations + s.next.flatMap(\.annotations) }
        annotations += pathway.information.flatMap(\.annotations)
        let qualitative = annotations.filter { $0.effects.isEmpty && $0.underRecording == nil && $0.availability == nil }
        if !qualitative.isEmpty {
            items.append("<li>\(qualitative.count) of the \(annotations.count) concerns in the <a href=\"#register\">assumptions register</a> change no number here (recorded for discussion): the figures leave them out.</li>")
        }
        return "<h3>Read with care</h3><ul class=\"answer\">\(items)</ul>"
    }
}
