"""The layout's own rules, checked on every run: small modules, no private names across modules.

The layering itself (Qt-free engine, layer order, no cycles) is import-linter's job (`make lint`).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PRODUCT = sorted(p for package in ("engine", "gui") for p in (ROOT / package).rglob("*.py"))
MAX_LINES = 400


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_the_layout_has_modules():
    assert len(PRODUCT) > 30
    assert any(_module_name(p) == "engine.model.spec" for p in PRODUCT)


@pytest.mark.parametrize("path", PRODUCT, ids=lambda p: str(p.relative_to(ROOT)))
def test_module_is_small(path: Path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(ROOT)} has {lines} lines (at most {MAX_LINES}): split it"


def private_imports(path: Path) -> list[str]:
    """``from other.module import _name`` where the module is not the importer's own package's ``__init__``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in ("engine", "gui"):
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    found.append(f"{node.module}.{alias.name} (line {node.lineno})")
    return found


def test_private_import_check_can_fail(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("from gui.viewers.feature_maps import _demo, public\nfrom os import _exit\n")
    assert private_imports(sample) == ["gui.viewers.feature_maps._demo (line 1)"]


def test_no_private_names_imported_across_modules():
    offenders = {str(p.relative_to(ROOT)): found for p in PRODUCT if (found := private_imports(p))}
    assert offenders == {}
