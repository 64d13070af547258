"""What a reader finds on the page, at a phone's and a desktop's width: the lab's notebook to
download, a lesson's way to its lab, figures that open large in their own palette, and code
whose copy button copies runnable code and never sits on it."""

import json
import re
import subprocess
import sys

import pytest

import pagecheck

pytestmark = pytest.mark.browser

PAGES = pagecheck.pages()
LESSONS = [p for p in PAGES if re.fullmatch(r"\d\d-[\w-]+/", p)]
LABS = [p for p in PAGES if re.fullmatch(r"labs/\d\d-[\w-]+/", p)]
WIDTHS = {"375": pagecheck.PHONE, "1280": pagecheck.DESKTOP}
IDS = pagecheck.page_id


def _html(page: str) -> str:
    return pagecheck.page_file(pagecheck.site_dir(), page).read_text(encoding="utf-8")


# Each link: its text, its address, whether it is in view across the page's width, and what the
# address serves (status and the start of the body).
LINKS = """async selector => Promise.all(Array.from(document.querySelectorAll(selector)).map(async a => {
  const r = a.getBoundingClientRect(), style = getComputedStyle(a);
  let status = 0, body = '';
  try { const response = await fetch(a.href); status = response.status; body = (await response.text()).slice(0, 200); } catch (e) {}
  return {text: a.textContent.trim(), href: a.getAttribute('href'), status, body,
          shown: r.width > 0 && r.height > 0 && style.visibility !== 'hidden' && r.left >= 0 && r.right <= innerWidth};
}))"""


def _links(browser, url: str, viewport: dict, selector: str) -> list[dict]:
    context = pagecheck.new_context(browser, viewport=viewport)
    try:
        page = context.new_page()
        page.goto(url)
        return pagecheck.evaluate_async(page, LINKS, selector)
    finally:
        context.close()


def _notebook_problems(link: dict, expected_name: str) -> list[str]:
    problems = []
    if not link["shown"]:
        problems.append(f"{link['href']}: the link is not in view")
    if not link["href"].endswith("/" + expected_name) and link["href"] != expected_name:
        problems.append(f"{link['href']}: not this page's notebook {expected_name}")
    if link["status"] != 200 or not link["body"].lstrip().startswith("{") or '"cells"' not in link["body"]:
        problems.append(f"{link['href']}: does not serve a notebook (HTTP {link['status']}: {link['body'][:60]!r})")
    return problems


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("page_path", LABS, ids=IDS)
def test_lab_page_has_a_download_button(page_path, width, browser, base_url):
    name = page_path.strip("/").split("/")[-1] + ".ipynb"
    buttons = _links(browser, base_url + page_path, WIDTHS[width], "a.nnv-download")
    assert [b["text"] for b in buttons] == ["Download the notebook (.ipynb)"], buttons
    problems = _notebook_problems(buttons[0], name)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("page_path", LESSONS, ids=IDS)
def test_lesson_links_its_lab_and_the_download(page_path, width, browser, base_url):
    stem = page_path.strip("/")
    links = _links(browser, base_url + page_path, WIDTHS[width], ".nnv-lab a")
    lab = [link for link in links if re.fullmatch(rf"(\.\./)?labs/{stem}/", link["href"])]
    downloads = [link for link in links if link["text"] == "Download the notebook (.ipynb)"]
    assert lab and lab[0]["status"] == 200 and lab[0]["shown"], f"no visible link to the lab in {links}"
    assert len(downloads) == 1, links
    problems = _notebook_problems(downloads[0], f"{stem}.ipynb")
    assert not problems, "\n".join(problems)


def test_the_notebook_checks_can_fail():
    good = {"text": "x", "href": "../labs/02-x/02-x.ipynb", "status": 200, "body": '{\n "cells": [', "shown": True}
    assert not _notebook_problems(good, "02-x.ipynb")
    assert _notebook_problems({**good, "shown": False}, "02-x.ipynb")
    assert _notebook_problems({**good, "status": 404}, "02-x.ipynb")
    assert _notebook_problems({**good, "body": "<!doctype html>"}, "02-x.ipynb")
    assert _notebook_problems(good, "03-y.ipynb")


# -- figures open large ------------------------------------------------------------------------

UNZOOMABLE = """() => Array.from(document.querySelectorAll('article img')).filter(img => {
  const link = img.closest('a.glightbox');
  return !link || link.getAttribute('href') !== (img.dataset.src || img.getAttribute('src'));
}).map(img => img.getAttribute('src'))"""


def image_pages() -> list[str]:
    return [p for p in PAGES if not p.startswith("labs/") and "<img" in _html(p).split("<article", 1)[-1]]


