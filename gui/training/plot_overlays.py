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


class OverlayCurves:
    """The overlay items of one ``TrainingPlots``: per run, its test accuracy (accuracy plot), test
    loss and optional batch loss (loss plot), each in that run's colour and named in the legends."""

    def __init__(self, loss_plot: Any, acc_plot: Any):
        self._loss_item = loss_plot.getPlotItem()
        self._acc_item = acc_plot.getPlotItem()
        self.overlays: tuple[RunOverlay, ...] = ()
        self.items: list[tuple[int, Any, str]] = []  # (colour index, curve, kind)
        self.reference: Any = None
        self.reference_label: str | None = None

    def set_overlays(self, overlays: Sequence[RunOverlay], dark: bool) -> None:
        """Replace every overlay by ``overlays`` ([] clears)."""
        for _index, curve, kind in self.items:
            (self._acc_item if kind == "acc" else self._loss_item).removeItem(curve)
        self.items = []
        self.overlays = tuple(overlays)
        for index, run in enumerate(self.overlays):
            self._add(index, run)
        self.apply_theme(dark)

    def _add(self, index: int, run: RunOverlay) -> None:
        epochs = _floats(run.epochs)
        acc, loss = _floats(run.test_accuracy), _floats(run.test_loss)
        n_acc, n_loss = min(len(epochs), len(acc)), min(len(epochs), len(loss))
        curve = self._acc_item.plot(epochs[:n_acc], acc[:n_acc], name=run.name, connect="finite",
                                    symbol="t", symbolSize=5)
        self.items.append((index, curve, "acc"))
        curve = self._loss_item.plot(epochs[:n_loss], loss[:n_loss], connect="finite", symbol="t", symbolSize=5,
                                     name=QCoreApplication.translate("TrainingPlots", "{0} (test)").format(run.name))
        self.items.append((index, curve, "loss"))
        if run.batch_steps is not None and run.batch_loss is not None:
            steps, batch = _floats(run.batch_steps), _floats(run.batch_loss)
            n = min(len(steps), len(batch))
            curve = self._loss_item.plot(steps[:n], batch[:n], connect="finite")
            curve.setClipToView(True)
            curve.setDownsampling(auto=True, method="peak")
            self.items.append((index, curve, "batch"))

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
        """Colours for a light or dark background."""
        pg = import_pyqtgraph()
        for index, curve, kind in self.items:
            color = overlay_color(index, dark)
            if kind == "batch":
                color.setAlpha(90)
                curve.setPen(pg.mkPen(color, width=1))
                continue
            curve.setPen(pg.mkPen(color, width=2 if kind == "acc" else 1))
            curve.setSymbolBrush(color)
            curve.setSymbolPen(color)
        if self.reference is not None:
            _background, foreground = theme.plot_colors()
            color = QColor(foreground)
            color.setAlpha(170)
            self.reference.setPen(pg.mkPen(color, width=2, style=Qt.PenStyle.DashLine))
