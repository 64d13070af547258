"""Labs: Jupytext percent-format notebooks in ``lessons/labs/``, executed once and cached.

Both the site build and the test suite call :func:`executed_lab`. The first caller runs
the lab top to bottom in a fresh kernel (working directory: the repository root) and
stores the executed ``.ipynb`` under ``.cache/labs/<key>/labs/<lab>.ipynb``; the key
covers the lab's source, nnlib's source and this file, so a lab reruns exactly when
something it depends on changed. A failing cell raises :class:`LabError` naming the lab
file, the cell and its first line, and nothing is cached.

The site shows the executed notebook through mkdocs-jupyter and offers the same file as
the ``.ipynb`` download.

Labs ship with blanks. A cell where the reader writes an answer is tagged ``answer``
(``# %% tags=["answer"]``) and holds a placeholder (``None``, or a function whose body is
``...``); the self-check after it prints ``Self-check: not answered yet`` until it is filled
in. The answers live beside the labs, in ``lessons/labs/solutions/<lab>.py``: one code cell
per answer cell, in the same order. :func:`executed_lab` runs a lab as shipped, or with any
list of answers put in place of its answer cells (the solutions, or wrong answers in the
tests), each run cached under its own key.

The kernel starts with :func:`sitebuild.labstyle.use_site_style`, so lab plots look like the
lessons' figures (the notebook itself does not change).
"""

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from buildcache.cache import CACHE_DIR, ROOT, content_key, display_path, new_tmp_dir, publish_dir
from sitebuild import labstyle

LABS_DIR = ROOT / "lessons" / "labs"
SOLUTIONS_DIR = LABS_DIR / "solutions"
ANSWER_TAG = "answer"
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


def solutions_file(lab: Path) -> Path:
    """The file holding the answers of ``lab`` (it need not exist)."""
    return lab.parent / "solutions" / lab.name


def solutions(lab: Path) -> tuple[str, ...]:
    """The source of each code cell of the lab's solutions file, in order."""
    import jupytext

    path = solutions_file(lab)
    if not path.is_file():
        raise LabError(f"{display_path(lab)}: no solutions file (expected {display_path(path)})")
    return tuple(cell.source for cell in jupytext.read(path).cells if cell.cell_type == "code")


def answer_cells(notebook) -> list[int]:
    """Indices of the cells tagged ``answer``, where the reader fills in a blank."""
    return [i for i, cell in enumerate(notebook.cells) if ANSWER_TAG in cell.metadata.get("tags", [])]


def fill_in(notebook, answers: tuple[str, ...], lab: Path) -> None:
    """Put ``answers`` in place of the notebook's answer cells, one for one, in order."""
    blanks = answer_cells(notebook)
    if len(blanks) != len(answers):
        raise LabError(f"{display_path(lab)} has {len(blanks)} answer cells but {len(answers)} answers were given")
    for index, answer in zip(blanks, answers):
        notebook.cells[index].source = answer


def cached_path(lab: Path, answers: tuple[str, ...] | None = None) -> Path:
    """Where the executed notebook of ``lab`` (as shipped, or with ``answers``) lives once it has run."""
    extra = () if answers is None else ("answers", *answers)
    key = content_key(lab, Path(__file__), Path(labstyle.__file__), extra=extra)
    return LAB_CACHE / key / "labs" / f"{lab.stem}.ipynb"


def executed_lab(lab: Path, answers: tuple[str, ...] | None = None) -> Path:
    """Run ``lab`` (unless its cached run is current) and return the executed ``.ipynb``.

    With ``answers`` (see :func:`solutions`), they replace the lab's answer cells first.
    """
    final = cached_path(lab, answers)
    if final.exists():
        return final
    import jupytext
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    notebook = jupytext.read(lab)
    if answers is not None:
        fill_in(notebook, answers, lab)
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
                if answers is not None and index in answer_cells(notebook):
                    where += " (an answer cell, filled in for this run)"
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
