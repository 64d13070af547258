"""The Explorer page in Chromium: every control, the address round trip, drawing your own data,
step-through mode, downloads, the inspector, bad input, divergence, reduced motion, axe and no
requests to other hosts. (Its arithmetic and its export are tested in tests/test_explorer_*.py.)"""

import json
import re
import subprocess
import sys

import pytest

import pagecheck

pytestmark = pytest.mark.browser


@pytest.fixture()
def explorer(context, base_url):
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.goto(base_url + "explorer/")
    page.locator("#nn-explorer .nn-panel").first.wait_for()
    yield page
    assert page.errors == []
    assert context.external_requests == []


def control(page, name):
    return page.locator(f'#nn-explorer [name="{name}"]')


def message(page, name) -> str:
    return page.locator(f'#{control(page, name).get_attribute("id")}-message').inner_text()


def stat(page, name) -> str:
    return page.locator(f'#nn-explorer dd[data-stat="{name}"]').inner_text()


def button(page, name):
    return page.locator("#nn-explorer").get_by_role("button", name=name, exact=True)


def hash_of(page) -> dict:
    return dict(part.split("=", 1) for part in page.url.split("#", 1)[1].split("&"))


def one_step(page):
    before = int(stat(page, "Steps"))
    button(page, "One step").click()
    assert int(stat(page, "Steps")) == before + 1


def test_every_control_sets_the_address_and_trains(explorer):
    page = explorer
    one_step(page)
    for dataset, losses in [("circles", 3), ("moons", 3), ("spirals2", 3), ("spirals3", 1), ("blobs", 1),
                            ("regression", 1), ("xor", 3)]:
        control(page, "dataset").select_option(dataset)
        assert hash_of(page)["dataset"] == dataset and stat(page, "Steps") == "0"
        assert control(page, "loss").locator("option").count() == losses, dataset
        one_step(page)
    for name, value in [("points", "120"), ("noise", "0.3"), ("train", "0.5"), ("seed", "7"), ("lr", "0.1"),
                        ("batch", "4"), ("l1", "0.001"), ("l2", "0.002"), ("layers", "3")]:
        control(page, name).fill(value)
        control(page, name).dispatch_event("change")
        assert hash_of(page)[name if name != "layers" else "hidden"] in (value, "4,4,4"), name
        one_step(page)
    control(page, "units2").fill("7")
    control(page, "units2").dispatch_event("change")
    assert hash_of(page)["hidden"] == "4,4,7"
    for name, values in [("activation", ["relu", "sigmoid", "leaky_relu", "linear", "tanh"]),
                         ("optimizer", ["sgd", "momentum", "adam"]), ("loss", ["mean_squared_error", "hinge"])]:
        for value in values:
            control(page, name).select_option(value)
            assert hash_of(page)[name] == value
            one_step(page)
    page.locator("#nn-feature-x1x2").check()
    assert hash_of(page)["features"] == "x1,x2,x1x2"
    one_step(page)
    assert page.locator("#nn-explorer .nn-node").count() == 3 + 4 + 4 + 7 + 1
    # play and pause, by keyboard
    button(page, "Play").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => Number(document.querySelector('#nn-explorer dd[data-stat=\"Steps\"]').textContent) > 20",
                           timeout=30_000)
    button(page, "Pause").press("Enter")
    assert int(stat(page, "Steps")) > 20
    button(page, "Reset").click()
    assert stat(page, "Steps") == "0"


def test_address_round_trip(explorer, context):
    page = explorer
    control(page, "dataset").select_option("spirals3")
    control(page, "activation").select_option("relu")
    control(page, "optimizer").select_option("momentum")
    control(page, "layers").fill("3")
    control(page, "layers").dispatch_event("change")
    control(page, "units1").fill("6")
    control(page, "units1").dispatch_event("change")
    for _ in range(5):
        one_step(page)
    loss = stat(page, "Training loss")
    other = context.new_page()
    other.goto(page.url)
    other.locator("#nn-explorer .nn-panel").first.wait_for()
    for name, value in [("dataset", "spirals3"), ("activation", "relu"), ("optimizer", "momentum"), ("layers", "3"),
                        ("units0", "4"), ("units1", "6"), ("units2", "4"), ("loss", "sparse_categorical_crossentropy")]:
        assert control(other, name).input_value() == value, name
    for _ in range(5):
        one_step(other)
    assert stat(other, "Training loss") == loss


