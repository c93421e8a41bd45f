"""Beside the kernels: activation maximisation and top patches in the background, cached per
weights version, with Cancel; clicking a patch loads its test image into the draw panel."""

from __future__ import annotations

import numpy as np
import pytest
from why_support import (
    jobs_done,  # noqa: F401 (a fixture)
    prepare_window,
    sample_data,
    trained_weights,
)


def kernels_tab(qtbot, monkeypatch, window):
    prepare_window(monkeypatch, window)
    return window.insight.filters


@pytest.mark.usefixtures("jobs_done")
def test_the_maximisation_mosaic_and_top_patches_come_from_the_background(qtbot, monkeypatch, ready_window):
    panel = kernels_tab(qtbot, monkeypatch, ready_window)
    assert panel.layer() == ready_window.kernels.current_layer() == "conv1"
    with qtbot.waitSignal(panel.resultsChanged, timeout=60000):
        panel.maximize_now()
        assert panel.runner.is_running() and panel.cancel_button.isVisibleTo(panel)
    result = panel.maximization()
    assert result.images.shape[0] == 32 and panel.image_item.image is not None
    assert "conv1" in panel.plot.titleLabel.text
    with qtbot.waitSignal(panel.resultsChanged, timeout=60000):
        panel.top_patches_now()
    found = panel.top_patches()
    assert found.indices.shape == (32, 9)
    panel.select(5)
    assert panel.patches.numbers() == [int(i) for i in found.indices[5]]

    panel.patches.pick(2)  # a patch → its whole test image in the draw panel
    assert ready_window.draw.sample_index.value() == int(found.indices[5, 2])
    x = ready_window.draw.current_input()[0]
    image = sample_data().test.images[int(found.indices[5, 2])].numpy().astype(np.float32) / 255
    mean, std = sample_data().info.mean[0], sample_data().info.std[0]
    assert np.allclose(x, (image - mean) / std, atol=1e-5)

    version = ready_window.state.inspection.version
    ready_window.state.set_weights(trained_weights())  # new weights: the results are from before
    assert ready_window.state.inspection.version != version
    assert panel.maximization() is None and panel.maximization(fresh=False) is result


@pytest.mark.usefixtures("jobs_done")
def test_maximisation_cancels_and_the_classes_are_offered(qtbot, monkeypatch, ready_window):
    panel = kernels_tab(qtbot, monkeypatch, ready_window)
    panel.maximize_now()
    assert panel.runner.is_running()
    panel.cancel()
    assert not panel.runner.is_running() and panel.note.text() == "Cancelled."
    assert panel.runner.wait(60000)
    qtbot.wait(50)
    assert panel.maximization() is None  # a cancelled result never lands in the cache
    panel.show_classes()
    assert panel.layer() == "classes" and panel.engine_layer() == ready_window.state.spec.names[-1]
    assert not panel.patches_button.isEnabled()
    with qtbot.waitSignal(panel.resultsChanged, timeout=60000):
        panel.maximize_now()
    assert panel.maximization().images.shape[0] == 10
    assert "10 classes" in panel.plot.titleLabel.text


@pytest.mark.usefixtures("jobs_done")
def test_selecting_a_kernel_selects_its_filter(qtbot, monkeypatch, ready_window):
    panel = kernels_tab(qtbot, monkeypatch, ready_window)
    ready_window.kernels.set_layer("conv2")
    assert panel.layer() == "conv2"
    with qtbot.waitSignal(panel.filterSelected) as blocker:
        ready_window.kernels.filterSelected.emit("conv2", 7)
    assert blocker.args == ["conv2", 7] and panel.selected() == 7
