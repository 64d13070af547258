"""Lab pages made light and self-contained after mkdocs-jupyter renders them.

mkdocs-jupyter inlines nbconvert's JupyterLab stylesheet (about 0.6 MB, most of it for widgets
a static notebook never shows) into every lab page, embeds output images as base64, and
nbconvert's template adds loaders for MathJax 2, require.js and Mermaid from CDNs. For each lab
page :func:`rewrite_page`:

- removes those loaders (the site typesets math with its own KaTeX, see ``math.js``);
- puts a "Download the notebook (.ipynb)" button under the lab's title (mkdocs-jupyter copies
  the executed notebook beside the page);
- moves the inline ``<style>`` blocks out of the page; :func:`write` then saves them once, as
  ``assets/stylesheets/notebook.<hash>.css``, without the rules for classes no lab page uses
  and the custom properties nothing reads, and links every lab page to it;
- writes base64 output images to ``assets/notebooks/<hash>.<ext>`` and loads them lazily;
  a PNG plot gets a twin for the dark palette (:func:`sitebuild.labstyle.dark_twin`), each
  shown in its own palette like the lessons' figures, and, drawn at 2x, a copy at its displayed
  width for other screens (``srcset``);
- makes horizontally scrolling code cells reachable by keyboard (``tabindex="0"``).

>>> css = ".a{--x:1;--y:2;color:var(--x)} .jp-Unused .b{color:red} @media (x){.jp-Used{top:0}}"
>>> prune_css(css, {"jp-Used"})
'.a{--x:1;color:var(--x)}\\n@media (x){.jp-Used{top:0}}'
"""

from __future__ import annotations

import ast
import base64
import hashlib
import posixpath
import re
from pathlib import Path

from sitebuild import labstyle, retina

# nbconvert's loaders: MathJax 2 (config and an empty or CDN <script src>), require.js, Mermaid.
EXTERNAL_SCRIPT = re.compile(r"<script[^>]*\bsrc=\"(?:https?:)?//[^\"]*\"[^>]*>\s*</script>", re.S)
EMPTY_SCRIPT = re.compile(r"<script[^>]*\bsrc=\"\"[^>]*>\s*</script>", re.S)
MATHJAX_CONFIG = re.compile(r"<script type=\"text/x-mathjax-config\">.*?</script>", re.S)
MERMAID_LOADER = re.compile(r"<script type=\"module\">(?:(?!</script>).)*?mermaid(?:(?!</script>).)*</script>", re.S)
STYLE = re.compile(r"<style[^>]*>(.*?)</style>\s*", re.S)
DATA_IMAGE = re.compile(r"<img([^>]*?)\bsrc=\"data:image/(png|jpeg|gif|svg\+xml);base64,([A-Za-z0-9+/=\s]+)\"([^>]*)>")
# mkdocs-glightbox links every image to itself; a notebook output's link would carry its base64
# data a second time (and open the light twin in the dark palette), so lab plots keep no link.
DATA_IMAGE_LINK = re.compile(r"<a class=\"glightbox\"[^>]*\bhref=\"data:[^\"]*\"[^>]*>\s*(<img[^>]*>)\s*</a>", re.S)
CODE_CELL = re.compile(r"<div class=\"(highlight-ipynb[^\"]*)\">")
PALETTE_LINK = re.compile(r"<link rel=\"stylesheet\" href=\"[^\"]*assets/stylesheets/palette\.[^\"]*\.css\">")
CLASS_ATTRIBUTE = re.compile(r"\bclass=\"([^\"]*)\"")
# Classes of JupyterLab's widget toolkits: a selector that needs one no lab page has is dropped.
WIDGET_CLASS = re.compile(r"^(?:bp\d-|lm-|p-|jp-|CodeMirror|cm-)")
PLACEHOLDER = "notebook.@@nnv-notebook-css@@.css"
EXTENSIONS = {"png": "png", "jpeg": "jpg", "gif": "gif", "svg+xml": "svg"}

_styles: dict[str, None] = {}  # inline CSS blocks, in order of first appearance
_classes: set[str] = set()
_images: dict[str, bytes] = {}
_pages: list[Path] = []


def reset() -> None:
    for collection in (_styles, _classes, _images, _pages):
        collection.clear()


def _relative(page_url: str, target: str) -> str:
    return posixpath.relpath(target, posixpath.dirname(page_url) or ".") if page_url else target


