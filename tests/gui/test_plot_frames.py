"""What each redraw of the training plots costs: bounded points, epoch curves set once per epoch,
nothing drawn while hidden behind another tab."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from PySide6.QtWidgets import QLabel, QTabWidget

from gui.training.plot_buffers import PeakDecimator
from gui.training.plots import TrainingPlots


def _chunk(start: int, n: int, per_epoch: int = 100) -> SimpleNamespace:
    x = np.arange(start, start + n) / per_epoch
    return SimpleNamespace(x=x, loss=2.0 * np.exp(-x) + 0.01 * np.sin(np.arange(n)), accuracy=np.full(n, 0.5),
                           lr=np.full(n, 1e-3))


def _epoch(epoch: int) -> SimpleNamespace:
    return SimpleNamespace(epoch=epoch, step=100 * epoch, train_loss=1.0 / epoch, train_accuracy=0.8,
                           test_loss=1.1 / epoch, test_accuracy=0.85, lr=1e-3, per_class_accuracy=None,
                           confusion=None)


def test_the_decimator_keeps_short_series_whole_and_long_ones_bounded_with_their_peaks():
    dec = PeakDecimator(limit=64)
    x = np.arange(50, dtype=float)
    y = np.sin(x)
    shown_x, shown_y = dec.view(x, y)
    assert np.array_equal(shown_x, x) and np.array_equal(shown_y, y)
    x = np.arange(100_000, dtype=float)
    y = np.zeros_like(x)
    y[77_777], y[12_345] = 50.0, -3.0  # a spike and a dip survive
    y[500] = np.nan  # a non-finite loss is not a peak
    for stop in range(1000, 100_001, 7_000):  # the series grows between redraws
        shown_x, shown_y = dec.view(x[:stop], y[:stop])
        assert len(shown_x) == len(shown_y) <= 64 + dec.bucket
        assert np.all(np.diff(shown_x) >= 0) and shown_x[-1] == stop - 1
    shown_x, shown_y = dec.view(x, y)
    assert np.nanmax(shown_y) == 50.0 and np.nanmin(shown_y) == -3.0
    assert 77_777.0 in shown_x and shown_x[-1] == 99_999.0
    dec.clear()
    assert len(dec.view(x[:10], y[:10])[0]) == 10


def test_a_long_run_draws_a_bounded_number_of_points(qtbot):
    plots = TrainingPlots()
    qtbot.addWidget(plots)
    plots.ensure_built()
    plots.begin_run(200)
    for start in range(0, 20_000, 1_000):
        plots.add_batches(_chunk(start, 1_000))
        plots.redraw()
    assert plots.batch_count == 20_000
    for curve in (plots.raw_curve, plots.ema_curve, plots.acc_ema_curve, plots.lr_curve):
        assert 0 < len(curve.xData) <= 2048 + 64
    assert plots.raw_curve.xData[-1] == pytest.approx(19_999 / 100)


def test_epoch_curves_are_set_only_when_an_epoch_arrives(qtbot, monkeypatch):
    plots = TrainingPlots()
    qtbot.addWidget(plots)
    plots.ensure_built()
    calls = []
    original = plots.test_loss_curve.setData
    monkeypatch.setattr(plots.test_loss_curve, "setData", lambda *a, **k: (calls.append(1), original(*a, **k)))
    for i in range(5):
        plots.add_batches(_chunk(i * 10, 10))
        plots.redraw()
    assert len(calls) == 1  # the first draw (no epochs yet), then never again without a new epoch
    plots.add_epoch(_epoch(1))
    plots.add_batches(_chunk(50, 10))
    plots.redraw()
    plots.redraw()
    assert len(calls) == 2 and list(plots.test_loss_curve.xData) == [1.0]
    plots.clear()
    plots.redraw()
    assert len(calls) == 3 and plots.test_loss_curve.xData is None  # (pyqtgraph's empty data)


def test_hidden_plots_wait_for_their_tab(qtbot):
    tabs = QTabWidget()
    qtbot.addWidget(tabs)
    plots = TrainingPlots()
    tabs.addTab(plots, "plots")
    tabs.addTab(QLabel("other"), "other")
    tabs.show()
    plots.ensure_built()
    qtbot.waitUntil(lambda: not plots.pending, timeout=5000)
    tabs.setCurrentIndex(1)
    before = plots.repaints
    plots.add_batches(_chunk(0, 30))
    qtbot.wait(200)  # several redraw ticks
    assert plots.repaints == before and not plots.pending  # nothing drawn, nothing waited for
    assert plots.raw_curve.xData is None or len(plots.raw_curve.xData) == 0
    tabs.setCurrentIndex(0)
    qtbot.waitUntil(lambda: plots.raw_curve.xData is not None and len(plots.raw_curve.xData) == 30, timeout=5000)
    assert plots.repaints > before


def test_a_new_run_clears_each_plot_on_its_own_tick(qtbot):
    plots = TrainingPlots()
    qtbot.addWidget(plots)
    plots.show()
    plots.ensure_built()
    plots.begin_run(3)
    plots.add_batches(_chunk(0, 100))
    stats = _epoch(1)
    stats.per_class_accuracy, stats.confusion = np.full(10, 0.9), np.eye(10, dtype=int) * 5
    plots.add_epoch(stats)
    plots.redraw()
    assert plots.image.image is not None and len(plots.raw_curve.xData) == 100
    plots.clear()
    plots.begin_run(3)
    # nothing repainted in the event that starts the run: the old plots stay until their tick
    assert plots.image.image is not None and len(plots.raw_curve.xData) == 100 and plots.pending
    qtbot.waitUntil(lambda: not plots.pending, timeout=5000)
    assert plots.image.image is None and plots.raw_curve.xData is None
    assert not any(plots.loss_plot.getPlotItem().getViewBox().autoRangeEnabled())  # the run's fixed ranges
    plots.clear()  # a loaded history: auto ranges again, once drawn
    plots.add_epoch(stats)
    plots.redraw()
    assert all(plots.loss_plot.getPlotItem().getViewBox().autoRangeEnabled())
