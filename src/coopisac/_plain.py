"""``plain``: a value as plain Python data (JSON-able, and a Python literal), for the experiments'
results and the figures' CSV and glued values (one module below both, so neither imports the
other for it)."""
from __future__ import annotations

import numbers
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np


def plain(value: Any) -> Any:
    """``value`` as plain Python data: numpy scalars to bool / int / float, arrays, tuples and
    other iterables to (nested) lists, mappings to dicts with string keys; strings, bools and
    None unchanged.  Raises ValueError for anything else (an object, a complex number)."""
    if isinstance(value, (str, bool)) or value is None:
        return value
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, np.ndarray):
        value = value.tolist()
        if not isinstance(value, list):  # a 0-d array: its scalar
            return plain(value)
    if isinstance(value, Iterable) and not isinstance(value, (bytes, bytearray)):
        return [plain(v) for v in value]
    raise ValueError(f"cannot store a value of type {type(value).__name__}: use a number, a string, a list, "
                     f"an array or a mapping of them")
