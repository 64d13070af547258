"""Site-wide behaviour in the browser: the dark palette, search, reduced motion, screenshots."""

import io
import re
from urllib.parse import urlsplit

import numpy as np
import pytest
from PIL import Image

import pagecheck

pytestmark = pytest.mark.browser

PAGES = pagecheck.pages()
LESSONS = [p for p in PAGES if re.match(r"\d\d-[\w-]+/$", p)]


def _html(page: str) -> str:
    return pagecheck.page_file(pagecheck.site_dir(), page).read_text(encoding="utf-8")


FIGURE_PAGES = [p for p in PAGES if 'class="nnv-figure"' in _html(p)]
VIDEO_PAGES = [p for p in PAGES if "<video" in _html(p)]
IDS = pagecheck.page_id
EAGER_IMAGES = """() => Promise.all(Array.from(document.images).filter(i => i.getClientRects().length).map(img => {
  img.loading = 'eager';
  return img.complete ? null : new Promise(r => { img.onload = img.onerror = r; setTimeout(r, 5000); });
}))"""


def _scheme(page) -> str:
    return page.evaluate("() => document.body.getAttribute('data-md-color-scheme')")


FIGURE_STATE = """() => Array.from(document.querySelectorAll('.nnv-figure img')).map(img => ({
  src: img.getAttribute('src'), variant: (img.getAttribute('src').match(/#only-(light|dark)/) || [])[1] || 'both',
  display: getComputedStyle(img).display, loaded: img.complete && img.naturalWidth > 0}))"""


def _luminance(rgb: np.ndarray) -> np.ndarray:
    c = rgb / 255.0
    c = np.where(c <= 0.03928, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return c @ np.array([0.2126, 0.7152, 0.0722])


def ink_share(png: bytes, background: tuple[int, int, int]) -> float:
    """Share of a figure's pixels that stand out from the page background by at least 3:1."""
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=float).reshape(-1, 3)
    lum, bg = _luminance(pixels), _luminance(np.array(background, dtype=float))
    contrast = (np.maximum(lum, bg) + 0.05) / (np.minimum(lum, bg) + 0.05)
    return float((contrast >= 3).mean())


def _background(page) -> tuple[int, int, int]:
    color = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    return tuple(int(x) for x in re.findall(r"\d+", color)[:3])


def _figure_problems(page, scheme: str) -> list[str]:
    pagecheck.evaluate_async(page, pagecheck.SCROLL_THROUGH)
    problems = []
    shown_variant = "light" if scheme == "default" else "dark"
    hidden_variant = "dark" if scheme == "default" else "light"
    background = _background(page)
    for index, img in enumerate(page.evaluate(FIGURE_STATE)):
        if img["variant"] == hidden_variant and img["display"] != "none":
            problems.append(f"{scheme}: {img['src']} is shown but belongs to the other palette")
        if img["variant"] in (shown_variant, "both"):
            if img["display"] == "none" or not img["loaded"]:
                problems.append(f"{scheme}: {img['src']} is not shown or did not load")
                continue
            shot = page.locator(".nnv-figure img").nth(index)
            shot.scroll_into_view_if_needed()
            share = ink_share(shot.screenshot(), background)
            if share < 0.01:
                problems.append(f"{scheme}: {img['src']} is hard to read on the page background "
                                f"{background}: only {share:.1%} of it contrasts 3:1")
    return problems


