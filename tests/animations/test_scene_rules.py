"""The rules every scene keeps, checked from the scene's own data (its steps and its layout), not pixels.

- Time to read: every step lasts at least 4 s and long enough for its caption at 3 words a second;
  a scene lasts 25 to 90 s.
- A safe area: at the end of every step, nothing is drawn in the bottom 20 % of the frame (captions
  and the player's controls sit there) or outside the frame, and no text is drawn on other text.
- Pause = doctest: every number a scene shows (on screen or in its captions) is printed by a doctest
  on the lesson page that embeds it.
- Math as math and one palette: no ASCII stand-ins for formulas (``w_out``, ``dL/dw``, ``x^2``) in
  what a scene shows, and no colour written anywhere but in ``animations/palette.py``.
"""

import importlib
import re
from functools import cache
from pathlib import Path

import pytest

from animations import SCENES, base, steps

ROOT = Path(__file__).resolve().parents[2]
LESSONS = ROOT / "lessons"
NUMBER = re.compile(r"[-−]?\d+\.\d+")
PRINTED = re.compile(r"[-−]?\d+\.\d*")  # NumPy prints 1.0 as "1." and 0.0 as "0."
STAND_INS = re.compile(r"[A-Za-z]_[A-Za-z0-9{(]"     # w_out, z_h, a_{1}
                       r"|\bd[A-Za-z]*/d[A-Za-z]"    # dL/dw11, dy/dx
                       r"|\^"                        # x^2
                       r"|\*"                        # 0.5 * x
                       r"|<-|->|\bsqrt\b|\bsigma\b|\beta\b|\balpha\b")


@cache
def played(name: str) -> base.StepScene:
    """The scene played once without rendering: its data, steps and per-step layout."""
    scene_class = getattr(importlib.import_module(f"animations.{SCENES[name]}"), name)
    return base.layout(scene_class)


def page_of(name: str) -> Path:
    pages = [page for page in sorted(LESSONS.glob("*.md")) if f"{{{{ animation: {name} }}}}" in page.read_text()]
    assert len(pages) == 1, f"{name} should be embedded on exactly one lesson page, found {pages}"
    return pages[0]


def doctest_output(page: Path) -> str:
    """The expected output of the page's doctests (the lines of its pycon blocks that are not code).

    The lessons' doctests check that this is what the code prints (pytest runs them)."""
    output, inside = [], False
    for line in page.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if stripped.startswith("```"):
            inside = stripped == "```pycon"
        elif inside and not stripped.startswith((">>>", "...")):
            output.append(stripped)
    return "\n".join(output)


def decimals(token: str) -> int:
    return len(token.split(".")[1]) if "." in token else 0


def printed(shown: str, output_numbers: list[str]) -> bool:
    """Whether the doctests print ``shown``: the same value, to at least the digits shown."""
    value, digits = float(shown.replace("−", "-")), decimals(shown)
    return any(float(t) == value or (decimals(t) >= digits and f"{float(t):.{digits}f}" == f"{value:.{digits}f}")
               for t in output_numbers)


def shown_texts(scene) -> list[str]:
    """Every caption and every ``Text`` on screen at the end of a step (tick labels excepted)."""
    texts = [step.text for step in scene.steps]
    texts += [piece.text for layout in scene.layout for piece in layout if piece.kind == "Text"]
    return texts


def test_printed_matches_the_digits_shown():
    assert printed("0.68", ["0.6792"]) and printed("−0.30", ["-0.3"]) and printed("0.1621", ["0.1621"])
    assert printed("0.000", ["0."]) and printed("0.530", ["0.53"])
    assert not printed("0.68", ["0.6"]) and not printed("−0.1315", ["0.1315"]) and not printed("0.67", ["0.6792"])


def test_doctest_output_skips_code():
    assert "0.597" in doctest_output(LESSONS / "07-backpropagation.md")
    assert "model.forward" not in doctest_output(LESSONS / "07-backpropagation.md")


@pytest.mark.parametrize("name", list(SCENES))
def test_steps_leave_time_to_read(name):
    scene_steps = played(name).steps
    for number, step in enumerate(scene_steps, start=1):
        need = max(steps.MIN_STEP_S, steps.words(step.text) / steps.WORDS_PER_S)
        assert step.duration >= need - 1e-9, f"{name} step {number}: {step.duration} s for {step.text!r}"
    assert 25 <= steps.total_duration(scene_steps) <= 90


