"""Conv kernels as a grid, and how they change over training (time-lapse and difference).

All kernels of one conv layer are one ``ImageItem`` mosaic: each kh×kw kernel is enlarged with
``np.repeat`` so a 3×3 kernel shows as 3×3 blocks, with 1-px transparent gaps. Values use a
diverging colour scale symmetric around zero (±max|w| of the layer) with a colour bar; a first
layer with 3 input channels can show each kernel as an RGB colour patch instead.

The time-lapse runs over the run's keyframes (``gui.viewers.timelapse``); "Live" follows the
app's inspection model (``AppState.inspection``: the newest weights, at most 5 Hz while
training, or the untrained initialisation); "Diff" shows B − A of two keyframes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QPointF, Signal, Slot
from PySide6.QtWidgets import QComboBox, QLabel, QSizePolicy, QSpinBox, QWidget

from engine.inspect.activations import conv_kernels
from engine.model.spec import NetworkSpec
from gui.state import AppState
from gui.viewers.base import FIX_ERRORS, STRETCH, Viewer, row
from gui.viewers.mosaic import conv_weight_shapes, image_plot, kernel_mosaic, kernel_view
from gui.viewers.timelapse import TimeLapse, frame_text
from gui.widgets import colormaps, theme

__all__ = ["KernelViewer", "MODES", "conv_weight_shapes"]

MODES = ("rgb", "channel", "mean")
_MODE_TEXT = {"rgb": QT_TRANSLATE_NOOP("KernelViewer", "RGB colour"),
              "channel": QT_TRANSLATE_NOOP("KernelViewer", "one input channel"),
              "mean": QT_TRANSLATE_NOOP("KernelViewer", "mean over inputs")}


class KernelViewer(Viewer):
    """Every conv layer's kernels; time-lapse over keyframes, live, or the difference B − A."""

    kernelsUpdated = Signal()
    filterSelected = Signal(str, int)  # a kernel was clicked: layer, output channel
    export_title = QT_TRANSLATE_NOOP("KernelViewer", "Export kernels")

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(state, parent)
        self.setObjectName("kernelViewer")
        self._spec: NetworkSpec | None = None
        self._shapes: dict[str, tuple[int, int, int, int]] = {}
        self._kernels: np.ndarray | None = None  # what is shown, before enlarging
        self._layer_weights: np.ndarray | None = None  # (Cout, Cin, kh, kw) of the shown moment
        self._grid: tuple[int, int, int, int] | None = None
        self._factor = 1
        self._image: np.ndarray | None = None

        # -- controls ----------------------------------------------------------------------
        self.layer_combo = QComboBox()
        self.layer_combo.setAccessibleName(self.tr("Conv layer"))
        self.layer_combo.setToolTip(self.tr("Conv layer whose kernels are shown"))
        self.mode_combo = QComboBox()
        self.mode_combo.setAccessibleName(self.tr("Input channels shown"))
        self.mode_combo.setToolTip(self.tr("RGB colour: a first layer's 3 input channels as one colour patch "
                                   "(grey = 0); otherwise one input channel at a time, or their mean"))
        self.channel_spin = QSpinBox()
        self.channel_spin.setAccessibleName(self.tr("Input channel"))
        self.channel_spin.setPrefix(self.tr("input channel "))
        self.channel_spin.setMinimum(0)
        self.cmap_combo = QComboBox()
        self.cmap_combo.setAccessibleName(self.tr("Colour map"))
        for name in colormaps.DIVERGING:
            self.cmap_combo.addItem(name, name)
        self.timelapse = TimeLapse(self._fits, self)
        tl = self.timelapse
        self.live_check, self.play_button, self.slider, self.frame_label = (
            tl.live_check, tl.play_button, tl.slider, tl.frame_label)
        self.diff_check, self.a_combo, self.b_combo = tl.diff_check, tl.a_combo, tl.b_combo
        tl.diff_row.addWidget(self.export_button)
        top = row(self.tr("Layer"), self.layer_combo, self.mode_combo, self.channel_spin, self.cmap_combo, STRETCH)
        for combo in (self.a_combo, self.b_combo, self.layer_combo, self.mode_combo):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)

        # -- plot --------------------------------------------------------------------------
        theme.apply_pyqtgraph_defaults()
        self.view = pg.GraphicsLayoutWidget()
        self.view.setAccessibleName(self.tr("Learned kernels"))
        self.view.setMinimumSize(200, 160)
        self.plot, self.image_item, self.color_bar = image_plot(self.view, 0, colormaps.DEFAULT_DIVERGING)
        self.rgb_item = pg.ImageItem(axisOrder="row-major")
        self.plot.addItem(self.rgb_item)
        self.rgb_item.hide()
        self.info_label = QLabel(self.tr("Hover a kernel for its index, range and norm."))
        self.info_label.setStyleSheet("font-size: 11px;")
        self.arrange((top, tl.time_row, tl.diff_row), self.view, below=(self.info_label,))
        theme.compact(self, min_chars=11)
        self.frame_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.frame_label.setMinimumWidth(self.fontMetrics().horizontalAdvance("epoch 10.00 · step 99999"))

        # -- signals -----------------------------------------------------------------------
        self.play_timer = tl.play_timer
        tl.changed.connect(self._redraw)
        self.layer_combo.currentIndexChanged.connect(self._layer_chosen)
        self.mode_combo.currentIndexChanged.connect(self._mode_chosen)
        self.channel_spin.valueChanged.connect(self._redraw)
        self.cmap_combo.currentIndexChanged.connect(self._cmap_chosen)
        self.view.scene().sigMouseMoved.connect(self._mouse_moved)
        self.view.scene().sigMouseClicked.connect(self._mouse_clicked)
        state.specChanged.connect(self._spec_changed)
        state.weightsChanged.connect(self._weights_changed)
        state.inspection.changed.connect(self._inspection_changed)
        state.keyframeAdded.connect(self.add_keyframe)
        state.keyframesCleared.connect(self._keyframes_cleared)
        self.follow_theme(self.view)
        self._spec_changed(state.spec)

    # ------------------------------------------------------------------ public API
    def mode(self) -> str:
        """"rgb", "channel" or "mean"."""
        return self.mode_combo.currentData() or "channel"

    def available_modes(self) -> list[str]:
        return [self.mode_combo.itemData(i) for i in range(self.mode_combo.count())]

    def set_mode(self, mode: str) -> None:
        index = self.mode_combo.findData(mode)
        if index < 0:
            raise ValueError(f"mode {mode!r} is not available here; one of {self.available_modes()}")
        self.mode_combo.setCurrentIndex(index)

    def set_input_channel(self, channel: int) -> None:
        self.channel_spin.setValue(channel)

    def kernel_count(self) -> int:
        return 0 if self._kernels is None else int(self._kernels.shape[0])

    def kernel_grid_shape(self) -> tuple[int, int, int, int] | None:
        """(tile rows, tile cols, kernel height, kernel width) of the displayed grid."""
        return self._grid

    def displayed_kernels(self) -> np.ndarray | None:
        """The kernels shown, before enlarging: (N, kh, kw), or (N, kh, kw, 3) in RGB mode."""
        return self._kernels

    def zoom_factor(self) -> int:
        """How many image pixels one kernel tap takes in the mosaic."""
        return self._factor

    def image_data(self) -> np.ndarray | None:
        """The mosaic the ImageItem shows (float with NaN gaps, or RGBA uint8 in RGB mode)."""
        return self._image

    def levels(self) -> tuple[float, float]:
        return tuple(self.color_bar.levels())

    def keyframe_count(self) -> int:
        return len(self.timelapse.frames)

    def frame_text(self) -> str:
        return self.frame_label.text()

    def set_frame(self, index: int) -> None:
        """Show keyframe ``index`` (leaves Live)."""
        self.slider.setValue(index)

    def set_live(self, live: bool) -> None:
        self.live_check.setChecked(live)

    def set_diff(self, a: int, b: int, on: bool = True) -> None:
        """Show keyframe ``b`` minus keyframe ``a`` (or leave Diff with ``on=False``)."""
        self.timelapse.set_diff(a, b, on)

    def is_playing(self) -> bool:
        return self.timelapse.is_playing()

    def set_playing(self, playing: bool) -> None:
        self.timelapse.set_playing(playing)

    def step_forward(self) -> None:
        """The next keyframe, looping to the first after the last."""
        self.timelapse.step_forward()

    def _keyframes_cleared(self) -> None:
        self.timelapse.reset(self.state.keyframes)

    def add_keyframe(self, snapshot: Any) -> None:
        """A new time-lapse moment (``AppState.keyframeAdded``)."""
        self.timelapse.add_keyframe(snapshot)

    def export_target(self) -> QWidget:
        """The kernel grid with its colour bar."""
        return self.view

    @property
    def export_name(self) -> str:
        return self.current_layer() or "kernels"

    # ------------------------------------------------------------------ spec, weights, frames
    def _fits(self, state: Mapping[str, np.ndarray] | None) -> bool:
        if state is None:
            return False
        for name, shape in self._shapes.items():
            w = state.get(f"{name}.weight")
            if w is None or tuple(np.shape(w)) != shape:
                return False
        return True

    @Slot(object)
    def _spec_changed(self, spec: NetworkSpec) -> None:
        self._spec = spec
        report = self.state.report
        self._shapes = conv_weight_shapes(spec, report) if report.ok else {}
        previous = self.current_layer()
        self.layer_combo.blockSignals(True)
        self.layer_combo.clear()
        for name, (cout, cin, kh, kw) in self._shapes.items():
            self.layer_combo.addItem(f"{name} — {cout}×{cin}×{kh}×{kw}", name)
        index = self.layer_combo.findData(previous) if previous else -1
        self.layer_combo.setCurrentIndex(max(0, index))
        self.layer_combo.blockSignals(False)
        self.timelapse.reset(self.state.keyframes)
        if not report.ok:
            self.show_message(self.tr(FIX_ERRORS).format(what=self.tr("kernels")))
        elif not self._shapes:
            self.show_message(self.tr("This network has no conv layers."))
        else:
            self.show_message("")
        self._layer_chosen()

    @Slot(object)
    def _weights_changed(self, weights: Any) -> None:
        if weights is None:
            self.timelapse.reset(self.state.keyframes)  # AppState drops its keyframes with the weights

    @Slot()
    def _inspection_changed(self) -> None:
        if self.timelapse.is_live():
            self.request_refresh()

    def refresh(self) -> None:
        if self.timelapse.is_live():
            self._redraw()

    def _layer_weights_for(self, layer: str) -> tuple[np.ndarray | None, str]:
        """The weights to show for ``layer`` and the moment's description."""
        kind, a, b = self.timelapse.moment()
        if kind == "diff":
            if a is None:
                return None, self.tr("Diff needs two keyframes")
            wa, wb = conv_kernels(a.state, layer), conv_kernels(b.state, layer)
            return wb - wa, f"Δ {frame_text(b)} − {frame_text(a)}"
        if kind == "frame":
            return conv_kernels(a.state, layer), frame_text(a)
        inspection = self.state.inspection
        if inspection.trained:
            return inspection.model.kernels(layer), self.tr("live · latest weights")
        return inspection.model.untrained_kernels(layer), self.tr("untrained weights")

    # ------------------------------------------------------------------ controls
    @Slot()
    def _layer_chosen(self, *_args: Any) -> None:
        layer = self.current_layer()
        shape = self._shapes.get(layer) if layer else None
        previous = self.mode()
        self.mode_combo.blockSignals(True)
        self.mode_combo.clear()
        if shape is not None:
            if shape[1] == 3:
                self.mode_combo.addItem(self.tr(_MODE_TEXT["rgb"]), "rgb")
            self.mode_combo.addItem(self.tr(_MODE_TEXT["channel"]), "channel")
            if shape[1] > 1:
                self.mode_combo.addItem(self.tr(_MODE_TEXT["mean"]), "mean")
            # a 3-channel first layer starts in RGB; otherwise keep the user's choice if it exists
            want = "rgb" if shape[1] == 3 and layer == next(iter(self._shapes)) else previous
            index = self.mode_combo.findData(want)
            self.mode_combo.setCurrentIndex(index if index >= 0 else self.mode_combo.findData("channel"))
            self.channel_spin.blockSignals(True)
            self.channel_spin.setMaximum(shape[1] - 1)
            self.channel_spin.blockSignals(False)
        self.mode_combo.blockSignals(False)
        self._mode_chosen()
        self._redraw(autorange=True)

    @Slot()
    def _mode_chosen(self, *_args: Any) -> None:
        self.channel_spin.setEnabled(self.mode() == "channel")
        self.cmap_combo.setEnabled(self.mode() != "rgb")
        self._redraw(autorange=True)

    @Slot()
    def _cmap_chosen(self, *_args: Any) -> None:
        self.color_bar.setColorMap(colormaps.get(self.cmap_combo.currentData()))

    # ------------------------------------------------------------------ drawing
    @Slot()
    def _redraw(self, *_args: Any, autorange: bool = False) -> None:
        layer = self.current_layer()
        if not layer or layer not in self._shapes:
            self._kernels = self._image = self._grid = self._layer_weights = None
            self.image_item.clear()
            self.rgb_item.clear()
            return
        try:
            weights, moment = self._layer_weights_for(layer)
        except (KeyError, ValueError, RuntimeError) as exc:
            self.show_message(self.tr("These weights do not fit {0}: {1}").format(layer, exc))
            return
        self.frame_label.setText(moment)
        if weights is None:
            return
        self._layer_weights = weights
        cout, cin, kh, kw = weights.shape
        m = float(np.abs(weights).max())
        m = m if m > 0 else 1.0
        mode = self.mode()
        kernels = kernel_view(weights, mode, self.channel_spin.value())
        self._kernels = kernels
        image, factor, (rows, cols) = kernel_mosaic(kernels, m)
        shown, hidden = (self.rgb_item, self.image_item) if kernels.ndim == 4 else (self.image_item, self.rgb_item)
        shown.setImage(image, autoLevels=False, levels=None if kernels.ndim == 4 else (-m, m))
        shown.show()
        hidden.hide()
        self.color_bar.setLevels((-m, m))
        new_shape = self._image is None or self._image.shape[:2] != image.shape[:2]
        self._image = image
        self._factor = factor
        self._grid = (rows, cols, kh, kw)
        if new_shape or autorange:
            self.plot.getViewBox().autoRange(padding=0.01)
        what = {"rgb": "RGB", "mean": self.tr("mean over inputs"),
                "channel": self.tr("input channel {0}").format(min(self.channel_spin.value(), cin - 1))}.get(mode, "")
        self.plot.setTitle(self.tr("{0} · {1} kernels {2}×{3} · {4} · scale ±{5}").format(
            layer, cout, kh, kw, what, f"{m:.3g}"), size="9pt")
        self.kernelsUpdated.emit()

    # ------------------------------------------------------------------ mouse
    def _kernel_at(self, scene_pos: QPointF) -> tuple[int, int, int] | None:
        if self._grid is None or self._kernels is None or self._layer_weights is None:
            return None
        if not self.plot.getViewBox().sceneBoundingRect().contains(scene_pos):
            return None
        p = self.image_item.mapFromScene(scene_pos)
        rows, cols, kh, kw = self._grid
        return colormaps.tile_at(p.x(), p.y(), self._kernels.shape[0], cols, kh * self._factor, kw * self._factor)

    @Slot(object)
    def _mouse_clicked(self, event: Any) -> None:
        hit = self._kernel_at(event.scenePos())
        if hit is not None:
            self.filterSelected.emit(self.current_layer(), hit[0])

    @Slot(object)
    def _mouse_moved(self, scene_pos: QPointF) -> None:
        hit = self._kernel_at(scene_pos)
        if hit is None:
            return
        f = self._factor
        index, row_, col = hit
        mode = self.mode()
        if mode == "rgb":
            kernel, where = self._layer_weights[index], self.tr("(out {0}, in 0–2)").format(index)
        elif mode == "mean":
            kernel, where = self._kernels[index], self.tr("(out {0}, mean of inputs)").format(index)
        else:
            ci = min(self.channel_spin.value(), self._layer_weights.shape[1] - 1)
            kernel, where = self._kernels[index], self.tr("(out {0}, in {1})").format(index, ci)
        text = self.tr("{0} kernel {1} · min {2} · max {3} · L2 {4} · tap ({5}, {6})").format(
            self.current_layer(), where, f"{float(kernel.min()):.3g}", f"{float(kernel.max()):.3g}",
            f"{float(np.linalg.norm(kernel)):.3g}", row_ // f, col // f)
        self.info_label.setText(text)
        self.statusMessage.emit(text)


if __name__ == "__main__":  # pragma: no cover - the demo shows both viewers
    from gui.viewers.demo import main

    raise SystemExit(main(["maps"]))
