"""MkDocs hooks: the lesson mechanics that Markdown alone cannot express.

- ``{{ figure: module/function }}`` on a line of its own shows a build-time figure
  (see :mod:`sitebuild.figures`) with its light and dark variants and its alt text.
- ``{{ animation: SceneName }}`` on a line of its own embeds a rendered animation
  (see the ``animations`` package).
- ``{{ quiz: name }}`` on a line of its own shows the questions of ``lessons/quizzes/<name>.py``
  (see :mod:`sitebuild.quiz`), checked in the page by ``assets/javascripts/quiz.js``.
- ``{{ widget: name }}`` on a line of its own places an interactive widget computed in the
  page (see :mod:`sitebuild.widgets`).
- Labs (``lessons/labs/*.py``) are executed once through :mod:`sitebuild.labs` and handed
  to mkdocs-jupyter already executed, so the site shows their outputs and offers the
  executed ``.ipynb`` as a download. Each lesson gets a box under its "In this lesson"
  summary that links its lab and the download (:func:`lab_box`).
- KaTeX is copied from Debian's ``libjs-katex`` into the site, so math needs no CDN.
- Lab pages lose nbconvert's CDN loaders and share one pruned notebook stylesheet
  (see :mod:`sitebuild.notebooks`); the search index leaves out code blocks
  (:mod:`sitebuild.searchindex`), since every page loads it.

A directive that names an unknown figure, animation or quiz stops the build with the lesson's
file and line.
"""

import html
import posixpath
import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

from sitebuild import benchmark_tables, figures, labs, notebooks, pdf, quiz, retina, searchindex, widgets
from buildcache.cache import display_path

KATEX_DIR = Path("/usr/share/javascript/katex")
KATEX_FILES = ("katex.min.js", "katex.min.css", "contrib/auto-render.js")
DIRECTIVE = re.compile(r"^(?P<indent>[ \t]*)\{\{\s*(?P<kind>[a-z]+):\s*(?P<name>[\w./-]+)\s*\}\}\s*$")

_figure_folders: dict[str, Path] = {}
_figure_entries: dict[str, dict] = {}  # "module/function": its manifest entry, with its 1x files


def _add(files: Files, config, src_uri: str, path: Path) -> None:
    files.append(File.generated(config, src_uri, abs_src_path=str(path.resolve())))


def _add_katex(files: Files, config) -> None:
    if not (KATEX_DIR / "katex.min.js").exists():
        raise PluginError(
            f"KaTeX not found in {KATEX_DIR}: install it with 'apt-get install libjs-katex' "
            "(make site does this when run as root)"
        )
    for name in KATEX_FILES:
        _add(files, config, f"assets/katex/{name}", KATEX_DIR / name)
    for font in sorted((KATEX_DIR / "fonts").iterdir()):
        _add(files, config, f"assets/katex/fonts/{font.name}", font)


def _add_figures(files: Files, config) -> None:
    try:
        folders = figures.build_all(Path(config.docs_dir) / "figures")
    except figures.FigureError as error:
        raise PluginError(f"figure failed: {error}") from None
    _figure_folders.clear()
    _figure_folders.update(folders)
    _figure_entries.clear()
    for module, folder in folders.items():
        for entry in figures.manifest(folder).values():
            for filename in [*entry["files"].values(), *entry["thumbnails"].values()]:
                _add(files, config, f"assets/figures/{module}/{filename}", folder / filename)
            if "width" in entry:  # a PNG at 2x: its copy at 1x for other screens
                entry["files_1x"] = {}
                for theme, filename in entry["files"].items():
                    small = retina.one_x_copy(folder / filename, (entry["width"], entry["height"]))
                    entry["files_1x"][theme] = f"{Path(filename).stem}.1x.png"
                    _add(files, config, f"assets/figures/{module}/{entry['files_1x'][theme]}", small)
            _figure_entries[f"{module}/{entry['name']}"] = entry


def _use_executed_labs(files: Files) -> None:
    """Point each lab page at its executed notebook (labs with a stale cache run now)."""
    pages = [f for f in files.documentation_pages() if f.src_uri.startswith("labs/") and f.src_uri.endswith(".py")]
    try:
        executed = labs.execute_all([Path(page.abs_src_path) for page in pages])
    except labs.LabError as error:
        raise PluginError(str(error)) from None
    for page in pages:
        page.abs_src_path = str(executed[Path(page.abs_src_path)])


def _add_animations(files: Files, config) -> None:
    """Copy every scene rendered at the site's quality to ``assets/animations/<Scene>/``."""
    from animations import embed

    for src_uri, path in embed.site_files().items():
        _add(files, config, src_uri, path)