def _css_text(block: str) -> str:
    """mkdocs-jupyter writes one block as a Python list of strings; turn it back into CSS."""
    text = block.strip()
    if text.startswith("[") and text.endswith("]"):
        try:
            return "\n".join(ast.literal_eval(text))
        except (ValueError, SyntaxError):
            pass
    return block


def download_button(notebook_name: str) -> str:
    """The lab page's download link for its notebook (which lies beside the page).

    >>> download_button("02-the-neuron.ipynb")
    '<p class="nnv-download-bar"><a class="md-button md-button--primary nnv-download" href="02-the-neuron.ipynb" download>Download the notebook (.ipynb)</a></p>'
    """
    return (f'<p class="nnv-download-bar"><a class="md-button md-button--primary nnv-download" '
            f'href="{notebook_name}" download>Download the notebook (.ipynb)</a></p>')


def rewrite_page(output: str, page_url: str, dest: Path, notebook_name: str) -> str:
    for pattern in (EXTERNAL_SCRIPT, EMPTY_SCRIPT, MATHJAX_CONFIG, MERMAID_LOADER):
        output = pattern.sub("", output)
    start = output.find("<article")
    end = output.find("</article>", start)
    if start < 0 or end < 0:
        return output
    article = output[start:end]
    for block in STYLE.findall(article):
        _styles.setdefault(_css_text(block), None)
    article = STYLE.sub("", article)
    title_end = article.find("</h1>")
    if title_end < 0:
        raise ValueError(f"lab page {page_url} has no title (# heading) to put its download button under")
    title_end += len("</h1>")
    article = article[:title_end] + download_button(notebook_name) + article[title_end:]

    def save(data: bytes, extension: str) -> str:
        name = f"{hashlib.sha256(data).hexdigest()[:16]}.{extension}"
        _images[name] = data
        return _relative(page_url, f"assets/notebooks/{name}")

    def extract(match):
        data = base64.b64decode("".join(match[3].split()))
        lazy = "" if "loading=" in (match[1] + match[4]) else ' loading="lazy"'
        if match[2] != "png":
            return f'<img{match[1]}{lazy} src="{save(data, EXTENSIONS[match[2]])}"{match[4]}>'
        width = re.search(r'\bwidth="(\d+)"', match[1] + match[4])
        tags = []
        for theme, png in (("light", data), ("dark", labstyle.dark_twin(data))):
            src = save(png, "png")
            if width:  # drawn at 2x (retina): a 1x copy for other screens, through srcset
                one_x = save(retina.scaled_png(png, int(width[1])), "png")
                tags.append(f'<img{match[1]}{lazy} src="{one_x}#only-{theme}" srcset="{one_x} 1x, {src} 2x"{match[4]}>')
            else:
                tags.append(f'<img{match[1]}{lazy} src="{src}#only-{theme}"{match[4]}>')
        return "".join(tags)

    article = DATA_IMAGE.sub(extract, DATA_IMAGE_LINK.sub(r"\1", article))
    article = CODE_CELL.sub(r'<div class="\1" tabindex="0">', article)
    output = output[:start] + article + output[end:]
    for names in CLASS_ATTRIBUTE.findall(output):
        _classes.update(names.split())
    link = f'<link rel="stylesheet" href="{_relative(page_url, "assets/stylesheets/" + PLACEHOLDER)}">'
    # after Material's stylesheets, before the site's own (extra_css), which may adjust it
    palette = PALETTE_LINK.search(output)
    at = palette.end() if palette else output.find("</head>")
    _pages.append(dest)
    return output[:at] + link + output[at:]


def write(site_dir: Path) -> None:
    """Write the shared notebook stylesheet and the extracted images; point the pages at them."""
    if not _pages:
        return
    css = prune_css("\n".join(_styles), _classes)
    name = f"notebook.{hashlib.sha256(css.encode()).hexdigest()[:10]}.css"
    (site_dir / "assets" / "stylesheets").mkdir(parents=True, exist_ok=True)
    (site_dir / "assets" / "stylesheets" / name).write_text(css, encoding="utf-8")
    if _images:
        (site_dir / "assets" / "notebooks").mkdir(parents=True, exist_ok=True)
        for image, data in _images.items():
            (site_dir / "assets" / "notebooks" / image).write_bytes(data)
    for page in _pages:
        if page.is_file():
            page.write_text(page.read_text(encoding="utf-8").replace(PLACEHOLDER, name), encoding="utf-8")


