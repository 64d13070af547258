"""The site builds in strict mode, and a broken lesson stops the build or the suite with its file."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import apipages
from sitebuild import labs
from buildcache.cache import ROOT

pytestmark = pytest.mark.slow


def mkdocs_build(config: Path, site_dir: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site_dir)],
        capture_output=True, text=True, env={**__import__("os").environ, "NO_MKDOCS_2_WARNING": "1",
                                             "NNV_ANIMATION_QUALITY": "low"},
    )


def nav_pages(nav) -> list[str]:
    """Every Markdown or lab path named in mkdocs.yml's nav."""
    pages = []
    for item in nav:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        pages.extend(nav_pages(value) if isinstance(value, list) else [value])
    return pages


def load_config() -> dict:
    return yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    site_dir = tmp_path_factory.mktemp("site")
    result = mkdocs_build(ROOT / "mkdocs.yml", site_dir)
    assert result.returncode == 0, result.stderr[-3000:]
    return site_dir


def test_every_nav_page_is_built(site):
    pages = nav_pages(load_config()["nav"])
    assert len(pages) >= 4
    for page in pages:
        stem = page.rsplit(".", 1)[0].removesuffix("index").rstrip("/")  # a folder's index.md is the folder
        built = site / stem / "index.html" if stem else site / "index.html"
        assert built.is_file(), f"{page} was not built ({built})"


def lesson_pages() -> list[str]:
    """The numbered lessons in the order of the nav."""
    return [p for p in nav_pages(load_config()["nav"]) if re.fullmatch(r"\d\d-[\w-]+\.md", p)]


def test_lesson_and_lab_files_are_numbered_in_reading_order():
    lessons = lesson_pages()
    assert [int(page[:2]) for page in lessons] == list(range(1, len(lessons) + 1)), lessons
    lab_stems = [Path(p).stem for p in nav_pages(load_config()["nav"]) if p.startswith("labs/")]
    assert lab_stems == [Path(p).stem for p in lessons]


def test_each_lesson_links_the_next_one():
    lessons = lesson_pages()
    for page, following in zip(lessons, lessons[1:]):
        text = (ROOT / "lessons" / page).read_text(encoding="utf-8")
        assert re.search(rf"\[Next: [^\]]+\]\({re.escape(following)}\)", text), (
            f"lessons/{page} has no 'Next:' link to {following}")


def test_old_lesson_addresses_redirect_to_the_moved_pages(site):
    plugins = {next(iter(p)) if isinstance(p, dict) else p: p for p in load_config()["plugins"]}
    moves = plugins["redirects"]["redirects"]["redirect_maps"]
    assert len(moves) >= 12
    for old, new in moves.items():
        stub = (site / old.removesuffix(".md") / "index.html").read_text(encoding="utf-8")
        target = Path(new).with_suffix("").name
        assert f'http-equiv="refresh" content="0; url=../{target}/"' in stub, f"{old} does not redirect to {new}"
        assert (site / Path(new).with_suffix("") / "index.html").is_file()


def test_labs_offer_their_executed_notebook(site):
    for lab in labs.lab_files():
        download = site / "labs" / lab.stem / f"{lab.stem}.ipynb"
        assert download.is_file(), f"no .ipynb download for {lab.name}"
        assert '"outputs": [\n' in download.read_text() or '"output_type"' in download.read_text()


def test_math_and_figures_are_served_by_the_site(site):
    assert (site / "assets" / "katex" / "katex.min.js").is_file()
    assert any((site / "assets" / "katex" / "fonts").glob("*.woff2"))
    figures = list((site / "assets" / "figures").rglob("*-light.*"))
    assert figures and all(f.with_name(f.name.replace("-light", "-dark")).is_file() for f in figures)


def test_404_page_links_absolutely(site):
    page = (site / "404.html").read_text()
    assert 'href="/nn-visually/assets/' in page or "href=\"/nn-visually/" in page


@pytest.fixture()
def docs_copy(tmp_path) -> Path:
    """A throwaway copy of the site's sources to break on purpose."""
    shutil.copytree(ROOT / "lessons", tmp_path / "lessons", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    return tmp_path


def first_lesson(docs: Path) -> Path:
    return sorted((docs / "lessons").glob("[0-9][0-9]-*.md"))[0]


def test_broken_link_fails_the_build_naming_the_file(docs_copy):
    lesson = first_lesson(docs_copy)
    lesson.write_text(lesson.read_text() + "\nSee [a lesson that does not exist](no-such-lesson.md).\n")
    result = mkdocs_build(docs_copy / "mkdocs.yml", docs_copy / "site")
    assert result.returncode != 0
    assert lesson.name in result.stderr and "no-such-lesson.md" in result.stderr


def test_unknown_figure_fails_the_build_with_file_and_line(docs_copy):
    lesson = first_lesson(docs_copy)
    lines = lesson.read_text().splitlines() + ["", "{{ figure: neuron/no_such_figure }}"]
    lesson.write_text("\n".join(lines) + "\n")
    result = mkdocs_build(docs_copy / "mkdocs.yml", docs_copy / "site")
    assert result.returncode != 0
    assert f"{lesson.name}:{len(lines)}: unknown figure 'neuron/no_such_figure'" in result.stderr


def test_failing_doctest_fails_the_suite_naming_the_file(tmp_path):
    (tmp_path / "conftest.py").write_text(
        f"from sitebuild.doctests import lesson_sybil\npytest_collect_file = lesson_sybil({str(tmp_path)!r}).pytest()\n"
    )
    (tmp_path / "lesson.md").write_text("# A lesson\n\n```pycon\n>>> print(1 + 1)\n3\n```\n")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:xdist", "-p", "no:cacheprovider", "-q", str(tmp_path)],
        capture_output=True, text=True, cwd=tmp_path,
    )
    assert result.returncode == 1
    assert "lesson.md::line:4" in result.stdout and "Expected:\n    3\nGot:\n    2" in result.stdout


