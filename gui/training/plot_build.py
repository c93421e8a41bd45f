"""The training plots' widgets and items, made once pyqtgraph is imported."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QGraphicsItem, QLayout, QSplitter

from gui.training.plot_overlays import OverlayCurves
from gui.training.plot_parts import counts_item, import_pyqtgraph, make_plot

__all__ = ["build_plots", "cache_axes"]

translate = QCoreApplication.translate


def cache_axes(widget: Any) -> None:
    """Keep each axis (ticks, labels and its grid lines) as a pixmap: a new curve point then
    repaints the curve over the cached axes instead of replaying every axis and grid line."""
    for name in ("left", "bottom", "right", "top"):
        axis = widget.getPlotItem().getAxis(name)
        axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)


def build_plots(plots: Any, layout: QLayout) -> None:
    """Loss | accuracy on top, the learning rate in the middle, per-class | confusion at the bottom,
    with their items, made as attributes of ``plots`` (a ``TrainingPlots``)."""
    pg = import_pyqtgraph()
    # top: loss | accuracy; middle: learning rate; bottom: per-class | confusion
    rows = QSplitter(Qt.Orientation.Vertical)
    top = QSplitter(Qt.Orientation.Horizontal)
    bottom = QSplitter(Qt.Orientation.Horizontal)
    layout.addWidget(rows, 1)

    plots.loss_plot = make_plot(translate("TrainingPlots", "Loss"), translate("TrainingPlots", "cross-entropy"),
                                translate("TrainingPlots", "epoch"))
    plots.loss_plot.addLegend(offset=(-5, 5), labelTextSize="8pt")
    plots.acc_plot = make_plot(translate("TrainingPlots", "Accuracy"), translate("TrainingPlots", "accuracy"),
                               translate("TrainingPlots", "epoch"))
    plots.acc_plot.addLegend(offset=(-5, -5), labelTextSize="8pt")
    plots.acc_plot.setYRange(0, 1, padding=0.02)
    plots.acc_plot.getPlotItem().enableAutoRange(y=False)
    plots.lr_plot = make_plot(translate("TrainingPlots", "Learning rate"), "lr", translate("TrainingPlots", "epoch"))
    plots.lr_plot.setMinimumHeight(90)
    top.addWidget(plots.loss_plot)
    top.addWidget(plots.acc_plot)
    plots.acc_plot.setXLink(plots.loss_plot)
    # (the lr plot spans both columns; pyqtgraph's x-link aligns pixels, so it is not linked)

    plots.class_plot = make_plot(translate("TrainingPlots", "Per-class test accuracy"), "",
                                 translate("TrainingPlots", "accuracy"))
    plots.class_plot.getPlotItem().showGrid(x=True, y=False, alpha=0.15)
    plots.class_plot.setXRange(0, 1, padding=0.02)
    plots.confusion_plot = make_plot(translate("TrainingPlots", "Confusion (rows: true)"),
                                     translate("TrainingPlots", "true class"),
                                     translate("TrainingPlots", "predicted class"))
    plots.confusion_plot.getPlotItem().showGrid(x=False, y=False)
    plots.confusion_plot.getPlotItem().invertY(True)
    plots.confusion_plot.getPlotItem().setAspectLocked(True)
    plots.confusion_plot.setMinimumSize(180, 180)
    plots.confusion_plot.setToolTip(translate("TrainingPlots", "counts of test images: row = true class, column = predicted class; colour = share of the row (cividis colour map)"))  # noqa: E501
    bottom.addWidget(plots.class_plot)
    bottom.addWidget(plots.confusion_plot)
    rows.addWidget(top)
    rows.addWidget(plots.lr_plot)
    rows.addWidget(bottom)
    rows.setSizes([320, 150, 340])
    rows.setChildrenCollapsible(False)

    # items
    plots.raw_curve = plots.loss_plot.plot(name=translate("TrainingPlots", "batch"))
    plots.ema_curve = plots.loss_plot.plot(name=translate("TrainingPlots", "batch (smoothed)"))
    plots.train_loss_curve = plots.loss_plot.plot(name=translate("TrainingPlots", "train (epoch)"),
                                                  symbol="o", symbolSize=6)
    plots.test_loss_curve = plots.loss_plot.plot(name=translate("TrainingPlots", "test (epoch)"),
                                                 symbol="s", symbolSize=6)
    plots.acc_ema_curve = plots.acc_plot.plot(name=translate("TrainingPlots", "batch (smoothed)"))
    plots.train_acc_curve = plots.acc_plot.plot(name=translate("TrainingPlots", "train"), symbol="o", symbolSize=6)
    plots.test_acc_curve = plots.acc_plot.plot(name=translate("TrainingPlots", "test"), symbol="s", symbolSize=6)
    plots.lr_curve = plots.lr_plot.plot(name="lr", stepMode=None)
    for curve in (plots.raw_curve, plots.ema_curve, plots.acc_ema_curve, plots.lr_curve):
        curve.setClipToView(True)
        curve.setDownsampling(auto=True, method="peak")
    plots.bars = pg.BarGraphItem(x0=[], y=[], height=0.7, width=[])
    plots.class_plot.addItem(plots.bars)
    plots.image = pg.ImageItem(axisOrder="row-major")
    plots.image.setColorMap(pg.colormap.get("cividis"))
    plots.confusion_plot.addItem(plots.image)
    plots.counts_item = counts_item()
    plots.confusion_plot.addItem(plots.counts_item)
    plots.overlays = OverlayCurves(plots.loss_plot, plots.acc_plot)
    for widget in (plots.loss_plot, plots.acc_plot, plots.lr_plot, plots.class_plot, plots.confusion_plot):
        cache_axes(widget)
    # the legends and the per-epoch curves change a few times a run: pixmaps, not repainted
    # under every new batch of the curves they overlap
    cached = [plots.loss_plot.getPlotItem().legend, plots.acc_plot.getPlotItem().legend]
    for item in (plots.train_loss_curve, plots.test_loss_curve, plots.train_acc_curve, plots.test_acc_curve):
        cached += [item.curve, item.scatter]
    for item in cached:
        item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

