"""The search index without code blocks.

Material's search loads ``search/search_index.json`` on every page, so its size counts in every
page's weight (the browser suite's budget is 1.5 MB a page). About a third of it was the text of
code blocks (doctest sessions, notebook cells), which readers do not search by; names from the
code still reach the index through the prose, inline code and the API page. Lab pages are left
out too: a lab repeats its lesson's ideas as notebook cells, and search should lead to the lesson.
So are the "Check your understanding" quizzes at the end of each lesson: their questions and
answers repeat the lesson's sections, which are what search should find.

>>> slim_text('<p>The <code>Dense</code> layer.</p> <pre><code>&gt;&gt;&gt; 1 + 1\\n2</code></pre> <p>Done.</p>')
'<p>The <code>Dense</code> layer.</p> <p>Done.</p>'
"""

import json
import re
from pathlib import Path

CODE_BLOCK = re.compile(r"\s*<pre\b.*?</pre>", re.S)
QUIZ_ANCHOR = "#check-your-understanding"  # the heading above every lesson's quiz (sitebuild.quiz)


def slim_text(text: str) -> str:
    return CODE_BLOCK.sub("", text)


def slim(site_dir: Path) -> None:
    path = Path(site_dir) / "search" / "search_index.json"
    if not path.is_file():
        return
    index = json.loads(path.read_text(encoding="utf-8"))
    index["docs"] = [doc for doc in index.get("docs", [])
                     if not doc["location"].startswith("labs/") and not doc["location"].endswith(QUIZ_ANCHOR)]
    for doc in index["docs"]:
        doc["text"] = slim_text(doc.get("text", ""))
    path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
