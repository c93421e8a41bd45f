"""The 6×6 example's gaps on screen: hatched input cells the note does not give (taken as 0) and
hatched outputs that depend on them, each with a tooltip in English and Korean."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QTableWidget

from engine.teach.gaps import GAP_OUTPUT_TOOLTIP, GAP_TOOLTIP

__all__ = ["hatched", "mark_inputs", "mark_outputs", "INPUT_TIP", "OUTPUT_TIP"]

INPUT_TIP = " · ".join(GAP_TOOLTIP)
OUTPUT_TIP = " · ".join(GAP_OUTPUT_TOOLTIP)
HATCH = QColor(200, 40, 40)


def hatched(background: QColor) -> QBrush:
    """``background`` with red diagonal lines over it (a texture, so the cell keeps its colour)."""
    pixmap = QPixmap(8, 8)
    pixmap.fill(background if background.alpha() else QColor(255, 255, 255))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    painter.setPen(QPen(HATCH, 1))
    painter.drawLine(0, 8, 8, 0)
    painter.drawLine(-1, 1, 1, -1)
    painter.end()
    return QBrush(pixmap)


def _hatch(table: QTableWidget, cells: np.ndarray, offset: int, tip: str) -> None:
    for r, c in zip(*np.nonzero(cells)):
        item = table.item(int(r) + offset, int(c) + offset)
        if item is None:
            continue
        item.setBackground(hatched(item.background().color()))
        shown = item.toolTip()
        item.setToolTip(tip if not shown else shown if tip in shown else f"{shown}\n{tip}")
        item.setData(Qt.ItemDataRole.UserRole, "gap")


def mark_inputs(table: QTableWidget, unknown: np.ndarray, padding: int) -> None:
    """Hatch the ``unknown`` (H, W) cells of an input grid drawn with ``padding`` grey cells around."""
    _hatch(table, unknown, padding, INPUT_TIP)


def mark_outputs(table: QTableWidget, dependent: np.ndarray) -> None:
    """Hatch the outputs (OH, OW) that read an unknown input cell."""
    _hatch(table, dependent, 0, OUTPUT_TIP)
