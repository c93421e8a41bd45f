"""The filter card: a click on a kernel (or a feature map) shows that filter's weights, what it
wants to see, its top patches and its map for the current input together."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from why_support import (
    jobs_done,  # noqa: F401 (a fixture)
    prepare_window,
    trained_weights,
)

from engine.inspect.activations import conv_kernels

LEFT = Qt.MouseButton.LeftButton


@pytest.mark.usefixtures("jobs_done")
def test_clicking_a_kernel_opens_its_card(qtbot, monkeypatch, ready_window):
    window, weights = ready_window, trained_weights()
    prepare_window(monkeypatch, window)
    window.draw.show_sample(4)
    window.show()
    window.show_view(2)
    qtbot.waitExposed(window.kernels)
    kernels, card = window.kernels, window.insight.card
    kernels.flush()
    rows, cols, kh, kw = kernels.kernel_grid_shape()
    f = kernels.zoom_factor()
    tile = 3  # the 4th kernel: row 0, column 3 of the mosaic
    x, y = (tile % cols) * (kw * f + 1) + kw * f / 2, (tile // cols) * (kh * f + 1) + kh * f / 2
    scene = kernels.image_item.mapToScene(QPointF(x, y))
    with qtbot.waitSignal(card.updated, timeout=10000):
        qtbot.mouseClick(kernels.view.viewport(), LEFT, pos=kernels.view.mapFromScene(scene))
    assert card.isVisible() and (card.layer, card.channel) == ("conv1", tile)
    assert window.insight.filters.selected() == tile
    kernel = conv_kernels(weights, "conv1")[tile]  # (1, 3, 3): one input channel
    shown = card.weights_image()
    assert shown.shape == (kh * f, kw * f) and np.allclose(shown[::f, ::f], kernel[0])

    maps, _ = window.state.inspection.model.feature_maps(window.draw.current_input())
    assert np.allclose(card.map_image(), maps["conv1"][tile])
    qtbot.waitUntil(lambda: card.max_image() is not None and len(card.patch_numbers()) == 9, timeout=60000)
    assert card.max_image().shape == (28, 28)
    top = window.insight.filters.top_patches("conv1")
    assert card.patch_numbers() == [int(i) for i in top.indices[tile]]

    window.draw.show_sample(7)  # a new input: the card's map follows
    maps, _ = window.state.inspection.model.feature_maps(window.draw.current_input())
    assert np.allclose(card.map_image(), maps["conv1"][tile])
    card.patches.pick(0)
    assert window.draw.sample_index.value() == card.patch_numbers()[0]


@pytest.mark.usefixtures("jobs_done")
def test_a_feature_map_click_opens_the_card_and_layers_without_kernels_say_so(qtbot, monkeypatch, ready_window):
    window = ready_window
    prepare_window(monkeypatch, window, trained=False)
    card = window.insight.card
    window.feature_maps.filterSelected.emit("pool1", 2)
    assert card.isVisible() and card.layer == "pool1"
    assert card.weights_image() is None and "no kernels" in card.weights_plot.titleLabel.text
    assert card.map_image().shape == (14, 14)
    qtbot.waitUntil(lambda: not card.runner.is_running() and card.max_image() is not None, timeout=60000)
