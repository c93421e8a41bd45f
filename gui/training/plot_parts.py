"""Pieces of the training plots: pyqtgraph on demand, plot widgets, a growing array, the
per-class bars and the confusion matrix with its counts."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont

from gui.widgets import theme

__all__ = [
    "GrowingArray",
    "RunOverlay",
    "counts_item",
    "grow_y",
    "import_pyqtgraph",
    "lr_marker",
    "make_plot",
    "show_confusion",
    "show_per_class",
    "smoothed",
    "style_epoch_curve",
    "theme_plots",
]

translate = QCoreApplication.translate

_THEMED = False  # pyqtgraph's defaults set from the theme
EMA_ALPHA = 0.05  # smoothing of the per-batch curves


def import_pyqtgraph() -> Any:
    """pyqtgraph (≈ 0.5 s to import the first time), with the theme's defaults applied once."""
    global _THEMED
    import pyqtgraph

    if not _THEMED:
        _THEMED = True
        theme.apply_pyqtgraph_defaults()
    return pyqtgraph


def style_epoch_curve(curve: Any, color: Any, width: int, style: Qt.PenStyle) -> None:
    """Line and symbols of a per-epoch curve in one colour."""
    curve.setPen(import_pyqtgraph().mkPen(color, width=width, style=style))
    curve.setSymbolBrush(color)
    curve.setSymbolPen(color)


@dataclass(frozen=True)
class RunOverlay:
    """A saved run drawn over the live curves: per-epoch test accuracy (fractions 0–1) and test
    loss (NaN where missing), optionally its per-batch loss."""

    name: str
    epochs: np.ndarray
    test_accuracy: np.ndarray
    test_loss: np.ndarray
    batch_steps: np.ndarray | None = None  # in epochs, like the live batch curve's x
    batch_loss: np.ndarray | None = None


class GrowingArray:
    """A float array that grows by doubling; ``view`` is the filled part (no copy)."""

    def __init__(self, capacity: int = 1024):
        self._data = np.empty(capacity, dtype=np.float64)
        self._n = 0

    def extend(self, values: np.ndarray) -> None:
        values = np.asarray(values, dtype=np.float64)
        need = self._n + len(values)
        if need > len(self._data):
            grown = np.empty(max(need, 2 * len(self._data)), dtype=np.float64)
            grown[: self._n] = self._data[: self._n]
            self._data = grown
        self._data[self._n:need] = values
        self._n = need

    def clear(self) -> None:
        self._n = 0

    @property
    def view(self) -> np.ndarray:
        return self._data[: self._n]

    def __len__(self) -> int:
        return self._n


_COUNTS_CLASS: Any = None


def counts_item() -> Any:
    """A pyqtgraph item that writes every confusion-matrix count in its cell, in one paint.

    (One item instead of a TextItem per cell: 100 TextItems took 0.2 s to create on each epoch.)
    """
    global _COUNTS_CLASS
    if _COUNTS_CLASS is None:
        pg = import_pyqtgraph()

        class CountsItem(pg.GraphicsObject):
            def __init__(self) -> None:
                super().__init__()
                self.counts: np.ndarray | None = None
                self.texts: list[str] = []
                self._dark_cell: np.ndarray | None = None
                self._font = QFont()
                self._font.setPointSize(8)

            def set_counts(self, counts: np.ndarray | None, shade: np.ndarray | None) -> None:
                self.prepareGeometryChange()
                self.counts = counts
                self.texts = [] if counts is None else [str(int(v)) for v in counts.ravel()]
                # cividis is dark at 0 and light yellow at 1: black text on light cells
                self._dark_cell = None if shade is None else shade <= 0.55
                self.update()

            def boundingRect(self) -> QRectF:  # noqa: N802
                n = 0 if self.counts is None else self.counts.shape[0]
                return QRectF(-0.5, -0.5, n, n)

            def paint(self, painter, *_args) -> None:
                if self.counts is None:
                    return
                n = self.counts.shape[0]
                transform = painter.transform()
                origin, corner = transform.map(QPointF(0, 0)), transform.map(QPointF(1, 1))
                w, h = abs(corner.x() - origin.x()), abs(corner.y() - origin.y())
                if w < 10 or h < 8:  # too small to read: the colours say it
                    return
                painter.save()
                painter.resetTransform()
                font = QFont(self._font)
                font.setPointSizeF(max(6.0, min(10.0, h * 0.35)))
                painter.setFont(font)
                white, black = QColor("white"), QColor("black")
                for r in range(n):
                    for c in range(n):
                        centre = transform.map(QPointF(c, r))
                        painter.setPen(white if self._dark_cell[r, c] else black)
                        painter.drawText(QRectF(centre.x() - w / 2, centre.y() - h / 2, w, h),
                                         Qt.AlignmentFlag.AlignCenter, self.texts[r * n + c])
                painter.restore()

        _COUNTS_CLASS = CountsItem
    return _COUNTS_CLASS()


