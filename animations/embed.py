"""Put a rendered animation on a page: the ``{{ animation: Name }}`` directive's HTML.

The site shows the animations rendered at ``NNV_ANIMATION_QUALITY`` (default "medium",
720p30) from the render cache; :func:`site_files` lists them for the MkDocs hook that copies
them to ``assets/animations/<Scene>/``. The HTML is a ``<video>`` with its poster and English
captions on by default; under it the chapters, one ``<button>`` per step with its start time and
caption, which ``animations.js`` makes seek the video to that step; a transcript (the step
texts); and the storyboard frames, which ``site.css`` shows instead of the video (and the
chapters) to readers who ask for reduced motion.
"""

import html
import json
import os

from . import render

QUALITY_ENV = "NNV_ANIMATION_QUALITY"


def site_quality() -> str:
    return render.check_quality(os.environ.get(QUALITY_ENV) or "medium")


def site_path(name: str, filename: str) -> str:
    """Where a rendered file lives in the built site."""
    return f"assets/animations/{name}/{filename}"


def site_files() -> dict[str, "render.Path"]:
    """Site path -> rendered file, for every scene rendered at the site's quality."""
    quality = site_quality()
    return {site_path(name, filename): path
            for name in render.SCENES for filename, path in render.files(name, quality).items()}


def video_html(name: str, relative) -> str:
    """The figure for scene ``name``; ``relative(site_path)`` makes a URL relative to the page."""
    render.check_names([name])
    quality = site_quality()
    manifest_file = render.output_folder(name, quality) / "manifest.json"
    if not manifest_file.is_file():
        raise FileNotFoundError(f"animation '{name}' is not rendered at quality '{quality}' (or its source "
                                f"changed): run 'make animations ANIMATION_QUALITY={quality}'")
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))

    def url(filename):
        return html.escape(relative(site_path(name, filename)), quote=True)

    title = html.escape(manifest["title"])
    frames = "".join(
        f'<li><img src="{url(frame["file"])}" alt="Step {number}: {html.escape(frame["alt"], quote=True)}" '
        f'width="{manifest["width"]}" height="{manifest["height"]}" loading="lazy"></li>'
        for number, frame in enumerate(manifest["storyboard"], start=1)
    )
    transcript = "".join(f"<li>{html.escape(step['text'])}</li>" for step in manifest["steps"])
    chapters = "".join(
        f'<li><button type="button" class="nnv-animation__chapter" data-start="{step["start"]:g}" '
        f'data-end="{step["start"] + step["duration"]:g}"><span class="nnv-animation__time">'
        f'{clock(step["start"])}</span> {html.escape(step["text"])}</button></li>'
        for step in manifest["steps"]
    )
    return (
        f'<figure class="nnv-animation">'
        f'<video class="nnv-animation__video" controls preload="metadata" playsinline '
        f'width="{manifest["width"]}" height="{manifest["height"]}" poster="{url(manifest["poster"])}" '
        f'aria-label="Animation: {title}">'
        f'<source src="{url(manifest["video"])}" type="video/mp4">'
        f'<track kind="captions" srclang="en" label="English" default src="{url(manifest["captions"])}">'
        f'</video>'
        f'<nav class="nnv-animation__chapters" aria-label="Steps: {title}"><ol>{chapters}</ol></nav>'
        f'<ol class="nnv-animation__storyboard" aria-label="Storyboard: {title}">{frames}</ol>'
        f'<figcaption>{title} ({manifest["duration"]:.0f} s)'
        f'<details class="nnv-animation__transcript"><summary>Transcript</summary><ol>{transcript}</ol></details>'
        f'</figcaption></figure>'
    )


def clock(seconds: float) -> str:
    """A step's start as a player shows it.

    >>> clock(0), clock(9.4), clock(72.0)
    ('0:00', '0:09', '1:12')
    """
    whole = int(seconds)
    return f"{whole // 60}:{whole % 60:02d}"
