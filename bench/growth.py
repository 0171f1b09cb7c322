"""WHO z-scores per second: the arrays path on 1,000,000 children, the scalar path
one child at a time, and pygrowup on a subset of the same children.

Issue 6 asks for at least 500,000 children a second on one core for the four
main indicators (weight-for-age, length/height-for-age, weight-for-length/height,
BMI-for-age), and for pygrowup timed on the same data in the same run. The
children are a city's posyandu measurements (``city_children``): each child's
weight and length come from its own WHO row at a z drawn around Cirebon-like
means, rounded as scales and boards read them.

Also printed: how many of pygrowup's z-scores differ from ours by more than
0.01, and why (pygrowup 0.8.2 looks ages up in weekly/monthly rows, heights at
0.5 cm without interpolation, and does not restrict BMI beyond ±3 SD;
posyandu.md §2.3).

    .venv/bin/python bench/run.py --only growth
"""

from __future__ import annotations

import os

# One core: numpy's element-wise functions are single-threaded anyway; this
# keeps any BLAS-backed call from spreading to the other core.
for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import time  # noqa: E402
from decimal import Decimal  # noqa: E402

import numpy as np  # noqa: E402
import numpy.typing as npt  # noqa: E402

from bench.common import Figure  # noqa: E402
from kotacerdas.growth import arrays, zscores  # noqa: E402
from kotacerdas.growth.arrays import classify_arrays, compute_zscores_arrays  # noqa: E402
from kotacerdas.growth.zscores import DAYS_PER_MONTH, compute_zscores  # noqa: E402

CHILDREN = 1_000_000
TARGET_PER_SECOND = 500_000
ROUNDS = 3
SCALAR_CHILDREN = 20_000
# One form save computes one child's z-scores; far below a millisecond is the aim.
TARGET_SCALAR_US = 100.0
PYGROWUP_CHILDREN = 20_000


def city_children(rng: np.random.Generator, count: int) -> dict[str, npt.NDArray]:
    """(sex, age in days, weight kg, length/height cm, position) like a city's posyandu months.

    Weights and lengths come from each child's own WHO row at a z drawn around
    Cirebon-like means (some stunting and underweight), clipped to ±4.5 and
    rounded as scales and boards read them (0.1 kg, 0.1 cm); about 1 in 10
    children under two is measured standing, and 1 in 20 older ones lying.
    """
    sex = rng.integers(1, 3, count).astype(np.int8)
    days = rng.integers(0, 1827, count)
    wfa, lhfa = arrays.lms_arrays("wfa"), arrays.lms_arrays("lhfa")
    row = (sex.astype(np.intp) - 1) * wfa.size + days
    weight = _value(wfa, row, rng.normal(-0.6, 1.1, count))
    length = _value(lhfa, row, rng.normal(-0.9, 1.1, count))
    draw = rng.random(count)
    position = np.where(days < 731, np.where(draw < 0.1, "h", "l"), np.where(draw < 0.05, "l", "h"))
    return {
        "sex": sex,
        "age_days": days.astype(np.float64),
        "weight": np.round(weight, 1),
        "lenhei": np.round(length, 1),
        "measure": position,
    }


def _value(t: arrays.LmsArrays, row: npt.NDArray, z: npt.NDArray) -> npt.NDArray:
    l, m, s = t.L[row], t.M[row], t.S[row]  # noqa: E741
    z = np.clip(z, -4.5, 4.5)
    return m * (1 + l * s * z) ** (1 / l)


def _arrays_path(children: dict[str, npt.NDArray]) -> tuple[float, arrays.ZScoreArrays]:
    best = float("inf")
    result = None
    for _ in range(ROUNDS):
        started = time.perf_counter()
        result = compute_zscores_arrays(
            children["sex"],
            age_days=children["age_days"],
            weight=children["weight"],
            lenhei=children["lenhei"],
            measure=children["measure"],
        )
        best = min(best, time.perf_counter() - started)
    assert result is not None
    return best, result


