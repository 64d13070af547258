"""A Griffe extension: nnlib's docstrings as Markdown on the API pages, and a check of their parameters.

nnlib's docstrings carry doctests in plain ``>>>`` form (NumPy's habit), which Markdown would
read as nested quotes and link references. This extension fences each run of example lines
(a ``>>>`` line, its ``...`` continuations and its expected output, up to a blank line) as a
``pycon`` block before mkdocstrings renders the docstring. The docstrings themselves stay as
they are, so ``--doctest-modules`` still runs them.

The docstrings also use a little reStructuredText, which Markdown would print as it is: roles
such as ``:class:`Dense``` become code, and a paragraph ending in ``::`` (a formula or layout
set out below it) ends in ``:`` with the indented block shown as a code block
(:func:`markdown_from_rest`).

Every public class, function and method with a docstring must document exactly the
parameters its signature has, in a NumPy-style "Parameters" section: mkdocstrings turns that
section into the page's parameter table. Once the package is loaded, any mismatch stops the
build with a :class:`ParameterDocsError` that names module, object and parameter
(:func:`parameter_problems`). A class that inherits its constructor shows the Parameters
section of the class that defines it (:func:`inherit_parameters`).

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


class ParameterDocsError(Exception):
    """A public callable's Parameters section and its signature disagree."""


def signature_parameters(obj) -> list[str] | None:
    """The names a caller passes to ``obj`` (a class: its ``__init__``, its own or inherited),
    without ``self``, ``cls`` and private ``_names``; None for what is not callable."""
    if obj.is_class:
        init = obj.all_members.get("__init__")
        obj = init.final_target if init is not None and init.is_alias else init
        if obj is None:
            return []
    if not obj.is_function:
        return None
    return [p.name for p in obj.parameters if p.name not in ("self", "cls") and not p.name.startswith("_")]


def documented_parameters(obj) -> list[str]:
    """The names in the NumPy-style Parameters (and Other Parameters) sections of ``obj``'s docstring."""
    sections = obj.docstring.parse("numpy", warnings=False)
    kinds = (griffe.DocstringSectionKind.parameters, griffe.DocstringSectionKind.other_parameters)
    return [p.name.lstrip("*") for s in sections if s.kind in kinds for p in s.value]


def parameter_problems(obj) -> list[str]:
    """Each parameter of ``obj``'s signature its docstring does not document, and each it
    documents that the signature does not have, named with the object's path.

    >>> from pathlib import Path
    >>> code = "def f(x, rate=0.5):\\n    '''Scale.\\n\\n    Parameters\\n    ----------\\n    x : array\\n        In.\\n    r : float\\n        Rate.\\n    '''\\n"
    >>> module = griffe.visit("m", Path("m.py"), code)
    >>> parameter_problems(module["f"])
    ["m.f: parameter 'rate' is in the signature but not in the docstring's Parameters section", "m.f: the docstring's Parameters section documents 'r', which is not in the signature"]
    """
    expected = signature_parameters(obj)
    if expected is None or obj.docstring is None:
        return []
    documented = documented_parameters(obj)
    return ([f"{obj.path}: parameter {name!r} is in the signature but not in the docstring's Parameters section"
             for name in expected if name not in documented]
            + [f"{obj.path}: the docstring's Parameters section documents {name!r}, which is not in the signature"
               for name in documented if name not in expected])


def is_heading(lines: list[str], i: int) -> bool:
    """Whether ``lines[i]`` is a NumPy-style section heading: a word or two underlined with dashes."""
    return i + 1 < len(lines) and bool(lines[i].strip()) and set(lines[i + 1].strip()) == {"-"}


def parameters_section(text: str) -> str:
    """The "Parameters" section of the NumPy-style docstring ``text``, heading included ("" if none).

    >>> print(parameters_section("Add.\\n\\nParameters\\n----------\\nx : int\\n    One.\\n\\nReturns\\n-------\\nint\\n    Sum."))
    Parameters
    ----------
    x : int
        One.
    """
    lines = text.split("\n")
    starts = [i for i, line in enumerate(lines) if line.strip() == "Parameters" and is_heading(lines, i)]
    if not starts:
        return ""
    end = starts[0] + 2
    while end < len(lines) and not is_heading(lines, end):
        end += 1
    return "\n".join(lines[starts[0]:end]).rstrip()


def inherit_parameters(cls) -> None:
    """Give a class that inherits its constructor the Parameters section of the class that
    defines it, unless its own docstring has one: numpydoc documents a constructor on its
    class, and the layers that take Layer's ``name`` and ``input_shape`` say so once, on Layer."""
    init = cls.all_members.get("__init__")
    if cls.docstring is None or init is None or not init.is_alias or parameters_section(cls.docstring.value):
        return
    owner = init.final_target.parent
    section = parameters_section(owner.docstring.value) if owner.docstring is not None else ""
    if section:
        cls.docstring.value = cls.docstring.value.rstrip() + "\n\n" + section


def public_callables(obj):
    """Every public class, function and method defined in ``obj`` and its public submodules
    (those the API pages show; re-exports are shown where they are defined)."""
    for name, member in obj.members.items():
        if name.startswith("_") or member.is_alias:
            continue
        if member.is_module or member.is_class:
            yield from public_callables(member)
        if member.is_class or member.is_function:
            yield member


class DoctestFences(griffe.Extension):
    """Markdown from every docstring Griffe loads (fenced examples, no reST); classes that
    inherit a constructor get its Parameters section; the package fails to load when a public
    callable's Parameters section disagrees with its signature."""

    def on_object(self, *, obj, **kwargs) -> None:
        if obj.docstring is not None:
            obj.docstring.value = fence_examples(markdown_from_rest(obj.docstring.value))

    def on_package(self, *, pkg, **kwargs) -> None:
        for obj in public_callables(pkg):
            if obj.is_class:
                inherit_parameters(obj)
        problems = [problem for obj in public_callables(pkg) for problem in parameter_problems(obj)]
        if problems:
            raise ParameterDocsError(f"{len(problems)} parameter documentation problems in {pkg.name}:\n"
                                     + "\n".join(problems))
