"""The lesson widgets: each starts at its lesson's worked values and shows the numbers the
lesson's doctests print (read from the lesson itself), responds to its controls by keyboard,
respects reduced motion, passes axe and requests nothing from other hosts."""

import math
import re

import pytest

import pagecheck

pytestmark = pytest.mark.browser

LESSONS = pagecheck.ROOT / "lessons"


def doctest_output(lesson: str, pattern: str) -> re.Match:
    """The match of ``pattern`` in the lesson's text: the numbers its doctests print."""
    match = re.search(pattern, (LESSONS / lesson).read_text(encoding="utf-8"), flags=re.M)
    assert match, f"{lesson} no longer prints {pattern!r}"
    return match


def open_widget(context, base_url, page_path):
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(base_url + page_path)
    widget = page.locator(".nn-widget")
    widget.scroll_into_view_if_needed()
    page.errors = errors
    return page, widget


def finish(page, context):
    assert page.errors == []
    assert [v["id"] for v in pagecheck.run_axe(page) if v["impact"] in pagecheck.SEVERE_IMPACTS] == []
    assert context.external_requests == []


def readout(widget) -> str:
    return widget.locator(".nn-readout").inner_text()


def set_range(widget, label: str, value):
    widget.get_by_label(label, exact=True).fill(str(value))


def test_neuron(context, base_url):
    page, widget = open_widget(context, base_url, "02-the-neuron/")
    worked = doctest_output("02-the-neuron.md", r"^z = (\S+), a = sigmoid\(z\) = (\S+)$")
    text = readout(widget)
    assert f"= {worked[1]}\n" in text + "\n" and f"a = sigmoid(z) = {worked[2]}" in text
    # keyboard: one step of the w1 slider (0.05) to the right
    widget.get_by_label("w₁", exact=True).focus()
    page.keyboard.press("ArrowRight")
    z = 0.35 * 1.0 + 0.7 * 0.5 + 0.1
    assert f"= {z:.2f}" in readout(widget) and f"{1 / (1 + math.exp(-z)):.4f}" in readout(widget)
    finish(page, context)


def test_activation(context, base_url):
    page, widget = open_widget(context, base_url, "03-activation-functions/")
    row = doctest_output("03-activation-functions.md", r"^sigmoid +(\S+) +(\S+) +(\S+) +(\S+) +(\S+)$")
    start = re.search(r"a = (\S+)\n", readout(widget) + "\n")[1]
    assert f"{float(start):+.2f}" == row[4]  # the table's sigmoid at z = 0.5
    peak = doctest_output("03-activation-functions.md", r"^largest sigmoid slope: (\S+);")[1]
    set_range(widget, "z", 0)
    assert re.search(r"da/dz = .* = (\S+)", readout(widget))[1] == f"{float(peak):.4f}"
    widget.get_by_label("Activation", exact=True).select_option("tanh")
    assert "= 1.0000" in readout(widget)
    finish(page, context)


def test_descent(context, base_url):
    page, widget = open_widget(context, base_url, "08-gradient-descent/")
    start = doctest_output("08-gradient-descent.md", r"^loss at \(w, b\) = \(-1.5, 2.0\): (\S+)$")[1]
    grads = doctest_output("08-gradient-descent.md", r"^nnlib: dw = (\S+), db = (\S+)$")
    step = doctest_output("08-gradient-descent.md", r"^after one step: w = .* = (\S+), b = (\S+)$")
    text = readout(widget)
    assert f"loss {start};" in text and f"dw = {grads[1]}, db = {grads[2]}" in text
    assert f"w = {step[1]}, b = {step[2]}" in text
    set_range(widget, "Steps", 30)
    for lr, loss, w, b in re.findall(r"^learning rate (\S+) +loss +(\S+) +w = +(\S+), b = +(\S+)$",
                                     (LESSONS / "08-gradient-descent.md").read_text(), flags=re.M):
        set_range(widget, "Learning rate", lr)
        found = re.search(r"w = (\S+), b = (\S+); the last step's loss (\S+)", readout(widget))
        assert (f"{float(found[1]):.2f}", f"{float(found[2]):.2f}", found[3]) == (w, b, loss), lr
    finish(page, context)


def test_optimizer_race(context, base_url):
    page, widget = open_widget(context, base_url, "09-optimizers/")
    expected = re.findall(r"^(\w+) +f = (\S+), within 0.01 of the minimum: (\w+)$",
                          (LESSONS / "09-optimizers.md").read_text(), flags=re.M)
    assert len(expected) == 5
    rows = widget.locator("tr").all_inner_texts()[1:]
    for (name, f, arrived), row in zip(expected, rows):
        cells = row.split("\t")
        assert cells[0].startswith(name) and cells[1] == f, row
        assert cells[2] == ("never" if arrived == "never" else f"step {arrived}"), row
    # slide back to just before momentum arrives, by keyboard
    momentum_step = int(dict((n, a) for n, _, a in expected)["momentum"])
    set_range(widget, "Steps", momentum_step)
    widget.get_by_label("Steps", exact=True).focus()
    page.keyboard.press("ArrowLeft")
    assert "never" in widget.locator("tr").nth(2).inner_text()
    finish(page, context)


@pytest.mark.parametrize("reduced", [True, False], ids=["reduce", "no-preference"])
def test_race_moves_only_without_reduced_motion(reduced, browser, base_url):
    context = pagecheck.new_context(browser, reduced_motion="reduce" if reduced else "no-preference")
    try:
        page, widget = open_widget(context, base_url, "09-optimizers/")
        widget.get_by_role("button", name="Race from the start").click()
        steps = widget.get_by_label("Steps", exact=True)
        if reduced:
            page.wait_for_timeout(300)
            assert steps.input_value() == "300"
        else:  # the race restarts from step 0 and runs forward
            steps.element_handle().wait_for_element_state("stable")
            page.wait_for_function("input => input.value !== '300'", arg=steps.element_handle(), timeout=10_000)
    finally:
        context.close()


def test_xor_boundary_trains(browser, base_url):
    """Under reduced motion training jumps to its end; the numbers are lesson 11's."""
    context = pagecheck.new_context(browser, reduced_motion="reduce")
    try:
        page, widget = open_widget(context, base_url, "11-decision-boundaries/")
        accuracy = doctest_output("11-decision-boundaries.md", r"^single neuron (\S+), one hidden layer (\S+)$")
        corners = doctest_output("11-decision-boundaries.md", r"^corners: \S+ \S+ \S+ \S+ predicted: (\[.*\])$")[1]
        assert "Epoch 0 of 200" in readout(widget)
        widget.get_by_role("button", name="Train 200 epochs").click()
        assert f"Epoch 200 of 200: accuracy {accuracy[2]}" in readout(widget)
        assert f"predicted: {corners}" in readout(widget)
        widget.get_by_label("Network", exact=True).select_option("single")
        widget.get_by_role("button", name="Train 200 epochs").press("Enter")
        assert f"Epoch 200 of 200: accuracy {accuracy[1]}" in readout(widget)
        finish(page, context)
    finally:
        context.close()