@pytest.mark.parametrize("page_path", image_pages(), ids=IDS)
def test_every_image_opens_large(page_path, context, base_url):
    page = context.new_page()
    page.goto(base_url + page_path)
    unzoomable = page.evaluate(UNZOOMABLE)
    assert not unzoomable, f"images that no click enlarges: {unzoomable}"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_clicked_figure_opens_large_in_its_own_palette(scheme, browser, base_url):
    page_path = next(p for p in PAGES if 'class="nnv-figure"' in _html(p))
    context = pagecheck.new_context(browser, viewport=pagecheck.PHONE, color_scheme=scheme)
    try:
        page = context.new_page()
        page.goto(base_url + page_path)
        figure = page.locator(f".nnv-figure img[src$='#only-{scheme}']").first
        figure.scroll_into_view_if_needed()
        in_page = figure.bounding_box()["width"]
        figure.click()
        shown = page.locator(".glightbox-container .gslide.current img")
        shown.wait_for(state="visible", timeout=5000)
        page.wait_for_timeout(800)  # the opening animation
        src, width = shown.get_attribute("src"), shown.bounding_box()["width"]
        assert f"-{scheme}." in src, f"the {scheme} page opened {src}"
        assert width > in_page, f"the opened figure is {width:.0f} px wide, {in_page:.0f} px in the page"
        page.keyboard.press("Escape")
        page.wait_for_selector(".glightbox-container", state="detached", timeout=5000)
    finally:
        context.close()


# -- code ----------------------------------------------------------------------------------------

COPY_BUTTONS_OVER_CODE = """() => {
  const overlaps = (r, b) => r.right > b.left && r.left < b.right && r.bottom > b.top && r.top < b.bottom;
  const covered = code => {
    const b = code.parentElement.querySelector('.md-code__nav, .md-clipboard').getBoundingClientRect();
    const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const range = document.createRange();
      range.selectNodeContents(node);
      if (node.textContent.trim() && Array.from(range.getClientRects()).some(r => overlaps(r, b))) return true;
    }
    return false;
  };
  return Array.from(document.querySelectorAll('article pre > code'))
    .filter(code => code.parentElement.querySelector('.md-code__nav, .md-clipboard') && code.getClientRects().length)
    .filter(covered).map(code => code.textContent.split('\\n')[0].slice(0, 60));
}"""


def _evaluate(browser, url: str, viewport: dict, script: str):
    """What ``script`` returns on the page at ``url`` seen at ``viewport``."""
    context = pagecheck.new_context(browser, viewport=viewport)
    try:
        page = context.new_page()
        page.goto(url)
        return page.evaluate(script)
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("page_path", LESSONS[:3] + LABS[:1], ids=IDS)
def test_copy_button_never_covers_code(page_path, width, browser, base_url):
    covered = _evaluate(browser, base_url + page_path, WIDTHS[width], COPY_BUTTONS_OVER_CODE)
    assert not covered, f"the copy button sits on the code of {len(covered)} block(s), e.g. {covered[:3]}"


SCROLLING_CODE = """() => Array.from(document.querySelectorAll('article pre > code'))
  .filter(code => code.getClientRects().length && code.scrollWidth > code.clientWidth + 1)
  .map(code => `${code.scrollWidth - code.clientWidth} px too wide: ` + code.textContent.split('\\n')
    .reduce((a, b) => (b.length > a.length ? b : a), '').slice(0, 70))"""


@pytest.mark.parametrize("page_path", LESSONS, ids=IDS)
def test_no_lesson_code_scrolls_sideways_on_a_desktop(page_path, browser, base_url):
    """Every line of lesson code (88 characters at most) fits its block at 1280 px."""
    scrolling = _evaluate(browser, base_url + page_path, pagecheck.DESKTOP, SCROLLING_CODE)
    assert not scrolling, f"{len(scrolling)} code block(s) scroll sideways at 1280 px: {scrolling[:3]}"


def test_copying_a_session_copies_code_that_runs(browser, base_url):
    """The copy button of the first doctest session with an import copies code without prompts
    or outputs, and Python runs it."""
    page_path = next(p for p in LESSONS if 'class="gp"' in _html(p))
    context = pagecheck.new_context(browser)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    try:
        page = context.new_page()
        page.goto(base_url + page_path)
        block = page.locator(".highlight:has(.gp)").filter(has_text="import").first
        block.hover()
        block.locator("button[data-md-type='copy'], .md-clipboard").first.click()
        page.wait_for_timeout(300)
        copied = page.evaluate("() => navigator.clipboard.readText()")
        shown = block.locator("code").inner_text()
    finally:
        context.close()
    assert ">>>" in shown and ">>>" not in copied and "..." not in copied.split("\n")[0], copied
    run = subprocess.run([sys.executable, "-c", copied], capture_output=True, text=True, cwd=pagecheck.ROOT, timeout=120)
    assert run.returncode == 0, f"the copied code fails:\n{copied}\n{run.stderr[-2000:]}"
    outputs = [line for line in shown.splitlines() if line and not line.startswith((">>>", "..."))]
    assert outputs and not any(line in copied.splitlines() for line in outputs if line.strip() not in (")", "]", "}"))
