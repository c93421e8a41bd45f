"""The app freezes what the first optimizer imports, once no run is in flight (gui.app.freeze_after_warm_up)."""

from __future__ import annotations

import gc
from types import SimpleNamespace

from PySide6.QtWidgets import QWidget

from engine.training.warmup import is_warm
from gui.app import freeze_after_warm_up


def test_the_warm_up_is_frozen_only_when_no_run_is_in_flight(qtbot):
    window = QWidget()
    qtbot.addWidget(window)
    controller = SimpleNamespace(running=True)
    window.training = SimpleNamespace(controller=controller)
    gc.unfreeze()
    freeze_after_warm_up(window, poll_ms=10, delay_ms=0)
    qtbot.waitUntil(is_warm, timeout=60_000)
    qtbot.wait(100)
    assert gc.get_freeze_count() == 0  # a run is in flight: its objects must stay collectable
    controller.running = False
    qtbot.waitUntil(lambda: gc.get_freeze_count() > 0, timeout=5_000)
    gc.unfreeze()
