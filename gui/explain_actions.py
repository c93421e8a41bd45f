"""The Explain menu's commands: open the drawn digit, a feature map or a learned kernel in the explainer.

Each takes the main window (its ``draw``, ``feature_maps``, ``kernels``, ``explainer``, ``state`` and status bar).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QCoreApplication

translate = QCoreApplication.translate


def explain_drawing(window: Any) -> None:
    """Open the drawn digit's 28×28 network view (0–1) in the convolution explainer."""
    image = window.draw.current_image28()
    window.explainer.set_input_array(np.round(image.astype(np.float32) / 255.0, 2),
                                     translate("ExplainActions", "the drawn digit (28×28)"))
    window.show_view(window.views.indexOf(window.explainer))


def explain_feature_map(window: Any) -> None:
    """Open the feature map selected in the viewer as the explainer's input."""
    viewer = window.feature_maps
    output = viewer.layer_output() if viewer is not None else None
    if output is None or output.ndim != 3:
        window.statusBar().showMessage(
            translate("ExplainActions", "Pick a conv, pool or activation layer in Feature maps first"), 5000)
        return
    index = min(viewer.selected_map(), output.shape[0] - 1)
    window.explainer.set_input_array(np.round(output[index], 3),
                                     translate("ExplainActions", "{0} map {1}").format(viewer.current_layer(), index))
    window.show_view(window.views.indexOf(window.explainer))


def explain_kernel(window: Any) -> None:
    """Open the first kernel of the conv layer shown in Kernels (all its input channels)."""
    from engine.inspect.activations import conv_kernels

    layer = window.kernels.current_layer() if window.kernels is not None else None
    weights = window.state.weights
    if layer is None or weights is None:
        window.statusBar().showMessage(
            translate("ExplainActions", "Train or open a model first: its learned kernels come from there"), 5000)
        return
    kernel = conv_kernels(weights, layer)[0]
    window.explainer.set_kernel_array(np.round(kernel, 3),
                                      translate("ExplainActions", "{0} kernel 0 (learned)").format(layer))
    window.show_view(window.views.indexOf(window.explainer))
