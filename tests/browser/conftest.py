"""Fixtures of the browser suite: the built site, served on 127.0.0.1 under /nn-visually/, and
Debian's Chromium driven by Playwright (never a downloaded browser).

The site is ``$NNV_SITE_DIR``, else ``site/`` (``make test`` builds it first), else a fresh
build, so ``pytest tests/browser`` works alone. Pages are discovered from the built site's HTML
files at collection time; each xdist worker runs its own server and browser, and each page is
visited once per worker (the ``visit`` fixture is module-scoped and parametrized by page, so
pytest orders the tests page by page).
"""

from pathlib import Path

import pytest

import pagecheck

@pytest.fixture(scope="session")
def site() -> Path:
    return pagecheck.site_dir()


@pytest.fixture(scope="session")
def base_url(site) -> str:
    with pagecheck.SiteServer(site) as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    browser = pagecheck.launch_chromium(pagecheck.shared_playwright())
    yield browser
    browser.close()


@pytest.fixture()
def context(browser):
    """A fresh context (light palette, desktop width) that refuses and records external requests."""
    context = pagecheck.new_context(browser)
    yield context
    context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    folder = pagecheck.ROOT / "test-artifacts"
    folder.mkdir(exist_ok=True)
    return folder
