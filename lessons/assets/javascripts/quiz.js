// Check-your-understanding quizzes (HTML written at build time by lessons/sitebuild/quiz.py).
// Each question is a <form data-kind="choice|number" data-answer=...>: Check (or Enter) compares the
// reader's answer with data-answer, a number within data-tolerance, and says so in the form's
// aria-live feedback line. Nothing is sent anywhere.
(function () {
  var RIGHT = "Correct.";
  var WRONG = "Not quite. Try again, or open \u201cShow the answer\u201d below.";

  function choiceVerdict(form) {
    var picked = form.querySelector("input[type=radio]:checked");
    if (!picked) return { message: "Choose one of the answers first." };
    return { right: picked.value === form.dataset.answer };
  }

  // A number as a reader types it: "0.25", " -1e-3 ", ".5"; not "", "abc" or "1,5".
  function parseNumber(text) {
    text = text.trim();
    return /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(text) ? Number(text) : NaN;
  }

  function numberVerdict(form) {
    var input = form.querySelector("input[type=text]");
    var value = parseNumber(input.value);
    if (isNaN(value)) return { message: "Type a number, such as 0.25 (a point, not a comma, for decimals)." };
    var right = Math.abs(value - Number(form.dataset.answer)) <= Number(form.dataset.tolerance);
    input.setAttribute("aria-invalid", right ? "false" : "true");
    return { right: right };
  }

  function check(form) {
    var verdict = form.dataset.kind === "choice" ? choiceVerdict(form) : numberVerdict(form);
    var feedback = form.querySelector(".nnv-quiz-feedback");
    form.classList.remove("nnv-quiz-right", "nnv-quiz-wrong");
    if (verdict.message) {
      feedback.textContent = verdict.message;
      return;
    }
    form.classList.add(verdict.right ? "nnv-quiz-right" : "nnv-quiz-wrong");
    feedback.textContent = verdict.right ? RIGHT : WRONG;
    if (verdict.right) form.querySelector("details").open = true;
  }

  // One listener for the whole document, so questions work after Material's instant navigation too.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("nnv-quiz-question")) return;
    event.preventDefault();
    check(form);
  });
})();
