// Copying a doctest session copies code that runs: Material's copy button copies the text of the
// nearest data-copy attribute when there is one, so just before a copy (this listener runs in the
// capture phase, ahead of the button's own) a session's block gets its code alone: the lines with
// a >>> or ... prompt, without the prompt; the outputs are left out.
(function () {
  var PROMPT = /^(>>>|\.\.\.)( |$)/;
  function runnable(session) {
    return session.split("\n").filter(function (line) { return PROMPT.test(line); })
      .map(function (line) { return line.replace(PROMPT, ""); }).join("\n");
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-clipboard-target]");
    var block = button && button.closest(".highlight");
    var code = block && block.querySelector("code");
    if (code && code.querySelector(".gp")) block.setAttribute("data-copy", runnable(code.textContent));
  }, true);
})();
