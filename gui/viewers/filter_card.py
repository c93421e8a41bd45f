"""A filter card: one filter's weights, what it wants to see, its top test patches and its map for
the current input, together in one small window.

Opened by selecting a filter in the Kernels view, its maximisation mosaic or the feature maps.
Pictures the Kernels side panel already computed for these weights (``FilterPanel``) are reused;
what is missing runs on the card's own ``TaskRunner`` (the maximisation of this one channel, the
top patches of its layer, which the panel then keeps too).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QDialog, QLabel, QProgressBar, QVBoxLayout, QWidget

from gui.state import AppState
from gui.tasks import TaskRunner
from gui.viewers.filter_jobs import maximize_job, patches_job, stretched
from gui.viewers.filter_vis import FilterPanel
from gui.viewers.mosaic import image_plot, kernel_mosaic, nice_levels
from gui.viewers.thumbs import Thumbnails
from gui.widgets import colormaps, theme

__all__ = ["FilterCard"]


class FilterCard(QDialog):
    """One filter at a glance; ``patchPicked(test index)`` when a patch is clicked."""

    patchPicked = Signal(int)
    updated = Signal()

    def __init__(self, state: AppState, panel: FilterPanel, current_input: Callable[[], np.ndarray],
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("filterCard")
        self.setWindowTitle(self.tr("Filter card"))
        self.state, self.panel, self._current_input = state, panel, current_input
        self.layer: str | None = None
        self.channel = 0
        self._max: np.ndarray | None = None
        self._jobs: list[tuple[str, Callable[..., Any], tuple]] = []
        self._job: str | None = None
        self._version = -1  # of the weights the running job uses

        theme.apply_pyqtgraph_defaults()
        self.view = pg.GraphicsLayoutWidget()
        self.view.setAccessibleName(self.tr("The filter, its input channels and what it responds to"))
        self.view.setMinimumSize(520, 190)
        self.weights_plot, self.weights_item, self.weights_bar = image_plot(self.view, 0, colormaps.DEFAULT_DIVERGING)
        self.max_plot, self.max_item, max_bar = image_plot(self.view, 1, "gray")
        max_bar.hide()
        self.map_plot, self.map_item, self.map_bar = image_plot(self.view, 2, colormaps.DEFAULT_DIVERGING)
        self.title = QLabel()
        self.title.setStyleSheet("font-weight: bold;")
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 100)
        self.patches = Thumbnails(56)
        self.patches.setAccessibleName(self.tr("Image patches that excite this filter most"))
        self.patches.setMinimumHeight(70)
        layout = QVBoxLayout(self)
        for widget, stretch in ((self.title, 0), (self.view, 3), (QLabel(
            self.tr("Top test patches (click one to draw it)")), 0),
                                (self.patches, 1), (self.progress_bar, 0), (self.status, 0)):
            layout.addWidget(widget, stretch)
        self.resize(640, 460)
        self.setWindowFlag(Qt.WindowType.Tool, True)

        self.runner = TaskRunner(self)
        self.runner.progress.connect(lambda f: self.progress_bar.setValue(round(100 * f)))
        self.runner.finished.connect(self._finished)
        self.runner.failed.connect(self._failed)
        self.runner.running.connect(self.progress_bar.setVisible)
        self.patches.picked.connect(self.patchPicked)
        self.progress_bar.hide()

    # ------------------------------------------------------------------ public API
    def show_filter(self, layer: str, channel: int) -> None:
        """Show filter ``channel`` of ``layer`` (computing what is missing in the background)."""
        self.runner.cancel()
        self.layer, self.channel = layer, int(channel)
        self.title.setText(self.tr("{0} · filter {1}").format(layer, self.channel))
        self.status.setText("")
        self._jobs = []
        self._show_weights()
        self._show_map()
        self._show_max()
        self._show_patches()
        self._next_job()
        self.show()
        self.raise_()
        self.updated.emit()

    def weights_image(self) -> np.ndarray | None:
        return self.weights_item.image

    def max_image(self) -> np.ndarray | None:
        return self._max

    def map_image(self) -> np.ndarray | None:
        return self.map_item.image

    def patch_numbers(self) -> list[int]:
        return self.patches.numbers()

    def follow_input(self) -> None:
        """A new input: its map (and the weights, which may have moved since)."""
        if self.layer is not None:
            self._show_weights()
            self._show_map()
            self.updated.emit()

    # ------------------------------------------------------------------ parts
    def _show_weights(self) -> None:
        module = self.state.inspection.model.module
        weight = getattr(getattr(module, self.layer, None), "weight", None) if module is not None else None
        if weight is None or weight.dim() != 4:
            self.weights_item.clear()
            self.weights_plot.setTitle(self.tr("{0} has no kernels").format(self.layer), size="9pt")
            return
        kernels = weight[self.channel].detach().numpy()
        m = float(np.abs(kernels).max()) or 1.0
        image, _factor, _grid = kernel_mosaic(kernels, m)
        self.weights_item.setImage(image, autoLevels=False, levels=(-m, m))
        self.weights_bar.setLevels((-m, m))
        self.weights_plot.setTitle(self.tr("weights: {0} input channels").format(kernels.shape[0]), size="9pt")
        self.weights_plot.getViewBox().autoRange(padding=0.01)

    def _show_map(self) -> None:
        try:
            maps, _probs = self.state.inspection.model.feature_maps(self._current_input())
            out = maps[self.layer]
        except Exception as exc:  # no input yet, or a spec mid-edit
            self.map_item.clear()
            self.map_plot.setTitle(self.tr("no map: {0}").format(exc), size="9pt")
            return
        if out.ndim != 3 or self.channel >= out.shape[0]:
            self.map_item.clear()
            self.map_plot.setTitle(self.tr("no map for this channel"), size="9pt")
            return
        one = out[self.channel]
        levels = nice_levels(float(one.min()), float(one.max()), True)
        self.map_item.setImage(one, autoLevels=False, levels=levels)
        self.map_bar.setLevels(levels)
        self.map_plot.setTitle(self.tr("its map for the current input"), size="9pt")
        self.map_plot.getViewBox().autoRange(padding=0.01)

    def _show_max(self) -> None:
        image = self.panel.max_image(self.channel) if self.panel.layer() == self.layer else None
        if image is None or self.panel.maximization(self.layer) is None:
            self._max = None
            self.max_item.clear()
            self.max_plot.setTitle(self.tr("what it wants to see: computing…"), size="9pt")
            args = (self.state.inspection.model.copy_module(), self.state.spec, self.layer, [self.channel],
                    *self.state.input_stats())
            self._jobs.append(("max", maximize_job, args))
            return
        self._set_max(image)

    def _set_max(self, image: np.ndarray) -> None:
        self._max = image
        self.max_item.setImage(image, autoLevels=False, levels=(0.0, 1.0) if image.ndim == 2 else None)
        if image.ndim == 2:
            self.max_item.setLookupTable(colormaps.lut("gray"))
        self.max_plot.setTitle(self.tr("what it wants to see"), size="9pt")
        self.max_plot.getViewBox().autoRange(padding=0.01)

    def _show_patches(self) -> None:
        found = self.panel.top_patches(self.layer)
        if found is not None and self.channel < found.indices.shape[0]:
            c = self.channel
            self.patches.set_pictures(list(found.patches[c]), [int(i) for i in found.indices[c]],
                                      [f"{float(v):.2g}" for v in found.values[c]])
            return
        self.patches.clear()
        images = self.panel.test_images()
        if images is not None:
            mean, std = self.state.input_stats()
            args = (self.state.inspection.model.copy_module(), self.state.spec, images, self.layer, mean, std)
            self._jobs.append(("patches", patches_job, args))

    # ------------------------------------------------------------------ jobs
    def _next_job(self) -> None:
        if self._jobs:
            self._job, fn, args = self._jobs.pop(0)
            self._version = self.state.inspection.version
            self.runner.start(fn, *args)

    @Slot(object)
    def _finished(self, result: Any) -> None:
        if self._job == "max":
            self._set_max(stretched(result.images[:1])[0])
        elif self._job == "patches":
            self.panel.cache.put("patches", result.layer, self._version, result)
            self._show_patches()
        self._job = None
        self._next_job()
        self.updated.emit()

    @Slot(str)
    def _failed(self, message: str) -> None:
        what = self.tr("Cannot compute the patches: {0}") if self._job == "patches" else \
            self.tr("Cannot compute the picture: {0}")
        self.status.setText(what.format(message))
        self._job = None
        self._next_job()
        self.updated.emit()
