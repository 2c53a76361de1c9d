"""Every chapter notebook of the book, executed by papermill at test size, and the numbers it
glues checked against the expectations in ``tests/notebook_checks/<chapter>.py``.

A notebook is a ``book/*.md`` file with a jupytext header; the chapter template
``book/_template.md`` is not in the book but is run here too, so that it keeps working.  Each runs in its own temporary folder with the parameters
``DEFAULT_PARAMETERS`` updated by the chapter's ``PARAMETERS``; papermill injects them after the
notebook's cell tagged ``parameters``.  See ``tests/notebook_checks/README.md``.
"""
from __future__ import annotations

import importlib
import re
from ast import literal_eval
from pathlib import Path

import jupytext
import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
CHECKS = Path(__file__).resolve().parent / "notebook_checks"
DEFAULT_PARAMETERS = {"trials": 2000}
GLUE_PREFIX = "application/papermill.record/"
CELL_TIMEOUT_S = 300


def _is_notebook(path: Path) -> bool:
    return "kernelspec" in jupytext.read(path).metadata


NOTEBOOKS = sorted(p for p in BOOK.glob("*.md") if _is_notebook(p))


def read_glued(nb) -> dict:
    """{name: value} of every value a notebook glued (``myst_nb.glue``), read from its outputs'
    ``scrapbook`` metadata; the stored text/plain is a Python literal (``figures.glue``)."""
    glued = {}
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            meta = out.get("metadata", {}).get("scrapbook")
            if not meta:
                continue
            text = out["data"][meta.get("mime_prefix", "") + "text/plain"]
            try:
                glued[meta["name"]] = literal_eval(text)
            except (SyntaxError, ValueError):
                glued[meta["name"]] = text  # not a literal (e.g. a figure): kept as text
    return glued


def run_notebook(path: Path, parameters: dict, workdir: Path):
    """Convert ``path`` with jupytext, execute it with papermill in ``workdir``, return the result."""
    import papermill

    src = workdir / f"{path.stem}.ipynb"
    out = workdir / f"{path.stem}.out.ipynb"
    nbformat.write(jupytext.read(path), src)
    papermill.execute_notebook(
        str(src),
        str(out),
        parameters=parameters,
        cwd=str(workdir),
        kernel_name="python3",
        progress_bar=False,
        execution_timeout=CELL_TIMEOUT_S,
    )
    return nbformat.read(out, as_version=4)


def _checks(stem: str):
    if not (CHECKS / f"{stem}.py").is_file():
        return None
    return importlib.import_module(f"notebook_checks.{stem}")


def test_book_has_notebooks():
    assert len(NOTEBOOKS) >= 10, [p.name for p in NOTEBOOKS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_parameters_cell_first(path):
    """The first code cell is tagged ``parameters`` and sets ``trials`` (full size unless the
    build sets COOPISAC_BOOK_TRIALS) and ``seed``."""
    cells = [c for c in jupytext.read(path).cells if c.cell_type == "code"]
    assert cells, f"{path.name} has no code cell"
    first = cells[0]
    assert "parameters" in first.metadata.get("tags", []), f"{path.name}: first code cell is not tagged parameters"
    assert re.search(r'^trials = int\(os\.environ\.get\("COOPISAC_BOOK_TRIALS", ', first.source, re.M), first.source
    assert re.search(r"^seed = \d+", first.source, re.M), first.source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook(path, tmp_path):
    checks = _checks(path.stem)
    parameters = {**DEFAULT_PARAMETERS, **getattr(checks, "PARAMETERS", {})}
    nb = run_notebook(path, parameters, tmp_path)
    # The book build fails on any stderr output (a Python warning included): so does this test.
    stderr = [o["text"] for c in nb.cells for o in c.get("outputs", []) if o.get("name") == "stderr"]
    assert not stderr, f"{path.name} wrote to stderr:\n" + "\n".join(stderr)
    assert not list(tmp_path.glob("*.csv")), "a notebook must not write files (CSV travels inside the page)"
    glued = read_glued(nb)
    if checks is None:
        assert not glued, f"{path.name} glues {sorted(glued)}: add tests/notebook_checks/{path.stem}.py to check them"
        return
    missing = set(getattr(checks, "GLUED", ())) - set(glued)
    assert not missing, f"{path.name} did not glue {sorted(missing)}"
    checks.check(glued)
