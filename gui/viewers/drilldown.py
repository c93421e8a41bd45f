"""Error drill-down: the test images behind a confusion-matrix cell or a per-class accuracy bar.

Clicking cell (true, predicted) of the training plots' confusion matrix opens a gallery of the
test images with that label and that prediction, most confident first, with the probabilities;
clicking a class's accuracy bar shows that class's mistakes. Predictions come from the shared
inspection model (the latest weights, so the newest evaluation's) over the draw panel's test
split, computed once per weights version on a ``TaskRunner`` (``predict_split``); each click
then only sorts. Clicking an image emits ``imagePicked(test index)``, which the main window
loads into the draw panel (and so into the feature maps and the Why view).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QDialog, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from gui.state import AppState
from gui.tasks import TaskCancelled, TaskRunner
from gui.viewers.base import STRETCH, row
from gui.viewers.thumbs import Thumbnails
from gui.viewers.why_compute import in_background

__all__ = ["ErrorGallery", "cell_members", "class_mistakes", "connect_plot_clicks", "predict_split"]

CHUNK = 500  # images per forward pass (progress and cancellation between them)
MAX_SHOWN = 400  # pictures in the gallery at most (the count says how many there are)


def _predict(model: Any, images: Any, mean: Any, std: Any, *, progress: Callable[[float], None],
             cancelled: Callable[[], bool]) -> np.ndarray:
    import torch

    from engine.training.evaluate import prepare_batch

    channels = int(images.shape[1])
    mean, std = tuple(mean)[:channels], tuple(std)[:channels]
    out = []
    progress(0.0)
    with torch.no_grad():
        for start in range(0, len(images), CHUNK):
            if cancelled():
                raise TaskCancelled
            x = prepare_batch(images[start:start + CHUNK], mean, std)
            out.append(model(x).float().softmax(1).numpy())
            progress(min(1.0, (start + CHUNK) / max(1, len(images))))
    return np.concatenate(out) if out else np.zeros((0, 0), np.float32)


def predict_split(model: Any, images: Any, mean: Any, std: Any, *, progress: Callable[[float], None],
                  cancelled: Callable[[], bool]) -> np.ndarray:
    """Class probabilities ``(N, classes)`` of uint8 ``images`` (a tensor), on a worker thread."""
    return in_background(_predict, model, images, mean, std, progress=progress, cancelled=cancelled)


def _by_confidence(probs: np.ndarray, chosen: np.ndarray, column: np.ndarray) -> list[int]:
    index = np.flatnonzero(chosen)
    confidence = probs[index, column[index]]
    return [int(i) for i in index[np.lexsort((index, -confidence))]]


def cell_members(probs: np.ndarray, labels: np.ndarray, true: int, predicted: int) -> list[int]:
    """Test indices labelled ``true`` and predicted ``predicted``, most confident first (ties by index)."""
    guess = probs.argmax(1)
    return _by_confidence(probs, (labels == true) & (guess == predicted), guess)


def class_mistakes(probs: np.ndarray, labels: np.ndarray, true: int) -> list[int]:
    """Test indices labelled ``true`` and predicted as something else, most confident first."""
    guess = probs.argmax(1)
    return _by_confidence(probs, (labels == true) & (guess != true), guess)


def connect_plot_clicks(plots: Any, on_cell: Callable[[int, int], None], on_class: Callable[[int], None]) -> None:
    """Left clicks on the training plots' confusion matrix call ``on_cell(true, predicted)``; on a
    per-class bar, ``on_class(true)`` (``plots``: a ``TrainingPlots``, built here if it is not yet)."""
    plots.ensure_built()

    def cell(event: Any) -> None:
        hit = _plot_point(plots.confusion_plot, event, plots.confusion)
        if hit is not None:
            n = plots.confusion.shape[0]
            col, row_ = round(hit[0]), round(hit[1])
            if 0 <= row_ < n and 0 <= col < n:
                on_cell(row_, col)

    def bar(event: Any) -> None:
        hit = _plot_point(plots.class_plot, event, plots.per_class)
        if hit is not None and 0 <= round(hit[1]) < len(plots.per_class):
            on_class(round(hit[1]))

    plots.confusion_plot.scene().sigMouseClicked.connect(cell)
    plots.class_plot.scene().sigMouseClicked.connect(bar)


def _plot_point(widget: Any, event: Any, data: Any) -> tuple[float, float] | None:
    """A left click inside ``widget``'s plot area in data coordinates (None otherwise, or without data)."""
    if data is None or event.button() != Qt.MouseButton.LeftButton:
        return None
    box = widget.getPlotItem().getViewBox()
    if not box.sceneBoundingRect().contains(event.scenePos()):
        return None
    p = box.mapSceneToView(event.scenePos())
    return p.x(), p.y()


