"""Every scene renders at low quality, and the render command's cache does its job.

The outputs checked scene by scene are the ones the site is built from: the render cache's low
quality, which ``make test`` fills (``make animations``) before pytest starts, so each scene is
rendered once per run, not twice. A scene whose source changed since is rendered here, because
the cache is keyed by the sources. The cache test renders into temporary folders (``root=`` or
``NNV_ANIMATION_CACHE``).
"""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image

from animations import SCENES, base, palette, render
from animations import steps as steps_module

pytestmark = pytest.mark.slow

MAX_BYTES = 2_000_000
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "animations"
BAND_TOLERANCE = 40  # H.264 leaves a little noise on flat colour; a drawn line or letter is far brighter
CUE = re.compile(r"^(\d\d):(\d\d):(\d\d)\.(\d\d\d) --> (\d\d):(\d\d):(\d\d)\.(\d\d\d)$")


def seconds(h, m, s, ms):
    return int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000


def parse_webvtt(text: str) -> list[tuple[float, float, str]]:
    """(start, end, text) of each cue; fails on anything that is not plain WebVTT."""
    blocks = text.strip("\n").split("\n\n")
    assert blocks[0] == "WEBVTT"
    cues = []
    for block in blocks[1:]:
        number, timing, *lines = block.split("\n")
        match = CUE.match(timing)
        assert number.isdigit() and match and lines, f"bad cue: {block!r}"
        cues.append((seconds(*match.groups()[:4]), seconds(*match.groups()[4:]), "\n".join(lines)))
    return cues


@pytest.mark.parametrize("name", list(SCENES))
def test_scene_renders_video_poster_captions_and_storyboard(name):
    render.render([name], "low", log=lambda _: None)
    folder = render.output_folder(name, "low")
    manifest = json.loads((folder / "manifest.json").read_text())
    steps = manifest["steps"]
    width, height, fps = render.QUALITIES["low"]

    video = folder / "video.mp4"
    assert video.stat().st_size <= MAX_BYTES
    head = video.read_bytes()[:200_000]
    assert 0 <= head.find(b"moov") < head.find(b"mdat"), "index (moov) must come first for fast start"
    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        assert (stream.codec_context.name, stream.pix_fmt) == ("h264", "yuv420p")
        assert (stream.width, stream.height, stream.average_rate) == (width, height, fps)
        assert container.duration / 1e6 == pytest.approx(manifest["duration"], abs=0.1)
    assert manifest["duration"] == pytest.approx(sum(step["duration"] for step in steps))

    poster = Image.open(folder / "poster.png").convert("RGB")
    assert poster.size == (width, height)
    assert band_is_empty(poster), f"{name}: the poster draws something in its bottom 20 % (captions and controls go there)"

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    render.contact_sheet(video).save(ARTIFACTS / f"{name}-contact-sheet.png")

    cues = parse_webvtt((folder / "captions.vtt").read_text(encoding="utf-8"))
    assert [cue[2] for cue in cues] == [step["text"] for step in steps]
    assert cues[0][0] == 0 and cues[-1][1] == pytest.approx(manifest["duration"])
    for (start, end, _), step, following in zip(cues, steps, cues[1:] + [(None,)]):
        assert end - start == pytest.approx(step["duration"]) and start == pytest.approx(step["start"])
        assert following[0] is None or following[0] == pytest.approx(end)

    frames = manifest["storyboard"]
    assert steps_module.MIN_STEPS <= len(frames) <= steps_module.MAX_STEPS and [f["alt"] for f in frames] == [step["text"] for step in steps]
    for number, frame in enumerate(frames, start=1):
        assert frame["file"] == f"storyboard-{number}.png"
        assert Image.open(folder / frame["file"]).size == (width, height)
    # Older keys may sit beside this one (the cache is shared and pruned after a week); what must
    # never stay behind is a render's temporary folder.
    leftovers = [p.name for p in folder.parent.iterdir() if p.name.startswith(".tmp-")]
    assert leftovers == [], "no temporary folder left behind"


