"""The book's figure helpers: dB conversions, paper defaults, CSV contents and links, glue values."""
import base64
import csv
import io
import json
import math
import re
from ast import literal_eval

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from IPython.core.formatters import format_display_data

from coopisac import figures


def test_db_conversions():
    assert figures.db2lin(0) == 1.0 and figures.db2lin(10) == pytest.approx(10.0, rel=1e-15)
    assert figures.db2lin(-20) == pytest.approx(0.01, rel=1e-15)
    assert figures.lin2db(1000.0) == pytest.approx(30.0, rel=1e-15)
    assert isinstance(figures.db2lin(3), float) and isinstance(figures.lin2db(2), float)
    x = np.linspace(-30, 30, 13)
    np.testing.assert_allclose(figures.lin2db(figures.db2lin(x)), x, atol=1e-12)
    assert figures.lin2db(0.0) == -math.inf
    with pytest.raises(ValueError, match="x must be"):
        figures.lin2db([1.0, -1.0])


def test_paper_parameters_are_section_iv():
    p = figures.paper_parameters()
    assert (p["Mt"], p["Mr"], p["beta"], p["p_t"], p["sigma2"]) == (10, 6, 4.0, 1.0, 1.0)
    assert 0 < p["p_c"] <= p["p_t"]
    q = figures.paper_parameters(Mt=4, L=2)
    assert (q["Mt"], q["L"], q["Mr"]) == (4, 2, 6)
    assert figures.PAPER_DEFAULTS["Mt"] == 10  # unchanged by overrides
    with pytest.raises(TypeError):
        figures.PAPER_DEFAULTS["Mt"] = 3


def _decode_link(html_obj):
    text = html_obj.data
    filename = re.search(r'download="([^"]+)"', text).group(1)
    payload = re.search(r'href="data:text/csv;base64,([^"]+)"', text).group(1)
    rows = list(csv.reader(io.StringIO(base64.b64decode(payload).decode())))
    return filename, rows


def test_csv_link_round_trip():
    cols = {"T_dB": [-10.0, 0.0, 10.0], "coverage": np.array([0.9117, 0.5601, 0.2]), "seed": 7}
    filename, rows = _decode_link(figures.csv_link("abg.csv", cols))
    assert filename == "abg.csv"
    assert rows[0] == ["T_dB", "coverage", "seed"]
    assert [float(r[1]) for r in rows[1:]] == [0.9117, 0.5601, 0.2]
    assert [r[2] for r in rows[1:]] == ["7", "7", "7"]
    with pytest.raises(ValueError, match="equal lengths"):
        figures.csv_text({"a": [1, 2], "b": [1, 2, 3]})


def test_book_figure_merges_analysis_and_monte_carlo():
    fig = figures.BookFigure("T_dB", "coverage", name="demo", parameters={"Mt": 10, "beta": 4.0}, seed=3, trials=100)
    x = np.array([-5.0, 0.0, 5.0])
    fig.analysis(x, [0.8, 0.5, 0.3], method="exact", L=1)
    fig.analysis(x, [0.79, 0.49, 0.31], method="Proposition 1", L=1)
    fig.monte_carlo(x[1:], [0.51, 0.29], [0.01, 0.02], L=1)
    fig.analysis(x, [0.9, 0.7, 0.5], method="exact", L=2)
    cols = fig.columns()
    assert list(cols)[:6] == ["L", "T_dB", "analysis: exact", "analysis: Proposition 1", "mc_estimate", "mc_stderr"]
    assert cols["L"] == [1, 1, 1, 2, 2, 2]
    assert cols["mc_estimate"] == [None, 0.51, 0.29, None, None, None]
    assert cols["mc_lower95"][1] == pytest.approx(0.51 - 1.96 * 0.01)
    assert cols["mc_upper95"][2] == pytest.approx(0.29 + 1.96 * 0.02)
    assert cols["seed"] == [3] * 6 and cols["trials"] == [100] * 6 and cols["Mt"] == [10] * 6
    # one colour per curve, one line style per method
    lines = fig.ax.get_lines()
    assert lines[0].get_color() == lines[1].get_color() != lines[-1].get_color()
    assert lines[0].get_linestyle() != lines[1].get_linestyle()
    fig.legend()
    labels = [t.get_text() for t in fig.ax.get_legend().get_texts()]
    assert labels == [
        "analysis (exact), L = 1",
        "analysis (Proposition 1), L = 1",
        "analysis (exact), L = 2",
        "Monte Carlo (95 % interval)",
    ]
    assert fig.ax.get_xlabel() == "SIR threshold $T$ [dB]"
    matplotlib.pyplot.close(fig.fig)


def test_book_figure_rejects_bad_input():
    fig = figures.BookFigure("T_dB", ("probability", "p"), name="bad", parameters={"L": 1})
    with pytest.raises(ValueError, match="one entry per x"):
        fig.analysis([0, 1], [0.5], method="m")
    with pytest.raises(ValueError, match="stderr"):
        fig.monte_carlo([0, 1], [0.5, 0.4], [0.1, -0.1])
    fig.analysis([0, 1], [0.5, 0.4], method="m", L=2)
    with pytest.raises(ValueError, match="both curve columns and figure parameters"):
        fig.columns()
    with pytest.raises(ValueError, match="axis must be one of"):
        figures.BookFigure("SNR", "coverage", name="x")
    matplotlib.pyplot.close("all")