@pytest.mark.parametrize("page_path", FIGURE_PAGES[:2] or [""], ids=IDS)
def test_dark_mode_toggle_switches_palette_and_figures(page_path, browser, base_url):
    """Light by default; the header toggle switches to slate; each palette shows its own figure
    variant, readable on its background; axe finds nothing serious in the dark palette either."""
    context = pagecheck.new_context(browser, color_scheme="light")
    try:
        page = context.new_page()
        page.goto(base_url + page_path)
        assert _scheme(page) == "default"
        problems = _figure_problems(page, "default")
        page.locator("label[title='Switch to dark mode']:visible").click()
        page.wait_for_function("() => document.body.getAttribute('data-md-color-scheme') === 'slate'", timeout=5000)
        problems += _figure_problems(page, "slate")
        problems += [f"axe in dark mode, {v['impact']}: {v['id']} ({v['help']}) on {v['nodes']} element(s): {v['targets']}"
                     for v in pagecheck.run_axe(page) if v["impact"] in pagecheck.SEVERE_IMPACTS]
        page.reload()
        assert _scheme(page) == "slate", "the chosen palette is not remembered across pages"
        assert not context.external_requests
    finally:
        context.close()
    print(f"{IDS(page_path)}: {len(FIGURE_PAGES)} page(s) with figures in the site")
    assert not problems, "\n".join(problems)


def test_readability_check_can_fail():
    """A light-palette figure (dark ink) on the dark background does not pass as readable."""
    slate = (30, 33, 41)
    ink = Image.new("RGB", (100, 50), slate)
    for x in range(100):
        ink.putpixel((x, 25), (40, 40, 40))  # dark ink on a dark page: invisible
    buffer = io.BytesIO()
    ink.save(buffer, "PNG")
    assert ink_share(buffer.getvalue(), slate) < 0.01
    for x in range(100):
        for y in (10, 25, 40):
            ink.putpixel((x, y), (230, 230, 230))
    buffer = io.BytesIO()
    ink.save(buffer, "PNG")
    assert ink_share(buffer.getvalue(), slate) >= 0.01


# -- search ------------------------------------------------------------------------------------

# What readers search for, and the page (a slug substring) that must come up. A row whose page is
# not in the site yet is reported, not tested; once that page exists its row must pass.
REQUIRED_SEARCHES = [
    ("chain rule", "backprop"),
    ("dying ReLU", "activation"),
    ("weighted sum", "02-the-neuron"),
]


def _lesson_for(slug: str) -> str | None:
    return next((p for p in PAGES if slug in p and not p.startswith("labs/") and p.endswith("/")), None)


ACTIVE_SEARCHES = [(q, s) for q, s in REQUIRED_SEARCHES if _lesson_for(s)]


def search_ui(page, query: str) -> list[str]:
    """Type ``query`` into Material's search box as a reader would; the result pages' paths, in order."""
    box = page.locator("input.md-search__input")
    box.click()
    meta = page.locator(".md-search-result__meta")
    page.wait_for_function(  # the search worker has loaded the index
        "() => !/initializ/i.test(document.querySelector('.md-search-result__meta').textContent)", timeout=15000)
    box.press_sequentially(query, delay=20)
    page.wait_for_function(
        "() => /match/i.test(document.querySelector('.md-search-result__meta').textContent)", timeout=10000)
    page.wait_for_timeout(200)  # results render after the count
    hrefs = page.eval_on_selector_all(".md-search-result__item > .md-search-result__link", "links => links.map(a => a.href)")
    paths = []
    for href in hrefs:
        path = urlsplit(href).path
        if path not in paths:
            paths.append(path)
    assert meta.text_content()
    return paths


def test_search_table_is_tested_where_its_pages_exist():
    pending = [f"{q!r} → {s}" for q, s in REQUIRED_SEARCHES if (q, s) not in ACTIVE_SEARCHES]
    print(f"search rows tested: {len(ACTIVE_SEARCHES)}; waiting for their lesson: {', '.join(pending) or 'none'}")
    assert ("weighted sum", "02-the-neuron") in ACTIVE_SEARCHES
    for query, slug in REQUIRED_SEARCHES:
        assert ((query, slug) in ACTIVE_SEARCHES) == bool(_lesson_for(slug)), (query, slug)


@pytest.mark.parametrize("query,slug", ACTIVE_SEARCHES, ids=[q for q, _ in ACTIVE_SEARCHES])
def test_search_finds_the_lesson(query, slug, context, base_url):
    page = context.new_page()
    page.goto(base_url)
    results = search_ui(page, query)
    assert any(slug in path for path in results[:10]), f"search for {query!r} found {results[:10]}, not {slug}"
    assert not context.external_requests


