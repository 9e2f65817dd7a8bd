/// The page's style: large type and high contrast for a projector at the back of a room, one
/// column on a laptop, and a print view for the workshop pack (no controls, the figures and notes).
enum PageStyle {
    static let css = """
    :root { --ink: #111; --paper: #fff; --muted: #444; --line: #777; --accent: #0b4f9c; --bad: #a00000; --good: #075e07;
      --focus: #ffbf47; font-size: 19px; }
    * { box-sizing: border-box; }
    body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
      color: var(--ink); background: var(--paper); line-height: 1.4; }
    header { padding: .6rem 1.2rem; border-bottom: 3px solid var(--ink); display: flex; flex-wrap: wrap; gap: .4rem 2rem; align-items: baseline; }
    h1 { font-size: 1.7rem; margin: 0; }
    h2 { font-size: 1.3rem; margin: .2rem 0 .6rem; }
    h3 { font-size: 1.1rem; margin: 1rem 0 .4rem; }
    .question { margin: 0; max-width: 60rem; color: var(--muted); }
    .progress { display: flex; gap: .6rem; align-items: center; margin-left: auto; font-weight: 600; }
    progress { width: 12rem; height: 1.1rem; }
    main { display: grid; grid-template-columns: minmax(0, 1fr) 27rem; grid-template-areas: "diagram side" "answer side" "board board";
      gap: 1rem 1.4rem; padding: 1rem 1.2rem; }
    #diagram-panel { grid-area: diagram; min-width: 0; }
    #side { grid-area: side; }
    #answer { grid-area: answer; }
    #board { grid-area: board; border-top: 3px solid var(--ink); padding-top: .6rem; }
    .diagram { border: 1px solid var(--line); overflow: auto; max-height: 62vh; background: #fff; }
    .diagram svg { width: 100%; height: auto; display: block; }
    .diagram g.node { cursor: pointer; }
    .diagram g.node:focus { outline: none; }
    .diagram g.node:focus > g path, .diagram g.node:focus > g polygon, .diagram g.node.selected > g path, .diagram g.node.selected > g polygon {
      stroke: #000; stroke-width: 5px; }
    .colour-by { display: flex; flex-wrap: wrap; gap: .3rem 1rem; align-items: center; margin-bottom: .3rem; }
    .legend { display: flex; flex-wrap: wrap; gap: .3rem 1rem; margin-bottom: .4rem; font-size: .9rem; }
    .legend .swatch { display: inline-block; width: 1.4rem; height: 1rem; border: 1px solid var(--ink); vertical-align: middle; margin-right: .3rem; }
    .hint, .definition { color: var(--muted); font-size: .9rem; margin: .3rem 0; }
    .lever { border-top: 1px solid var(--line); padding: .5rem 0; }
    .lever.highlight { background: #fff4cc; }
    .lever label { display: block; font-weight: 600; }
    .lever .control { display: flex; gap: .5rem; align-items: center; }
    .lever input[type=range] { flex: 1; min-width: 6rem; height: 1.6rem; }
    .lever input[type=number] { width: 6.5rem; font-size: 1rem; padding: .2rem; }
    .lever select { font-size: 1rem; padding: .2rem; max-width: 100%; }
    .lever input[type=checkbox] { width: 1.4rem; height: 1.4rem; }
    .lever .baseline { color: var(--muted); font-size: .9rem; }
    .lever.changed label::after { content: " (changed)"; color: var(--accent); font-weight: 400; }
    .error { color: var(--bad); font-weight: 600; display: block; }
    .error:empty { display: none; }
    [aria-invalid=true] { outline: 3px solid var(--bad); }
    button { font-size: 1rem; padding: .35rem .8rem; border: 2px solid var(--ink); background: #fff; color: var(--ink); border-radius: 4px; cursor: pointer; }
    button:hover { background: #eee; }
    :focus-visible { outline: 4px solid var(--focus); outline-offset: 2px; }
    .headline { border: 2px solid var(--ink); border-radius: 6px; padding: .5rem .8rem; margin-bottom: .6rem; }
    .headline.updating { border-style: dashed; }
    .headline .label { font-weight: 700; }
    .headline .figures { display: flex; flex-wrap: wrap; gap: .2rem 1.4rem; align-items: baseline; }
    .headline .value { font-size: 1.6rem; font-weight: 700; }
    .headline .sentence { margin: .2rem 0; font-size: 1.1rem; }
    .badge { display: inline-block; padding: 0 .5rem; border-radius: 3px; font-weight: 700; font-size: .9rem; border: 2px solid currentColor; }
    .badge.none { color: var(--muted); }
    .badge.up { color: var(--bad); }
    .badge.down { color: var(--good); }
    .interval { position: relative; height: 1.2rem; background: #f1f1f1; border: 1px solid var(--line); margin: .3rem 0; }
    .interval .zero { position: absolute; top: -3px; bottom: -3px; width: 2px; background: var(--ink); }
    .interval .range { position: absolute; top: 3px; bottom: 3px; background: var(--accent); min-width: 2px; transition: left .25s, width .25s; }
    .interval .mean { position: absolute; top: -2px; bottom: -2px; width: 4px; background: #000; transition: left .25s; }
    #details { border: 2px solid var(--accent); border-radius: 6px; padding: .5rem .8rem; margin-bottom: 1rem; }
    #details:empty { display: none; }
    #details dl { margin: .3rem 0; }
    #details dt { font-weight: 600; }
    #details dd { margin: 0 0 .4rem; }
    .row { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: end; }
    form label { font-weight: 600; }
    form input, form select, form textarea { font-size: 1rem; padding: .25rem; font-family: inherit; display: block; }
    form label.wide { flex: 1; }
    form label.wide textarea { width: 100%; }
    #note-form { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: end; }
    table { border-collapse: collapse; margin: .5rem 0; }
    th, td { border: 1px solid var(--line); padding: .3rem .6rem; text-align: left; vertical-align: top; }
    th { background: #eee; }
    td.number { text-align: right; font-variant-numeric: tabular-nums; }
    #status { padding: 0 1.2rem; color: var(--bad); font-weight: 600; }
    @media (min-width: 1800px) { :root { font-size: 21px; } }
    @media (max-width: 1100px) {
      main { grid-template-columns: minmax(0, 1fr); grid-template-areas: "diagram" "answer" "side" "board"; }
      .diagram { max-height: none; }
    }
    @media print {
      :root { font-size: 11pt; }
      header .progress, .colour-by, .hint, #side, button, form, #scenario-result, #status,
        input, select, textarea, progress, .screen-only { display: none !important; }
      main { display: block; padding: 0; }
      .diagram { max-height: none; overflow: visible; border: none; }
      .headline, table { break-inside: avoid; }
      h2, h3 { break-after: avoid; }
      /* The legend's swatches are backgrounds, which browsers leave out of print unless told. */
      .legend .swatch { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
      #board { border-top: 1px solid #000; }
    }
    """
}