def test_show_displays_figure_and_link(capsys):
    fig = figures.BookFigure("N", "rate", name="rate_vs_N", parameters={"Mt": 10}, seed=1, trials=10)
    fig.analysis([1, 2, 3], [1.0, 1.5, 1.8], method="Theorem 2")
    fig.monte_carlo([1, 2, 3], [1.01, 1.49, 1.79], [0.01, 0.01, 0.01])
    fig.show()
    out = capsys.readouterr().out  # outside a kernel, display() prints the objects
    assert "Figure" in out and "HTML" in out
    assert not matplotlib.pyplot.get_fignums()  # closed after display


def test_glue_stores_plain_literals(monkeypatch):
    stored = {}
    monkeypatch.setattr("myst_nb.glue", lambda name, value, display: stored.update({name: (value, display)}))
    figures.glue("x", np.float64(0.25))
    figures.glue("n", np.int64(3))
    figures.glue("a", np.array([0.5, 1.5]))
    assert stored == {"x": (0.25, False), "n": (3, False), "a": ([0.5, 1.5], False)}
    assert type(stored["x"][0]) is float and type(stored["n"][0]) is int
    for value in (0.1 + 0.2, 3, [0.5, 1.5], "text"):
        text = format_display_data(value)[0]["text/plain"]
        assert literal_eval(text) == value  # what the tests and {glue:text} read back
    with pytest.raises(ValueError, match="cannot store"):
        figures.glue("bad", object())


def test_plain_one_helper_for_figures_and_experiments():
    from coopisac import _plain, experiments

    plain = _plain.plain
    assert figures._plain is plain and experiments._plain is plain  # one helper serves both
    value = {1: (np.int64(2), np.float32(0.5), np.array([True, False]), np.array(3.0), "s", None),
             "m": {"x": np.arange(2)}, "r": range(2)}
    got = plain(value)
    assert got == {"1": [2, 0.5, [True, False], 3.0, "s", None], "m": {"x": [0, 1]}, "r": [0, 1]}
    assert type(got["1"][0]) is int and type(got["1"][1]) is float and type(got["1"][2][0]) is bool
    assert literal_eval(repr(got)) == got and json.loads(json.dumps(got)) == got
    for bad in (object(), 1j, b"x", [object()]):
        with pytest.raises(ValueError, match="cannot store"):
            plain(bad)


def test_show_table(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj))
    figures.show_table({"N": [2, 3], "alpha": [1.2345678, 1.5]}, name="alpha", digits=3, caption="fitted alpha")
    table, link = shown
    assert "<caption>fitted alpha</caption>" in table.data
    assert "<td>2</td><td>1.23</td>" in table.data
    filename, rows = _decode_link(link)
    assert filename == "alpha.csv" and rows[1] == ["2", "1.2345678"]


def test_network_sample_clusters():
    rng = np.random.default_rng(5)
    net = figures.network_sample(rng, L=3, N=4, K=300, target=(1.0, -0.5))
    bs, target = net["bs"], net["target"]
    d_user, d_target = np.hypot(*bs.T), np.hypot(*(bs - target).T)
    assert np.all(np.diff(d_user) >= 0)  # sampler order: nearest first
    np.testing.assert_array_equal(net["serving"], np.argsort(d_user)[:3])
    np.testing.assert_array_equal(net["sensing"], np.argsort(d_target)[:4])
    cols = figures.network_columns(net)
    assert len(cols["x"]) == len(cols["role"]) == 302
    assert cols["role"][-2:] == ["user", "target"] and cols["role"].count("interferer") >= 300 - 7
    with pytest.raises(ValueError, match="beyond the sampled disc"):
        figures.network_sample(rng, L=1, N=3, K=20, target=(50.0, 0.0))


def test_show_without_link_then_link(capsys):
    fig = figures.BookFigure("T_dB", "coverage", name="captioned", seed=1, trials=10)
    fig.analysis([0, 1], [0.5, 0.4], method="exact")
    fig.show(link=False)
    assert "HTML" not in capsys.readouterr().out
    filename, rows = _decode_link(fig.csv_link())
    assert filename == "captioned.csv" and rows[0][:3] == ["T_dB", "analysis: exact", "seed"]


def test_sensing_parameters_agree_with_the_package(monkeypatch):
    sensing = pytest.importorskip("coopisac.sensing")
    p = figures.sensing_parameters()
    assert "p_c" not in p and p["lam"] > 0 and isinstance(p["length_unit"], str)
    assert (p["Mt"], p["Mr"], p["beta"], p["sigma2"]) == (10, 6, 4.0, 1.0)
    assert figures.sensing_parameters(lam=0.1, N=3)["lam"] == 0.1
    # a sensing default that contradicts the paper's values is refused, not silently overridden
    monkeypatch.setitem(sensing.FIGURE_DEFAULTS, "Mt", 8)
    with pytest.raises(ValueError, match="disagrees with PAPER_DEFAULTS"):
        figures.sensing_parameters()