def make_plot(title: str, left: str, bottom: str = "epoch") -> Any:
    """A titled pyqtgraph PlotWidget with axis labels and a faint grid."""
    widget = import_pyqtgraph().PlotWidget()
    item = widget.getPlotItem()
    item.setTitle(title, size="10pt")
    widget.setAccessibleName(translate("TrainingPlots", "{0} plot").format(title))
    item.setLabel("left", left)
    item.setLabel("bottom", bottom)
    item.showGrid(x=True, y=True, alpha=0.15)
    for name in ("left", "bottom"):
        item.getAxis(name).enableAutoSIPrefix(False)  # "lr (x0.001)" reads worse than 0.001
    item.setMenuEnabled(True)
    widget.setMinimumHeight(120)
    return widget


def show_per_class(plot: Any, bars: Any, values: np.ndarray | None, class_names: Sequence[str]) -> None:
    """Per-class accuracy as horizontal ``bars`` in ``plot``, the class names and values as ticks."""
    item = plot.getPlotItem()
    if values is None or not len(values):
        bars.setOpts(x0=[], y=[], width=[], height=0.7)
        item.getAxis("left").setTicks([[]])
        return
    n = len(values)
    shown = np.nan_to_num(values, nan=0.0)
    bars.setOpts(x0=np.zeros(n), y=np.arange(n), width=shown, height=0.7)
    names = class_names if len(class_names) == n else tuple(str(i) for i in range(n))
    ticks = [(i, f"{names[i]}  {'n/a' if np.isnan(values[i]) else f'{values[i]:.0%}'}") for i in range(n)]
    item.getAxis("left").setTicks([ticks])
    item.invertY(True)
    item.setYRange(-0.5, n - 0.5, padding=0.02)
    item.setXRange(0, 1, padding=0.02)


def show_confusion(
    plot: Any, image: Any, counts: Any, matrix: np.ndarray | None, class_names: Sequence[str]
) -> bool:
    """The confusion ``matrix`` in ``plot``: row-normalised colours in ``image``, the counts written
    by ``counts`` (a ``counts_item``); False (and both cleared) when there is none."""
    item = plot.getPlotItem()
    if matrix is None or not matrix.size:
        image.clear()
        counts.set_counts(None, None)
        return False
    n = matrix.shape[0]
    # row-normalised colours (recall per true class), counts as text
    totals = matrix.sum(axis=1, keepdims=True).astype(np.float64)
    norm = np.divide(matrix, totals, out=np.zeros(matrix.shape, dtype=np.float64), where=totals > 0)
    image.setImage(norm, levels=(0.0, 1.0))
    image.setRect(QRectF(-0.5, -0.5, n, n))
    counts.set_counts(np.asarray(matrix), norm)
    names = class_names if len(class_names) == n else tuple(str(i) for i in range(n))
    item.getAxis("left").setTicks([[(i, names[i]) for i in range(n)]])
    item.getAxis("bottom").setTicks([[(i, str(i) if len(names[i]) > 3 else names[i]) for i in range(n)]])
    item.setRange(xRange=(-0.5, n - 0.5), yRange=(-0.5, n - 0.5), padding=0.0)
    return True


