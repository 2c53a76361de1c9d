"""Sphinx extension: serve MathJax 3 from the book itself, so that the HTML typesets its
equations offline (Sphinx's default loads MathJax from a CDN).

The files are MathJax 3's ``es5`` build as shipped by the PyPI package
``django-static-mathjax`` (plain static files; the package has no dependencies), which the
book's install extras pull in.  They are copied to ``_static/mathjax`` of the HTML output.
"""
from __future__ import annotations

import shutil
from importlib.resources import files
from pathlib import Path

TARGET = "mathjax"  # folder under _static
ENTRY = "tex-chtml.js"  # TeX input, CommonHTML output; loads its fonts and extensions from TARGET


def mathjax_source() -> Path:
    """Folder of the installed MathJax 3 ``es5`` build."""
    src = Path(str(files("mathjax"))) / "static" / "mathjax" / "es5"
    if not (src / ENTRY).is_file():
        raise FileNotFoundError(f"MathJax 3 not found at {src}: install django-static-mathjax")
    return src


def _use_local_path(app, config) -> None:
    config.mathjax_path = f"{TARGET}/{ENTRY}"


def _copy_mathjax(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    src = mathjax_source()
    # The other combined builds (SVG output, MathML input ...) are not loaded by ENTRY.
    others = {p.name for p in src.glob("*.js")} - {ENTRY}
    shutil.copytree(
        src,
        Path(app.outdir) / "_static" / TARGET,
        dirs_exist_ok=True,
        ignore=lambda folder, names: [n for n in names if Path(folder) == src and n in others],
    )


def setup(app):
    mathjax_source()  # fail at start-up, not after executing every notebook
    app.connect("config-inited", _use_local_path)
    app.connect("build-finished", _copy_mathjax)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
