"""Readers see no authoring words: no "source text" or "our source", and "seed" only as in a
random seed. Scans every lesson page and every lab (its Markdown cells, and for the phrases
that are never right, its code too); the lab solutions are not published and are not scanned."""

import re
from pathlib import Path

import pytest

LESSONS = Path(__file__).resolve().parents[1] / "lessons"
PAGES = sorted(LESSONS.glob("*.md"))
LABS = sorted((LESSONS / "labs").glob("*.py"))

# Words about how the course was written, wrong anywhere a reader looks.
AUTHORING = re.compile(
    r"source text|our source|the source (?:calls|says)|seed (?:text|network|model)|seed's|seed_layers", re.IGNORECASE)
# "seed" in prose must be a random seed ("random seed", "random seeds").
SEED = re.compile(r"\bseeds?\b", re.IGNORECASE)
FENCE = re.compile(r"^\s*(```|~~~)")
INLINE_CODE = re.compile(r"`[^`]*`")


def prose_lines(path: Path) -> list[tuple[int, str]]:
    """(line number, text) of the prose a reader sees: outside code blocks and inline code."""
    lines = path.read_text(encoding="utf-8").splitlines()
    if path.suffix == ".py":  # a lab: the Markdown cells, without their '# ' prefix
        prose, markdown = [], False
        for number, line in enumerate(lines, start=1):
            if line.startswith("# %%"):
                markdown = "[markdown]" in line
            elif markdown and line.startswith("#"):
                prose.append((number, INLINE_CODE.sub("", line[1:])))
        return prose
    prose, in_code = [], False
    for number, line in enumerate(lines, start=1):
        if FENCE.match(line):
            in_code = not in_code
        elif not in_code:
            prose.append((number, INLINE_CODE.sub("", line)))
    return prose


def seed_misuses(text: str) -> list[str]:
    return [match[0] for match in SEED.finditer(text) if not text[:match.start()].lower().endswith("random ")]


@pytest.mark.parametrize("path", PAGES + LABS, ids=lambda p: p.name)
def test_no_authoring_words(path):
    found = [f"{path.name}:{number}: {line.strip()}"
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
             if AUTHORING.search(line)]
    assert not found, "authoring words a reader would see:\n" + "\n".join(found)


@pytest.mark.parametrize("path", PAGES + LABS, ids=lambda p: p.name)
def test_seed_only_as_a_random_seed(path):
    found = [f"{path.name}:{number}: {line.strip()}" for number, line in prose_lines(path) if seed_misuses(line)]
    assert not found, '"seed" in prose must read "random seed":\n' + "\n".join(found)


def test_the_scanner_catches_what_it_should():
    assert seed_misuses("the seed's CNN") and seed_misuses("with other seeds it draws an arc")
    assert not seed_misuses("change the random seed") and not seed_misuses("over five random seeds")
    assert AUTHORING.search("as our source text says") and not AUTHORING.search("the source of the data")
