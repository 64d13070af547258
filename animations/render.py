"""Render scenes through a cache: ``python -m animations render [SCENE ...] [--quality ...]``.

A scene's output folder is ``<cache>/<quality>/<Scene>/<key>/``, where the key hashes the
scene's module, the shared animation modules (this one included), nnlib's whole source,
the quality, and the Manim and PyAV versions. An unchanged scene is found there and never
rendered again; a changed one gets a new key and is rendered once. Looking keys up reads
files only, so a fully cached run does not import Manim.

A render happens in a temporary folder: Manim's working files go to a throw-away media
folder (never the repository's ``media/``), the outputs to ``.tmp-*`` beside the final
folder, which is then renamed into place. An interrupted render leaves nothing that a
later build would publish. Each output folder holds

- ``video.mp4``: H.264, yuv420p, ``moov`` atom first (faststart) so playback starts at once;
- ``poster.png``: the last frame, the finished picture;
- ``captions.vtt``: WebVTT cues from the step list;
- ``storyboard-1.png`` .. ``storyboard-N.png``: the frame at the end of each step;
- ``manifest.json``: title, duration, size, steps and file names (what :mod:`animations.embed` reads).
"""

import argparse
import importlib
import json
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from importlib.metadata import version
from multiprocessing import get_context
from pathlib import Path

from buildcache.cache import CACHE_DIR, content_key, new_tmp_dir, prune, publish_dir
from buildcache import images
from buildcache.images import save_small_png

from . import SCENES

PACKAGE = Path(__file__).resolve().parent
SHARED_MODULES = ("steps.py", "base.py", "drawing.py", "palette.py", "render.py")  # code every scene's output depends on
QUALITIES = {  # name: (width, height, frames per second)
    "low": (854, 480, 15),
    "medium": (1280, 720, 30),
    "high": (1920, 1080, 60),
}
CACHE_ENV = "NNV_ANIMATION_CACHE"  # overrides the cache folder (tests render into a temporary one)
WORKERS = 2


class UnknownScene(KeyError):
    """A scene name that ``SCENES`` does not list."""


class RenderError(RuntimeError):
    """Manim or a scene's data function failed; nothing was published for that scene."""


def cache_root() -> Path:
    return Path(os.environ.get(CACHE_ENV) or CACHE_DIR / "animations")


def check_names(names) -> list[str]:
    unknown = [name for name in names if name not in SCENES]
    if unknown:
        raise UnknownScene(f"unknown animation {', '.join(map(repr, unknown))} (scenes: {', '.join(SCENES)})")
    return list(names)


def check_quality(quality: str) -> str:
    if quality not in QUALITIES:
        raise ValueError(f"unknown quality {quality!r} (qualities: {', '.join(QUALITIES)})")
    return quality


def scene_key(name: str, quality: str) -> str:
    """Hash of everything that decides the scene's output (see the module docstring)."""
    sources = [PACKAGE / f"{SCENES[name]}.py", *(PACKAGE / module for module in SHARED_MODULES),
               Path(images.__file__)]
    return content_key(*sources, extra=(quality, f"manim {version('manim')}", f"av {version('av')}"))


def output_folder(name: str, quality: str, root: Path | None = None) -> Path:
    """Where the scene's outputs for this source and quality live (whether rendered yet or not)."""
    return (root or cache_root()) / quality / name / scene_key(name, quality)


def render(names=None, quality: str = "medium", root: Path | None = None, log=print) -> list[str]:
    """Render the scenes (all by default) that the cache lacks; return the names rendered."""
    names = check_names(names or list(SCENES))
    quality = check_quality(quality)
    root = root or cache_root()
    folders = {name: output_folder(name, quality, root) for name in names}
    todo = [name for name in names if not folders[name].is_dir()]
    for name in names:
        if name not in todo:
            log(f"{name}: cached ({quality})")
    if todo:
        with ProcessPoolExecutor(min(WORKERS, len(todo)), mp_context=get_context("spawn")) as pool:
            jobs = {name: pool.submit(render_scene, name, quality, folders[name]) for name in todo}
            for name, job in jobs.items():
                try:
                    seconds = job.result()
                except Exception as error:
                    raise RenderError(f"rendering {name} at {quality} failed: {error}") from error
                size = (folders[name] / "video.mp4").stat().st_size
                log(f"{name}: rendered at {quality} in {seconds:.1f} s ({size / 1e6:.2f} MB)")
    for name, folder in folders.items():
        prune(folder.parent, keep={folder})
    return todo