def test_failing_lab_cell_names_the_file_and_line(tmp_path):
    lab = tmp_path / "broken_lab.py"
    lab.write_text("# %% [markdown]\n# A lab\n\n# %%\nx = 1\n\n# %%\nx / 0\n")
    with pytest.raises(labs.LabError, match=r"broken_lab\.py:7: lab cell 3 failed(.|\n)*ZeroDivisionError"):
        labs.executed_lab(lab)
    assert not labs.cached_path(lab).exists()


def test_figure_with_colliding_labels_stops_the_build(tmp_path):
    """The figure check runs in the build: text on text names the function and the texts."""
    from sitebuild import figures

    module = tmp_path / "crowded.py"
    module.write_text(
        "from sitebuild.figures import figure\n\n\n"
        "@figure(alt='Two labels on top of each other.')\n"
        "def crowded(theme):\n"
        "    import matplotlib.pyplot as plt\n\n"
        "    fig, ax = plt.subplots(figsize=(4, 3))\n"
        "    ax.text(0.5, 0.5, 'first label')\n"
        "    ax.text(0.52, 0.5, 'second label')\n"
        "    return fig\n")
    with pytest.raises(figures.FigureError, match=r"crowded\(\).*\n.*'first label' overlaps text 'second label'"):
        figures.render_module(module, tmp_path)


def test_small_text_is_enlarged_to_the_minimum_and_pngs_are_drawn_at_twice_their_size(tmp_path):
    import json

    from PIL import Image

    from sitebuild import figurecheck, figures

    module = tmp_path / "tiny.py"
    module.write_text(
        "from sitebuild.figures import figure\n\n\n"
        "@figure(alt='A wide plot with tiny tick labels.', format='png')\n"
        "def tiny(theme):\n"
        "    import matplotlib.pyplot as plt\n\n"
        "    fig, ax = plt.subplots(figsize=(12, 3))\n"
        "    ax.plot([0, 1, 2, 3, 4, 5, 6, 7], [3, 1, 4, 1, 5, 9, 2, 6])\n"
        "    ax.tick_params(labelsize=5)\n"
        "    ax.set_xlabel('epoch', fontsize=5)\n"
        "    return fig\n")
    (entry,) = figures.render_module(module, tmp_path)
    with Image.open(tmp_path / entry["files"]["light"]) as image:
        assert abs(image.width - 2 * entry["width"]) <= 1 and abs(image.height - 2 * entry["height"]) <= 1
    assert entry["width"] > figurecheck.COLUMN_PX  # shown scaled down: the text had to grow
    assert json.dumps(entry)  # the manifest entry is plain data
    import matplotlib
    matplotlib.use("Agg")
    spec = figures.load_specs(module)[0]
    with matplotlib.rc_context(figures.THEMES[0].rc):
        fig = spec.draw(figures.THEMES[0])
        assert figurecheck.smallest_text_px(fig, figures.PX_PER_INCH["png"]) < figurecheck.MIN_TEXT_PX
        assert not figurecheck.make_readable(fig, figures.PX_PER_INCH["png"])
        assert figurecheck.smallest_text_px(fig, figures.PX_PER_INCH["png"]) >= figurecheck.MIN_TEXT_PX
        ticks = [t.get_text() for t in fig.axes[0].get_xticklabels() if t.get_text()]
        assert ticks and all(t.lstrip("−-").isdigit() for t in ticks), ticks  # integer data, integer ticks


def test_api_pages_show_signatures_parameter_tables_and_typeset_math(site):
    """One page per nnlib module; on each, every public callable that takes parameters has its
    Parameters table, and no reST markup, placeholder text or raw TeX reaches the reader
    (the checks are in tests/apipages.py, each shown failing in tests/test_api_docs.py)."""
    pages = apipages.api_pages()
    modules = [p for p in (ROOT / "nnlib").rglob("*.py") if not p.name.startswith("_")]
    assert len(pages) == len(modules), f"{len(pages)} API pages for {len(modules)} modules"
    with_parameters = apipages.callables_with_parameters(apipages.load_nnlib())
    for module, page in sorted(pages.items()):
        html = (site / "api" / page / "index.html").read_text(encoding="utf-8")
        assert apipages.page_problems(html, with_parameters.get(module, [])) == [], page
        if "doc-class" in html or "doc-function" in html:
            assert "doc-signature" in html, f"{page}: no signatures"
    for page in ("layers-dense", "layers-recurrent", "losses", "optimizers", "layers-activations"):
        html = (site / "api" / page / "index.html").read_text(encoding="utf-8")
        assert apipages.MATH.search(apipages.article(html)), f"{page}: no formula typeset as math"


def test_every_public_nnlib_module_has_an_api_page_in_the_nav():
    modules = {".".join(path.relative_to(ROOT).with_suffix("").parts)
               for path in (ROOT / "nnlib").rglob("*.py")
               if not path.name.startswith("_")}
    pages = {}
    for page in (ROOT / "lessons" / "api").glob("*.md"):
        found = re.search(r"^::: (nnlib[\w.]*)$", page.read_text(), re.M)
        if found:
            pages[found.group(1)] = f"api/{page.name}"
    assert sorted(modules - set(pages)) == [], "nnlib modules without an API page in lessons/api/"
    nav = (ROOT / "mkdocs.yml").read_text()
    assert [page for page in pages.values() if page not in nav] == [], "API pages missing from the nav"
