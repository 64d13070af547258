"""A Griffe extension: show docstring examples on the API page as code.

nnlib's docstrings carry doctests in plain ``>>>`` form (NumPy's habit), which Markdown would
read as nested quotes and link references. This extension fences each run of example lines
(a ``>>>`` line, its ``...`` continuations and its expected output, up to a blank line) as a
``pycon`` block before mkdocstrings renders the docstring. The docstrings themselves stay as
they are, so ``--doctest-modules`` still runs them.

>>> fence_examples("Text.\\n>>> 1 + 1\\n2\\n\\nMore.").splitlines()
['Text.', '```pycon', '>>> 1 + 1', '2', '```', '', 'More.']
"""

import griffe


def fence_examples(text: str) -> str:
    """Wrap every block of doctest lines in ``text`` in a pycon fence."""
    out: list[str] = []
    in_example = False
    for line in text.split("\n"):
        starts_example = line.lstrip().startswith(">>>")
        if starts_example and not in_example:
            out.append("```pycon")
            in_example = True
        elif in_example and not line.strip():
            out.append("```")
            in_example = False
        out.append(line)
    if in_example:
        out.append("```")
    return "\n".join(out)


class DoctestFences(griffe.Extension):
    """Fence the doctest examples of every docstring Griffe loads."""

    def on_object(self, *, obj, **kwargs) -> None:
        if obj.docstring is not None:
            obj.docstring.value = fence_examples(obj.docstring.value)
