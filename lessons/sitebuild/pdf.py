"""``make pdf``: the whole book as one printable PDF, ``pdf/nn-visually.pdf``.

The site is built once more with mkdocs-print-site-plugin switched on (``NNV_PRINT_SITE=true``):
it joins every lesson and reference page into one page, ``print_page/``, behind a table of
contents. This module opens that page in Debian's Chromium (through Playwright, as the browser
tests do), lets every lazily loaded figure and storyboard still arrive and the math typeset,
and prints it with the page number in each footer. Videos print as their storyboards (the
site's print stylesheet), one still per step with its text.

A later ``make site`` finds the PDF and the home page links it.

    python -m sitebuild.pdf SITE_DIR OUTPUT.pdf
"""

import sys
from pathlib import Path

from buildcache.cache import ROOT

PDF_PATH = ROOT / "pdf" / "nn-visually.pdf"
CHROMIUM = "/usr/bin/chromium"
FOOTER = ('<div style="font-size: 8px; width: 100%; text-align: center; color: #555;">'
          '<span class="pageNumber"></span> / <span class="totalPages"></span></div>')
# Every image loads now (the print page has hundreds), then the math: the page is ready.
READY = """async () => {
  const images = Array.from(document.images);
  images.forEach(img => { img.loading = 'eager'; });
  await Promise.all(images.map(img => img.complete ? null : new Promise(r => { img.onload = img.onerror = r; })));
  for (let i = 0; i < 600 && document.querySelector('.arithmatex:not(:has(.katex))'); i++) {
    await new Promise(r => setTimeout(r, 100));
  }
  await document.fonts.ready;
  return document.querySelectorAll('.arithmatex:not(:has(.katex))').length;
}"""


class PdfError(RuntimeError):
    """The print page is missing or did not render; the message says which and why."""


def print_site(site: Path, output: Path) -> Path:
    """Print ``site``'s ``print_page/`` to ``output``; return ``output``."""
    from playwright.sync_api import sync_playwright

    page_file = Path(site) / "print_page" / "index.html"
    if not page_file.is_file():
        raise PdfError(f"{page_file} not found: build the site with NNV_PRINT_SITE=true first (make pdf does)")
    output.parent.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 1400})
            page.emulate_media(media="print", reduced_motion="reduce")
            page.goto(page_file.resolve().as_uri(), wait_until="load", timeout=300_000)
            untypeset = page.wait_for_function(READY, timeout=300_000).json_value()
            if untypeset:
                raise PdfError(f"{untypeset} formulas were still not typeset after 60 s")
            page.pdf(path=str(output), format="A4", print_background=True, display_header_footer=True,
                     header_template="<span></span>", footer_template=FOOTER,
                     margin={"top": "14mm", "bottom": "16mm", "left": "12mm", "right": "12mm"})
        finally:
            browser.close()
    return output


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python -m sitebuild.pdf SITE_DIR OUTPUT.pdf")
    print(f"wrote {print_site(Path(sys.argv[1]), Path(sys.argv[2]))}")
