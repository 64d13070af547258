"""Lesson code fits the column: no line of a fenced code block is longer than 88 characters,
so that no code scrolls sideways on a 1280 px screen.

Every fenced block of every Markdown page below ``lessons/`` counts, code and printed output
alike (a ```` ```pycon ```` doctest's expected output is shown on the page too). A block inside an
admonition or a list is indented; that indentation is the page's, not the code's, so a line is
measured without it, as the site renders it. Fences follow CommonMark: a block opened with
three or more backticks or tildes closes at a fence of the same character, at least as long,
with nothing after it. The labs (``lessons/labs/*.py``) are not scanned here.
"""

import re
from pathlib import Path

import pytest

LESSONS = Path(__file__).resolve().parents[1] / "lessons"
PAGES = sorted(LESSONS.glob("**/*.md"))
LONGEST = 88
FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")


def code_lines(text: str) -> list[tuple[int, str]]:
    """(line number, text) of every line inside a fenced code block, without the block's own
    indentation (that of its opening fence).

    >>> page = "Text\\n\\n!!! note\\n\\n    ```pycon\\n    >>> 1 + 1\\n    2\\n    ```\\n"
    >>> code_lines(page)
    [(6, '>>> 1 + 1'), (7, '2')]
    >>> code_lines("````\\n```\\ninside\\n```\\n````\\n")
    [(2, '```'), (3, 'inside'), (4, '```')]
    """
    found, opening = [], None
    for number, line in enumerate(text.splitlines(), start=1):
        fence = FENCE.match(line)
        if opening is None:
            if fence:
                opening = fence
        elif (fence and fence["fence"][0] == opening["fence"][0]
              and len(fence["fence"]) >= len(opening["fence"]) and not fence["info"].strip()):
            opening = None
        else:
            indent = opening["indent"]
            found.append((number, line[len(indent):] if line.startswith(indent) else line.lstrip()))
    if opening is not None:
        raise ValueError(f"a code block opened with {opening['fence']!r} is never closed")
    return found


def test_code_lines_reads_fences_as_commonmark():
    """An unclosed block is an error, not a page whose code silently goes unchecked."""
    with pytest.raises(ValueError, match="never closed"):
        code_lines("```pycon\n>>> 1\n")
    assert code_lines("~~~\n```\nx\n~~~\n") == [(2, "```"), (3, "x")]
    assert code_lines("```\na\n``` not a closing fence\nb\n```\n") == [
        (2, "a"), (3, "``` not a closing fence"), (4, "b")]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(LESSONS)))
def test_no_code_line_is_longer_than_88_characters(page):
    name = page.relative_to(LESSONS)
    too_long = [f"{name}:{number}: {len(line)} characters: {line}"
                for number, line in code_lines(page.read_text(encoding="utf-8")) if len(line) > LONGEST]
    assert not too_long, (f"{len(too_long)} code lines longer than {LONGEST} characters "
                          "(they scroll sideways at 1280 px):\n" + "\n".join(too_long))
