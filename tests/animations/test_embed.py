"""The ``{{ animation: Name }}`` HTML, from a manifest in a temporary cache."""

import json

import pytest

from animations import embed, render


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv(render.CACHE_ENV, str(tmp_path))
    monkeypatch.setenv(embed.QUALITY_ENV, "low")
    folder = render.output_folder("Neuron", "low")
    folder.mkdir(parents=True)
    steps = [{"text": "First <step>", "start": 0.0, "duration": 2.0}, {"text": "Second", "start": 2.0, "duration": 1.0},
             {"text": "Third", "start": 3.0, "duration": 1.0}]
    manifest = {"scene": "Neuron", "title": "What a neuron computes", "duration": 4.0, "width": 854, "height": 480,
                "video": "video.mp4", "poster": "poster.png", "captions": "captions.vtt", "steps": steps,
                "storyboard": [{"file": f"storyboard-{i}.png", "alt": s["text"]} for i, s in enumerate(steps, 1)]}
    for name in ("video.mp4", "poster.png", "captions.vtt", "storyboard-1.png", "storyboard-2.png", "storyboard-3.png"):
        (folder / name).write_bytes(b"x")
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return folder


def test_video_html_has_poster_captions_transcript_and_storyboard(cache):
    html = embed.video_html("Neuron", lambda target: "../" + target)
    assert '<video class="nnv-animation__video" controls preload="metadata" playsinline' in html
    assert 'poster="../assets/animations/Neuron/poster.png"' in html
    assert '<source src="../assets/animations/Neuron/video.mp4" type="video/mp4">' in html
    assert '<track kind="captions" srclang="en" label="English" default src="../assets/animations/Neuron/captions.vtt">' in html
    assert "<summary>Transcript</summary><ol><li>First &lt;step&gt;</li><li>Second</li><li>Third</li></ol>" in html
    assert 'src="../assets/animations/Neuron/storyboard-3.png" alt="Step 3: Third"' in html
    assert "\n\n" not in html, "a blank line would end the HTML block in Markdown"


def test_chapters_are_buttons_that_name_each_step(cache):
    html = embed.video_html("Neuron", lambda target: "../" + target)
    assert '<nav class="nnv-animation__chapters" aria-label="Steps: What a neuron computes"><ol>' in html
    assert ('<li><button type="button" class="nnv-animation__chapter" data-start="0" data-end="2">'
            '<span class="nnv-animation__time">0:00</span> First &lt;step&gt;</button></li>') in html
    assert 'data-start="3" data-end="4"><span class="nnv-animation__time">0:03</span> Third</button>' in html
    assert html.count("<button") == 3


def test_site_files_lists_every_rendered_file(cache):
    files = embed.site_files()
    assert files["assets/animations/Neuron/video.mp4"] == cache / "video.mp4"
    assert len(files) == 7


def test_missing_render_says_how_to_make_it(cache, monkeypatch):
    monkeypatch.setenv(embed.QUALITY_ENV, "medium")
    with pytest.raises(FileNotFoundError, match="make animations"):
        embed.video_html("Neuron", str)
    with pytest.raises(KeyError, match="scenes: Neuron"):
        embed.video_html("Nope", str)
