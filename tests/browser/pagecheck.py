"""The browser suite's machinery: find the built site, serve it, visit a page, check what a reader gets.

Each ``*_problems`` function returns a list of human-readable problems (empty when the page is
fine). The suite asserts on them page by page, and ``test_breakage.py`` calls the same functions
on a deliberately broken copy of the site to show that they notice.
"""

from __future__ import annotations

import fcntl
import functools
import html.parser
import http.server
import mimetypes
import os
import posixpath
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

ROOT = Path(__file__).resolve().parents[2]
PREFIX = "/nn-visually/"  # the sub-path GitHub Pages serves a project site under
HOST = "127.0.0.1"
WEIGHT_BUDGET = 1_500_000  # bytes fetched while reading one page, video data excluded
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
SEVERE_IMPACTS = ("critical", "serious")
PALETTES = {"default": "light", "slate": "dark"}

for _type, _ext in (("video/mp4", ".mp4"), ("video/webm", ".webm"), ("text/vtt", ".vtt"),
                    ("font/woff2", ".woff2"), ("font/woff", ".woff"), ("font/ttf", ".ttf"),
                    ("text/javascript", ".mjs"), ("application/json", ".json"),
                    ("application/x-ipynb+json", ".ipynb"), ("image/svg+xml", ".svg")):
    mimetypes.add_type(_type, _ext)


# --------------------------------------------------------------------------------------------
# The site: where it is, which pages it has
# --------------------------------------------------------------------------------------------

