"""`make pdf` prints the whole book: every lesson's title and every figure's caption are in the
PDF's text, with a table of contents and a page number on each page."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from sitebuild import figures, pdf
from buildcache.cache import ROOT

pytestmark = pytest.mark.slow

FIGURE_DIRECTIVE = re.compile(r"^\s*\{\{\s*figure:\s*([\w./-]+)\s*\}\}\s*$", re.M)


def words(text: str) -> str:
    """Text reduced to lower-case letters and digits, so line breaks and ligatures do not matter."""
    return re.sub(r"[^a-z0-9]+", "", text.lower().replace("ﬁ", "fi").replace("ﬂ", "fl"))


def lessons() -> list[Path]:
    return sorted((ROOT / "lessons").glob("[0-9][0-9]-*.md"))


def title(lesson: Path) -> str:
    return next(line[2:].strip() for line in lesson.read_text(encoding="utf-8").splitlines() if line.startswith("# "))


def captions() -> dict[str, str]:
    """The caption of every figure a lesson shows, by ``module/function``."""
    wanted = {name for lesson in lessons() for name in FIGURE_DIRECTIVE.findall(lesson.read_text(encoding="utf-8"))}
    found = {}
    for module in figures.figure_modules():
        for spec in figures.load_specs(module):
            name = f"{module.stem}/{spec.name}"
            if name in wanted and spec.caption:
                found[name] = spec.caption
    return found


@pytest.fixture(scope="module")
def book_text(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("pdf")
    env = {**os.environ, "NNV_PRINT_SITE": "true", "NNV_ANIMATION_QUALITY": "low", "NO_MKDOCS_2_WARNING": "1"}
    build = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(folder / "site")],
                           cwd=ROOT, env=env, capture_output=True, text=True)
    assert build.returncode == 0, build.stderr[-3000:]
    # In its own process, as `make pdf` runs it: Playwright's sync API cannot start a second time
    # in an xdist worker whose browser tests already run one (pagecheck.shared_playwright).
    book = folder / "book.pdf"
    printed = subprocess.run([sys.executable, "-m", "sitebuild.pdf", str(folder / "site"), str(book)],
                             cwd=ROOT, env=env, capture_output=True, text=True)
    assert printed.returncode == 0, printed.stderr[-3000:]
    text = subprocess.run(["pdftotext", "-layout", str(book), "-"], capture_output=True, text=True, check=True).stdout
    print(f"{book.stat().st_size / 1e6:.1f} MB, {text.count(chr(12))} pages")
    return text


def test_every_lesson_title_is_in_the_book(book_text):
    missing = [title(lesson) for lesson in lessons() if words(title(lesson)) not in words(book_text)]
    assert len(lessons()) >= 19 and not missing, f"lesson titles not in the PDF: {missing}"


def test_every_figure_is_in_the_book(book_text):
    shown = captions()
    missing = [name for name, caption in shown.items() if words(caption)[:60] not in words(book_text)]
    assert len(shown) >= 20 and not missing, f"figures whose caption is not in the PDF: {missing}"


def test_the_book_has_contents_and_page_numbers(book_text):
    pages = book_text.split("\f")
    assert "table of contents" in book_text.lower()
    numbered = [page for number, page in enumerate(pages, 1) if re.search(rf"\b{number} / \d+\b", page)]
    assert len(pages) > 50 and len(numbered) >= len(pages) - 1, f"{len(numbered)} of {len(pages)} pages numbered"


def test_the_checks_can_fail():
    assert words("Back-\npropagation ﬁts") == "backpropagationfits"
    assert words("Attention and transformers") not in words("Attention and Transformer")


def test_printing_without_a_print_page_names_the_fix(tmp_path):
    with pytest.raises(pdf.PdfError, match="NNV_PRINT_SITE=true"):
        pdf.print_site(tmp_path, tmp_path / "book.pdf")
