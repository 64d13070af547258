"""Check-your-understanding quizzes (``lessons/sitebuild/quiz.py``, ``lessons/quizzes/``): every
lesson ends with one, its numbers are right, its HTML is accessible, and a broken quiz stops the
build with the lesson's file and line. The browser side is tests/browser/test_quiz.py."""

import math
import re
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest
from mkdocs.exceptions import PluginError

from sitebuild import hooks, quiz
from sitebuild.cache import ROOT

LESSONS = sorted((ROOT / "lessons").glob("[0-9][0-9]-*.md"))
DIRECTIVE = re.compile(r"^\{\{ quiz: (\w+) \}\}$", re.M)


def lesson_quiz(lesson: Path) -> str:
    names = DIRECTIVE.findall(lesson.read_text(encoding="utf-8"))
    assert len(names) == 1, f"{lesson.name}: {len(names)} quiz directives, expected one"
    return names[0]


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.stem[:2])
def test_each_lesson_ends_with_its_quiz_before_the_navigation(lesson):
    text = lesson.read_text(encoding="utf-8")
    name = lesson_quiz(lesson)
    headings = re.findall(r"^## (.+)$", text, re.M)
    assert headings[-1] == "Check your understanding", f"{lesson.name}: the quiz is not the last section"
    after = text.split(f"{{{{ quiz: {name} }}}}")[1]
    assert re.fullmatch(r"\s*(---\s*)?(\[(Previous|Next|Questions)[^\n]*\s*)+", after), \
        f"{lesson.name}: only the Previous/Next links may follow the quiz, found {after[:200]!r}"


def test_every_quiz_module_belongs_to_one_lesson():
    used = [lesson_quiz(lesson) for lesson in LESSONS]
    assert len(used) == len(set(used)) == 19
    assert sorted(used) == sorted(p.stem for p in quiz.quiz_modules())


@pytest.mark.parametrize("name", [p.stem for p in quiz.quiz_modules()])
def test_a_quiz_has_3_to_5_well_formed_questions(name):
    questions = quiz.load_questions(name)
    assert 3 <= len(questions) <= 5
    for q in questions:
        assert isinstance(q, (quiz.Choice, quiz.Number)) and q.question.strip() and q.why.strip()
        if isinstance(q, quiz.Number):
            # The answer as the page shows it is marked right; a rough guess is not.
            assert abs(float(q.shown) - q.answer) <= q.tolerance, f"{name}: {q.question[:40]}"
            assert q.tolerance <= 0.05 * abs(q.answer), f"{name}: tolerance too loose for {q.question[:40]}"


# Each numeric answer (computed by nnlib in the quiz module) against the closed form a reader
# would work out by hand.
CLOSED_FORMS = {
    "intro": [0.5 - 1 + 0.25],
    "neuron": [1 / (1 + math.exp(-0.8)), 0.5],
    "activations": [0.25, 1 - math.tanh(0.5) ** 2],
    "layers": [4 * 3 + 3, 784 * 128 + 128 + 128 * 10 + 10],
    "forward": [-1.0],
    "loss_functions": [-math.log(0.8), 2.5, math.log(4), 0.9 + 0.1 / 5],
    "backprop": [2 * (1 / (1 + math.exp(-1)) - 1) * (1 / (1 + math.exp(-1))) * (1 - 1 / (1 + math.exp(-1))) * 2],
    "descent": [2.4, 32],
    "optim": [0.001, -0.29],
    "training": [469, math.log(10)],
    "decision_boundaries": [2.0],
    "generalization": [0.05, 2.0],
    "first_network": [64 * 32 + 32 + 32 * 10 + 10, 261 / 270, 22 / 25],
    "deep": [0.1, 1.0],
    "convnets": [24, 80, 12],
    "recurrent": [320, 1280],
    "attention": [math.exp(1.5) / (math.exp(0.5) + math.exp(1.0) + math.exp(1.5)), math.sin(1)],
    "generative": [4],
    "applications": [67],
}


@pytest.mark.parametrize("name", sorted(CLOSED_FORMS))
def test_numeric_answers_equal_their_closed_forms(name):
    answers = [q.answer for q in quiz.load_questions(name) if isinstance(q, quiz.Number)]
    assert answers == pytest.approx(CLOSED_FORMS[name], rel=1e-6, abs=1e-9)


class Elements(HTMLParser):
    """Tags with their attributes, and the text of each legend and label."""

    def __init__(self, html: str):
        super().__init__()
        self.tags, self.texts, self._open = [], {"legend": [], "label": []}, None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in self.texts:
            self._open = tag
            self.texts[tag].append("")

    def handle_endtag(self, tag):
        if tag == self._open:
            self._open = None

    def handle_data(self, data):
        if self._open:
            self.texts[self._open][-1] += data


