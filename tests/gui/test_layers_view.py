"""Layers over time and Feature space: empty states, live samples, warnings and their fixes, the
projector's PCA, a cancelled t-SNE, and a click that loads the test image into the draw panel."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import torch

from engine.data.loading import load_dataset
from engine.data.splits import Split
from engine.model.build import build_model
from engine.model.presets import PRESETS
from engine.training.stats_probe import measure_once
from gui.state import AppState

SPEC = PRESETS["seed000"].spec


@pytest.fixture(scope="module")
def split():
    sample = load_dataset("mnist-sample")
    return Split(sample.test.images[:120], sample.test.labels[:120])


def samples(count=3, dead=False):
    torch.manual_seed(0)
    model = build_model(SPEC)
    if dead:
        with torch.no_grad():
            model.conv2.bias.fill_(-1e4)
    x = torch.randn(16, 1, 28, 28)
    first = measure_once(model, x, torch.randint(0, 10, (16,)))
    return [dataclasses.replace(first, step=10 * (i + 1), epoch=0.5 * (i + 1),
                                update_ratio=np.full(len(first.params), 1e-3)) for i in range(count)]


def make_layers(qtbot, split=None):
    from gui.viewers.layers import LayersView

    view = LayersView(AppState(SPEC), (lambda: split) if split is not None else None)
    qtbot.addWidget(view)
    view.resize(900, 700)
    view.show()
    return view


def test_empty_state_then_live_samples(qtbot):
    view = make_layers(qtbot)
    assert "No layer statistics yet" in view.message_label.text() and not view.save_button.isEnabled()
    for stats in samples(3):
        view.add_stats(stats)
    assert view.refresh_pending()
    view.flush()
    assert not view.message_label.isVisible()
    assert view.memory_label.text().startswith("3 samples")
    assert len(view.lines.listDataItems()) == 3  # conv1, conv2, fc1 gradient norms
    assert view.heat.image.shape[0] == 48 and view.heat.image.shape[1] == 3
    view.kind.setCurrentIndex(2)  # activations: every layer output
    view.flush()
    assert view.layer_names() == list(samples(1)[0].activations)
    again = samples(1)[0]
    view.add_stats(again)  # an earlier step: a new run's history
    view.flush()
    assert len(view.history) == 1


def test_warnings_lead_to_the_setting(qtbot):
    view = make_layers(qtbot)
    for stats in samples(2, dead=True):
        view.add_stats(stats)
    view.flush()
    assert any(m.startswith("relu2: 100% of units dead since epoch 1") for m in view.warnings.messages())
    with qtbot.waitSignal(view.fixRequested) as blocker:
        view.warnings.buttons[0].click()
    assert blocker.args == ["activation", "relu2"]


def test_measure_now_on_the_current_weights(qtbot, split):
    view = make_layers(qtbot, split)
    with qtbot.waitSignal(view.runner.finished, timeout=60000):
        view.measure()
    view.flush()
    assert len(view.history) == 1 and "untrained" in view.memory_label.text()


def make_projector(qtbot, split):
    from gui.viewers.projector import ProjectorView

    view = ProjectorView(AppState(SPEC), lambda: split, lambda: [str(i) for i in range(10)])
    qtbot.addWidget(view)
    view.resize(900, 700)
    view.show()
    return view


def test_projector_pca_click_and_cancelled_tsne(qtbot, split):
    view = make_projector(qtbot, split)
    assert "No projection yet" in view.message_label.text()
    view.compute_tsne()
    assert "PCA first" in view.message_label.text()
    with qtbot.waitSignal(view.runner.finished, timeout=60000):
        view.compute_pca()
    view.flush()
    assert view.projection.points.shape == (120, 2) and view.projection.method == "pca"
    assert len(view.scatter.points()) == 120
    view.set_input(np.zeros((1, 1, 28, 28), np.float32))
    qtbot.waitUntil(lambda: len(view.star.points()) == 1, timeout=5000)
    with qtbot.waitSignal(view.imagePicked) as blocker:
        view._clicked(view.scatter, [view.scatter.points()[7]], None)
    assert blocker.args == [7]
    view.compute_tsne()
    assert view.runner.is_running() and view.cancel_button.isEnabled()
    view.cancel()
    qtbot.waitUntil(lambda: not view.runner.is_running(), timeout=30000)
    assert view.projection.method == "pca" and "Cancelled" in view.message_label.text()
    view.animate()
    assert "Nothing to animate" in view.message_label.text()


def test_main_window_tabs_live_stats_and_fixes(ready_window, qtbot):
    from gui.viewers.layers_tabs import LAYERS_TAB, PROJECTOR_TAB

    window = ready_window
    assert window.tab_index(LAYERS_TAB) >= 0 and window.tab_index(PROJECTOR_TAB) >= 0
    for stats in samples(2):
        window.training.controller.layerStats.emit(stats)
    window.show_view(window.tab_index(LAYERS_TAB))
    window.layers_view.flush()
    assert len(window.layers_view.history) == 2
    window.layers_view.fixRequested.emit("lr", "fc1")
    assert "learning rate" in window.statusBar().currentMessage()
    window.layers_view.fixRequested.emit("activation", "relu1")
    assert window.builder.selected_index() == 1
    window.projector.imagePicked.emit(3)
    assert window.draw.sample_index.value() == 3


def test_a_real_run_feeds_the_view_through_the_worker(qtbot, monkeypatch):
    """The worker thread's reporter → the controller's queued ``layerStats`` → the view, live."""
    from engine.training import stats_probe
    from engine.training.events import TrainConfig

    monkeypatch.setattr(stats_probe, "BUDGET", 1.0)  # a sample every few steps of this short run
    from gui.training.worker import DataRequest, Job, TrainingController

    controller = TrainingController()
    view = make_layers(qtbot)
    controller.layerStats.connect(view.add_stats)
    controller.started.connect(view.start_run)
    tiny = PRESETS["seed000"].spec
    try:
        config = TrainConfig(optimizer="adam", batch_size=256, epochs=1, threads=1)
        assert controller.start(Job(tiny, DataRequest("mnist-sample"), config))
        qtbot.waitUntil(lambda: not controller.running, timeout=300000)  # a hang guard
    finally:
        controller.shutdown(5.0)
    view.flush()
    assert len(view.history) >= 2 and view.history.samples[0].step == 1
    assert view.history.params == ("conv1", "conv2", "fc1")
    assert view.memory_label.text().startswith(f"{len(view.history)} samples")
