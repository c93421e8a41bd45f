"""What every concept page of the explainer is made of: a scrolling page, bilingual paragraphs and
number grids (the step-by-step page's :mod:`gui.explain.tables`)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QFormLayout, QFrame, QLabel, QScrollArea, QTableWidget, QVBoxLayout, QWidget

from engine.teach.checks import format_number
from engine.teach.words import Bilingual
from gui.explain import tables
from gui.explain.language import say

__all__ = ["ConceptPage", "paragraph", "grid", "fill_grid", "settings_form", "MARK"]

MARK = QColor(255, 196, 0, 150)  # a changed / dropped / chosen cell


def paragraph(text: Bilingual | str = "") -> QLabel:
    """A word-wrapped, selectable label: English over Korean."""
    label = QLabel(say(text, "\n"))
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def settings_form() -> QFormLayout:
    """A form whose fields keep their natural width (a spin box does not stretch across the page)."""
    form = QFormLayout()
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
    return form


def grid(title: Bilingual | str, rows: int = 1, cols: int = 1) -> tuple[QWidget, QTableWidget, QLabel]:
    """A captioned read-only number grid: (box, table, caption)."""
    table = tables.new_table()
    tables.shape_table(table, rows, cols, tables.CELL_PX, [str(i) for i in range(rows)],
                       [str(i) for i in range(cols)])
    box, label = tables.titled(say(title), table)
    return box, table, label


def fill_grid(table: QTableWidget, values: np.ndarray, marks: np.ndarray | None = None,
              row_labels: Sequence[str] | None = None, cell_w: int = tables.CELL_PX + 10) -> None:
    """Resize ``table`` to ``values`` (1-D: one row) and write them; ``marks`` cells are amber."""
    values = np.atleast_2d(np.asarray(values, dtype=float))
    rows, cols = values.shape
    labels = list(row_labels) if row_labels is not None else [str(i) for i in range(rows)]
    tables.shape_table(table, rows, cols, tables.CELL_PX, labels, [str(i) for i in range(cols)],
                       max_w=900, cell_w=cell_w)
    base, text, _ = tables.palette_colors(table.palette())
    marked = None if marks is None else np.atleast_2d(np.asarray(marks, dtype=bool))
    for r in range(rows):
        for c in range(cols):
            item = table.item(r, c)
            item.setText(format_number(values[r, c]))
            hit = marked is not None and bool(marked[r, c])
            tables.paint(item, MARK if hit else base, tables.HIGHLIGHT_TEXT if hit else text)


class ConceptPage(QScrollArea):
    """A page that scrolls when it does not fit; ``body`` is its column. :meth:`refresh` recomputes."""

    def __init__(self, intro: Bilingual, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        inner = QWidget()
        self.body = QVBoxLayout(inner)
        self.intro_label = paragraph(intro)
        self.body.addWidget(self.intro_label)
        self.setWidget(inner)

    def finish(self) -> None:
        """Call after adding the page's widgets: keeps them at the top."""
        self.body.addStretch(1)

    def refresh(self) -> None:
        """Recompute from the current settings (and, for some pages, the current network)."""