def test_draw_your_own(explorer):
    page = explorer
    control(page, "dataset").select_option("draw")
    assert "no points" in message(page, "dataset")
    assert button(page, "Play").is_disabled()
    plot = page.locator("#nn-explorer .nn-plot")
    for x, y in [(60, 60), (80, 200), (120, 90)]:
        plot.click(position={"x": x, "y": y})
    assert "one class" in message(page, "dataset")
    control(page, "drawClass").select_option("1")
    plot.click(position={"x": 250, "y": 250})
    assert message(page, "dataset") == "" and not button(page, "Play").is_disabled()
    # the keyboard way: focus the plot, move the cross, press Enter
    plot.focus()
    for key in ("ArrowRight", "ArrowRight", "ArrowDown", "Enter"):
        page.keyboard.press(key)
    drawn = hash_of(page)["drawn"].split("%3B") if "%3B" in hash_of(page)["drawn"] else hash_of(page)["drawn"].split(";")
    assert len(drawn) == 5 and drawn[-1] == "0.2,-0.1,1"
    one_step(page)
    button(page, "Undo last point").click()
    button(page, "Undo last point").click()
    assert "one class" in message(page, "dataset")
    button(page, "Clear points").click()
    assert "no points" in message(page, "dataset")


def test_step_through_matches_one_step(explorer):
    page = explorer
    button(page, "One step").click()
    plain = page.locator("#nn-explorer .nn-code").input_value(), stat(page, "Training loss")
    button(page, "Reset").click()
    page.locator("#nn-step-through").check()
    texts = []
    for _ in range(3 + 1 + 3):  # forward through 3 layers, the loss, backward through 3, update
        button(page, "One step").click()
        texts.append(page.locator("#nn-explorer .nn-phase-text").inner_text())
        if texts[-1].startswith("Backward"):
            table = page.locator("#nn-explorer .nn-phase-table").inner_text()
            assert "δ = dL/dz" in table and "dW" in table and "z (first point)" in table
    assert [t.split(":")[0].split(" (")[0] for t in texts] == [
        "Forward through layer 1", "Forward through layer 2", "Forward through layer 3", "Loss computed",
        "Backward through layer 3", "Backward through layer 2", "Backward through layer 1"]
    button(page, "One step").click()
    assert page.locator("#nn-explorer .nn-phase-text").inner_text().startswith("Weights updated")
    assert stat(page, "Steps") == "1" and stat(page, "Training loss") == plain[1]
    assert page.locator("#nn-explorer .nn-code").input_value() == plain[0]


def test_inspector_shows_the_formula_with_numbers(explorer):
    page = explorer
    one_step(page)
    node = page.locator('#nn-explorer .nn-node[data-layer="1"][data-unit="0"]')
    node.focus()
    text = page.locator("#nn-explorer .nn-inspector").inner_text()
    assert "hidden layer 2, unit 1 (tanh)" in text and "dL/dw" in text
    assert re.search(r"z = \(\S+\)\(\S+\) \+ .* = \S+, a = \S+", text)
    page.locator('#nn-explorer .nn-node[data-layer="2"][data-unit="0"]').hover()
    assert "output, unit 1 (sigmoid)" in page.locator("#nn-explorer .nn-inspector").inner_text()
    # a weight, by hovering over the middle of its edge: from the last hidden unit to the output
    page.locator("#nn-explorer .nn-network").scroll_into_view_if_needed()
    start = page.locator('#nn-explorer .nn-node[data-layer="1"][data-unit="3"]').bounding_box()
    end = page.locator('#nn-explorer .nn-node[data-layer="2"][data-unit="0"]').bounding_box()
    page.mouse.move((start["x"] + start["width"] + end["x"]) / 2, (start["y"] + end["y"] + (start["height"] + end["height"]) / 2) / 2)
    text = page.locator("#nn-explorer .nn-inspector").inner_text()
    assert "The weight from hidden layer 2, unit 4 to output, unit 1: w = " in text and "dL/dw = " in text


def test_downloads_and_code(explorer, tmp_path):
    page = explorer
    for _ in range(3):
        one_step(page)
    with page.expect_download() as download:
        button(page, "Download weights (JSON)").click()
    weights = json.loads(open(download.value.path()).read())
    assert list(weights) == ["dense/W", "dense/b", "dense_1/W", "dense_1/b", "dense_2/W", "dense_2/b"]
    assert len(weights["dense/W"]) == 2 and len(weights["dense/W"][0]) == 4
    with page.expect_download() as download:
        button(page, "Download data (CSV)").click()
    lines = open(download.value.path()).read().splitlines()
    assert lines[0] == "x1,x2,label,split" and len(lines) == 1 + 200
    assert sum(line.endswith(",test") for line in lines) == 60
    button(page, "Copy as nnlib code").click()
    # copying waits on the clipboard (or its refusal): the message comes when that answers
    page.wait_for_function("() => document.querySelectorAll('#nn-explorer .nn-status')[1].textContent !== ''", timeout=30_000)
    code = page.locator("#nn-explorer .nn-code").input_value()
    assert "Sequential(" in code and "model.compile(" in code and "model.train_step(" in code
    # the script as the page shows it, run by Python, ends at the page's own training loss
    script = tmp_path / "copied.py"
    script.write_text(code, encoding="utf-8")
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    printed = float(re.search(r"^train loss (\S+)$", result.stdout, flags=re.M)[1])
    page_loss = page.evaluate("() => document.getElementById('nn-explorer').explorer.current.train.loss")
    assert abs(printed - page_loss) <= 1e-9 * abs(page_loss)


