"""Other runs and a reference curve drawn over the training plots."""

from __future__ import annotations

import numpy as np
import pytest

from gui.training.plot_parts import RunOverlay
from gui.training.plots import TrainingPlots


@pytest.fixture
def plots(qtbot):
    widget = TrainingPlots()
    qtbot.addWidget(widget)
    widget.ensure_built()
    return widget


def _legend_names(plot) -> list[str]:
    return [label.text for _sample, label in plot.getPlotItem().legend.items]


def _run(name: str, n: int = 3, batches: bool = False) -> RunOverlay:
    epochs = np.arange(1, n + 1, dtype=float)
    acc = np.linspace(0.5, 0.9, n)
    acc[1] = np.nan  # a missing test pass
    steps = np.linspace(0, n, 50) if batches else None
    loss = np.linspace(2.0, 0.3, 50) if batches else None
    return RunOverlay(name, epochs, acc, np.linspace(1.0, 0.4, n), steps, loss)


def test_overlays_get_distinct_colours_and_legend_names(plots):
    plots.set_run_overlays([_run("baseline"), _run("wider", batches=True)])
    items = plots.overlays.items
    acc_curves = [curve for _i, curve, kind in items if kind == "acc"]
    assert len(acc_curves) == 2
    assert [kind for _i, _c, kind in items].count("batch") == 1
    colours = {curve.opts["pen"].color().name() for curve in acc_curves}
    assert len(colours) == 2
    live = {plots.test_acc_curve.opts["pen"].color().name(), plots.train_acc_curve.opts["pen"].color().name()}
    assert not colours & live
    assert {"baseline", "wider"} <= set(_legend_names(plots.acc_plot))
    assert {"baseline (test)", "wider (test)"} <= set(_legend_names(plots.loss_plot))
    x, y = acc_curves[0].getData()
    assert list(x) == [1.0, 2.0, 3.0] and np.isnan(y[1]) and y[2] == pytest.approx(0.9)


def test_setting_overlays_replaces_them_and_an_empty_list_clears(plots):
    plots.set_run_overlays([_run("a"), _run("b"), _run("c")])
    plots.set_run_overlays([_run("d")])
    assert "a" not in _legend_names(plots.acc_plot) and "d" in _legend_names(plots.acc_plot)
    assert len(plots.overlays.items) == 2
    plots.set_run_overlays([])
    assert plots.overlays.items == []
    names = _legend_names(plots.acc_plot) + _legend_names(plots.loss_plot)
    assert not any(n in names for n in ("a", "d", "d (test)"))
    curves = plots.acc_plot.getPlotItem().listDataItems()
    assert curves == [plots.acc_ema_curve, plots.train_acc_curve, plots.test_acc_curve]


def test_overlays_survive_a_new_run_and_follow_the_theme(plots):
    plots.set_run_overlays([_run("kept")])
    plots.clear()
    assert "kept" in _legend_names(plots.acc_plot)
    curve = plots.overlays.items[0][1]
    light = curve.opts["pen"].color().name()
    plots.apply_theme(True)
    assert curve.opts["pen"].color().name() != light


def test_the_reference_curve_is_dashed_named_and_cleared(plots):
    from PySide6.QtCore import Qt

    plots.set_reference_curve("notes: seed000", [1, 2, 3], [0.8, 0.9, 0.95])
    ref = plots.overlays.reference
    assert ref.opts["pen"].style() == Qt.PenStyle.DashLine
    assert "notes: seed000" in _legend_names(plots.acc_plot)
    assert list(ref.getData()[1]) == [0.8, 0.9, 0.95]
    plots.set_reference_curve("again", [1], [0.5])  # replaces, never stacks
    assert "notes: seed000" not in _legend_names(plots.acc_plot)
    plots.set_reference_curve(None)
    assert plots.overlays.reference is None and "again" not in _legend_names(plots.acc_plot)


def test_overlays_before_the_plots_are_built_build_them(qtbot):
    widget = TrainingPlots()
    qtbot.addWidget(widget)
    widget.set_run_overlays([_run("early")])
    assert widget.built and "early" in _legend_names(widget.acc_plot)
