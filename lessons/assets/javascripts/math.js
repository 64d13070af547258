// Typeset math with the KaTeX copy the site serves itself, loaded only by pages that have math
// (KaTeX is the largest script of the site; every page counts against its weight budget).
// Lesson pages: arithmatex wraps math in .arithmatex as \( \) and \[ \].
// Lab pages: notebook markdown keeps $ and $$, so those delimiters apply inside .jupyter-wrapper only
// (elsewhere a lone $ is just a dollar sign).
(function () {
  var KATEX = new URL("../katex/", document.currentScript.src).href;
  // A display equation wider than its column is shrunk to fit, down to this share of its size;
  // one still too wide then scrolls in its own box, which shows a fade at each edge that has more
  // (site.css) and is reachable by keyboard.
  var MIN_SCALE = 0.75;

  function typeset(root, delimiters) {
    renderMathInElement(root, { delimiters: delimiters, throwOnError: false, ignoredClasses: ["highlight"] });
  }
  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = function () { reject(new Error("could not load " + src)); };
      document.head.appendChild(script);
    });
  }
  function withKatex() {
    if (typeof renderMathInElement !== "undefined") return Promise.resolve();
    return loadScript(KATEX + "katex.min.js").then(function () { return loadScript(KATEX + "contrib/auto-render.js"); });
  }
  function typesetPage() {
    document.querySelectorAll(".arithmatex").forEach(function (element) {
      typeset(element, [
        { left: "\\[", right: "\\]", display: true },
        { left: "\\(", right: "\\)", display: false },
      ]);
    });
    document.querySelectorAll(".jupyter-wrapper .jp-MarkdownOutput, .jupyter-wrapper .jp-RenderedMarkdown").forEach(function (element) {
      typeset(element, [
        { left: "$$", right: "$$", display: true },
        { left: "\\[", right: "\\]", display: true },
        { left: "$", right: "$", display: false },
        { left: "\\(", right: "\\)", display: false },
      ]);
    });
  }
  function fitDisplayMath() {
    document.querySelectorAll(".katex-display").forEach(function (box) {
      box.style.fontSize = "";
      var width = box.clientWidth;
      if (!width) return;  // hidden (a closed details block): fitted when it opens
      // KaTeX's widths are fractional and scrollWidth rounds them up: aim 2 px inside the box,
      // and count any overflow left as scrolling (a browser, and axe, treat 1 px as scrollable).
      if (box.scrollWidth > width) {
        var scale = (width - 2) / box.scrollWidth;
        box.style.fontSize = Math.max(MIN_SCALE, Math.floor(scale * 100) / 100) + "em";
      }
      var scrolls = box.scrollWidth > box.clientWidth;
      box.classList.toggle("nnv-math--scrolls", scrolls);
      if (scrolls) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", "Equation (scrolls sideways)");
      } else {
        ["tabindex", "role", "aria-label"].forEach(function (name) { box.removeAttribute(name); });
      }
    });
  }
  window.addEventListener("resize", fitDisplayMath);
  window.addEventListener("load", fitDisplayMath);
  document.addEventListener("toggle", fitDisplayMath, true);  // a <details> block opened
  if (document.fonts) document.fonts.ready.then(fitDisplayMath);  // KaTeX's fonts widen formulas
  function render() {
    if (!document.querySelector(".arithmatex, .jupyter-wrapper")) return;
    withKatex().then(function () {
      typesetPage();
      fitDisplayMath();
      if (document.fonts) document.fonts.ready.then(fitDisplayMath);  // KaTeX's fonts, now requested
    });
  }
  if (typeof document$ !== "undefined") {
    document$.subscribe(render);  // Material re-renders content on instant navigation
  } else {
    document.addEventListener("DOMContentLoaded", render);
  }
})();
