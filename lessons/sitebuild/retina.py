"""PNG figures for every screen: the build draws them at twice their displayed size (sharp on
high-density screens); :func:`one_x_copy` makes the copy at their displayed size that pages
offer to other screens through ``srcset``, so each screen downloads one of the two.

Copies are cached under ``.cache/figures-1x/`` by the bytes of the 2x file.

>>> from PIL import Image
>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> Image.new("RGBA", (40, 20), (0, 114, 178, 255)).save(folder / "f.png")
>>> with Image.open(one_x_copy(folder / "f.png", (20, 10), cache=folder / "1x")) as small:
...     small.size
(20, 10)
"""

import hashlib
import io
from pathlib import Path

from buildcache.cache import CACHE_DIR
from buildcache.images import save_small_png

ONE_X_CACHE = CACHE_DIR / "figures-1x"


def one_x_copy(png: Path, size: tuple[int, int], cache: Path = ONE_X_CACHE) -> Path:
    """``png`` scaled to ``size`` (its displayed size in CSS pixels); made once per 2x file."""
    from PIL import Image

    key = hashlib.sha256(png.read_bytes() + repr(size).encode()).hexdigest()[:20]
    small = cache / f"{key}.png"
    if not small.exists():
        cache.mkdir(parents=True, exist_ok=True)
        partial = small.with_suffix(".tmp.png")
        with Image.open(png) as image:
            save_small_png(image.convert("RGBA").resize(size, Image.Resampling.LANCZOS), partial)
        partial.replace(small)
    return small


def scaled_png(png: bytes, width: int) -> bytes:
    """The PNG ``png`` (drawn at 2x) scaled to ``width`` pixels wide, its displayed width."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        image = image.convert("RGBA")
        small = image.resize((width, round(image.height * width / image.width)), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    save_small_png(small, buffer)
    return buffer.getvalue()
