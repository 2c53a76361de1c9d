"""The one place that validates parameters.

Every public function calls these helpers, so that a bad argument always raises a
``ValueError`` whose text names the parameter and its allowed range.
"""
from __future__ import annotations

import numbers
import os
import pathlib

import numpy as np

__all__ = [
    "check_int",
    "check_real",
    "check_beta",
    "check_powers",
    "check_threshold",
    "check_nonnegative_array",
    "check_choice",
    "check_base",
    "check_each",
    "check_int_each",
    "check_positive_each",
    "check_flag",
    "check_executor",
    "check_path",
]


def check_int(name: str, value, *, minimum: int = 1, maximum: int | None = None) -> int:
    """Return ``value`` as ``int`` if it is an integer in [minimum, maximum]."""
    rng = f">= {minimum}" if maximum is None else f"in [{minimum}, {maximum}]"
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        # Accept integral floats such as 4.0 (common after numpy arithmetic).
        if isinstance(value, numbers.Real) and not isinstance(value, bool) and float(value).is_integer():
            value = int(value)
        else:
            raise ValueError(f"{name} must be an integer {rng}, got {value!r}")
    value = int(value)
    if value < minimum or (maximum is not None and value > maximum):
        raise ValueError(f"{name} must be an integer {rng}, got {value!r}")
    return value


def check_real(
    name: str,
    value,
    *,
    lower: float | None = None,
    upper: float | None = None,
    lower_open: bool = True,
    upper_open: bool = False,
) -> float:
    """Return ``value`` as ``float`` if it is a finite real in the stated interval."""
    lo = "(" if lower_open else "["
    hi = ")" if upper_open else "]"
    interval = f"{lo}{'-inf' if lower is None else lower}, {'inf' if upper is None else upper}{hi}"
    try:
        if isinstance(value, (str, bytes)):  # float("0.5") would parse it; check_int refuses "3" too
            raise TypeError
        x = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a real number in {interval}, got {value!r}") from None
    if isinstance(value, bool) or not np.isfinite(x):
        raise ValueError(f"{name} must be a finite real number in {interval}, got {value!r}")
    bad_lo = lower is not None and (x <= lower if lower_open else x < lower)
    bad_hi = upper is not None and (x >= upper if upper_open else x > upper)
    if bad_lo or bad_hi:
        raise ValueError(f"{name} must be a real number in {interval}, got {value!r}")
    return x


def check_beta(beta) -> float:
    """Path-loss exponent: beta > 2 (the interference of an infinite HPPP is finite only then)."""
    return check_real("beta", beta, lower=2.0)


def check_powers(p, p_t, *, name: str = "p_c") -> tuple[float, float]:
    """Return (p, p_t) with p_t > 0 and p in (0, p_t] (p is p_c or p_s)."""
    p_t = check_real("p_t", p_t, lower=0.0)
    p = check_real(name, p, lower=0.0, upper=p_t)
    return p, p_t


def check_flag(name: str, value) -> bool:
    """Return ``value`` as ``bool`` if it is True or False (Python's or numpy's); anything
    else (NaN, "3", None, an array) is refused rather than read by its truth value."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    raise ValueError(f"{name} must be True or False, got {value!r}")


def check_nonnegative_array(name: str, value, *, allow_inf: bool = False) -> np.ndarray:
    """Return ``value`` as a float array if every element is >= 0 and not NaN (booleans,
    complex numbers, strings and objects are refused, not converted)."""
    try:
        if np.asarray(value).dtype.kind not in "iuf":
            raise TypeError
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be real numbers >= 0, got {value!r}") from None
    if np.isnan(arr).any():
        raise ValueError(f"{name} must be real numbers >= 0; got NaN")
    if not allow_inf and np.isinf(arr).any():
        raise ValueError(f"{name} must be finite real numbers >= 0; got inf")
    if (arr < 0).any():
        raise ValueError(f"{name} must be real numbers >= 0; got {arr[arr < 0].ravel()[0]!r}")
    return arr


def check_threshold(T) -> np.ndarray:
    """Linear SIR threshold(s): array of reals >= 0 (inf allowed: coverage 0)."""
    return check_nonnegative_array("T", T, allow_inf=True)


def check_choice(name: str, value, choices) -> str:
    """Return ``value`` if it is one of ``choices`` (an array or other unhashable value is
    refused by name, not compared elementwise)."""
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, choices))}; got {value!r}")
    return value


def check_base(base) -> float:
    """Logarithm base of a rate: a positive real other than 1 (math.e gives nats, 2 bit/s/Hz)."""
    b = check_real("base", base, lower=0.0)
    if b == 1.0:
        raise ValueError(f"base must be a positive real number other than 1, got {base!r}")
    return b


def check_each(name: str, value, check) -> np.ndarray:
    """Return ``value`` as an array after ``check(element)`` passed on each element (``check``
    is one of the scalar helpers above, with ``name`` in its message); it must not be empty."""
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number or an array of numbers, got {value!r}") from None
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty")
    for v in arr.ravel():
        # object arrays (None, dicts, huge ints) hold Python objects, which ``check`` judges
        check(v.item() if isinstance(v, np.generic) else v)
    return arr


def check_int_each(name: str, value, *, minimum: int = 1, maximum: int | None = None) -> np.ndarray:
    """``check_each`` with ``check_int``: a non-empty integer array, every element in [minimum, maximum]."""
    return check_each(name, value, lambda v: check_int(name, v, minimum=minimum, maximum=maximum)).astype(int)


def check_positive_each(name: str, value) -> np.ndarray:
    """``check_each`` with ``check_real``: a non-empty float array of finite reals > 0."""
    return check_each(name, value, lambda v: check_real(name, v, lower=0.0)).astype(float)


def check_executor(name: str, value):
    """Return ``value`` if it is a ``concurrent.futures``-style executor (it has a callable
    ``submit``, as a ProcessPoolExecutor or a Dask client's ``get_executor()`` has) or None."""
    if value is None or callable(getattr(value, "submit", None)):
        return value
    raise ValueError(f"{name} must be a concurrent.futures-style executor (with submit()) or None, got {value!r}")


def check_path(name: str, value) -> pathlib.Path:
    """Return ``value`` as a ``pathlib.Path`` if it is a non-empty str or os.PathLike."""
    if isinstance(value, (str, os.PathLike)) and os.fspath(value) not in ("", b""):
        return pathlib.Path(os.fsdecode(value))
    raise ValueError(f"{name} must be a directory path (a non-empty str or os.PathLike), got {value!r}")
