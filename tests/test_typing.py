"""Every public function of the package carries type hints: each parameter (other than *args
and **kwargs) and the return value are annotated."""
import importlib
import inspect

import pytest

MODULES = [
    "coopisac.coverage",
    "coopisac.sensing",
    "coopisac.simulation",
    "coopisac.antenna",
    "coopisac.approximations",
    "coopisac.geometry",
    "coopisac.quadrature",
    "coopisac.beamforming",
    "coopisac.figures",
    "coopisac.design",
    "coopisac.cluster",
    "coopisac.results",
    "coopisac.experiments",
]


def _public_functions():
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.isclass(obj) or not callable(obj):
                continue
            if not getattr(obj, "__module__", "").startswith("coopisac"):
                continue
            yield f"{module_name}.{name}", obj


def _missing(func):
    sig = inspect.signature(func)
    missing = [
        p.name
        for p in sig.parameters.values()
        if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD) and p.annotation is p.empty
    ]
    if sig.return_annotation is sig.empty:
        missing.append("return")
    return missing


FUNCTIONS = list(_public_functions())


def test_the_walk_finds_the_public_functions():
    names = {name for name, _ in FUNCTIONS}
    for expected in ("coopisac.coverage.theorem1", "coopisac.sensing.theorem2", "coopisac.simulation.coverage",
                     "coopisac.simulation.antenna_coverage", "coopisac.design.best_split",
                     "coopisac.cluster.executor", "coopisac.experiments.run"):
        assert expected in names
    assert len(FUNCTIONS) > 50


@pytest.mark.parametrize("name, func", FUNCTIONS, ids=[name for name, _ in FUNCTIONS])
def test_public_function_is_annotated(name, func):
    missing = _missing(func)
    assert not missing, f"{name} lacks annotations for: {', '.join(missing)}"
