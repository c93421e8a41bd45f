"""First launch: the window takes about 90% of the screen and fits at 1366×768 up to 2560×1440.

Screens are given as their available rectangles in logical pixels (a 32-px panel at the top);
with a device pixel ratio of 2 Qt hands the window the same logical rectangle (2732×1536 at
QT_SCALE_FACTOR=2 is 1366×768), so the same cases cover it.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QByteArray, QRect, QSettings, QSize

from gui.geometry import BUILDER_MIN, FRAME_ALLOWANCE, SCREEN_FRACTION, first_launch_plan

SCREENS = {"1366x768": QRect(0, 32, 1366, 736), "1920x1080": QRect(0, 32, 1920, 1048),
           "2560x1440": QRect(0, 32, 2560, 1408)}


def _inside(outer: QRect, inner: QRect) -> bool:
    return outer.contains(inner.adjusted(0, -FRAME_ALLOWANCE.height() + 8, 0, 0))


@pytest.mark.parametrize("name", list(SCREENS))
def test_the_plan_is_about_ninety_percent_and_inside_the_screen(name):
    available = SCREENS[name]
    plan = first_launch_plan(available, QSize(1000, 600))
    assert _inside(available, plan.rect), (plan.rect, available)
    assert plan.rect.width() == int(available.width() * SCREEN_FRACTION)
    assert abs(plan.rect.center().x() - available.center().x()) <= 1
    assert not plan.compact
    assert plan.builder_width >= BUILDER_MIN
    assert plan.builder_width + plan.side_width < plan.rect.width() - 300  # room for the views


def test_a_minimum_wider_than_ninety_percent_still_fits_and_one_wider_than_the_screen_goes_compact():
    available = SCREENS["1366x768"]
    plan = first_launch_plan(available, QSize(1300, 700))
    assert plan.rect.width() >= 1300 and plan.rect.height() >= 700 and _inside(available, plan.rect)
    plan = first_launch_plan(available, QSize(1500, 700), QSize(1200, 700))
    assert plan.compact and plan.rect.width() >= 1200 and _inside(available, plan.rect)


def _unplanned_window(qtbot, tmp_path):
    from gui.main_window import MainWindow

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue("geometry", QByteArray(b"not a geometry"))  # no first-launch plan in the constructor
    window = MainWindow(settings=settings)
    window.ask_to_save = False
    qtbot.addWidget(window)
    assert window.first_launch_plan is None
    return window


@pytest.mark.parametrize("name", list(SCREENS))
def test_the_real_window_fits_each_screen_once_the_engine_has_loaded(qtbot, tmp_path, name):
    from PySide6.QtWidgets import QApplication

    from engine.training.devices import describe_device
    from gui.geometry import apply_first_launch
    from gui.main_window import VIEWS_MIN_WIDTH
    from gui.widgets import theme

    theme.install(QApplication.instance())
    window = _unplanned_window(qtbot, tmp_path)
    available = SCREENS[name]
    reserve = max(0, VIEWS_MIN_WIDTH - window.views.minimumSizeHint().width())
    plan = apply_first_launch(window, window.builder_dock, window.training_dock, available, reserve)
    try:
        window.engine_loaded(describe_device("auto"))  # the viewers replace their loading pages
        window.plots.ensure_built()
        minimum = window.minimumSizeHint()
        assert minimum.width() <= plan.rect.width() and minimum.height() <= plan.rect.height(), (minimum, plan)
        assert _inside(available, plan.rect)
        assert window.geometry().size() == plan.rect.size()
        assert plan.compact == (name == "1366x768")
        assert window.views.minimumSizeHint().width() <= VIEWS_MIN_WIDTH  # the reserve still covers the views
        if not plan.compact:
            assert plan.builder_width >= BUILDER_MIN
    finally:
        window.training.shutdown(3.0)
