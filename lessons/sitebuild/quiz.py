r"""Check-your-understanding quizzes, answered in the page with no server.

A lesson ends with a heading and a line of its own::

    ## Check your understanding

    {{ quiz: neuron }}

which the build replaces with the questions of ``lessons/quizzes/neuron.py``. That module
defines ``QUESTIONS``, a list of :class:`Choice` (pick one option) and :class:`Number` (type
a number, right within a tolerance). A number that a question asks for is computed there
by nnlib when the site is built, like every other number on the site.

Each question becomes a ``<form>`` holding a ``<fieldset>`` whose ``<legend>`` is the question,
labelled inputs, a Check button and a feedback line (``aria-live``) that
``assets/javascripts/quiz.js`` fills in; the answer and why it is right sit in a
``<details>`` below, for a reader who wants to see it.

Question text may hold inline math ``\( ... \)`` (typeset by KaTeX like the lessons) and
`` `code` ``; everything else is escaped. The options of a :class:`Choice` are the labels of
its radio buttons, so they are plain text (KaTeX output gives a label no accessible name).

>>> q = Number("What is 1/4?", answer=0.25, tolerance=0.005, why="One part of four.")
>>> q.shown
'0.25'
>>> html = render_question("quiz-demo-1", 1, q)
>>> print(html[:html.index(">") + 1])
<form class="nnv-quiz-question" id="quiz-demo-1" data-kind="number" data-answer="0.25" data-tolerance="0.005" novalidate>
>>> Choice("Pick one", options=("a", "b"), answer=2, why="")
Traceback (most recent call last):
...
ValueError: Choice 'Pick one': answer must be the index of an option, 0 to 1, got 2
"""

import html
import importlib.util
import math
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from buildcache.cache import ROOT, display_path

QUIZ_DIR = ROOT / "lessons" / "quizzes"
MIN_QUESTIONS, MAX_QUESTIONS = 3, 5


@dataclass(frozen=True)
class Choice:
    """A question with ``options``; ``answer`` is the index of the right one."""

    question: str
    options: tuple[str, ...]
    answer: int
    why: str

    def __post_init__(self):
        if len(self.options) < 2:
            raise ValueError(f"Choice {self.question!r}: needs at least 2 options, got {len(self.options)}")
        if not (isinstance(self.answer, int) and 0 <= self.answer < len(self.options)):
            raise ValueError(f"Choice {self.question!r}: answer must be the index of an option, "
                             f"0 to {len(self.options) - 1}, got {self.answer!r}")
        if len(set(self.options)) != len(self.options):
            raise ValueError(f"Choice {self.question!r}: two options read the same")
        if any("\\(" in option for option in self.options):
            # An option is the label of its radio button; typeset math gives it no accessible name.
            raise ValueError(f"Choice {self.question!r}: write options as plain text (Unicode symbols "
                             f"such as ∂, η, ←), not \\( math \\)")

    @property
    def shown(self) -> str:
        return self.options[self.answer]


@dataclass(frozen=True)
class Number:
    """A question answered with a number, right when within ``tolerance`` of ``answer``.

    The answer is shown rounded to ``decimals`` places, without trailing zeros.
    """

    question: str
    answer: float
    tolerance: float
    why: str
    decimals: int = 3

    def __post_init__(self):
        # nnlib computes in float32; the page and the checks use plain Python floats.
        object.__setattr__(self, "answer", float(self.answer))
        object.__setattr__(self, "tolerance", float(self.tolerance))
        if not math.isfinite(self.answer):
            raise ValueError(f"Number {self.question!r}: answer must be a finite number, got {self.answer!r}")
        if not (math.isfinite(self.tolerance) and self.tolerance > 0):
            raise ValueError(f"Number {self.question!r}: tolerance must be a positive number, got {self.tolerance!r}")

    @property
    def shown(self) -> str:
        text = f"{self.answer:.{self.decimals}f}"
        return text.rstrip("0").rstrip(".") if "." in text else text