# -- reduced motion ----------------------------------------------------------------------------

MOTION_STATE = """() => Array.from(document.querySelectorAll('video')).map(v => {
  const box = v.closest('figure') || v.parentElement;
  const frames = Array.from(box.querySelectorAll('img'));
  return {src: v.currentSrc || v.getAttribute('src'), video: v.getClientRects().length > 0,
          frames: frames.length, framesShown: frames.filter(i => i.getClientRects().length > 0).length,
          framesLoaded: frames.filter(i => i.getClientRects().length > 0 && i.complete && i.naturalWidth > 0).length};
})"""

SAMPLE_ANIMATION = """() => {
  const figure = document.createElement('figure');
  figure.className = 'nnv-animation';
  figure.innerHTML = '<video class="nnv-animation__video" controls preload="none"></video>' +
    '<ol class="nnv-animation__storyboard"><li><img alt="step" src="' +
    document.querySelector('link[rel=icon]').href + '"></li></ol>';
  document.querySelector('article').prepend(figure);
}"""


def _motion_problems(page, reduced: bool) -> tuple[int, list[str]]:
    pagecheck.evaluate_async(page, EAGER_IMAGES)  # storyboard frames load lazily; fetch the shown ones now
    problems = []
    videos = page.evaluate(MOTION_STATE)
    for v in videos:
        if reduced:
            if v["video"]:
                problems.append(f"reduced motion: the video {v['src']} is still shown")
            if not v["framesShown"] or v["framesLoaded"] < v["framesShown"]:
                problems.append(f"reduced motion: no storyboard shown (or it did not load) for {v['src']}")
        else:
            if not v["video"]:
                problems.append(f"the video {v['src']} is hidden without reduced motion")
            if v["framesShown"]:
                problems.append(f"the storyboard of {v['src']} is shown beside the video")
    return len(videos), problems


@pytest.mark.parametrize("reduced", [True, False], ids=["reduce", "no-preference"])
def test_storyboards_replace_videos_for_reduced_motion(reduced, browser, base_url):
    """Over every page with videos; with none in the site yet, over a sample animation placed in
    the home page (so the site's stylesheet is still checked)."""
    count, problems = 0, []
    for page_path in VIDEO_PAGES or [""]:
        context = pagecheck.new_context(browser, reduced_motion="reduce" if reduced else "no-preference")
        try:
            page = context.new_page()
            page.goto(base_url + page_path)
            if not VIDEO_PAGES:
                page.evaluate(SAMPLE_ANIMATION)
            n, found = _motion_problems(page, reduced)
            count += n
            problems += [f"{IDS(page_path)}: {p}" for p in found]
        finally:
            context.close()
    print(f"videos checked: {count} on {len(VIDEO_PAGES)} page(s)" + ("" if VIDEO_PAGES else " (sample animation)"))
    assert count >= 1
    assert not problems, "\n".join(problems)


# -- screenshots -------------------------------------------------------------------------------

SHOT_PAGES = [""] + LESSONS[:2]



@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("page_path", SHOT_PAGES, ids=IDS)
def test_screenshots(page_path, scheme, browser, base_url, artifacts):
    """Home and the first two lessons, light and dark, desktop and phone: test-artifacts/screenshots/."""
    folder = artifacts / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    name = IDS(page_path).replace("/", "_")
    for width, viewport in (("desktop", pagecheck.DESKTOP), ("phone", pagecheck.PHONE)):
        context = pagecheck.new_context(browser, viewport=viewport, color_scheme=scheme)
        try:
            page = context.new_page()
            page.goto(base_url + page_path)
            pagecheck.evaluate_async(page, EAGER_IMAGES)
            assert _scheme(page) == ("default" if scheme == "light" else "slate")
            path = folder / f"{name}-{scheme}-{width}.png"
            page.screenshot(path=str(path), full_page=True)
            assert path.stat().st_size > 10_000
        finally:
            context.close()
