"""Citations in the lessons are footnotes (``[^id]`` in the text, ``[^id]: Author, year, title`` at
the end of the page): every one used is defined, every one defined is used, and each names
its authors, its year and its title."""

import re
from pathlib import Path

import pytest

LESSONS = Path(__file__).resolve().parents[1] / "lessons"
PAGES = sorted(LESSONS.glob("*.md"))
DEFINITION = re.compile(r"^\[\^([^\]]+)\]:\s*(.*)$")
REFERENCE = re.compile(r"\[\^([^\]]+)\]")
# "A. Author and B. Author, 2016, "Title", venue" or with the title in italics.
CITATION = re.compile(r"^\S.*?, (?:19|20)\d\d, (?:\"[^\"]+\"|\*[^*]+\*)")


def footnotes(text: str) -> tuple[dict[str, str], set[str]]:
    """The page's definitions (id -> text, continuation lines joined) and the ids it refers to."""
    definitions, current = {}, None
    body = []
    for line in text.splitlines():
        match = DEFINITION.match(line)
        if match:
            current = match[1]
            definitions[current] = match[2]
        elif current and line.startswith("    "):
            definitions[current] += " " + line.strip()
        else:
            current = None
            body.append(line)
    return definitions, set(REFERENCE.findall("\n".join(body)))


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_footnote_is_defined_used_and_a_full_citation(page):
    definitions, references = footnotes(page.read_text(encoding="utf-8"))
    undefined, unused = references - definitions.keys(), definitions.keys() - references
    assert not undefined, f"{page.name}: footnotes used but not defined: {undefined}"
    assert not unused, f"{page.name}: footnotes defined but never used: {unused}"
    incomplete = [f"[^{key}]: {text}" for key, text in definitions.items() if not CITATION.match(text)]
    assert not incomplete, (f"{page.name}: a citation reads 'Authors, year, \"Title\" (or *Title*), ...':\n"
                            + "\n".join(incomplete))


def test_the_checker_sees_a_missing_definition_and_an_incomplete_citation():
    definitions, references = footnotes('A claim[^a] and another[^b].\n\n[^a]: A. Author, 2001, "A title".\n'
                                        "[^c]: Somebody said so.\n")
    assert references == {"a", "b"} and set(definitions) == {"a", "c"}
    assert CITATION.match(definitions["a"]) and not CITATION.match(definitions["c"])


def test_lessons_one_to_nine_cite_their_external_facts():
    for number in ("01", "03", "04", "06", "07", "09"):
        page = next(LESSONS.glob(f"{number}-*.md"))
        assert footnotes(page.read_text(encoding="utf-8"))[0], f"{page.name} has no footnote citations"
