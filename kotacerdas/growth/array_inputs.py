"""Input arrays for :mod:`kotacerdas.growth.arrays`: cleaning the codes and
dates given (lists, numpy arrays, pandas columns) into numpy arrays, and ages.

Values are cleaned with the scalar path's own ``clean_*`` functions, so both
paths accept and refuse the same inputs.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from kotacerdas.growth.zscores import clean_measure, clean_oedema, clean_sex

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int8]
ArrayInput = Any  # anything numpy.asarray takes: a list, an array, a pandas column

# Position codes inside this module: 0 missing, 1 lying ("l"), 2 standing ("h").
NO_POSITION, LYING, STANDING = 0, 1, 2


# --- input cleaning -----------------------------------------------------------------


def as_floats(values: ArrayInput, n: int | None) -> FloatArray:
    if values is None:
        if n is None:
            raise ValueError("no input array gives the number of children")
        return np.full(n, np.nan)
    a = np.asarray(values, dtype=np.float64)
    if a.ndim != 1:
        a = a.reshape(-1)
    return a


def _is_text(a: np.ndarray) -> bool:
    return a.dtype.kind in "USO"


def _map_values(a: np.ndarray, clean: Callable[[object], int]) -> IntArray:
    """Apply ``clean`` to each distinct value (few: codes like "l", "y", "2")."""
    seen: dict[object, int] = {}
    out = np.empty(len(a), dtype=np.int8)
    for i, value in enumerate(a.tolist()):
        code = seen.get(value)
        if code is None:
            code = seen[value] = clean(value)
        out[i] = code
    return out


def sex_codes(sex: ArrayInput) -> IntArray:
    """1 male, 2 female, 0 missing. 1/2 or "1"/"2"/"m"/"f"; missing: None, NaN, "".

    Any other value raises ``ValueError`` (as the scalar path does), naming
    the first position where it is.
    """
    a = np.asarray(sex)
    if a.ndim != 1:
        a = a.reshape(-1)
    if not _is_text(a):
        values = a.astype(np.float64)
        with np.errstate(invalid="ignore", divide="ignore"):
            codes = np.where(values == 1, 1, np.where(values == 2, 2, 0)).astype(np.int8)
            bad = ~np.isnan(values) & (codes == 0)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise ValueError(f"sex must be 1/2 or m/f, not {a[i]!r} (element {i})")
        return codes

    def clean(value: object) -> int:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return 0
        if isinstance(value, bytes):
            value = value.decode()
        if str(value).strip() == "":
            return 0
        return clean_sex(value) or 0

    try:
        return _map_values(a, clean)
    except ValueError as e:
        raise ValueError(f"{e} (in the sex array)") from None


def measure_codes(measure: ArrayInput, n: int) -> IntArray:
    if measure is None:
        return np.zeros(n, dtype=np.int8)
    a = np.asarray(measure)
    if a.ndim != 1:
        a = a.reshape(-1)
    if a.dtype.kind == "U" and a.dtype.itemsize == 4:  # one character: compare directly
        codes = np.zeros(len(a), dtype=np.int8)
        codes[(a == "l") | (a == "L")] = LYING
        codes[(a == "h") | (a == "H")] = STANDING
        return codes
    codes_of = {None: NO_POSITION, "l": LYING, "h": STANDING}

    def clean(value: object) -> int:
        if isinstance(value, bytes):
            value = value.decode()
        return codes_of[clean_measure(value)]

    return _map_values(a, clean)


def oedema_flags(oedema: ArrayInput, n: int) -> BoolArray:
    if oedema is None:
        return np.zeros(n, dtype=bool)
    a = np.asarray(oedema)
    if a.ndim != 1:
        a = a.reshape(-1)
    if a.dtype == np.bool_:
        return a
    if not _is_text(a):
        return a == 1

    def clean(value: object) -> int:
        if isinstance(value, bytes):
            value = value.decode()
        return int(clean_oedema(value))

    return _map_values(a, clean).astype(bool)


# --- ages -----------------------------------------------------------------------


def as_dates(values: ArrayInput) -> npt.NDArray[np.datetime64]:
    a = np.asarray(values)
    if a.dtype.kind != "M":
        a = np.array(
            [
                np.datetime64("NaT", "D")
                if v is None
                else np.datetime64(v.isoformat() if isinstance(v, dt.date) else v, "D")
                for v in a.tolist()
            ],
            dtype="datetime64[D]",
        )
    return a.astype("datetime64[D]").reshape(-1)


def age_in_days_arrays(birth: ArrayInput, visit: ArrayInput) -> FloatArray:
    """Whole days from birth to visit (negative if the visit is earlier; NaN if a date is missing)."""
    b, v = as_dates(birth), as_dates(visit)
    days = (v - b).astype(np.float64)
    days[np.isnat(b) | np.isnat(v)] = np.nan
    return days


def age_in_completed_months_arrays(birth: ArrayInput, visit: ArrayInput) -> FloatArray:
    """Completed calendar months, as :func:`~kotacerdas.growth.age_in_completed_months` (NaN if missing)."""
    b, v = as_dates(birth), as_dates(visit)
    missing = np.isnat(b) | np.isnat(v)
    b_month = b.astype("datetime64[M]")
    v_month = v.astype("datetime64[M]")
    months = (v_month - b_month).astype(np.int64)
    b_day = (b - b_month.astype("datetime64[D]")).astype(np.int64)
    v_day = (v - v_month.astype("datetime64[D]")).astype(np.int64)
    result = (months - (v_day < b_day)).astype(np.float64)
    result[missing] = np.nan
    return result