@pytest.mark.parametrize("name, value, expected", [
    ("lr", "0", "Learning rate"), ("lr", "100", "Learning rate"), ("batch", "0", "Batch size"),
    ("batch", "2.5", "Batch size"), ("layers", "5", "Hidden layers"), ("units0", "9", "Units"),
    ("points", "3", "Points"), ("l2", "-1", "L2"), ("seed", "1.5", "Random seed"), ("noise", "", "Noise"),
])
def test_bad_input_gets_a_message_next_to_the_control(explorer, name, value, expected):
    page = explorer
    control(page, name).fill(value)
    control(page, name).dispatch_event("change")
    assert message(page, name).startswith(expected)
    assert control(page, name).get_attribute("aria-invalid") == "true"
    assert button(page, "Play").is_disabled() and button(page, "One step").is_disabled()


def test_no_feature_and_divergence(explorer):
    page = explorer
    page.locator("#nn-feature-x1").uncheck()
    page.locator("#nn-feature-x2").uncheck()
    assert "at least one input feature" in page.locator("#nn-features-message").inner_text()
    page.locator("#nn-feature-x1").check()
    control(page, "dataset").select_option("regression")
    assert "does not suit this data set" in message(page, "loss")
    page.locator("#nn-feature-x2").check()
    assert "Left out for the 1-D regression" in page.locator("#nn-features-message").inner_text()
    control(page, "optimizer").select_option("sgd")
    control(page, "lr").fill("10")
    control(page, "lr").dispatch_event("change")
    button(page, "Play").click()
    status = page.locator("#nn-explorer .nn-status").first
    status.filter(has_text="Training stopped").wait_for(timeout=30_000)
    assert "training diverged at epoch" in status.inner_text() and "smaller learning rate" in status.inner_text()
    assert button(page, "Play").is_disabled()


def test_nothing_moves_by_itself_under_reduced_motion(browser, base_url):
    context = pagecheck.new_context(browser, reduced_motion="reduce")
    try:
        page = context.new_page()
        page.goto(base_url + "explorer/")
        page.wait_for_timeout(1000)
        assert stat(page, "Steps") == "0"
    finally:
        context.close()


def test_axe_while_training_drawing_and_stepping(explorer):
    page = explorer
    one_step(page)
    page.locator("#nn-step-through").check()
    button(page, "One step").click()
    page.locator('#nn-explorer .nn-node[data-layer="0"][data-unit="0"]').focus()
    control(page, "dataset").select_option("draw")
    violations = pagecheck.run_axe(page)
    assert [(v["id"], v["targets"]) for v in violations if v["impact"] in pagecheck.SEVERE_IMPACTS] == []


def test_phone_width_while_stepping_and_inspecting(explorer):
    """At 375 px nothing scrolls sideways, with step-through's table, the inspector and the code shown."""
    page = explorer
    page.set_viewport_size(pagecheck.PHONE)
    control(page, "layers").fill("4")
    control(page, "layers").dispatch_event("change")
    for i in range(4):
        control(page, f"units{i}").fill("8")
        control(page, f"units{i}").dispatch_event("change")
    page.locator("#nn-step-through").check()
    for _ in range(7):  # forward through 5 layers, the loss, then backward into the output layer
        button(page, "One step").click()
    page.locator('#nn-explorer .nn-node[data-layer="3"][data-unit="7"]').focus()
    for _ in range(2):
        button(page, "One step").click()
    assert "dW" in page.locator("#nn-explorer .nn-phase-table").inner_text()
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= pagecheck.PHONE["width"]
    wide = page.evaluate("""() => Array.from(document.querySelectorAll('#nn-explorer .nn-panel *'))
      .filter(e => e.getBoundingClientRect().right > e.closest('.nn-panel').getBoundingClientRect().right + 1
                   && !e.closest('.nn-network')).map(e => e.tagName + '.' + e.className)""")
    assert wide == []
