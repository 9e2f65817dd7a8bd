/// The report's inline style sheet and script. Neither contains `<` or `&`, and both sit in CDATA
/// sections hidden behind comments, so the page is well-formed XML as well as HTML5.
enum PageStyle {
    /// Gap-share heat classes (ColorBrewer Oranges): a single hue, so lightness alone carries the
    /// value for colour-blind readers and greyscale print; the numbers are always written too.
    static let heat = ["#ffffff", "#feedde", "#fdbe85", "#fd8d3c", "#d94701", "#8c2d04"]
    static let heatLimits: [(upper: Double, label: String)] = [
        (0, "none"), (0.10, "up to 10%"), (0.25, "10–25%"), (0.50, "25–50%"), (0.75, "50–75%"), (1.01, "over 75%"),
    ]

    /// The heat class of a gap share in 0...1 (0 only for exactly no gaps).
    static func heatClass(_ share: Double) -> Int {
        guard share.isFinite, share > 0 else { return 0 }
        for (i, limit) in heatLimits.enumerated() where i > 0 && share <= limit.upper { return i }
        return heatLimits.count - 1
    }

    static let css = """
    /*<![CDATA[*/
    html { font-size: 20px; }
    body { font-family: Helvetica, Arial, "Liberation Sans", sans-serif; color: #111111; background: #ffffff;
           line-height: 1.45; margin: 0 auto; max-width: 1500px; padding: 1rem 1.5rem 3rem; }
    header.report-head { border-bottom: 4px solid #111111; padding-bottom: .6rem; }
    h1 { font-size: 2rem; margin: .4rem 0 .3rem; line-height: 1.2; }
    h2 { font-size: 1.6rem; border-bottom: 3px solid #111111; padding-bottom: .2rem; margin: 2.6rem 0 .8rem; }
    h3 { font-size: 1.25rem; margin: 1.8rem 0 .5rem; }
    h4 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
    p, li, dd { max-width: 70rem; }
    .subtitle { font-size: 1.15rem; color: #333333; margin: .2rem 0; }
    .question { font-size: 1.3rem; font-weight: bold; border-left: 8px solid #0072B2; padding: .4rem .9rem;
                background: #eef5fb; max-width: 70rem; }
    .note { color: #333333; font-size: .9rem; }
    .warning { border-left: 8px solid #D55E00; background: #fdf0e6; padding: .4rem .9rem; }
    .run-warnings { margin: .8rem 0 .2rem; }
    .unstable { color: #b00020; font-weight: normal; font-size: .85em; }
    .run-warnings h2 { font-size: 1.2rem; border: none; margin: .3rem 0; padding: 0; }
    .run-warnings ul { margin: .3rem 0; padding-left: 1.3rem; }
    a { color: #00508a; }
    details.part > summary { cursor: pointer; list-style-position: outside; }
    details.part > summary h2 { display: inline-block; width: calc(100% - 2rem); }
    details.more > summary { cursor: pointer; margin: 1.4rem 0 .4rem; }
    details.more > summary > h3, details.more > summary > h4 { display: inline; margin: 0; }
    details.more[open] .more-hint { display: none; }
    .more-hint { font-size: .85rem; color: #333333; }
    .table-wrap th:first-child, .table-wrap td:first-child { position: sticky; left: 0; z-index: 1; }
    .table-wrap tbody th:first-child { background: #f6f6f6; }
    .table-wrap thead th:first-child { background: #e6e6e6; }
    ul.answer { font-size: .92rem; padding-left: 1.2rem; margin: .3rem 0; }
    ul.answer li { margin: .25rem 0; max-width: none; }
    .question-text { font-size: 1.1rem; border-left: 8px solid #0072B2; padding: .3rem .9rem; background: #eef5fb; max-width: 70rem; }
    #answer h2 { margin-top: 1rem; }
    #answer h3 { margin: 1rem 0 .3rem; }
    /* A wide screen holds the whole answer: options left, struggles and caveats right, 15 px text. */
    @media (min-width: 1100px) {
      header.report-head h1 { font-size: 1.5rem; margin: .2rem 0; }
      header.report-head .subtitle { font-size: .85rem; margin: 0; }
      #answer h2 { font-size: 1.3rem; margin: .5rem 0 .4rem; }
      #answer h3 { font-size: 1rem; margin: .4rem 0 .1rem; }
      #answer .question-text { font-size: .9rem; margin: .3rem 0; }
      .answer-grid { display: grid; grid-template-columns: 1fr 1fr; gap: 0 1.6rem; }
      #answer ul.answer, #answer .note { font-size: .75rem; line-height: 1.35; }
      #answer ul.answer li { margin: .15rem 0; }
      #answer .note { margin: .2rem 0; }
    }
    nav.toc ol { display: flex; flex-wrap: wrap; gap: .3rem 1.6rem; padding-left: 1.4rem; margin: .6rem 0; }
    /* Numbers inside each item: outside, a two-digit number ran into the item before it. */
    nav.toc li { list-style-position: inside; }
    code, pre { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .85em; }
    pre { background: #f2f2f2; border: 1px solid #999999; padding: .6rem .8rem; white-space: pre-wrap;
          word-break: break-all; }
    dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1.2rem; }
    dl.facts dt { font-weight: bold; }
    dl.facts dd { margin: 0; }
    dl.glossary dt { font-weight: bold; margin-top: .6rem; }
    dl.glossary dd { margin: .1rem 0 0 1.2rem; }
    .glossary-how { display: block; font-size: .85rem; color: #333333; }
    a.defined { color: inherit; text-decoration: underline dotted; }
    .table-wrap { overflow-x: auto; margin: .6rem 0 1.4rem; }
    table { border-collapse: collapse; font-size: .88rem; }
    caption { text-align: left; font-weight: bold; padding: .3rem 0; font-size: 1rem; }
    th, td { border: 1px solid #777777; padding: .3rem .55rem; vertical-align: top; text-align: left; }
    thead th { background: #e6e6e6; }
    tbody th { background: #f6f6f6; font-weight: bold; }
    td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
    td.group-head, th.group-head { background: #d9d9d9; font-weight: bold; }
    .ci { display: block; font-size: .74em; color: #333333; font-weight: normal; white-space: nowrap; }
    .best { background: #cfe5f5; font-weight: bold; box-shadow: inset 0 0 0 3px #0072B2; }
    .best-mark { color: #0072B2; font-weight: bold; }
    .better { background: #cfe5f5; }
    .worse { background: #fbdcc5; }
    .differs { font-weight: bold; }
    .heat-0 { background: #ffffff; }
    .heat-1 { background: #feedde; }
    .heat-2 { background: #fdbe85; }
    .heat-3 { background: #fd8d3c; }
    .heat-4 { background: #d94701; color: #ffffff; }
    .heat-5 { background: #8c2d04; color: #ffffff; }
    .heat-4 .ci, .heat-5 .ci { color: #ffffff; }
    td.matrix-cell { min-width: 7.5rem; font-size: .82rem; }
    td.matrix-cell b { font-size: 1rem; }
    td.not-needed { color: #666666; text-align: center; }
    ul.key { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .4rem 1rem; font-size: .85rem; }
    ul.key li span.swatch { display: inline-block; width: 1.3rem; height: .9rem; border: 1px solid #555555;
                             vertical-align: middle; margin-right: .3rem; }
    figure { margin: 1rem 0 1.6rem; }
    figcaption { font-size: .88rem; color: #222222; margin-top: .3rem; max-width: 60rem; }
    svg.chart-svg { max-width: 100%; height: auto; display: block; border: 1px solid #bbbbbb; }
    .diagram { overflow-x: auto; border: 1px solid #bbbbbb; padding: .4rem; background: #ffffff; }
    .diagram svg { max-width: 100%; height: auto; display: block; margin: 0 auto; }
    .diagram.zoomed { max-height: 85vh; overflow: auto; cursor: grab; }
    .diagram.zoomed svg { margin: 0; }
    .diagram.dragging { cursor: grabbing; }
    .diagram:focus { outline: 3px solid #E69F00; }
    .diagram-zoom { display: flex; flex-wrap: wrap; align-items: center; gap: .4rem; }
    .diagram-zoom-status { font-size: .85rem; color: #333333; }
    td.idle { color: #666666; background: #f4f4f4; }
    .channel-mark { font-weight: bold; }
    .channel-fallback { border-left: 6px solid #D55E00; padding-left: .6rem; }
    button.diagram-size { font: inherit; font-size: .9rem; padding: .3rem .8rem; margin: .3rem 0; border: 2px solid #0072B2;
                          background: #ffffff; color: #00508a; cursor: pointer; }
    button.diagram-size:focus { outline: 3px solid #E69F00; }
    .charts-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(600px, 1fr)); gap: .6rem 1.4rem; }
    th[data-sortable] { cursor: pointer; }
    th[data-sortable]:focus { outline: 3px solid #E69F00; }
    th[aria-sort="ascending"]::after { content: " \\25B2"; }
    th[aria-sort="descending"]::after { content: " \\25BC"; }
    footer { margin-top: 3rem; border-top: 2px solid #111111; padding-top: .5rem; font-size: .85rem; }
    @media (max-width: 900px) { html { font-size: 16px; } .charts-grid { grid-template-columns: 1fr; } }
    @page { size: A4 landscape; margin: 12mm; }
    @media print {
      html { font-size: 10pt; }
      body { max-width: none; padding: 0; }
      nav.toc { display: none; }
      section { break-before: page; }
      section#answer, section#question { break-before: auto; }
      .table-wrap th:first-child, .table-wrap td:first-child { position: static; }
      .more-hint { display: none; }
      table, figure, tr, .diagram { break-inside: avoid; }
      .table-wrap, .diagram { overflow: visible; }
      .charts-grid { display: block; }
      * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
      a { color: inherit; text-decoration: none; }
      th[aria-sort]::after { content: ""; }
      .diagram-zoom { display: none; }
      .diagram.zoomed { max-height: none; overflow: visible; }
      .diagram.zoomed svg { max-width: 100% !important; width: auto !important; }
    }
    /*]]>*/
    """

