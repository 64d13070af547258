"""Lesson code fits the column: no line of a fenced code block is longer than 88 characters,
so that no code scrolls sideways on a 1280 px screen.

Every fenced block of every Markdown page below ``lessons/`` counts, code and printed output
alike (a ```` ```pycon ```` doctest's expected output is shown on the page too). A block inside an
admonition or a list is indented; that indentation is the page's, not the code's, so a line is
measured without it, as the site renders it. Fences follow CommonMark: a block opened with
three or more backticks or tildes closes at a fence of the same character, at least as long,
with nothing after it.

The labs (``lessons/labs/*.py``, Jupytext percent notebooks shown on the site as executed
notebooks) count too: every line of their code cells, comments included. Their Markdown
cells (``# %% [markdown]``, comment lines in the file) are prose and wrap on the page. The
solutions (``lessons/labs/solutions/*.py``) are held to the same limit, since a reader pastes
them into the answer cells.
"""

import re
from pathlib import Path

import jupytext
import pytest

LESSONS = Path(__file__).resolve().parents[1] / "lessons"
PAGES = sorted(LESSONS.glob("**/*.md"))
LABS = sorted(LESSONS.glob("labs/*.py")) + sorted(LESSONS.glob("labs/solutions/*.py"))
LONGEST = 88
FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
CELL = re.compile(r"^# %%(?P<options>.*)$")
NOT_CODE = re.compile(r"\[(markdown|md|raw)\]")


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


def lab_code_lines(text: str) -> list[tuple[int, str]]:
    """(line number, text) of every line of a percent-format notebook's code cells.

    A cell starts at a ``# %%`` line and runs to the next one; lines before the first (the
    Jupytext header) belong to no cell, and cells marked ``[markdown]``, ``[md]`` or ``[raw]``
    are not code.

    >>> lab = "# %% [markdown]\\n# Prose\\n\\n# %%\\nx = 1  # why\\n\\n# %% tags=['answer']\\ny = None\\n"
    >>> lab_code_lines(lab)
    [(5, 'x = 1  # why'), (6, ''), (8, 'y = None')]
    """
    found, in_code = [], False
    for number, line in enumerate(text.splitlines(), start=1):
        cell = CELL.match(line)
        if cell:
            in_code = not NOT_CODE.search(cell["options"])
        elif in_code:
            found.append((number, line))
    return found


def too_long(name, lines) -> list[str]:
    """One ``name:line: N characters: text`` entry for each line over the limit."""
    return [f"{name}:{number}: {len(line)} characters: {line}"
            for number, line in lines if len(line) > LONGEST]


@pytest.mark.parametrize("lab", LABS, ids=lambda p: str(p.relative_to(LESSONS)))
def test_lab_code_cells_are_what_jupytext_reads(lab):
    """The scan below sees exactly the code the lab page shows: Jupytext's code cells."""
    text = lab.read_text(encoding="utf-8")
    cells = [cell.source for cell in jupytext.reads(text, fmt="py:percent").cells
             if cell.cell_type == "code"]
    shown = [line for source in cells for line in source.splitlines()]
    scanned = [line for _, line in lab_code_lines(text)]
    assert [line for line in scanned if line.strip()] == [line for line in shown if line.strip()]


@pytest.mark.parametrize("lab", LABS, ids=lambda p: str(p.relative_to(LESSONS)))
def test_no_lab_code_line_is_longer_than_88_characters(lab):
    long = too_long(lab.relative_to(LESSONS), lab_code_lines(lab.read_text(encoding="utf-8")))
    assert not long, (f"{len(long)} lab code lines longer than {LONGEST} characters "
                      "(they scroll sideways at 1280 px):\n" + "\n".join(long))


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(LESSONS)))
def test_no_code_line_is_longer_than_88_characters(page):
    long = too_long(page.relative_to(LESSONS), code_lines(page.read_text(encoding="utf-8")))
    assert not long, (f"{len(long)} code lines longer than {LONGEST} characters "
                      "(they scroll sideways at 1280 px):\n" + "\n".join(long))
