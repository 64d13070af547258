"""The prebuild's scheduler: every kind of slow job, longest first, and a failing job named."""

import pytest

from sitebuild import prebuild


def test_stale_jobs_cover_scenes_figures_and_labs(monkeypatch, tmp_path):
    """With an empty cache every scene, figure module and lab is a job, and each job writes
    the cache entry that the mkdocs hooks and ``make animations`` read."""
    from animations import SCENES, render
    from sitebuild import figures, labs

    monkeypatch.setenv(render.CACHE_ENV, str(tmp_path / "animations"))
    monkeypatch.setattr(figures, "FIGURE_CACHE", tmp_path / "figures")
    monkeypatch.setattr(labs, "LAB_CACHE", tmp_path / "labs")
    jobs = prebuild.stale_jobs("low")
    assert {job.name for job in jobs if job.kind == "scene"} == set(SCENES)
    assert {job.name for job in jobs if job.kind == "figure"} == {m.stem for m in figures.figure_modules()}
    assert {job.name for job in jobs if job.kind == "lab"} == {lab.stem for lab in labs.lab_files()}
    scene = next(job for job in jobs if job.kind == "scene")
    assert scene.args[2] == render.output_folder(scene.name, "low")


def test_longest_recorded_job_runs_first_and_untimed_scenes_before_figures():
    jobs = [prebuild.Job("figure", "f", print, ()), prebuild.Job("lab", "l", print, ()),
            prebuild.Job("scene", "S", print, ())]
    assert [job.name for job in prebuild.longest_first(jobs, {})][0] == "S"
    assert [job.name for job in prebuild.longest_first(jobs, {"lab l": 500.0})][0] == "l"


def test_a_failing_job_stops_the_build_with_its_name():
    jobs = [prebuild.Job("figure", "broken", int, ("not a number",)), prebuild.Job("lab", "fine", int, ("7",))]
    with pytest.raises(prebuild.PrebuildError, match=r"figure broken failed: invalid literal for int"):
        prebuild.run_jobs(jobs, workers=1, log=lambda line: None)


def test_each_job_reports_its_cpu_seconds():
    times = prebuild.run_jobs([prebuild.Job("lab", "sum", sum, (range(3_000_000),))], workers=1, log=lambda line: None)
    assert list(times) == ["lab sum"] and 0 < times["lab sum"] < 30
