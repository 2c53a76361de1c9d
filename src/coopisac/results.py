"""Result types shared by the analytic functions.

``Estimate`` is what a quadrature-based function returns with ``full_output=True``: the value
and an estimate of its absolute error (both shaped like the value).  The error estimate comes
from a second, finer (or embedded) rule, never from a guess; the tests check that it bounds
the true error where the truth is known.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Estimate"]


@dataclass(frozen=True)
class Estimate:
    """``value`` and ``error`` (estimated absolute error), arrays of the same shape."""

    value: np.ndarray
    error: np.ndarray
