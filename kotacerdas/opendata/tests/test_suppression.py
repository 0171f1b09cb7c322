"""Suppression: no published file lets anyone rebuild a hidden count from the totals.

The attacker here is independent of the module's own check: exact rational
Gaussian elimination over every published equation (each kelurahan's months
add up to its year, the kelurahan to the city's month, the months to the year),
looking for any hidden value the equations pin down.
"""

from __future__ import annotations

import random
from fractions import Fraction
from typing import Any

import pytest

from kotacerdas.opendata.suppression import Suppressed, suppress


def rebuildable(values: list[list[int]], result: Suppressed, *, row_totals: bool = True) -> dict:
    """{(row, column): value} of every hidden entry the published totals determine."""
    R, C = len(values), len(values[0])
    cells: dict[tuple[int, int], Any] = {
        (r, c): result.cells[r][c] for r in range(R) for c in range(C)
    }
    for c in range(C):
        cells[(R, c)] = result.column_totals[c]
    lines = [[*[(r, c) for r in range(R)], (R, c)] for c in range(C)]
    if row_totals:
        for r in range(R):
            cells[(r, C)] = result.row_totals[r]
        cells[(R, C)] = result.total
        lines += [[*[(r, c) for c in range(C)], (r, C)] for r in range(R)]
        lines.append([*[(r, C) for r in range(R)], (R, C)])
    unknown = sorted(p for p, v in cells.items() if v is None)
    index = {p: i for i, p in enumerate(unknown)}
    matrix = []
    for line in lines:
        *parts, total = line
        row = [Fraction(0)] * (len(unknown) + 1)
        constant = Fraction(0)  # sum(parts) - total = 0, known values moved right
        for p in parts:
            if p in index:
                row[index[p]] += 1
            else:
                constant -= cells[p]
        if total in index:
            row[index[total]] -= 1
        else:
            constant += cells[total]
        row[-1] = constant
        if any(row[:-1]):
            matrix.append(row)
    # Reduced row echelon form; a row with one non-zero coefficient gives a value.
    pivot_row = 0
    for column in range(len(unknown)):
        pivot = next((i for i in range(pivot_row, len(matrix)) if matrix[i][column] != 0), None)
        if pivot is None:
            continue
        matrix[pivot_row], matrix[pivot] = matrix[pivot], matrix[pivot_row]
        lead = matrix[pivot_row][column]
        matrix[pivot_row] = [x / lead for x in matrix[pivot_row]]
        for i in range(len(matrix)):
            if i != pivot_row and matrix[i][column] != 0:
                factor = matrix[i][column]
                matrix[i] = [
                    a - factor * b for a, b in zip(matrix[i], matrix[pivot_row], strict=True)
                ]
        pivot_row += 1
    found = {}
    for row in matrix:
        nonzero = [i for i, x in enumerate(row[:-1]) if x != 0]
        if len(nonzero) == 1:
            found[unknown[nonzero[0]]] = row[-1]
    return found


def true_value(values: list[list[int]], position: tuple[int, int]) -> int:
    R, C = len(values), len(values[0])
    r, c = position
    if r < R and c < C:
        return values[r][c]
    if r == R and c < C:
        return sum(values[i][c] for i in range(R))
    if r < R:
        return sum(values[r])
    return sum(map(sum, values))


def test_a_small_count_is_hidden_with_a_partner_in_its_row_and_column():
    values = [[3, 10, 20], [10, 10, 10], [0, 6, 40]]

    result = suppress(values, 5)

    assert result.cells[0][0] is None
    hidden = result.hidden_positions()
    assert sum(1 for r, c in hidden if r == 0) >= 2
    assert sum(1 for r, c in hidden if c == 0) >= 2
    assert rebuildable(values, result) == {}


def test_zeros_and_counts_at_the_threshold_stay_visible():
    result = suppress([[0, 5], [11, 12]], 5)

    assert result.cells == [[0, 5], [11, 12]]
    assert result.hidden == 0


def test_a_small_total_is_hidden_too():
    result = suppress([[1, 1, 1], [20, 30, 40]], 5)

    assert result.row_totals[0] is None  # 3 < 5
    assert rebuildable([[1, 1, 1], [20, 30, 40]], result) == {}


def test_without_row_totals_only_the_columns_protect():
    values = [[30, 2], [40, 50], [60, 70]]

    result = suppress(values, 5, row_totals=False)

    assert result.row_totals == [] and result.total is None
    assert result.cells[0][1] is None
    assert sum(1 for r, c in result.hidden_positions() if c == 1) == 2
    assert rebuildable(values, result, row_totals=False) == {}


def test_a_bridge_between_two_hidden_groups_is_protected():
    # Rows 0-1 × columns 0-1 and rows 2-3 × columns 2-3 hold small counts; step 1 alone
    # could leave a cell that only the equations as a whole pin down.
    values = [
        [1, 2, 50, 60],
        [3, 4, 70, 80],
        [90, 91, 1, 2],
        [92, 93, 3, 4],
    ]

    result = suppress(values, 5)

    assert rebuildable(values, result) == {}


def test_negative_counts_are_refused():
    with pytest.raises(ValueError):
        suppress([[1, -1]], 5)


@pytest.mark.parametrize("row_totals", [True, False])
def test_random_tables_never_leak_a_hidden_count_or_show_a_small_one(row_totals):
    rng = random.Random(20261202)
    for _ in range(300):
        rows, columns = rng.randint(1, 8), rng.randint(1, 12)
        k = rng.choice([5, 11])
        values = [
            [
                rng.choice([0, 0, rng.randint(1, k - 1), rng.randint(1, 3 * k)])
                for _ in range(columns)
            ]
            for _ in range(rows)
        ]

        result = suppress(values, k, row_totals=row_totals)

        shown = [v for row in result.cells for v in row if v is not None]
        shown += [
            v for v in [*result.row_totals, *result.column_totals, result.total] if v is not None
        ]
        assert not [v for v in shown if 0 < v < k], values
        leaks = rebuildable(values, result, row_totals=row_totals)
        assert leaks == {}, (values, leaks)
        for (r, c), value in (
            (p, result.cells[p[0]][p[1]])
            for p in [(r, c) for r in range(rows) for c in range(columns)]
        ):
            if value is not None:
                assert value == values[r][c]


def test_the_attacker_finds_a_cell_left_alone():
    """The attack works: hiding one cell only (no complement) is caught."""
    values = [[3, 10], [10, 10]]
    naive = Suppressed(
        cells=[[None, 10], [10, 10]],
        row_totals=[13, 20],
        column_totals=[13, 20],
        total=33,
        hidden=1,
    )

    assert rebuildable(values, naive) == {(0, 0): 3}
    assert true_value(values, (0, 0)) == 3
