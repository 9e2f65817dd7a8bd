/// The page of an experiment's report (sensitivity analysis, capacity search): the scenario
/// report's style sheet and escaping, for modules that write their own sections. Markup is built
/// from `ExperimentPage.escape`d text only; SVG charts are the caller's, made the same way.
public enum ExperimentPage {
    /// Text escaped for element content and attribute values (the report's one escaping rule).
    public static func escape(_ text: String) -> String { HTML.escape(text) }

    /// A whole self-contained page in the report's frame (`ReportShell`): `heading` and each
    /// part's body are markup the caller built with `escape`; the first of `parts` (the answer)
    /// stands open before the contents, the others fold.
    public static func page(title: String, generator: String, heading: String, parts: [(id: String, title: String, body: String)]) -> String {
        let all = parts.map { ReportShell.Part(id: $0.id, title: $0.title, body: HTML(trusted: $0.body)) }
        return ReportShell(title: title, generator: generator, heading: HTML(trusted: heading),
                           leading: Array(all.prefix(1)), parts: Array(all.dropFirst())).markup
    }

    /// A number as the report writes it (`digits` significant decimals, trailing zeros kept).
    public static func number(_ x: Double, _ digits: Int) -> String { Format.number(x, digits) }
    public static func signed(_ x: Double, _ digits: Int) -> String { Format.signed(x, digits) }
    /// A number for SVG coordinates: plain ASCII, no exponent.
    public static func plain(_ x: Double) -> String { Format.plain(x, 2) }
}