class ErrorGallery(QDialog):
    """The test images of one confusion cell or one class's mistakes. ``split()`` gives the test
    split; ``class_names()`` the names."""

    imagePicked = Signal(int)
    updated = Signal()

    def __init__(self, state: AppState, split: Callable[[], Any], class_names: Callable[[], list[str]],
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("errorGallery")
        self.setWindowTitle(self.tr("Test images"))
        self.setWindowFlag(Qt.WindowType.Tool, True)
        self.state, self._split, self._class_names = state, split, class_names
        self._probs: np.ndarray | None = None
        self._key: tuple[int, int] | None = None  # (weights version, id of the split) of _probs
        self._asked: tuple[int, int | None] | None = None  # (true, predicted or None: all mistakes)
        self._pending_key: tuple[int, int] | None = None
        self.title = QLabel()
        self.title.setStyleSheet("font-weight: bold;")
        self.title.setWordWrap(True)
        self.gallery = Thumbnails(64)
        self.gallery.setAccessibleName(self.tr("Test images this filter responds to most"))
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 100)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.gallery, 1)
        layout.addLayout(row(self.progress_bar, self.cancel_button, STRETCH))
        self.resize(560, 420)
        self.runner = TaskRunner(self)
        self.runner.progress.connect(lambda f: self.progress_bar.setValue(round(100 * f)))
        self.runner.finished.connect(self._predicted)
        self.runner.failed.connect(
            lambda text: self._say(self.tr("Cannot look through the test images: {0}").format(text)))
        self.runner.running.connect(self._set_busy)
        self.cancel_button.clicked.connect(self.cancel)
        self.gallery.picked.connect(self.imagePicked)
        self._set_busy(False)

    # ------------------------------------------------------------------ public API
    def show_cell(self, true: int, predicted: int) -> None:
        """The test images labelled ``true`` and predicted ``predicted``."""
        self._ask((int(true), int(predicted)))

    def show_class(self, true: int) -> None:
        """Class ``true``'s mistakes."""
        self._ask((int(true), None))

    def numbers(self) -> list[int]:
        """The test indices shown, in order."""
        return self.gallery.numbers()

    def refresh(self) -> None:
        """A new evaluation (new weights or data): show the same question's new answer if open."""
        if self._asked is not None and self.isVisible():
            self._ask(self._asked)

    def cancel(self) -> None:
        if self.runner.is_running():
            self.runner.cancel()
            self._say("Cancelled.")

    # ------------------------------------------------------------------ work
    def _ask(self, asked: tuple[int, int | None]) -> None:
        self._asked = asked
        self.show()
        self.raise_()
        split = self._split()
        if split is None or len(split) == 0:
            self._say(self.tr("No test images: load a dataset in Training."))
            return
        key = (self.state.inspection.version, id(split))
        if self._probs is not None and self._key == key:
            self._fill()
            return
        if not self.state.report.ok:
            self._say(self.tr("Fix the network's errors first."))
            return
        self._pending_key = key
        self.gallery.clear()
        self._say(self.tr("Classifying {0} test images…").format(f"{len(split):,}"))
        mean, std = self.state.input_stats()
        self.runner.start(predict_split, self.state.inspection.model.copy_module(), split.images, mean, std)

    @Slot(object)
    def _predicted(self, probs: np.ndarray) -> None:
        self._probs, self._key = probs, self._pending_key
        self._fill()

    def _fill(self) -> None:
        split = self._split()
        labels = split.labels.numpy()
        probs = self._probs
        if probs.shape[0] != len(labels):
            self._say(self.tr("The test split changed: ask again."))
            return
        true, predicted = self._asked
        names = self._class_names()

        def name(i: int) -> str:
            return names[i] if 0 <= i < len(names) else str(i)

        if predicted is None:
            found = class_mistakes(probs, labels, true)
            heading = self.tr("Class {0}: {1} mistakes").format(name(true), f"{len(found):,}")
        else:
            found = cell_members(probs, labels, true, predicted)
            heading = self.tr("True {0} → predicted {1}: {2} test images (right)") if true == predicted else \
                self.tr("True {0} → predicted {1}: {2} test images (wrong)")
            heading = heading.format(name(true), name(predicted), f"{len(found):,}")
        shown = found[:MAX_SHOWN]
        guess = probs.argmax(1)
        images = split.images[shown].numpy() if shown else []
        self.gallery.set_pictures(list(images), shown,
                                  [f"{name(int(guess[i]))} {100 * float(probs[i, guess[i]]):.0f}%" for i in shown],
                                  [self.tr("test image #{0}: true {1} ({2}%), predicted {3} ({4}%)").format(
                                      i, name(true), f"{100 * float(probs[i, true]):.1f}", name(int(guess[i])),
                                      f"{100 * float(probs[i, guess[i]]):.1f}") for i in shown])
        more = self.tr(" (the first {0} shown)").format(MAX_SHOWN) if len(found) > MAX_SHOWN else ""
        self._say(self.tr("{0}, most confident first{1}. Click one to draw it.").format(heading, more))
        self.setWindowTitle(heading)
        self.updated.emit()

    def _say(self, text: str) -> None:
        self.title.setText(text)
        self.updated.emit()

    @Slot(bool)
    def _set_busy(self, busy: bool) -> None:
        self.progress_bar.setVisible(busy)
        self.cancel_button.setVisible(busy)
        self.progress_bar.setValue(0)
