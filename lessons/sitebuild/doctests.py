"""How lesson pages are tested: every ```` ```pycon ```` block is a doctest.

Blocks of one page share a namespace, top to bottom, like a reader typing along, so an
exercise's solution may use names defined earlier on the page. Output is compared with
``ELLIPSIS`` and ``NORMALIZE_WHITESPACE``; examples print rounded or formatted numbers so
that the expected text does not depend on the BLAS kernel or on NumPy's scalar repr.
"""

import doctest

from sybil import Sybil
from sybil.parsers.abstract.codeblock import PythonDocTestOrCodeBlockParser
from sybil.parsers.markdown import CodeBlockParser

from buildcache.cache import ROOT

OPTIONS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


class PyconBlockParser(PythonDocTestOrCodeBlockParser):
    """Sybil's Python code-block parser, reading ```` ```pycon ```` fences instead of ``python``."""

    @staticmethod
    def codeblock_parser_class(language, evaluator):
        return CodeBlockParser("pycon", evaluator)


def lesson_sybil(path: str) -> Sybil:
    """A Sybil collecting the pycon doctests of every Markdown file below ``path``.

    A relative ``path`` is taken from the repository root (Sybil itself would read it from
    this file's folder).
    """
    folder = ROOT / path
    return Sybil(parsers=[PyconBlockParser(doctest_optionflags=OPTIONS)], patterns=["*.md"], path=str(folder))
