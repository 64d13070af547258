"""nnlib's docstrings document every parameter, and the site build refuses one that does not.

The checks of the built pages themselves run in tests/test_site_build.py (they need the site);
here each of them is shown to fail on a small page made up for the purpose.
"""

import shutil
import textwrap

import griffe
import pytest

import apipages
from sitebuild.griffe_doctests import DoctestFences, ParameterDocsError


def load(name, folder):
    """The package ``name`` from ``folder`` (not a folder of that name in the working directory)."""
    return griffe.load(name, search_paths=[folder], try_relative_path=False,
                       extensions=griffe.load_extensions(DoctestFences), docstring_parser="numpy")


def write_package(folder, code):
    (folder / "pkg").mkdir()
    (folder / "pkg" / "__init__.py").write_text(textwrap.dedent(code))


def test_every_public_nnlib_callable_documents_its_parameters():
    package = apipages.load_nnlib()  # the extension raises ParameterDocsError, listing each gap
    documented = apipages.callables_with_parameters(package)
    assert len(documented) >= 20 and sum(map(len, documented.values())) >= 150, documented


def test_a_parameter_missing_from_an_nnlib_docstring_stops_the_build(tmp_path):
    shutil.copytree(apipages.ROOT / "nnlib", tmp_path / "nnlib", ignore=shutil.ignore_patterns("__pycache__"))
    dense = tmp_path / "nnlib" / "layers" / "dense.py"
    entry = "    units : int\n        Number of outputs (neurons), the length of ``b``; a positive integer.\n"
    assert entry in dense.read_text()
    dense.write_text(dense.read_text().replace(entry, ""))
    with pytest.raises(ParameterDocsError, match=r"nnlib\.layers\.dense\.Dense: parameter 'units' is in the "
                                                 r"signature but not in the docstring's Parameters section"):
        load("nnlib", tmp_path)


def test_a_documented_parameter_the_signature_lacks_stops_the_build(tmp_path):
    write_package(tmp_path, '''
        def scale(x):
            """Scale x.

            Parameters
            ----------
            x : float
                The number.
            factor : float
                No such parameter.
            """
    ''')
    with pytest.raises(ParameterDocsError, match=r"pkg\.scale: the docstring's Parameters section documents "
                                                 r"'factor', which is not in the signature"):
        load("pkg", tmp_path)


def test_a_class_that_inherits_its_constructor_inherits_its_parameters_section(tmp_path):
    write_package(tmp_path, '''
        class Base:
            """A base.

            Parameters
            ----------
            name : str, optional
                The name.

            Raises
            ------
            ValueError
                Never shown on the child.
            """

            def __init__(self, name=None):
                self.name = name


        class Child(Base):
            """A child, with the base's constructor."""
    ''')
    child = load("pkg", tmp_path)["Child"]
    assert child.docstring.value.endswith("Parameters\n----------\nname : str, optional\n    The name.")


GOOD_PAGE = """<html><article>
<h2 id="m.f" class="doc doc-heading">f</h2>
<p>Adds <span class="arithmatex">\\(z = xW + b\\)</span>; see <code>Dense</code> (C++'s a::b is fine).</p>
<p><span class="doc-section-title">Parameters:</span></p>
<table><tr><td><code>x</code></td><td>The input.</td></tr></table>
<div class="highlight"><pre><code>&gt;&gt;&gt; f(1)  # ``code`` may show anything
2</code></pre></div>
<h2 id="m.g" class="doc doc-heading">g</h2>
<p>No parameters.</p>
</article></html>"""


def test_a_good_api_page_passes():
    assert apipages.page_problems(GOOD_PAGE, ["m.f"]) == []


@pytest.mark.parametrize("old, new, problem", [
    ("see <code>Dense</code>", "see :class:`Dense`", "raw reStructuredText"),
    ("see <code>Dense</code>", "see ``Dense``", "raw reStructuredText"),
    ("see <code>Dense</code>", "see the shapes:: ", "raw reStructuredText"),
    ("The input.", "Required.", "placeholder"),
    ('<span class="arithmatex">\\(z = xW + b\\)</span>', "\\(z = xW + b\\)", "TeX outside the math"),
    ('<span class="arithmatex">\\(z = xW + b\\)</span>', "z = \\frac{1}{2}", "TeX outside the math"),
    ("The input.</td></tr>", "The input.</td></tr><tr><td>&gt;&gt;&gt; f(1)</td></tr>", "a doctest read as rows"),
    ('<span class="doc-section-title">Parameters:</span>', "Parameters", "m.f has no Parameters table"),
])
def test_each_api_page_check_can_fail(old, new, problem):
    broken = GOOD_PAGE.replace(old, new)
    assert broken != GOOD_PAGE
    assert any(p.startswith(problem) for p in apipages.page_problems(broken, ["m.f"])), problem


def test_a_callable_missing_from_its_page_is_reported():
    assert apipages.page_problems(GOOD_PAGE, ["m.f", "m.h"]) == ["m.h is not on the page"]
