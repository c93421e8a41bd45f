"""Feature maps: what every layer makes of the current input, for the current weights.

One layer at a time: its channels tiled into ONE ``ImageItem`` mosaic (numpy, 1-px gaps drawn
transparent), a click enlarges one channel beside it with its own colour bar, and 1-D layers
(flatten, linear) are a bar chart. The inspection model is built once per spec and gets new
weights at most 5 times a second; inputs coalesce to one forward pass per event-loop turn
(one torch thread, hooks that always come off: ``engine.inspect.activations.feature_maps``).

``python -m gui.viewers.feature_maps`` trains seed000 on the bundled MNIST sample and shows this
viewer and the kernel viewer side by side with a real test digit as input.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from engine.model.shapes import analyze
from engine.model.spec import NetworkSpec
from gui.state import AppState
from gui.widgets import colormaps, theme
from gui.widgets.png_export import ask_png_path, export_widget_png

__all__ = ["FeatureMapViewer", "signed_layers", "untrained_model"]

WEIGHTS_MIN_INTERVAL_S = 0.2  # load new weights at most 5 times a second
SCALES = ("per layer", "per map")
_SIGNED = {"conv2d", "batchnorm2d", "linear", "tanh", "leaky_relu", "gelu"}
_UNSIGNED = {"relu", "sigmoid"}


def signed_layers(spec: NetworkSpec) -> dict[str, bool]:
    """Per layer name: can its output be negative (so a diverging colour map fits)?

    Shape-keeping layers (pool, dropout, flatten) inherit from the layer before; the normalized
    input counts as signed."""
    out: dict[str, bool] = {}
    previous = True
    for name, layer in zip(spec.names, spec.layers):
        kind = layer["type"]
        signed = True if kind in _SIGNED else False if kind in _UNSIGNED else previous
        out[name] = previous = signed
    return out


def untrained_model(spec: NetworkSpec) -> Any:
    """The inspection model with a fixed random initialisation (seed 0), leaving the global
    torch RNG as it was (a training thread may be using it)."""
    import torch

    from engine.inspect.activations import model_from_state

    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        return model_from_state(spec)


def _shape_text(shape: tuple[int, ...]) -> str:
    return "×".join(str(v) for v in shape)


def _follow(bar: Any, levels: tuple[float, float]) -> None:
    """Move a colour bar's axis to the image's levels, skipping changes under 2% of the span
    (relabelling the axis is the costliest part of a repaint)."""
    lo, hi = bar.levels()
    span = max(hi - lo, 1e-12)
    if abs(levels[0] - lo) > 0.02 * span or abs(levels[1] - hi) > 0.02 * span:
        bar.setLevels(values=levels, update_items=False)


_NICE = (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)


def nice_ceil(value: float) -> float:
    """The smallest of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k that is ≥ ``value`` (> 0).

    Colour levels snap to these, so the colour bar keeps its labels while the input changes
    (relabelling an axis is the costliest part of a repaint)."""
    if value <= 0 or not math.isfinite(value):
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    return next(step * power for step in _NICE if step * power >= value * (1 - 1e-9))


def nice_levels(lo: float, hi: float, symmetric: bool) -> tuple[float, float]:
    """Levels that contain ``[lo, hi]``, snapped to nice bounds (symmetric around 0 if asked)."""
    if symmetric:
        m = nice_ceil(max(abs(lo), abs(hi)))
        return (-m, m)
    top = nice_ceil(hi) if hi > 0 else 0.0
    bottom = 0.0 if lo >= 0 else -nice_ceil(-lo)
    if top <= bottom:
        top = bottom + 1.0
    return (bottom, top)


def _hide_axes(plot: Any) -> None:
    for side in ("left", "bottom", "right", "top"):
        plot.hideAxis(side)


class FeatureMapViewer(QWidget):
    """Every layer's output for one input. Connect a draw panel's ``inputChanged`` to
    ``set_input``; hover messages come out of ``statusMessage``."""

    statusMessage = Signal(str)
    mapsUpdated = Signal()  # after each recompute and redraw

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("featureMapViewer")
        self._state = state
        self._model: Any = None
        self._model_spec: NetworkSpec | None = None
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
        self._last_weights_at = -1e9
        self._weights_pending = False

        # -- controls ----------------------------------------------------------------------
        self.layer_combo = QComboBox()
        self.layer_combo.setToolTip("Layer whose output is shown")
        self.layer_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.cmap_combo = QComboBox()
        self.cmap_combo.addItem("auto", "auto")
        for name in colormaps.NAMES:
            self.cmap_combo.addItem(name, name)
        self.cmap_combo.setToolTip("auto: viridis for non-negative outputs, a diverging map (blue < 0 < red) "
                                   "for signed ones (conv, batchnorm, linear)")
        self.scale_combo = QComboBox()
        self.scale_combo.addItems(SCALES)
        self.scale_combo.setToolTip("per layer: one colour scale for all maps (compare channels); "
                                    "per map: each map stretched to its own range (see structure)")
        self.weights_label = QLabel()
        self.weights_label.setStyleSheet("font-size: 11px;")
        self.export_button = QPushButton("Export PNG…")
        self.export_button.clicked.connect(self._export_dialog)

        controls = QHBoxLayout()
        controls.setContentsMargins(0, 0, 0, 0)
        controls.addWidget(QLabel("Layer"))
        controls.addWidget(self.layer_combo)
        controls.addSpacing(8)
        controls.addWidget(QLabel("Colours"))
        controls.addWidget(self.cmap_combo)
        controls.addWidget(QLabel("Scale"))
        controls.addWidget(self.scale_combo)
        controls.addStretch(1)
        status_row = QHBoxLayout()
        status_row.setContentsMargins(0, 0, 0, 0)
        status_row.addWidget(self.weights_label, 1)
        status_row.addWidget(self.export_button)

        theme.apply_pyqtgraph_defaults()  # plot colours from the palette
        # -- image page: mosaic + enlarged map -------------------------------------------
        self.maps_view = pg.GraphicsLayoutWidget()
        self.maps_view.setMinimumSize(240, 160)
        self.mosaic_plot = self.maps_view.addPlot(row=0, col=0)
        self.detail_plot = self.maps_view.addPlot(row=0, col=1)
        for plot in (self.mosaic_plot, self.detail_plot):
            _hide_axes(plot)
            plot.setAspectLocked(True)
            plot.invertY(True)
            plot.setMenuEnabled(False)
            plot.hideButtons()
        self.mosaic_image = pg.ImageItem(axisOrder="row-major")
        self.detail_image = pg.ImageItem(axisOrder="row-major")
        self.mosaic_plot.addItem(self.mosaic_image)
        self.detail_plot.addItem(self.detail_image)
        self.mosaic_bar = pg.ColorBarItem(interactive=False, width=12, colorMap=colormaps.get("viridis"))
        self.mosaic_bar.setImageItem(self.mosaic_image, insert_in=self.mosaic_plot)
        self.detail_bar = pg.ColorBarItem(interactive=False, width=12, colorMap=colormaps.get("viridis"))
        self.detail_bar.setImageItem(self.detail_image, insert_in=self.detail_plot)
        layout = self.maps_view.ci.layout
        layout.setColumnStretchFactor(0, 3)
        layout.setColumnStretchFactor(1, 2)

        # -- bar page: 1-D outputs ----------------------------------------------------------
        self.bar_view = pg.PlotWidget()
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

        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.message_label.hide()

        root = QVBoxLayout(self)
        root.setContentsMargins(4, 4, 4, 4)
        root.addLayout(controls)
        root.addLayout(status_row)
        root.addWidget(self.message_label)
        root.addWidget(self.stack, 1)

        # -- timers and signals --------------------------------------------------------------
        self._stale = False  # an input or weights arrived while hidden
        self._input_timer = QTimer(self)
        self._input_timer.setSingleShot(True)
        self._input_timer.setInterval(0)
        self._input_timer.timeout.connect(self._recompute)
        self._weights_timer = QTimer(self)
        self._weights_timer.setSingleShot(True)
        self._weights_timer.timeout.connect(self._apply_weights)

        self.layer_combo.currentIndexChanged.connect(self._layer_chosen)
        self.cmap_combo.currentIndexChanged.connect(self._redraw)
        self.scale_combo.currentIndexChanged.connect(self._redraw)
        self.maps_view.scene().sigMouseMoved.connect(self._mouse_moved)
        self.maps_view.scene().sigMouseClicked.connect(self._mouse_clicked)
        self.bar_view.scene().sigMouseMoved.connect(self._bar_mouse_moved)
        state.specChanged.connect(self._spec_changed)
        state.weightsChanged.connect(self._weights_changed)

        current = theme.current()
        if current is not None:
            current.changed.connect(self._theme_changed)
        theme.compact(self)
        self._spec_changed(state.spec)

    @Slot(bool)
    def _theme_changed(self, _dark: bool) -> None:
        background, foreground = theme.plot_colors()
        for view in (self.maps_view, self.bar_view):
            view.setBackground(background)

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
        self._input_timer.start()

    def flush(self) -> None:
        """Apply pending weights and input now (tests, benchmarks)."""
        if self._weights_pending or self._weights_timer.isActive():
            self._weights_timer.stop()
            self._apply_weights()
        elif self._input_timer.isActive():
            self._input_timer.stop()
            self._recompute()

    def layer_names(self) -> list[str]:
        """The layers the selector offers, in network order."""
        return list(self._names)

    def current_layer(self) -> str | None:
        return self.layer_combo.currentData()

    def set_layer(self, name: str) -> None:
        index = self.layer_combo.findData(name)
        if index < 0:
            raise KeyError(f"no layer {name!r}; one of {', '.join(self._names)}")
        self.layer_combo.setCurrentIndex(index)
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
        """The cached inspection model (eval mode, CPU)."""
        return self._model

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

    def export_png(self, path: str) -> str:
        """Save the current figure (mosaic and enlarged map, or the bar chart) as PNG."""
        return export_widget_png(self.stack.currentWidget(), path)

    # ------------------------------------------------------------------ model and weights
    @Slot(object)
    def _spec_changed(self, spec: NetworkSpec) -> None:
        report = analyze(spec)
        previous = self.current_layer()
        self._maps = {}
        self._shown = None
        if not report.ok:
            self._model = None
            self._model_spec = spec
            self._names = []
            self.layer_combo.blockSignals(True)
            self.layer_combo.clear()
            self.layer_combo.blockSignals(False)
            self._show_message("Fix the network's errors to see its feature maps.")
            self._clear()
            return
        self._signed = signed_layers(spec)
        self._shapes = {layer.name: tuple(layer.output_shape) for layer in report.layers}
        self._names = [layer.name for layer in report.layers]
        self.layer_combo.blockSignals(True)
        self.layer_combo.clear()
        for layer in report.layers:
            self.layer_combo.addItem(f"{layer.name} — {_shape_text(layer.output_shape)}", layer.name)
        index = self.layer_combo.findData(previous) if previous else -1
        self.layer_combo.setCurrentIndex(max(0, index))
        self.layer_combo.blockSignals(False)
        self._model_spec = spec
        self._model = None
        self._weights_pending = False
        self._weights_timer.stop()
        self._load_weights(self._state.weights)
        if self._input is not None and tuple(self._input.shape) != tuple(spec.input):
            self._input = None  # a different dataset: wait for a new input
        self._recompute()

    def _load_weights(self, weights: Mapping[str, np.ndarray] | None) -> None:
        from engine.inspect.activations import load_state

        spec = self._model_spec
        if spec is None:
            return
        if weights is not None:
            try:
                if self._model is None:
                    self._model = untrained_model(spec)
                load_state(self._model, weights)
                self._trained = True
                self.weights_label.setText("latest trained weights")
                self.weights_label.setToolTip("")
                return
            except Exception as exc:  # weights of another network, mid-edit
                self.weights_label.setToolTip(f"The weights do not fit this network: {exc}")
                self._model = None  # it may hold part of them now
        if self._model is None or self._trained:
            self._model = untrained_model(spec)
        self._trained = False
        self.weights_label.setText("untrained weights")

    @Slot(object)
    def _weights_changed(self, _weights: Any) -> None:
        self._weights_pending = True
        if self._weights_timer.isActive():
            return
        wait = WEIGHTS_MIN_INTERVAL_S - (time.perf_counter() - self._last_weights_at)
        self._weights_timer.start(max(0, int(wait * 1000)))

    def _hidden_in_window(self) -> bool:
        """In a shown window but not on screen (another tab, a closed dock): skip the work."""
        return not self.isVisible() and self.window().isVisible()

    def showEvent(self, event: Any) -> None:  # noqa: N802
        super().showEvent(event)
        if self._weights_pending:
            self._apply_weights()
        elif self._stale:
            self._recompute()

    def _apply_weights(self) -> None:
        if self._hidden_in_window():
            self._weights_pending = True
            return
        self._weights_pending = False
        self._last_weights_at = time.perf_counter()
        if self._model_spec is None or self._model_spec != self._state.spec:
            return  # specChanged follows and rebuilds
        self._load_weights(self._state.weights)
        self._input_timer.stop()
        self._recompute()

    # ------------------------------------------------------------------ compute and draw
    def _recompute(self) -> None:
        from engine.inspect.activations import feature_maps

        if self._model is None or self._model_spec is None:
            return
        if self._hidden_in_window():
            self._stale = True
            return
        self._stale = False
        expected = tuple(self._model_spec.input)
        x = self._input if self._input is not None else np.zeros(expected, dtype=np.float32)
        if tuple(x.shape) != expected:
            self._show_message(f"The input is {_shape_text(x.shape)} but the network expects "
                               f"{_shape_text(expected)}.")
            return
        try:
            self._maps, self._probs = feature_maps(self._model, x)
        except Exception as exc:  # never let a bad input take the GUI down
            self._show_message(f"Could not compute the feature maps: {exc}")
            return
        self._show_message("" if self._input is not None else "No input yet: showing a blank input.")
        self._redraw()

    def _show_message(self, text: str) -> None:
        self.message_label.setText(text)
        self.message_label.setVisible(bool(text))

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
        if self.scale_combo.currentText() == "per map":
            if diverging:
                m = np.abs(data).max(axis=(1, 2), keepdims=True)
                tiles = data / np.where(m > 0, m, 1.0)
                levels = (-1.0, 1.0)
            else:
                lo = data.min(axis=(1, 2), keepdims=True)
                span = data.max(axis=(1, 2), keepdims=True) - lo
                tiles = (data - lo) / np.where(span > 0, span, 1.0)
                levels = (0.0, 1.0)
        else:
            tiles = data
            levels = nice_levels(float(data.min()), float(data.max()), diverging)
        rows, cols = colormaps.grid_dims(c, h, w)
        mos = colormaps.mosaic(tiles, cols)
        new_shape = self._mosaic is None or self._mosaic.shape != mos.shape
        self._set_cmap(self.mosaic_bar, "_mosaic_cmap", cmap)
        self.mosaic_image.setImage(mos, autoLevels=False, levels=levels)
        _follow(self.mosaic_bar, levels)
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
        _follow(self.detail_bar, levels)
        self.detail_plot.setTitle(f"{self.current_layer()} · map {k}", size="9pt")
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
            title += f" · predicted class {int(np.argmax(self._probs))} ({float(self._probs.max()):.0%})"
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
            self.statusMessage.emit(f"{name} · map {index} · row {row}, col {col} · value {value:.4g}")
            return
        if self._shown is None or self._shown.ndim != 3 or self.detail_image.image is None:
            return
        if self.detail_plot.getViewBox().sceneBoundingRect().contains(scene_pos):
            p = self.detail_image.mapFromScene(scene_pos)
            k = min(self._selected_map, self._shown.shape[0] - 1)
            row, col = int(p.y()), int(p.x())
            if 0 <= row < self._shown.shape[1] and 0 <= col < self._shown.shape[2] and p.x() >= 0 and p.y() >= 0:
                value = float(self._shown[k, row, col])
                self.statusMessage.emit(f"{name} · map {k} · row {row}, col {col} · value {value:.4g}")

    @Slot(object)
    def _mouse_clicked(self, event: Any) -> None:
        hit = self._tile_under(event.scenePos())
        if hit is not None:
            self.select_map(hit[0])

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
            self.statusMessage.emit(f"{self.current_layer()} · unit {index} · value {value:.4g}")

    # ------------------------------------------------------------------ export
    def _export_dialog(self) -> None:
        path = ask_png_path(self, "Export feature maps", f"{self.current_layer() or 'feature_maps'}.png")
        if path:
            try:
                written = export_widget_png(self.stack.currentWidget(), path)
                self.statusMessage.emit(f"Saved {written}")
            except OSError as exc:
                self.statusMessage.emit(str(exc))


# ---------------------------------------------------------------------- demo
def _demo() -> int:  # pragma: no cover - a manual look
    import sys
    import threading

    from PySide6.QtCore import QObject
    from PySide6.QtWidgets import QApplication, QSplitter

    from engine.data.datasets import load_dataset, normalize
    from engine.model.presets import get_preset
    from engine.training.events import NullReporter, TrainConfig
    from engine.training.session import TrainingSession
    from gui.viewers.kernels import KernelViewer

    app = QApplication.instance() or QApplication(sys.argv)
    theme.install(app)
    spec = get_preset("seed000").spec
    state = AppState(spec)
    data = load_dataset("mnist-sample")
    digit = data.test.images[:1]
    x = normalize(digit, data.info).numpy()

    window = QWidget()
    window.setWindowTitle("ConvScope viewers — seed000 training on the MNIST sample")
    fmv = FeatureMapViewer(state)
    kv = KernelViewer(state)
    splitter = QSplitter(Qt.Orientation.Horizontal)
    splitter.addWidget(fmv)
    splitter.addWidget(kv)
    splitter.setSizes([820, 600])
    status = QLabel()
    box = QVBoxLayout(window)
    box.addWidget(splitter, 1)
    box.addWidget(status)
    fmv.statusMessage.connect(status.setText)
    kv.statusMessage.connect(status.setText)
    fmv.set_input(x)
    window.resize(1420, 860)
    window.show()

    class Bridge(QObject):
        snapshot = Signal(object)
        progress = Signal(str)

    bridge = Bridge()

    def on_snapshot(snap: Any) -> None:
        state.set_weights(snap.state)
        if snap.keep:
            state.add_keyframe(snap)

    bridge.snapshot.connect(on_snapshot, Qt.ConnectionType.QueuedConnection)
    bridge.progress.connect(status.setText, Qt.ConnectionType.QueuedConnection)

    class Reporter(NullReporter):
        def on_snapshot(self, snapshot: Any) -> None:
            bridge.snapshot.emit(snapshot)

        def on_epoch(self, stats: Any) -> None:
            bridge.progress.emit(f"epoch {stats.epoch}: test accuracy {stats.test_accuracy:.1%}")

    epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    session = TrainingSession(spec, data, TrainConfig(epochs=epochs, threads=1, batch_size=64,
                                                      snapshot_interval_s=0.5))
    worker = threading.Thread(target=session.run, args=(Reporter(),), daemon=True)
    worker.start()
    code = app.exec()
    session.stop()
    worker.join(5)
    return code


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(_demo())
