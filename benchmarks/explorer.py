"""The Explorer in headless Chromium: training speed, drawing speed and code size.

``python -m benchmarks.explorer`` opens the built site's Explorer (``$NNV_SITE_DIR`` or
``site/``, built if missing) at a 2-8-8-1 network (tanh, Adam) on 500 circles points, all for
training, batch size 10, and measures

- steps per second with the drawing paused: ``trainSteps(n)``, the loop Play runs, timed alone;
- frames per second while training: Play for a few seconds, counting the frames it drew;
- the page's own code: the bytes of ``lessons/assets/javascripts/nn/`` (no vendored library).

Targets (issue 19): at least 2,000 steps/s, at least 30 frames/s, under 150 KB. Writes
``benchmarks/results/explorer.json``; the performance page shows it with ``{{ benchmark: explorer }}``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
from pathlib import Path

from benchmarks import common

ROOT = Path(__file__).resolve().parents[1]
CODE_DIR = ROOT / "lessons" / "assets" / "javascripts" / "nn"
SETUP = "#dataset=circles&points=500&train=1&hidden=8,8&activation=tanh&optimizer=adam&lr=0.03&batch=10&seed=0"
TARGETS = {"steps_per_s": (">=", 2000), "frames_per_s": (">=", 30), "code_kib": ("<", 150)}

MEASURE = """async ([steps, rounds, seconds]) => {
  const explorer = document.getElementById('nn-explorer').explorer;
  const stepTimes = [];
  for (let r = 0; r < rounds; r++) {
    const start = performance.now();
    explorer.trainSteps(steps);
    stepTimes.push((performance.now() - start) / 1000);
  }
  const frames0 = explorer.frames, start = performance.now();
  explorer.play();
  await new Promise((done) => setTimeout(done, seconds * 1000));
  explorer.pause();
  const fps = (explorer.frames - frames0) / ((performance.now() - start) / 1000);
  return { stepTimes, fps, layers: explorer.run.model.layers.map((l) => [l.nIn, l.units]) };
}"""


def code_bytes() -> dict[str, int]:
    return {path.name: path.stat().st_size for path in sorted(CODE_DIR.iterdir()) if path.is_file()}


def measure(steps: int, rounds: int, seconds: float) -> dict:
    sys.path.insert(0, str(ROOT / "tests" / "browser"))
    import pagecheck
    from playwright.sync_api import sync_playwright

    site = pagecheck.site_dir()
    with pagecheck.SiteServer(site) as base, sync_playwright() as playwright:
        browser = pagecheck.launch_chromium(playwright)
        try:
            context = pagecheck.new_context(browser)
            page = context.new_page()
            page.goto(base + "explorer/" + SETUP)
            page.locator("#nn-explorer .nn-panel").first.wait_for()
            page.evaluate("() => document.getElementById('nn-explorer').explorer.trainSteps(500)")  # warm-up
            # page.evaluate, not pagecheck.evaluate_async: the latter's wait_for_function polls on
            # every animation frame, which costs the very frames being counted
            measured = page.evaluate(MEASURE, [steps, rounds, seconds])
            measured["chromium"] = browser.version
        finally:
            browser.close()
    return measured


def run(args) -> dict:
    load_before = os.getloadavg()
    measured = measure(args.steps, args.rounds, args.seconds)
    sizes = code_bytes()
    values = {
        "steps_per_s": args.steps / min(measured["stepTimes"]),
        "frames_per_s": measured["fps"],
        "code_kib": sum(sizes.values()) / 1024,
    }
    checks = {name: (value >= target if op == ">=" else value < target)
              for name, value in values.items() for op, target in [TARGETS[name]]}
    return {
        "benchmark": "explorer",
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "config": {"setup": SETUP, "network": measured["layers"], "steps": args.steps, "rounds": args.rounds,
                   "play_seconds": args.seconds},
        "measurements": values,
        "step_times_s": measured["stepTimes"],
        "code_bytes": sizes,
        "targets": {name: {"op": op, "value": target, "met": checks[name]} for name, (op, target) in TARGETS.items()},
        "machine": common.machine(),
        "versions": {**common.versions(), "chromium": measured["chromium"]},
        "load_average": {"before": list(load_before), "after": list(os.getloadavg())},
    }


def format_table(report: dict) -> str:
    lines = [f"{'measurement':<14} {'value':>10} {'target':>10} met"]
    for name, value in report["measurements"].items():
        target = report["targets"][name]
        lines.append(f"{name:<14} {value:>10.1f} {target['op'] + ' ' + str(target['value']):>10} {'yes' if target['met'] else 'NO'}")
    lines.append(f"load average before: {report['load_average']['before'][0]:.1f} on {report['machine']['cpu_count']} cores")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.explorer", description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=20_000, help="training steps per timed round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=5.0, help="how long to play while counting frames")
    parser.add_argument("--output", type=Path, default=common.RESULTS_DIR / "explorer.json")
    parser.add_argument("--no-save", action="store_true")
    args, _ = parser.parse_known_args(argv)  # python -m benchmarks passes every benchmark the same options
    report = run(args)
    print(format_table(report))
    if not args.no_save:
        args.output.write_text(json.dumps(report, indent=2) + "\n")
        print(f"\nwrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
