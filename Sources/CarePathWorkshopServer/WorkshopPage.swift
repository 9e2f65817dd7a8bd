import CarePathRender
import Foundation
import Hummingbird

/// The one page the room sees: the diagram at the centre, the levers, the live answer and the
/// options board. Self-contained: its style and script are in the page, nothing is fetched from
/// elsewhere (the Content-Security-Policy says so to the browser as well). The server writes only
/// the scenario's title, the diagram (Graphviz's SVG) and the page's skeleton; the script fills in
/// the rest from the JSON API with `textContent`, so no model or room text is ever parsed as markup.
public struct WorkshopPage: Sendable {
    public let title: String
    public let question: String?
    /// Graphviz's SVG of the pathway (its XML prolog removed): states `g#state-ID`, organisations `g#org-ID`.
    public let diagram: String

    public init(title: String, question: String?, svg: String) {
        self.title = title
        self.question = question
        // Inline SVG starts at its root element: the prolog and DOCTYPE belong to a separate file.
        self.diagram = svg.range(of: "<svg").map { String(svg[$0.lowerBound...]) } ?? ""
    }

    /// The page as HTML, with `nonce` allowing its one script.
    public func html(nonce: String) -> String {
        let question = self.question.map { "<p class=\"question\">\(Markup.escape($0))</p>" } ?? ""
        return """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Workshop: \(Markup.escape(title))</title>
        <style>\(PageStyle.css)</style>
        </head>
        <body>
        <header>
          <h1>\(Markup.escape(title))</h1>
          \(question)
          <div class="progress" aria-live="polite">
            <progress id="progress" max="1" value="0" aria-label="Replications finished"></progress>
            <span id="progress-text">Starting…</span>
          </div>
        </header>
        <main>
          <section id="diagram-panel" aria-label="Pathway diagram">
            <div class="colour-by" role="radiogroup" aria-label="Colour the states by">
              <span>Colour states by:</span>
              <label><input type="radio" name="colour" value="load" checked> load</label>
              <label><input type="radio" name="colour" value="blocked"> blocked beds</label>
              <label><input type="radio" name="colour" value="gapRate"> data gaps</label>
            </div>
            <div id="legend" class="legend" aria-label="Colour legend"></div>
            <div id="diagram" class="diagram">\(diagram)</div>
            <p class="hint">Click a state (or Tab to it and press Enter) for its figures and levers.</p>
          </section>
          <aside id="side">
            <section id="details" aria-live="polite" aria-label="Selected state"></section>
            <section aria-label="Levers"><h2>Levers</h2><div id="levers"></div>
              <button type="button" id="reset">Back to the baseline</button></section>
          </aside>
          <section id="answer" aria-label="Answer">
            <h2>What changes against the baseline</h2>
            <p class="definition">Each figure: the option’s mean over replications, and the paired difference from the
            baseline on the same patients (common random numbers) with its 95% confidence interval (Student t).
            “No clear difference” when that interval includes zero.</p>
            <div id="headlines"></div>
          </section>
          <section id="board" aria-label="Options board">
            <h2>Options board</h2>
            <form id="save-option" class="row"><label>Name this option <input id="option-name" required maxlength="80"></label>
              <button type="submit">Save current settings</button><span class="error" id="save-option-error" role="alert"></span></form>
            <div id="options"></div>
            <div id="comparison"></div>
            <h3>Notes and concerns</h3>
            <form id="note-form"><label>About <select id="note-subject"></select></label>
              <label class="wide">Note <textarea id="note-text" rows="2" maxlength="2000" required></textarea></label>
              <button type="submit">Add note</button><span class="error" id="note-error" role="alert"></span></form>
            <ul id="notes"></ul>
            <h3 class="screen-only">Save as a scenario file</h3>
            <form id="scenario-form" class="row"><label>File name <input id="scenario-file" required maxlength="120" placeholder="workshop-options.yaml"></label>
              <button type="submit">Save scenario</button></form>
            <div id="scenario-result" role="status"></div>
          </section>
        </main>
        <p id="status" role="status"></p>
        <script nonce="\(nonce)">\(PageScript.javascript)</script>
        </body>
        </html>
        """
    }

    /// The page with a fresh nonce and a policy that allows nothing from elsewhere.
    func response() -> Response {
        let nonce = AccessToken.generate().value.prefix(32)
        let policy = "default-src 'none'; script-src 'nonce-\(nonce)'; style-src 'unsafe-inline'; img-src data:; "
            + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
        let headers: HTTPFields = [
            .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
            .contentSecurityPolicy: policy, .init("X-Content-Type-Options")!: "nosniff", .init("Referrer-Policy")!: "no-referrer",
        ]
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html(nonce: String(nonce)))))
    }
}

/// Text into markup: element content and attribute values alike (the report's rule, `XMLEscape`).
enum Markup {
    static func escape(_ text: String) -> String { XMLEscape.escape(text, whitespace: .keep) }
}
