"""Every page of the built site, as a reader's browser gets it.

One test per page: one visit (desktop width, read through to the bottom, then narrowed to a
phone's width) feeds every check, and the failure lists each check's problems, so a page is
loaded once however xdist spreads the tests. The links check reads the built HTML, no browser.
"""

import pytest

import pagecheck

pytestmark = pytest.mark.browser

PAGES = pagecheck.pages()
IDS = [pagecheck.page_id(p) for p in PAGES]


def page_problems(visit: pagecheck.Visit, source_html: str) -> dict[str, list[str]]:
    """Every in-browser check on one visit, by name (the names are what a failure reports)."""
    return {
        "loads with status 200, no console errors, no failed requests": pagecheck.load_problems(visit),
        "requests nothing from other hosts": pagecheck.external_request_problems(visit),
        "math is typeset": pagecheck.math_problems(visit, source_html),
        "images have alt text and load": pagecheck.image_problems(visit),
        "videos have a poster, captions and metadata": pagecheck.video_problems(visit),
        "no horizontal scrolling at 375 px": pagecheck.overflow_problems(visit),
        "display math fits its column or visibly scrolls (375 and 1280 px, light and dark)":
            pagecheck.display_math_problems(visit),
        "axe: no critical or serious violations": pagecheck.axe_problems(visit),
        "code colours readable in both palettes": pagecheck.code_contrast_problems(visit),
        f"weight at most {pagecheck.WEIGHT_BUDGET / 1e6:.1f} MB": pagecheck.weight_problems(visit),
    }


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_page(page, browser, base_url, site, record_property):
    visit = pagecheck.visit(browser, base_url + page)
    source = pagecheck.page_file(site, page).read_text(encoding="utf-8")
    counts = pagecheck.axe_summary(visit)
    record_property("nnv_weight", (pagecheck.page_id(page), visit.weight))
    record_property("nnv_axe", (pagecheck.page_id(page), counts))
    print(f"{pagecheck.page_id(page)}: {visit.weight / 1e6:.2f} MB; axe: "
          + (", ".join(f"{n} {k}" for k, n in sorted(counts.items())) or "no violations")
          + "".join(f"\n  {v['impact']}: {v['id']} ×{v['nodes']}" for v in visit.axe)
          + (f"\n  math: {pagecheck.display_math_summary(visit)}" if pagecheck.display_math_summary(visit) else ""))
    failed = {check: found for check, found in page_problems(visit, source).items() if found}
    assert not failed, f"{pagecheck.page_id(page)}:\n" + "\n".join(
        f"- {check}:\n    " + "\n    ".join(found) for check, found in failed.items())


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_internal_links_and_anchors_resolve(page, site):
    problems = pagecheck.link_problems(site, page)
    assert not problems, f"{pagecheck.page_id(page)}:\n  " + "\n  ".join(problems)


def test_site_size(site, record_property):
    size = pagecheck.site_bytes(site)
    record_property("nnv_site", (str(site), size, len(PAGES)))
    print(f"site {site}: {size / 1e6:.1f} MB, {len(PAGES)} pages")
    assert len(PAGES) >= 2 and "" in PAGES
