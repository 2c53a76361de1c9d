"""The experiments registry: parameters and their kinds, running, records and their round trip,
bit-for-bit re-runs, the tidy CSV, saving, sweeps and their resumption, MCResult as data."""
import csv
import io
import json

import numpy as np
import pytest

from coopisac import experiments as E
from coopisac import simulation
from coopisac.experiments import Experiment, ExperimentResult, Param, Series


# ---------------------------------------------------------------------------------------
# A toy experiment: its numbers are known exactly, independent of the package's mathematics
# ---------------------------------------------------------------------------------------

def _toy_compute(p, *, trials, seed, mc):
    x = np.asarray(p["xs"])
    out = [Series("analysis", x, p["a"] * x, method="line", curve={"a": p["a"]})]
    if trials:
        rng = np.random.default_rng(seed)
        draws = rng.standard_normal((trials, x.size)) + p["a"] * x
        out.append(Series("monte_carlo", x, draws.mean(axis=0), stderr=draws.std(axis=0, ddof=1) / np.sqrt(trials),
                          curve={"a": p["a"]}))
    return out


TOY = "toy_line_test"
if TOY not in E.names():
    E.register(Experiment(
        name=TOY, title="a line and its noisy samples", chapter="tests",
        params={"a": Param(2.0, "slope"), "xs": Param((0.0, 1.0, 2.0), "abscissae", kind="floats"),
                "n": Param(3, "an integer", kind="int"), "flag": Param(False, "a switch", kind="bool"),
                "how": Param("fast", "a choice", kind="str", choices=("fast", "slow")),
                "Ls": Param((1, 2), "integers", kind="ints")},
        compute=_toy_compute, x=("x [m]", "x"), y=("y [m]", "y"), trials=100, seed=5,
    ))


#: Figures and tables of the paper registered by the chapters' modules (grows with them).
PAPER_FIGURES = ("fig2a", "fig2b", "fig2b_gap", "fig3", "fig3_error", "alpha_table", "fig6", "fig8", "fig11", "fig11_gap",
                 "lemma1_echo", "lemma1_interference", "abg_check", "mapping_theorem", "proposition1_cost")


def test_every_chapter_module_registers_and_defaults_are_valid():
    # the paper's figures owned here are registered; every default resolves to its kind
    for name in PAPER_FIGURES:
        assert name in E.names(), name
    for name in E.names():
        exp = E.get(name)
        assert exp.resolve() == exp.resolve(exp.defaults())
        for key, param in exp.params.items():
            assert param.kind in E.KINDS, (name, key)


@pytest.mark.parametrize("kind, text, value", [
    ("int", "1e6", 1_000_000), ("int", "7", 7), ("int", 4.0, 4), ("float", "3.5", 3.5), ("float", 2, 2.0),
    ("ints", "1,2,3", (1, 2, 3)), ("ints", "1 2", (1, 2)), ("ints", 4, (4,)), ("ints", [1, 2], (1, 2)),
    ("floats", "-10:20:10", (-10.0, 0.0, 10.0, 20.0)), ("floats", "0:1:0.25", (0.0, 0.25, 0.5, 0.75, 1.0)),
    ("ints", "1:7:3", (1, 4, 7)), ("bool", "true", True), ("bool", "no", False), ("bool", True, True),
    ("str", "fast", "fast"),
])
def test_param_coerce(kind, text, value):
    got = Param(None, "h", kind=kind, choices=("fast",) if kind == "str" else None).coerce("q", text)
    assert got == value and type(got) is type(value)


@pytest.mark.parametrize("kind, bad", [
    ("int", "2.5"), ("int", True), ("int", "x"), ("float", "nan"), ("float", None), ("float", "inf"),
    ("ints", ""), ("ints", "1,a"), ("floats", "0:1:0"), ("floats", "1:0:1"), ("bool", "maybe"), ("str", 3),
])
def test_param_coerce_refuses(kind, bad):
    with pytest.raises(ValueError, match="q"):
        Param(None, "h", kind=kind).coerce("q", bad)


def test_param_refuses_unknown_kind_and_str_choice():
    with pytest.raises(ValueError, match="kind"):
        Param(1, "h", kind="complex")
    with pytest.raises(ValueError, match="how must be one of fast, slow"):
        E.run(TOY, how="medium")


def test_registry_refuses_bad_names():
    with pytest.raises(ValueError, match="experiment must be one of"):
        E.get("fig99")
    with pytest.raises(ValueError, match="already registered"):
        E.register(E.get(TOY))
    with pytest.raises(ValueError, match="has no parameter bogus"):
        E.run(TOY, bogus=1)
    with pytest.raises(ValueError, match="trials must be an integer >= 0"):
        E.run(TOY, trials=-1)


