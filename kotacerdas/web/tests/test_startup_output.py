"""`make run` says what a newcomer needs: no line twice, no font subsetting, no task chatter."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from kotacerdas.core.logs import AtLeast
from kotacerdas.web.management.commands.demo import quiet_pdf_fonts


def _console() -> logging.Handler:
    return next(h for h in logging.getLogger().handlers if h.name == "console")


def test_djangos_lines_reach_the_console_once() -> None:
    # Django's own console handler under DEBUG printed each line a second time.
    assert logging.getLogger("django").handlers == []
    assert logging.getLogger("django").propagate


@pytest.mark.parametrize(
    ("name", "level", "shown"),
    [
        ("django.tasks", logging.INFO, False),
        ("django.tasks", logging.WARNING, True),
        ("django_tasks_db", logging.INFO, True),  # "Starting worker": once
        ("kotacerdas.hospital.actions", logging.INFO, True),
    ],
)
def test_the_console_drops_task_progress_whatever_db_worker_sets(
    name: str, level: int, shown: bool
) -> None:
    record = logging.LogRecord(name, level, __file__, 1, "Task id=x state=RUNNING", (), None)

    assert bool(_console().filter(record)) is shown


def test_at_least_takes_level_names_and_numbers() -> None:
    quiet = AtLeast(levels={"a": "WARNING", "b.c": logging.ERROR})

    def passes(name: str, level: int) -> bool:
        return bool(quiet.filter(logging.LogRecord(name, level, __file__, 1, "m", (), None)))

    assert not passes("a.x", logging.INFO) and passes("a", logging.WARNING)
    assert not passes("b.c", logging.WARNING) and passes("b", logging.INFO)
    assert passes("ab", logging.DEBUG)  # not a child of "a"


def _render_without_harfbuzz_subset(monkeypatch: Any) -> None:
    """A PDF as on a machine without libharfbuzz-subset: WeasyPrint falls back to fontTools."""
    from weasyprint import HTML
    from weasyprint.pdf import fonts

    monkeypatch.setattr(fonts, "harfbuzz_subset", None)
    HTML(string="<p>Akta kelahiran</p>").write_pdf()


def test_font_subsetting_never_logs_its_hundred_lines(
    monkeypatch: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)

    _render_without_harfbuzz_subset(monkeypatch)

    assert not [r for r in caplog.records if r.name.startswith("fontTools")]
    # The advice about the machine's HarfBuzz stays for whoever runs a server ...
    assert any("HarfBuzz" in r.getMessage() for r in caplog.records)


def test_the_demo_keeps_the_harfbuzz_advice_to_itself(
    monkeypatch: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    before = logging.getLogger("weasyprint").level

    with quiet_pdf_fonts():
        _render_without_harfbuzz_subset(monkeypatch)

    assert [r.getMessage() for r in caplog.records] == []
    assert logging.getLogger("weasyprint").level == before
