"""The draw panel's answer: the exact input the network sees, the top class, and one labelled
bar per class (``ProbabilityBars``), or a hint when there is nothing to show."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QRectF, QSize, Qt
from PySide6.QtGui import QFont, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QStackedWidget, QVBoxLayout, QWidget

from gui.i18n import translate
from gui.viewers.base import NO_MODEL_HINT
from gui.viewers.canvas import array_qimage

__all__ = ["EMPTY_HINT", "PREVIEW_SIDE", "PredictionView", "ProbabilityBars"]

PREVIEW_SIDE = 140

EMPTY_HINT = QT_TRANSLATE_NOOP("ProbabilityBars", "Draw a digit on the canvas, open an image or pick a test sample")



# --------------------------------------------------------------------------- probability bars


class ProbabilityBars(QWidget):
    """The draw panel's answer: the exact input the network sees, the top class, and one labelled
bar per class (``ProbabilityBars``), or a hint when there is nothing to show."""

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
                             Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self._hint or self.tr(EMPTY_HINT))
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


class PredictionView(QWidget):
    """What the network receives (``preview``, enlarged with crisp pixels, and its caption) beside
    what it answers (``prediction``: the top class; ``bars``; or ``hint`` without a model)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.preview = QLabel()
        self.preview.setObjectName("drawPreview")
        self.preview.setFixedSize(PREVIEW_SIDE + 2, PREVIEW_SIDE + 2)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setStyleSheet("QLabel#drawPreview { background: black; border: 1px solid palette(mid); }")
        self.preview.setToolTip(self.tr("exactly what the network sees"))
        self.preview_caption = QLabel(self.tr("Network input 28×28"))
        self.preview_caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.bars = ProbabilityBars()
        self.prediction = QLabel()
        self.prediction.setObjectName("drawPrediction")
        font = self.prediction.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.prediction.setFont(font)
        self.prediction.setMinimumHeight(self.prediction.fontMetrics().height())  # empty or not, one line
        self.hint = QLabel(translate("Viewer", NO_MODEL_HINT))
        self.hint.setObjectName("drawHint")
        self.hint.setWordWrap(True)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)

        seen = QVBoxLayout()
        seen.addWidget(self.preview_caption)
        seen.addWidget(self.preview, 0, Qt.AlignmentFlag.AlignHCenter)
        seen.addStretch(1)
        answer = QVBoxLayout()
        answer.addWidget(self.prediction)
        # One stack for the hint and the bars: its size is that of the larger, so the dock keeps its
        # width when the first answer replaces the hint (it grew 31 px, and every plot of the window
        # was laid out and painted again, a 55 ms stall as a run's first weights arrived).
        self.answer_stack = QStackedWidget()
        self.answer_stack.addWidget(self.hint)
        self.answer_stack.addWidget(self.bars)
        answer.addWidget(self.answer_stack, 1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(seen)
        layout.addLayout(answer, 1)

    def show_input(self, image: np.ndarray) -> None:
        """The network's input picture (uint8 (H, W) or (H, W, 3)), enlarged to about 140 px."""
        h, w = image.shape[:2]
        zoom = max(1, PREVIEW_SIDE // max(h, w))
        pixmap = QPixmap.fromImage(array_qimage(image)).scaled(
            w * zoom, h * zoom, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.FastTransformation)
        self.preview.setPixmap(pixmap)
        self.preview_caption.setText(self.tr("Network input {0}×{1}").format(w, h))

    def show_hint(self, text: str) -> None:
        """No answer at all (no model): the hint instead of the bars."""
        self.hint.setText(text)
        self.answer_stack.setCurrentWidget(self.hint)
        self.prediction.setText("")

    def show_answer(self, probs: np.ndarray | None, names: Sequence[str], hint: str = "") -> None:
        """The class probabilities, or (None) empty bars saying ``hint``."""
        self.answer_stack.setCurrentWidget(self.bars)
        self.bars.set_hint(hint)
        self.bars.set_probabilities(probs, names)
        if probs is None:
            self.prediction.setText("")
            return
        top = int(np.argmax(probs))
        name = names[top] if top < len(names) else str(top)
        self.prediction.setText(f"{name}  ·  {100 * probs[top]:.1f}%")
