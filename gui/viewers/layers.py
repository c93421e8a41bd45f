"""*Layers over time*: per-layer norms, update ratios, activations and dead units while a network
trains, a histogram heat map over steps for one layer, and warnings that lead to the fix.

Samples come live from the training controller's ``layerStats`` (repainted at most 5 times a
second), from a statistics file, or from *Measure now* on the current weights (an opened model).
Every sample of a run is kept (``LayerStatsHistory``; the memory line says what it costs).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QComboBox, QFileDialog, QLabel, QPushButton, QWidget

from engine.training.layer_stats import (
    HIST_BINS,
    LayerStatsError,
    LayerStatsHistory,
    diagnose,
    load_layer_stats,
    save_layer_stats,
)
from gui.state import AppState
from gui.tasks import TaskRunner
from gui.viewers.base import STRETCH, Viewer, row
from gui.viewers.layers_parts import WarningList, measure_weights, step_grid

__all__ = ["QUANTITIES", "LayersView"]

#: quantity → (LayerStats field, per "params" or "activations", log y)
QUANTITIES = {
    "grad_norm": ("grad_norm", "params", True),
    "update_ratio": ("update_ratio", "params", True),
    "weight_norm": ("weight_norm", "params", True),
    "act_mean": ("act_mean", "activations", False),
    "act_std": ("act_std", "activations", True),
    "dead": ("dead", "activations", False),
}
#: histogram kind → (LayerStats histogram field, range field, names)
KINDS = {"weights": ("hist_weights", "weight_range", "params"), "grads": ("hist_grads", "grad_range", "params"),
         "acts": ("hist_acts", "act_range", "activations")}
HEAT_COLUMNS = 400
MEASURE_IMAGES = 128


class LayersView(Viewer):
    """The *Layers over time* tab. ``fixRequested(setting, layer)`` from a warning's button."""

    fixRequested = Signal(str, str)
    export_title = "Export layers over time"
    export_name = "layers-over-time"

    def __init__(self, state: AppState, test_split: Any = None, parent: QWidget | None = None):
        super().__init__(state, parent, min_interval_ms=200)  # ≤ 5 repaints a second
        self.history = LayerStatsHistory()
        self.source = ""
        self._test_split = test_split  # () -> Split, for Measure now
        self.runner = TaskRunner(self)
        self.runner.finished.connect(self._measured)
        self.runner.failed.connect(lambda text: self.show_message(self.tr("Could not measure: {0}").format(text)))
        self.quantity = QComboBox()
        for key, text in zip(QUANTITIES, (self.tr("Gradient norm"), self.tr("Update / weight ratio"),
                                          self.tr("Weight norm"), self.tr("Activation mean"),
                                          self.tr("Activation std"), self.tr("Dead ReLU fraction"))):
            self.quantity.addItem(text, key)
        self.layer_combo = QComboBox()
        self.kind = QComboBox()
        for key, text in zip(KINDS, (self.tr("Weights"), self.tr("Gradients"), self.tr("Activations"))):
            self.kind.addItem(text, key)
        self.measure_button = QPushButton(self.tr("Measure now"))
        self.measure_button.setToolTip(self.tr("Statistics of the current weights on {0} test images (no training "
                                               "step: the update ratio stays empty)").format(MEASURE_IMAGES))
        self.open_button = QPushButton(self.tr("Open…"))
        self.save_button = QPushButton(self.tr("Save…"))
        self.memory_label = QLabel()
        self.warnings = WarningList()
        self.warnings.fixRequested.connect(self.fixRequested)
        self.figure = pg.GraphicsLayoutWidget()
        self.lines = self.figure.addPlot(row=0, col=0)
        self.lines.showGrid(x=True, y=True, alpha=0.2)
        self.lines.setLabel("bottom", self.tr("step"))
        self.legend = self.lines.addLegend(offset=(-10, 10), labelTextSize="8pt")
        self.heat_plot = self.figure.addPlot(row=1, col=0)
        self.heat_plot.setLabel("bottom", self.tr("step"))
        self.heat = pg.ImageItem(axisOrder="row-major")
        self.heat.setColorMap(pg.colormap.get("viridis"))
        self.heat_plot.addItem(self.heat)
        self.heat_note = QLabel()
        self.heat_note.setWordWrap(True)
        for combo in (self.quantity, self.layer_combo, self.kind):
            combo.currentIndexChanged.connect(self.request_refresh)
        self.measure_button.clicked.connect(self.measure)
        self.open_button.clicked.connect(self._open_dialog)
        self.save_button.clicked.connect(self._save_dialog)
        self.arrange((row(self.tr("Show:"), self.quantity, self.tr("Histogram of:"), self.kind, self.layer_combo,
                          STRETCH),
                      row(self.memory_label, STRETCH, self.measure_button, self.open_button, self.save_button,
                          self.export_button)), self.figure, (self.heat_note, self.warnings))
        self.memory_label.setWordWrap(True)
        self.layer_combo.setAccessibleName(self.tr("Histogram layer"))
        self.figure.setAccessibleName(self.tr("Layers over time plot"))
        self.follow_theme(self.figure)
        self.warnings.setVisible(False)
        self.refresh()

    # -- input -----------------------------------------------------------------------------
    @Slot(object)
    def add_stats(self, stats: Any) -> None:
        """A live sample; one of another network, or from an earlier step, starts a new history."""
        if self.history.samples and ((stats.params, stats.activations) != (self.history.params,
                                                                            self.history.activations)
                                     or stats.step <= self.history.samples[-1].step):
            self.history = LayerStatsHistory()
        self.history.add(stats)
        self.source = self.tr("live from training")
        self.request_refresh()

    @Slot(object)
    def start_run(self, *_args: Any) -> None:
        """A run starts: its samples replace what was shown."""
        self.set_history(LayerStatsHistory(), "")

    def set_history(self, history: LayerStatsHistory, source: str) -> None:
        self.history, self.source = history, source
        self.request_refresh()

    @Slot()
    def measure(self) -> None:
        """Statistics of the current weights (an opened model, or the untrained network) in the background."""
        split = self._test_split() if self._test_split is not None else None
        if split is None or len(split) == 0:
            self.show_message(self.tr("No test images to measure on: load a dataset in the Training panel."))
            return
        if tuple(split.images.shape[1:]) != tuple(self.state.spec.input):
            self.show_message(self.tr("The dataset's images do not fit this network's input."))
            return
        n = min(MEASURE_IMAGES, len(split))
        mean, std = self.state.input_stats()
        self.show_message(self.tr("Measuring…"))
        self.runner.start(measure_weights, self.state.spec, self.state.weights, split.images[:n], split.labels[:n],
                          mean, std)

    @Slot(object)
    def _measured(self, stats: Any) -> None:
        trained = self.state.weights is not None
        self.set_history(LayerStatsHistory([stats]), self.tr("measured on the current weights") if trained
                         else self.tr("measured on the untrained network"))

    # -- drawing ---------------------------------------------------------------------------
    def refresh(self) -> None:
        history = self.history
        if not history.samples:
            self.show_message(self.tr("No layer statistics yet. Start training (with “record layer statistics” "
                                      "on), open a statistics file, or press Measure now for the current weights."))
            self.memory_label.setText("")
            self.lines.clear()
            self.heat.clear()
            self.heat_note.setText("")
            self.warnings.set_findings([])
            self.save_button.setEnabled(False)
            self.figure.setVisible(False)  # nothing to plot: the message says why
            return
        self.show_message("")
        self.figure.setVisible(True)
        self.save_button.setEnabled(True)
        size = history.bytes_per_sample
        self.memory_label.setText(self.tr("{0} samples ({1}), every one kept: {2:,} bytes each, {3:,.1f} KiB in "
                                          "all").format(len(history), self.source, size,
                                                        size * len(history) / 1024))
        self._fill_layers()
        self._draw_lines()
        self._draw_heat()
        self.warnings.set_findings(diagnose(history))

    def _fill_layers(self) -> None:
        names = getattr(self.history, KINDS[self.kind.currentData()][2])
        if names == tuple(self.layer_names()):
            return
        current = self.layer_combo.currentData()
        self.layer_combo.blockSignals(True)
        self.layer_combo.clear()
        for name in names:
            self.layer_combo.addItem(name, name)
        if current in names:
            self.layer_combo.setCurrentIndex(names.index(current))
        self.layer_combo.blockSignals(False)

    def _draw_lines(self) -> None:
        field, per, log = QUANTITIES[self.quantity.currentData()]
        names = getattr(self.history, per)
        steps = self.history.column("step")
        values = self.history.column(field)
        self.lines.clear()
        self.legend.clear()
        self.lines.setLogMode(y=log)
        self.lines.setLabel("left", self.quantity.currentText())
        columns = values.astype(float) if values.size else np.zeros((len(steps), 0))
        if log:
            columns = np.where(columns > 0, columns, np.nan)  # zeros and NaN leave gaps
        shown = [i for i in range(columns.shape[1]) if np.isfinite(columns[:, i]).any()]
        for n, i in enumerate(shown):
            column = columns[:, i]
            pen = pg.mkPen(pg.intColor(n, hues=max(len(shown), 1)), width=2)
            symbol = "o" if len(steps) < 3 else None
            self.lines.plot(steps, column, pen=pen, name=names[i], connect="finite", symbol=symbol, symbolSize=5,
                            symbolBrush=pen.color())

    def _draw_heat(self) -> None:
        hist_field, range_field, per = KINDS[self.kind.currentData()]
        names = getattr(self.history, per)
        layer = self.layer_combo.currentData()
        if layer not in names:
            self.heat.clear()
            self.heat_note.setText("")
            return
        i = names.index(layer)
        steps = self.history.column("step")
        counts = self.history.column(hist_field)[:, i, :]
        lo, hi = (float(v) for v in self.history.column(range_field)[-1, i])
        columns = step_grid(steps, min(HEAT_COLUMNS, max(len(steps), 1)))
        image = np.log1p(counts[columns, :HIST_BINS].astype(float)).T  # rows: bins, columns: steps
        self.heat.setImage(image, autoLevels=True)
        width = max(float(steps[-1] - steps[0]), 1.0)
        self.heat.setRect(float(steps[0]), lo, width, hi - lo)
        self.heat_plot.setLabel("left", self.tr("{0} of {1}").format(self.kind.currentText(), layer))
        self.heat_plot.autoRange()
        below, above, nan, inf = (int(v) for v in counts[-1, HIST_BINS:])
        self.heat_note.setText(self.tr("Colour: log(1 + count) per bin over the fixed range {0:.3g} … {1:.3g}. "
                                       "Latest sample: {2:,} below, {3:,} above the range, {4:,} NaN, {5:,} ±Inf.")
                               .format(lo, hi, below, above, nan, inf))

    def export_target(self) -> QWidget:
        return self.figure

    # -- files -----------------------------------------------------------------------------
    def open_file(self, path: str) -> bool:
        try:
            history = load_layer_stats(path)
        except LayerStatsError as exc:
            self.show_message(str(exc))
            return False
        self.set_history(history, path)
        return True

    @Slot()
    def _open_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open layer statistics"), "",
                                              self.tr("Layer statistics (*.npz)"))
        if path:
            self.open_file(path)

    @Slot()
    def _save_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save layer statistics"), "layer_stats.npz",
                                              self.tr("Layer statistics (*.npz)"))
        if path:
            try:
                save_layer_stats(path, self.history)
                self.statusMessage.emit(self.tr("Saved {0}").format(path))
            except (OSError, ValueError) as exc:
                self.statusMessage.emit(str(exc))
