"""Cache keys follow what can change a number: nnlib's code and data, not its docstrings."""

import shutil

import pytest

from buildcache import cache


@pytest.fixture
def nnlib_copy(tmp_path, monkeypatch):
    """A copy of nnlib that the keys read instead of the real one."""
    copy = tmp_path / "nnlib"
    shutil.copytree(cache.NNLIB, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache, "NNLIB", copy)
    return copy


def edit(path, old, new):
    text = path.read_text()
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1))


def test_a_reworded_docstring_or_comment_keeps_the_key(nnlib_copy):
    before = cache.content_key()
    edit(nnlib_copy / "losses.py", '"""', '"""Reworded. ')
    edit(nnlib_copy / "layers" / "dense.py", "\n", "\n# a new comment\n")
    assert cache.content_key() == before


def test_changed_code_changes_the_key(nnlib_copy):
    before = cache.content_key()
    edit(nnlib_copy / "layers" / "dense.py", "z += self.b", "z -= self.b")
    assert cache.content_key() != before


def test_changed_data_changes_the_key(nnlib_copy):
    before = cache.content_key()
    edit(nnlib_copy / "sonnets.txt", "love", "loue")
    assert cache.content_key() != before
