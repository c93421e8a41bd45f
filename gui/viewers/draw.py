"""Draw a digit and watch the network read it: a paper canvas, live class probabilities and the
exact 28×28 input the network sees.

The canvas keeps its strokes as data (0..1 coordinates), so it re-renders crisply at any size and
Undo drops the last stroke. Mouse and tablet pens draw; a tablet's eraser end erases. Predictions
come at every stroke's end and at most 10 times a second while drawing, from a cached inspection
model (never the one being trained) that takes new weights at most 5 times a second during
training. Test samples (by index, at random, or the model's most confident mistakes) and image
files (dialog or drag and drop) can be looked at too; colour datasets show a picture instead of
the drawing tools.

``python -m gui.viewers.draw`` trains seed000 for two epochs on the bundled MNIST sample and opens it.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor, QFont, QImage, QKeySequence, QPainter, QPalette, QPen, QPixmap, QPointingDevice
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from engine.inspect.canvas import ImageError, load_image_file, normalize_image, preprocess_digit, resize_for_input
from gui.state import AppState

__all__ = ["DrawCanvas", "DrawPanel", "ProbabilityBars", "NO_MODEL_HINT"]

NO_MODEL_HINT = "Train or open a model to see predictions"
EMPTY_HINT = "Draw a digit on the canvas, open an image or pick a test sample"
PREDICT_INTERVAL_MS = 100  # at most 10 predictions a second while drawing
WEIGHTS_INTERVAL_MS = 200  # at most 5 weight loads a second while training
REFERENCE_SIDE = 280.0  # pen widths are pixels on a 280-px canvas
PREVIEW_SIDE = 140
IMAGE_FILTER = "Images (*.png *.jpg *.jpeg *.bmp *.gif *.tif *.tiff *.webp);;All files (*)"
_IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp"}


# --------------------------------------------------------------------------- helpers


def _gray_qimage(gray: np.ndarray) -> QImage:
    """A uint8 (H, W) array as a Grayscale8 QImage that owns its pixels."""
    arr = np.ascontiguousarray(gray, dtype=np.uint8)
    h, w = arr.shape
    return QImage(arr.data, w, h, w, QImage.Format.Format_Grayscale8).copy()


def _rgb_qimage(rgb: np.ndarray) -> QImage:
    arr = np.ascontiguousarray(rgb, dtype=np.uint8)
    h, w, _ = arr.shape
    return QImage(arr.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()


def _array_qimage(image: np.ndarray) -> QImage:
    return _gray_qimage(image) if image.ndim == 2 else _rgb_qimage(image[..., :3])


def qimage_to_gray(image: QImage) -> np.ndarray:
    """A QImage's pixels as uint8 (H, W) grayscale."""
    gray = image.convertToFormat(QImage.Format.Format_Grayscale8)
    h, w, stride = gray.height(), gray.width(), gray.bytesPerLine()
    buf = np.frombuffer(gray.constBits(), np.uint8, count=stride * h)
    return buf.reshape(h, stride)[:, :w].copy()


# --------------------------------------------------------------------------- canvas