def test_series_validation():
    with pytest.raises(ValueError, match="stderr"):
        Series("monte_carlo", [1, 2], [1, 2])
    with pytest.raises(ValueError, match="method"):
        Series("analysis", [1, 2], [1, 2])
    with pytest.raises(ValueError, match="one value per x"):
        Series("analysis", [1, 2], [1], method="m")
    with pytest.raises(ValueError, match="kind"):
        Series("table", [1], [1], method="m")


def test_run_values_and_provenance():
    r = E.run(TOY, trials=50, seed=9, a="3", xs="0:2:1")
    assert r.parameters["a"] == 3.0 and r.parameters["xs"] == (0.0, 1.0, 2.0)
    line = r.one("analysis", method="line")
    assert np.array_equal(line.y, [0.0, 3.0, 6.0])
    # the toy's Monte Carlo is the mean of 50 normal draws around the line (independent re-draw)
    draws = np.random.default_rng(9).standard_normal((50, 3)) + 3.0 * np.arange(3.0)
    assert np.array_equal(r.one("monte_carlo").y, draws.mean(axis=0))
    prov = r.provenance
    for key in ("coopisac", "git_commit", "numpy", "scipy", "python", "wall_s", "utc"):
        assert key in prov
    assert prov["numpy"] == np.__version__ and prov["wall_s"] >= 0
    assert r.trials == 50 and r.seed == 9
    # defaults of the experiment where not given; trials = 0: analysis only
    r0 = E.run(TOY, trials=0)
    assert r0.seed == 5 and [s.kind for s in r0.series] == ["analysis"]


def test_record_round_trip_and_bit_for_bit_rerun():
    r = E.run("fig6", trials=3000, seed=2, Mt_values=(4,), T_dB_mc=(-5.0, 0.0, 7.0))
    text = json.dumps(r.to_dict())
    back = ExperimentResult.from_dict(json.loads(text))
    assert back.same_numbers(r) and back.parameters == r.parameters and back.provenance == r.provenance
    assert back.to_dict() == r.to_dict()
    again = E.run(back.name, trials=back.trials, seed=back.seed, **back.parameters)
    assert again.same_numbers(r)  # the record reproduces its numbers exactly
    other = E.run(back.name, trials=back.trials, seed=back.seed + 1, **back.parameters)
    assert not other.same_numbers(r)  # ... and same_numbers can tell a different seed apart
    with pytest.raises(ValueError, match="record format"):
        ExperimentResult.from_dict({**r.to_dict(), "format": 99})


def test_tidy_csv_has_every_point_with_intervals():
    r = E.run(TOY, trials=40, seed=1)
    rows = list(csv.DictReader(io.StringIO(r.to_csv())))
    assert len(rows) == sum(s.x.size for s in r.series)
    mc = [row for row in rows if row["kind"] == "monte_carlo"]
    s = r.one("monte_carlo")
    for row, est, se in zip(mc, s.y, s.stderr):
        assert float(row["y_value"]) == est and float(row["stderr"]) == se  # repr: exact
        assert float(row["lower95"]) == est - 1.96 * se and float(row["upper95"]) == est + 1.96 * se
        assert row["trials"] == "40" and row["seed"] == "1" and row["a"] == "2.0"
    assert all(row["stderr"] == "" for row in rows if row["kind"] == "analysis")


def test_figure_and_save(tmp_path):
    r = E.run(TOY, trials=20, seed=1)
    fig = r.figure()
    cols = fig.columns()
    assert cols["x"] == [0.0, 1.0, 2.0] and cols["analysis: line"] == [0.0, 2.0, 4.0]
    assert fig.ax.get_xlabel() == "x [m]"
    paths = r.save(tmp_path, formats=("png", "svg", "pdf"))
    for kind in ("json", "csv", "png", "svg", "pdf"):
        assert paths[kind].is_file() and paths[kind].stat().st_size > 0
    assert ExperimentResult.from_json(paths["json"].read_text()).same_numbers(r)
    with pytest.raises(ValueError, match="formats"):
        r.save(tmp_path, formats=("gif",))


def test_mcresult_round_trip():
    r = simulation.coverage(np.array([[0.5, 1.0], [2.0, 4.0]]), L=2, Mt=4, beta=4.0, p_c=0.5, trials=500, seed=1)
    d = r.to_dict(parameters={"L": 2, "T": np.array([0.5, 1.0]), "beta": np.float64(4.0)})
    d = json.loads(json.dumps(d))
    back = simulation.MCResult.from_dict(d)
    assert back.estimate.shape == (2, 2) and np.array_equal(back.estimate, r.estimate)
    assert np.array_equal(back.stderr, r.stderr) and (back.trials, back.K) == (r.trials, r.K)
    assert d["parameters"] == {"L": 2, "T": [0.5, 1.0], "beta": 4.0}


# ---------------------------------------------------------------------------------------
# Sweeps
# ---------------------------------------------------------------------------------------

SPEC = {"experiment": TOY, "trials": 30, "seed": 3, "fixed": {"xs": [0.0, 1.0]}, "grid": {"a": [1.0, 2.0], "n": [1, 2]}}


