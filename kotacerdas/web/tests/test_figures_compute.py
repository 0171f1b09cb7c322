"""FIGURES callers run each function through figures.compute: its reads may be stale."""

from __future__ import annotations

from kotacerdas.core import replica
from kotacerdas.web import figures


def test_compute_runs_the_function_for_the_year_with_stale_reads_allowed() -> None:
    seen: list[tuple[int, bool]] = []

    def counted(year: int) -> list[figures.Figure]:
        seen.append((year, replica._stale_ok.get()))
        return []

    assert figures.compute(counted, 2026) == []
    assert seen == [(2026, True)]
    assert replica._stale_ok.get() is False  # only for the call
