"""Beside the Kernels view: what each filter wants to see, and the test patches that excite it most.

For the conv layer the Kernels view shows (or the output classes): the activation-maximisation
mosaic (an input optimised from noise to excite each channel, ``engine.inspect.maximize``) and,
for the selected filter, its top-9 test patches (``engine.inspect.top_patches`` over the test
split of the draw panel's dataset). Both run on a ``TaskRunner`` with progress and Cancel on a
private copy of the inspection model, and are kept per weights version (``FilterCache``): they
start by themselves when the panel is on screen and nothing trains, and by the buttons always.
Clicking a mosaic tile selects that filter (``filterSelected``); clicking a patch emits
``patchPicked(test index)`` (the main window loads it into the draw panel).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, Signal, Slot
from PySide6.QtWidgets import QComboBox, QLabel, QProgressBar, QPushButton, QWidget

from gui.state import AppState
from gui.tasks import TaskRunner
from gui.viewers.base import STRETCH, Viewer, row
from gui.viewers.filter_jobs import FilterCache, maximize_job, patches_job, stretched, tile_mosaic
from gui.viewers.mosaic import image_plot
from gui.viewers.thumbs import Thumbnails
from gui.widgets import colormaps, theme

__all__ = ["FilterPanel"]

CLASSES = "classes"


class FilterPanel(Viewer):
    """Activation maximisation and top patches; ``split()`` gives the test split (or None)."""

    filterSelected = Signal(str, int)  # layer, channel
    patchPicked = Signal(int)  # index into the test split
    resultsChanged = Signal()
    export_title = QT_TRANSLATE_NOOP("FilterPanel", "Export filter pictures")

    def __init__(self, state: AppState, split: Callable[[], Any], parent: QWidget | None = None):
        super().__init__(state, parent)
        self.setObjectName("filterPanel")
        self._split = split
        self.cache = FilterCache()
        self._conv_layer: str | None = None
        self._selected = 0
        self._job: tuple[str, str, int] | None = None  # kind, layer, version of the running job
        self._grid: tuple[int, int, int, int] | None = None  # n, cols, h, w of the mosaic

        self.what_combo = QComboBox()
        self.what_combo.setAccessibleName(self.tr("Layer and picture shown"))
        self.what_combo.setToolTip(self.tr("the conv layer chosen in Kernels, or the output classes"))
        self.maximize_button = QPushButton(self.tr("Maximise"))
        self.maximize_button.setToolTip(
            self.tr("optimise an input from noise to excite each channel (a few hundred steps)"))
        self.patches_button = QPushButton(self.tr("Top patches"))
        self.patches_button.setToolTip(self.tr("the 9 test patches that excite each filter most (its receptive field)"))
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 100)
        self.progress_bar.setMaximumWidth(120)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("font-size: 11px;")
        theme.apply_pyqtgraph_defaults()
        self.view = pg.GraphicsLayoutWidget()
        self.view.setAccessibleName(self.tr("Filter pictures"))
        self.view.setMinimumSize(180, 160)
        self.plot, self.image_item, self.color_bar = image_plot(self.view, 0, "gray")
        self.color_bar.hide()
        self.patch_title = QLabel(self.tr("Top patches"))
        self.patches = Thumbnails(56)
        self.patches.setAccessibleName(self.tr("Image patches that excite the chosen filter"))
        self.patches.setMaximumHeight(150)
        self.arrange((row(self.what_combo, self.maximize_button, self.patches_button, STRETCH),
                      row(self.progress_bar, self.cancel_button, STRETCH, self.export_button)), self.view,
                     below=(self.note, self.patch_title, self.patches))
        theme.compact(self)

        self.runner = TaskRunner(self)
        self.runner.progress.connect(lambda f: self.progress_bar.setValue(round(100 * f)))
        self.runner.finished.connect(self._finished)
        self.runner.failed.connect(self._failed)
        self.runner.running.connect(self._set_busy)
        self.maximize_button.clicked.connect(self.maximize_now)
        self.patches_button.clicked.connect(self.top_patches_now)
        self.cancel_button.clicked.connect(self.cancel)
        self.what_combo.currentIndexChanged.connect(self._what_chosen)
        self.view.scene().sigMouseClicked.connect(self._clicked)
        self.patches.picked.connect(self.patchPicked)
        state.specChanged.connect(self._spec_changed)
        state.inspection.changed.connect(self.request_refresh)
        self.follow_theme(self.view)
        self._set_busy(False)
        self._spec_changed(state.spec)

    # ------------------------------------------------------------------ public API
    def set_conv_layer(self, layer: str | None) -> None:
        """The conv layer to show (the one chosen in the Kernels view)."""
        self._conv_layer = layer
        self.what_combo.setItemText(0, self.tr("filters of {0}").format(layer) if layer else self.tr("no conv layer"))
        if self.layer() != CLASSES:
            self._what_chosen()

    def layer(self) -> str | None:
        """What is shown: the conv layer's name, or ``"classes"`` for the output classes."""
        return self._conv_layer if self.what_combo.currentIndex() == 0 else CLASSES

    def show_classes(self, on: bool = True) -> None:
        self.what_combo.setCurrentIndex(1 if on else 0)

    def engine_layer(self) -> str | None:
        """The layer name the engine works on (the last layer for the classes)."""
        layer = self.layer()
        return self.state.spec.names[-1] if layer == CLASSES and self.state.spec.names else layer

    def selected(self) -> int:
        return self._selected

    def select(self, channel: int) -> None:
        """Select a filter: its top patches below, ``filterSelected`` out."""
        self._selected = max(0, int(channel))
        self._show_patches()
        layer = self.layer()
        if layer and layer != CLASSES:
            self.filterSelected.emit(layer, self._selected)

    def maximization(self, layer: str | None = None, fresh: bool = True) -> Any:
        """The ``MaximizeResult`` for ``layer`` (default: shown) and these weights, or None."""
        return self.cache.get("max", layer or self.layer() or "", self._version() if fresh else None)

    def top_patches(self, layer: str | None = None, fresh: bool = True) -> Any:
        """The ``TopPatches`` for ``layer`` (default: shown) and these weights, or None."""
        return self.cache.get("patches", layer or self.layer() or "", self._version() if fresh else None)

    def test_images(self) -> np.ndarray | None:
        """The test split's uint8 images ``(N, C, H, W)``, or None without a dataset."""
        split = self._split()
        return None if split is None or len(split) == 0 else split.images.numpy()

    def maximize_now(self) -> None:
        """Start activation maximisation for what is shown."""
        layer = self.layer()
        if not layer or not self.state.report.ok:
            return
        self._start("max", layer, maximize_job, self.state.inspection.model.copy_module(), self.state.spec,
                    self.engine_layer(), None, *self.state.input_stats())

    def top_patches_now(self) -> None:
        """Start the top-patch search over the test split for the conv layer shown."""
        layer = self.layer()
        if not layer or layer == CLASSES or not self.state.report.ok:
            return
        images = self.test_images()
        if images is None:
            self.note.setText(self.tr("No test images to search: load a dataset in Training."))
            return
        mean, std = self.state.input_stats()
        self._start("patches", layer, patches_job, self.state.inspection.model.copy_module(), self.state.spec,
                    images, layer, mean, std)

    def cancel(self) -> None:
        if self.runner.is_running():
            self.runner.cancel()
            self._job = None
            self.note.setText(self.tr("Cancelled."))

    def export_target(self) -> QWidget:
        return self.view

    @property
    def export_name(self) -> str:
        return f"{self.layer() or 'filters'}_maximisation"

    # ------------------------------------------------------------------ state
    def _version(self) -> int:
        return self.state.inspection.version

    @Slot(object)
    def _spec_changed(self, spec: Any) -> None:
        self.cache.clear()
        self.runner.cancel()
        self._job = None
        self.what_combo.blockSignals(True)
        self.what_combo.clear()
        self.what_combo.addItem(self.tr("filters"), "layer")
        self.what_combo.addItem(self.tr("output classes ({0})").format(spec.num_classes), CLASSES)
        self.what_combo.blockSignals(False)
        self.set_conv_layer(None)

    @Slot()
    def _what_chosen(self, *_args: Any) -> None:
        self._selected = 0
        self.patches_button.setEnabled(self.layer() != CLASSES)
        self.request_refresh()

    def refresh(self) -> None:
        """Show what the cache holds; on screen with nothing training, compute what is missing."""
        layer = self.layer()
        if not self.state.report.ok or not layer:
            self.show_message(self.tr("Fix the network's errors to see its filters.") if not self.state.report.ok
                              else self.tr("This network has no conv layers."))
            self.image_item.clear()
            self.patches.clear()
            return
        self.show_message("")
        self._show_mosaic()
        self._show_patches()
        if self.isVisible() and not self.state.training and not self.runner.is_running():
            if self.maximization() is None:
                self.maximize_now()
            elif layer != CLASSES and self.top_patches() is None and self._split() is not None:
                self.top_patches_now()

    def _start(self, kind: str, layer: str, fn: Callable[..., Any], *args: Any) -> None:
        self._job = (kind, layer, self._version())
        what = self.tr("Maximising {0}…") if kind == "max" else self.tr("Searching the test set for {0}…")
        self.note.setText(what.format(self.tr("the classes") if layer == CLASSES else layer))
        self.runner.start(fn, *args)

    @Slot(object)
    def _finished(self, result: Any) -> None:
        if self._job is None:
            return
        kind, layer, version = self._job
        self._job = None
        self.cache.put(kind, layer, version, result)
        self.note.setText("")
        self.refresh()
        self.resultsChanged.emit()

    @Slot(str)
    def _failed(self, message: str) -> None:
        self._job = None
        self.note.setText(self.tr("Cannot compute: {0}").format(message))

    @Slot(bool)
    def _set_busy(self, busy: bool) -> None:
        self.progress_bar.setVisible(busy)
        self.cancel_button.setVisible(busy)
        self.progress_bar.setValue(0)

    # ------------------------------------------------------------------ drawing
    def _show_mosaic(self) -> None:
        result = self.maximization(fresh=False)
        if result is None:
            self.image_item.clear()
            self._grid = None
            self.plot.setTitle(self.tr("not computed yet"), size="9pt")
            return
        tiles = stretched(result.images)
        image, cols = tile_mosaic(tiles)
        self.image_item.setImage(image, autoLevels=False, levels=None if image.ndim == 3 else (0.0, 1.0))
        if image.ndim == 2:
            self.image_item.setLookupTable(colormaps.lut("gray"))
        self._grid = (tiles.shape[0], cols, tiles.shape[1], tiles.shape[2])
        self.plot.getViewBox().autoRange(padding=0.01)
        stale = "" if self.maximization() is not None else self.tr(" · from earlier weights")
        title = self.tr("{0}: inputs that excite its {1} classes most") if self.layer() == CLASSES else \
            self.tr("{0}: inputs that excite its {1} channels most")
        self.plot.setTitle(title.format(result.layer, len(result.units)) + stale, size="9pt")

    def _show_patches(self) -> None:
        found = self.top_patches(fresh=False)
        if found is None or self.layer() == CLASSES:
            self.patches.clear()
            self.patch_title.setText(self.tr("Top patches: not computed yet") if self.layer() != CLASSES else
                                     self.tr("Top patches are for conv filters"))
            return
        c = min(self._selected, found.indices.shape[0] - 1)
        stale = "" if self.top_patches() is not None else self.tr(" (earlier weights)")
        self.patch_title.setText(self.tr("Top {0} test patches of {1} filter {2}{3} — click one to draw it").format(
            found.indices.shape[1], found.layer, c, stale))
        self.patches.set_pictures(list(found.patches[c]), [int(i) for i in found.indices[c]],
                                  [f"#{int(i)}" for i in found.indices[c]],
                                  [self.tr("test image #{0}, activation {1}").format(int(i), f"{float(v):.3g}")
                                   for i, v in zip(found.indices[c], found.values[c])])

    @Slot(object)
    def _clicked(self, event: Any) -> None:
        if self._grid is None or not self.plot.getViewBox().sceneBoundingRect().contains(event.scenePos()):
            return
        p = self.image_item.mapFromScene(event.scenePos())
        n, cols, h, w = self._grid
        hit = colormaps.tile_at(p.x(), p.y(), n, cols, h, w)
        if hit is not None:
            self.select(hit[0])

    def max_image(self, channel: int) -> np.ndarray | None:
        """Channel ``channel``'s optimised input as a 0..1 picture (None when not computed)."""
        result = self.maximization(fresh=False)
        if result is None or self.layer() == CLASSES or channel >= len(result.units):
            return None
        return stretched(result.images[channel:channel + 1])[0]
