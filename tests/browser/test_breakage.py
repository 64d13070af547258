"""The browser checks can fail: break a temporary copy of the built site on purpose (a broken image,
a script from another host, a broken internal link in a lesson) and watch the same check
functions the suite runs on every page report each problem."""

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

import pagecheck

pytestmark = pytest.mark.browser


def _lesson(site) -> str:
    """The first lesson page (a page of the site with math in it), else the home page."""
    for page in pagecheck.pages():
        if re.match(r"\d\d-[\w-]+/$", page):
            return page
    return ""


@pytest.fixture(scope="module")
def broken(tmp_path_factory, site):
    """A copy of the site whose first lesson has a broken image, an external script and a broken
    link, served on its own port; and the untouched lesson's name."""
    copy = pagecheck.copy_site(site, tmp_path_factory.mktemp("broken") / "site")
    page = _lesson(site)
    file = pagecheck.page_file(copy, page)
    html = file.read_text(encoding="utf-8")
    sabotage = (
        '<p><img src="../assets/figures/no-such-figure.png" alt="A figure that is not there"></p>'
        '<script src="https://cdn.example.com/x.js"></script>'
        '<p><a href="../no-such-lesson/">a lesson that does not exist</a> and '
        '<a href="../glossary/#no-such-term">a term that does not exist</a></p>'
    )
    html = html.replace('<article class="md-content__inner md-typeset">',
                        '<article class="md-content__inner md-typeset">' + sabotage, 1)
    assert sabotage in html
    file.write_text(html, encoding="utf-8")
    with pagecheck.SiteServer(copy) as base:
        yield copy, base, page


@pytest.fixture(scope="module")
def broken_visit(broken, browser):
    copy, base, page = broken
    return pagecheck.visit(browser, base + page, axe=False)


def test_the_intact_site_passes_these_checks(site, base_url, browser):
    page = _lesson(site)
    visit = pagecheck.visit(browser, base_url + page, axe=False)
    found = (pagecheck.image_problems(visit) + pagecheck.external_request_problems(visit)
             + pagecheck.load_problems(visit) + pagecheck.link_problems(site, page))
    assert not [p for p in found if re.search("no-such|example.com", p)], found


def test_a_broken_image_fails(broken_visit):
    problems = pagecheck.image_problems(broken_visit)
    assert any("no-such-figure.png" in p and "did not load" in p for p in problems), problems
    assert any("no-such-figure.png" in p for p in pagecheck.load_problems(broken_visit))  # the 404


def test_an_external_script_fails(broken_visit):
    problems = pagecheck.external_request_problems(broken_visit)
    assert any("cdn.example.com/x.js" in p for p in problems), problems


def test_a_broken_link_fails(broken):
    copy, _, page = broken
    problems = pagecheck.link_problems(copy, page)
    assert any("no-such-figure.png" in p for p in problems), problems
    assert any("no-such-lesson" in p and "missing file" in p for p in problems), problems
    assert any("no-such-term" in p and "no id" in p for p in problems), problems


def test_more_breakage_fails(tmp_path, site, browser):
    """Raw math, an image without alt text, a page wider than a phone, an equation past its column
    and one cut off without a sign that it scrolls are caught too."""
    copy = pagecheck.copy_site(site, tmp_path / "site")
    file = pagecheck.page_file(copy, "")
    html = file.read_text(encoding="utf-8").replace(
        '<article class="md-content__inner md-typeset">',
        '<article class="md-content__inner md-typeset"><p>Raw: $$x^2$$</p>'
        '<img src="assets/images/favicon.png"><div style="width: 900px">wide</div>'
        '<span class="katex-display" style="overflow: visible"><span style="display: inline-block; width: 2000px">'
        'past</span></span><span class="katex-display" style="overflow: hidden"><span '
        'style="display: inline-block; width: 2000px">cut</span></span>', 1)
    file.write_text(html, encoding="utf-8")
    with pagecheck.SiteServer(copy) as base:
        visit = pagecheck.visit(browser, base, axe=False)
    assert any("$$" in p for p in pagecheck.math_problems(visit, html))
    assert any("without alt" in p for p in pagecheck.image_problems(visit))
    assert pagecheck.overflow_problems(visit)
    math = pagecheck.display_math_problems(visit)
    for where in ("1280 px, light", "1280 px, dark", "375 px, light", "375 px, dark"):
        assert any(p.startswith(where) and "past its column: 'past'" in p for p in math), math
        assert any(p.startswith(where) and "does not show that it scrolls: 'cut'" in p for p in math), math


def test_a_heavy_page_fails_its_weight_budget(tmp_path, site, browser):
    """The weight counts the bytes of every request that finished, a script's among them."""
    copy = pagecheck.copy_site(site, tmp_path / "site")
    (copy / "heavy.js").write_text("//" + "x" * pagecheck.WEIGHT_BUDGET, encoding="utf-8")
    file = pagecheck.page_file(copy, "")
    file.write_text(file.read_text(encoding="utf-8").replace(
        "</body>", '<script src="heavy.js"></script></body>', 1), encoding="utf-8")
    with pagecheck.SiteServer(copy) as base:
        visit = pagecheck.visit(browser, base, axe=False)
    assert visit.weights[base + "heavy.js"] == pagecheck.WEIGHT_BUDGET + 2
    assert any("heavy.js" in p for p in pagecheck.weight_problems(visit))


def test_an_in_page_wait_ends_with_its_value_or_a_timeout(context, base_url):
    page = context.new_page()
    page.goto(base_url)
    assert pagecheck.evaluate_async(page, "async x => x + 1", 41) == 42
    assert pagecheck.evaluate_async(page, "async () => 0") == 0  # a falsy value still ends the wait
    with pytest.raises(PlaywrightTimeoutError):
        pagecheck.evaluate_async(page, "() => new Promise(() => {})", timeout_ms=500)


def test_a_page_whose_timers_never_fire_fails_after_a_second_visit(tmp_path, site, browser, monkeypatch):
    """The scroll-through waits on the page's own timers; with them gone the visit stalls, is made
    once more with a warning, and then fails, instead of hanging until pytest-timeout."""
    copy = pagecheck.copy_site(site, tmp_path / "site")
    file = pagecheck.page_file(copy, "")
    file.write_text(file.read_text(encoding="utf-8").replace(
        "<head>", "<head><script>window.setTimeout = () => 0;</script>", 1), encoding="utf-8")
    monkeypatch.setattr(pagecheck, "IN_PAGE_TIMEOUT_MS", 1000)
    with pagecheck.SiteServer(copy) as base:
        with pytest.warns(UserWarning, match="stalled.*visiting it once more"):
            with pytest.raises(PlaywrightTimeoutError):
                pagecheck.visit(browser, base, axe=False)