class DrawCanvas(QWidget):
    """A square sheet of paper to draw on with the mouse or a tablet pen.

    Strokes are kept as lists of ``(x, y, width_factor)`` in 0..1 coordinates of the sheet and
    rendered black on white (eraser strokes white) into a QImage the size of the sheet, over an
    optional background picture. Signals: ``strokeStarted``, ``strokeMoved`` (while drawing),
    ``strokeFinished`` (release), ``changed`` (clear, undo, background), ``fileDropped(str)``.
    """

    strokeStarted = Signal()
    strokeMoved = Signal()
    strokeFinished = Signal()
    changed = Signal()
    fileDropped = Signal(str)
    undoRequested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("drawCanvas")
        self.setMinimumSize(160, 160)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAcceptDrops(True)
        self.setAttribute(Qt.WidgetAttribute.WA_TabletTracking, False)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setToolTip("Draw with the mouse or a pen · Ctrl+Z undoes a stroke · drop an image file here")
        self.pen_width = 18.0  # pixels on a 280-px sheet
        self.eraser = False
        self.drawing_enabled = True
        self.placeholder = ""
        self.strokes: list[tuple[bool, float, list[tuple[float, float, float]]]] = []
        self._current: tuple[bool, float, list[tuple[float, float, float]]] | None = None
        self._background: QImage | None = None
        self._background_smooth = True
        self._image = QImage()

    # -- geometry ----------------------------------------------------------------------
    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(280, 280)

    def paper_rect(self) -> QRect:
        """The square sheet inside the widget (the largest centred square)."""
        side = max(1, min(self.width(), self.height()) - 2)
        return QRect((self.width() - side) // 2, (self.height() - side) // 2, side, side)

    def _to_unit(self, pos: QPointF) -> tuple[float, float]:
        r = self.paper_rect()
        return (pos.x() - r.x()) / r.width(), (pos.y() - r.y()) / r.height()

    # -- content -----------------------------------------------------------------------
    @property
    def has_strokes(self) -> bool:
        return bool(self.strokes) or self._current is not None

    @property
    def has_background(self) -> bool:
        return self._background is not None

    def set_background(self, image: QImage | None, smooth: bool = True) -> None:
        """Show ``image`` under the strokes (scaled to fit the sheet), or no picture."""
        self._background = image
        self._background_smooth = smooth
        self._render()
        self.changed.emit()

    def clear(self) -> None:
        """Remove every stroke and the background picture."""
        self.strokes.clear()
        self._current = None
        self._background = None
        self._render()
        self.changed.emit()

    def undo_stroke(self) -> bool:
        """Remove the last stroke; False when there was none."""
        if not self.strokes:
            return False
        self.strokes.pop()
        self._render()
        self.changed.emit()
        return True

    def image(self) -> QImage:
        """The sheet as drawn (at the sheet's size on screen)."""
        if self._image.isNull() or self._image.size() != self.paper_rect().size():
            self._render()
        return self._image

    def gray_array(self) -> np.ndarray:
        """The sheet as uint8 grayscale (H, W): black ink on white paper."""
        return qimage_to_gray(self.image())

    # -- rendering ---------------------------------------------------------------------
    def _pen(self, eraser: bool, width: float, factor: float, side: int) -> QPen:
        pen = QPen(QColor(255, 255, 255) if eraser else QColor(0, 0, 0))
        pen.setWidthF(max(1.0, width * factor * side / REFERENCE_SIDE))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        return pen

    def _paint_segment(self, painter: QPainter, eraser: bool, width: float,
                       a: tuple[float, float, float], b: tuple[float, float, float] | None, side: int) -> None:
        if b is None:
            painter.setPen(self._pen(eraser, width, a[2], side))
            painter.drawPoint(QPointF(a[0] * side, a[1] * side))
            return
        painter.setPen(self._pen(eraser, width, 0.5 * (a[2] + b[2]), side))
        painter.drawLine(QPointF(a[0] * side, a[1] * side), QPointF(b[0] * side, b[1] * side))

    def _paint_stroke(self, painter: QPainter, stroke, side: int) -> None:
        eraser, width, points = stroke
        if len(points) == 1:
            self._paint_segment(painter, eraser, width, points[0], None, side)
        for a, b in zip(points, points[1:]):
            self._paint_segment(painter, eraser, width, a, b, side)

    def _render(self) -> None:
        size = self.paper_rect().size()
        image = QImage(size, QImage.Format.Format_RGB32)
        image.fill(QColor(255, 255, 255))
        side = size.width()
        painter = QPainter(image)
        if self._background is not None and not self._background.isNull():
            scaled = self._background.scaled(
                size, Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation if self._background_smooth
                else Qt.TransformationMode.FastTransformation)
            painter.drawImage((side - scaled.width()) // 2, (side - scaled.height()) // 2, scaled)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for stroke in self.strokes + ([self._current] if self._current is not None else []):
            self._paint_stroke(painter, stroke, side)
        painter.end()
        self._image = image
        self.update()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._render()

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        rect = self.paper_rect()
        if self._image.isNull() or self._image.size() != rect.size():
            self._render()
        painter.drawImage(rect.topLeft(), self._image)
        frame = self.palette().color(QPalette.ColorRole.Mid)
        if self.hasFocus():
            frame = self.palette().color(QPalette.ColorRole.Highlight)
        painter.setPen(QPen(frame, 1))
        painter.drawRect(rect.adjusted(0, 0, -1, -1))
        if self.placeholder and not self.has_strokes and self._background is None:
            painter.setPen(QColor(140, 140, 140))
            painter.drawText(rect.adjusted(16, 16, -16, -16),
                             Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.placeholder)
        painter.end()

    # -- strokes -----------------------------------------------------------------------
    def _begin(self, pos: QPointF, factor: float, eraser: bool) -> None:
        self._current = (eraser, self.pen_width, [(*self._to_unit(pos), factor)])
        side = self.paper_rect().width()
        painter = QPainter(self._image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._paint_stroke(painter, self._current, side)
        painter.end()
        self.update()
        self.strokeStarted.emit()

    def _extend(self, pos: QPointF, factor: float) -> None:
        if self._current is None:
            return
        points = self._current[2]
        point = (*self._to_unit(pos), factor)
        if point[:2] == points[-1][:2]:
            return
        points.append(point)
        painter = QPainter(self._image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._paint_segment(painter, self._current[0], self._current[1], points[-2], point,
                            self.paper_rect().width())
        painter.end()
        self.update()
        self.strokeMoved.emit()

    def _end(self) -> None:
        if self._current is None:
            return
        self.strokes.append(self._current)
        self._current = None
        self._render()  # the sheet is always exactly its strokes (undo gives back the same pixels)
        self.strokeFinished.emit()

    def mousePressEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        if event.button() == Qt.MouseButton.LeftButton and self.drawing_enabled:
            self._begin(event.position(), 1.0, self.eraser)
            event.accept()
        else:
            super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if self._current is not None:
            self._extend(event.position(), 1.0)
            event.accept()
        else:
            super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if event.button() == Qt.MouseButton.LeftButton and self._current is not None:
            self._extend(event.position(), 1.0)
            self._end()
            event.accept()
        else:
            super().mouseReleaseEvent(event)

    def tabletEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if not self.drawing_enabled:
            event.ignore()
            return
        factor = 0.4 + 1.2 * max(0.0, min(1.0, float(event.pressure())))  # half pressure = the set width
        kind = event.type()
        if kind == QEvent.Type.TabletPress:
            self.setFocus(Qt.FocusReason.MouseFocusReason)
            eraser = self.eraser or event.pointerType() == QPointingDevice.PointerType.Eraser
            self._begin(event.position(), factor, eraser)
        elif kind == QEvent.Type.TabletMove:
            self._extend(event.position(), factor)
        elif kind == QEvent.Type.TabletRelease:
            self._extend(event.position(), factor)
            self._end()
        event.accept()  # no synthesized mouse events on top

    # -- keys and drops ----------------------------------------------------------------
    def event(self, event) -> bool:  # noqa: D401
        if event.type() == QEvent.Type.ShortcutOverride and event.matches(QKeySequence.StandardKey.Undo):
            event.accept()  # Ctrl+Z undoes a stroke here, not the window's spec edit
            return True
        return super().event(event)

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if event.matches(QKeySequence.StandardKey.Undo):
            self.undoRequested.emit()
            event.accept()
            return
        super().keyPressEvent(event)

    @staticmethod
    def _dropped_file(event) -> str | None:
        mime = event.mimeData()
        if not mime.hasUrls():
            return None
        for url in mime.urls():
            if url.isLocalFile() and Path(url.toLocalFile()).suffix.lower() in _IMAGE_SUFFIXES:
                return url.toLocalFile()
        return None

    def dragEnterEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if self._dropped_file(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        self.dragEnterEvent(event)

    def dropEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        path = self._dropped_file(event)
        if path:
            event.acceptProposedAction()
            self.fileDropped.emit(path)
        else:
            event.ignore()


# --------------------------------------------------------------------------- probability bars


class ProbabilityBars(QWidget):
    """One labelled horizontal bar per class, the top class highlighted, or a hint text."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("probabilityBars")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self._names: list[str] = [str(i) for i in range(10)]
        self._probs: np.ndarray | None = None
        self._hint = ""

    def set_probabilities(self, probs: np.ndarray | None, names: Sequence[str] | None = None) -> None:
        if names is not None:
            self._names = [str(n) for n in names]
        self._probs = None if probs is None else np.asarray(probs, dtype=np.float64).ravel()
        self.updateGeometry()
        self.update()

    def set_hint(self, text: str) -> None:
        self._hint = text
        self.update()

    def probabilities(self) -> np.ndarray | None:
        return None if self._probs is None else self._probs.copy()

    def names(self) -> list[str]:
        return list(self._names)

    def _count(self) -> int:
        return len(self._probs) if self._probs is not None else len(self._names)

    def _row_height(self) -> int:
        return self.fontMetrics().height() + 6

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(220, max(10, self._count()) * self._row_height() + 4)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(160, min(10, self._count()) * (self.fontMetrics().height() + 2))

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        text = pal.color(QPalette.ColorRole.WindowText)
        if self._probs is None or self._hint:
            painter.setPen(pal.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(self.rect().adjusted(8, 8, -8, -8),
                             Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self._hint or EMPTY_HINT)
            painter.end()
            return
        probs = self._probs
        n = len(probs)
        names = [self._names[i] if i < len(self._names) else str(i) for i in range(n)]
        fm = self.fontMetrics()
        name_w = max(fm.horizontalAdvance(s) for s in names) + 8
        pct_w = fm.horizontalAdvance("100.0%") + 8
        row = max(fm.height() + 2, min(self._row_height() + 6, (self.height() - 4) // max(1, n)))
        bar_x = name_w
        bar_w = max(10, self.width() - name_w - pct_w - 4)
        top = int(np.argmax(probs))
        highlight = pal.color(QPalette.ColorRole.Highlight)
        base = pal.color(QPalette.ColorRole.Mid)
        track = pal.color(QPalette.ColorRole.Base)
        bold = QFont(self.font())
        bold.setBold(True)
        for i, p in enumerate(probs):
            y = 2 + i * row
            is_top = i == top
            painter.setFont(bold if is_top else self.font())
            painter.setPen(text)
            painter.drawText(QRectF(0, y, name_w - 6, row), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             names[i])
            bar_h = max(4.0, row - 6.0)
            rect = QRectF(bar_x, y + (row - bar_h) / 2, bar_w, bar_h)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(track)
            painter.drawRoundedRect(rect, 2, 2)
            filled = QRectF(rect.x(), rect.y(), max(0.0, float(p)) * bar_w, bar_h)
            if filled.width() > 0.5:
                painter.setBrush(highlight if is_top else base)
                painter.drawRoundedRect(filled, 2, 2)
            painter.setPen(text)
            painter.drawText(QRectF(bar_x + bar_w + 4, y, pct_w, row),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, f"{100 * float(p):.1f}%")
        painter.end()


# --------------------------------------------------------------------------- the panel


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
        self._model: Any = None
        self._model_spec: Any = None
        self._model_error = ""
        self._weights_version = 0
        self._mistakes: list[int] | None = None
        self._mistakes_version = -1
        self._mistake_cursor = -1
        self._source: str = "canvas"  # canvas | sample | image
        self._source_image: np.ndarray | None = None  # the picked sample (28×28) or opened image
        self._input: np.ndarray | None = None
        self._image28: np.ndarray | None = None
        self._probs: np.ndarray | None = None
        self._empty = True

        self.canvas = DrawCanvas(self)
        self.canvas.placeholder = "Draw a digit here"

        self.pen_width = QSpinBox()
        self.pen_width.setRange(4, 48)
        self.pen_width.setValue(int(self.canvas.pen_width))
        self.pen_width.setSuffix(" px")
        self.pen_width.setToolTip("pen width (pixels on a 280-pixel canvas)")
        self.eraser = QCheckBox("Eraser")
        self.eraser.setToolTip("erase instead of drawing")
        self.undo_button = QPushButton("Undo stroke")
        self.undo_button.setToolTip("remove the last stroke (Ctrl+Z on the canvas)")
        self.clear_button = QPushButton("Clear")
        self.open_button = QPushButton("Open image…")
        self.open_button.setToolTip("classify an image file (or drop one on the canvas)")

        self.sample_index = QSpinBox()
        self.sample_index.setRange(0, 999_999)
        self.sample_index.setPrefix("#")
        self.sample_index.setToolTip("show this test-set sample")
        self.show_button = QPushButton("Show")
        self.random_button = QPushButton("Random")
        self.random_button.setToolTip("a random test sample")
        self.mistake_button = QPushButton("Next mistake")
        self.mistake_button.setToolTip("test samples the model gets wrong, most confident first")

        self.preview = QLabel()
        self.preview.setObjectName("drawPreview")
        self.preview.setFixedSize(PREVIEW_SIDE + 2, PREVIEW_SIDE + 2)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setStyleSheet("QLabel#drawPreview { background: black; border: 1px solid palette(mid); }")
        self.preview.setToolTip("exactly what the network sees")
        self.preview_caption = QLabel("Network input 28×28")
        self.preview_caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.bars = ProbabilityBars()
        self.prediction = QLabel()
        self.prediction.setObjectName("drawPrediction")
        font = self.prediction.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.prediction.setFont(font)
        self.hint = QLabel(NO_MODEL_HINT)
        self.hint.setObjectName("drawHint")
        self.hint.setWordWrap(True)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status = QLabel()
        self.status.setObjectName("drawStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        tools = QHBoxLayout()
        tools.addWidget(QLabel("Pen"))
        tools.addWidget(self.pen_width)
        tools.addWidget(self.eraser)
        tools.addStretch(1)
        tools.addWidget(self.undo_button)
        tools.addWidget(self.clear_button)
        samples = QHBoxLayout()
        samples.addWidget(QLabel("Test sample"))
        samples.addWidget(self.sample_index)
        samples.addWidget(self.show_button)
        samples.addWidget(self.random_button)
        samples.addStretch(1)
        more = QHBoxLayout()
        more.addWidget(self.mistake_button)
        more.addStretch(1)
        more.addWidget(self.open_button)

        seen = QVBoxLayout()  # what the network receives, beside what it answers
        seen.addWidget(self.preview_caption)
        seen.addWidget(self.preview, 0, Qt.AlignmentFlag.AlignHCenter)
        seen.addStretch(1)
        answer = QVBoxLayout()
        answer.addWidget(self.prediction)
        answer.addWidget(self.hint)
        answer.addWidget(self.bars, 1)
        result = QHBoxLayout()
        result.addLayout(seen)
        result.addLayout(answer, 1)

        column = QVBoxLayout(self)  # one narrow column, so the panel fits a side dock
        column.setContentsMargins(6, 6, 6, 6)
        column.addWidget(self.canvas, 3)
        column.addLayout(tools)
        column.addLayout(samples)
        column.addLayout(more)
        column.addLayout(result, 2)
        column.addWidget(self.status)

        self._predict_timer = QTimer(self)
        self._predict_timer.setSingleShot(True)
        self._predict_timer.setInterval(PREDICT_INTERVAL_MS)
        self._predict_timer.timeout.connect(self._refresh)
        self._weights_timer = QTimer(self)
        self._weights_timer.setSingleShot(True)
        self._weights_timer.setInterval(WEIGHTS_INTERVAL_MS)
        self._weights_timer.timeout.connect(self._apply_weights)

        self.canvas.strokeStarted.connect(self._stroke_started)
        self.canvas.strokeMoved.connect(self._stroke_moved)
        self.canvas.strokeFinished.connect(self._stroke_finished)
        self.canvas.undoRequested.connect(self.undo_stroke)
        self.canvas.fileDropped.connect(self.open_image)
        self.pen_width.valueChanged.connect(self._set_pen_width)
        self.eraser.toggled.connect(self._set_eraser)
        self.undo_button.clicked.connect(self.undo_stroke)
        self.clear_button.clicked.connect(self.clear)
        self.open_button.clicked.connect(self._open_dialog)
        self.show_button.clicked.connect(lambda: self.show_sample(self.sample_index.value()))
        self.sample_index.editingFinished.connect(lambda: self.show_sample(self.sample_index.value()))
        self.random_button.clicked.connect(self.show_random_sample)
        self.mistake_button.clicked.connect(self.next_mistake)
        state.specChanged.connect(self._spec_changed)
        state.weightsChanged.connect(self._weights_changed)
        state.datasetChanged.connect(self._dataset_changed)
        state.trainingChanged.connect(self._training_changed)

        self._dataset_changed(state.dataset_info)
        if state.weights is not None:
            self._apply_weights()
        self._refresh()

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
        """The dataset whose test split the sample picker shows (an ``engine.data.datasets.Dataset``)."""
        self._dataset = dataset
        self._mistakes = None
        split = self._split()
        if split is not None:
            self.sample_index.setMaximum(max(0, len(split) - 1))

    def dataset(self) -> Any:
        """The dataset for samples; loads the bundled MNIST sample when none was given."""
        if self._dataset is None:
            from engine.data.datasets import load_dataset

            self.set_dataset(load_dataset("mnist-sample"))
        return self._dataset

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
            self._status("This dataset has no samples to show.")
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
        text = f"Test sample #{index}: label {names[label] if label < len(names) else label}"
        if self._probs is not None:
            text += f", predicted {self.predicted_class()} ({100 * float(self._probs.max()):.1f}%)"
        self._status(text)

    def show_random_sample(self) -> None:
        split = self._split(load=True)
        if split is not None and len(split):
            self.show_sample(random.randrange(len(split)))

    def mistakes(self) -> list[int]:
        """Indices of the test samples the current model gets wrong, most confident first."""
        if self._model is None:
            return []
        if self._mistakes is None or self._mistakes_version != self._weights_version:
            self._mistakes = self._find_mistakes()
            self._mistakes_version = self._weights_version
            self._mistake_cursor = -1
        return list(self._mistakes)

    def next_mistake(self) -> None:
        if self._model is None:
            self._status(NO_MODEL_HINT + ".")
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            found = self.mistakes()
        except Exception as exc:  # a model that does not fit the dataset
            found = []
            self._status(f"Cannot look for mistakes: {exc}")
            return
        finally:
            QApplication.restoreOverrideCursor()
        if not found:
            self._status("The model gets every test sample right.")
            return
        self._mistake_cursor = (self._mistake_cursor + 1) % len(found)
        self.show_sample(found[self._mistake_cursor])
        self._status(self.status.text() + f" — mistake {self._mistake_cursor + 1} of {len(found)}")

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
        self._status(f"Image {Path(path).name} ({image.shape[1]}×{image.shape[0]})")
        return True

    # -- state -------------------------------------------------------------------------
    def _colour(self) -> bool:
        info = self.state.dataset_info
        shape = getattr(info, "input_shape", None) or self.state.spec.input
        return int(shape[0]) == 3

    def _input_shape(self) -> tuple[int, int, int]:
        return tuple(int(v) for v in self.state.spec.input)

    def _mean_std(self) -> tuple[tuple[float, ...], tuple[float, ...]]:
        info = self.state.dataset_info
        if info is not None and getattr(info, "mean", None):
            return tuple(info.mean), tuple(info.std)
        channels = self._input_shape()[0]
        if channels == 3:
            return (0.4914, 0.4822, 0.4465), (0.2470, 0.2435, 0.2616)
        return (0.1307,), (0.3081,)

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
        self.canvas.placeholder = ("Open an image or pick a test sample" if colour else "Draw a digit here")
        self.canvas.setCursor(Qt.CursorShape.ArrowCursor if colour else Qt.CursorShape.CrossCursor)
        if self._dataset is not None and info is not None and getattr(self._dataset, "info", None) != info:
            self._dataset = None  # samples from another dataset would mislead; reload lazily
            self._mistakes = None
        if self._source == "sample":
            self._source, self._source_image = "canvas", None
            self.canvas.clear()
        if colour and self._source == "canvas":
            self.canvas.clear()
        self.bars.set_probabilities(self._probs, self.class_names())
        self._refresh()

    @Slot(object)
    def _spec_changed(self, _spec: Any) -> None:
        self._model = None
        self._model_spec = None
        self._mistakes = None
        self._dataset_changed(self.state.dataset_info)
        if self.state.weights is not None:
            self._apply_weights()

    @Slot(object)
    def _weights_changed(self, weights: Any) -> None:
        if weights is None:
            self._weights_timer.stop()
            self._model = None
            self._model_spec = None
            self._model_error = ""
            self._weights_version += 1
            self._refresh()
        elif self.state.training:
            if not self._weights_timer.isActive():  # coalesce: at most 5 loads a second
                self._weights_timer.start()
        else:
            self._weights_timer.stop()
            self._apply_weights()

    @Slot(bool)
    def _training_changed(self, running: bool) -> None:
        if not running and self._weights_timer.isActive():
            self._weights_timer.stop()
            self._apply_weights()

    @Slot()
    def _apply_weights(self) -> None:
        weights = self.state.weights
        if weights is None:
            self._model = None
            self._refresh()
            return
        try:
            from engine.inspect.activations import load_state, model_from_state

            if self._model is None or self._model_spec != self.state.spec:
                self._model = model_from_state(self.state.spec, weights)
                self._model_spec = self.state.spec
            else:
                load_state(self._model, weights)
            self._model_error = ""
        except Exception as exc:  # weights from another spec
            self._model = None
            self._model_error = f"Cannot load the weights: {exc}"
        self._weights_version += 1
        self._refresh()

    # -- drawing -----------------------------------------------------------------------
    @Slot(int)
    def _set_pen_width(self, value: int) -> None:
        self.canvas.pen_width = float(value)

    @Slot(bool)
    def _set_eraser(self, on: bool) -> None:
        self.canvas.eraser = on

    @Slot()
    def _stroke_started(self) -> None:
        self._predict_timer.start()

    @Slot()
    def _stroke_moved(self) -> None:
        if not self._predict_timer.isActive():
            self._predict_timer.start()

    @Slot()
    def _stroke_finished(self) -> None:
        self._predict_timer.stop()
        self._refresh()

    def _show_picture(self, picture: np.ndarray, smooth: bool, paper: bool) -> None:
        """Put a sample or image under the (now empty) sheet; MNIST samples as paper (inverted)."""
        shown = 255 - picture if paper else picture
        self.canvas.set_background(_array_qimage(shown), smooth=smooth)

    # -- inference ---------------------------------------------------------------------
    def _compute_input(self) -> tuple[np.ndarray, np.ndarray, bool]:
        """(network input, what it looks like, empty?) from the sheet, sample or picture.

        Strokes (over a sample or picture, too) mean the sheet is classified; with no strokes a
        test sample goes in as it is and an opened picture is preprocessed."""
        shape = self._input_shape()
        mean, std = self._mean_std()
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
        if shape == (1, 28, 28):
            out = preprocess_digit(picture, mean, std)
            return out.input, out.image28, out.empty
        resized = resize_for_input(picture, shape)
        return normalize_image(resized, mean, std), resized, False

    @Slot()
    def _refresh(self) -> None:
        """Recompute the input, the preview and the prediction; emit ``inputChanged`` on change."""
        try:
            x, image, empty = self._compute_input()
        except Exception as exc:  # an odd input shape for the picture
            self._status(f"Cannot make an input: {exc}")
            return
        changed = self._input is None or self._input.shape != x.shape or not np.array_equal(self._input, x)
        self._input, self._image28, self._empty = x, image, empty
        self._update_preview(image)
        self._predict()
        if changed:
            self.inputChanged.emit(x.copy())

    def _update_preview(self, image: np.ndarray) -> None:
        qimage = _array_qimage(image)
        h, w = image.shape[:2]
        zoom = max(1, PREVIEW_SIDE // max(h, w))
        pixmap = QPixmap.fromImage(qimage).scaled(w * zoom, h * zoom, Qt.AspectRatioMode.KeepAspectRatio,
                                                 Qt.TransformationMode.FastTransformation)
        self.preview.setPixmap(pixmap)
        self.preview_caption.setText(f"Network input {w}×{h}")

    def _predict(self) -> None:
        names = self.class_names()
        if self._model is None:
            self._probs = None
            self.hint.setText(self._model_error or NO_MODEL_HINT)
            self.hint.setVisible(True)
            self.bars.setVisible(False)
            self.prediction.setText("")
            return
        self.hint.setVisible(False)
        self.bars.setVisible(True)
        if self._empty:
            self._probs = None
            self.bars.set_probabilities(None, names)
            self.bars.set_hint("Draw a digit on the canvas" if not self._colour() else "Open an image or pick a sample")
            self.prediction.setText("")
            return
        from engine.inspect.activations import predict

        try:
            probs = np.asarray(predict(self._model, self._input), dtype=np.float64)
        except Exception as exc:  # input and model disagree (a spec for another dataset)
            self._probs = None
            self.bars.set_probabilities(None, names)
            self.bars.set_hint(f"Cannot classify: {exc}")
            self.prediction.setText("")
            return
        self._probs = probs
        self.bars.set_hint("")
        self.bars.set_probabilities(probs, names)
        top = int(np.argmax(probs))
        name = names[top] if top < len(names) else str(top)
        self.prediction.setText(f"{name}  ·  {100 * probs[top]:.1f}%")

    def _find_mistakes(self) -> list[int]:
        """Wrong test predictions of the current model, most confident first (one torch thread)."""
        import torch

        from engine.inspect.activations import single_thread

        split = self._split(load=True)
        if split is None or self._model is None:
            return []
        mean, std = self._mean_std()
        images = split.images.cpu().numpy()
        labels = split.labels.cpu().numpy()
        wrong: list[tuple[float, int]] = []
        with torch.no_grad(), single_thread():
            for start in range(0, len(images), 500):
                chunk = images[start : start + 500].astype(np.float32) / 255.0
                c = chunk.shape[1]
                m = np.asarray(mean, np.float32).reshape(1, -1, 1, 1)[:, :c]
                s = np.asarray(std, np.float32).reshape(1, -1, 1, 1)[:, :c]
                x = torch.from_numpy((chunk - m) / s)
                probs = self._model(x).softmax(1).numpy()
                pred = probs.argmax(1)
                conf = probs.max(1)
                for j in np.flatnonzero(pred != labels[start : start + 500]):
                    wrong.append((float(conf[j]), start + int(j)))
        wrong.sort(key=lambda t: (-t[0], t[1]))
        return [i for _, i in wrong]

    def _status(self, text: str) -> None:
        self.status.setText(text)

    @Slot()
    def _open_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open an image to classify", "", IMAGE_FILTER)
        if path:
            self.open_image(path)


# --------------------------------------------------------------------------- demo


def _demo() -> None:  # pragma: no cover - a manual look
    import sys

    from engine.data.datasets import load_dataset
    from engine.model.presets import PRESETS
    from engine.training.events import TrainConfig
    from engine.training.session import TrainingSession, state_to_numpy
    from gui.widgets import theme

    app = QApplication.instance() or QApplication(sys.argv)
    theme.install(app)
    data = load_dataset("mnist-sample")
    state = AppState(PRESETS["seed000"].spec)
    state.set_dataset_info(data.info)
    session = TrainingSession(state.spec, data, TrainConfig(epochs=2, batch_size=64, lr=1e-3,
                                                            snapshot_interval_s=0, seed=0))
    finish = session.run()
    print(f"trained: {finish.status}", flush=True)
    state.set_weights(state_to_numpy(session.model))
    panel = DrawPanel(state)
    panel.set_dataset(data)
    panel.inputChanged.connect(lambda x: print("input", x.shape, flush=True))
    panel.setWindowTitle("ConvScope · Draw")
    panel.resize(760, 520)
    panel.move(0, 0)
    panel.show()
    sys.exit(app.exec())


if __name__ == "__main__":
    _demo()