@pytest.mark.parametrize("name", [p.stem for p in quiz.quiz_modules()])
def test_the_html_is_accessible(name):
    questions = quiz.load_questions(name)
    page = Elements(quiz.render(name))
    tags = lambda kind: [attrs for tag, attrs in page.tags if tag == kind]
    ids = [attrs["id"] for _, attrs in page.tags if "id" in attrs]
    assert len(ids) == len(set(ids)), "duplicate ids"
    assert len(tags("form")) == len(tags("fieldset")) == len(page.texts["legend"]) == len(questions)
    labelled = {attrs["for"] for attrs in tags("label")}
    for attrs in tags("input"):
        assert attrs["id"] in labelled, f"input {attrs['id']} has no label"
    assert [a["aria-live"] for a in tags("p") if "nnv-quiz-feedback" in a.get("class", "")] == ["polite"] * len(questions)
    assert all(a.get("type") == "submit" for a in tags("button")) and len(tags("button")) == len(questions)
    choices = [q for q in questions if isinstance(q, quiz.Choice)]
    assert len(tags("input")) == sum(len(q.options) for q in choices) + len(questions) - len(choices)


def test_the_answer_is_written_where_the_script_reads_it():
    html = quiz.render_questions("t", [
        quiz.Choice("Pick", options=("a", "b", "c"), answer=2, why="c."),
        quiz.Number("How much?", answer=0.125, tolerance=0.001, why="An eighth."),
        quiz.Number("And?", answer=3.0, tolerance=0.5, why="Three."),
    ])
    forms = re.findall(r"<form ([^>]*)>", html)
    assert 'data-kind="choice" data-answer="2"' in forms[0]
    assert 'data-kind="number" data-answer="0.125" data-tolerance="0.001"' in forms[1]
    assert "<strong>c</strong>" in html and "<strong>0.125</strong>" in html


@pytest.mark.parametrize("make, message", [
    (lambda: quiz.Choice("Q", options=("a",), answer=0, why=""), "at least 2 options"),
    (lambda: quiz.Choice("Q", options=("a", "a"), answer=0, why=""), "two options read the same"),
    (lambda: quiz.Choice("Q", options=("a", "b"), answer=-1, why=""), "index of an option"),
    (lambda: quiz.Choice("Q", options=(r"\(a\)", "b"), answer=0, why=""), "write options as plain text"),
    (lambda: quiz.Number("Q", answer=float("nan"), tolerance=0.1, why=""), "finite number"),
    (lambda: quiz.Number("Q", answer=1.0, tolerance=0, why=""), "positive number"),
    (lambda: quiz.render_questions("t", [quiz.Number("Q", answer=1.0, tolerance=0.1, why="")] * 2),
     "has 2 questions; a quiz has 3 to 5"),
    (lambda: quiz.render_question("q", 1, "a string"), "a Choice or a Number"),
])
def test_a_malformed_question_is_refused_with_what_was_wrong(make, message):
    with pytest.raises((ValueError, TypeError), match=message):
        make()


def test_a_module_without_questions_is_refused(tmp_path):
    (tmp_path / "empty.py").write_text("QUESTION = []\n")
    with pytest.raises(ValueError, match="must define QUESTIONS"):
        quiz.load_questions("empty", folder=tmp_path)


def page_with(markdown_file: Path):
    return SimpleNamespace(file=SimpleNamespace(abs_src_path=str(markdown_file)))


def test_an_unknown_quiz_stops_the_build_at_its_line():
    page = page_with(ROOT / "lessons" / "02-the-neuron.md")
    with pytest.raises(PluginError, match=r"lessons/02-the-neuron.md:3: unknown quiz 'nope'.*quizzes: activations"):
        hooks.on_page_markdown("# T\n\n{{ quiz: nope }}\n", page, None, None)


def test_the_directive_becomes_one_raw_html_line():
    page = page_with(ROOT / "lessons" / "02-the-neuron.md")
    out = hooks.on_page_markdown("# T\n\n{{ quiz: neuron }}\n\nafter\n", page, None, None).split("\n")
    assert out[2].startswith('<div class="nnv-quiz" data-quiz="neuron">') and out[2].endswith("</div>")
    assert out[4] == "after"


def test_quizzes_are_left_out_of_the_search_index(tmp_path):
    """Every page loads the search index, so its size counts against each page's weight budget."""
    import json

    from sitebuild import searchindex

    (tmp_path / "search").mkdir()
    docs = [{"location": "02-the-neuron/", "text": "The neuron."},
            {"location": "02-the-neuron/#check-your-understanding", "text": "1. What is 1/4?"},
            {"location": "02-the-neuron/#what-the-bias-does", "text": "The bias."}]
    (tmp_path / "search" / "search_index.json").write_text(json.dumps({"docs": docs}))
    searchindex.slim(tmp_path)
    kept = json.loads((tmp_path / "search" / "search_index.json").read_text())["docs"]
    assert [d["location"] for d in kept] == ["02-the-neuron/", "02-the-neuron/#what-the-bias-does"]
