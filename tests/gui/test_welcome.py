"""The first-run welcome: opt-in through the app (never from a plain window), three working buttons,
"Don't show this again" remembered, back from Help → Getting Started."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from gui.welcome import WELCOME_HIDDEN, WelcomeDialog, welcome_wanted


def _open(window) -> WelcomeDialog:
    window.menus.welcome_action.trigger()
    dialog = window.welcome
    assert isinstance(dialog, WelcomeDialog) and dialog.isVisible()
    return dialog


def test_a_plain_window_shows_no_welcome(main_window, qtbot):
    main_window.show()
    qtbot.waitExposed(main_window)
    QApplication.processEvents()
    assert main_window.welcome is None
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, WelcomeDialog) and w.isVisible()]


def test_getting_started_brings_it_and_dont_show_again_is_remembered(main_window, tmp_path):
    assert welcome_wanted(main_window.settings)
    dialog = _open(main_window)
    assert "Getting Started" in main_window.menus.welcome_action.text().replace("&", "")
    dialog.hide_check.setChecked(True)
    fresh = QSettings(main_window.settings.fileName(), QSettings.Format.IniFormat)
    assert not welcome_wanted(fresh) and fresh.value(WELCOME_HIDDEN) in (True, "true")
    dialog.close()
    again = _open(main_window)  # Help → Getting Started still brings it back
    assert again.hide_check.isChecked()
    again.hide_check.setChecked(False)
    assert welcome_wanted(QSettings(main_window.settings.fileName(), QSettings.Format.IniFormat))


def test_draw_button_opens_draw_with_the_canvas_focused(main_window, qtbot):
    main_window.show()
    qtbot.waitExposed(main_window)
    main_window.training_dock.raise_()
    dialog = _open(main_window)
    qtbot.mouseClick(dialog.draw_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    main_window.activateWindow()
    qtbot.waitUntil(lambda: main_window.draw.canvas.hasFocus(), timeout=3000)
    shown = main_window.draw.visibleRegion().isEmpty, main_window.training.visibleRegion().isEmpty
    qtbot.waitUntil(lambda: not shown[0]() and shown[1](), timeout=3000)  # Draw's tab in front of Training's


def test_kernels_button_shows_the_kernels_view(main_window, qtbot):
    dialog = _open(main_window)
    qtbot.mouseClick(dialog.kernels_button, Qt.MouseButton.LeftButton)
    assert main_window.views.tabText(main_window.views.currentIndex()) == "Kernels"


def test_train_button_waits_for_the_engine_then_starts_training(main_window, qtbot):
    dialog = _open(main_window)
    assert not dialog.train_button.isEnabled()  # PyTorch not loaded yet: Start is disabled too
    from engine.training.devices import describe_device

    main_window.engine_loaded(describe_device("auto"))
    assert dialog.train_button.isEnabled()
    qtbot.mouseClick(dialog.train_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: main_window.training.controller.running, timeout=10000)
    main_window.training.stop_action.trigger()
