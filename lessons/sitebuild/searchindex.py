"""The search index without code blocks.

Material's search loads ``search/search_index.json`` on every page, so its size counts in every
page's weight (the browser suite's budget is 1.5 MB a page). About a third of it was the text of
code blocks (doctest sessions, notebook cells), which readers do not search by; names from the
code still reach the index through the prose, inline code and the API page. Lab pages are left
out too: a lab repeats its lesson's ideas as notebook cells, and search should lead to the lesson.
Formulas (their TeX source, which nobody types into a search box) and the markup around the
text (paragraphs, lists, emphasis; inline code stays, for names) go as well.
The "Check your understanding" quizzes at the end of each lesson go too: their questions and
answers repeat the lesson's sections, which are what search should find.
Each section keeps its title and the first SECTION_CHARS characters of its text: enough for the
terms a section introduces and for the snippet under a result, while the whole text of 19 lessons
and the glossary made the index the heaviest file of every page.

>>> first_chars("one two three four", 9)
'one two'
>>> first_chars("the <code>Dense</code> layer", 24)
'the <code>Dense</code>'
>>> first_chars("the <code>Dense layer</code>", 24)
'the'

>>> slim_text('<p>The <code>Dense</code> layer, \\\\(z = xW + b\\\\).</p> <pre><code>&gt;&gt;&gt; 1 + 1\\n2</code></pre> <p><em>Done</em>.</p>')
' The <code>Dense</code> layer, .  Done . '
"""

import json
import re
from pathlib import Path

CODE_BLOCK = re.compile(r"\s*<pre\b.*?</pre>", re.S)
MATH = re.compile(r"\\\(.*?\\\)|\\\[.*?\\\]", re.S)
MARKUP = re.compile(r"</?(?!code\b)[a-z][a-z0-9]*\b[^>]*>")
QUIZ_ANCHOR = "#check-your-understanding"  # the heading above every lesson's quiz (sitebuild.quiz)


def slim_text(text: str) -> str:
    return MARKUP.sub(" ", MATH.sub("", CODE_BLOCK.sub("", text)))


SECTION_CHARS = 600


def first_chars(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters at a space, never inside inline code."""
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    if cut.count("<code>") > cut.count("</code>"):
        cut = cut[:cut.rindex("<code>")].rstrip()
    return cut


def slim(site_dir: Path) -> None:
    path = Path(site_dir) / "search" / "search_index.json"
    if not path.is_file():
        return
    index = json.loads(path.read_text(encoding="utf-8"))
    index["docs"] = [doc for doc in index.get("docs", [])
                     if not doc["location"].startswith("labs/") and not doc["location"].endswith(QUIZ_ANCHOR)]
    for doc in index["docs"]:
        doc["text"] = first_chars(slim_text(doc.get("text", "")), SECTION_CHARS)
    path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
