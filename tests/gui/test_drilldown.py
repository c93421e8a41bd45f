"""Error drill-down: clicks on the confusion matrix and the per-class bars open the test images
behind them, most confident first; clicking one loads it into the draw panel."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from PySide6.QtCore import QPointF, Qt
from why_support import (
    jobs_done,  # noqa: F401 (a fixture)
    prepare_window,
    trained_weights,
)

from engine.inspect.activations import model_from_state
from engine.training.evaluate import evaluate, prepare_batch
from gui.viewers.drilldown import cell_members, class_mistakes

LEFT = Qt.MouseButton.LeftButton


def test_cell_members_and_class_mistakes_sort_by_confidence():
    probs = np.array([[0.9, 0.1], [0.2, 0.8], [0.4, 0.6], [0.3, 0.7], [0.6, 0.4]], np.float32)
    labels = np.array([0, 0, 0, 1, 1])
    assert cell_members(probs, labels, 0, 1) == [1, 2]  # 0.8 before 0.6
    assert cell_members(probs, labels, 1, 1) == [3]
    assert cell_members(probs, labels, 1, 0) == [4]
    assert class_mistakes(probs, labels, 0) == [1, 2]
    assert cell_members(probs, labels, 0, 0) == [0]


def click_at(qtbot, widget, x: float, y: float) -> None:
    """A left click on data point (x, y) of a pyqtgraph PlotWidget."""
    scene = widget.getPlotItem().getViewBox().mapViewToScene(QPointF(x, y))
    qtbot.mouseClick(widget.viewport(), LEFT, pos=widget.mapFromScene(scene))


@pytest.mark.usefixtures("jobs_done")
def test_confusion_and_class_clicks_show_exactly_those_test_images(qtbot, monkeypatch, ready_window):
    window, data, weights = ready_window, prepare_window(monkeypatch, ready_window), trained_weights()
    split = data.test
    model = model_from_state(window.state.spec, weights)
    result = evaluate(model, split.images, split.labels, data.info.mean, data.info.std, 10)
    with torch.no_grad():
        predicted = model(prepare_batch(split.images, data.info.mean, data.info.std)).argmax(1).numpy()
    labels = split.labels.numpy()

    plots = window.plots
    plots.confusion, plots.per_class = np.asarray(result.confusion), np.asarray(result.per_class_accuracy)
    plots.mark_dirty("confusion", "classes")
    plots.redraw()
    window.show()
    window.show_view(0)
    qtbot.waitExposed(window)
    off = result.confusion.copy()
    np.fill_diagonal(off, 0)
    true, guess = np.unravel_index(int(off.argmax()), off.shape)
    assert off[true, guess] > 0

    gallery = window.insight.gallery
    with qtbot.waitSignal(gallery.runner.finished, timeout=30000):
        click_at(qtbot, plots.confusion_plot, float(guess), float(true))
    shown = gallery.numbers()
    expected = set(np.flatnonzero((labels == true) & (predicted == guess)).tolist())
    assert set(shown) == expected and len(shown) == result.confusion[true, guess]
    assert f"predicted {guess}" in gallery.title.text()

    click_at(qtbot, plots.confusion_plot, float(true), float(true))  # the diagonal: the right ones
    assert set(gallery.numbers()) == set(np.flatnonzero((labels == true) & (predicted == true)).tolist())

    click_at(qtbot, plots.class_plot, 0.3, float(true))  # the class's accuracy bar: all its mistakes
    mistakes = gallery.numbers()
    assert set(mistakes) == set(np.flatnonzero((labels == true) & (predicted != true)).tolist())
    assert len(mistakes) == result.confusion[true].sum() - result.confusion[true, true]

    gallery.gallery.pick(0)
    assert window.draw.sample_index.value() == mistakes[0]
    assert window.draw.status.text().startswith(f"Test sample #{mistakes[0]}")


@pytest.mark.usefixtures("jobs_done")
def test_the_gallery_follows_new_weights_and_cancels(qtbot, monkeypatch, ready_window):
    window = ready_window
    prepare_window(monkeypatch, window, trained=False)
    gallery = window.insight.gallery
    with qtbot.waitSignal(gallery.runner.finished, timeout=30000):
        gallery.show_class(3)
    untrained = gallery.numbers()
    window.state.set_weights(trained_weights())
    window.insight.evaluation_changed()
    assert gallery.runner.is_running()  # new weights: classified again
    gallery.cancel()
    assert not gallery.runner.is_running() and gallery.title.text() == "Cancelled."
    with qtbot.waitSignal(gallery.runner.finished, timeout=30000):
        gallery.refresh()
    assert gallery.numbers() != untrained


def test_thumbnails_read_channels_first():
    from gui.viewers.thumbs import picture

    grey = np.arange(9, dtype=np.uint8).reshape(1, 3, 3)  # a 3×3 one-channel patch, not an RGB row
    assert picture(grey).shape == (3, 3) and np.array_equal(picture(grey), grey[0])
    rgb = np.zeros((3, 3, 5), np.uint8)
    assert picture(rgb).shape == (3, 5, 3)
