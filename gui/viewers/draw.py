"""Draw a digit and watch the network read it: a paper canvas, live class probabilities and the
exact 28×28 input the network sees.

Predictions come at every stroke's end and at most 10 times a second while drawing, from the
app's shared inspection model (``AppState.inspection``, never the one being trained; new weights
reach it at most 5 times a second during training). Test samples (by index, at random, or the
model's most confident mistakes, searched in the background) and image files (dialog or drag and
drop) can be looked at too; colour datasets show a picture instead of the drawing tools. The
canvas is ``gui.viewers.canvas``, the bars ``gui.viewers.probability_bars``.

``python -m gui.viewers.demo draw`` trains seed000 for two epochs on the bundled MNIST sample and opens it.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal, Slot
from PySide6.QtWidgets import QCheckBox, QFileDialog, QLabel, QPushButton, QSpinBox, QVBoxLayout, QWidget

from engine.inspect.canvas import ImageError, load_image_file, network_view, normalize_image
from gui.i18n import translate
from gui.state import AppState
from gui.tasks import Throttle
from gui.viewers.base import NO_MODEL_HINT, STRETCH, hidden_in_window, row
from gui.viewers.canvas import DrawCanvas, array_qimage
from gui.viewers.mistakes import MistakeFinder
from gui.viewers.prediction import PredictionView

__all__ = ["DrawPanel", "NO_MODEL_HINT"]

PREDICT_INTERVAL_MS = 100  # at most 10 predictions a second while drawing
IMAGE_FILTER = QT_TRANSLATE_NOOP("DrawPanel",
                                 "Images (*.png *.jpg *.jpeg *.bmp *.gif *.tif *.tiff *.webp);;All files (*)")


class DrawPanel(QWidget):
    """Draw digits (or look at test samples and images) and see the network's prediction.

    ``inputChanged(object)`` carries the current network input, float32 ``(1, C, H, W)``,
    whenever it changes. ``canvas`` is the drawing widget; ``bars`` the probability bars;
    ``preview`` the label showing the network's input at 5× with crisp pixels.
    """

    inputChanged = Signal(object)

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("drawPanel")
        self.state = state
        self._dataset: Any = None
        self._stale = False  # weights changed while hidden: predict again when shown
        self._source: str = "canvas"  # canvas | sample | image
        self._source_image: np.ndarray | None = None  # the picked sample (28×28) or opened image
        self._input: np.ndarray | None = None
        self._image28: np.ndarray | None = None
        self._probs: np.ndarray | None = None
        self._empty = True

        self.canvas = DrawCanvas(self)
        self.canvas.placeholder = self.tr("Draw a digit here")

        self.pen_width = QSpinBox()
        self.pen_width.setRange(4, 48)
        self.pen_width.setValue(int(self.canvas.pen_width))
        self.pen_width.setSuffix(" px")
        self.pen_width.setToolTip(self.tr("pen width (pixels on a 280-pixel canvas)"))
        self.eraser = QCheckBox(self.tr("Eraser"))
        self.eraser.setToolTip(self.tr("erase instead of drawing"))
        self.undo_button = QPushButton(self.tr("Undo stroke"))
        self.undo_button.setToolTip(self.tr("remove the last stroke (Ctrl+Z on the canvas)"))
        self.clear_button = QPushButton(self.tr("Clear"))
        self.open_button = QPushButton(self.tr("Open image…"))
        self.open_button.setToolTip(self.tr("classify an image file (or drop one on the canvas)"))

        self.sample_index = QSpinBox()
        self.sample_index.setRange(0, 999_999)
        self.sample_index.setPrefix("#")
        self.sample_index.setToolTip(self.tr("show this test-set sample"))
        self.show_button = QPushButton(self.tr("Show"))
        self.random_button = QPushButton(self.tr("Random"))
        self.random_button.setToolTip(self.tr("a random test sample"))
        self.mistake_button = QPushButton()
        self.mistake_button.setToolTip(self.tr("test samples the model gets wrong, most confident first"))
        self.finder = MistakeFinder(state.inspection, self.mistake_button, self._mistake_args, self._show_mistake,
                                    self._status, self)

        self.result = PredictionView()
        self.preview, self.preview_caption = self.result.preview, self.result.preview_caption
        self.bars, self.prediction, self.hint = self.result.bars, self.result.prediction, self.result.hint
        self.status = QLabel()
        self.status.setObjectName("drawStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        tools = row(self.tr("Pen"), self.pen_width, self.eraser, STRETCH, self.undo_button, self.clear_button,
                    margins=True)
        samples = row(self.tr("Test sample"), self.sample_index, self.show_button, self.random_button, STRETCH,
                      margins=True)
        more = row(self.mistake_button, STRETCH, self.open_button, margins=True)

        column = QVBoxLayout(self)  # one narrow column, so the panel fits a side dock
        column.setContentsMargins(6, 6, 6, 6)
        column.addWidget(self.canvas, 3)
        column.addLayout(tools)
        column.addLayout(samples)
        column.addLayout(more)
        column.addWidget(self.result, 2)
        column.addWidget(self.status)

        self._predictions = Throttle(self._refresh, PREDICT_INTERVAL_MS, self, leading=False)

        self.canvas.strokeStarted.connect(self._predictions.request)
        self.canvas.strokeMoved.connect(self._predictions.request)
        self.canvas.strokeFinished.connect(self._stroke_finished)
        self.canvas.undoRequested.connect(self.undo_stroke)
        self.canvas.fileDropped.connect(self.open_image)
        self.pen_width.valueChanged.connect(lambda value: setattr(self.canvas, "pen_width", float(value)))
        self.eraser.toggled.connect(lambda on: setattr(self.canvas, "eraser", on))
        self.undo_button.clicked.connect(self.undo_stroke)
        self.clear_button.clicked.connect(self.clear)
        self.open_button.clicked.connect(self._open_dialog)
        self.show_button.clicked.connect(lambda: self.show_sample(self.sample_index.value()))
        self.sample_index.editingFinished.connect(lambda: self.show_sample(self.sample_index.value()))
        self.random_button.clicked.connect(self.show_random_sample)
        state.specChanged.connect(self._spec_changed)
        state.datasetChanged.connect(self._dataset_changed)
        state.inspection.changed.connect(self._inspection_changed)

        self._dataset_changed(state.dataset_info)

    # -- public API --------------------------------------------------------------------
    def current_input(self) -> np.ndarray:
        """The network input now, float32 ``(1, C, H, W)`` (all background when nothing is drawn)."""
        if self._input is None:
            self._refresh()
        return self._input.copy()

    def current_image28(self) -> np.ndarray:
        """What the network sees now, uint8: 28×28 white ink on black for digit networks (the
        input's (H, W) or (H, W, 3) picture for other input shapes)."""
        if self._image28 is None:
            self._refresh()
        return self._image28.copy()

    def probabilities(self) -> np.ndarray | None:
        """The class probabilities shown now, or None (no model, or nothing to classify)."""
        return None if self._probs is None else self._probs.copy()

    def predicted_class(self) -> str | None:
        if self._probs is None:
            return None
        names = self.class_names()
        i = int(np.argmax(self._probs))
        return names[i] if i < len(names) else str(i)

    def class_names(self) -> list[str]:
        info = self.state.dataset_info
        names = list(getattr(info, "class_names", None) or [])
        n = self.state.spec.num_classes
        if len(names) != n:
            names = [str(i) for i in range(n)]
        return names

    def set_dataset(self, dataset: Any) -> None:
        """The dataset whose test split the sample picker shows (an ``engine.data.splits.Dataset``)."""
        self._dataset = dataset
        self.finder.forget()
        split = self._split()
        if split is not None:
            self.sample_index.setMaximum(max(0, len(split) - 1))

    def dataset(self) -> Any:
        """The dataset for samples; loads the bundled MNIST sample when none was given."""
        if self._dataset is None:
            from engine.data.loading import load_dataset

            self.set_dataset(load_dataset("mnist-sample"))
        return self._dataset

    def test_split(self) -> Any:
        """The split samples come from (the test split, else the training one; loads the sample)."""
        return self._split(load=True)

    def clear(self) -> None:
        """An empty sheet: strokes, samples and pictures gone."""
        self._source, self._source_image = "canvas", None
        self.canvas.clear()
        self._status("")
        self._refresh()

    def undo_stroke(self) -> None:
        if self.canvas.undo_stroke():
            self._refresh()

    def show_sample(self, index: int) -> None:
        """Show test sample ``index`` and classify it as it is (already dataset-shaped)."""
        split = self._split(load=True)
        if split is None or len(split) == 0:
            self._status(self.tr("This dataset has no samples to show."))
            return
        index = int(max(0, min(index, len(split) - 1)))
        image = split.images[index].cpu().numpy()  # (C, H, W) uint8
        label = int(split.labels[index])
        self.sample_index.blockSignals(True)
        self.sample_index.setValue(index)
        self.sample_index.blockSignals(False)
        picture = image[0] if image.shape[0] == 1 else np.moveaxis(image, 0, -1)
        self._source, self._source_image = "sample", np.ascontiguousarray(picture)
        self.canvas.strokes.clear()
        self._show_picture(picture, smooth=False, paper=image.shape[0] == 1)
        names = self.class_names()
        self._refresh()
        text = self.tr("Test sample #{0}: label {1}").format(index, names[label] if label < len(names) else label)
        if self._probs is not None:
            text += f", predicted {self.predicted_class()} ({100 * float(self._probs.max()):.1f}%)"
        self._status(text)

    def show_random_sample(self) -> None:
        split = self._split(load=True)
        if split is not None and len(split):
            self.show_sample(random.randrange(len(split)))

    def mistakes(self) -> list[int]:
        """Indices of the test samples the current model gets wrong, most confident first
        (searched here and now when not cached; the button searches in the background)."""
        return self.finder.mistakes()

    def next_mistake(self) -> None:
        """Show the next confident mistake (the first time for these weights: after a
        background search, the button saying "Finding mistakes…")."""
        self.finder.next()

    def open_image(self, path: str) -> bool:
        """Classify the image file at ``path``; False (and a message) when it cannot be read."""
        try:
            image = load_image_file(path)
        except ImageError as exc:
            self._status(str(exc))
            return False
        self._source, self._source_image = "image", image
        self.canvas.strokes.clear()
        self._show_picture(image, smooth=True, paper=False)
        self._refresh()
        self._status(self.tr("Image {0} ({1}×{2})").format(Path(path).name, image.shape[1], image.shape[0]))
        return True

    # -- state -------------------------------------------------------------------------
    def _colour(self) -> bool:
        info = self.state.dataset_info
        shape = getattr(info, "input_shape", None) or self.state.spec.input
        return int(shape[0]) == 3

    def _input_shape(self) -> tuple[int, int, int]:
        return tuple(int(v) for v in self.state.spec.input)

    def _split(self, load: bool = False) -> Any:
        dataset = self.dataset() if load else self._dataset
        if dataset is None:
            return None
        return dataset.test if dataset.test is not None else dataset.train

    @Slot(object)
    def _dataset_changed(self, info: Any) -> None:
        colour = self._colour()
        self.canvas.drawing_enabled = not colour
        for widget in (self.pen_width, self.eraser, self.undo_button):
            widget.setEnabled(not colour)
        self.canvas.placeholder = self.tr("Open an image or pick a test sample") if colour else \
            self.tr("Draw a digit here")
        self.canvas.setCursor(Qt.CursorShape.ArrowCursor if colour else Qt.CursorShape.CrossCursor)
        if self._dataset is not None and info is not None and getattr(self._dataset, "info", None) != info:
            self._dataset = None  # samples from another dataset would mislead; reload lazily
            self.finder.forget()
        if self._source == "sample":
            self._source, self._source_image = "canvas", None
            self.canvas.clear()
        if colour and self._source == "canvas":
            self.canvas.clear()
        self.bars.set_probabilities(self._probs, self.class_names())
        self._refresh()

    @Slot(object)
    def _spec_changed(self, _spec: Any) -> None:
        self.finder.forget()
        self._dataset_changed(self.state.dataset_info)

    @Slot()
    def _inspection_changed(self) -> None:
        """New weights (or a new spec) in the shared inspection model: predict again, or once
        shown when the panel is hidden behind another dock tab."""
        if hidden_in_window(self):
            self._stale = True
        else:
            self._refresh()

    def showEvent(self, event: Any) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        if self._stale:
            self._stale = False
            self._refresh()

    # -- drawing -----------------------------------------------------------------------
    @Slot()
    def _stroke_finished(self) -> None:
        self._predictions.cancel()
        self._refresh()

    def _show_picture(self, picture: np.ndarray, smooth: bool, paper: bool) -> None:
        """Put a sample or image under the (now empty) sheet; MNIST samples as paper (inverted)."""
        shown = 255 - picture if paper else picture
        self.canvas.set_background(array_qimage(shown), smooth=smooth)

    # -- inference ---------------------------------------------------------------------
    def _compute_input(self) -> tuple[np.ndarray, np.ndarray, bool]:
        """(network input, what it looks like, empty?) from the sheet, sample or picture.

        Strokes (over a sample or picture, too) mean the sheet is classified; with no strokes a
        test sample goes in as it is and an opened picture is preprocessed."""
        shape = self._input_shape()
        mean, std = self.state.input_stats()
        image = self._source_image
        if self.canvas.has_strokes and not self._colour():
            picture = self.canvas.gray_array()
        elif image is not None:
            fits = image.shape[:2] == shape[1:] and image.ndim == (2 if shape[0] == 1 else 3)
            if self._source == "sample" and fits:
                return normalize_image(image, mean, std), image.copy(), not image.any()
            picture = image
        elif self._colour():
            blank = np.zeros((*shape[1:], 3), np.uint8)
            return normalize_image(blank, mean, std), blank, True
        else:
            picture = self.canvas.gray_array()
        return network_view(picture, shape, mean, std)

    @Slot()
    def _refresh(self) -> None:
        """Recompute the input, the preview and the prediction; emit ``inputChanged`` on change."""
        try:
            x, image, empty = self._compute_input()
        except Exception as exc:  # an odd input shape for the picture
            self._status(self.tr("Cannot make an input: {0}").format(exc))
            return
        changed = self._input is None or self._input.shape != x.shape or not np.array_equal(self._input, x)
        self._input, self._image28, self._empty = x, image, empty
        self.result.show_input(image)
        self._predict()
        if changed:
            self.inputChanged.emit(x.copy())

    def _predict(self) -> None:
        names = self.class_names()
        inspection = self.state.inspection
        self._probs = None
        if not inspection.trained:
            error = inspection.error if self.state.weights is not None else ""
            self.result.show_hint(error or translate("Viewer", NO_MODEL_HINT))
            return
        if self._empty:
            hint = self.tr("Draw a digit on the canvas") if not self._colour() else \
                self.tr("Open an image or pick a sample")
            self.result.show_answer(None, names, hint)
            return
        try:
            probs = np.asarray(inspection.model.predict(self._input), dtype=np.float64)
        except Exception as exc:  # input and model disagree (a spec for another dataset)
            self.result.show_answer(None, names, self.tr("Cannot classify: {0}").format(exc))
            return
        self._probs = probs
        self.result.show_answer(probs, names)

    # -- mistakes ----------------------------------------------------------------------
    def _mistake_args(self, copy: bool) -> tuple | None:
        """``find_mistakes``'s arguments for the test split (a private model copy for a thread)."""
        split = self._split(load=True)
        if split is None or len(split) == 0:
            return None
        model = self.state.inspection.model
        module = model.copy_module() if copy else model.module
        mean, std = self.state.input_stats()
        return module, split.images, split.labels, mean, std, self.state.spec.num_classes

    def _show_mistake(self, index: int, position: int, count: int) -> None:
        self.show_sample(index)
        self._status(self.status.text() + f" — mistake {position + 1} of {count}")

    def _status(self, text: str) -> None:
        self.status.setText(text)

    @Slot()
    def _open_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open an image to classify"), "", self.tr(IMAGE_FILTER))
        if path:
            self.open_image(path)
