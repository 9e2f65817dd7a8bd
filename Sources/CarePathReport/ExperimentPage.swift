/// The page of an experiment's report (sensitivity analysis, capacity search): the scenario
/// report's style sheet and escaping, for modules that write their own sections. Markup is built
/// from `ExperimentPage.escape`d text only; SVG charts are the caller's, made the same way.
public enum ExperimentPage {
    /// Text escaped for element content and attribute values (the report's one escaping rule).
    public static func escape(_ text: String) -> String { HTML.escape(text) }

    /// A whole self-contained page: `body` is markup the caller built with `escape`.
    public static func page(title: String, generator: String, body: String) -> String {
        let head: HTML = """
        <!DOCTYPE html>
        <html xmlns="http://www.w3.org/1999/xhtml" lang="en" xml:lang="en">
        <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:" />
        <meta name="generator" content="\(generator)" />
        <title>\(title)</title>
        <style>
        \(HTML(trusted: PageStyle.css))
        </style>
        </head>
        <body>

        """
        return head.markup + body + "\n</body>\n</html>\n"
    }

    /// A number as the report writes it (`digits` significant decimals, trailing zeros kept).
    public static func number(_ x: Double, _ digits: Int) -> String { Format.number(x, digits) }
    public static func signed(_ x: Double, _ digits: Int) -> String { Format.signed(x, digits) }
    /// A number for SVG coordinates: plain ASCII, no exponent.
    public static func plain(_ x: Double) -> String { Format.plain(x, 2) }
}
