"""Other runs drawn over the live training curves, and a dashed reference ("note") curve."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor

from gui.training.plot_parts import RunOverlay, import_pyqtgraph
from gui.widgets import theme

__all__ = ["OVERLAY_COLORS", "OverlayCurves"]

# distinct from the live train (blue) / test (vermillion) colours: (light, dark) backgrounds
OVERLAY_COLORS = (
    ("#009E73", "#2FD1A0"),  # bluish green
    ("#CC79A7", "#E59CC6"),  # reddish purple
    ("#7F3C8D", "#B497E7"),  # violet
    ("#A6761D", "#F0E442"),  # ochre / yellow
    ("#11A579", "#80BA5A"),  # green
    ("#555555", "#BBBBBB"),  # grey
    ("#E73F74", "#F97B72"),  # rose
    ("#3969AC", "#7F9CF5"),  # indigo
)


def overlay_color(index: int, dark: bool) -> QColor:
    """The ``index``-th overlay colour (cycling) for a light or dark background."""
    return QColor(OVERLAY_COLORS[index % len(OVERLAY_COLORS)][1 if dark else 0])


def _floats(values: Any) -> np.ndarray:
    return np.asarray(values if values is not None else (), dtype=np.float64).ravel()


class _Slot:
    """The curves of one overlaid run, kept between selections (adding items to a plot and its legend
    costs ~2 ms each, so ten runs re-added on every selection change took ~140 ms)."""

    def __init__(self, acc: Any, loss: Any):
        self.acc, self.loss = acc, loss
        self.batch: Any = None
        self.dark: bool | None = None  # the scheme its pens were made for
        self.names: dict[str, str | None] = {"acc": None, "loss": None}


class OverlayCurves:
    """The overlay items of one ``TrainingPlots``: per run, its test accuracy (accuracy plot), test
    loss and optional batch loss (loss plot), each in that run's colour and named in the legends."""

    def __init__(self, loss_plot: Any, acc_plot: Any):
        self._loss_item = loss_plot.getPlotItem()
        self._acc_item = acc_plot.getPlotItem()
        self.overlays: tuple[RunOverlay, ...] = ()
        self.items: list[tuple[int, Any, str]] = []  # the shown ones: (colour index, curve, kind)
        self._slots: list[_Slot] = []
        self.reference: Any = None
        self.reference_label: str | None = None

    def set_overlays(self, overlays: Sequence[RunOverlay], dark: bool) -> None:
        """Replace every overlay by ``overlays`` ([] clears and removes the curves from the plots)."""
        self.overlays = tuple(overlays)
        if not self.overlays:
            for slot in self._slots:
                self._name(slot, "acc", None)
                self._name(slot, "loss", None)
                self._acc_item.removeItem(slot.acc)
                for curve in (slot.loss, slot.batch):
                    if curve is not None:
                        self._loss_item.removeItem(curve)
            self._slots, self.items = [], []
            return
        pg = import_pyqtgraph()
        while len(self._slots) < len(self.overlays):
            slot = _Slot(pg.PlotDataItem(connect="finite", symbol="t", symbolSize=5),
                         pg.PlotDataItem(connect="finite", symbol="t", symbolSize=5))
            self._acc_item.addItem(slot.acc)
            self._loss_item.addItem(slot.loss)
            self._slots.append(slot)
        self.items = []
        for index, slot in enumerate(self._slots):
            self._fill(index, slot, self.overlays[index] if index < len(self.overlays) else None)
        self.apply_theme(dark)

    def _name(self, slot: _Slot, kind: str, name: str | None) -> None:
        """Show ``slot``'s ``kind`` curve in its plot's legend as ``name`` (None: not at all)."""
        if slot.names[kind] == name:
            return
        curve, plot = (slot.acc, self._acc_item) if kind == "acc" else (slot.loss, self._loss_item)
        if plot.legend is not None:
            if slot.names[kind] is not None:
                plot.legend.removeItem(curve)
            if name is not None:
                plot.legend.addItem(curve, name)
        slot.names[kind] = name

    def _fill(self, index: int, slot: _Slot, run: RunOverlay | None) -> None:
        if run is None:  # a spare slot: empty and out of the legends
            for curve in (slot.acc, slot.loss, slot.batch):
                if curve is not None:
                    curve.setData([], [])
            self._name(slot, "acc", None)
            self._name(slot, "loss", None)
            return
        epochs = _floats(run.epochs)
        acc, loss = _floats(run.test_accuracy), _floats(run.test_loss)
        n_acc, n_loss = min(len(epochs), len(acc)), min(len(epochs), len(loss))
        slot.acc.setData(epochs[:n_acc], acc[:n_acc])
        slot.loss.setData(epochs[:n_loss], loss[:n_loss])
        self._name(slot, "acc", run.name)
        self._name(slot, "loss", QCoreApplication.translate("TrainingPlots", "{0} (test)").format(run.name))
        self.items += [(index, slot.acc, "acc"), (index, slot.loss, "loss")]
        if run.batch_steps is not None and run.batch_loss is not None:
            steps, batch = _floats(run.batch_steps), _floats(run.batch_loss)
            n = min(len(steps), len(batch))
            if slot.batch is None:
                slot.batch = import_pyqtgraph().PlotDataItem(connect="finite")
                slot.batch.setClipToView(True)
                slot.batch.setDownsampling(auto=True, method="peak")
                self._loss_item.addItem(slot.batch)
                slot.dark = None  # the new curve needs its pen
            slot.batch.setData(steps[:n], batch[:n])
            self.items.append((index, slot.batch, "batch"))
        elif slot.batch is not None:
            slot.batch.setData([], [])

    def set_reference(self, label: str | None, epochs: Sequence[float], accuracy: Sequence[float],
                      dark: bool) -> None:
        """A dashed curve named ``label`` on the accuracy plot; ``label`` None removes it."""
        if self.reference is not None:
            self._acc_item.removeItem(self.reference)
            self.reference = None
        self.reference_label = label
        if label is None:
            return
        x, y = _floats(epochs), _floats(accuracy)
        n = min(len(x), len(y))
        self.reference = self._acc_item.plot(x[:n], y[:n], name=label, connect="finite")
        self.apply_theme(dark)

    def apply_theme(self, dark: bool) -> None:
        """Colours for a light or dark background (a kept slot is recoloured only when the scheme changed)."""
        pg = import_pyqtgraph()
        for index, slot in enumerate(self._slots):
            if slot.dark == dark:
                continue
            slot.dark = dark
            color = overlay_color(index, dark)
            for curve, width in ((slot.acc, 2), (slot.loss, 1)):
                curve.setPen(pg.mkPen(color, width=width))
                curve.setSymbolBrush(color)
                curve.setSymbolPen(color)
            if slot.batch is not None:
                faint = QColor(color)
                faint.setAlpha(90)
                slot.batch.setPen(pg.mkPen(faint, width=1))
        if self.reference is not None:
            _background, foreground = theme.plot_colors()
            color = QColor(foreground)
            color.setAlpha(170)
            self.reference.setPen(pg.mkPen(color, width=2, style=Qt.PenStyle.DashLine))
