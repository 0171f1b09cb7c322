"""Small-cell suppression of a kelurahan × month table with its published totals.

Primary suppression hides every count from 1 to ``k`` - 1 (zeros stay
visible), in the cells and in the totals. Complementary suppression then makes
sure no hidden value can be rebuilt from what is published: every total is an
equation (a kelurahan's months add up to its year, the kelurahan add up to the
city's month, the months' city totals to the city's year), and

1. in each equation with exactly one hidden entry, the smallest visible cell
   (non-zero first, totals last) is hidden too; repeated to a fixed point;
2. then the equations are solved for the hidden entries (linear algebra: a
   hidden entry is determined when its unit vector lies in the row space of
   the equations over the hidden entries); for each one that is determined,
   another cell of its kelurahan (or month) is hidden, and step 1 runs again.

Step 2 catches what step 1 cannot (a hidden cell that is a "bridge" between
two groups of hidden cells). Every step only hides more, so it ends.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

Position = tuple[int, int]


@dataclass(frozen=True)
class Suppressed:
    cells: list[list[int | None]]  # rows × columns; None = hidden
    row_totals: list[int | None]  # empty when the rows' totals are not published
    column_totals: list[int | None]
    total: int | None
    hidden: int  # hidden inner cells

    def hidden_positions(self) -> set[Position]:
        return {
            (r, c)
            for r, row in enumerate(self.cells)
            for c, value in enumerate(row)
            if value is None
        }


def suppress(values: Sequence[Sequence[int]], k: int, *, row_totals: bool = True) -> Suppressed:
    """Suppress ``values`` (rows × columns, counts ≥ 0) for threshold ``k``.

    The column totals (the city per month) are always treated as published;
    the row totals (each row's year) and the grand total only when
    ``row_totals`` (a stock's months do not add up to a year).
    """
    table = _Table(values, row_totals)
    hidden = {p for p, v in table.values.items() if 0 < v < k}
    while True:
        _complete_lines(table, hidden)
        determined = _determined(table, hidden)
        if not determined:
            break
        before = len(hidden)
        for position in sorted(determined):
            _hide_partner(table, hidden, position)
        if len(hidden) == before:  # nothing left to hide beside them: hide it all
            hidden = set(table.values)
            break
    return table.published(hidden)


class _Table:
    def __init__(self, values: Sequence[Sequence[int]], row_totals: bool) -> None:
        self.rows = len(values)
        self.columns = len(values[0]) if values else 0
        self.with_row_totals = row_totals
        R, C = self.rows, self.columns
        self.values: dict[Position, int] = {}
        for r in range(R):
            for c in range(C):
                value = int(values[r][c])
                if value < 0:
                    raise ValueError("counts cannot be negative")
                self.values[(r, c)] = value
        for c in range(C):
            self.values[(R, c)] = sum(self.values[(r, c)] for r in range(R))
        self.lines: list[tuple[list[Position], Position]] = [
            ([(r, c) for r in range(R)], (R, c)) for c in range(C)
        ]
        if row_totals:
            for r in range(R + 1):
                self.values[(r, C)] = sum(self.values[(r, c)] for c in range(C))
                self.lines.append(([(r, c) for c in range(C)], (r, C)))
            self.lines.append(([(r, C) for r in range(R)], (R, C)))

    def is_total(self, position: Position) -> bool:
        return position[0] == self.rows or position[1] == self.columns

    def published(self, hidden: set[Position]) -> Suppressed:
        R, C = self.rows, self.columns

        def shown(p: Position) -> int | None:
            return None if p in hidden else self.values[p]

        return Suppressed(
            cells=[[shown((r, c)) for c in range(C)] for r in range(R)],
            row_totals=[shown((r, C)) for r in range(R)] if self.with_row_totals else [],
            column_totals=[shown((R, c)) for c in range(C)],
            total=shown((R, C)) if self.with_row_totals else None,
            hidden=sum(1 for p in hidden if not self.is_total(p)),
        )


def _equations(table: _Table) -> list[list[Position]]:
    return [[*parts, total] for parts, total in table.lines]


def _candidate_key(table: _Table, position: Position) -> tuple[bool, bool, int, Position]:
    value = table.values[position]
    return (table.is_total(position), value == 0, value, position)


def _complete_lines(table: _Table, hidden: set[Position]) -> None:
    """Step 1: no equation keeps exactly one hidden entry."""
    changed = True
    while changed:
        changed = False
        for line in _equations(table):
            if sum(1 for p in line if p in hidden) != 1:
                continue
            visible = [p for p in line if p not in hidden]
            if visible:
                hidden.add(min(visible, key=lambda p: _candidate_key(table, p)))
                changed = True


def _determined(table: _Table, hidden: set[Position]) -> set[Position]:
    """Step 2: the hidden entries that the published equations pin down."""
    order = sorted(hidden)
    if not order:
        return set()
    index = {p: i for i, p in enumerate(order)}
    rows = []
    for line in _equations(table):
        *parts, total = line
        row = np.zeros(len(order))
        for p in parts:
            if p in index:
                row[index[p]] = 1.0
        if total in index:
            row[index[total]] = -1.0
        if row.any():
            rows.append(row)
    if not rows:
        return set()
    matrix = np.array(rows)
    _, singular, vt = np.linalg.svd(matrix)
    rank = int((singular > 1e-9).sum())
    null = vt[rank:]  # a basis of the hidden values' freedom
    if null.shape[0] == 0:
        return set(order)
    free = np.abs(null).max(axis=0) > 1e-9
    return {p for p, moves in zip(order, free, strict=True) if not moves}


def _hide_partner(table: _Table, hidden: set[Position], position: Position) -> None:
    """Hide the smallest visible cell sharing a row (else a column) with ``position``."""
    for line in _equations(table):
        if position not in line:
            continue
        visible = [p for p in line if p not in hidden and not table.is_total(p)]
        if visible:
            hidden.add(min(visible, key=lambda p: _candidate_key(table, p)))
            return
    # Nothing left to hide beside it in any of its lines: hide its lines' totals.
    for line in _equations(table):
        if position in line:
            hidden.update(p for p in line if table.is_total(p))
