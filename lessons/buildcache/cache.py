"""Content-addressed cache keys shared by figures, labs and animations.

A key is the SHA-256 of what decides an output: the exact bytes of the file that makes it,
nnlib's code and data files (every number on the site comes from them), and any extra
strings such as a quality setting or a library version. Change any of them and the key
changes, so a stale output is never served. nnlib's Python files enter by their code alone
(docstrings and comments removed), because rewording a docstring computes no new number
and should not make the next build retrain everything.
"""

import ast
import functools
import hashlib
import os
import shutil
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CACHE_DIR = ROOT / ".cache"


NNLIB = ROOT / "nnlib"


def source_files(folder: Path) -> list[Path]:
    """All ``.py`` files below ``folder`` in a stable order."""
    return sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)


def nnlib_files() -> list[Path]:
    """nnlib's files that can change a number: its Python files and the data beside them
    (such as the text the language model trains on), in a stable order."""
    return sorted(p for p in NNLIB.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                  and p.suffix != ".pyc")


def code_bytes(file: Path) -> bytes:
    r"""The code of a Python file with its docstrings and comments left out.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.py").write_text("def f(x):\n    'Twice x.'\n    return 2 * x  # why\n")
    >>> _ = (folder / "b.py").write_text("def f(x):\n    'Double x, reworded.'\n    return 2 * x\n")
    >>> _ = (folder / "c.py").write_text("def f(x):\n    'Twice x.'\n    return 3 * x\n")
    >>> code_bytes(folder / "a.py") == code_bytes(folder / "b.py")
    True
    >>> code_bytes(folder / "a.py") == code_bytes(folder / "c.py")
    False
    """
    tree = ast.parse(file.read_bytes(), filename=str(file))
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                and body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
                and isinstance(body[0].value.value, str)):
            node.body = body[1:] or [ast.Pass()]
    return ast.dump(tree).encode()


@functools.lru_cache(maxsize=8)
def nnlib_digest(root: Path, files: tuple) -> bytes:
    """SHA-256 of nnlib's code and data: ``files`` is ((path, mtime, size), ...) below ``root``.

    Parsing nnlib takes a tenth of a CPU-second and a build asks for dozens of keys, so the
    digest is kept while no file's time or size changes.
    """
    digest = hashlib.sha256()
    for file, _, _ in files:
        digest.update(str(file.relative_to(root)).encode())
        digest.update(code_bytes(file) if file.suffix == ".py" else file.read_bytes())
    return digest.digest()


def content_key(*paths: Path, extra: tuple[str, ...] = ()) -> str:
    """SHA-256 over the contents of ``paths`` (files or folders), nnlib's code and ``extra``.

    Files are named in the key by their place inside the folder given (a file by its own
    name), so a copy of a lesson elsewhere shares the cache with the original.

    >>> a = content_key(ROOT / "pyproject.toml")
    >>> a == content_key(ROOT / "pyproject.toml") and a != content_key(ROOT / "pyproject.toml", extra=("x",))
    True
    """
    digest = hashlib.sha256()
    for path in paths:
        files = source_files(path) if path.is_dir() else [path]
        for file in files:
            digest.update(str(file.relative_to(path) if path.is_dir() else file.name).encode())
            digest.update(file.read_bytes())
    files = nnlib_files()
    digest.update(nnlib_digest(NNLIB, tuple((f, f.stat().st_mtime_ns, f.stat().st_size) for f in files)))
    for item in extra:
        digest.update(item.encode())
    return digest.hexdigest()[:20]


def display_path(path: Path) -> str:
    """``path`` relative to the repository when it lies inside it (for error messages)."""
    path = path.resolve()
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def publish_dir(tmp: Path, final: Path) -> None:
    """Move a finished output folder into place in one rename.

    An interrupted build leaves only a temporary folder behind, never a half-written
    output that a later build would publish.
    """
    final.parent.mkdir(parents=True, exist_ok=True)
    if final.exists():
        shutil.rmtree(tmp)
        return
    os.replace(tmp, final)


def new_tmp_dir(near: Path) -> Path:
    """A fresh temporary folder on the same file system as ``near`` (so rename is atomic)."""
    near.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=".tmp-", dir=near.parent))


def prune(folder: Path, keep: set[Path], max_age_s: float = 7 * 24 * 3600) -> None:
    """Remove outputs of ``folder`` unused for ``max_age_s`` seconds; touch those in ``keep``.

    Old keys go only after a week, not at once, because builds and tests may run side by
    side with different sources (a branch, a copy of the lessons) and share the cache.
    """
    now = time.time()
    for entry in keep:
        os.utime(entry)
    if not folder.is_dir():
        return
    for entry in folder.iterdir():
        if entry not in keep and now - entry.stat().st_mtime > max_age_s:
            shutil.rmtree(entry, ignore_errors=True) if entry.is_dir() else entry.unlink()