    /// Click (or Enter on) a column header to sort a `table.sortable` by that column; click again
    /// to reverse. Cells sort by `data-sort` (numbers) when present, else by their text.
    static let script = """
    //<![CDATA[
    (function () {
      "use strict";
      // Printed, every folded part is open: the workshop pack has all of it.
      window.addEventListener("beforeprint", function () {
        var parts = document.querySelectorAll("details");
        for (var i = 0; i !== parts.length; i++) { parts[i].open = true; }
      });
      function key(row, col) {
        var cell = row.cells[col];
        if (!cell) { return { n: NaN, t: "" }; }
        var raw = cell.getAttribute("data-sort");
        var n = raw === null || raw === "" ? NaN : parseFloat(raw);
        return { n: n, t: (cell.textContent || "").trim().toLowerCase() };
      }
      function compare(a, b) {
        if (!isNaN(a.n) && !isNaN(b.n)) { return a.n - b.n; }
        return a.t === b.t ? 0 : (a.t > b.t ? 1 : -1);
      }
      function sortTable(table, col, header) {
        var body = table.tBodies[0];
        if (!body) { return; }
        var descending = header.getAttribute("aria-sort") === "ascending";
        var rows = Array.prototype.slice.call(body.rows).map(function (row, i) {
          return { row: row, key: key(row, col), i: i };
        });
        rows.sort(function (a, b) {
          var an = !isNaN(a.key.n), bn = !isNaN(b.key.n), c;
          if (an !== bn) {
            c = an ? -1 : 1;  // cells without a number ("n/a") stay last either way
          } else {
            c = compare(a.key, b.key);
            if (descending) { c = -c; }
          }
          return c !== 0 ? c : a.i - b.i;
        });
        rows.forEach(function (r) { body.appendChild(r.row); });
        Array.prototype.forEach.call(header.parentNode.cells, function (th) { th.setAttribute("aria-sort", "none"); });
        header.setAttribute("aria-sort", descending ? "descending" : "ascending");
      }
      Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
        if (!table.tHead || table.tHead.rows.length !== 1) { return; }
        Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
          th.setAttribute("data-sortable", "");
          th.setAttribute("tabindex", "0");
          th.setAttribute("aria-sort", "none");
          th.title = th.title ? th.title + " (click to sort)" : "Click to sort by this column";
          th.addEventListener("click", function (e) {
            // A click on the header's link goes to the definition; it does not sort.
            if (e.target.closest && e.target.closest("a")) { return; }
            sortTable(table, col, th);
          });
          th.addEventListener("keydown", function (e) {
            if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sortTable(table, col, th); }
          });
        });
      });
      // A link into a folded part (a figure's definition in the glossary) opens the parts around its target.
      function reveal(id) {
        var target = id ? document.getElementById(id) : null;
        for (var node = target; node; node = node.parentElement) {
          if (node.tagName === "DETAILS") { node.open = true; }
        }
        return target;
      }
      document.addEventListener("click", function (e) {
        var link = e.target.closest ? e.target.closest("a[href^='#']") : null;
        if (link) { reveal(decodeURIComponent(link.getAttribute("href").slice(1))); }
      });
      // Opened at a definition (a link from elsewhere, or the address bar): open it and go there.
      function revealHash() {
        var target = reveal(decodeURIComponent(window.location.hash.slice(1)));
        if (target) { target.scrollIntoView(); }
      }
      window.addEventListener("hashchange", revealHash);
      if (window.location.hash) { revealHash(); }
      // The diagram opens fitted to the page; it zooms (buttons, Ctrl + wheel, or + and - once
      // focused) up to its natural size, where its smallest text is 12 px, and beyond, and pans by
      // dragging or with the arrow keys. The toolbar says the size of the smallest text shown.
      function naturalWidth(svg) {
        var w = svg.getAttribute("width") || "", n = parseFloat(w);
        if (isNaN(n)) { n = svg.viewBox.baseVal ? svg.viewBox.baseVal.width : 800; }
        return w.indexOf("pt") === -1 ? n : n * 4 / 3;
      }
      function smallestText(svg) {
        var least = Infinity, texts = svg.querySelectorAll("text[font-size]");
        for (var i = 0; i !== texts.length; i++) { least = Math.min(least, parseFloat(texts[i].getAttribute("font-size"))); }
        return least === Infinity ? 14 : least;
      }
      Array.prototype.forEach.call(document.querySelectorAll(".diagram"), function (box) {
        var svg = box.querySelector("svg");
        if (!svg) { return; }
        var natural = naturalWidth(svg), unit = svg.viewBox.baseVal ? natural / svg.viewBox.baseVal.width : 1;
        var least = smallestText(svg), scale = 0;
        var bar = document.createElement("div");
        bar.className = "diagram-zoom";
        bar.setAttribute("role", "toolbar");
        bar.setAttribute("aria-label", "Zoom the diagram");
        var status = document.createElement("span");
        status.className = "diagram-zoom-status";
        status.setAttribute("aria-live", "polite");
        function button(text, label, action) {
          var b = document.createElement("button");
          b.type = "button";
          b.className = "diagram-size";
          b.textContent = text;
          b.setAttribute("aria-label", label);
          b.title = label;
          b.addEventListener("click", action);
          bar.appendChild(b);
          return b;
        }
        // Fitted, the browser sizes it (never past its natural size): read the size it drew.
        function fitScale() {
          if (scale === 0) { return svg.getBoundingClientRect().width / natural; }
          var style = window.getComputedStyle(box);
          var inner = box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
          return Math.min(1, Math.max(inner, 100) / natural);
        }
        function show(s, x, y) {
          var fit = fitScale(), before = scale === 0 ? fit : scale;
          s = Math.max(fit, Math.min(4, s));
          // Keep the point under the pointer (or the middle) where it was.
          var px = x === undefined ? box.clientWidth / 2 : x, py = y === undefined ? box.clientHeight / 2 : y;
          var fx = (box.scrollLeft + px) / before, fy = (box.scrollTop + py) / before;
          scale = s;
          svg.style.maxWidth = "none";
          svg.style.width = Math.round(natural * s) + "px";
          svg.style.height = "auto";
          box.classList.add("zoomed");
          box.scrollLeft = fx * s - px;
          box.scrollTop = fy * s - py;
          label();
        }
        function fit() {
          scale = 0;
          svg.style.maxWidth = "";
          svg.style.width = "";
          svg.style.height = "";
          box.classList.remove("zoomed");
          label();
        }
        function current() { return scale === 0 ? fitScale() : scale; }
        function label() {
          var s = current();
          status.textContent = (scale === 0 ? "fitted: " : "") + Math.round(s * 100) + "%, smallest text " + (least * unit * s).toFixed(1) + " px";
          box.setAttribute("data-zoom", String(Math.round(s * 1000) / 1000));
        }
        button("\\u2212", "Zoom out", function () { show(current() / 1.25); });
        button("+", "Zoom in", function () { show(current() * 1.25); });
        button("Fit", "Fit the diagram to the page", fit);
        button("100%", "Natural size: text at 12 px or more", function () { show(1); });
        bar.appendChild(status);
        box.parentNode.insertBefore(bar, box);
        box.setAttribute("tabindex", "0");
        box.setAttribute("aria-label", "Pathway diagram: + and - zoom, 0 fits, 1 shows the natural size, arrow keys move");
        box.addEventListener("keydown", function (e) {
          if (e.key === "+" || e.key === "=") { e.preventDefault(); show(current() * 1.25); }
          else if (e.key === "-" || e.key === "_") { e.preventDefault(); show(current() / 1.25); }
          else if (e.key === "0") { e.preventDefault(); fit(); }
          else if (e.key === "1") { e.preventDefault(); show(1); }
        });
        box.addEventListener("wheel", function (e) {
          if (!e.ctrlKey) { return; }
          e.preventDefault();
          var r = box.getBoundingClientRect();
          show(current() * (e.deltaY > 0 ? 1 / 1.15 : 1.15), e.clientX - r.left, e.clientY - r.top);
        }, { passive: false });
        var drag = null;
        box.addEventListener("pointerdown", function (e) {
          if (scale === 0 || e.button !== 0) { return; }
          drag = { x: e.clientX, y: e.clientY, left: box.scrollLeft, top: box.scrollTop };
          box.setPointerCapture(e.pointerId);
          box.classList.add("dragging");
        });
        box.addEventListener("pointermove", function (e) {
          if (!drag) { return; }
          box.scrollLeft = drag.left - (e.clientX - drag.x);
          box.scrollTop = drag.top - (e.clientY - drag.y);
        });
        function stop() { drag = null; box.classList.remove("dragging"); }
        box.addEventListener("pointerup", stop);
        box.addEventListener("pointercancel", stop);
        window.addEventListener("resize", function () { if (scale === 0) { label(); } });
        label();
      });
    })();
    //]]>
    """
}