def _build(site: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NNV_ANIMATION_QUALITY": "low"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(site)],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )
    if result.returncode != 0:
        raise RuntimeError(f"mkdocs build failed:\n{result.stderr[-3000:]}")


@functools.cache
def site_dir() -> Path:
    """The built site: $NNV_SITE_DIR, else ``site/`` (``make test`` builds it), else a fresh build.

    The fresh build is shared by the xdist workers of one run (a lock file, one folder per run).
    """
    if os.environ.get("NNV_SITE_DIR"):
        site = Path(os.environ["NNV_SITE_DIR"])
        if not (site / "index.html").is_file():
            raise RuntimeError(f"NNV_SITE_DIR={site} holds no built site (no index.html)")
        return site
    if (ROOT / "site" / "index.html").is_file():
        return ROOT / "site"
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID") or f"pid{os.getpid()}"
    site = Path(tempfile.gettempdir()) / f"nnv-browser-site-{run}"
    failed = Path(f"{site}.failed")
    with open(f"{site}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if failed.is_file():  # another worker of this run tried already
            raise RuntimeError(failed.read_text())
        if not (site / "index.html").is_file():
            try:
                _build(site)
            except RuntimeError as error:
                failed.write_text(str(error))
                raise
    return site


def is_redirect(file: Path) -> bool:
    """Whether ``file`` is a stub that mkdocs-redirects wrote for a moved page (not a page)."""
    return '<meta http-equiv="refresh"' in file.read_text(encoding="utf-8", errors="replace")[:1000]


def discover_pages(site: Path) -> list[str]:
    """Every HTML page of the site, as a path under the site's root ('' is the home page);
    the redirect stubs of moved pages are left out."""
    pages = []
    for file in sorted(site.rglob("*.html")):
        rel = file.relative_to(site).as_posix()
        if rel.startswith("assets/") or is_redirect(file):
            continue
        pages.append(rel[: -len("index.html")] if file.name == "index.html" else rel)
    return sorted(pages, key=lambda p: (p.count("/"), p))


@functools.cache
def pages() -> list[str]:
    """The pages of the site under test (discovered once per process)."""
    return discover_pages(site_dir())


def page_id(page: str) -> str:
    return page.rstrip("/") or "home"


def page_file(site: Path, page: str) -> Path:
    return site / (page + "index.html" if page == "" or page.endswith("/") else page)


def site_bytes(site: Path) -> int:
    return sum(f.stat().st_size for f in site.rglob("*") if f.is_file())


# --------------------------------------------------------------------------------------------
# Serving it: a threaded HTTP server with range requests, under the sub-path
# --------------------------------------------------------------------------------------------

RANGE = re.compile(r"bytes=(\d*)-(\d*)$")


class SiteHandler(http.server.BaseHTTPRequestHandler):
    """Serves ``site`` under PREFIX like a static host: index.html for folders, 404.html for
    missing files, and single byte ranges (206 + Content-Range) that video players ask for."""

    protocol_version = "HTTP/1.1"
    site: Path = Path(".")

    def log_message(self, format, *args):  # noqa: A002 - quiet
        pass

    def do_HEAD(self):
        self._serve(body=False)

    def do_GET(self):
        self._serve(body=True)

    def _send(self, status, headers, data, body):
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if body:
            self.wfile.write(data)

    def _not_found(self, body):
        page = self.site / "404.html"
        data = page.read_bytes() if page.is_file() else b"not found"
        self._send(404, {"Content-Type": "text/html; charset=utf-8"}, data, body)

    def _serve(self, body):
        path = unquote(urlsplit(self.path).path)
        if path + "/" == PREFIX:
            return self._send(301, {"Location": PREFIX}, b"", body)
        if not path.startswith(PREFIX):
            return self._not_found(body)
        target = (self.site / path[len(PREFIX):]).resolve()
        if target != self.site and self.site not in target.parents:
            return self._not_found(body)
        if target.is_dir():
            if not path.endswith("/"):
                return self._send(301, {"Location": path + "/"}, b"", body)
            target = target / "index.html"
        if not target.is_file():
            return self._not_found(body)
        data = target.read_bytes()
        ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if ctype.startswith("text/") or ctype in ("application/javascript", "application/json"):
            ctype += "; charset=utf-8"
        headers = {"Content-Type": ctype, "Accept-Ranges": "bytes", "Cache-Control": "no-cache"}
        wanted = self.headers.get("Range")
        if wanted:
            match = RANGE.match(wanted.strip())
            size = len(data)
            if match and (match[1] or match[2]):
                if match[1]:
                    start, end = int(match[1]), int(match[2]) if match[2] else size - 1
                else:  # suffix range: the last N bytes
                    start, end = max(size - int(match[2]), 0), size - 1
                end = min(end, size - 1)
                if start <= end:
                    headers["Content-Range"] = f"bytes {start}-{end}/{size}"
                    return self._send(206, headers, data[start:end + 1], body)
            headers = {"Content-Range": f"bytes */{size}"}
            return self._send(416, headers, b"", body)
        self._send(200, headers, data, body)


class SiteServer:
    """``with SiteServer(site) as base:`` serves ``site`` at ``base`` (http://127.0.0.1:PORT/nn-visually/)."""

    def __init__(self, site: Path):
        handler = type("Handler", (SiteHandler,), {"site": Path(site).resolve()})
        self.httpd = http.server.ThreadingHTTPServer((HOST, 0), handler)
        self.httpd.daemon_threads = True
        self.base = f"http://{HOST}:{self.httpd.server_address[1]}{PREFIX}"

    def __enter__(self) -> str:
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self.base

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


# --------------------------------------------------------------------------------------------
# Visiting a page in Chromium
# --------------------------------------------------------------------------------------------

@functools.cache
def shared_playwright():
    """One Playwright per process, shared by every suite that drives Chromium.

    Playwright's sync API runs its own event loop in the calling thread, so a second
    ``sync_playwright()`` started while the first is alive (the browser suite's session browser
    and the Explorer's module tests on one xdist worker) fails; both start browsers from this one.
    """
    import atexit

    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    atexit.register(playwright.stop)
    return playwright


def launch_chromium(playwright):
    """Debian's Chromium, headless; Playwright gives each launch a fresh temporary profile."""
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme not in ("http", "https", "ws", "wss") or parts.hostname == HOST


def new_context(browser, **options):
    """A browser context in which any request to another host is recorded and refused."""
    context = browser.new_context(viewport=options.pop("viewport", DESKTOP), **options)
    context.external_requests = []

    def refuse(route):
        context.external_requests.append(route.request.url)
        route.abort("blockedbyclient")

    context.route(lambda url: not is_local(url), refuse)
    return context


IN_PAGE_TIMEOUT_MS = 90_000  # the slowest in-page script, axe on the longest page, takes about 10 s


def evaluate_async(page, script: str, arg=None, timeout_ms: int | None = None):
    """Run the async ``script`` (a function returning a promise) in ``page`` and return what the
    promise resolves to, or raise Playwright's TimeoutError after ``timeout_ms``.

    ``page.evaluate`` has no timeout, so a renderer that stops running the page's timers leaves it
    waiting for ever (CI once spent all 600 s of a test inside the scroll-through).
    ``wait_for_function`` has one: it calls the function once and, a promise being truthy,
    adopts it as its result, however falsy the value it resolves to.
    """
    handle = page.wait_for_function(script, arg=arg, timeout=IN_PAGE_TIMEOUT_MS if timeout_ms is None else timeout_ms)
    try:
        return handle.json_value()
    finally:
        handle.dispose()


SCROLL_THROUGH = """async () => {
  const pause = ms => new Promise(r => setTimeout(r, ms));
  const el = document.scrollingElement;
  for (let y = 0; y < el.scrollHeight; y += Math.max(200, Math.floor(innerHeight * 0.8))) {
    window.scrollTo(0, y);
    await pause(30);
  }
  window.scrollTo(0, el.scrollHeight);
  await pause(60);
  const pending = Array.from(document.images).filter(i => !i.complete && i.getClientRects().length);
  await Promise.all(pending.map(i => new Promise(r => {
    i.addEventListener('load', r, {once: true}); i.addEventListener('error', r, {once: true});
    setTimeout(r, 5000);
  })));
  window.scrollTo(0, 0);
}"""

IMAGES = """() => Array.from(document.images).map(img => {
  const style = getComputedStyle(img), rect = img.getBoundingClientRect();
  return {
    src: img.getAttribute('src'), current: img.currentSrc, alt: img.getAttribute('alt'),
    role: img.getAttribute('role'), ariaHidden: img.closest('[aria-hidden="true"]') !== null,
    shown: img.getClientRects().length > 0 && rect.width > 0 && rect.height > 0 && style.visibility !== 'hidden',
    complete: img.complete, naturalWidth: img.naturalWidth,
  };
})"""

MATH = r"""() => {
  const body = document.body.cloneNode(true);
  body.querySelectorAll('pre, code, kbd, samp, script, style, textarea, .katex, .md-search, .highlight')
      .forEach(e => e.remove());
  const notebookText = Array.from(body.querySelectorAll('.jp-RenderedMarkdown, .jp-MarkdownOutput'))
      .map(e => e.textContent).join('\n');
  return {
    text: body.textContent,
    notebookText,
    arithmatex: document.querySelectorAll('.arithmatex').length,
    untypeset: Array.from(document.querySelectorAll('.arithmatex'))
        .filter(e => !e.querySelector('.katex')).map(e => e.textContent.slice(0, 80)),
    katex: document.querySelectorAll('.katex').length,
    errors: Array.from(document.querySelectorAll('.katex-error'))
        .map(e => e.getAttribute('title') || e.textContent.slice(0, 80)),
  };
}"""

VIDEOS = """async () => {
  const out = [];
  const wait = (target, events, ms) => new Promise(r => {
    events.forEach(e => target.addEventListener(e, r, {once: true})); setTimeout(r, ms);
  });
  for (const v of document.querySelectorAll('video')) {
    const info = {src: v.currentSrc || v.getAttribute('src') || (v.querySelector('source') || {}).src || null,
                  poster: v.getAttribute('poster'), posterLoads: false, captions: [], duration: null, error: null,
                  shown: v.getClientRects().length > 0};
    if (info.poster) {
      info.posterLoads = await new Promise(r => {
        const img = new Image();
        img.onload = () => r(img.naturalWidth > 0); img.onerror = () => r(false);
        setTimeout(() => r(false), 5000); img.src = v.poster;
      });
    }
    for (const t of v.querySelectorAll('track')) {
      const kind = t.getAttribute('kind') || 'subtitles';
      let loads = false;
      try { const r = await fetch(t.src, {signal: AbortSignal.timeout(10000)}); loads = r.ok && (await r.text()).startsWith('WEBVTT'); } catch (e) {}
      info.captions.push({kind, src: t.getAttribute('src'), loads});
    }
    if (v.readyState < 1) {
      v.preload = 'metadata';
      const done = wait(v, ['loadedmetadata', 'error'], 10000);
      v.load();
      await done;
    }
    info.duration = v.duration;
    info.error = v.error ? v.error.code + ' ' + (v.error.message || '') : null;
    out.push(info);
  }
  return out;
}"""

OVERFLOW = """() => {
  const el = document.scrollingElement, width = el.clientWidth, extent = el.scrollWidth;
  const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
      (typeof e.className === 'string' && e.className.trim() ? '.' + e.className.trim().split(/\\s+/).join('.') : '');
  const wide = [];
  if (extent > width) {
    for (const e of document.body.querySelectorAll('*')) {
      const r = e.getBoundingClientRect();
      if (r.width > 0 && Math.abs(r.right + scrollX - extent) < 2) {
        const chain = [];
        for (let p = e; p && p !== document.body && chain.length < 5; p = p.parentElement) chain.push(name(p));
        wide.push(chain.join(' < '));
        if (wide.length >= 3) break;
      }
    }
  }
  return {scrollWidth: extent, clientWidth: width, wide};
}"""


# Every display equation, at the current width: where it sits against its column, whether it
# fits its box, and if not, whether the box shows that it scrolls (math.js marks it, site.css
# draws the fades) and can be reached by keyboard.
DISPLAY_MATH = """() => Array.from(document.querySelectorAll('.katex-display')).filter(b => b.getClientRects().length).map(b => {
  const column = b.closest('article') || document.body, c = column.getBoundingClientRect(), style = getComputedStyle(b);
  // what the reader sees of it: the box, or its content too where the box lets it spill out
  const boxes = [b, ...(style.overflowX === 'visible' ? b.children : [])].map(e => e.getBoundingClientRect());
  const right = Math.max(...boxes.map(r => r.right)), left = Math.min(...boxes.map(r => r.left));
  return {tex: (b.querySelector('annotation') || b).textContent.slice(0, 60),
          pastColumn: Math.max(0, Math.round(right - c.right), Math.round(c.left - left)),
          overflow: b.scrollWidth - b.clientWidth, fontSize: b.style.fontSize || '1em',
          scrollsVisibly: b.classList.contains('nnv-math--scrolls') && /gradient/.test(style.backgroundImage)
                          && /auto|scroll/.test(style.overflowX) && b.getAttribute('tabindex') === '0'};
})"""


CODE_CONTRAST = """() => {
  const rgba = c => (c.match(/[\\d.]+/g) || []).map(Number);
  const over = (fg, bg) => fg.length > 3 && fg[3] < 1 ? [0, 1, 2].map(i => fg[i] * fg[3] + bg[i] * (1 - fg[3])) : fg.slice(0, 3);
  const background = e => {
    const layers = [];
    for (let p = e; p; p = p.parentElement) {
      const c = rgba(getComputedStyle(p).backgroundColor);
      if (c.length && (c.length === 3 || c[3] > 0)) { layers.push(c); if (c.length === 3 || c[3] >= 1) break; }
    }
    let bg = [255, 255, 255];
    for (const c of layers.reverse()) bg = over(c, bg);
    return bg;
  };
  const lum = c => 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
  const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  const seen = {};
  for (const e of document.querySelectorAll('pre *, pre')) {
    if (!Array.from(e.childNodes).some(n => n.nodeType === 3 && n.textContent.trim())) continue;
    if (!e.getClientRects().length) continue;
    const bg = background(e), fg = over(rgba(getComputedStyle(e).color), bg);
    const a = lum(fg), b = lum(bg), ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const key = fg.map(Math.round) + ' on ' + bg.map(Math.round);
    if (ratio < 4.5 && !(key in seen)) seen[key] = `${ratio.toFixed(2)}:1 for ${e.tagName.toLowerCase()}.${e.className} "${e.textContent.trim().slice(0, 20)}" (rgb ${key})`;
  }
  return Object.values(seen);
}"""

AXE_RUN = """async ([context, options]) => {
  const result = await axe.run(context === 'document' ? document : context, options);
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length,
      targets: v.nodes.slice(0, 3).map(n => n.target.join(', '))}));
}"""


def run_axe(page) -> list[dict]:
    """axe-core (as axe-playwright-python ships it): every rule on the whole page, except colour
    contrast, which skips code blocks: it is slow there, and code colours are checked by
    CODE_CONTRAST in both palettes instead."""
    from axe_playwright_python.sync_playwright import Axe

    page.evaluate(Axe().axe_script)
    options = {"resultTypes": ["violations"]}
    violations = evaluate_async(page, AXE_RUN, ["document", {**options, "rules": {"color-contrast": {"enabled": False}}}])
    violations += evaluate_async(page, AXE_RUN, [{"exclude": [["pre"]]}, {**options, "runOnly": {"type": "rule", "values": ["color-contrast"]}}])
    return violations


@dataclass
class Visit:
    """What one load of a page showed: everything the checks need."""

    url: str
    status: int | None = None
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)
    weight: int = 0
    weights: dict[str, int] = field(default_factory=dict)
    images: list[dict] = field(default_factory=list)
    math: dict = field(default_factory=dict)
    videos: list[dict] = field(default_factory=list)
    overflow: dict = field(default_factory=dict)
    axe: list[dict] = field(default_factory=list)
    code_contrast: dict[str, list[str]] = field(default_factory=dict)
    display_math: dict[str, list[dict]] = field(default_factory=dict)  # by "<width> px, <palette>"


def _response_size(response, finished: set) -> int:
    """The body's length in bytes; the header's word for a request that has not finished.

    Playwright's ``body()`` waits for the request to finish, which one the browser abandoned
    never does: reading it would hang the visit, so only finished requests are read.
    """
    if response.request in finished:
        try:
            return len(response.body())
        except Exception:  # redirects and evicted bodies: fall back on the header
            pass
    return int(response.headers.get("content-length", 0) or 0)


def visit(browser, url: str, *, axe: bool = True) -> Visit:
    """Load ``url`` at desktop width, read through it, run every in-browser check, then narrow to
    a phone's width. One fresh context (no cache, no stored palette) per visit.

    A visit that times out inside the page is made once more, in a fresh context, with a warning
    that names the page: headless Chromium has, rarely, stopped running one page's timers while
    the same page loads in seconds on the next try. A page that stalls twice fails.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    try:
        return _visit_once(browser, url, axe)
    except PlaywrightTimeoutError as stall:
        warnings.warn(f"{url}: the visit stalled ({stall.message.splitlines()[0]}); visiting it once more")
        return _visit_once(browser, url, axe)


def _visit_once(browser, url: str, axe: bool) -> Visit:
    result = Visit(url)
    context = new_context(browser)
    page = context.new_page()
    responses, finished = [], set()
    page.on("console", lambda m: m.type == "error" and result.console_errors.append(
        f"{m.text} ({m.location.get('url', '')}:{m.location.get('lineNumber', '')})"))
    page.on("pageerror", lambda e: result.console_errors.append(f"uncaught: {e}"))
    page.on("response", lambda r: responses.append(r))
    page.on("requestfinished", lambda r: finished.add(r))

    def failed(request):
        error = request.failure or ""
        # players cancel a media download once they have what they asked for (preload=metadata)
        if request.resource_type == "media" and "ERR_ABORTED" in error:
            return
        result.failed_requests.append(f"{request.url} ({error})")

    page.on("requestfailed", failed)
    try:
        response = page.goto(url, wait_until="load")
        result.status = response.status if response else None
        evaluate_async(page, SCROLL_THROUGH)
        page.wait_for_load_state("networkidle")  # lazy images, fonts, the search index
        for r in list(responses):
            if r.status >= 400:
                result.failed_requests.append(f"{r.url} (HTTP {r.status})")
            if r.request.resource_type == "media" or r.headers.get("content-type", "").startswith(("video/", "audio/")):
                continue
            if 300 <= r.status < 400:
                continue
            size = _response_size(r, finished)
            result.weights[r.url] = result.weights.get(r.url, 0) + size
        result.weight = sum(result.weights.values())
        result.images = page.evaluate(IMAGES)
        result.math = page.evaluate(MATH)
        result.videos = evaluate_async(page, VIDEOS)
        if axe:
            result.axe = run_axe(page)
        page.add_style_tag(content="*, *::before, *::after { transition: none !important; }")
        for scheme in ("default", "slate"):
            page.evaluate("s => document.body.setAttribute('data-md-color-scheme', s)", scheme)
            result.code_contrast[scheme] = page.evaluate(CODE_CONTRAST)
            result.display_math[f"{DESKTOP['width']} px, {PALETTES[scheme]}"] = page.evaluate(DISPLAY_MATH)
        page.set_viewport_size(PHONE)
        # two frames, so the narrow layout is painted; the timer ends the wait if frames stall
        evaluate_async(page, "() => new Promise(r => { requestAnimationFrame(() => requestAnimationFrame(r)); setTimeout(r, 2000); })")
        for scheme in ("slate", "default"):
            page.evaluate("s => document.body.setAttribute('data-md-color-scheme', s)", scheme)
            result.display_math[f"{PHONE['width']} px, {PALETTES[scheme]}"] = page.evaluate(DISPLAY_MATH)
        result.overflow = page.evaluate(OVERFLOW)
        page.wait_for_timeout(50)
    finally:
        result.external_requests = list(context.external_requests)
        context.close()
    return result


# --------------------------------------------------------------------------------------------
# The checks on a visit
# --------------------------------------------------------------------------------------------

def load_problems(v: Visit) -> list[str]:
    problems = [] if v.status == 200 else [f"status {v.status} for {v.url}"]
    problems += [f"console error: {e}" for e in v.console_errors]
    problems += [f"failed request: {r}" for r in v.failed_requests]
    return problems


def external_request_problems(v: Visit) -> list[str]:
    return [f"request to another host: {url}" for url in v.external_requests]


RAW_MATH = re.compile(r"\$\$|\\\(|\\\[")
RAW_INLINE_NOTEBOOK_MATH = re.compile(r"\$[^$\n]*[\\^_{}][^$\n]*\$")


def math_problems(v: Visit, source_html: str) -> list[str]:
    """Math typeset by KaTeX: every arithmatex block rendered, no KaTeX errors, no raw delimiters."""
    m = v.math
    problems = [f"math not typeset: {t!r}" for t in m["untypeset"]]
    problems += [f"KaTeX error: {e}" for e in m["errors"]]
    for match in RAW_MATH.finditer(m["text"]):
        context = m["text"][max(match.start() - 40, 0): match.end() + 40].replace("\n", " ")
        problems.append(f"raw math delimiter {match.group()!r} in the text: …{context}…")
    for match in RAW_INLINE_NOTEBOOK_MATH.finditer(m["notebookText"]):
        problems.append(f"raw $…$ math in notebook text: {match.group()[:80]!r}")
    if has_math(source_html) and m["katex"] == 0:
        problems.append("the page has math but no KaTeX output (.katex) is in it")
    return problems


def has_math(source_html: str) -> bool:
    """Whether the built HTML holds math for KaTeX (arithmatex spans or $ in notebook Markdown)."""
    if 'class="arithmatex"' in source_html:
        return True
    for block in re.findall(r'jp-RenderedMarkdown[^>]*>(.*?)</div>', source_html, re.S):
        if RAW_INLINE_NOTEBOOK_MATH.search(block) or "$$" in block:
            return True
    return False


def image_problems(v: Visit) -> list[str]:
    problems = []
    for img in v.images:
        name = img["src"] or img["current"]
        alt = img["alt"]
        if alt is None:
            problems.append(f"image without alt attribute: {name}")
        elif not alt.strip() and img["role"] not in ("presentation", "none") and not img["ariaHidden"]:
            problems.append(f"image with empty alt but not marked decorative (role=presentation): {name}")
        if img["shown"] and not (img["complete"] and img["naturalWidth"] > 0):
            problems.append(f"image shown to the reader did not load: {name}")
    return problems


def video_problems(v: Visit) -> list[str]:
    problems = []
    for video in v.videos:
        name = video["src"]
        if not video["poster"]:
            problems.append(f"video without poster: {name}")
        elif not video["posterLoads"]:
            problems.append(f"video poster does not load: {video['poster']}")
        captions = [t for t in video["captions"] if t["kind"] in ("captions", "subtitles")]
        if not captions:
            problems.append(f"video without a captions <track>: {name}")
        problems += [f"captions track does not load as WebVTT: {t['src']}" for t in captions if not t["loads"]]
        if not (video["duration"] and video["duration"] > 0):
            problems.append(f"video metadata did not load (duration {video['duration']}, error {video['error']}): {name}")
    return problems


def overflow_problems(v: Visit) -> list[str]:
    o = v.overflow
    if o["scrollWidth"] <= o["clientWidth"]:
        return []
    return [f"scrolls horizontally at {PHONE['width']} px: scrollWidth {o['scrollWidth']} > "
            f"clientWidth {o['clientWidth']}; too wide: {', '.join(o['wide']) or '?'}"]


def display_math_problems(v: Visit) -> list[str]:
    """No display equation reaches past its column, and each one fits its box or visibly scrolls."""
    problems = []
    for where, equations in v.display_math.items():
        for eq in equations:
            if eq["pastColumn"] > 1:
                problems.append(f"{where}: equation reaches {eq['pastColumn']} px past its column: {eq['tex']!r}")
            if eq["overflow"] > 1 and not eq["scrollsVisibly"]:
                problems.append(f"{where}: equation {eq['overflow']} px wider than its box, which does not "
                                f"show that it scrolls: {eq['tex']!r}")
    return problems


def display_math_summary(v: Visit) -> str:
    """How many equations were checked, and how many were shrunk or scroll, per width and palette."""
    return "; ".join(f"{where}: {len(eqs)} equations, {sum(e['fontSize'] != '1em' for e in eqs)} shrunk, "
                     f"{sum(e['overflow'] > 1 for e in eqs)} scroll" for where, eqs in v.display_math.items() if eqs)


def axe_summary(v: Visit) -> dict[str, int]:
    counts: dict[str, int] = {}
    for violation in v.axe:
        counts[violation["impact"] or "unknown"] = counts.get(violation["impact"] or "unknown", 0) + 1
    return counts


def axe_problems(v: Visit) -> list[str]:
    return [f"axe {x['impact']}: {x['id']} ({x['help']}) on {x['nodes']} element(s), e.g. {x['targets']}"
            for x in v.axe if x["impact"] in SEVERE_IMPACTS]


def code_contrast_problems(v: Visit) -> list[str]:
    return [f"code text below 4.5:1 contrast in the {'light' if scheme == 'default' else 'dark'} palette: {p}"
            for scheme, found in v.code_contrast.items() for p in found]


def weight_problems(v: Visit) -> list[str]:
    if v.weight <= WEIGHT_BUDGET:
        return []
    heaviest = sorted(v.weights.items(), key=lambda kv: -kv[1])[:5]
    listing = ", ".join(f"{urlsplit(u).path} {n / 1e3:.0f} kB" for u, n in heaviest)
    return [f"page weighs {v.weight / 1e6:.2f} MB > {WEIGHT_BUDGET / 1e6:.1f} MB; heaviest: {listing}"]


# --------------------------------------------------------------------------------------------
# Links and anchors, from the built HTML (no browser)
# --------------------------------------------------------------------------------------------

LINK_ATTRIBUTES = {
    "a": ("href",), "link": ("href",), "img": ("src",), "script": ("src",), "source": ("src",),
    "video": ("src", "poster"), "audio": ("src",), "track": ("src",), "iframe": ("src",),
}


class _Collector(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("id",) + (("name",) if tag == "a" else ()):
            if attrs.get(key):
                self.ids.add(attrs[key])
        if tag == "link" and attrs.get("rel") in ("canonical", "alternate"):
            return
        for attribute in LINK_ATTRIBUTES.get(tag, ()):
            value = attrs.get(attribute)
            if value is not None:
                self.links.append((tag, attribute, value))


_parsed: dict[Path, _Collector] = {}


def _parse(file: Path) -> _Collector:
    key = file.resolve()
    if key not in _parsed:
        collector = _Collector()
        collector.feed(file.read_text(encoding="utf-8", errors="replace"))
        _parsed[key] = collector
    return _parsed[key]


def link_problems(site: Path, page: str) -> list[str]:
    """Every internal link, image, script and stylesheet of ``page`` points at a file of the site,
    and every ``#anchor`` at an id on the target page."""
    site = Path(site)
    here = PREFIX + page
    collector = _parse(page_file(site, page))
    problems, seen = [], set()
    for tag, attribute, value in collector.links:
        value = value.strip()
        if (tag, attribute, value) in seen or not value:
            continue
        seen.add((tag, attribute, value))
        parts = urlsplit(value)
        if parts.scheme in ("mailto", "tel", "javascript", "data", "blob"):
            continue
        if parts.scheme or parts.netloc:
            continue  # links to other sites are not fetched by the page (external requests are checked in the browser)
        absolute = urlsplit(urljoin("http://site" + here, value))
        path = unquote(absolute.path)
        where = f"<{tag} {attribute}={value!r}>"
        if not path.startswith(PREFIX):
            problems.append(f"{where} leaves the site's sub-path {PREFIX}")
            continue
        target = site / posixpath.normpath(path[len(PREFIX):]).lstrip("/") if path != PREFIX else site
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            problems.append(f"{where} points at a missing file ({path})")
            continue
        fragment = unquote(absolute.fragment)
        if fragment and target.suffix == ".html" and tag == "a":
            if fragment not in _parse(target).ids:
                problems.append(f"{where}: no id {fragment!r} on {path}")
    return problems


def copy_site(site: Path, destination: Path) -> Path:
    shutil.copytree(site, destination)
    return destination
