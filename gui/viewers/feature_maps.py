"""Feature maps: what every layer makes of the current input, for the current weights.

One layer at a time: its channels tiled into ONE ``ImageItem`` mosaic (numpy, 1-px gaps drawn
transparent), a click enlarges one channel beside it with its own colour bar, and 1-D layers
(flatten, linear) are a bar chart. The maps come from the app's one inspection model
(``AppState.inspection``: eval mode, new weights at most 5 times a second while training, one
torch thread, hooks that always come off); inputs coalesce to one forward pass per event-loop
turn, and a hidden viewer waits until it is shown.

``python -m gui.viewers.demo maps`` trains seed000 on the bundled MNIST sample and shows this
viewer and the kernel viewer side by side with a real test digit as input.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QPointF, Signal, Slot
from PySide6.QtWidgets import QComboBox, QLabel, QSizePolicy, QStackedWidget, QWidget

from engine.inspect.model import untrained_model
from engine.model.spec import NetworkSpec
from gui.state import AppState
from gui.viewers.base import FIX_ERRORS, STRETCH, Viewer, row
from gui.viewers.mosaic import follow_levels, image_plot, nice_levels, scaled_tiles, shape_text, signed_layers
from gui.widgets import colormaps, theme

__all__ = ["FeatureMapViewer", "nice_levels", "signed_layers", "untrained_model"]

SCALES = (QT_TRANSLATE_NOOP("FeatureMapViewer", "per layer"), QT_TRANSLATE_NOOP("FeatureMapViewer", "per map"))


class FeatureMapViewer(Viewer):
    """Every layer's output for one input. Connect a draw panel's ``inputChanged`` to
    ``set_input``; hover messages come out of ``statusMessage``."""

    mapsUpdated = Signal()  # after each recompute and redraw
    filterSelected = Signal(str, int)  # a map was clicked: layer, channel
    export_title = QT_TRANSLATE_NOOP("FeatureMapViewer", "Export feature maps")

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(state, parent)
        self.setObjectName("featureMapViewer")
        self._spec_ok = False
        self._trained = False
        self._input: np.ndarray | None = None
        self._maps: dict[str, np.ndarray] = {}
        self._probs: np.ndarray | None = None
        self._signed: dict[str, bool] = {}
        self._shapes: dict[str, tuple[int, ...]] = {}
        self._names: list[str] = []
        self._selected_map = 0
        self._grid: tuple[int, int, int, int] | None = None  # rows, cols, h, w of the mosaic
        self._shown: np.ndarray | None = None  # the current layer's raw output
        self._mosaic: np.ndarray | None = None
        self._mosaic_cmap: str | None = None
        self._detail_cmap: str | None = None
        self._bar_count = 0

        # -- controls ----------------------------------------------------------------------
        self.layer_combo = QComboBox()
        self.layer_combo.setAccessibleName(self.tr("Layer"))
        self.layer_combo.setToolTip(self.tr("Layer whose output is shown"))
        self.layer_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.cmap_combo = QComboBox()
        self.cmap_combo.setAccessibleName(self.tr("Colour map"))
        self.cmap_combo.addItem(self.tr("auto"), "auto")
        for name in colormaps.NAMES:
            self.cmap_combo.addItem(name, name)
        self.cmap_combo.setToolTip(self.tr("auto: viridis for non-negative outputs, a diverging map (blue < 0 < red) "
                                   "for signed ones (conv, batchnorm, linear)"))
        self.scale_combo = QComboBox()
        self.scale_combo.setAccessibleName(self.tr("Colour scale"))
        for scale in SCALES:
            self.scale_combo.addItem(self.tr(scale), scale)
        self.scale_combo.setToolTip(self.tr("per layer: one colour scale for all maps (compare channels); "
                                    "per map: each map stretched to its own range (see structure)"))
        self.weights_label = QLabel()
        self.weights_label.setStyleSheet("font-size: 11px;")

        controls = row(self.tr("Layer"), self.layer_combo, 8, self.tr("Colours"), self.cmap_combo, self.tr("Scale"),
                       self.scale_combo, STRETCH)
        status_row = row(self.weights_label, self.export_button)
        status_row.setStretch(0, 1)

        theme.apply_pyqtgraph_defaults()  # plot colours from the palette
        # -- image page: mosaic + enlarged map -------------------------------------------
        self.maps_view = pg.GraphicsLayoutWidget()
        self.maps_view.setAccessibleName(self.tr("Feature maps of the chosen layer"))
        self.maps_view.setMinimumSize(240, 160)
        self.mosaic_plot, self.mosaic_image, self.mosaic_bar = image_plot(self.maps_view, 0, "viridis")
        self.detail_plot, self.detail_image, self.detail_bar = image_plot(self.maps_view, 1, "viridis")
        layout = self.maps_view.ci.layout
        layout.setColumnStretchFactor(0, 3)
        layout.setColumnStretchFactor(1, 2)

        # -- bar page: 1-D outputs ----------------------------------------------------------
        self.bar_view = pg.PlotWidget()
        self.bar_view.setAccessibleName(self.tr("Linear layer outputs as bars"))
        self.bar_view.setMenuEnabled(False)
        self.bar_plot = self.bar_view.getPlotItem()
        self.bar_plot.showGrid(y=True, alpha=0.3)
        self.bar_plot.setLabel("bottom", "unit")
        self.bar_plot.setLabel("left", "value")
        self.bar_item = pg.BarGraphItem(x=np.zeros(1), height=np.zeros(1), width=0.8, brush="#0072B2", pen=None)
        self.bar_plot.addItem(self.bar_item)

        self.stack = QStackedWidget()
        self.stack.addWidget(self.maps_view)
        self.stack.addWidget(self.bar_view)
        self.stack.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

        self.arrange((controls, status_row), self.stack)

        # -- signals -------------------------------------------------------------------------
        self.layer_combo.currentIndexChanged.connect(self._layer_chosen)
        self.cmap_combo.currentIndexChanged.connect(self._redraw)
        self.scale_combo.currentIndexChanged.connect(self._redraw)
        self.maps_view.scene().sigMouseMoved.connect(self._mouse_moved)
        self.maps_view.scene().sigMouseClicked.connect(self._mouse_clicked)
        self.bar_view.scene().sigMouseMoved.connect(self._bar_mouse_moved)
        state.specChanged.connect(self._spec_changed)
        state.inspection.changed.connect(self.request_refresh)
        self.follow_theme(self.maps_view, self.bar_view)
        theme.compact(self)
        self._spec_changed(state.spec)

    # ------------------------------------------------------------------ public API
    def set_input(self, x: np.ndarray) -> None:
        """A normalized network input ``(1, C, H, W)`` or ``(C, H, W)``; maps follow on the next
        event-loop turn (several inputs in one turn cost one forward pass)."""
        x = np.asarray(x, dtype=np.float32)
        if x.ndim == 4:
            x = x[0]
        if x.ndim == 2:
            x = x[None]
        self._input = x
        self.request_refresh()

    def set_layer(self, name: str) -> None:
        super().set_layer(name)
        self._redraw()

    def is_bar_chart(self) -> bool:
        """True when the current layer is 1-D (flatten, linear) and shown as bars."""
        return self.stack.currentWidget() is self.bar_view

    def map_count(self) -> int:
        """How many maps (tiles) or bars the current layer shows."""
        if self.is_bar_chart():
            return self._bar_count
        if self._grid is None or self._shown is None:
            return 0
        return int(self._shown.shape[0])

    def grid_shape(self) -> tuple[int, int, int, int] | None:
        """(tile rows, tile cols, map height, map width) of the mosaic; None for bars."""
        return None if self.is_bar_chart() else self._grid

    def mosaic_image_data(self) -> np.ndarray | None:
        """The array the mosaic ImageItem shows (NaN in the gaps)."""
        return self._mosaic

    def bar_heights(self) -> np.ndarray | None:
        return self.bar_item.opts.get("height") if self.is_bar_chart() else None

    def selected_map(self) -> int:
        """Index of the enlarged map (clicked, or set by ``select_map``)."""
        return self._selected_map

    def layer_output(self, name: str | None = None) -> np.ndarray | None:
        """The last computed output of a layer (first image), as numpy."""
        return self._maps.get(name or self.current_layer() or "")

    @property
    def probabilities(self) -> np.ndarray | None:
        return self._probs

    @property
    def model(self) -> Any:
        """The shared inspection model's module (eval mode, CPU; ``AppState.inspection``)."""
        return self.state.inspection.model.module

    @property
    def trained(self) -> bool:
        return self._trained

    def select_map(self, index: int) -> None:
        """Enlarge channel ``index`` of the current layer."""
        self._selected_map = max(0, int(index))
        self._draw_detail()

    def colormap_name(self) -> str:
        """The colour map in use for the current layer ("auto" resolved)."""
        chosen = self.cmap_combo.currentData()
        if chosen and chosen != "auto":
            return chosen
        signed = self._signed.get(self.current_layer() or "", False)
        return colormaps.DEFAULT_DIVERGING if signed else colormaps.DEFAULT_SEQUENTIAL

    def export_target(self) -> QWidget:
        """The current figure: mosaic and enlarged map, or the bar chart."""
        return self.stack.currentWidget()

    @property
    def export_name(self) -> str:
        return self.current_layer() or "feature_maps"

    # ------------------------------------------------------------------ spec and compute
    @Slot(object)
    def _spec_changed(self, spec: NetworkSpec) -> None:
        report = self.state.report
        previous = self.current_layer()
        self._maps = {}
        self._shown = None
        self._spec_ok = report.ok
        self.layer_combo.blockSignals(True)
        self.layer_combo.clear()
        self._names = [layer.name for layer in report.layers] if report.ok else []
        if report.ok:
            self._signed = signed_layers(spec)
            for layer in report.layers:
                self.layer_combo.addItem(f"{layer.name} — {shape_text(layer.output_shape)}", layer.name)
            index = self.layer_combo.findData(previous) if previous else -1
            self.layer_combo.setCurrentIndex(max(0, index))
        self.layer_combo.blockSignals(False)
        if not report.ok:
            self.show_message(self.tr(FIX_ERRORS).format(what=self.tr("feature maps")))
            self._clear()
            return
        if self._input is not None and tuple(self._input.shape) != tuple(spec.input):
            self._input = None  # a different dataset: wait for a new input
        self._refresher.cancel()
        self._refresh_if_shown()  # at once: the layer list and the maps agree

    def refresh(self) -> None:
        """Recompute every layer's output with the shared inspection model and redraw."""
        if not self._spec_ok:
            return
        inspection = self.state.inspection
        self._trained = inspection.trained
        error = inspection.error if self.state.weights is not None else ""
        self.weights_label.setText(self.tr("latest trained weights") if self._trained else self.tr("untrained weights"))
        self.weights_label.setToolTip(
            self.tr("The weights do not fit this network: {0}").format(error) if error else "")
        expected = tuple(self.state.spec.input)
        x = self._input if self._input is not None else np.zeros(expected, dtype=np.float32)
        if tuple(x.shape) != expected:
            self.show_message(self.tr("The input is {0} but the network expects {1}.").format(shape_text(x.shape),
                                                                                             shape_text(expected)))
            return
        try:
            self._maps, self._probs = inspection.model.feature_maps(x)
        except Exception as exc:  # never let a bad input take the GUI down
            self.show_message(self.tr("Could not compute the feature maps: {0}").format(exc))
            return
        self.show_message("" if self._input is not None else self.tr("No input yet: showing a blank input."))
        self._redraw()

    def _clear(self) -> None:
        self._grid = None
        self._mosaic = None
        self.mosaic_image.clear()
        self.detail_image.clear()

    @Slot()
    def _layer_chosen(self, *_args: Any) -> None:
        self._selected_map = 0
        self._redraw(autorange=True)

    @Slot()
    def _redraw(self, *_args: Any, autorange: bool = False) -> None:
        name = self.current_layer()
        data = self._maps.get(name) if name else None
        if data is None:
            return
        if data.ndim == 1:
            self._draw_bars(name, data)
        else:
            if data.ndim == 2:  # defensive: treat (H, W) as one map
                data = data[None]
            self._draw_mosaic(name, data, autorange)
        self.mapsUpdated.emit()

    def _set_cmap(self, bar: Any, which: str, cmap: str) -> None:
        if getattr(self, which) != cmap:
            bar.setColorMap(colormaps.get(cmap))
            setattr(self, which, cmap)

    def _draw_mosaic(self, name: str, data: np.ndarray, autorange: bool) -> None:
        if self.stack.currentWidget() is not self.maps_view:
            self.stack.setCurrentWidget(self.maps_view)
        cmap = self.colormap_name()
        diverging = colormaps.is_diverging(cmap)
        c, h, w = data.shape
        tiles, levels = scaled_tiles(data, self.scale_combo.currentData() == "per map", diverging)
        rows, cols = colormaps.grid_dims(c, h, w)
        mos = colormaps.mosaic(tiles, cols)
        new_shape = self._mosaic is None or self._mosaic.shape != mos.shape
        self._set_cmap(self.mosaic_bar, "_mosaic_cmap", cmap)
        self.mosaic_image.setImage(mos, autoLevels=False, levels=levels)
        follow_levels(self.mosaic_bar, levels)
        self._mosaic = mos
        self._grid = (rows, cols, h, w)
        self._shown = data
        if new_shape or autorange:
            self.mosaic_plot.getViewBox().autoRange(padding=0.01)
        self._draw_detail(new_shape or autorange)

    def _draw_detail(self, autorange: bool = False) -> None:
        data = self._shown
        if data is None or self.is_bar_chart():
            return
        k = min(self._selected_map, data.shape[0] - 1)
        one = data[k]
        cmap = self.colormap_name()
        levels = nice_levels(float(one.min()), float(one.max()), colormaps.is_diverging(cmap))
        self._set_cmap(self.detail_bar, "_detail_cmap", cmap)
        old = self.detail_image.image
        self.detail_image.setImage(one, autoLevels=False, levels=levels)
        follow_levels(self.detail_bar, levels)
        self.detail_plot.setTitle(self.tr("{0} · map {1}").format(self.current_layer(), k), size="9pt")
        if autorange or old is None or old.shape != one.shape:
            self.detail_plot.getViewBox().autoRange(padding=0.01)

    def _draw_bars(self, name: str, data: np.ndarray) -> None:
        if self.stack.currentWidget() is not self.bar_view:
            self.stack.setCurrentWidget(self.bar_view)
        n = data.shape[0]
        changed = n != self._bar_count
        x = np.arange(n, dtype=np.float64)
        self.bar_item.setOpts(x=x, height=data.astype(np.float64), width=0.8 if n <= 200 else 1.0)
        self._bar_count = n
        self._grid = None
        self._shown = data
        title = f"{name} — {n} values"
        if self._probs is not None and n == len(self._probs) and name == self._names[-1]:
            title += self.tr(" · predicted class {0} ({1})").format(int(np.argmax(self._probs)),
                                                                   f"{float(self._probs.max()):.0%}")
        self.bar_plot.setTitle(title, size="9pt")
        if changed:
            self.bar_plot.enableAutoRange()
        lo, hi = float(min(0.0, data.min())), float(max(0.0, data.max()))
        self.bar_plot.setYRange(lo, hi if hi > lo else lo + 1.0, padding=0.05)
        self.bar_plot.setXRange(-1, n, padding=0)

    # ------------------------------------------------------------------ mouse
    def _tile_under(self, scene_pos: QPointF) -> tuple[int, int, int] | None:
        if self._grid is None or self._shown is None or self.mosaic_image.image is None:
            return None
        if not self.mosaic_plot.getViewBox().sceneBoundingRect().contains(scene_pos):
            return None
        p = self.mosaic_image.mapFromScene(scene_pos)
        rows, cols, h, w = self._grid
        return colormaps.tile_at(p.x(), p.y(), self._shown.shape[0], cols, h, w)

    @Slot(object)
    def _mouse_moved(self, scene_pos: QPointF) -> None:
        name = self.current_layer()
        hit = self._tile_under(scene_pos)
        if hit is not None:
            index, row, col = hit
            value = float(self._shown[index, row, col])
            self.statusMessage.emit(self.tr("{0} · map {1} · row {2}, col {3} · value {4}").format(
                name, index, row, col, f"{value:.4g}"))
            return
        if self._shown is None or self._shown.ndim != 3 or self.detail_image.image is None:
            return
        if self.detail_plot.getViewBox().sceneBoundingRect().contains(scene_pos):
            p = self.detail_image.mapFromScene(scene_pos)
            k = min(self._selected_map, self._shown.shape[0] - 1)
            row, col = int(p.y()), int(p.x())
            if 0 <= row < self._shown.shape[1] and 0 <= col < self._shown.shape[2] and p.x() >= 0 and p.y() >= 0:
                value = float(self._shown[k, row, col])
                self.statusMessage.emit(self.tr("{0} · map {1} · row {2}, col {3} · value {4}").format(
                    name, k, row, col, f"{value:.4g}"))

    @Slot(object)
    def _mouse_clicked(self, event: Any) -> None:
        hit = self._tile_under(event.scenePos())
        if hit is not None:
            self.select_map(hit[0])
            self.filterSelected.emit(self.current_layer(), hit[0])

    @Slot(object)
    def _bar_mouse_moved(self, scene_pos: QPointF) -> None:
        if not self.is_bar_chart() or self._shown is None:
            return
        if not self.bar_plot.getViewBox().sceneBoundingRect().contains(scene_pos):
            return
        x = self.bar_plot.getViewBox().mapSceneToView(scene_pos).x()
        index = int(round(x))
        if 0 <= index < self._shown.shape[0]:
            value = float(self._shown[index])
            self.statusMessage.emit(
                self.tr("{0} · unit {1} · value {2}").format(self.current_layer(), index, f"{value:.4g}"))
