// The accessibility sweep's checks for what axe does not see (tests/test_a11y_sweep.py).
// Evaluated in the page; each function returns a list of problems, in words.
({
  describe(el) {
    if (!el || !el.tagName) return String(el);
    let text = el.tagName.toLowerCase();
    if (el.id) text += "#" + el.id;
    const cls = (el.getAttribute("class") || "").trim().split(/\s+/).filter(Boolean).slice(0, 2);
    if (cls.length) text += "." + cls.join(".");
    const words = (el.innerText || el.value || el.getAttribute("aria-label") || "").trim().replace(/\s+/g, " ");
    return words ? `${text} «${words.slice(0, 40)}»` : text;
  },

  visible(el) {
    const s = getComputedStyle(el);
    if (s.display === "none" || s.visibility === "hidden" || el.closest(".ds-sr-only,[hidden]")) return false;
    const r = el.getBoundingClientRect();
    if (r.width <= 0 || r.height <= 0) return false;
    // Inside a box hidden the screen-reader way (a card table's column headings): not seen.
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const t = getComputedStyle(a);
      if (t.position === "absolute" && (a.clientWidth <= 1 || a.clientHeight <= 1) && (t.overflow === "hidden" || t.clipPath !== "none")) return false;
    }
    return true;
  },

  scrollsSideways(el) {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const o = getComputedStyle(a).overflowX;
      if (o === "auto" || o === "scroll") return true;
    }
    return false;
  },

  // 2.1.1: a wrapper that scrolls sideways takes focus, and says what it holds.
  scrollRegions() {
    const problems = [];
    for (const el of document.querySelectorAll("body *")) {
      const o = getComputedStyle(el).overflowX;
      if ((o !== "auto" && o !== "scroll") || el.scrollWidth <= el.clientWidth + 1 || !this.visible(el)) continue;
      const named = el.hasAttribute("aria-label") || el.hasAttribute("aria-labelledby");
      const role = el.getAttribute("role");
      if (!el.hasAttribute("tabindex") || el.tabIndex < 0) problems.push(`scrolls sideways but cannot take focus: ${this.describe(el)}`);
      else if (!named || !["region", "group"].includes(role)) problems.push(`scrolls sideways without a role and a name: ${this.describe(el)}`);
    }
    return problems;
  },

  // 1.4.10: at 320 px nothing is wider than the screen, and no content spills out of its box,
  // except inside a wrapper that scrolls sideways (a table's).
  reflow() {
    const problems = [];
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > width + 1) problems.push(`the page is ${document.documentElement.scrollWidth} px wide at ${width} px`);
    for (const el of document.querySelectorAll("body *")) {
      if (problems.length > 8) break;
      const s = getComputedStyle(el);
      if (s.position === "fixed" || s.position === "absolute" || !this.visible(el) || this.scrollsSideways(el)) continue;
      if (el.tagName === "TABLE" || el.closest("svg,dialog:not([open]),details:not([open]) > :not(summary)")) continue;
      if (s.overflowX === "visible" && el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1 && !["auto", "scroll"].includes(s.overflowX)) {
        problems.push(`content spills ${el.scrollWidth - el.clientWidth} px out of ${this.describe(el)}`);
        continue;
      }
      const r = el.getBoundingClientRect();
      if (r.right > width + 1) problems.push(`${this.describe(el)} reaches ${Math.round(r.right)} px, past the screen`);
    }
    return problems;
  },

  // 1.4.12: the standard text-spacing values clip no text in a box whose overflow is hidden.
  textSpacing() {
    const style = document.createElement("style");
    style.id = "a11y-text-spacing";
    style.textContent = "* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }";
    document.head.appendChild(style);
    const problems = [];
    for (const el of document.querySelectorAll("body *")) {
      const s = getComputedStyle(el);
      const hides = (v) => v === "hidden" || v === "clip";
      if (!(hides(s.overflowX) || hides(s.overflowY) || s.textOverflow === "ellipsis") || !this.visible(el)) continue;
      if (!(el.innerText || "").trim() || el.clientWidth <= 1 || el.clientHeight <= 1) continue;
      const wide = el.scrollWidth > el.clientWidth + 1 && (hides(s.overflowX) || s.textOverflow === "ellipsis");
      const tall = el.scrollHeight > el.clientHeight + 1 && hides(s.overflowY);
      if (wide || tall) problems.push(`text clipped with the text-spacing values: ${this.describe(el)} (${el.scrollWidth}×${el.scrollHeight} in ${el.clientWidth}×${el.clientHeight})`);
    }
    style.remove();
    return problems;
  },

  // 3.1.2: in an English page, Norwegian text carries a lang of its own. A passage counts as
  // Norwegian when it has two or more of the short words that only Norwegian uses.
  foreignText() {
    const lang = (document.documentElement.lang || "").slice(0, 2);
    if (lang !== "en") return [];
    const norwegian = new Set(["og", "ikkje", "ikke", "som", "med", "til", "på", "av", "frå", "fra", "ein", "eit", "ei", "er", "vi", "dei", "det", "å", "kan", "skal", "har", "om", "i", "vil", "kva", "hva", "eller", "når", "ved", "ut", "inn", "no", "nå", "seg", "sin", "sitt", "du", "deg", "oss", "kven", "hvem", "korleis", "hvordan", "må", "blir", "vert", "etter", "innan", "innen"]);
    const problems = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      // A form control holds what its user writes, in whatever language they write it.
      if (!el || el.closest("script,style,[aria-hidden=true],.ds-sr-only,option,textarea,input") || !this.visible(el)) continue;
      const marked = el.closest("[lang]");
      if (marked && !marked.lang.startsWith("en")) continue;
      const words = node.textContent.toLowerCase().split(/[^\p{L}]+/u).filter(Boolean);
      const hits = new Set(words.filter((w) => norwegian.has(w)));
      if (words.length >= 4 && hits.size >= 2) problems.push(`Norwegian text without lang: ${this.describe(el)} «${node.textContent.trim().slice(0, 60)}»`);
      if (problems.length > 5) break;
    }
    return problems;
  },

  // The focused element, and the ring drawn for it.
  focused() {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return null;
    const s = getComputedStyle(el);
    const ring = (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 1) || (s.boxShadow && s.boxShadow !== "none");
    const ancestors = [];
    for (let a = el.parentElement, n = 0; a && n < 4; a = a.parentElement, n++) {
      const t = getComputedStyle(a);
      if (a.matches(":focus-within") && t.outlineStyle !== "none" && parseFloat(t.outlineWidth) >= 1) ancestors.push(this.describe(a));
    }
    let background = "rgba(0, 0, 0, 0)";
    for (let a = el.parentElement; a; a = a.parentElement) {
      const c = getComputedStyle(a).backgroundColor;
      if (c && !/rgba\(.*, 0\)$/.test(c) && c !== "transparent") { background = c; break; }
    }
    if (/rgba\(.*, 0\)$/.test(background)) background = "rgb(255, 255, 255)";
    const shadow = (s.boxShadow.match(/rgba?\([^)]*\)/) || [""])[0];
    return {
      what: this.describe(el),
      inMain: !!el.closest("main"),
      ring,
      ringOnAncestor: ancestors,
      outline: s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 1 ? s.outlineColor : "",
      shadow,
      background,
    };
  },

  // 2.4.7 / 4.1.2: every invalid field is marked, and tied to its message; the summary is announced or focused.
  errors() {
    const problems = [];
    const fields = [...document.querySelectorAll("[aria-invalid=true]")];
    for (const field of fields) {
      const ids = (field.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
      const messages = ids.map((id) => document.getElementById(id)).filter(Boolean);
      if (!messages.some((m) => m.matches(".ds-validation-message,[data-field=validation]") || m.closest("#error-summary,.ds-error-summary,[role=alert]")))
        problems.push(`an invalid field is not tied to its message: ${this.describe(field)}`);
    }
    for (const message of document.querySelectorAll(".ds-validation-message")) {
      if (!this.visible(message)) continue;
      if (!message.id || !document.querySelector(`[aria-describedby~="${message.id}"]`)) problems.push(`an error message tied to no field: ${this.describe(message)}`);
    }
    const summary = document.querySelector("#error-summary,.ds-error-summary,[data-error-summary]");
    const visibleErrors = fields.length || [...document.querySelectorAll(".ds-validation-message")].some((m) => this.visible(m));
    if (visibleErrors && !summary) problems.push("errors shown without an error summary");
    if (summary && !(summary.getAttribute("role") === "alert" || document.activeElement === summary || summary.contains(document.activeElement)))
      problems.push("the error summary is neither an alert nor focused");
    return problems;
  },
})
