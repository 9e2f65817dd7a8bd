/// Zoom and pan for a pathway diagram on a page (the report, the workshop): each `.diagram` box
/// opens fitted and gets a toolbar (-, +, Fit, 100%), Ctrl + wheel, keys (+, -, 0, 1) and drag;
/// 100% is the diagram's natural size, where its smallest text is 12 px. One script for both
/// pages so they behave alike. Neither the script nor the style sheet contains `<` or `&`, so a
/// page can hold them in CDATA sections and stay well-formed XML.
public enum DiagramZoom {
    public static let css = """
    .diagram.zoomed { max-height: 85vh; overflow: auto; cursor: grab; }
    .diagram.zoomed svg { margin: 0; }
    .diagram.dragging { cursor: grabbing; }
    .diagram:focus { outline: 3px solid #E69F00; }
    .diagram-zoom { display: flex; flex-wrap: wrap; align-items: center; gap: .4rem; }
    .diagram-zoom-status { font-size: .85rem; color: #333333; }
    button.diagram-size { font: inherit; font-size: .9rem; padding: .3rem .8rem; margin: .3rem 0; border: 2px solid #0072B2;
                          background: #ffffff; color: #00508a; cursor: pointer; }
    button.diagram-size:focus { outline: 3px solid #E69F00; }
    @media print {
      .diagram-zoom { display: none; }
      .diagram.zoomed { max-height: none; overflow: visible; }
      .diagram.zoomed svg { max-width: 100% !important; width: auto !important; }
    }
    """

    public static let script = """
    (function () {
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
        // A drag starts once the pointer has moved a few pixels, so that a click on a state (the
        // workshop opens its figures) stays a click; a click that ends a drag is not passed on.
        var drag = null, dragged = false;
        box.addEventListener("pointerdown", function (e) {
          if (scale === 0 || e.button !== 0) { return; }
          drag = { x: e.clientX, y: e.clientY, left: box.scrollLeft, top: box.scrollTop, id: e.pointerId, moving: false };
          dragged = false;
        });
        box.addEventListener("pointermove", function (e) {
          if (!drag) { return; }
          var dx = e.clientX - drag.x, dy = e.clientY - drag.y;
          if (!drag.moving) {
            if (Math.abs(dx) + Math.abs(dy) > 4) { drag.moving = true; box.setPointerCapture(drag.id); box.classList.add("dragging"); }
            else { return; }
          }
          box.scrollLeft = drag.left - dx;
          box.scrollTop = drag.top - dy;
        });
        function stop() { if (drag) { dragged = drag.moving; } drag = null; box.classList.remove("dragging"); }
        box.addEventListener("pointerup", stop);
        box.addEventListener("pointercancel", stop);
        box.addEventListener("click", function (e) {
          if (dragged) { dragged = false; e.stopPropagation(); e.preventDefault(); }
        }, true);
        window.addEventListener("resize", function () { if (scale === 0) { label(); } });
        label();
      });
    })();
    """
}
