"""Shared fixtures: Qt runs offscreen unless told otherwise; a MainWindow with private settings."""

from __future__ import annotations

import gc
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# runs recorded by tests (train records every run) stay out of the user's runs folder
os.environ.setdefault("CONVSCOPE_RUNS_DIR", tempfile.mkdtemp(prefix="convscope-test-runs-"))
os.environ["CONVSCOPE_LANGUAGE"] = "en"  # tests find widgets by their English text, whatever the system locale
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pytest  # noqa: E402

from gui.gc_policy import GuiThreadCollector  # noqa: E402

# As in the app (gui.gc_policy): no cyclic collection may start in a worker, warm-up or task thread,
# where it would run the destructors of Qt objects left by earlier tests; this thread collects instead.
_COLLECTOR = GuiThreadCollector()
gc.disable()


@pytest.hookimpl(wrapper=True, trylast=True)
def pytest_runtest_teardown(item, nextitem):
    result = yield
    _COLLECTOR.collect_due()
    return result


@pytest.fixture
def main_window(qtbot, tmp_path):
    """A MainWindow with its own settings file and no save prompts; the engine not yet loaded."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from gui.main_window import MainWindow
    from gui.widgets import theme

    theme.install(QApplication.instance())
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings=settings)
    window.ask_to_save = False
    qtbot.addWidget(window)
    yield window
    window.training.shutdown(3.0)


@pytest.fixture
def ready_window(main_window):
    """``main_window`` with the engine (torch) loaded, as after the background import."""
    from engine.training.devices import describe_device

    main_window.engine_loaded(describe_device("auto"))
    return main_window
