"""Copying a doctest session copies code that runs, without prompts or outputs.

A ``pycon`` block (highlighted, its prompts in ``gp`` spans) shows a session: ``>>>`` and ``...`` prompts, then what Python printed.
Material's copy button copies the text of the nearest ``data-copy`` attribute when there is
one, so each such block gets the code alone there, at build time: the prompts' lines without
their prompts, and no output lines.

>>> html = ('<div class="highlight"><pre><span></span><code>'
...         '<span class="gp">&gt;&gt;&gt; </span>x = [1,\\n<span class="gp">... </span>     2]\\n'
...         '<span class="gp">&gt;&gt;&gt; </span>print(x &lt; 3)\\n<span class="go">True</span>\\n</code></pre></div>')
>>> print(runnable(session_text(html)))
x = [1,
     2]
print(x < 3)
>>> add_copy_text(html).startswith('<div class="highlight" data-copy="x = [1,&#10;     2]&#10;print(x &lt; 3)">')
True
"""

import html as html_lib
import re

CODE_BLOCK = re.compile(r'<div class="((?:language-[\w-]+ )?highlight)">(<pre>.*?</code></pre>)</div>', re.S)
TAG = re.compile(r"<[^>]+>")
PROMPT = re.compile(r"^(>>>|\.\.\.)( |$)")


def session_text(block_html: str) -> str:
    """The text of a highlighted block, as a reader sees it."""
    return html_lib.unescape(TAG.sub("", block_html))


def runnable(session: str) -> str:
    """The code of a doctest session: its prompt lines without the prompts."""
    return "\n".join(PROMPT.sub("", line) for line in session.splitlines() if PROMPT.match(line))


def add_copy_text(page_html: str) -> str:
    """``page_html`` with a ``data-copy`` attribute on every doctest session (see the module's doc)."""
    def attach(match: re.Match) -> str:
        code = runnable(session_text(match[2])) if 'class="gp"' in match[2] else ""
        if not code:
            return match[0]
        copy = html_lib.escape(code, quote=True).replace("\n", "&#10;")
        return f'<div class="{match[1]}" data-copy="{copy}">{match[2]}</div>'

    return CODE_BLOCK.sub(attach, page_html)
