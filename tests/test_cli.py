"""The command line: list, run (figure, CSV, JSON record; bit-for-bit re-run from the record),
sweep (and a sweep killed mid-way, then resumed), coverage / rate quick numbers, --help on every
command, and one-line errors with a non-zero exit for bad arguments."""
import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from coopisac import coverage, experiments, figures
from coopisac.cli import main

SRC = str(Path(__file__).resolve().parents[1] / "src")


def _cli(*argv):
    """Run the command line in a fresh interpreter (as a user would): (rc, stdout, stderr)."""
    env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
    p = subprocess.run([sys.executable, "-m", "coopisac", *argv], capture_output=True, text=True, env=env, timeout=300)
    return p.returncode, p.stdout, p.stderr


def test_list_shows_every_experiment_with_defaults(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    for name in experiments.names():
        assert f"\n{name} " in "\n" + out
    assert "--Mt-values      2,4,8,10,16" in out and "--T-dB-mc        -10:20:2" in out


def test_run_writes_figure_csv_record_and_reruns_bit_for_bit(tmp_path, capsys):
    out = tmp_path / "res"
    argv = ["run", "fig6", "--Mt-values", "4", "10", "--p-c", "0.7", "--T-db=-10:20:10", "--T-dB-mc", "0,5",
            "--trials", "2e4", "--seed", "3", "--out", str(out), "--format", "png", "svg", "pdf", "--no-progress"]
    assert main(argv) == 0
    for ext in ("png", "svg", "pdf", "csv", "json"):
        assert (out / f"fig6.{ext}").stat().st_size > 0
    rec = json.loads((out / "fig6.json").read_text())
    assert rec["parameters"]["Mt_values"] == [4, 10] and rec["parameters"]["p_c"] == 0.7
    assert rec["parameters"]["T_dB"] == [-10.0, 0.0, 10.0, 20.0] and rec["trials"] == 20000 and rec["seed"] == 3
    for key in ("coopisac", "git_commit", "numpy", "scipy", "wall_s"):
        assert key in rec["provenance"]
    # the analysis numbers in the CSV are the package's at those parameters
    rows = list(csv.DictReader((out / "fig6.csv").open()))
    exact = [float(r["y_value"]) for r in rows if r["method"] == "exact" and r["Mt"] == "4"]
    assert exact == coverage.exact_coverage_L1(figures.db2lin([-10.0, 0.0, 10.0, 20.0]), Mt=4, beta=4.0,
                                               p_c=0.7).tolist()
    mc = [r for r in rows if r["kind"] == "monte_carlo"]
    assert len(mc) == 4 and all(float(r["lower95"]) < float(r["y_value"]) < float(r["upper95"]) for r in mc)
    capsys.readouterr()
    # re-run from the record, elsewhere: the same numbers bit for bit
    assert main(["run", "--from", str(out / "fig6.json"), "--out", str(tmp_path / "again"), "--format", "none"]) == 0
    assert "bit for bit: yes" in capsys.readouterr().out
    again = json.loads((tmp_path / "again" / "fig6.json").read_text())
    assert again["series"] == rec["series"] and again["parameters"] == rec["parameters"]
    # a record whose numbers were altered is reported, with a non-zero exit
    rec["series"][-1]["y"][0] += 1e-15
    (tmp_path / "altered.json").write_text(json.dumps(rec))
    assert main(["run", "--from", str(tmp_path / "altered.json"), "--out", str(tmp_path / "x"), "--format", "none"]) == 1
    assert "bit for bit: NO" in capsys.readouterr().out


def test_coverage_and_rate_quick_numbers(capsys):
    assert main(["coverage", "--T-db", "0", "10", "--L", "1", "--Mt", "4", "--p-c", "0.5"]) == 0
    out = capsys.readouterr().out.splitlines()
    exact = coverage.exact_coverage_L1(figures.db2lin([0.0, 10.0]), Mt=4, beta=4.0, p_c=0.5)
    assert out[1].split() == ["T", "[dB]", "Theorem", "1", "exact", "Proposition", "1"]
    assert [float(line.split()[2]) for line in out[2:]] == pytest.approx(exact, rel=1e-5)  # printed to 6 digits
    assert main(["coverage", "--T-db", "5", "--L", "2", "--Mt", "4"]) == 0
    line = capsys.readouterr().out.splitlines()[-1].split()
    kw = dict(L=2, Mt=4, beta=4.0, p_c=0.5)
    assert [float(v) for v in line[1:3]] == pytest.approx(
        [float(f(figures.db2lin(5.0), **kw)) for f in (coverage.theorem1, coverage.exact_coverage)], rel=1e-5)
    assert main(["rate", "--N", "1", "3", "--lam-km2", "5", "--trials", "2000", "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "lam = 0.05 per (100 m)^2 = 5 per km^2" in out and "95 % interval" in out


@pytest.mark.parametrize("command", [[], ["list"], ["run"], ["run", "fig6"], ["sweep"], ["coverage"], ["rate"]])
def test_help_everywhere(command, capsys):
    with pytest.raises(SystemExit) as e:
        main([*command, "--help"])
    assert e.value.code == 0 and "usage: coopisac" in capsys.readouterr().out


BAD = [
    ([], "required: COMMAND"),
    (["frobnicate"], "invalid choice"),
    (["list", "fig99"], "experiment must be one of"),
    (["run"], "name an experiment"),
    (["run", "fig99"], "invalid choice"),
    (["run", "fig6", "--bogus", "1"], "unrecognized arguments"),
    (["run", "fig6", "--beta", "x"], "beta must be a real number"),
    (["run", "fig6", "--beta", "1.5", "--trials", "0"], "beta must be a real number in (2.0, inf]"),
    (["run", "fig6", "--Mt-values", "4", "1.5"], "Mt_values must be an integer"),
    (["run", "fig6", "--trials", "-5"], "trials must be an integer >= 0"),
    (["run", "fig6", "--trials", "0", "--format", "gif"], "--format must be among png, svg, pdf"),
    (["run", "--from", "/nonexistent/r.json"], "cannot read"),
    (["sweep", "/nonexistent/s.toml"], "no file"),
    (["coverage", "--Mt", "1"], "Mt must be an integer"),
    (["coverage", "--T-db", "abc"], "T_dB must be a real number"),
    (["coverage", "--p-c", "2"], "p_c must be a real number in (0.0, 1.0]"),
    (["rate", "--lam", "-1"], "lam"),
    (["rate", "--unit-m", "0"], "--unit-m must be a length > 0"),
    (["rate", "--lam", "1", "--lam-km2", "1"], "not allowed with argument"),
]


@pytest.mark.parametrize("argv, message", BAD, ids=[" ".join(a) or "nothing" for a, _ in BAD])
def test_bad_arguments_one_line_error(argv, message, capsys):
    try:
        rc = main(argv)
    except SystemExit as e:  # argparse's own errors
        rc = e.code
    err = capsys.readouterr().err
    assert rc == 2, err
    assert message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    assert err.startswith("coopisac")


def test_bad_record_and_cluster_flags(tmp_path, capsys):
    (tmp_path / "r.json").write_text("{not json")
    assert main(["run", "--from", str(tmp_path / "r.json")]) == 2
    assert "is not a coopisac record" in capsys.readouterr().err
    assert main(["coverage", "--trials", "10", "--workers", "0"]) == 2
    assert "--workers must be an integer >= 1" in capsys.readouterr().err
    assert main(["coverage", "--trials", "10", "--workers", "2", "--scheduler", "tcp://x:1"]) == 2
    err = capsys.readouterr().err
    assert "workers or scheduler, not both" in err and len(err.splitlines()) == 1


@pytest.mark.slow
def test_run_on_a_local_dask_cluster_and_with_a_cache_gives_the_same_numbers(tmp_path, capsys):
    # --workers 2 (a local Dask cluster) and --cache (checkpointed blocks, then read back) change
    # how the blocks run, not the numbers: every record equals the serial run's bit for bit
    args = ["run", "fig6", "--Mt-values", "4", "--T-dB", "0", "--T-dB-mc", "0", "5", "--trials", "70000",
            "--format", "none", "--no-progress"]
    assert main([*args, "--out", str(tmp_path / "serial")]) == 0
    assert main([*args, "--out", str(tmp_path / "dask"), "--workers", "2"]) == 0
    for out in ("cache1", "cache2"):  # the second run reads the checkpoint back
        assert main([*args, "--out", str(tmp_path / out), "--cache", str(tmp_path / "blocks")]) == 0
    assert any((tmp_path / "blocks").iterdir())
    serial = json.loads((tmp_path / "serial" / "fig6.json").read_text())
    for out in ("dask", "cache1", "cache2"):
        other = json.loads((tmp_path / out / "fig6.json").read_text())
        assert other["series"] == serial["series"], out
    assert json.loads((tmp_path / "dask" / "fig6.json").read_text())["provenance"]["executor"] is not None


def test_python_m_and_errors_without_traceback():
    rc, out, err = _cli("run", "fig6", "--beta", "oops")
    assert rc == 2 and err.count("\n") == 1 and "beta must be a real number" in err and not out


# ---------------------------------------------------------------------------------------
# A sweep interrupted, then resumed
# ---------------------------------------------------------------------------------------

SPEC = """\
experiment = "fig6"
trials = 400000
seed = 2
[fixed]
Mt_values = [10]
T_dB = [0.0, 10.0]
T_dB_mc = [0.0, 5.0, 10.0]
[grid]
p_c = [0.3, 0.5, 0.8]
"""


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory):
    """The table of SPEC swept in one go, in this process (one reference for both ways of
    stopping the sweep)."""
    spec = tmp_path_factory.mktemp("uninterrupted") / "spec.toml"
    spec.write_text(SPEC)
    return experiments.sweep(spec, spec.parent / "sweep", progress=False)


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGINT], ids=["killed", "ctrl-c"])
def test_sweep_interrupted_then_resumed(tmp_path, how, uninterrupted):
    spec = tmp_path / "spec.toml"
    spec.write_text(SPEC)
    out = tmp_path / "sweep"
    env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.Popen([sys.executable, "-m", "coopisac", "sweep", str(spec), "--out", str(out), "--no-progress"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    records = out / "records"
    deadline = time.monotonic() + 240
    while not (records.is_dir() and any(records.glob("point*.json"))):
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.005)
    proc.send_signal(how)
    _, err = proc.communicate(timeout=120)
    finished = sorted(records.glob("point*.json"))
    assert 1 <= len(finished) < 3, "the sweep must be stopped mid-way"
    if how == signal.SIGINT:
        assert proc.returncode == 130 and "interrupted" in err and "Traceback" not in err, err
    else:
        assert proc.returncode == -signal.SIGKILL
    kept = {p: (p.read_text(), p.stat().st_mtime_ns) for p in finished}

    rc, stdout, err = _cli("sweep", str(spec), "--out", str(out))
    assert rc == 0, err
    assert f"{len(finished)} of 3 points read back" in err
    assert f"3 points ({len(finished)} read back, {3 - len(finished)} computed)" in stdout
    for p, (text, mtime) in kept.items():  # read back, not recomputed
        assert p.read_text() == text and p.stat().st_mtime_ns == mtime
    assert len(list(records.glob("point*.json"))) == 3

    assert (out / "table.csv").read_text() == uninterrupted.read_text()
    rows = list(csv.DictReader(uninterrupted.open()))
    assert sorted({r["p_c"] for r in rows}) == ["0.3", "0.5", "0.8"]
    assert np.all(np.array([float(r["stderr"]) for r in rows if r["kind"] == "monte_carlo"]) > 0)


def test_interrupt_inside_compiled_code_is_an_interruption(monkeypatch, capsys):
    """A Ctrl-C that lands while numba loads or compiles a kernel reaches Python as a SystemError
    raised while handling the KeyboardInterrupt: it must end like any interruption (exit 130, one
    line), while an unrelated SystemError still propagates."""
    from coopisac import cli

    def interrupted(args):
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt:
            raise SystemError("<built-in function ...> returned a result with an exception set")

    def broken(args):
        raise SystemError("unrelated")

    monkeypatch.setitem(cli._COMMANDS, "list", interrupted)
    assert cli.main(["list"]) == 130
    assert capsys.readouterr().err.strip() == "coopisac list: interrupted"
    monkeypatch.setitem(cli._COMMANDS, "list", broken)
    with pytest.raises(SystemError, match="unrelated"):
        cli.main(["list"])