# -- a small CSS pruner ------------------------------------------------------------------------

def _scan(css: str, i: int, stops: str) -> int:
    """Index of the first character of ``stops`` at or after ``i``, outside strings and parentheses."""
    depth, quote = 0, None
    while i < len(css):
        c = css[i]
        if quote:
            if c == "\\":
                i += 1
            elif c == quote:
                quote = None
        elif c in "\"'":
            quote = c
        elif c == "(":
            depth += 1
        elif c == ")":
            depth = max(depth - 1, 0)
        elif depth == 0 and c in stops:
            return i
        i += 1
    return len(css)


def _block_end(css: str, i: int) -> int:
    """Index just past the '}' closing the block whose '{' is at ``i - 1``."""
    depth = 1
    while depth:
        i = _scan(css, i, "{}")
        if i >= len(css):
            return i
        depth += 1 if css[i] == "{" else -1
        i += 1
    return i


def _parse(css: str, i: int = 0) -> tuple[list, int]:
    """[(prelude, body)], body a str (declarations, or an opaque at-rule) or a nested list."""
    items = []
    while True:
        while i < len(css) and css[i].isspace():
            i += 1
        if i >= len(css):
            return items, i
        if css[i] == "}":
            return items, i + 1
        j = _scan(css, i, "{;}")
        if j >= len(css) or css[j] != "{":
            items.append((css[i:j].strip(), None))
            i = j + 1 if j < len(css) and css[j] == ";" else j
            continue
        prelude = css[i:j].strip()
        if re.match(r"@(media|supports|layer|container|document)\b", prelude):
            children, i = _parse(css, j + 1)
            items.append((prelude, children))
        else:
            end = _block_end(css, j + 1)
            items.append((prelude, css[j + 1:end - 1]))
            i = end


def _split(text: str, separator: str) -> list[str]:
    parts, i = [], 0
    while i <= len(text):
        j = _scan(text, i, separator)
        parts.append(text[i:j])
        i = j + 1
    return parts


def _selector_used(selector: str, classes: set[str]) -> bool:
    return all(name in classes for name in re.findall(r"\.(-?[_a-zA-Z][\w-]*)", selector)
               if WIDGET_CLASS.match(name))


def _prune_rules(items: list, classes: set[str]) -> list:
    kept = []
    for prelude, body in items:
        if isinstance(body, list):
            children = _prune_rules(body, classes)
            if children:
                kept.append((prelude, children))
        elif body is None or prelude.startswith("@"):
            kept.append((prelude, body))
        else:
            selectors = [s.strip() for s in _split(prelude, ",") if _selector_used(s, classes)]
            if selectors:
                kept.append((",".join(selectors), body))
    return kept


def _declarations(items: list):
    for prelude, body in items:
        if isinstance(body, list):
            yield from _declarations(body)
        elif body is not None:
            yield body


def _drop_unread_properties(items: list) -> list:
    """Remove custom property declarations (--x: ...) that no var(--x) reads, until none is left."""
    while True:
        text = "\n".join(_declarations(items))
        read = set(re.findall(r"var\(\s*(--[\w-]+)", text))
        changed = False

        def prune(items):
            nonlocal changed
            out = []
            for prelude, body in items:
                if isinstance(body, list):
                    out.append((prelude, prune(body)))
                elif body is None or prelude.startswith("@"):
                    out.append((prelude, body))
                else:
                    declarations = [d for d in _split(body, ";") if d.strip()]
                    kept = [d for d in declarations
                            if not d.strip().startswith("--") or d.split(":", 1)[0].strip() in read]
                    changed |= len(kept) != len(declarations)
                    if kept:
                        out.append((prelude, ";".join(d.strip() for d in kept)))
            return [(p, b) for p, b in out if not isinstance(b, list) or b]

        items = prune(items)
        if not changed:
            return items


def _serialize(items: list) -> str:
    out = []
    for prelude, body in items:
        if body is None:
            out.append(prelude + ";")
        elif isinstance(body, list):
            out.append(prelude + "{" + _serialize(body) + "}")
        else:
            out.append(prelude + "{" + body.strip() + "}")
    return "\n".join(out)


def prune_css(css: str, classes: set[str]) -> str:
    """``css`` without the rules whose selectors need widget classes absent from ``classes``
    and without the custom properties that nothing reads any more."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    items, _ = _parse(css)
    return _serialize(_drop_unread_properties(_prune_rules(items, classes)))