def test_sweep_table_and_records(tmp_path):
    table = E.sweep(SPEC, tmp_path, progress=False)
    rows = list(csv.DictReader(table.open()))
    # 4 points x (2 analysis + 2 Monte Carlo rows)
    assert len(rows) == 16 and sorted({r["point"] for r in rows}) == ["0", "1", "2", "3"]
    assert [(r["a"], r["n"]) for r in rows[::4]] == [("1.0", "1"), ("1.0", "2"), ("2.0", "1"), ("2.0", "2")]
    records = sorted((tmp_path / "records").glob("*.json"))
    assert len(records) == 4
    first = ExperimentResult.from_json(records[0].read_text())
    assert first.parameters["a"] == 1.0 and first.parameters["n"] == 1 and first.trials == 30
    assert first.same_numbers(E.run(TOY, trials=30, seed=3, a=1.0, n=1, xs=(0.0, 1.0)))


def test_sweep_resumes_without_recomputing(tmp_path):
    full = E.sweep(SPEC, tmp_path / "full", progress=False).read_text()
    part = tmp_path / "part"
    E.sweep(SPEC, part, progress=False)
    # simulate a run killed after point 1: later records gone, a half-written row in the table
    records = sorted((part / "records").glob("*.json"))
    for rec in records[2:]:
        rec.unlink()
    with (part / "table.csv").open("a") as f:
        f.write("2,2.0,1,30,3,toy_line_te")
    kept = {rec: rec.read_text() for rec in records[:2]}
    mtimes = {rec: rec.stat().st_mtime_ns for rec in records[:2]}
    assert E.sweep(SPEC, part, progress=False).read_text() == full
    for rec in records[:2]:  # read back, not rewritten
        assert rec.read_text() == kept[rec] and rec.stat().st_mtime_ns == mtimes[rec]


@pytest.mark.parametrize("spec, match", [
    ({"grid": {"a": [1]}}, "name its experiment"),
    ({"experiment": TOY}, r"needs a \[grid\]"),
    ({"experiment": TOY, "grid": {"a": 1}}, "grid.a must be a non-empty list"),
    ({"experiment": TOY, "grid": {"a": [1]}, "fixed": {"a": 2}}, "both fixed and swept"),
    ({"experiment": TOY, "grid": {"a": [1]}, "typo": 1}, "unknown keys typo"),
    ({"experiment": TOY, "grid": {"zz": [1]}}, "has no parameter zz"),
    ({"experiment": TOY, "grid": {"a": ["x"]}}, "a must be a real number"),
])
def test_sweep_spec_errors(tmp_path, spec, match):
    with pytest.raises(ValueError, match=match):
        E.sweep(spec, tmp_path, progress=False)


def test_sweep_from_toml(tmp_path):
    spec = tmp_path / "s.toml"
    spec.write_text(f'experiment = "{TOY}"\ntrials = 0\n[grid]\na = [1.0, 3.0]\n')
    rows = list(csv.DictReader(E.sweep(spec, tmp_path / "out", progress=False).open()))
    assert [float(r["y_value"]) for r in rows] == [0.0, 1.0, 2.0, 0.0, 3.0, 6.0]
    spec.write_text("experiment = \n")
    with pytest.raises(ValueError, match="not valid TOML"):
        E.sweep(spec, tmp_path / "out2", progress=False)


@pytest.mark.parametrize("name", PAPER_FIGURES)
def test_each_experiment_runs_small_and_draws(name):
    # every registered figure computes at a few trials, round-trips and draws its series
    import matplotlib.pyplot as plt

    r = E.run(name, trials=200)
    assert r.series and all(np.all(np.isfinite(s.y)) for s in r.series)
    assert ExperimentResult.from_json(r.to_json()).same_numbers(r)
    fig = r.figure()
    assert fig.columns()
    plt.close(fig.fig)


def test_chapter_experiments_against_package_functions():
    # the experiments hand their parameters to the package unchanged (spot checks)
    from coopisac import coverage, figures, sensing

    r = E.run("fig8", trials=0, Mt=4, p_c=0.3, T_dB=(0.0, 10.0))
    ref = coverage.exact_coverage_L1(figures.db2lin([0.0, 10.0]), Mt=4, beta=4.0, p_c=0.3)
    assert np.array_equal(r.one(method="exact").y, ref)
    r = E.run("fig11", trials=0, Mt_values=(6,), p_s_values=(0.2, 0.9), lam=0.02, Mr=4)
    ref = sensing.proposition2(Mt=6, Mr=4, beta=4.0, p_s=np.array([0.2, 0.9]), lam=0.02, hole=False)
    assert np.array_equal(r.one(method="without the hole").y, ref)
    gap = E.run("fig11_gap", trials=0, Mt_values=(6,), p_s_values=(0.2, 0.9), lam=0.02, Mr=4).one().y
    hole = r.one(method="Proposition 2, with the hole").y
    assert np.allclose(gap, 100 * (1 - ref / hole), rtol=1e-14)
