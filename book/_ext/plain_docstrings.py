"""Sphinx extension: show the package's docstrings as the plain text they are written in.

The docstrings use plain text (equations in ASCII such as ``|d_1 - d_q|^-beta``, indented
formulas), not reStructuredText: parsed as reST, ``|...|`` reads as a substitution and an
indented formula as a block quote, with warnings that fail the ``-W`` build.  Each docstring
autodoc collects becomes one literal block instead: shown exactly as in the source.
"""
from __future__ import annotations


def _literal(app, what, name, obj, options, lines: list[str]) -> None:
    if not any(line.strip() for line in lines):
        return
    lines[:] = ["::", ""] + ["    " + line if line.strip() else "" for line in lines] + [""]


def setup(app):
    app.setup_extension("sphinx.ext.autodoc")
    app.connect("autodoc-process-docstring", _literal)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
