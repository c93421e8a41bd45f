"""Conv kernels as a grid, and how they change over training (time-lapse and difference).

All kernels of one conv layer are one ``ImageItem`` mosaic: each kh×kw kernel is enlarged with
``np.repeat`` so a 3×3 kernel shows as 3×3 blocks, with 1-px transparent gaps. Values use a
diverging colour scale symmetric around zero (±max|w| of the layer) with a colour bar; a first
layer with 3 input channels can show each kernel as an RGB colour patch instead.

The time-lapse runs over the run's keyframes (``AppState.keyframes``: step 0, a few early
moments of epoch 1, every epoch end); "Live" follows the newest weights (at most 5 Hz);
"Diff" shows B − A of two keyframes.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from engine.model.shapes import analyze
from engine.model.spec import NetworkSpec
from gui.state import AppState
from gui.widgets import colormaps, theme
from gui.widgets.png_export import ask_png_path, export_widget_png

__all__ = ["KernelViewer", "MODES", "conv_weight_shapes"]

MODES = ("rgb", "channel", "mean")
_MODE_TEXT = {"rgb": "RGB colour", "channel": "one input channel", "mean": "mean over inputs"}
PLAY_INTERVAL_MS = 250  # ~4 frames a second
WEIGHTS_MIN_INTERVAL_S = 0.2
TILE_PX = 24  # a kernel is enlarged to about this many image pixels


def conv_weight_shapes(spec: NetworkSpec) -> dict[str, tuple[int, int, int, int]]:
    """Per conv layer name: its weight shape (Cout, Cin, kh, kw), from the shape report."""
    report = analyze(spec)
    shapes = {}
    for layer, info in zip(spec.layers, report.layers):
        if layer["type"] == "conv2d":
            cout, cin = info.output_shape[0], info.input_shape[0]
            k = layer.get("kernel_size", 3)
            kh, kw = (k, k) if isinstance(k, int) else (int(k[0]), int(k[1]))
            shapes[info.name] = (cout, cin, kh, kw)
    return shapes


def _frame_text(snapshot: Any) -> str:
    return f"epoch {float(snapshot.epoch):.2f} · step {int(snapshot.step)}"


class KernelViewer(QWidget):
    """Every conv layer's kernels; time-lapse over keyframes, live, or the difference B − A."""

    statusMessage = Signal(str)
    kernelsUpdated = Signal()

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("kernelViewer")
        self._state = state
        self._spec: NetworkSpec | None = None
        self._shapes: dict[str, tuple[int, int, int, int]] = {}
        self._frames: list[Any] = []
        self._untrained: dict[str, np.ndarray] | None = None
        self._weights_pending = False
        self._last_weights_at = -1e9
        self._kernels: np.ndarray | None = None  # what is shown, before enlarging
        self._layer_weights: np.ndarray | None = None  # (Cout, Cin, kh, kw) of the shown moment
        self._grid: tuple[int, int, int, int] | None = None
        self._factor = 1
        self._image: np.ndarray | None = None
        self._mode = "channel"

        # -- controls ----------------------------------------------------------------------
        self.layer_combo = QComboBox()
        self.layer_combo.setToolTip("Conv layer whose kernels are shown")
        self.mode_combo = QComboBox()
        self.mode_combo.setToolTip("RGB colour: a first layer's 3 input channels as one colour patch "
                                   "(grey = 0); otherwise one input channel at a time, or their mean")
        self.channel_spin = QSpinBox()
        self.channel_spin.setPrefix("input channel ")
        self.channel_spin.setMinimum(0)
        self.cmap_combo = QComboBox()
        for name in colormaps.DIVERGING:
            self.cmap_combo.addItem(name, name)
        self.export_button = QPushButton("Export PNG…")
        self.export_button.clicked.connect(self._export_dialog)

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(QLabel("Layer"))
        top.addWidget(self.layer_combo)
        top.addWidget(self.mode_combo)
        top.addWidget(self.channel_spin)
        top.addWidget(self.cmap_combo)
        top.addStretch(1)

        self.live_check = QCheckBox("Live")
        self.live_check.setToolTip("Follow the newest weights while training")
        self.live_check.setChecked(True)
        self.play_button = QPushButton("Play")
        self.play_button.setCheckable(True)
        self.play_button.setToolTip("Play the keyframes as a time-lapse (about 4 frames a second, loops)")
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, 0)
        self.slider.setPageStep(1)
        self.slider.setToolTip("Keyframes: step 0, early moments of epoch 1, every epoch end")
        self.frame_label = QLabel()
        self.frame_label.setMinimumWidth(150)
        self.diff_check = QCheckBox("Diff B − A")
        self.a_combo = QComboBox()
        self.b_combo = QComboBox()
        self.a_combo.setToolTip("Moment A")
        self.b_combo.setToolTip("Moment B (the slider moves B while Diff is on)")
        time_row = QHBoxLayout()
        time_row.setContentsMargins(0, 0, 0, 0)
        time_row.addWidget(self.live_check)
        time_row.addWidget(self.play_button)
        time_row.addWidget(self.slider, 1)
        time_row.addWidget(self.frame_label)
        self.slider.setMinimumWidth(120)
        diff_row = QHBoxLayout()
        diff_row.setContentsMargins(0, 0, 0, 0)
        diff_row.addWidget(self.diff_check)
        diff_row.addWidget(QLabel("A"))
        diff_row.addWidget(self.a_combo)
        diff_row.addWidget(QLabel("B"))
        diff_row.addWidget(self.b_combo)
        diff_row.addStretch(1)
        diff_row.addWidget(self.export_button)

        for combo in (self.a_combo, self.b_combo, self.layer_combo, self.mode_combo):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        # -- plot --------------------------------------------------------------------------
        theme.apply_pyqtgraph_defaults()
        self.view = pg.GraphicsLayoutWidget()
        self.view.setMinimumSize(200, 160)
        self.plot = self.view.addPlot(row=0, col=0)
        for side in ("left", "bottom", "right", "top"):
            self.plot.hideAxis(side)
        self.plot.setAspectLocked(True)
        self.plot.invertY(True)
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.image_item = pg.ImageItem(axisOrder="row-major")
        self.rgb_item = pg.ImageItem(axisOrder="row-major")
        self.plot.addItem(self.image_item)
        self.plot.addItem(self.rgb_item)
        self.rgb_item.hide()
        diverging = colormaps.get(colormaps.DEFAULT_DIVERGING)
        self.color_bar = pg.ColorBarItem(interactive=False, width=12, colorMap=diverging)
        self.color_bar.setImageItem(self.image_item, insert_in=self.plot)
        self.info_label = QLabel("Hover a kernel for its index, range and norm.")
        self.info_label.setStyleSheet("font-size: 11px;")
        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.message_label.hide()

        root = QVBoxLayout(self)
        root.setContentsMargins(4, 4, 4, 4)
        root.addLayout(top)
        root.addLayout(time_row)
        root.addLayout(diff_row)
        root.addWidget(self.message_label)
        root.addWidget(self.view, 1)
        root.addWidget(self.info_label)
        theme.compact(self, min_chars=11)
        self.frame_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.frame_label.setMinimumWidth(self.fontMetrics().horizontalAdvance("epoch 10.00 · step 99999"))

        # -- timers and signals ----------------------------------------------------------
        self.play_timer = QTimer(self)
        self.play_timer.setInterval(PLAY_INTERVAL_MS)
        self.play_timer.timeout.connect(self.step_forward)
        self._weights_timer = QTimer(self)
        self._weights_timer.setSingleShot(True)
        self._weights_timer.timeout.connect(self._apply_weights)

        self.layer_combo.currentIndexChanged.connect(self._layer_chosen)
        self.mode_combo.currentIndexChanged.connect(self._mode_chosen)
        self.channel_spin.valueChanged.connect(self._redraw)
        self.cmap_combo.currentIndexChanged.connect(self._cmap_chosen)
        self.live_check.toggled.connect(self._live_toggled)
        self.play_button.toggled.connect(self.set_playing)
        self.slider.valueChanged.connect(self._slider_moved)
        self.diff_check.toggled.connect(self._diff_toggled)
        self.a_combo.currentIndexChanged.connect(self._redraw)
        self.b_combo.currentIndexChanged.connect(self._b_chosen)
        self.view.scene().sigMouseMoved.connect(self._mouse_moved)
        state.specChanged.connect(self._spec_changed)
        state.weightsChanged.connect(self._weights_changed)
        state.keyframeAdded.connect(self.add_keyframe)

        current = theme.current()
        if current is not None:
            current.changed.connect(self._theme_changed)
        self._spec_changed(state.spec)

    @Slot(bool)
    def _theme_changed(self, _dark: bool) -> None:
        self.view.setBackground(theme.plot_colors()[0])

    # ------------------------------------------------------------------ public API
    def layer_names(self) -> list[str]:
        return [self.layer_combo.itemData(i) for i in range(self.layer_combo.count())]

    def current_layer(self) -> str | None:
        return self.layer_combo.currentData()

    def set_layer(self, name: str) -> None:
        index = self.layer_combo.findData(name)
        if index < 0:
            raise KeyError(f"no conv layer {name!r}")
        self.layer_combo.setCurrentIndex(index)

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

    def image_data(self) -> np.ndarray | None:
        """The mosaic the ImageItem shows (float with NaN gaps, or RGBA uint8 in RGB mode)."""
        return self._image

    def levels(self) -> tuple[float, float]:
        return tuple(self.color_bar.levels())

    def keyframe_count(self) -> int:
        return len(self._frames)

    def frame_text(self) -> str:
        return self.frame_label.text()

    def set_frame(self, index: int) -> None:
        """Show keyframe ``index`` (leaves Live)."""
        self.slider.setValue(index)

    def set_live(self, live: bool) -> None:
        self.live_check.setChecked(live)

    def set_diff(self, a: int, b: int, on: bool = True) -> None:
        """Show keyframe ``b`` minus keyframe ``a`` (or leave Diff with ``on=False``)."""
        self.a_combo.setCurrentIndex(a)
        self.b_combo.setCurrentIndex(b)
        self.diff_check.setChecked(on)
        self._redraw()

    def is_playing(self) -> bool:
        return self.play_timer.isActive()

    @Slot(bool)
    def set_playing(self, playing: bool) -> None:
        if playing and len(self._frames) < 2:
            playing = False
        if playing:
            self.live_check.setChecked(False)
            self.play_timer.start()
        else:
            self.play_timer.stop()
        self.play_button.blockSignals(True)
        self.play_button.setChecked(playing)
        self.play_button.setText("Pause" if playing else "Play")
        self.play_button.blockSignals(False)

    @Slot()
    def step_forward(self) -> None:
        """The next keyframe, looping to the first after the last."""
        if not self._frames:
            return
        self.slider.setValue((self.slider.value() + 1) % len(self._frames))

    def flush(self) -> None:
        """Apply pending live weights now (tests, benchmarks)."""
        if self._weights_pending or self._weights_timer.isActive():
            self._weights_timer.stop()
            self._apply_weights()

    def export_png(self, path: str) -> str:
        """Save the kernel grid with its colour bar as PNG."""
        return export_widget_png(self.view, path)

    @Slot(object)
    def add_keyframe(self, snapshot: Any) -> None:
        """A new time-lapse moment (``AppState.keyframeAdded``)."""
        if not self._fits(snapshot.state):
            return
        b_followed = self.b_combo.currentIndex() == len(self._frames) - 1
        self._frames.append(snapshot)
        text = _frame_text(snapshot)
        for combo in (self.a_combo, self.b_combo):
            combo.blockSignals(True)
            combo.addItem(text)
            combo.blockSignals(False)
        if b_followed or self.b_combo.currentIndex() < 0:
            self.b_combo.blockSignals(True)
            self.b_combo.setCurrentIndex(len(self._frames) - 1)
            self.b_combo.blockSignals(False)
        if self.a_combo.currentIndex() < 0:
            self.a_combo.setCurrentIndex(0)
        self.slider.blockSignals(True)
        self.slider.setMaximum(len(self._frames) - 1)
        if self.live_check.isChecked():
            self.slider.setValue(len(self._frames) - 1)
        self.slider.blockSignals(False)
        if self.diff_check.isChecked() and b_followed:
            self._redraw()

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
        self._untrained = None
        report = analyze(spec)
        self._shapes = conv_weight_shapes(spec) if report.ok else {}
        previous = self.current_layer()
        self.layer_combo.blockSignals(True)
        self.layer_combo.clear()
        for name, (cout, cin, kh, kw) in self._shapes.items():
            self.layer_combo.addItem(f"{name} — {cout}×{cin}×{kh}×{kw}", name)
        index = self.layer_combo.findData(previous) if previous else -1
        self.layer_combo.setCurrentIndex(max(0, index))
        self.layer_combo.blockSignals(False)
        self._sync_frames()
        if not report.ok:
            self._show_message("Fix the network's errors to see its kernels.")
        elif not self._shapes:
            self._show_message("This network has no conv layers.")
        else:
            self._show_message("")
        self._layer_chosen()

    def _sync_frames(self) -> None:
        self._frames = []
        self.set_playing(False)
        for combo in (self.a_combo, self.b_combo):
            combo.blockSignals(True)
            combo.clear()
            combo.blockSignals(False)
        self.slider.blockSignals(True)
        self.slider.setRange(0, 0)
        self.slider.blockSignals(False)
        for snapshot in list(self._state.keyframes):
            self.add_keyframe(snapshot)

    @Slot(object)
    def _weights_changed(self, weights: Any) -> None:
        if weights is None:
            self._sync_frames()  # AppState drops its keyframes with the weights
        self._weights_pending = True
        if self._weights_timer.isActive():
            return
        wait = WEIGHTS_MIN_INTERVAL_S - (time.perf_counter() - self._last_weights_at)
        self._weights_timer.start(max(0, int(wait * 1000)))

    def showEvent(self, event: Any) -> None:  # noqa: N802
        super().showEvent(event)
        if self._weights_pending:
            self._apply_weights()

    def _apply_weights(self) -> None:
        if not self.isVisible() and self.window().isVisible():
            self._weights_pending = True  # another tab is on screen: redraw when shown
            return
        self._weights_pending = False
        self._last_weights_at = time.perf_counter()
        if self.live_check.isChecked() and not self.diff_check.isChecked():
            self._redraw()

    def _untrained_state(self) -> dict[str, np.ndarray]:
        if self._untrained is None and self._spec is not None:
            from gui.viewers.feature_maps import untrained_model

            model = untrained_model(self._spec)
            self._untrained = {k: v.detach().numpy().copy() for k, v in model.state_dict().items()}
        return self._untrained or {}

    def _layer_weights_for(self, layer: str) -> tuple[np.ndarray | None, str]:
        """The weights to show for ``layer`` and the moment's description."""
        from engine.inspect.activations import conv_kernels

        if self.diff_check.isChecked():
            a, b = self.a_combo.currentIndex(), self.b_combo.currentIndex()
            if not (0 <= a < len(self._frames) and 0 <= b < len(self._frames)):
                return None, "Diff needs two keyframes"
            wa = conv_kernels(self._frames[a].state, layer)
            wb = conv_kernels(self._frames[b].state, layer)
            return wb - wa, f"Δ {_frame_text(self._frames[b])} − {_frame_text(self._frames[a])}"
        if not self.live_check.isChecked() and self._frames:
            snapshot = self._frames[min(self.slider.value(), len(self._frames) - 1)]
            return conv_kernels(snapshot.state, layer), _frame_text(snapshot)
        weights = self._state.weights
        if weights is not None and self._fits(weights):
            return conv_kernels(weights, layer), "live · latest weights"
        return conv_kernels(self._untrained_state(), layer), "untrained weights"

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
                self.mode_combo.addItem(_MODE_TEXT["rgb"], "rgb")
            self.mode_combo.addItem(_MODE_TEXT["channel"], "channel")
            if shape[1] > 1:
                self.mode_combo.addItem(_MODE_TEXT["mean"], "mean")
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

    @Slot(bool)
    def _live_toggled(self, live: bool) -> None:
        if live:
            self.set_playing(False)
            self.diff_check.blockSignals(True)
            self.diff_check.setChecked(False)
            self.diff_check.blockSignals(False)
            if self._frames:
                self.slider.blockSignals(True)
                self.slider.setValue(len(self._frames) - 1)
                self.slider.blockSignals(False)
        self._redraw()

    @Slot(int)
    def _slider_moved(self, value: int) -> None:
        if self.diff_check.isChecked():
            self.b_combo.blockSignals(True)
            self.b_combo.setCurrentIndex(value)
            self.b_combo.blockSignals(False)
        elif self.live_check.isChecked():
            self.live_check.blockSignals(True)
            self.live_check.setChecked(False)
            self.live_check.blockSignals(False)
        self._redraw()

    @Slot(bool)
    def _diff_toggled(self, on: bool) -> None:
        if on:
            self.live_check.blockSignals(True)
            self.live_check.setChecked(False)
            self.live_check.blockSignals(False)
            self.set_playing(False)
            self.slider.blockSignals(True)
            self.slider.setValue(max(0, self.b_combo.currentIndex()))
            self.slider.blockSignals(False)
        self._redraw()

    @Slot(int)
    def _b_chosen(self, index: int) -> None:
        if self.diff_check.isChecked() and index >= 0:
            self.slider.blockSignals(True)
            self.slider.setValue(index)
            self.slider.blockSignals(False)
        self._redraw()

    # ------------------------------------------------------------------ drawing
    def _show_message(self, text: str) -> None:
        self.message_label.setText(text)
        self.message_label.setVisible(bool(text))

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
        except (KeyError, ValueError) as exc:
            self._show_message(f"These weights do not fit {layer}: {exc}")
            return
        self.frame_label.setText(moment)
        if weights is None:
            return
        self._layer_weights = weights
        cout, cin, kh, kw = weights.shape
        m = float(np.abs(weights).max())
        m = m if m > 0 else 1.0
        mode = self.mode()
        if mode == "rgb" and cin == 3:
            kernels = weights.transpose(0, 2, 3, 1)  # (N, kh, kw, 3)
        elif mode == "mean":
            kernels = weights.mean(axis=1)
        else:
            kernels = weights[:, min(self.channel_spin.value(), cin - 1)]
        self._kernels = kernels
        factor = max(1, TILE_PX // max(kh, kw))
        big = np.repeat(np.repeat(kernels, factor, axis=1), factor, axis=2)
        rows, cols = colormaps.grid_dims(cout, kh, kw)
        if kernels.ndim == 4:
            rgb = np.clip(0.5 + 0.5 * big / m, 0.0, 1.0)
            rgba = np.concatenate([rgb, np.ones(rgb.shape[:3] + (1,), rgb.dtype)], axis=3)
            image = (colormaps.mosaic(rgba, cols, fill=0.0) * 255).round().astype(np.ubyte)
            self.rgb_item.setImage(image, autoLevels=False, levels=None)
            self.rgb_item.show()
            self.image_item.hide()
        else:
            image = colormaps.mosaic(big, cols)
            self.image_item.setImage(image, autoLevels=False, levels=(-m, m))
            self.image_item.show()
            self.rgb_item.hide()
        self.color_bar.setLevels((-m, m))
        new_shape = self._image is None or self._image.shape[:2] != image.shape[:2]
        self._image = image
        self._factor = factor
        self._grid = (rows, cols, kh, kw)
        if new_shape or autorange:
            self.plot.getViewBox().autoRange(padding=0.01)
        what = {"rgb": "RGB", "mean": "mean over inputs",
                "channel": f"input channel {min(self.channel_spin.value(), cin - 1)}"}.get(mode, "")
        self.plot.setTitle(f"{layer} · {cout} kernels {kh}×{kw} · {what} · scale ±{m:.3g}", size="9pt")
        self.kernelsUpdated.emit()

    # ------------------------------------------------------------------ mouse
    @Slot(object)
    def _mouse_moved(self, scene_pos: QPointF) -> None:
        if self._grid is None or self._kernels is None or self._layer_weights is None:
            return
        if not self.plot.getViewBox().sceneBoundingRect().contains(scene_pos):
            return
        p = self.image_item.mapFromScene(scene_pos)
        rows, cols, kh, kw = self._grid
        f = self._factor
        hit = colormaps.tile_at(p.x(), p.y(), self._kernels.shape[0], cols, kh * f, kw * f)
        if hit is None:
            return
        index, row, col = hit
        mode = self.mode()
        if mode == "rgb":
            kernel, where = self._layer_weights[index], f"(out {index}, in 0–2)"
        elif mode == "mean":
            kernel, where = self._kernels[index], f"(out {index}, mean of inputs)"
        else:
            ci = min(self.channel_spin.value(), self._layer_weights.shape[1] - 1)
            kernel, where = self._kernels[index], f"(out {index}, in {ci})"
        text = (f"{self.current_layer()} kernel {where} · min {float(kernel.min()):.3g} · "
                f"max {float(kernel.max()):.3g} · L2 {float(np.linalg.norm(kernel)):.3g} · "
                f"tap ({row // f}, {col // f})")
        self.info_label.setText(text)
        self.statusMessage.emit(text)

    def _export_dialog(self) -> None:
        path = ask_png_path(self, "Export kernels", f"{self.current_layer() or 'kernels'}.png")
        if path:
            try:
                self.statusMessage.emit(f"Saved {export_widget_png(self.view, path)}")
            except OSError as exc:
                self.statusMessage.emit(str(exc))


if __name__ == "__main__":  # pragma: no cover - the demo lives with the feature-map viewer
    from gui.viewers.feature_maps import _demo

    raise SystemExit(_demo())