def test_check_refuses_a_caption_read_too_fast():
    long = steps.Step(" ".join(["word"] * 30), 9.0)  # 30 words need 10 s
    with pytest.raises(ValueError, match="30 words need 10.0 s"):
        steps.check([long] + [steps.Step("A short step.", 4.0)] * 4)
    with pytest.raises(ValueError, match="25 to 90 s"):
        steps.check([steps.Step("A short step.", 4.0)] * 3)


@pytest.mark.parametrize("name", list(SCENES))
def test_nothing_in_the_bottom_band_or_outside_the_frame(name):
    scene = played(name)
    half_width = 8.0 * 16 / 9 / 2
    assert len(scene.layout) == len(scene.steps)
    for number, layout in enumerate(scene.layout, start=1):
        assert layout, f"{name} step {number} shows nothing"
        for piece in layout:
            left, bottom, right, top = piece.box
            where = f"{name} step {number}: {piece.kind} {piece.text!r} at {[round(v, 2) for v in piece.box]}"
            assert bottom >= base.SAFE_BOTTOM - 1e-6, f"in the bottom band (y < {base.SAFE_BOTTOM}): {where}"
            assert -half_width <= left and right <= half_width and top <= 4.0, f"outside the frame: {where}"


def overlapping(a: base.Piece, b: base.Piece, tolerance: float = 0.01) -> bool:
    (l1, b1, r1, t1), (l2, b2, r2, t2) = a.box, b.box
    return min(r1, r2) - max(l1, l2) > tolerance and min(t1, t2) - max(b1, b2) > tolerance


def test_overlap_sees_touching_labels():
    one = base.Piece("Text", "w", (0.0, 0.0, 1.0, 0.3))
    assert overlapping(one, base.Piece("TickLabel", "2", (0.9, 0.1, 1.2, 0.4)))
    assert not overlapping(one, base.Piece("TickLabel", "2", (1.05, 0.1, 1.2, 0.4)))


@pytest.mark.parametrize("name", list(SCENES))
def test_no_text_on_other_text(name):
    for number, layout in enumerate(played(name).layout, start=1):
        texts = [piece for piece in layout if piece.kind in ("Text", "TickLabel") and piece.text.strip()]
        clashes = [(a.text, b.text) for i, a in enumerate(texts) for b in texts[i + 1:] if overlapping(a, b)]
        assert not clashes, f"{name} step {number}: texts drawn on each other: {clashes}"


@pytest.mark.parametrize("name", list(SCENES))
def test_every_number_shown_is_printed_on_the_page(name):
    page = page_of(name)
    output_numbers = [t.replace("−", "-") for t in PRINTED.findall(doctest_output(page))]
    shown = sorted({token for text in shown_texts(played(name)) for token in NUMBER.findall(text)})
    assert shown, f"{name} shows no numbers?"
    missing = [token for token in shown if not printed(token, output_numbers)]
    assert not missing, f"{name} shows numbers that no doctest on {page.name} prints: {missing}"


@pytest.mark.parametrize("name", list(SCENES))
def test_math_is_set_as_math(name):
    for text in shown_texts(played(name)):
        assert not STAND_INS.search(text), f"{name}: an ASCII stand-in for math in {text!r}"


def test_stand_ins_are_caught():
    for text in ("w_out = 0.3", "dL/dw11", "x^2", "0.5 * x", "w <- w - lr", "sigma(z)"):
        assert STAND_INS.search(text), text
    for text in ("∂L/∂W⁽²⁾₁₁ = −0.1315", "a = σ(z)", "w₁·x₁", "W⁽²⁾₁₁ ← 0.6 − 0.5 × (−0.1315)"):
        assert not STAND_INS.search(text), text


def test_colours_are_only_in_the_palette():
    colour_constant = re.compile(r"\b(BLUE|RED|GREEN|YELLOW|ORANGE|PURPLE|PINK|TEAL|GOLD|GRAY|GREY|WHITE|BLACK)"
                                 r"(_[A-E])?\b|#[0-9A-Fa-f]{6}\b")
    package = Path(base.__file__).parent
    for module in sorted(package.glob("*.py")):
        if module.name == "palette.py":
            continue
        found = colour_constant.findall(module.read_text(encoding="utf-8"))
        assert not found, f"{module.name} writes colours itself ({found}); use animations.palette"
