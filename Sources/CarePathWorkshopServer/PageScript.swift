/// The page's script: standard APIs only (fetch with a streamed response body, DOM, no libraries).
/// Every string from the model or the room is put on the page with `textContent` or
/// `setAttribute`, never parsed as markup.
enum PageScript {
    static let javascript = #"""
    "use strict";
    (function () {
      var token = new URLSearchParams(location.search).get("token");
      var bytes = new Uint8Array(16); crypto.getRandomValues(bytes);
      var client = Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
      var setup = null, board = null, settings = {}, latest = null, selected = null, colourBy = "load";
      var inFlight = null, debounce = null, runNumber = 0, scales = {};

      function el(tag, attrs, text) {
        var e = document.createElement(tag);
        if (attrs) { Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); }); }
        if (text !== undefined && text !== null) { e.textContent = String(text); }
        return e;
      }
      function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } return node; }
      function $(id) { return document.getElementById(id); }
      function headers() {
        var h = { "Content-Type": "application/json" };
        if (token) { h.Authorization = "Bearer " + token; }
        return h;
      }
      function api(path, body) {
        var init = { method: body === undefined ? "GET" : "POST", headers: headers() };
        if (body !== undefined) { init.body = JSON.stringify(body); }
        return fetch(path, init).then(function (r) {
          return r.json().catch(function () { return {}; }).then(function (j) {
            if (!r.ok) { var e = new Error(j.error || ("HTTP " + r.status)); e.status = r.status; e.body = j; throw e; }
            return j;
          });
        });
      }
      function status(text) { $("status").textContent = text || ""; }

      // Numbers as people read them: thousands separated, at most three significant decimals.
      function fmt(x, unit) {
        if (x === null || x === undefined || !isFinite(x)) { return "–"; }
        var a = Math.abs(x), digits = a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3;
        var s = x.toLocaleString("en-GB", { maximumFractionDigits: digits, minimumFractionDigits: 0 });
        return unit ? s + " " + unit : s;
      }
      function pct(x) { return x === null || x === undefined || !isFinite(x) ? "no data" : Math.round(x * 100) + "%"; }

      // MARK: levers
      function leverById(id) { return setup.levers.filter(function (l) { return l.id === id; })[0]; }
      function clientCheck(lever, value) {
        if (lever.kind === "integer" || lever.kind === "number") {
          if (value.trim() === "" || !isFinite(Number(value))) { return "expected a number"; }
          var n = Number(value);
          if (lever.kind === "integer" && Math.floor(n) !== n) { return "expected a whole number"; }
          if (lever.minimum !== null && lever.minimum !== undefined && n < lever.minimum) { return "at least " + lever.minimum; }
          if (lever.maximum !== null && lever.maximum !== undefined && n > lever.maximum) { return "at most " + lever.maximum; }
        }
        if (lever.kind === "choice" && lever.options && lever.options.indexOf(value) < 0) { return "one of " + lever.options.join(", "); }
        return null;
      }
      function showLeverError(id, message) {
        var box = document.querySelector('[data-lever="' + CSS.escape(id) + '"]');
        if (!box) { status(id + ": " + message); return; }
        box.querySelector(".error").textContent = message || "";
        box.querySelectorAll("input, select").forEach(function (c) { c.setAttribute("aria-invalid", message ? "true" : "false"); });
      }
      function setLever(id, value, fromControl) {
        var lever = leverById(id);
        var problem = clientCheck(lever, value);
        showLeverError(id, problem);
        if (problem) { return; }
        if (value === lever.baseline) { delete settings[id]; } else { settings[id] = value; }
        var box = document.querySelector('[data-lever="' + CSS.escape(id) + '"]');
        box.classList.toggle("changed", settings[id] !== undefined);
        box.querySelectorAll("[data-role=value]").forEach(function (c) {
          if (c === fromControl) { return; }
          if (c.type === "checkbox") { c.checked = value === c.getAttribute("data-on"); } else { c.value = value; }
        });
        scheduleRun();
      }
      function leverControl(lever) {
        var box = el("div", { "class": "lever", "data-lever": lever.id });
        var inputId = "lever-" + setup.levers.indexOf(lever);
        box.appendChild(el("label", { "for": inputId }, lever.label));
        var row = el("div", { "class": "control" });
        var onInput = function (e) {
          var c = e.target;
          setLever(lever.id, c.type === "checkbox" ? c.getAttribute(c.checked ? "data-on" : "data-off") : c.value, c);
        };
        if (lever.kind === "integer" || lever.kind === "number") {
          var range = el("input", { type: "range", id: inputId, "data-role": "value", "aria-describedby": inputId + "-baseline" });
          var number = el("input", { type: "number", "data-role": "value", "aria-label": lever.label + " (number)" });
          [range, number].forEach(function (c) {
            if (lever.minimum !== null && lever.minimum !== undefined) { c.min = lever.minimum; }
            if (lever.maximum !== null && lever.maximum !== undefined) { c.max = lever.maximum; }
            c.step = lever.step || (lever.kind === "integer" ? 1 : "any");
            c.value = lever.baseline;
          });
          range.addEventListener("input", onInput);
          number.addEventListener("change", onInput);
          row.appendChild(range); row.appendChild(number);
        } else if (lever.kind === "choice") {
          var select = el("select", { id: inputId, "data-role": "value" });
          (lever.options || []).forEach(function (o) { select.appendChild(el("option", { value: o }, o)); });
          select.value = lever.baseline;
          select.addEventListener("change", onInput);
          row.appendChild(select);
        } else if (lever.kind === "text") {
          var text = el("input", { type: "text", id: inputId, "data-role": "value", size: "24" });
          text.value = lever.baseline;
          text.addEventListener("change", onInput);
          row.appendChild(text);
        } else {
          // A toggle: its two options, the second meaning "on".
          var on = (lever.options && lever.options[1]) || "true", off = (lever.options && lever.options[0]) || "false";
          var box2 = el("input", { type: "checkbox", id: inputId, "data-role": "value", "data-on": on, "data-off": off });
          box2.checked = lever.baseline === on;
          box2.addEventListener("change", onInput);
          row.appendChild(box2);
        }
        box.appendChild(row);
        if (lever.unit) { row.appendChild(el("span", { "class": "unit" }, lever.unit)); }
        box.appendChild(el("span", { "class": "baseline", id: inputId + "-baseline" }, "Baseline: " + lever.baseline + (lever.unit ? " " + lever.unit : "")));
        box.appendChild(el("span", { "class": "error", role: "alert" }));
        return box;
      }
      function organisationName(id) {
        var o = setup.organisations.filter(function (o) { return o.id === id; })[0];
        return o ? o.name : id;
      }
      function renderLevers() {
        var holder = clear($("levers")), groups = {}, order = [];
        setup.levers.forEach(function (l) {
          var key = l.subject && l.subject.organisation ? l.subject.organisation : "";
          if (!groups[key]) { groups[key] = []; order.push(key); }
          groups[key].push(l);
        });
        order.forEach(function (key) {
          var fs = el("fieldset");
          fs.appendChild(el("legend", null, key ? organisationName(key) : "The whole scenario"));
          groups[key].forEach(function (l) { fs.appendChild(leverControl(l)); });
          holder.appendChild(fs);
        });
      }

      // MARK: runs, streamed
      function scheduleRun() {
        clearTimeout(debounce);
        debounce = setTimeout(startRun, 350);
      }
      function startRun() {
        if (inFlight) { inFlight.abort(); }
        var controller = new AbortController(), mine = ++runNumber;
        inFlight = controller;
        scales = {};
        $("progress").value = 0;
        $("progress").setAttribute("data-final", "false");
        $("progress").setAttribute("data-run", String(mine));
        $("progress-text").textContent = "Running…";
        document.querySelectorAll(".headline").forEach(function (h) { h.classList.add("updating"); });
        renderSettingsSummary();
        fetch("/api/run", { method: "POST", headers: headers(), signal: controller.signal,
                            body: JSON.stringify({ client: client, settings: settings }) })
          .then(function (r) {
            if (!r.ok) {
              return r.json().catch(function () { return {}; }).then(function (j) {
                if (j.lever) { showLeverError(j.lever, j.error); } else { status(j.error || ("HTTP " + r.status)); }
                $("progress-text").textContent = "Not run";
              });
            }
            status("");
            return readEvents(r.body.getReader(), function (name, data) {
              if (mine !== runNumber) { return; }
              if (name === "update") { showUpdate(data); }
              if (name === "end" && data.reason === "failed") { status("The run failed: " + data.message); }
            });
          })
          .catch(function (e) { if (e.name !== "AbortError") { status("The run stopped: " + e.message); } });
      }
      // Server-sent events framing over a fetch body: "event: NAME\ndata: JSON\n\n".
      function readEvents(reader, handle) {
        var decoder = new TextDecoder(), buffer = "";
        function pump() {
          return reader.read().then(function (chunk) {
            if (chunk.done) { return; }
            buffer += decoder.decode(chunk.value, { stream: true });
            var cut;
            while ((cut = buffer.indexOf("\n\n")) >= 0) {
              var block = buffer.slice(0, cut); buffer = buffer.slice(cut + 2);
              var name = "message", data = "";
              block.split("\n").forEach(function (line) {
                if (line.indexOf("event: ") === 0) { name = line.slice(7); }
                if (line.indexOf("data: ") === 0) { data += line.slice(6); }
              });
              try { handle(name, JSON.parse(data)); } catch (e) { status("Unreadable update: " + e.message); }
            }
            return pump();
          });
        }
        return pump();
      }
      function showUpdate(u) {
        latest = u;
        $("progress").max = u.replications; $("progress").value = u.replicationsDone;
        $("progress-text").textContent = (u.final ? "Done: " : "") + u.replicationsDone + " of " + u.replications + " replications" +
          (u.storedRun ? " (stored as run " + u.storedRun + ")" : "");
        $("progress").setAttribute("data-final", u.final ? "true" : "false");
        renderHeadlines(u.headlines, u.final);
        colourDiagram();
        if (selected) { showDetails(selected); }
      }
      function intervalBar(h) {
        var d = h.difference, bar = el("div", { "class": "interval", "aria-hidden": "true" });
        var extent = Math.max(Math.abs(d.low === null || d.low === undefined ? d.mean : d.low),
                              Math.abs(d.high === null || d.high === undefined ? d.mean : d.high), 1e-9);
        // The scale is fixed by the run's first interval, so later ones are seen to narrow.
        if (!scales[h.id] || scales[h.id] < extent) { scales[h.id] = extent * 1.1; }
        var s = scales[h.id], x = function (v) { return (50 + 50 * v / s) + "%"; };
        var zero = el("div", { "class": "zero" }); zero.style.left = "50%"; bar.appendChild(zero);
        if (d.low !== null && d.low !== undefined && d.high !== null && d.high !== undefined) {
          var r = el("div", { "class": "range" }); r.style.left = x(d.low);
          r.style.width = (50 * (d.high - d.low) / s) + "%"; bar.appendChild(r);
        }
        var m = el("div", { "class": "mean" }); m.style.left = x(d.mean); bar.appendChild(m);
        return bar;
      }
      function headlineCard(h, final) {
        var card = el("div", { "class": "headline" + (final ? "" : " updating"), "data-headline": h.id });
        card.appendChild(el("div", { "class": "label" }, h.label));
        var figures = el("div", { "class": "figures" });
        figures.appendChild(el("span", { "class": "value", "data-figure": "option" }, fmt(h.option.mean, h.unit)));
        figures.appendChild(el("span", null, "baseline " + fmt(h.baseline.mean, h.unit)));
        var d = h.difference, kind = h.noClearDifference ? "none" : (d.mean > 0 ? "up" : "down");
        figures.appendChild(el("span", { "class": "badge " + kind },
          h.noClearDifference ? "No clear difference" : (d.mean > 0 ? "Higher" : "Lower")));
        card.appendChild(figures);
        card.appendChild(el("p", { "class": "sentence" }, h.sentence));
        card.appendChild(intervalBar(h));
        return card;
      }
      function renderHeadlines(list, final) {
        var holder = clear($("headlines"));
        list.forEach(function (h) { holder.appendChild(headlineCard(h, final)); });
      }
      function renderSettingsSummary() {
        var ids = Object.keys(settings);
        var p = $("settings-summary") || (function () {
          var n = el("p", { id: "settings-summary" }); $("answer").insertBefore(n, $("headlines")); return n;
        })();
        p.textContent = ids.length === 0 ? "Settings: the baseline (no lever moved)." :
          "Settings: " + ids.map(function (id) { var l = leverById(id); return l.label + " " + settings[id] + " (baseline " + l.baseline + ")"; }).join("; ") + ".";
      }

      // MARK: the diagram
      var legends = {
        load: ["Load of the state's role (utilisation)", [[0, "under 50%"], [0.6, "50–75%"], [0.8, "75–90%"], [0.95, "90% and over"]]],
        blocked: ["Bed-days a month held by patients ready to move on (blocked)", [[0, "under 1"], [1, "1–10"], [10, "10–30"], [30, "30 and over"]]],
        gapRate: ["Starts of the state with a data gap", [[0, "under 5%"], [0.06, "5–15%"], [0.2, "15–30%"], [0.35, "30% and over"]]]
      };
      var thresholds = { load: [0.5, 0.75, 0.9], blocked: [1, 10, 30], gapRate: [0.05, 0.15, 0.3] };
      var palette = ["#e8f1fb", "#ffe08a", "#f4a259", "#c0392b"];
      function colourFor(measure, v) {
        if (v === null || v === undefined || !isFinite(v)) { return null; }
        var t = thresholds[measure], i = 0;
        while (i < t.length && v >= t[i]) { i++; }
        return palette[i];
      }
      function renderLegend() {
        var holder = clear($("legend")), spec = legends[colourBy];
        holder.appendChild(el("strong", null, spec[0] + ":"));
        spec[1].forEach(function (entry) {
          var item = el("span"), sw = el("span", { "class": "swatch" });
          sw.style.background = colourFor(colourBy, entry[0]);
          item.appendChild(sw); item.appendChild(document.createTextNode(entry[1])); holder.appendChild(item);
        });
        var none = el("span"), sw0 = el("span", { "class": "swatch" }); sw0.style.background = "#ffffff";
        none.appendChild(sw0); none.appendChild(document.createTextNode("no figure (no role, or no run yet)")); holder.appendChild(none);
      }
      function nodeShape(g) {
        var shapes = g.querySelectorAll("path, polygon, ellipse");
        for (var i = 0; i < shapes.length; i++) { if (shapes[i].getAttribute("fill") !== "none") { return shapes[i]; } }
        return null;
      }
      function figuresFor(stateId) {
        if (!latest) { return null; }
        return latest.states.filter(function (s) { return s.state === stateId; })[0] || null;
      }
      function colourDiagram() {
        setup.states.forEach(function (s) {
          var g = document.getElementById("state-" + s.id); if (!g) { return; }
          var shape = nodeShape(g); if (!shape) { return; }
          if (!shape.hasAttribute("data-original-fill")) { shape.setAttribute("data-original-fill", shape.getAttribute("fill") || "#ffffff"); }
          var f = figuresFor(s.id), c = f ? colourFor(colourBy, f.option[colourBy]) : null;
          shape.setAttribute("fill", c || shape.getAttribute("data-original-fill"));
          g.setAttribute("data-fill", c || "");
        });
      }
      function wireDiagram() {
        setup.states.forEach(function (s) {
          var g = document.getElementById("state-" + s.id); if (!g) { return; }
          g.setAttribute("tabindex", "0");
          g.setAttribute("role", "button");
          g.setAttribute("aria-label", s.title);
          g.addEventListener("click", function () { showDetails(s.id); });
          g.addEventListener("keydown", function (e) {
            if (e.key === "Enter" || e.key === " ") { e.preventDefault(); showDetails(s.id); }
          });
        });
        document.querySelectorAll("input[name=colour]").forEach(function (r) {
          r.addEventListener("change", function () { colourBy = r.value; renderLegend(); colourDiagram(); });
        });
      }
      function leversAbout(state) {
        return setup.levers.filter(function (l) {
          var s = l.subject; if (!s) { return false; }
          if (s.state) { return s.state === state.id; }
          if (s.role) { return s.role === state.role && s.organisation === state.organisation; }
          return s.organisation && s.organisation === state.organisation;
        });
      }
      function showDetails(stateId) {
        var state = setup.states.filter(function (s) { return s.id === stateId; })[0]; if (!state) { return; }
        selected = stateId;
        document.querySelectorAll("g.node.selected").forEach(function (g) { g.classList.remove("selected"); });
        var g = document.getElementById("state-" + stateId); if (g) { g.classList.add("selected"); }
        var box = clear($("details"));
        box.appendChild(el("h2", null, state.title));
        if (state.organisation) {
          box.appendChild(el("p", null, organisationName(state.organisation) + (state.role ? ", " + state.role : "")));
        }
        var f = figuresFor(stateId), dl = el("dl");
        var beds = function (x) { return x === null || x === undefined ? "no data" : fmt(x) + " bed-days a month"; };
        // Where the state can have no such figure, say why rather than "no data".
        var none = { blocked: state.noBlocked, gapRate: state.noGapRate };
        [["Load of its role (utilisation)", "load", pct], ["Blocked beds of its role (ready to move on)", "blocked", beds], ["Starts with a data gap", "gapRate", pct]]
          .forEach(function (row) {
            dl.appendChild(el("dt", null, row[0]));
            dl.appendChild(el("dd", null, none[row[1]] ? none[row[1]] :
              f ? row[2](f.option[row[1]]) + " (baseline " + row[2](f.baseline[row[1]]) + ")" : "no run yet"));
          });
        box.appendChild(dl);
        var levers = leversAbout(state);
        if (levers.length) {
          box.appendChild(el("h3", null, "Its levers"));
          levers.forEach(function (l) {
            var b = el("button", { type: "button" }, l.label + ": " + (settings[l.id] || l.baseline));
            b.addEventListener("click", function () {
              var holder = document.querySelector('[data-lever="' + CSS.escape(l.id) + '"]');
              document.querySelectorAll(".lever.highlight").forEach(function (x) { x.classList.remove("highlight"); });
              holder.classList.add("highlight");
              holder.scrollIntoView({ block: "center" });
              holder.querySelector("input, select").focus();
            });
            box.appendChild(b);
          });
        } else {
          box.appendChild(el("p", null, "No lever acts on this state."));
        }
        var note = el("button", { type: "button" }, "Add a note about it");
        note.addEventListener("click", function () { $("note-subject").value = "state:" + stateId; $("note-text").focus(); });
        box.appendChild(note);
      }

      // MARK: the board
      function renderBoard() {
        var holder = clear($("options"));
        if (!board.options.length) { holder.appendChild(el("p", null, "No option saved yet.")); }
        else {
          var table = el("table"), head = el("tr");
          // The tick boxes and buttons are for the screen; the printed pack has the options themselves.
          [["Compare", "screen-only"], ["Option", ""], ["Settings", ""], ["", "screen-only"]].forEach(function (t) {
            head.appendChild(el("th", t[1] ? { "class": t[1] } : null, t[0]));
          });
          table.appendChild(head);
          board.options.forEach(function (o) {
            var tr = el("tr"), pick = el("td", { "class": "screen-only" }), box = el("input", { type: "checkbox", "data-option": o.name, "aria-label": "Compare " + o.name });
            pick.appendChild(box); tr.appendChild(pick);
            tr.appendChild(el("td", null, o.name));
            var ids = Object.keys(o.settings).sort();
            tr.appendChild(el("td", null, ids.length ? ids.map(function (id) { var l = leverById(id); return (l ? l.label : id) + " " + o.settings[id]; }).join("; ") : "the baseline"));
            var use = el("td", { "class": "screen-only" }), b = el("button", { type: "button" }, "Use");
            b.addEventListener("click", function () { applySettings(o.settings); });
            use.appendChild(b); tr.appendChild(use);
            table.appendChild(tr);
          });
          holder.appendChild(table);
          var compare = el("button", { type: "button", id: "compare" }, "Compare side by side (the ticked options, or all)");
          compare.addEventListener("click", compareSelected);
          holder.appendChild(compare);
        }
        var notes = clear($("notes"));
        board.notes.forEach(function (n) {
          var li = el("li"); li.appendChild(el("strong", null, subjectName(n.subject) + ": ")); li.appendChild(document.createTextNode(n.text));
          notes.appendChild(li);
        });
      }
      function subjectName(s) {
        if (s.state) { var st = setup.states.filter(function (x) { return x.id === s.state; })[0]; return st ? st.title : s.state; }
        if (s.organisation) { return organisationName(s.organisation) + (s.role ? ", " + s.role : ""); }
        return "The scenario";
      }
      function applySettings(values) {
        settings = {};
        setup.levers.forEach(function (l) {
          var v = values[l.id] !== undefined ? values[l.id] : l.baseline;
          var box = document.querySelector('[data-lever="' + CSS.escape(l.id) + '"]');
          box.querySelectorAll("[data-role=value]").forEach(function (c) { if (c.type === "checkbox") { c.checked = v === c.getAttribute("data-on"); } else { c.value = v; } });
          showLeverError(l.id, null);
          if (v !== l.baseline) { settings[l.id] = v; }
          box.classList.toggle("changed", v !== l.baseline);
        });
        scheduleRun();
      }
      function compareSelected() {
        var names = Array.prototype.map.call(document.querySelectorAll("input[data-option]:checked"), function (c) { return c.getAttribute("data-option"); });
        status("Comparing every saved option with the baseline on the same patients…");
        api("/api/compare", { options: names }).then(function (c) {
          status("");
          var holder = clear($("comparison")), table = el("table"), head = el("tr");
          table.appendChild(el("caption", null, "Saved options against the baseline: difference (95% CI)"));
          head.appendChild(el("th", null, "Figure"));
          c.options.forEach(function (n) { head.appendChild(el("th", { scope: "col" }, n)); });
          table.appendChild(head);
          c.rows.forEach(function (row) {
            var tr = el("tr"); tr.appendChild(el("th", { scope: "row" }, row.label));
            row.cells.forEach(function (h) {
              var td = el("td"); td.appendChild(el("div", null, h.sentence));
              if (h.noClearDifference) { td.appendChild(el("span", { "class": "badge none" }, "No clear difference")); }
              tr.appendChild(td);
            });
            table.appendChild(tr);
          });
          holder.appendChild(table);
        }).catch(function (e) { status("Compare failed: " + e.message); });
      }
      function fillNoteSubjects() {
        var select = clear($("note-subject"));
        select.appendChild(el("option", { value: "" }, "The whole scenario"));
        setup.organisations.forEach(function (o) { select.appendChild(el("option", { value: "organisation:" + o.id }, o.name)); });
        setup.states.forEach(function (s) { select.appendChild(el("option", { value: "state:" + s.id }, "State: " + s.title)); });
      }
      function wireForms() {
        $("save-option").addEventListener("submit", function (e) {
          e.preventDefault();
          $("save-option-error").textContent = "";
          api("/api/options", { name: $("option-name").value, settings: settings }).then(function (b) {
            board = b; renderBoard(); $("option-name").value = ""; status("Option saved.");
          }).catch(function (err) {
            if (err.body && err.body.lever) { showLeverError(err.body.lever, err.message); } else { $("save-option-error").textContent = err.message; }
          });
        });
        $("note-form").addEventListener("submit", function (e) {
          e.preventDefault();
          $("note-error").textContent = "";
          var v = $("note-subject").value, subject = {};
          if (v.indexOf("organisation:") === 0) { subject.organisation = v.slice(13); }
          if (v.indexOf("state:") === 0) { subject.state = v.slice(6); }
          api("/api/notes", { subject: subject, text: $("note-text").value }).then(function (b) {
            board = b; renderBoard(); $("note-text").value = "";
          }).catch(function (err) { $("note-error").textContent = err.message; });
        });
        $("scenario-form").addEventListener("submit", function (e) { e.preventDefault(); saveScenario(false); });
        $("reset").addEventListener("click", function () { applySettings({}); });
      }
      function saveScenario(overwrite) {
        var out = clear($("scenario-result")), file = $("scenario-file").value;
        api("/api/scenario", { file: file, overwrite: overwrite }).then(function (r) {
          out.textContent = "Written: " + r.file;
        }).catch(function (err) {
          if (err.status === 409) {
            out.appendChild(el("span", { "class": "error" }, err.message));
            var yes = el("button", { type: "button" }, "Overwrite " + file), no = el("button", { type: "button" }, "Keep the existing file");
            yes.addEventListener("click", function () { saveScenario(true); });
            no.addEventListener("click", function () { clear(out).textContent = "Not written."; });
            out.appendChild(yes); out.appendChild(no); yes.focus();
          } else { out.appendChild(el("span", { "class": "error" }, err.message)); }
        });
      }

      api("/api/setup").then(function (r) {
        setup = r.setup; board = r.board;
        renderLevers(); wireDiagram(); renderLegend(); fillNoteSubjects(); renderBoard(); wireForms();
        startRun();
      }).catch(function (e) { status("The workshop could not start: " + e.message); });
    })();
    """#
}