def _scalar_path(children: dict[str, npt.NDArray], count: int) -> float:
    inputs = list(
        zip(
            children["sex"][:count].tolist(),
            children["age_days"][:count].tolist(),
            children["weight"][:count].tolist(),
            children["lenhei"][:count].tolist(),
            children["measure"][:count].tolist(),
            strict=True,
        )
    )
    best = float("inf")
    for _ in range(ROUNDS):
        started = time.perf_counter()
        for sex, days, weight, lenhei, position in inputs:
            compute_zscores(sex, age_days=days, weight=weight, lenhei=lenhei, measure=position)
        best = min(best, time.perf_counter() - started)
    return best


def _pygrowup(
    children: dict[str, npt.NDArray], ours: arrays.ZScoreArrays, count: int
) -> tuple[float, dict[str, npt.NDArray[np.float64]]]:
    """pygrowup's z for the first ``count`` children (NaN where it raises), and its time.

    Given what it can take of our cleaning, so the comparison is of the
    look-ups and formulas: the age in WHO months, the corrected length/height
    (for length/height-for-age and weight-for-length/height, chosen by age as
    WHO does) and our BMI. Restricted z beyond ±3 SD on (``adjust_weight_scores``).
    """
    from pygrowup import Calculator

    calculator = Calculator(adjust_height_data=False, adjust_weight_scores=True, log_level="ERROR")
    results = {k: np.full(count, np.nan) for k in ("wfa", "lhfa", "wflh", "bfa")}
    started = time.perf_counter()
    for i in range(count):
        sex = "M" if children["sex"][i] == 1 else "F"
        months = str(children["age_days"][i] / DAYS_PER_MONTH)
        weight = str(children["weight"][i])
        clenhei = str(ours.clenhei[i])
        weight_for_lenhei = calculator.wfl if children["age_days"][i] < 731 else calculator.wfh
        for key, function, args in (
            ("wfa", calculator.wfa, (weight, months, sex)),
            ("lhfa", calculator.lhfa, (clenhei, months, sex)),
            ("wflh", weight_for_lenhei, (weight, months, sex, clenhei)),
            ("bfa", calculator.bmifa, (str(ours.cbmi[i]), months, sex)),
        ):
            try:
                z: Decimal = function(*args)
            except Exception:  # pygrowup raises for heights and ages off its tables
                continue
            results[key][i] = float(z)
    return time.perf_counter() - started, results


def _agreement(
    children: dict[str, npt.NDArray],
    ours: arrays.ZScoreArrays,
    theirs: dict[str, npt.NDArray[np.float64]],
    count: int,
) -> tuple[int, int, list[str]]:
    """(compared, differing by > 0.01, lines explaining the differences)."""
    days = children["age_days"][:count]
    # Children whose age is a whole WHO month (the day nearest it, not before it): the
    # day pygrowup's monthly row stands for, as pygrowup takes the completed month.
    whole_month = days == np.round(np.floor(days / DAYS_PER_MONTH) * DAYS_PER_MONTH)
    whole_month &= days > 91  # under 13 weeks pygrowup reads weekly rows
    clenhei = ours.clenhei[:count]
    on_half_cm = np.isclose(clenhei * 2, np.round(clenhei * 2), atol=1e-6)
    lines = []
    compared = differing = 0
    for key, name, index in (
        ("wfa", "weight-for-age", "bb_u"),
        ("lhfa", "length/height-for-age", "pb_u"),
        ("wflh", "weight-for-length/height", "bb_pb"),
        ("bfa", "BMI-for-age", "imt_u"),
    ):
        mine = getattr(ours, key).z[:count]
        other = theirs[key]
        both = ~np.isnan(mine) & ~np.isnan(other)
        off = both & (np.abs(mine - other) > 0.01 + 1e-9)
        compared += int(both.sum())
        differing += int(off.sum())
        changed = both & (classify_arrays(index, mine) != classify_arrays(index, other))
        text = (
            f"  {name}: {off.sum():,} of {both.sum():,} differ by > 0.01 "
            f"(max {np.abs(mine - other)[both].max():.2f}); Permenkes category changes for "
            f"{changed.sum():,} ({changed.sum() / max(both.sum(), 1):.1%})"
        )
        if key == "wflh":
            switched = (days < 731) & (clenhei > 86)
            text += (
                f"; on a 0.5 cm length {_share(off, both & on_half_cm & ~switched)}, "
                f"off it {_share(off, both & ~on_half_cm & ~switched)} (pygrowup rounds to "
                "0.5 cm, no interpolation); under 731 days above 86 cm "
                f"{_share(off, both & switched)} (pygrowup takes the height table there)"
            )
        else:
            text += (
                f"; at a whole month {_share(off, both & whole_month)}, "
                f"between months {_share(off, both & ~whole_month)} "
                "(pygrowup reads monthly rows, WHO daily ones)"
            )
        if key == "bfa":
            beyond = both & (np.abs(mine) > 3)
            text += (
                f"; beyond ±3 SD {_share(off, beyond)}, of them at a whole month "
                f"{_share(off, beyond & whole_month)} (pygrowup never restricts BMI)"
            )
        lines.append(text)
        missing = int((~np.isnan(mine) & np.isnan(other)).sum())
        if missing:
            lines.append(f"    {name}: pygrowup gave no z for {missing:,} we scored")
    return compared, differing, lines


