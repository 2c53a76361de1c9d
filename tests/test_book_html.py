"""The README's book command at test size, and its HTML read offline in headless Chromium.

One build (``book/build.sh`` with COOPISAC_BOOK_TRIALS small, into a temporary folder, with the
same flags as the full build: warnings are errors, any notebook error fails it).  Then:
no page loads anything from the network; MathJax is served from the book; in Chromium, with
the network off, every equation is typeset (MathJax output present, no TeX left) and every
image loads; every CSV download link decodes to a table.
"""
from __future__ import annotations

import base64
import csv
import io
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from test_notebooks import DEFAULT_PARAMETERS, NOTEBOOKS

ROOT = Path(__file__).resolve().parents[1]
BROWSER = next((shutil.which(b) for b in ("chromium", "chromium-browser", "google-chrome") if shutil.which(b)), None)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

pytestmark = pytest.mark.slow


def _toc_pages() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    return [toc["root"]] + [c["file"] for c in toc.get("chapters", [])]


@pytest.fixture(scope="module")
def html_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("book")
    env = {**os.environ, "COOPISAC_BOOK_TRIALS": str(DEFAULT_PARAMETERS["trials"]), "COOPISAC_VENV_READY": "1"}
    proc = subprocess.run(
        ["bash", str(ROOT / "book" / "build.sh"), "--path-output", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=1200,
    )
    assert proc.returncode == 0, f"book build failed:\n{proc.stdout[-6000:]}\n{proc.stderr[-6000:]}"
    return out / "_build" / "html"


class _Page(HTMLParser):
    """Collects what the checks need from one HTML page."""

    def __init__(self):
        super().__init__()
        self.remote = []  # scripts, styles, images loaded from the network
        self.scripts = []
        self.images = []  # (src, data-natural-width or None)
        self.csv_links = []
        self.math_texts = []  # text inside each element of class "math"
        self.math_count = 0
        self.mjx_count = 0
        self.merror = 0
        self._math_depth = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        url = a.get("src") if tag in ("script", "img") else a.get("href") if tag == "link" else None
        if url and re.match(r"(https?:)?//", url):
            self.remote.append(url)
        if tag == "script" and a.get("src"):
            self.scripts.append(a["src"])
        if tag == "img":
            self.images.append((a.get("src", ""), a.get("data-natural-width")))
        if tag == "a" and (a.get("href") or "").startswith("data:text/csv;base64,"):
            self.csv_links.append((a.get("download"), a["href"].split(",", 1)[1]))
        if tag == "mjx-container":
            self.mjx_count += 1
        if tag == "mjx-merror":
            self.merror += 1
        if self._math_depth:
            self._math_depth += 1
        elif "math" in (a.get("class") or "").split() and tag in ("span", "div"):
            self.math_count += 1
            self.math_texts.append("")
            self._math_depth = 1

    def handle_endtag(self, tag):
        if self._math_depth:
            self._math_depth -= 1

    def handle_data(self, data):
        if self._math_depth:
            self.math_texts[-1] += data


def _parse(text: str) -> _Page:
    page = _Page()
    page.feed(text)
    return page


def test_every_toc_page_built(html_dir):
    for page in _toc_pages():
        assert (html_dir / f"{page}.html").is_file(), page


def test_offline_and_local_mathjax(html_dir):
    assert (html_dir / "_static" / "mathjax" / "tex-chtml.js").is_file()
    assert (html_dir / "_static" / "mathjax" / "output" / "chtml" / "fonts" / "woff-v2").is_dir()
    with_math = 0
    for html in html_dir.rglob("*.html"):
        page = _parse(html.read_text())
        assert not page.remote, f"{html.name} loads from the network: {page.remote}"
        if page.math_count:
            with_math += 1
            assert any(s.split("?")[0].endswith("_static/mathjax/tex-chtml.js") for s in page.scripts), html.name
    assert with_math >= 1


def test_csv_links_decode(html_dir):
    for page_name in _toc_pages():
        for filename, payload in _parse((html_dir / f"{page_name}.html").read_text()).csv_links:
            rows = list(csv.reader(io.StringIO(base64.b64decode(payload).decode())))
            assert filename.endswith(".csv") and len(rows) >= 2 and all(len(r) == len(rows[0]) for r in rows), filename


def execution_rows(text: str) -> dict[str, tuple[float, str]]:
    """{document: (run time in s, status)} from the execution page's table (myst-nb's
    ``nb-exec-table``: Document, Modified, Method, Run Time (s), Status)."""
    rows = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", text, re.S):
        cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        if len(cells) == 5:
            rows[cells[0]] = (float(cells[3]), cells[4])
    return rows


def test_execution_page_lists_every_notebook_with_its_time(html_dir):
    rows = execution_rows((html_dir / "book" / "execution.html").read_text())
    chapters = {f"book/{p.stem}" for p in NOTEBOOKS if f"book/{p.stem}" in _toc_pages()}
    assert chapters and set(rows) == chapters, (sorted(rows), sorted(chapters))
    for doc, (seconds, status) in rows.items():
        assert seconds > 0 and status == "\u2705", (doc, seconds, status)


_PROBE = (
    "<script>window.addEventListener('load', () => {"
    "for (const img of document.images) img.setAttribute('data-natural-width', img.naturalWidth);"
    "});</script>"
)


def _chromium(args: list[str], profile: Path) -> subprocess.CompletedProcess:
    flags = [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--virtual-time-budget=15000",
    ]
    return subprocess.run([BROWSER, *flags, *args], capture_output=True, text=True, timeout=120)


@pytest.mark.skipif(BROWSER is None, reason="Chromium not installed (.ci/run installs it): HTML not checked in a browser")
def test_chromium_typesets_equations_and_loads_figures(html_dir, tmp_path):
    checked_math = checked_images = 0
    for page_name in _toc_pages():
        html = html_dir / f"{page_name}.html"
        static = _parse(html.read_text())
        if not static.math_count and not static.images:
            continue
        probe = html.with_name(html.stem + ".probe.html")  # same folder: relative links still work
        probe.write_text(html.read_text().replace("</body>", _PROBE + "</body>"))
        proc = _chromium(["--dump-dom", probe.as_uri()], tmp_path / "profile")
        assert proc.returncode == 0, proc.stderr[-3000:]
        dom = _parse(proc.stdout)
        assert dom.math_count == static.math_count, page_name
        assert dom.mjx_count >= static.math_count, f"{page_name}: {dom.mjx_count} of {static.math_count} equations typeset"
        assert dom.merror == 0, f"{page_name}: MathJax reported {dom.merror} TeX errors"
        raw = [t for t in dom.math_texts if "\\" in t or "$" in t]
        assert not raw, f"{page_name}: raw TeX left: {raw[:3]}"
        for src, width in dom.images:
            path = (html.parent / src.split("?")[0]).resolve()
            assert path.is_file(), f"{page_name}: missing image {src}"
            if path.suffix == ".png":
                assert path.read_bytes()[:8] == PNG_SIGNATURE, f"{page_name}: {src} is not a PNG"
            assert width is not None and int(width) > 0, f"{page_name}: image {src} did not load (width {width})"
        checked_math += dom.math_count
        checked_images += len(dom.images)
        probe.unlink()
    assert checked_math > 0 and checked_images > 0, (checked_math, checked_images)
    # A screenshot of the system-model page, kept with the test's temporary files for a person to look at.
    shot = tmp_path / "system_model.png"
    proc = _chromium(
        [f"--screenshot={shot}", "--window-size=1280,2400", (html_dir / "book" / "system_model.html").as_uri()],
        tmp_path / "profile",
    )
    assert proc.returncode == 0 and shot.read_bytes()[:8] == PNG_SIGNATURE, proc.stderr[-3000:]
    print(f"checked {checked_math} equations and {checked_images} images; screenshot: {shot}")
