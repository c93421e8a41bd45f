"""Repaint the live loss plot 20,000 times: PySide6 6.12 on CPython 3.11 dies within ~5,000."""

from __future__ import annotations

import time

import numpy as np
import pytest

from engine.training.events import BatchStats
from gui.training.worker import BatchChunk

pytestmark = pytest.mark.slow

REPAINTS = 20_000


def test_live_plot_survives_20000_repaints(qtbot):
    from PySide6.QtWidgets import QApplication

    from gui.training.plots import TrainingPlots
    from gui.widgets import theme

    app = QApplication.instance()
    theme.install(app)
    plots = TrainingPlots()
    qtbot.addWidget(plots)
    plots.ensure_built()
    # the real pipeline first: coalesced chunks into the throttled redraw
    stats = BatchStats(1, 1, 100, 1, 100, 2.3, 0.1, 1e-3, 1000.0, 10.0)
    for i in range(50):
        x = np.arange(i * 20, (i + 1) * 20) / 100.0
        plots.add_batches(BatchChunk(x, 2.3 * np.exp(-x) + 0.05 * np.random.rand(20), np.full(20, 0.5),
                                     np.full(20, 1e-3), stats))
        plots.redraw()
    assert plots.batch_count == 1000
    # then the soak, on the loss plot alone: small, on a fixed range, without the grid and legend
    # (together 2 ms of painting per frame here), so 20,000 repaints fit in about 40 s
    widget = plots.loss_plot
    widget.setParent(None)
    widget.setMinimumSize(10, 10)
    widget.resize(200, 140)
    widget.show()
    qtbot.addWidget(widget)
    item = widget.getPlotItem()
    item.enableAutoRange(False)
    item.setRange(xRange=(0, 1), yRange=(-1.2, 1.2), padding=0)
    item.showGrid(x=False, y=False)
    item.legend.hide()
    x = np.linspace(0.0, 1.0, 64)
    started = time.perf_counter()
    for i in range(REPAINTS):
        plots.raw_curve.setData(x, np.sin(6 * x + i * 0.01))
        widget.viewport().repaint()
        if i % 100 == 0:
            app.processEvents()
    seconds = time.perf_counter() - started
    assert plots.raw_curve.yData[0] == pytest.approx(np.sin((REPAINTS - 1) * 0.01))
    print(f"{REPAINTS} repaints in {seconds:.1f} s ({seconds / REPAINTS * 1000:.2f} ms each)")
