// Typeset math with the KaTeX copy the site serves itself.
// Lesson pages: arithmatex wraps math in .arithmatex as \( \) and \[ \].
// Lab pages: notebook markdown keeps $ and $$, so those delimiters apply inside .jupyter-wrapper only
// (elsewhere a lone $ is just a dollar sign).
(function () {
  function typeset(root, delimiters) {
    renderMathInElement(root, { delimiters: delimiters, throwOnError: false, ignoredClasses: ["highlight"] });
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
  // Display math wider than the column scrolls in its box; keyboard users must reach it too.
  function focusableWideMath() {
    document.querySelectorAll("div.arithmatex").forEach(function (element) {
      if (element.scrollWidth > element.clientWidth) element.setAttribute("tabindex", "0");
      else element.removeAttribute("tabindex");
    });
  }
  window.addEventListener("resize", focusableWideMath);
  window.addEventListener("load", focusableWideMath);
  if (document.fonts) document.fonts.ready.then(focusableWideMath);  // KaTeX's fonts widen formulas
  if (typeof document$ !== "undefined") {
    document$.subscribe(function () { typesetPage(); focusableWideMath(); });  // Material re-renders content on instant navigation
  } else {
    document.addEventListener("DOMContentLoaded", function () { typesetPage(); focusableWideMath(); });
  }
})();
