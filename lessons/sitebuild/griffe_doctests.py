"""A Griffe extension: nnlib's docstrings as Markdown on the API pages.

nnlib's docstrings carry doctests in plain ``>>>`` form (NumPy's habit), which Markdown would
read as nested quotes and link references. This extension fences each run of example lines
(a ``>>>`` line, its ``...`` continuations and its expected output, up to a blank line) as a
``pycon`` block before mkdocstrings renders the docstring. The docstrings themselves stay as
they are, so ``--doctest-modules`` still runs them.

The docstrings also use a little reStructuredText, which Markdown would print as it is: roles
such as ``:class:`Dense``` become code, and a paragraph ending in ``::`` (a formula or layout
set out below it) ends in ``:`` with the indented block shown as a code block
(:func:`markdown_from_rest`).

>>> fence_examples("Text.\\n>>> 1 + 1\\n2\\n\\nMore.").splitlines()
['Text.', '```pycon', '>>> 1 + 1', '2', '```', '', 'More.']
>>> markdown_from_rest("Uses :class:`~nnlib.Dense` and :func:`fit`; shapes::\\n\\n    z = x W + b\\n\\nEnd.").splitlines()
['Uses `Dense` and `fit`; shapes:', '', '```text', 'z = x W + b', '```', '', 'End.']
"""

import re
import textwrap

import griffe

ROLE = re.compile(r":(?:class|func|meth|mod|attr|data|obj|exc|ref):`~?([^`]+)`")


def markdown_from_rest(text: str) -> str:
    """``text`` with reST roles as code spans and ``::`` literal blocks as fenced code."""
    text = ROLE.sub(lambda m: f"`{m[1].split('.')[-1] if m[0].count('~') else m[1]}`", text)
    lines, out, i = text.split("\n"), [], 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if not line.rstrip().endswith("::"):
            out.append(line)
            continue
        out.append(line.rstrip()[:-1].rstrip() if line.strip() != "::" else "")
        indent = len(line) - len(line.lstrip())
        block = []
        while i < len(lines) and (not lines[i].strip() or len(lines[i]) - len(lines[i].lstrip()) > indent):
            block.append(lines[i])
            i += 1
        while block and not block[-1].strip():
            block.pop()
            i -= 1
        body = textwrap.dedent("\n".join(b for b in block)).strip("\n")
        out += ["", " " * indent + "```text", *(" " * indent + b for b in body.split("\n")), " " * indent + "```"]
    return "\n".join(out)


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


def parameters_section(parameters) -> str:
    """A NumPy-style "Parameters" section listing ``parameters`` (Griffe's, from a signature),
    for docstrings that do not document them one by one; the page's table adds the defaults.

    >>> print(parameters_section([griffe.Parameter("units", annotation="int"), griffe.Parameter("use_bias", default="True")]))
    Parameters
    ----------
    units : int
        Required.
    use_bias
        Optional.
    """
    lines = ["Parameters", "----------"]
    for parameter in parameters:
        if parameter.name in ("self", "cls"):
            continue
        stars = {"var_positional": "*", "var_keyword": "**"}.get(getattr(parameter.kind, "name", ""), "")
        annotation = f" : {parameter.annotation}" if parameter.annotation is not None else ""
        lines += [f"{stars}{parameter.name}{annotation}", "    " + ("Optional." if parameter.default is not None or stars else "Required.")]
    return "\n".join(lines) if len(lines) > 2 else ""


def _signature_parameters(obj):
    if obj.is_function:
        return obj.parameters
    init = obj.all_members.get("__init__") if obj.is_class else None  # its own, else the inherited one
    if init is not None and init.is_function:
        return init.parameters
    return None


class DoctestFences(griffe.Extension):
    """Markdown from every docstring Griffe loads: fenced examples, no reST, a parameters section."""

    def on_object(self, *, obj, **kwargs) -> None:
        if obj.docstring is None:
            return
        text = fence_examples(markdown_from_rest(obj.docstring.value))
        parameters = _signature_parameters(obj)
        if parameters and not obj.name.startswith("_") and "\nParameters\n---" not in text:
            section = parameters_section(parameters)
            if section:
                text = text.rstrip() + "\n\n" + section
        obj.docstring.value = text