def render_scene(name: str, quality: str, folder: Path) -> float:
    """Render one scene with Manim into ``folder`` (atomically); return the seconds it took."""
    from manim import tempconfig

    began = time.perf_counter()
    scene_class = getattr(importlib.import_module(f"animations.{SCENES[name]}"), name)
    width, height, fps = QUALITIES[quality]
    tmp = new_tmp_dir(folder)
    try:
        with tempfile.TemporaryDirectory(prefix="manim-") as media:
            settings = {"media_dir": media, "pixel_width": width, "pixel_height": height, "frame_rate": fps,
                        "output_file": name, "disable_caching": True, "verbosity": "WARNING", "progress_bar": "none"}
            with tempconfig(settings):
                scene = scene_class()
                scene.render()
                write_outputs(scene, Path(scene.renderer.file_writer.movie_file_path), tmp, fps)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    publish_dir(tmp, folder)
    return time.perf_counter() - began


def write_outputs(scene, movie: Path, out: Path, fps: int) -> None:
    """Turn Manim's movie and the scene's steps into the files listed in the module docstring."""
    from .steps import start_times, total_duration, webvtt

    steps = scene.steps
    remux_faststart(movie, out / "video.mp4")
    ends = [start + step.duration for start, step in zip(start_times(steps), steps)]
    frames = frames_at(out / "video.mp4", [round(end * fps) - 1 for end in ends])
    storyboard = []
    for number, (frame, step) in enumerate(zip(frames, steps), start=1):
        filename = f"storyboard-{number}.png"
        save_small_png(frame, out / filename)
        storyboard.append({"file": filename, "alt": step.text})
    save_small_png(frames[-1], out / "poster.png")
    (out / "captions.vtt").write_text(webvtt(steps), encoding="utf-8")
    manifest = {
        "scene": type(scene).__name__,
        "title": scene.title,
        "duration": round(total_duration(steps), 3),
        "width": frames[-1].width,
        "height": frames[-1].height,
        "video": "video.mp4",
        "poster": "poster.png",
        "captions": "captions.vtt",
        "storyboard": storyboard,
        "steps": [{"text": step.text, "start": round(start, 3), "duration": step.duration}
                  for start, step in zip(start_times(steps), steps)],
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def remux_faststart(source: Path, target: Path) -> None:
    """Copy the H.264 stream into a new MP4 whose index comes first (no re-encoding)."""
    import av

    with av.open(str(source)) as inp, av.open(str(target), "w", options={"movflags": "+faststart"}) as out:
        video = inp.streams.video[0]
        stream = out.add_stream_from_template(template=video)
        for packet in inp.demux(video):
            if packet.dts is None:  # the flushing packet demux yields at the end
                continue
            packet.stream = stream
            out.mux(packet)


def frames_at(movie: Path, indices: list[int]):
    """The frames with these indices (clamped to the last frame), as PIL images."""
    import av

    with av.open(str(movie)) as container:
        frames = [frame.to_image() for frame in container.decode(video=0)]
    return [frames[min(max(i, 0), len(frames) - 1)] for i in indices]


def contact_sheet(movie: Path, every_s: float = 2.0, columns: int = 4, width: int = 427):
    """One picture of a whole video: a frame every ``every_s`` seconds, ``columns`` to a row, each
    ``width`` pixels wide and labelled with its time, so a scene can be looked at without playing it."""
    import av
    from PIL import Image, ImageDraw

    picked = []
    with av.open(str(movie)) as container:
        for frame in container.decode(video=0):
            if frame.time is not None and frame.time + 1e-6 >= len(picked) * every_s:
                picked.append((frame.time, frame.to_image()))
    height = round(width * picked[0][1].height / picked[0][1].width)
    rows = -(-len(picked) // columns)
    sheet = Image.new("RGB", (columns * width, rows * (height + 18)), "white")
    draw = ImageDraw.Draw(sheet)
    for number, (time, image) in enumerate(picked):
        x, y = number % columns * width, number // columns * (height + 18)
        sheet.paste(image.resize((width, height)), (x, y + 18))
        draw.text((x + 4, y + 3), f"{time:.1f} s", fill="black")
    return sheet


def files(name: str, quality: str, root: Path | None = None) -> dict[str, Path]:
    """The rendered files of a scene by file name (empty if not rendered at this quality)."""
    folder = output_folder(name, quality, root)
    if not (folder / "manifest.json").is_file():
        return {}
    return {path.name: path for path in sorted(folder.iterdir()) if path.is_file()}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m animations", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    command = commands.add_parser("render", help="render the scenes the cache lacks")
    command.add_argument("scenes", nargs="*", metavar="SCENE", help=f"scene names (default: all: {', '.join(SCENES)})")
    command.add_argument("--quality", default="medium", choices=list(QUALITIES),
                         help="low = 480p15, medium = 720p30 (the site's), high = 1080p60")
    args = parser.parse_args(argv)
    try:
        check_names(args.scenes)
    except UnknownScene as error:
        parser.error(error.args[0])
    began = time.perf_counter()
    try:
        rendered = render(args.scenes, args.quality)
    except RenderError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"{len(rendered)} rendered, {len(args.scenes or SCENES) - len(rendered)} cached "
          f"in {time.perf_counter() - began:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
