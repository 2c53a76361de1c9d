"""The benchmark runner (benchmarks/run.py) and every benchmarks/bench_<topic>.py module: each
imports, runs at its quick size and returns figures in the runner's schema, and the runner writes
and compares JSON.  No timing is asserted (speed figures live in the benchmarks, not in tests)."""
import importlib.util
import inspect
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def runner():
    spec = importlib.util.spec_from_file_location("benchmarks_run", ROOT / "benchmarks" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_module_has_run(runner):
    topics = runner.discover()
    assert {"montecarlo", "analysis"} <= set(topics)
    for topic in topics:
        params = inspect.signature(runner.load(topic).run).parameters
        assert list(params) == ["quick"] and params["quick"].default is False, topic


def test_quick_run_writes_and_compares_json(runner, tmp_path, capsys):
    out = tmp_path / "bench.json"
    assert runner.main(["--quick", "--json", str(out)]) == 0
    data = json.loads(out.read_text())
    assert set(data["figures"]) == set(runner.discover()) and data["meta"]["quick"] is True
    for topic, figs in data["figures"].items():
        assert figs and runner.validate(topic, figs) == figs
    capsys.readouterr()
    # (the quickest topic: the comparison and the topic filter are what is checked here)
    assert runner.main(["--quick", "--only", "exact_coverage", "--compare", str(out)]) == 0
    table = capsys.readouterr().out
    assert "new/old" in table.splitlines()[0] and "exact_coverage." in table and "montecarlo." not in table


@pytest.mark.parametrize("figs, match", [
    ({}, "non-empty"),
    ({"a": {"value": 1.0, "unit": "s"}}, "exactly the keys"),
    ({"a": {"value": "1", "unit": "s", "spread": None, "target": None, "note": None}}, "value must be a number"),
    ({"a": {"value": True, "unit": "s", "spread": None, "target": None, "note": None}}, "value must be a number"),
    ({"a": {"value": 1.0, "unit": "s", "spread": "big", "target": None, "note": None}}, "spread"),
    ({"a": {"value": 1.0, "unit": "s", "spread": None, "target": 1.2, "note": None}}, "target"),
])
def test_validate_refuses_bad_figures(runner, figs, match):
    with pytest.raises(TypeError, match=match):
        runner.validate("x", figs)


def test_unknown_topic_refused(runner):
    with pytest.raises(SystemExit):
        runner.main(["--quick", "--only", "nonesuch"])
