// What stops a page from fitting a phone (#23), measured in the page as it is drawn. Run as
// `page.evaluate(source)` (a function's source, which Playwright calls: no eval, so the site's
// Content-Security-Policy allows it); returns a list of problems, each {kind, what, detail}:
//   overflow  — the page itself scrolls sideways (document wider than the screen), and which elements stick out
//   tap       — a visible control whose tap box is smaller than 40×40 css px
//   text      — visible text under 14 px
//   hover     — an action that only shows on :hover (hidden until the pointer is over something)
// Named exemptions (keep them few):
//   - a link inside running text (a sentence around it in the same block): WCAG 2.5.8's inline exception
//   - a checkbox or radio inside its label, or named by a label[for]: the label is the tap target, measured instead
//   - what is inside a box that scrolls sideways by itself is still measured, but is no page overflow
//   - the charts' drawings (canvas/svg) and, for text size only, the Gantt chart's timeline: labels drawn to the
//     chart's own scale (the Gantt's controls are measured like any other)
() => {
  const MIN_TAP = 40;
  const MIN_TEXT = 14;
  const vw = document.documentElement.clientWidth || window.innerWidth;
  const problems = [];
  const seen = new Set();

  const describe = (el) => {
    if (!el || !el.tagName) return String(el);
    let s = el.tagName.toLowerCase();
    if (el.id) s += "#" + el.id;
    const cls = typeof el.className === "string" ? el.className.trim().split(/\s+/).filter(Boolean).slice(0, 3) : [];
    if (cls.length) s += "." + cls.join(".");
    const testid = el.getAttribute && el.getAttribute("data-testid");
    if (testid) s += `[data-testid=${testid}]`;
    const text = (el.innerText || el.value || el.getAttribute("aria-label") || "").trim().replace(/\s+/g, " ");
    if (text) s += ` "${text.slice(0, 24)}"`;
    return s;
  };
  const add = (kind, el, detail) => {
    const what = describe(el);
    const key = kind + "|" + what + "|" + detail;
    if (seen.has(key)) return;
    seen.add(key);
    problems.push({ kind, what, detail });
  };

  const style = (el) => window.getComputedStyle(el);
  const visible = (el) => {
    if (!el.getClientRects().length) return false; // display: none (itself or an ancestor)
    const s = style(el);
    if (s.visibility === "hidden" || s.visibility === "collapse") return false;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) return false;
    for (let a = el; a && a !== document.documentElement; a = a.parentElement) {
      const st = style(a);
      if (st.opacity === "0") return false;
    }
    // put off the screen or clipped away by a parent (a visually hidden label, a honeypot field)
    if (r.right <= 0 || r.bottom <= -window.scrollY) return false;
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const st = style(a);
      if (st.overflow === "visible") continue;
      const ar = a.getBoundingClientRect();
      if (ar.width <= 1 || ar.height <= 1 || ar.right <= 0) return false;
    }
    return true;
  };
  // an ancestor that clips or scrolls sideways (the element may stick out of the screen inside it)
  const clippedBy = (el) => {
    for (let a = el.parentElement; a && a !== document.body && a !== document.documentElement; a = a.parentElement) {
      const ox = style(a).overflowX;
      if (ox === "auto" || ox === "scroll" || ox === "hidden" || ox === "clip") return a;
    }
    return null;
  };
  // a chart's drawing (ECharts' canvas, an SVG) and the Gantt chart's timeline: their labels are drawn for the chart's
  // own scale; the Gantt's controls (the grid's, the toolbar's) are still measured
  const inDrawing = (el) => !!el.closest("canvas, svg, [_echarts_instance_]");
  const inChartText = (el) => inDrawing(el) || !!el.closest(".gantt_container");

  // 1. the page itself wider than the screen, and the outermost elements that stick out
  const docWidth = Math.max(document.documentElement.scrollWidth, document.body ? document.body.scrollWidth : 0);
  if (docWidth > vw + 1) {
    add("overflow", document.documentElement, `page is ${docWidth}px wide at ${vw}px`);
    const out = [];
    document.body.querySelectorAll("*").forEach((el) => {
      if (!el.getClientRects().length) return;
      const r = el.getBoundingClientRect();
      if (r.right <= vw + 1 && r.left >= -1) return;
      if (style(el).position === "fixed" || clippedBy(el)) return;
      const parent = el.parentElement;
      if (parent && parent !== document.body) {
        const pr = parent.getBoundingClientRect();
        if (pr.right > vw + 1 || pr.left < -1) return; // report the outermost one only
      }
      out.push(el);
    });
    out.slice(0, 8).forEach((el) => {
      const r = el.getBoundingClientRect();
      add("overflow", el, `sticks out: ${Math.round(r.left)}…${Math.round(r.right)}px`);
    });
  }

  // 2. tap targets
  const CONTROLS = "a[href], button, input:not([type=hidden]), select, textarea, [role=button], summary, label";
  const inRunningText = (el) => {
    if (el.tagName !== "A" || style(el).display !== "inline") return false;
    const block = el.parentElement;
    if (!block) return false;
    let around = "";
    block.childNodes.forEach((n) => {
      if (n.nodeType === Node.TEXT_NODE) around += n.textContent;
      else if (n !== el && n.nodeType === Node.ELEMENT_NODE && style(n).display === "inline" && !n.matches(CONTROLS))
        around += n.textContent;
    });
    return around.replace(/\s+/g, "").length >= 8; // a sentence, not a label next to its link
  };
  const labelOf = (input) => input.closest("label") || (input.id && document.querySelector(`label[for="${CSS.escape(input.id)}"]`));
  document.querySelectorAll(CONTROLS).forEach((el) => {
    if (inDrawing(el) || !visible(el) || el.disabled && el.tagName !== "A") return;
    if (el.tagName === "LABEL") {
      const input = el.control;
      if (!input || !["checkbox", "radio"].includes(input.type)) return; // other labels only name their field
    } else if (el.tagName === "INPUT" && ["checkbox", "radio"].includes(el.type) && labelOf(el) && visible(labelOf(el))) {
      return; // its label is the tap target
    } else if (el.tagName === "INPUT" && el.type === "file" && el.closest("label")) {
      return;
    }
    if (inRunningText(el)) return;
    const r = el.getBoundingClientRect();
    if (r.width < MIN_TAP - 0.5 || r.height < MIN_TAP - 0.5) {
      add("tap", el, `${Math.round(r.width)}×${Math.round(r.height)}px`);
    }
  });

  // 3. text under 14 px: every element with its own visible text
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
    acceptNode: (n) => (n.textContent.trim() ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT),
  });
  const textEls = new Set();
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (el && !["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "OPTION"].includes(el.tagName)) textEls.add(el);
  }
  textEls.forEach((el) => {
    if (inChartText(el) || !visible(el)) return;
    const size = parseFloat(style(el).fontSize);
    if (size < MIN_TEXT - 0.05) add("text", el, `${size}px`);
  });
  document.querySelectorAll("input:not([type=hidden]):not([type=checkbox]):not([type=radio]), select, textarea, button").forEach((el) => {
    if (inDrawing(el) || !visible(el)) return;
    const size = parseFloat(style(el).fontSize);
    if (size < MIN_TEXT - 0.05) add("text", el, `${size}px`);
  });

  // 4. hover-only actions: a rule `X:hover Y { opacity / visibility / display }` whose Y is hidden now and is
  //    (or holds) a control — on a phone there is no pointer to hover with
  const hoverRules = [];
  const collect = (rules) => {
    for (const rule of rules) {
      if (rule.cssRules && !rule.selectorText) {
        if (rule.media && !window.matchMedia(rule.media.mediaText).matches) continue; // e.g. (hover: hover)
        collect(rule.cssRules);
        continue;
      }
      if (!rule.selectorText || !rule.selectorText.includes(":hover")) continue;
      const st = rule.style;
      if (!(st.opacity || st.visibility || st.display || st.maxHeight || st.pointerEvents)) continue;
      hoverRules.push(rule.selectorText);
    }
  };
  for (const sheet of document.styleSheets) {
    try {
      collect(sheet.cssRules);
    } catch (e) {
      /* a sheet of another origin: none on this site */
    }
  }
  const hidden = (el) => {
    const s = style(el);
    return s.opacity === "0" || s.visibility === "hidden" || s.display === "none" || s.pointerEvents === "none";
  };
  hoverRules.forEach((selectorText) => {
    selectorText.split(",").forEach((one) => {
      if (!one.includes(":hover")) return;
      const shown = one.replace(/:hover/g, "").trim();
      let els;
      try {
        els = document.querySelectorAll(shown);
      } catch (e) {
        return;
      }
      els.forEach((el) => {
        if (!hidden(el)) return;
        const isControl = el.matches(CONTROLS) || el.querySelector(CONTROLS);
        if (isControl) add("hover", el, `only shown on hover (${one.trim()})`);
      });
    });
  });
  return problems;
}
