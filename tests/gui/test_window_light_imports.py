"""The window paints before torch and pyqtgraph load: building it imports neither (launch stays fast)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import sys
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
app = QApplication([])
from gui.main_window import MainWindow
window = MainWindow(settings=QSettings(sys.argv[1], QSettings.Format.IniFormat))
window.show()
app.processEvents()
print(sorted(m for m in ("torch", "pyqtgraph", "captum", "sklearn", "onnx") if m in sys.modules))
"""


def test_building_and_showing_the_window_imports_no_heavy_package(tmp_path):
    result = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path / "settings.ini")], cwd=ROOT,
                            capture_output=True, text=True, timeout=120,
                            env={"QT_QPA_PLATFORM": "offscreen", "CONVSCOPE_LANGUAGE": "en", "HOME": str(tmp_path),
                                 "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"
