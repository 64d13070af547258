"""What a reader must never meet on a built API page (lessons/api/), and what each page owes them.

Used by tests/test_site_build.py on the built site and by tests/test_api_docs.py on small
pages made up to show that each check can fail.
"""

import re
from pathlib import Path

import griffe

from sitebuild import griffe_doctests

ROOT = Path(__file__).resolve().parents[1]

RAW_REST = re.compile(r":(?:class|func|meth|mod|attr|data|obj|exc):`|``|\w::(?:\s|<)")
PLACEHOLDERS = re.compile(r"\b(?:Required|Optional)\.")
# TeX left as text: a math delimiter or a control word such as \frac outside the math spans.
RAW_TEX = re.compile(r"\\(?:[()\[\]]|[A-Za-z]{2,})")
MATH = re.compile(r'<(span|div) class="arithmatex">.*?</\1>', re.S)
PARAMETERS_TABLE = re.compile(r'<span class="doc-section-title">Parameters:</span>\s*</p>\s*<table>')


def article(html: str) -> str:
    return html.split("<article", 1)[1].split("</article>", 1)[0]


def reader_text(html: str) -> str:
    """The page's prose as text: no code blocks, no typeset math, no tags."""
    prose = MATH.sub(" ", re.sub(r"<pre\b.*?</pre>", " ", article(html), flags=re.S))
    return re.sub(r"<[^>]+>", " ", prose)


def section(html: str, path: str) -> str | None:
    """The HTML of the object ``path`` (a heading id) up to the next object's heading."""
    start = html.find(f'id="{path}"')
    if start < 0:
        return None
    end = html.find('class="doc doc-heading"', html.find(">", start))  # past the object's own heading
    return html[start:end if end > 0 else len(html)]


def page_problems(html: str, with_parameters: list[str]) -> list[str]:
    """Everything wrong with one API page; ``with_parameters`` are the paths of the callables on
    it whose signatures take parameters, each of which needs its Parameters table."""
    text = reader_text(html)
    problems = [f"raw reStructuredText {found!r}" for found in RAW_REST.findall(text)[:3]]
    problems += [f"placeholder {found!r}" for found in PLACEHOLDERS.findall(text)[:3]]
    problems += [f"TeX outside the math {found!r}" for found in RAW_TEX.findall(text)[:3]]
    for table in re.findall(r"<table>.*?</table>", article(html), re.S):
        if "&gt;&gt;&gt;" in table or "```" in table:
            problems.append("a doctest read as rows of a table (a section heading is missing before it)")
    for path in with_parameters:
        html_of = section(html, path)
        if html_of is None:
            problems.append(f"{path} is not on the page")
        elif not PARAMETERS_TABLE.search(html_of):
            problems.append(f"{path} has no Parameters table")
    return problems


def load_nnlib():
    """nnlib as the API pages see it: loaded by Griffe through the site's extension."""
    extensions = griffe.load_extensions(griffe_doctests.DoctestFences)
    return griffe.load("nnlib", search_paths=[ROOT], extensions=extensions, docstring_parser="numpy")


def callables_with_parameters(package) -> dict[str, list[str]]:
    """Module path -> paths of its public callables whose signatures take parameters."""
    found = {}
    for obj in griffe_doctests.public_callables(package):
        if obj.docstring is not None and griffe_doctests.signature_parameters(obj):
            found.setdefault(obj.module.path, []).append(obj.path)
    return found


def api_pages() -> dict[str, str]:
    """Module path -> the name of its page under site/api/ (from the ``::: module`` line)."""
    pages = {}
    for page in (ROOT / "lessons" / "api").glob("*.md"):
        found = re.search(r"^::: (nnlib[\w.]*)$", page.read_text(), re.M)
        if found:
            pages[found.group(1)] = page.stem
    return pages
