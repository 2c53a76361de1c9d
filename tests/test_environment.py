"""environment.yml (for conda users) and pyproject.toml must name the same packages."""
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _name(req: str) -> str:
    return re.split(r"[<>=!~ \[;]", req.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_matches_pyproject():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = list(meta["dependencies"])
    for extra in meta.get("optional-dependencies", {}).values():
        reqs += extra
    pyproject = {_name(r) for r in reqs}
    conda = set()
    text = (ROOT / "environment.yml").read_text().split("dependencies:", 1)[1]
    for line in text.splitlines():
        m = re.match(r"\s*-\s+([A-Za-z0-9_.\-]+)", line)
        if m:
            conda.add(_name(m.group(1)))
    conda -= {"python", "pip"}
    assert pyproject == conda, (
        f"only in pyproject: {sorted(pyproject - conda)}; only in environment.yml: {sorted(conda - pyproject)}"
    )