def on_files(files: Files, config) -> Files:
    _add_katex(files, config)
    _add_figures(files, config)
    _add_animations(files, config)
    _add_benchmark_charts(files, config)
    if pdf.PDF_PATH.is_file():
        _add(files, config, pdf.PDF_PATH.name, pdf.PDF_PATH)
    _use_executed_labs(files)
    return files


def _relative(page, target: str) -> str:
    """URL of site file ``target`` relative to ``page`` (the site may live under a sub-path)."""
    return posixpath.relpath(target, posixpath.dirname(page.url) or ".") if page.url else target


def _figure_entry(name: str) -> tuple[str, dict]:
    module, _, function = name.partition("/")
    folder = _figure_folders.get(module)
    entries = figures.manifest(folder) if folder else {}
    if function not in entries:
        known = ", ".join(f"{module}/{f}" for f in entries) or "none"
        raise KeyError(f"unknown figure '{name}' (figures in lessons/figures/{module}.py: {known})")
    return module, _figure_entries.get(name, entries[function])


def render_figure(name: str, page) -> str:
    module, entry = _figure_entry(name)
    alt = html.escape(entry["alt"], quote=True)
    def url(filename: str) -> str:
        return _relative(page, f"assets/figures/{module}/{filename}")

    def img(theme: str, filename: str) -> str:
        if "files_1x" not in entry:  # SVG: one file for every screen
            return f'<img src="{url(filename)}#only-{theme}" alt="{alt}" loading="lazy">'
        one_x = url(entry["files_1x"][theme])
        # 1x and 2x through srcset; the lightbox (data-src) opens the 2x file
        return (f'<img src="{one_x}#only-{theme}" srcset="{one_x} 1x, {url(filename)} 2x" '
                f'data-src="{url(filename)}#only-{theme}" alt="{alt}" width="{entry["width"]}" '
                f'height="{entry["height"]}" loading="lazy">')

    images = "".join(img(theme, filename) for theme, filename in entry["files"].items())
    caption = f"<figcaption>{html.escape(entry['caption'])}</figcaption>" if entry["caption"] else ""
    return f'<figure class="nnv-figure">{images}{caption}</figure>'


def render_thumbnail(name: str, page) -> str:
    """A figure's small copy in both palettes (for the home page's lesson cards)."""
    module, entry = _figure_entry(name)
    alt = html.escape(entry["alt"], quote=True)
    return "".join(
        f'<img class="nnv-thumbnail" src="{_relative(page, f"assets/figures/{module}/{filename}")}#only-{theme}" '
        f'alt="{alt}" width="{figures.THUMBNAIL_PX // 2}" loading="lazy">'
        for theme, filename in entry["thumbnails"].items()
    )


STORYBOARD = re.compile(r'(<ol class="nnv-animation__storyboard"[^>]*>)(.*?)(</ol>)', re.S)
STILL = re.compile(r'(<li><img\b[^>]*\balt="([^"]*)"[^>]*>)</li>')


def step_texts_under_stills(video_html: str) -> str:
    """Each storyboard still with its step's text under it, for readers who see the storyboard
    (reduced motion, print); screen readers have it once, from the image's alt text.

    >>> step_texts_under_stills('<ol class="nnv-animation__storyboard"><li><img src="s.png" alt="Step 1: z = 0.75"></li></ol>')
    '<ol class="nnv-animation__storyboard"><li><img src="s.png" alt="Step 1: z = 0.75"><p class="nnv-animation__step" aria-hidden="true">Step 1: z = 0.75</p></li></ol>'
    """
    def stills(match: re.Match) -> str:
        items = STILL.sub(r'\1<p class="nnv-animation__step" aria-hidden="true">\2</p></li>', match[2])
        return match[1] + items + match[3]

    return STORYBOARD.sub(stills, video_html)


def render_animation(name: str, page) -> str:
    from animations import embed

    return step_texts_under_stills(embed.video_html(name, lambda target: _relative(page, target)))


def _add_benchmark_charts(files: Files, config) -> None:
    for name in benchmark_tables.result_names():
        if benchmark_tables.is_measurements(benchmark_tables.load(name)):
            continue  # named measurements (the Explorer's) are a table, not a chart of contenders
        for theme, path in benchmark_tables.charts(name).items():
            _add(files, config, f"assets/figures/benchmarks/{path.name}", path)


def render_benchmark(name: str, page) -> str:
    """A results file as a bar chart and a table; ``machine``: where and how all were measured."""
    if name == "machine":
        return benchmark_tables.machine_markdown()
    result = benchmark_tables.load(name)
    if benchmark_tables.is_measurements(result):
        return benchmark_tables.measurements_markdown(result)
    times = benchmark_tables.relative_times(result)
    alt = html.escape(f"Bar chart: best time of each contender in the {name} benchmark relative to PyTorch "
                      "on the CPU, lower is faster: "
                      + ", ".join(f"{benchmark_tables.NAMES.get(k, k)} {t:.2f}" for k, t in times.items()) + ".",
                      quote=True)
    images = "".join(
        f'<img src="{_relative(page, f"assets/figures/benchmarks/{name}-{theme}.svg")}#only-{theme}" alt="{alt}" loading="lazy">'
        for theme in ("light", "dark"))
    return f'<figure class="nnv-figure">{images}</figure>\n\n{benchmark_tables.table_markdown(result)}'


