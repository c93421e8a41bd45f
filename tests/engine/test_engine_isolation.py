"""The engine never imports Qt; spec and shapes never import torch."""

import pkgutil
import subprocess
import sys
from pathlib import Path

import engine

ROOT = Path(__file__).resolve().parents[2]


def _run(code: str) -> str:
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_importing_every_engine_module_leaves_qt_unimported():
    modules = sorted(m.name for m in pkgutil.walk_packages(engine.__path__, "engine."))
    assert "engine.model.spec" in modules and "engine.model.shapes" in modules and "engine.cli.main" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph', 'PyQt5', 'PyQt6'))\n"
        "print(','.join(bad))\n"
    )
    assert _run(code).strip() == ""


def test_builder_side_needs_no_torch():
    code = (
        "import sys\n"
        "import engine.model.spec, engine.model.shapes, engine.model.presets\n"
        "from engine.model.shapes import analyze\n"
        "from engine.model.presets import PRESETS\n"
        "[analyze(p.spec) for p in PRESETS.values()]\n"
        "print('torch' in sys.modules)\n"
    )
    assert _run(code).strip() == "False"