def grow_y(plot: Any, values: np.ndarray, top: float = 0.0) -> float:
    """Set ``plot``'s y range to 0 … 1.15 × the largest finite value when that passes ``top`` (the
    current top; 0 for any positive value, so a flat line gets a sane range); the new top."""
    finite = values[np.isfinite(values)] if len(values) else values
    if len(finite) and float(finite.max()) > top:
        top = float(finite.max()) * 1.15
        plot.getPlotItem().setYRange(0.0, top, padding=0.0)
    return top


def smoothed(values: np.ndarray, last: float | None, skip_nonfinite: bool = False) -> tuple[np.ndarray, float | None]:
    """The exponential moving average (``EMA_ALPHA``) of ``values`` continuing from ``last``, and its
    new last value; ``skip_nonfinite`` leaves NaN and inf out (NaN until a finite value comes)."""
    out = np.empty_like(values)
    for i, value in enumerate(values):
        if not skip_nonfinite or math.isfinite(value):
            last = value if last is None else last + EMA_ALPHA * (value - last)
        out[i] = last if last is not None else np.nan
    return out, last


def lr_marker(x: float, change: Any, labelled: bool) -> Any:
    """A dashed vertical line at ``x`` (epochs) marking a learning-rate change."""
    pg = import_pyqtgraph()
    marker = theme.series_color("marker")
    line = pg.InfiniteLine(pos=x, angle=90, movable=False,
                           pen=pg.mkPen(marker, width=1, style=Qt.PenStyle.DashLine),
                           label=f"lr → {change.new_lr:g}" if labelled else None,
                           labelOpts={"position": 0.9, "color": marker, "anchors": [(0, 0), (0, 0)]})
    line.setToolTip(translate("TrainingPlots", "learning rate changed from {0:g} to {1:g} at step {2}").format(
        change.old_lr, change.new_lr, change.step))
    return line


def theme_plots(plots: Any, markers: Sequence[Any], dark: bool) -> None:
    """Colours of the training plots' backgrounds, axes, legends, curves and lr markers."""
    pg = import_pyqtgraph()
    background, foreground = theme.plot_colors()
    for widget in (plots.loss_plot, plots.acc_plot, plots.lr_plot, plots.class_plot, plots.confusion_plot):
        widget.setBackground(background)
        item = widget.getPlotItem()
        for name in ("left", "bottom"):
            axis = item.getAxis(name)
            axis.setPen(pg.mkPen(foreground))
            axis.setTextPen(pg.mkPen(foreground))
        item.titleLabel.setText(item.titleLabel.text, color=foreground, size="10pt")
        if item.legend is not None:
            item.legend.setLabelTextColor(foreground)
            fill = QColor(background)
            fill.setAlpha(200)
            item.legend.setBrush(pg.mkBrush(fill))
    train, test = theme.series_color("train", dark), theme.series_color("test", dark)
    raw = QColor(theme.series_color("raw", dark))
    raw.setAlpha(140)
    plots.raw_curve.setPen(pg.mkPen(raw, width=1))
    plots.ema_curve.setPen(pg.mkPen(train, width=2))
    faint = QColor(train)
    faint.setAlpha(120)
    plots.acc_ema_curve.setPen(pg.mkPen(faint, width=1))
    for curve in (plots.train_loss_curve, plots.train_acc_curve):  # train per epoch: dashed
        style_epoch_curve(curve, train, 1, Qt.PenStyle.DashLine)
    for curve in (plots.test_loss_curve, plots.test_acc_curve):  # test per epoch: solid
        style_epoch_curve(curve, test, 2, Qt.PenStyle.SolidLine)
    plots.lr_curve.setPen(pg.mkPen(theme.series_color("lr", dark), width=2))
    plots.bars.setOpts(brush=theme.series_color("bar", dark), pen=pg.mkPen(None))
    marker = theme.series_color("marker", dark)
    for line in markers:
        line.setPen(pg.mkPen(marker, width=1, style=Qt.PenStyle.DashLine))
        if line.label is not None:
            line.label.setColor(marker)
