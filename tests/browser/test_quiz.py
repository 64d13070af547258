"""The quizzes in the browser: every question of every lesson answered wrong, then right, with the
keyboard only, and the feedback line says which (quiz.js; the HTML is tested in
tests/test_quizzes.py). The right answers come from the quiz modules, not from the page."""

import re

import pytest

import pagecheck
from sitebuild import quiz
from buildcache.cache import ROOT

pytestmark = pytest.mark.browser

RIGHT = "Correct."
WRONG = "Not quite."


def lesson_quizzes() -> list[tuple[str, str]]:
    """(page address, quiz name) for every lesson."""
    found = []
    for lesson in sorted((ROOT / "lessons").glob("[0-9][0-9]-*.md")):
        name = re.search(r"^\{\{ quiz: (\w+) \}\}$", lesson.read_text(encoding="utf-8"), re.M)[1]
        found.append((f"{lesson.stem}/", name))
    return found


def feedback(page, qid: str) -> str:
    return page.locator(f"#{qid}-feedback").inner_text().strip()


def check_with_enter_on_button(page, qid: str) -> None:
    """Tab from the focused input to the form's Check button, and press Enter on it."""
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.type") == "submit", f"{qid}: Tab does not reach Check"
    page.keyboard.press("Enter")


def choose(page, qid: str, index: int) -> None:
    """Pick option ``index`` with the keyboard: focus the group, then arrow keys (as a reader would)."""
    page.focus(f"#{qid}-0")
    page.keyboard.press("Space")
    for _ in range(index):
        page.keyboard.press("ArrowDown")
    assert page.is_checked(f"#{qid}-{index}")


def answer_choice(page, qid: str, question: quiz.Choice) -> list[str]:
    wrong = next(i for i in range(len(question.options)) if i != question.answer)
    choose(page, qid, wrong)
    check_with_enter_on_button(page, qid)
    said_wrong = feedback(page, qid)
    choose(page, qid, question.answer)
    check_with_enter_on_button(page, qid)
    said_right = feedback(page, qid)
    problems = []
    if not said_wrong.startswith(WRONG):
        problems.append(f"{qid}: option {wrong} (wrong) got {said_wrong!r}")
    if said_right != RIGHT:
        problems.append(f"{qid}: option {question.answer} (right) got {said_right!r}")
    return problems


def type_number(page, qid: str, text: str) -> str:
    """Type ``text`` in the answer box and press Enter in it (the form submits)."""
    page.fill(f"#{qid}-input", "")
    page.focus(f"#{qid}-input")
    page.keyboard.type(text)
    page.keyboard.press("Enter")
    return feedback(page, qid)


def answer_number(page, qid: str, question: quiz.Number) -> list[str]:
    tries = {
        "not a number": ("a lot", "Type a number"),
        "just outside the tolerance": (repr(question.answer + 1.5 * question.tolerance), WRONG),
        "the wrong sign": (repr(-question.answer), WRONG),
        "as the answer is shown": (question.shown, RIGHT),
        "just inside the tolerance": (repr(question.answer - 0.5 * question.tolerance), RIGHT),
    }
    problems = []
    for what, (text, expected) in tries.items():
        said = type_number(page, qid, text)
        if not said.startswith(expected):
            problems.append(f"{qid}: {what} ({text}) got {said!r}, expected {expected!r}")
    return problems


@pytest.mark.parametrize("address, name", lesson_quizzes(), ids=[name for _, name in lesson_quizzes()])
def test_every_question_answered_wrong_then_right(address, name, context, base_url):
    page = context.new_page()
    page.goto(base_url + address)
    questions = quiz.load_questions(name)
    assert page.locator(".nnv-quiz-question").count() == len(questions)
    problems = []
    for number, question in enumerate(questions, start=1):
        qid = f"quiz-{name}-{number}"
        answer = answer_choice if isinstance(question, quiz.Choice) else answer_number
        problems += answer(page, qid, question)
        if not page.locator(f"#{qid} details").evaluate("d => d.open"):
            problems.append(f"{qid}: the explanation did not open after a right answer")
    live = page.locator(".nnv-quiz-feedback[aria-live=polite]").count()
    assert live == len(questions)
    assert not problems, "\n".join(problems)
    assert not context.external_requests


def test_an_unanswered_choice_asks_for_an_answer(context, base_url):
    page = context.new_page()
    page.goto(base_url + "02-the-neuron/")
    first_choice = next(i for i, q in enumerate(quiz.load_questions("neuron"), 1) if isinstance(q, quiz.Choice))
    qid = f"quiz-neuron-{first_choice}"
    page.click(f"#{qid} button")
    assert feedback(page, qid) == "Choose one of the answers first."
    assert pagecheck.is_local(page.url)
