"""The book's API reference (book/api.md) documents every public module of the package."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "coopisac"


def test_every_public_module_is_on_the_api_page():
    public = {p.stem for p in PACKAGE.glob("*.py") if not p.stem.startswith("_")}
    public |= {p.parent.name for p in PACKAGE.glob("*/__init__.py") if not p.parent.name.startswith("_")}
    documented = set(re.findall(r"^\.\. automodule:: coopisac\.(\w+)", (ROOT / "book" / "api.md").read_text(), re.M))
    assert public - documented == set(), "add these modules to book/api.md"
    assert documented - public == set(), "book/api.md names modules that do not exist"