def _share(mask: npt.NDArray, within: npt.NDArray) -> str:
    total = int(within.sum())
    return f"{(mask & within).sum() / total:.1%} of {total:,}" if total else "none"


def run() -> list[Figure]:
    # First use: read and check the tables, build their arrays.
    for cached in (zscores.table, zscores._manifest, arrays.lms_arrays):
        cached.cache_clear()
    started = time.perf_counter()
    for code in ("wfa", "lhfa", "wfl", "wfh", "bfa"):
        arrays.lms_arrays(code)
    load_ms = (time.perf_counter() - started) * 1000

    children = city_children(np.random.default_rng(6), CHILDREN)
    seconds, ours = _arrays_path(children)
    per_second = CHILDREN / seconds
    computed = sum(
        int((~np.isnan(getattr(ours, k).z)).sum()) for k in ("wfa", "lhfa", "wflh", "bfa")
    )
    print(
        f"growth arrays: {CHILDREN:,} children in {seconds:.2f} s (best of {ROUNDS}), "
        f"{per_second:,.0f} children/s, {computed / seconds:,.0f} z-scores/s "
        f"({computed / CHILDREN:.2f} of 4 per child); tables loaded in {load_ms:.0f} ms",
        flush=True,
    )

    scalar_seconds = _scalar_path(children, SCALAR_CHILDREN)
    scalar_us = scalar_seconds / SCALAR_CHILDREN * 1e6
    print(
        f"growth scalar: {SCALAR_CHILDREN:,} children one at a time in {scalar_seconds:.2f} s, "
        f"{scalar_us:.1f} µs per child ({SCALAR_CHILDREN / scalar_seconds:,.0f} children/s)",
        flush=True,
    )

    theirs_seconds, theirs = _pygrowup(children, ours, PYGROWUP_CHILDREN)
    theirs_per_second = PYGROWUP_CHILDREN / theirs_seconds
    ratio = per_second / theirs_per_second
    print(
        f"growth pygrowup 0.8.2: {PYGROWUP_CHILDREN:,} of the same children in "
        f"{theirs_seconds:.1f} s, {theirs_per_second:,.0f} children/s; "
        f"arrays path / pygrowup = {ratio:,.0f}×",
        flush=True,
    )
    compared, differing, lines = _agreement(children, ours, theirs, PYGROWUP_CHILDREN)
    print(
        f"growth agreement: {differing:,} of {compared:,} pygrowup z-scores "
        f"({differing / compared:.1%}) differ from ours by > 0.01",
        flush=True,
    )
    for line in lines:
        print(line, flush=True)

    return [
        Figure(
            "growth: WHO z-scores, arrays path, 4 indicators (one core)",
            per_second,
            "children/s",
            TARGET_PER_SECOND,
            higher=True,
            note=f"{CHILDREN:,} children in {seconds:.2f} s",
        ),
        Figure(
            "growth: pygrowup 0.8.2, same 4 indicators",
            theirs_per_second,
            "children/s",
            note=f"{PYGROWUP_CHILDREN:,} of the same children",
        ),
        Figure(
            "growth: arrays path ÷ pygrowup",
            ratio,
            "×",
            note=f"pygrowup z off ours by > 0.01: {differing / compared:.1%}",
        ),
        Figure(
            "growth: scalar path, one child (a form save)",
            scalar_us,
            "µs",
            TARGET_SCALAR_US,
        ),
        Figure("growth: tables loaded and checked (first use)", load_ms, "ms", 500.0),
    ]


if __name__ == "__main__":
    run()
