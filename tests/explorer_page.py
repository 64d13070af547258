"""Shared by the Explorer's tests: serve ``lessons/`` as it is (no site build) and open a page in
Debian's Chromium from which the in-page modules (``assets/javascripts/nn/*.js``) can be imported.
"""

import contextlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))

import pagecheck  # noqa: E402

MODULES = "assets/javascripts/nn/"


@contextlib.contextmanager
def module_page():
    """A Chromium page at the folder of the in-page modules: ``await import('./engine.js')`` works."""
    with pagecheck.SiteServer(ROOT / "lessons") as base:
        browser = pagecheck.launch_chromium(pagecheck.shared_playwright())
        try:
            context = pagecheck.new_context(browser)
            page = context.new_page()
            page.goto(base + MODULES + "engine.js")
            yield page
            assert context.external_requests == [], context.external_requests
        finally:
            browser.close()


def in_page(page, script: str, arg=None):
    """Await ``script``, the body of an async function of ``arg``, in the page."""
    return pagecheck.evaluate_async(page, f"async (arg) => {{ {script} }}", arg, timeout_ms=120_000)
