"""The app with the keyboard alone: Tab to Start and train; draw on the canvas with arrow keys."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

MAX_TABS = 60


def _shown(window, qtbot):
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)


def test_tab_reaches_start_and_space_starts_training(ready_window, qtbot):
    window = ready_window
    _shown(window, qtbot)
    window.training_dock.raise_()
    window.training.dataset_combo.setFocus(Qt.FocusReason.TabFocusReason)
    start = window.training.start_button
    seen = []
    for _ in range(MAX_TABS):
        if QApplication.focusWidget() is start:
            break
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    assert QApplication.focusWidget() is start, [type(w).__name__ for w in seen]
    assert all(window.training.isAncestorOf(w) for w in seen)  # the panel's own controls, in its order
    QTest.keyClick(start, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.training.controller.running, timeout=15000)
    QTest.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # Ctrl+Return stops it
    qtbot.waitUntil(lambda: not window.training.controller.running, timeout=15000)


def test_ctrl_return_starts_training_from_anywhere(ready_window, qtbot):
    window = ready_window
    _shown(window, qtbot)
    window.builder.tree.setFocus()
    QTest.keyClick(window.builder.tree, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.training.controller.running, timeout=15000)
    window.training.stop_action.trigger()
    qtbot.waitUntil(lambda: not window.training.controller.running, timeout=15000)


def test_the_canvas_draws_with_arrow_keys_and_tab_leaves_it(main_window, qtbot):
    window = main_window
    _shown(window, qtbot)
    window.focus_draw()
    canvas = window.draw.canvas
    qtbot.waitUntil(canvas.hasFocus, timeout=3000)
    blank = canvas.gray_array().copy()
    QTest.keyClick(canvas, Qt.Key.Key_Space)  # pen down
    for _ in range(6):
        QTest.keyClick(canvas, Qt.Key.Key_Down)
    QTest.keyClick(canvas, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    QTest.keyClick(canvas, Qt.Key.Key_Space)  # pen up
    assert len(canvas.strokes) == 1 and len(canvas.strokes[0][2]) == 8
    x, y = canvas.strokes[0][2][-1][:2]
    assert abs(x - (0.5 + 4 / 28)) < 1e-6 and abs(y - (0.5 + 6 / 28)) < 1e-6
    assert np.count_nonzero(canvas.gray_array() != blank) > 100
    for _ in range(30):  # arrows at the edge stay on the sheet
        QTest.keyClick(canvas, Qt.Key.Key_Left)
    assert canvas.key_cursor[0] == 0.0 and len(canvas.strokes) == 1  # moving with the pen up draws nothing
    QTest.keyClick(canvas, Qt.Key.Key_Tab)
    assert not canvas.hasFocus()  # Tab moves on: the canvas does not trap the focus
