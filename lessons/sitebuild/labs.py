"""Labs: Jupytext percent-format notebooks in ``lessons/labs/``, executed once and cached.

Both the site build and the test suite call :func:`executed_lab`. The first caller runs
the lab top to bottom in a fresh kernel (working directory: the repository root) and
stores the executed ``.ipynb`` under ``.cache/labs/<key>/labs/<lab>.ipynb``; the key
covers the lab's source, nnlib's source and this file, so a lab reruns exactly when
something it depends on changed. A failing cell raises :class:`LabError` naming the lab
file, the cell and its first line, and nothing is cached.

The site shows the executed notebook through mkdocs-jupyter and offers the same file as
the ``.ipynb`` download. The kernel starts with :func:`sitebuild.labstyle.use_site_style`, so
lab plots look like the lessons' figures (the notebook itself does not change).
"""

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from sitebuild import labstyle
from sitebuild.cache import CACHE_DIR, ROOT, content_key, display_path, new_tmp_dir, publish_dir

LABS_DIR = ROOT / "lessons" / "labs"
LAB_CACHE = CACHE_DIR / "labs"
CELL_TIMEOUT_S = 600
KERNEL_STARTUP = "from sitebuild.labstyle import use_site_style; use_site_style()"


class LabError(RuntimeError):
    """A lab cell failed; the message names the lab file and the cell's line."""


def lab_files(folder: Path = LABS_DIR) -> list[Path]:
    """Every lab, in file-name order."""
    return sorted(p for p in folder.glob("*.py") if not p.name.startswith("_"))


def cell_lines(lab: Path) -> list[int]:
    """First line (1-based) of each cell in a percent-format file, in Jupytext's cell order."""
    # Labs begin with a cell marker right after their Jupytext header, so the i-th marker
    # starts the i-th cell.
    lines = lab.read_text().splitlines()
    return [i + 1 for i, line in enumerate(lines) if line.startswith("# %%")]


def cached_path(lab: Path) -> Path:
    """Where the executed notebook of ``lab`` lives once it has run."""
    return LAB_CACHE / content_key(lab, Path(__file__), Path(labstyle.__file__)) / "labs" / f"{lab.stem}.ipynb"


def executed_lab(lab: Path) -> Path:
    """Run ``lab`` (unless its cached run is current) and return the executed ``.ipynb``."""
    final = cached_path(lab)
    if final.exists():
        return final
    import jupytext
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    notebook = jupytext.read(lab)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    client = NotebookClient(notebook, timeout=CELL_TIMEOUT_S, kernel_name="python3",
                            resources={"metadata": {"path": str(ROOT)}},
                            extra_arguments=[f"--IPKernelApp.exec_lines={KERNEL_STARTUP}"])
    starts = cell_lines(lab)
    with client.setup_kernel():
        for index, cell in enumerate(notebook.cells):
            try:
                client.execute_cell(cell, index)
            except CellExecutionError as error:
                line = starts[index] if index < len(starts) else "?"
                where = f"{display_path(lab)}:{line}: lab cell {index + 1} failed"
                raise LabError(f"{where}\n{error}") from None
    folder = new_tmp_dir(final.parents[1])
    (folder / "labs").mkdir()
    nbformat.write(notebook, folder / "labs" / final.name)
    publish_dir(folder, final.parents[1])
    return final


def execute_all(lab_paths: list[Path], jobs: int | None = None) -> dict[Path, Path]:
    """Run every lab whose cache is stale, in parallel kernels; return ``{lab: executed}``.

    Raises the :class:`LabError` of the first failing lab (in the order given).
    """
    stale = [lab for lab in lab_paths if not cached_path(lab).exists()]
    if stale:
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            list(pool.map(executed_lab, stale))
    return {lab: cached_path(lab) for lab in lab_paths}
