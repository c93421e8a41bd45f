"""The draw panel's sheet of paper: strokes kept as data, rendered crisply at any size.

``DrawCanvas`` keeps its strokes as lists of points in 0..1 coordinates, so it re-renders at any
size and Undo drops the last stroke. Mouse and tablet pens draw; a tablet's eraser end erases;
an image file dropped on it is announced by ``fileDropped``. The QImage helpers turn numpy
arrays into QImages and back.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QKeySequence, QPainter, QPalette, QPen, QPointingDevice
from PySide6.QtWidgets import QSizePolicy, QWidget

__all__ = ["IMAGE_SUFFIXES", "DrawCanvas", "array_qimage", "qimage_to_gray"]

KEY_STEP = 1 / 28  # an arrow key moves the keyboard pen one pixel of the 28×28 input (Shift: four)
ARROWS = {Qt.Key.Key_Left: (-1, 0), Qt.Key.Key_Right: (1, 0), Qt.Key.Key_Up: (0, -1), Qt.Key.Key_Down: (0, 1)}
REFERENCE_SIDE = 280.0  # pen widths are pixels on a 280-px canvas
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp"}

# --------------------------------------------------------------------------- helpers


def gray_qimage(gray: np.ndarray) -> QImage:
    """A uint8 (H, W) array as a Grayscale8 QImage that owns its pixels."""
    arr = np.ascontiguousarray(gray, dtype=np.uint8)
    h, w = arr.shape
    return QImage(arr.data, w, h, w, QImage.Format.Format_Grayscale8).copy()


def rgb_qimage(rgb: np.ndarray) -> QImage:
    arr = np.ascontiguousarray(rgb, dtype=np.uint8)
    h, w, _ = arr.shape
    return QImage(arr.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()


def array_qimage(image: np.ndarray) -> QImage:
    """A uint8 (H, W) or (H, W, 3+) array as a QImage that owns its pixels."""
    return gray_qimage(image) if image.ndim == 2 else rgb_qimage(image[..., :3])


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
        self.setToolTip(self.tr("Draw with the mouse or a pen · Ctrl+Z undoes a stroke · drop an image file here · "
                        "keyboard: arrows move, Space pen down/up"))
        self.setAccessibleName(self.tr("Drawing canvas"))
        self.setAccessibleDescription(self.tr("Draw a digit. Arrow keys move the pen, Shift+arrow moves further, "
                                      "Space puts the pen down or lifts it, Escape lifts it, Ctrl+Z undoes a stroke."))
        self.pen_width = 28.0  # pixels on a 280-px sheet: strokes as thick as MNIST's (bench/stroke_width_bench.py)
        self.eraser = False
        self.drawing_enabled = True
        self.placeholder = ""
        self.strokes: list[tuple[bool, float, list[tuple[float, float, float]]]] = []
        self._current: tuple[bool, float, list[tuple[float, float, float]]] | None = None
        self._background: QImage | None = None
        self._background_smooth = True
        self._image = QImage()
        self.key_cursor = (0.5, 0.5)  # the keyboard pen, in 0..1 sheet coordinates

    # -- geometry ----------------------------------------------------------------------
    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(280, 280)

    def paper_rect(self) -> QRect:
        """The square sheet inside the widget (the largest centred square)."""
        side = max(1, min(self.width(), self.height()) - 2)
        return QRect((self.width() - side) // 2, (self.height() - side) // 2, side, side)

    def _from_unit(self, point: tuple[float, float]) -> QPointF:
        r = self.paper_rect()
        return QPointF(r.x() + point[0] * r.width(), r.y() + point[1] * r.height())

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
        if self.hasFocus():  # the keyboard pen: a ring, filled while the pen is down
            radius = max(2.0, self.pen_width * rect.width() / REFERENCE_SIDE / 2)
            painter.setPen(QPen(self.palette().color(QPalette.ColorRole.Highlight), 1.5))
            if self._current is not None:
                painter.setBrush(self.palette().color(QPalette.ColorRole.Highlight))
            painter.drawEllipse(self._from_unit(self.key_cursor), radius, radius)
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
        elif self._key_stroke(event.key(), event.modifiers()):
            event.accept()
        else:
            super().keyPressEvent(event)

    def _key_stroke(self, key: int, modifiers: Qt.KeyboardModifier) -> bool:
        """Arrows move the keyboard pen (drawing while it is down), Space puts it down or lifts it,
        Escape lifts it. True when the key was used."""
        if key in ARROWS and self.drawing_enabled:
            step = KEY_STEP * (4 if modifiers & Qt.KeyboardModifier.ShiftModifier else 1)
            dx, dy = ARROWS[key]
            x, y = self.key_cursor
            self.key_cursor = (min(1.0, max(0.0, x + dx * step)), min(1.0, max(0.0, y + dy * step)))
            if self._current is not None:
                self._extend(self._from_unit(self.key_cursor), 1.0)
            self.update()
            return True
        if key == Qt.Key.Key_Space and self.drawing_enabled:
            if self._current is None:
                self._begin(self._from_unit(self.key_cursor), 1.0, self.eraser)
            else:
                self._end()
            return True
        if key == Qt.Key.Key_Escape and self._current is not None:
            self._end()
            return True
        return False

    def focusOutEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        self._end()  # a keyboard stroke ends when the focus leaves (Tab)
        super().focusOutEvent(event)

    @staticmethod
    def _dropped_file(event) -> str | None:
        mime = event.mimeData()
        if not mime.hasUrls():
            return None
        for url in mime.urls():
            if url.isLocalFile() and Path(url.toLocalFile()).suffix.lower() in IMAGE_SUFFIXES:
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
