"""The house rules on size (STYLE.md), checked on the source itself: no module
over 600 lines, no view over 40 lines. Migrations and tests are left out; the
growth library's WHO tables are CSV files, not modules, so nothing to skip."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2]  # kotacerdas/
MAX_MODULE_LINES = 600
MAX_VIEW_LINES = 40


def _modules() -> list[Path]:
    return sorted(
        path
        for path in PACKAGE.rglob("*.py")
        if not {"migrations", "tests"} & set(path.relative_to(PACKAGE).parts)
    )


def _name(path: Path, base: Path = PACKAGE) -> str:
    return path.relative_to(base).as_posix()


def _is_view_module(path: Path) -> bool:
    """``views.py``, ``views_staff.py`` … and every module of a ``views/`` package."""
    return path.name.startswith("views") or "views" in path.relative_to(PACKAGE).parts[:-1]


def _long_functions(path: Path, base: Path = PACKAGE) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            first = min([d.lineno for d in node.decorator_list] + [node.lineno])
            length = (node.end_lineno or node.lineno) - first + 1
            if length > MAX_VIEW_LINES:
                found.append(f"{_name(path, base)}:{node.lineno} {node.name} ({length} lines)")
    return found


def test_the_scan_sees_the_project() -> None:
    names = {_name(path) for path in _modules()}
    assert "people/views.py" in names and "posyandu/views/child.py" in names
    assert not any("/migrations/" in name or "/tests/" in name for name in names)


def test_no_module_is_over_600_lines() -> None:
    too_long = [
        f"{_name(path)} ({lines} lines)"
        for path in _modules()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    ]
    assert too_long == []


def test_no_view_is_over_40_lines() -> None:
    views = [path for path in _modules() if _is_view_module(path)]
    assert len(views) > 10
    assert [found for path in views for found in _long_functions(path)] == []


def test_the_checks_catch_a_long_view_and_count_its_decorators(tmp_path: Path) -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_VIEW_LINES - 2))
    module = tmp_path / "views.py"
    module.write_text(f"@decorator\ndef page(request):\n{body}\n\n\ndef short():\n    pass\n")
    assert _long_functions(module, tmp_path) == []
    module.write_text(f"@one\n@two\ndef page(request):\n{body}\n")
    assert _long_functions(module, tmp_path) == ["views.py:3 page (41 lines)"]
