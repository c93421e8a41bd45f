"""Live training curves, per-class accuracy and the confusion matrix (pyqtgraph).

Data arrive already coalesced (``TrainingController``); repaints are bounded too: each update
only marks the plots dirty and a single-shot timer redraws them at most 30 times a second.
Long curves stay cheap: the per-batch curves pass at most 2048 points (``PeakDecimator``), the
axes are cached pixmaps, the epoch curves are set only when an epoch arrives, and nothing is drawn
while the plots are hidden behind another tab.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from gui.training.plot_buffers import PeakDecimator
from gui.training.plot_build import build_plots
from gui.training.plot_parts import (
    GrowingArray,
    RunOverlay,
    grow_y,
    lr_marker,
    show_confusion,
    show_per_class,
    smoothed,
    theme_plots,
)
from gui.widgets import theme

REDRAW_MS = 33  # ≤ 30 redraw ticks a second, one plot each
PARTS = ("loss", "acc", "lr", "classes", "confusion")
ROTATION = ("loss", "acc", "classes", "loss", "lr", "confusion")  # the loss curve most often


class TrainingPlots(QWidget):
    """Loss (per batch: raw + EMA; per epoch: train/test), accuracy, learning rate with lr-change
    markers, per-class accuracy bars and the confusion matrix of the last epoch."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("trainingPlots")
        self.class_names: tuple[str, ...] = ()
        self.repaints = 0  # redraws done (for tests and the soak)
        self._x = GrowingArray()
        self._loss = GrowingArray()
        self._ema = GrowingArray()
        self._acc_ema = GrowingArray()
        self._lr = GrowingArray()
        # what the per-batch curves draw: ≤ 2048 points each (≈ 2 a pixel), however long the run
        self._shown = {name: PeakDecimator() for name in ("raw", "ema", "acc", "lr")}
        self._ema_last: float | None = None
        self._acc_last: float | None = None
        self._epochs: list[Any] = []
        self._epochs_drawn = {"loss": -1, "acc": -1}  # epoch curves are set only when epochs change
        self._lr_lines: list[tuple[float, str]] = []
        self._markers: list[Any] = []  # pyqtgraph InfiniteLines
        self.confusion: np.ndarray | None = None
        self.per_class: np.ndarray | None = None
        self._dirty = False
        self._run_epochs = 0
        self._run_start = 0  # > 0 while a run's fixed x range is in force
        self._loss_top = self._lr_top = 0.0
        self._ranged = {"loss": 0, "lr": 0}  # batches already counted in the y ranges
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REDRAW_MS)
        self._timer.timeout.connect(self._tick)
        self._stale: set[str] = set()
        self._turn = 0
        self._pending_x: set[str] = set()

        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(2, 2, 2, 2)
        self.summary = QLabel(self.tr("No training yet: press Start (Ctrl+Return) to train the network."))
        self.summary.setObjectName("plotSummary")
        self.summary.setWordWrap(True)
        self._layout.addWidget(self.summary)
        self._built = False
        self._placeholder = QLabel(self.tr("Preparing the plots…"))
        self._placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._layout.addWidget(self._placeholder, 1)

    @property
    def built(self) -> bool:
        return self._built

    def ensure_built(self) -> None:
        """Create the pyqtgraph plots (imports pyqtgraph: ~0.5 s, so not before the first paint)."""
        if self._built:
            return
        self._built = True
        layout = self._layout
        self._placeholder.hide()
        self._placeholder.deleteLater()

        self.setUpdatesEnabled(False)
        build_plots(self, layout)
        th = theme.current()
        if th is not None:
            th.changed.connect(self.apply_theme)
        self.apply_theme(theme.is_dark())
        self.setUpdatesEnabled(True)
        self._empty_ranges()
        self.mark_dirty(*PARTS)

    def _empty_ranges(self) -> None:
        """Before any data: unit ranges, no misleading ticks."""
        if not len(self._x) and not self._epochs:
            self.loss_plot.setXRange(0, 1, padding=0.02)
        if self.confusion is None:
            self.confusion_plot.getPlotItem().setRange(xRange=(-0.5, 9.5), yRange=(-0.5, 9.5), padding=0)
            for name in ("left", "bottom"):
                self.confusion_plot.getPlotItem().getAxis(name).setTicks([[]])
        if self.per_class is None:
            self.class_plot.getPlotItem().getAxis("left").setTicks([[]])

    # -- colours ---------------------------------------------------------------------------
    @Slot(bool)
    def apply_theme(self, dark: bool) -> None:
        if not self._built:
            return
        theme_plots(self, self._markers, dark)
        self.overlays.apply_theme(dark)

    # -- other runs ------------------------------------------------------------------------
    def set_run_overlays(self, overlays: Sequence[RunOverlay]) -> None:
        """Draw other runs over the curves, each in its own colour and named in the legends; [] clears."""
        self.ensure_built()
        self.overlays.set_overlays(overlays, theme.is_dark())

    def set_reference_curve(self, label: str | None, epochs: Sequence[float] = (),
                            accuracy: Sequence[float] = ()) -> None:
        """A dashed reference curve (accuracy as fractions 0–1) on the accuracy plot; None clears."""
        self.ensure_built()
        self.overlays.set_reference(label, epochs, accuracy, theme.is_dark())

    # -- data ------------------------------------------------------------------------------
    def clear(self) -> None:
        self.ensure_built()
        for series in (self._x, self._loss, self._ema, self._acc_ema, self._lr):
            series.clear()
        for shown in self._shown.values():
            shown.clear()
        self._ema_last = self._acc_last = None
        self._epochs = []
        self._epochs_drawn = {"loss": -1, "acc": -1}
        self._lr_lines = []
        for line in self._markers:
            line.getViewBox().removeItem(line) if line.getViewBox() is not None else None
        self._markers = []
        self.confusion = None
        self.per_class = None
        self._run_epochs = 0
        self._pending_x = {"auto loss", "auto lr"}  # auto ranges again, each on its part's next draw
        self.summary.setText(self.tr("Training starts…"))
        self.mark_dirty(*PARTS)  # each part cleared on its own tick: no frame repaints all five

    def set_class_names(self, names: Sequence[str]) -> None:
        self.class_names = tuple(str(n) for n in names)

    @property
    def pending(self) -> bool:
        """New data waits for the next (throttled, staggered) redraw; not while the plots are hidden
        in a shown window (another tab): they are drawn when shown."""
        return bool(self._stale) and not self._hidden()

    def _hidden(self) -> bool:
        return not self.isVisible() and self.window().isVisible()

    def showEvent(self, event: Any) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        if self._stale and not self._timer.isActive():
            self._timer.start()

    @property
    def batch_count(self) -> int:
        return len(self._x)

    @property
    def epoch_count(self) -> int:
        return len(self._epochs)

    def add_batches(self, chunk: Any) -> None:
        """Append a BatchChunk (x in epochs, loss, accuracy, lr)."""
        loss = np.asarray(chunk.loss, dtype=np.float64)
        acc = np.asarray(chunk.accuracy, dtype=np.float64)
        ema, self._ema_last = smoothed(loss, self._ema_last, skip_nonfinite=True)
        acc_ema, self._acc_last = smoothed(acc, self._acc_last)
        self._x.extend(chunk.x)
        self._loss.extend(loss)
        self._ema.extend(ema)
        self._acc_ema.extend(acc_ema)
        self._lr.extend(chunk.lr)
        self.mark_dirty("loss", "acc", "lr")

    def add_epoch(self, stats: Any) -> None:
        self.ensure_built()
        self._epochs.append(stats)
        if stats.per_class_accuracy is not None:
            self.per_class = np.asarray(stats.per_class_accuracy, dtype=np.float64)
        if stats.confusion is not None:
            self.confusion = np.asarray(stats.confusion)
        self.mark_dirty(*PARTS)

    def add_lr_change(self, change: Any, batches_per_epoch: int) -> None:
        self.ensure_built()
        x = change.step / max(1, batches_per_epoch)
        self._lr_lines.append((x, f"lr {change.old_lr:g} → {change.new_lr:g}"))
        for plot, labelled in ((self.loss_plot, True), (self.lr_plot, False)):
            line = lr_marker(x, change, labelled)
            plot.addItem(line)
            self._markers.append(line)

    def set_history(self, history: Sequence[Any], lr_changes: Sequence[Any] = (),
                    class_names: Sequence[str] = ()) -> None:
        """Show a saved run: per-epoch curves, lr changes, the last epoch's classes and confusion."""
        self.clear()
        if class_names:
            self.set_class_names(class_names)
        for stats in history:
            self.add_epoch(stats)
        per_epoch = 1
        if history and history[-1].epoch > 0:
            per_epoch = max(1, round(history[-1].step / history[-1].epoch))
        for change in lr_changes:
            self.add_lr_change(change, per_epoch)
        if history:
            last = history[-1]
            acc = self.tr(", test accuracy {0:.2%}").format(last.test_accuracy) \
                if last.test_accuracy is not None else ""
            self.summary.setText(self.tr("Loaded run: {0} epoch(s){1}. Per-batch curves are not saved in model "
                                         "files; the epoch curves are.").format(len(history), acc))
        else:
            self.summary.setText(self.tr("This model file holds no training history."))
        self.redraw()

    # -- drawing ---------------------------------------------------------------------------
    def mark_dirty(self, *parts: str) -> None:
        """Schedule ``parts`` (default: all) for the next redraw ticks."""
        self._stale.update(parts or PARTS)
        self._dirty = True
        if not self._timer.isActive():
            self._timer.start()

    @Slot()
    def _tick(self) -> None:
        """Draw one stale part per tick (≤ 30 ticks a second): each tick then repaints one plot,
        a few milliseconds, instead of every plot at once, which stalled the GUI for ~30 ms.
        Nothing is drawn while the plots are hidden in a shown window; ``showEvent`` resumes."""
        if self._hidden():
            return
        for _ in range(len(ROTATION)):
            part = ROTATION[self._turn % len(ROTATION)]
            self._turn += 1
            if part in self._stale:
                self._draw(part)
                break
        if self._stale:
            self._timer.start()
        else:
            self._dirty = False

    @Slot()
    def redraw(self) -> None:
        """Draw every stale part now (e.g. after loading a history)."""
        self.ensure_built()
        for part in PARTS:
            if part in self._stale:
                self._draw(part)
        self._dirty = False

    def _draw(self, part: str) -> None:
        """Push one part's buffers into its items.

        During a run the axes keep fixed ranges (x: the run's epochs; y: grown only when a value
        passes the top), so pyqtgraph reuses its cached axes and grid instead of regenerating
        them every frame.
        """
        self.ensure_built()
        self._stale.discard(part)
        self.repaints += 1
        x = self._x.view
        plot = {"loss": self.loss_plot, "acc": self.acc_plot, "lr": self.lr_plot}.get(part)
        if plot is not None and part in self._pending_x:
            self._pending_x.discard(part)
            plot.getPlotItem().setXRange(self._run_start, self._run_epochs, padding=0.02)
        if plot is not None and f"auto {part}" in self._pending_x:
            self._pending_x.discard(f"auto {part}")
            plot.getPlotItem().enableAutoRange()
        if part == "loss":
            self.raw_curve.setData(*self._shown["raw"].view(x, self._loss.view))
            self.ema_curve.setData(*self._shown["ema"].view(x, self._ema.view))
            if self._run_epochs:
                self._grow_y(self.loss_plot, self._loss.view[self._ranged["loss"]:], "_loss_top")
                self._ranged["loss"] = len(x)
            self._draw_epochs("loss")
        elif part == "acc":
            self.acc_ema_curve.setData(*self._shown["acc"].view(x, self._acc_ema.view))
            self._draw_epochs("acc")
        elif part == "lr":
            if len(x) or not self._epochs:
                self.lr_curve.setData(*self._shown["lr"].view(x, self._lr.view))
                if self._run_epochs:
                    self._grow_y(self.lr_plot, self._lr.view[self._ranged["lr"]:], "_lr_top")
                    self._ranged["lr"] = len(x)
                else:
                    grow_y(self.lr_plot, self._lr.view)
            else:  # a loaded history only: the lr per epoch
                lrs = np.array([s.lr for s in self._epochs], dtype=np.float64)
                self.lr_curve.setData(np.array([s.epoch for s in self._epochs], dtype=np.float64), lrs)
                grow_y(self.lr_plot, lrs)
        elif part == "classes":
            self._set_per_class(self.per_class)
        elif part == "confusion":
            self._set_confusion(self.confusion)

    def _draw_epochs(self, which: str) -> None:
        epochs = self._epochs
        if self._epochs_drawn[which] == len(epochs):
            return
        self._epochs_drawn[which] = len(epochs)
        tests = [s for s in epochs if s.test_loss is not None]
        ex = np.array([s.epoch for s in epochs], dtype=np.float64)
        tx = np.array([s.epoch for s in tests], dtype=np.float64)
        if which == "loss":
            self.train_loss_curve.setData(ex, np.array([s.train_loss for s in epochs], dtype=np.float64))
            test_loss = np.array([s.test_loss for s in tests], dtype=np.float64)
            self.test_loss_curve.setData(tx, test_loss)
            if self._run_epochs:
                self._grow_y(self.loss_plot, test_loss, "_loss_top")
        else:
            self.train_acc_curve.setData(ex, np.array([s.train_accuracy for s in epochs], dtype=np.float64))
            self.test_acc_curve.setData(tx, np.array([s.test_accuracy for s in tests], dtype=np.float64))

    def begin_run(self, epochs: int, start_epoch: int = 0) -> None:
        """Fix the x range to the run's epochs so the axes stay cached while it trains."""
        self.ensure_built()
        self._run_epochs = max(1, epochs)
        self._run_start = start_epoch
        self._loss_top = self._lr_top = 0.0
        self._ranged = {"loss": len(self._x), "lr": 0}  # (every lr so far counts, as before)
        for plot in (self.loss_plot, self.acc_plot, self.lr_plot):
            plot.getPlotItem().enableAutoRange(x=False)
        self.loss_plot.getPlotItem().enableAutoRange(y=False)
        self.lr_plot.getPlotItem().enableAutoRange(y=False)
        self._pending_x = {"loss", "acc", "lr"}  # applied by each part's next draw (staggered)
        self.mark_dirty("loss", "acc", "lr")

    def _grow_y(self, plot: Any, values: np.ndarray, attr: str) -> None:
        setattr(self, attr, grow_y(plot, values, getattr(self, attr)))

    def _set_per_class(self, values: np.ndarray | None) -> None:
        show_per_class(self.class_plot, self.bars, values, self.class_names)

    def _set_confusion(self, matrix: np.ndarray | None) -> None:
        if not show_confusion(self.confusion_plot, self.image, self.counts_item, matrix, self.class_names):
            self._empty_ranges()
