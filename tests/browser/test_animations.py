"""Chapters under each video: real buttons, one per step with its caption, that seek the video to
their step from the keyboard as from the mouse, and mark the step on screen; and a player whose
control bar leaves the picture free."""


import pytest

import pagecheck

pytestmark = pytest.mark.browser

PAGES = pagecheck.pages()


def _html(page: str) -> str:
    return pagecheck.page_file(pagecheck.site_dir(), page).read_text(encoding="utf-8")


VIDEO_PAGES = [p for p in PAGES if "<video" in _html(p)]

CHAPTERS = """() => Array.from(document.querySelectorAll('.nnv-animation')).map(figure => ({
  src: figure.querySelector('video source').getAttribute('src'),
  track: figure.querySelector('video track').getAttribute('src'),
  buttons: Array.from(figure.querySelectorAll('.nnv-animation__chapters button')).map(b => ({
    tag: b.tagName, type: b.type, text: b.textContent.trim(), start: Number(b.dataset.start),
    end: Number(b.dataset.end), shown: b.getClientRects().length > 0})),
  transcript: figure.querySelectorAll('.nnv-animation__transcript li').length,
}))"""

CUES = """async (track) => (await (await fetch(track)).text())"""

READY = """async () => { const v = document.querySelector('.nnv-animation video');
  v.preload = 'auto'; v.load();
  await new Promise((ok, fail) => { if (v.readyState >= 1) ok(); v.addEventListener('loadedmetadata', ok);
    v.addEventListener('error', () => fail(new Error('video failed to load'))); }); }"""

STATE = """() => { const figure = document.querySelector('.nnv-animation');
  return {time: figure.querySelector('video').currentTime,
          current: Array.from(figure.querySelectorAll('.nnv-animation__chapter'))
                        .map((b, i) => b.getAttribute('aria-current') === 'step' ? i : -1).filter(i => i >= 0)}; }"""


def cue_texts(vtt: str) -> list[str]:
    return [block.split("\n", 2)[2] for block in vtt.strip().split("\n\n")[1:]]


def test_every_scene_is_on_a_page():
    assert len(VIDEO_PAGES) >= 8, f"videos found on {VIDEO_PAGES}"


@pytest.mark.parametrize("page_path", VIDEO_PAGES, ids=pagecheck.page_id)
def test_chapters_are_buttons_with_the_captions(page_path, context, base_url):
    page = context.new_page()
    page.goto(base_url + page_path)
    for figure in page.evaluate(CHAPTERS):
        buttons = figure["buttons"]
        assert buttons and all(b["tag"] == "BUTTON" and b["type"] == "button" and b["shown"] for b in buttons)
        cues = cue_texts(pagecheck.evaluate_async(page, CUES, figure["track"]))
        assert [b["text"].split(" ", 1)[1] for b in buttons] == cues, "each chapter shows its step's caption"
        assert [b["start"] for b in buttons][1:] == [b["end"] for b in buttons][:-1] and buttons[0]["start"] == 0
        assert figure["transcript"] == len(buttons), "the transcript stays"
    assert not context.external_requests


def test_keyboard_and_mouse_seek_to_a_step(context, base_url):
    page_path = next(p for p in VIDEO_PAGES if "07-backpropagation" in p)
    page = context.new_page()
    page.goto(base_url + page_path)
    pagecheck.evaluate_async(page, READY)
    buttons = page.locator(".nnv-animation__chapter")
    starts = [float(b) for b in buttons.evaluate_all("bs => bs.map(b => b.dataset.start)")]

    buttons.nth(2).focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => !document.querySelector('.nnv-animation video').seeking")
    state = page.evaluate(STATE)
    assert state["time"] == pytest.approx(starts[2], abs=0.05) and state["current"] == [2]

    page.keyboard.press("Shift+Tab")  # back to the second step's button, then Space presses it
    page.keyboard.press("Space")
    page.wait_for_function("() => !document.querySelector('.nnv-animation video').seeking")
    state = page.evaluate(STATE)
    assert state["time"] == pytest.approx(starts[1], abs=0.05) and state["current"] == [1]

    buttons.nth(len(starts) - 1).click()
    page.wait_for_function("() => !document.querySelector('.nnv-animation video').seeking")
    state = page.evaluate(STATE)
    assert state["time"] == pytest.approx(starts[-1], abs=0.05) and state["current"] == [len(starts) - 1]
    assert not context.external_requests


# Chromium's control bar (buttons and timeline) is about 48 CSS px tall at any width; it lies over
# the bottom of the video box, so the box must have at least that much below the picture.
CONTROL_BAR_PX = 48

FREE_STRIP = """() => Array.from(document.querySelectorAll('.nnv-animation video')).filter(v => v.getClientRects().length)
  .map(v => { const box = v.getBoundingClientRect(), style = getComputedStyle(v);
    const picture = Math.min(box.height, box.width * v.height / v.width);  // object-fit: contain, as wide as the box
    return {strip: box.height - picture, fit: style.objectFit, position: style.objectPosition}; })"""


@pytest.mark.parametrize("width", ["375", "1280"])
def test_the_control_bar_leaves_the_picture_free(width, browser, base_url):
    """The review found the control bar over the poster's last line (the scene's key equation) on a
    phone: each video box keeps a strip below its picture, drawn at the top, for the bar."""
    viewport = pagecheck.PHONE if width == "375" else pagecheck.DESKTOP
    context = pagecheck.new_context(browser, viewport=viewport)
    try:
        page = context.new_page()
        page.goto(base_url + next(p for p in VIDEO_PAGES if "07-backpropagation" in p))
        videos = page.evaluate(FREE_STRIP)
    finally:
        context.close()
    assert videos
    for video in videos:
        assert video["fit"] == "contain" and video["position"].endswith(" 0%"), video
        assert video["strip"] >= CONTROL_BAR_PX, f"only {video['strip']:.0f} px below the picture at {width} px"