def inline(text: str) -> str:
    r"""``text`` as HTML: escaped, `` `code` `` as <code>, and in a KaTeX span if it holds math.

    >>> inline("a < b, `x`")
    'a &lt; b, <code>x</code>'
    >>> inline(r"\(z = wx\)")
    '<span class="arithmatex">\\(z = wx\\)</span>'
    """
    escaped = re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text, quote=False))
    return f'<span class="arithmatex">{escaped}</span>' if "\\(" in escaped else escaped


def _options_html(qid: str, question: Choice) -> str:
    return "".join(
        f'<div class="nnv-quiz-option"><input type="radio" name="{qid}" id="{qid}-{i}" value="{i}">'
        f'<label for="{qid}-{i}">{inline(option)}</label></div>'
        for i, option in enumerate(question.options)
    )


def _number_html(qid: str) -> str:
    return (f'<div class="nnv-quiz-number"><label for="{qid}-input">Your answer</label>'
            f'<input type="text" inputmode="decimal" autocomplete="off" id="{qid}-input" name="{qid}"></div>')


def render_question(qid: str, number: int, question: Choice | Number) -> str:
    """One question as a form (see the module docstring)."""
    if isinstance(question, Choice):
        data = f'data-kind="choice" data-answer="{question.answer}"'
        inputs = _options_html(qid, question)
    elif isinstance(question, Number):
        data = f'data-kind="number" data-answer="{question.answer!r}" data-tolerance="{question.tolerance!r}"'
        inputs = _number_html(qid)
    else:
        raise TypeError(f"a quiz question is a Choice or a Number, got {type(question).__name__}")
    return (
        f'<form class="nnv-quiz-question" id="{qid}" {data} novalidate>'
        f"<fieldset><legend>{number}. {inline(question.question)}</legend>{inputs}"
        f'<button type="submit" class="nnv-quiz-check">Check</button>'
        f'<p class="nnv-quiz-feedback" id="{qid}-feedback" aria-live="polite"></p>'
        f"</fieldset>"
        f"<details><summary>Show the answer</summary><p><strong>{inline(question.shown)}</strong>. "
        f"{inline(question.why)}</p></details></form>"
    )


def render_questions(name: str, questions) -> str:
    """All questions of quiz ``name`` as one line of HTML (a raw block for Markdown)."""
    if not MIN_QUESTIONS <= len(questions) <= MAX_QUESTIONS:
        raise ValueError(f"quiz '{name}' has {len(questions)} questions; a quiz has "
                         f"{MIN_QUESTIONS} to {MAX_QUESTIONS}")
    slug = re.sub(r"\W", "-", name)
    body = "".join(render_question(f"quiz-{slug}-{i}", i, q) for i, q in enumerate(questions, start=1))
    return f'<div class="nnv-quiz" data-quiz="{html.escape(name)}">{body}</div>'


def quiz_modules(folder: Path = QUIZ_DIR) -> list[Path]:
    return sorted(p for p in folder.glob("*.py") if not p.name.startswith("_"))


def load_questions(name: str, folder: Path = QUIZ_DIR) -> list:
    """The ``QUESTIONS`` of ``lessons/quizzes/<name>.py`` (computed now, by nnlib)."""
    path = folder / f"{name}.py"
    if not path.is_file():
        known = ", ".join(p.stem for p in quiz_modules(folder)) or "none"
        raise FileNotFoundError(f"unknown quiz '{name}': no {display_path(path)} (quizzes: {known})")
    if str(folder) not in sys.path:
        sys.path.append(str(folder))  # quizzes share helpers: ``from _compute import ...``
    spec = importlib.util.spec_from_file_location(f"lesson_quizzes.{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    questions = getattr(module, "QUESTIONS", None)
    if not isinstance(questions, list):
        raise ValueError(f"{display_path(path)} must define QUESTIONS, a list of Choice and Number")
    return questions


def render(name: str) -> str:
    """The HTML that ``{{ quiz: name }}`` stands for."""
    return render_questions(name, load_questions(name))