def band_is_empty(image: Image.Image) -> bool:
    """Whether the bottom band of a frame (below ``base.SAFE_BOTTOM``) is the plain background."""
    pixels = np.asarray(image, dtype=int)
    band_rows = round(pixels.shape[0] * (base.SAFE_BOTTOM + base.FRAME_HEIGHT / 2) / base.FRAME_HEIGHT)
    background = np.array([int(palette.BACKGROUND[i:i + 2], 16) for i in (1, 3, 5)])
    return bool(np.abs(pixels[-band_rows:] - background).max() <= BAND_TOLERANCE)


def test_band_check_sees_a_caption_in_the_band():
    frame = Image.new("RGB", (854, 480), palette.BACKGROUND)
    assert band_is_empty(frame)
    frame.paste(Image.new("RGB", (200, 20), palette.TEXT), (300, 440))
    assert not band_is_empty(frame)


def test_contact_sheet_shows_a_frame_every_two_seconds(tmp_path):
    """A 5-second clip gives frames at 0, 2 and 4 s, in one picture."""
    movie = tmp_path / "clip.mp4"
    with av.open(str(movie), "w") as out:
        stream = out.add_stream("libx264", rate=15)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for i in range(75):
            frame = av.VideoFrame.from_ndarray(np.full((48, 64, 3), i * 3, dtype=np.uint8), format="rgb24")
            out.mux(stream.encode(frame))
        out.mux(stream.encode())
    sheet = render.contact_sheet(movie, every_s=2.0, columns=4, width=64)
    assert sheet.size == (4 * 64, 48 + 18)
    colours = [sheet.getpixel((x * 64 + 32, 18 + 24))[0] for x in range(3)]
    assert colours == pytest.approx([0, 90, 180], abs=6) and sheet.getpixel((3 * 64 + 32, 42)) == (255, 255, 255)


def test_unknown_scene_names_the_valid_ones(capsys):
    with pytest.raises(render.UnknownScene, match="Neuron"):
        render.render(["Neurone"], "low")
    with pytest.raises(SystemExit) as exit:
        render.main(["render", "Neurone"])
    assert exit.value.code == 2 and "scenes: Neuron, ForwardPropagation" in capsys.readouterr().err


def run_render(package_parent: Path, cache: Path, *args: str) -> str:
    """``python -m animations render`` on the package copy below ``package_parent``."""
    env = {**os.environ, "PYTHONPATH": str(package_parent), render.CACHE_ENV: str(cache)}
    result = subprocess.run([sys.executable, "-m", "animations", "render", *args, "--quality", "low"],
                            capture_output=True, text=True, env=env, cwd=package_parent, check=True)
    return result.stdout


def test_cache_renders_only_what_changed(tmp_path):
    copy = tmp_path / "src"
    shutil.copytree(Path(render.__file__).parent, copy / "animations", ignore=shutil.ignore_patterns("__pycache__"))
    cache = tmp_path / "cache"
    scenes = ("Neuron", "ForwardPropagation")

    first = run_render(copy, cache, *scenes)
    assert "Neuron: rendered" in first and "ForwardPropagation: rendered" in first

    # Warm: nothing rendered, and Manim is not even imported.
    check = (f"import sys, animations.render as r; "
             f"assert r.render({list(scenes)!r}, 'low', log=print) == []; "
             f"assert 'manim' not in sys.modules, 'a cached run must not import manim'")
    env = {**os.environ, "PYTHONPATH": str(copy), render.CACHE_ENV: str(cache)}
    warm = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, env=env, cwd=copy)
    assert warm.returncode == 0, warm.stderr
    assert "Neuron: cached" in warm.stdout and "ForwardPropagation: cached" in warm.stdout

    # A changed scene source: that scene is rendered again, the other is not.
    neuron = copy / "animations" / "neuron.py"
    neuron.write_text(neuron.read_text() + "\n# touched\n")
    third = run_render(copy, cache, *scenes)
    assert "Neuron: rendered" in third and "ForwardPropagation: cached" in third
    renders = sorted((cache / "low" / "Neuron").iterdir())
    assert len(renders) == 2
    assert len(list((cache / "low" / "ForwardPropagation").iterdir())) == 1
    # A comment changes the key, not the picture: the re-render is byte for byte the same.
    for filename in ("video.mp4", "poster.png", "captions.vtt", "manifest.json"):
        assert (renders[0] / filename).read_bytes() == (renders[1] / filename).read_bytes(), filename
