/// The frame every CarePath report page shares (the scenario report, a capacity search, a
/// sensitivity analysis): one head whose policy lets nothing come from the network, one style
/// sheet, the header, the leading parts open, the contents, the other parts folding, the footer
/// and the report's small script. One frame, so the pages look alike and change together.
struct ReportShell {
    /// One part of the page: its anchor, its heading and its markup.
    struct Part {
        let id: String
        let title: String
        let body: HTML
    }

    let title: String
    /// Which program wrote the page (`CarePath 0.x`), for the generator tag and the footer.
    let generator: String
    let heading: HTML
    /// Shown open before the contents (a report's answer); the rest fold.
    let leading: [Part]
    let parts: [Part]
    /// What the footer says after "Made by ...": the page's promise about itself.
    var footer = "This file is self-contained: it needs no network and no other file, and it carries no date: the same inputs, seed and version give the same file."

    var markup: String {
        let toc = (leading + parts).map { p -> HTML in "<li><a href=\"#\(p.id)\">\(p.title)</a></li>" }
        let open = leading.map { p -> HTML in
            "<section id=\"\(p.id)\" aria-labelledby=\"\(p.id)-heading\">\n<h2 id=\"\(p.id)-heading\">\(p.title)</h2>\n\(p.body)\n</section>\n"
        }
        let folding = parts.map { p -> HTML in
            "<section id=\"\(p.id)\" aria-labelledby=\"\(p.id)-heading\">\n<details class=\"part\" open=\"open\"><summary><h2 id=\"\(p.id)-heading\">\(p.title)</h2></summary>\n\(p.body)\n</details>\n</section>\n"
        }
        let page: HTML = """
        <!DOCTYPE html>
        <html xmlns="http://www.w3.org/1999/xhtml" lang="en" xml:lang="en">
        <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:" />
        <meta name="generator" content="\(generator)" />
        <title>\(title)</title>
        <style>
        \(HTML(trusted: PageStyle.css))
        </style>
        </head>
        <body>
        <header class="report-head">
        \(heading)
        </header>
        <main>
        \(open)
        <nav class="toc" aria-label="Contents"><ol>
        \(toc)
        </ol></nav>
        \(folding)
        </main>
        <footer>
        <p>Made by \(generator). \(footer)</p>
        </footer>
        <script>
        \(HTML(trusted: PageStyle.script))
        </script>
        </body>
        </html>

        """
        return page.markup
    }
}
