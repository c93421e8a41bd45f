"""gui.viewers.base: refreshes coalesce, wait while hidden and come on show; messages; export."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QLabel, QTabWidget  # noqa: E402

from engine.model.presets import PRESETS  # noqa: E402
from gui.state import AppState  # noqa: E402
from gui.viewers.base import FIX_ERRORS, STRETCH, Viewer, row  # noqa: E402


class Counting(Viewer):
    export_name = "counting"

    def __init__(self, state):
        super().__init__(state)
        self.refreshes = 0
        self.figure = QLabel("figure")
        self.arrange((row("Controls", STRETCH, self.export_button),), self.figure)

    def refresh(self):
        self.refreshes += 1

    def export_target(self):
        return self.figure


def make(qtbot):
    state = AppState(PRESETS["seed000"].spec)
    tabs = QTabWidget()
    viewer = Counting(state)
    other = QLabel("other tab")
    tabs.addTab(other, "other")
    tabs.addTab(viewer, "viewer")
    qtbot.addWidget(tabs)
    tabs.resize(400, 300)
    tabs.show()
    qtbot.waitExposed(tabs)
    return state, tabs, viewer


def test_requests_in_one_turn_cost_one_refresh(qtbot):
    _, tabs, viewer = make(qtbot)
    tabs.setCurrentWidget(viewer)
    for _ in range(5):
        viewer.request_refresh()
    assert viewer.refreshes == 0 and viewer.refresh_pending()
    qtbot.waitUntil(lambda: viewer.refreshes == 1, timeout=1000)
    qtbot.wait(30)
    assert viewer.refreshes == 1 and not viewer.refresh_pending()


def test_hidden_viewer_waits_until_shown(qtbot):
    _, tabs, viewer = make(qtbot)
    tabs.setCurrentIndex(0)  # the other tab is on screen
    viewer.request_refresh()
    qtbot.wait(30)
    assert viewer.refreshes == 0 and viewer.refresh_pending()
    tabs.setCurrentWidget(viewer)
    qtbot.waitUntil(lambda: viewer.refreshes == 1, timeout=1000)
    assert not viewer.refresh_pending()


def test_flush_refreshes_now_and_message_line(qtbot):
    _, tabs, viewer = make(qtbot)
    tabs.setCurrentWidget(viewer)
    viewer.request_refresh()
    viewer.flush()
    assert viewer.refreshes == 1
    viewer.show_message(FIX_ERRORS.format(what="kernels"))
    assert viewer.message_label.isVisibleTo(viewer)
    assert viewer.message_label.text() == "Fix the network's errors to see its kernels."
    viewer.show_message("")
    assert not viewer.message_label.isVisibleTo(viewer)


def test_export_png_writes_the_figure(qtbot, tmp_path):
    _, tabs, viewer = make(qtbot)
    tabs.setCurrentWidget(viewer)
    qtbot.wait(20)
    path = viewer.export_png(str(tmp_path / "figure.png"))
    with open(path, "rb") as f:
        assert f.read(8) == b"\x89PNG\r\n\x1a\n"
