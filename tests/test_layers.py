"""The packages import one another only downward: bot → commands → schedules → storage → voice.

An upward import (storage reaching into schedules for a rule, schedules into commands for a
sentence) makes a cycle between folders that every new command would copy; this test names it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ("bot", "commands", "schedules", "storage", "voice")
"""Top to bottom: a package may import those after it, never those before it."""


def imported_packages(path: Path) -> set[tuple[str, int]]:
    """Our top-level packages ``path`` imports, with the line (module level and inside
    functions alike)."""
    found: set[tuple[str, int]] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        found |= {(n.partition(".")[0], node.lineno) for n in names
                  if n.partition(".")[0] in LAYERS}
    return found


def upward_imports(package: str) -> list[str]:
    allowed = set(LAYERS[LAYERS.index(package):])
    return [f"{path.relative_to(ROOT)}:{line} imports {target}"
            for path in sorted((ROOT / package).rglob("*.py"))
            for target, line in sorted(imported_packages(path))
            if target not in allowed]


@pytest.mark.parametrize("package", LAYERS)
def test_a_package_imports_only_the_layers_below_it(package: str) -> None:
    assert upward_imports(package) == []


def test_an_upward_import_is_found(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from commands.base import Context\n", encoding="utf-8")
    assert imported_packages(module) == {("commands", 2)}