def render_quiz(name: str, page) -> str:
    return quiz.render(name)


def render_widget(name: str, page) -> str:
    return widgets.widget_html(name, lambda target: _relative(page, target))


def render_pdf(name: str, page) -> str:
    """A link to the book as one PDF, once ``make pdf`` has made it (else nothing)."""
    if name != "book":
        raise KeyError(f"unknown PDF '{name}' (known: book)")
    if not pdf.PDF_PATH.is_file():
        return ""
    size = pdf.PDF_PATH.stat().st_size / 1e6
    return (f'<p><a class="md-button md-button--primary nnv-pdf" href="{_relative(page, pdf.PDF_PATH.name)}" download>'
            f"The whole book as one PDF ({size:.0f} MB)</a></p>")


RENDERERS = {"figure": render_figure, "thumbnail": render_thumbnail, "animation": render_animation,
             "benchmark": render_benchmark, "pdf": render_pdf, "quiz": render_quiz, "widget": render_widget}


LESSON = re.compile(r"\d\d-[\w-]+\.md")


def lab_box(page) -> str:
    """The admonition that points a lesson's reader to its lab and the lab's notebook."""
    stem = Path(page.file.src_uri).stem
    download = _relative(page, f"labs/{stem}/{stem}.ipynb")
    return (f'!!! example nnv-lab "Lab: run this lesson yourself"\n'
            f"    The [lab for this lesson](labs/{stem}.py) is a notebook to change and rerun:\n"
            f"    read it on this site, or download it and run it in Jupyter.\n\n"
            f'    <a class="md-button md-button--primary nnv-download" href="{download}" download>'
            f"Download the notebook (.ipynb)</a>\n")


def add_lab_box(lines: list[str], page) -> list[str]:
    """``lines`` with :func:`lab_box` after the "In this lesson" admonition (else after the title)."""
    if not LESSON.fullmatch(page.file.src_uri):
        return lines
    lab = Path(page.file.abs_src_path).parent / "labs" / f"{Path(page.file.src_uri).stem}.py"
    if not lab.is_file():
        return lines
    at = next((i for i, line in enumerate(lines) if line.startswith("!!! abstract")), None)
    if at is None:
        at = next(i for i, line in enumerate(lines) if line.startswith("# "))
    at += 1
    while at < len(lines) and (not lines[at].strip() or lines[at].startswith(("    ", "\t"))):
        at += 1
    return lines[:at] + [lab_box(page), ""] + lines[at:]


def on_page_markdown(markdown: str, page, config, files) -> str:
    lines = markdown.split("\n")
    for number, line in enumerate(lines, start=1):
        match = DIRECTIVE.match(line)
        if not match:
            continue
        kind, name = match["kind"], match["name"]
        render = RENDERERS.get(kind)
        try:
            if render is None:
                raise KeyError(f"unknown directive '{kind}' (known: {', '.join(RENDERERS)})")
            lines[number - 1] = match["indent"] + render(name, page)
        except (KeyError, FileNotFoundError, ValueError) as error:
            message = error.args[0] if error.args else str(error)
            where = display_path(Path(page.file.abs_src_path))
            raise PluginError(f"{where}:{number}: {message}") from None
    return "\n".join(add_lab_box(lines, page))


# mkdocs-glightbox hands each page's content back as a whole document (<html><head></head><body>);
# the print page joins those, and mkdocs-print-site-plugin then puts its start-up script into
# every <head>, so its table of contents was built once per page. One document, one script.
PAGE_WRAPPER = re.compile(r"<html><head>.*?</head><body>|</body></html>", re.S)


def _unwrap_print_page(site_dir: Path) -> None:
    page = site_dir / "print_page" / "index.html"
    if page.is_file():
        page.write_text(PAGE_WRAPPER.sub("", page.read_text(encoding="utf-8")), encoding="utf-8")


def on_pre_build(config) -> None:
    notebooks.reset()


@event_priority(-100)
def on_post_page(output: str, page, config) -> str:
    if page.file.src_uri.startswith("labs/"):
        output = notebooks.rewrite_page(output, page.url, Path(page.file.abs_dest_path),
                                        Path(page.file.abs_src_path).name)
    return output


@event_priority(-100)  # after the search plugin has written its index
def on_post_build(config) -> None:
    notebooks.write(Path(config.site_dir))
    searchindex.slim(Path(config.site_dir))
    _unwrap_print_page(Path(config.site_dir))
