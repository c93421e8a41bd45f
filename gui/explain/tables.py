"""The explainer's number grids: creating, sizing, reading and colouring QTableWidgets.

Colours come from the palette except the window highlight (amber, always with black text).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from engine.teach.checks import format_number
from engine.teach.words import Bilingual
from gui.explain.language import bind

__all__ = [
    "EDIT_LIMIT", "CELL_PX", "SMALL_CELL_PX", "HIGHLIGHT", "WINNER", "HIGHLIGHT_TEXT", "PAD_BACKGROUND",
    "new_table", "shape_table", "titled", "page", "table_texts", "parse_cell", "palette_colors", "paint",
    "fill_output", "TableRow",
]

EDIT_LIMIT = 12  # inputs up to 12×12 are editable grids; larger ones are small read-only cells
CELL_PX = 34
SMALL_CELL_PX = 13
HIGHLIGHT = QColor(255, 196, 0)  # the window / current cell: fixed amber, always black text
WINNER = QColor(255, 128, 32)  # the tap max pooling picks
HIGHLIGHT_TEXT = QColor(0, 0, 0)
PAD_BACKGROUND = QColor(128, 128, 128, 80)  # translucent grey reads on light and dark schemes


def new_table(editable: bool = False) -> QTableWidget:
    """A fixed-size grid with small headers, no selection, edited (when ``editable``) by typing."""
    table = QTableWidget()
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
    if not editable:
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    else:
        table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                              | QAbstractItemView.EditTrigger.EditKeyPressed
                              | QAbstractItemView.EditTrigger.AnyKeyPressed)
    for header in (table.horizontalHeader(), table.verticalHeader()):
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setMinimumSectionSize(8)
        font = header.font()
        font.setPointSizeF(max(6.0, font.pointSizeF() * 0.8))
        header.setFont(font)
    table.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
    return table


def shape_table(table: QTableWidget, rows: int, cols: int, cell: int, row_labels: Sequence[str],
                col_labels: Sequence[str], max_w: int = 620, max_h: int = 460, cell_w: int | None = None) -> None:
    """Size ``table`` to rows×cols cells of ``cell`` px, capped at ``max_w``×``max_h`` (then it scrolls)."""
    cell_w = cell if cell_w is None else cell_w
    table.clear()
    table.setRowCount(rows)
    table.setColumnCount(cols)
    table.horizontalHeader().setDefaultSectionSize(cell_w)
    table.verticalHeader().setDefaultSectionSize(cell)
    table.setHorizontalHeaderLabels(list(col_labels))
    table.setVerticalHeaderLabels(list(row_labels))
    small = cell < 20
    table.horizontalHeader().setVisible(not small)
    table.verticalHeader().setVisible(not small)
    font = QFont(table.font())
    if small:
        font.setPointSizeF(5.0)
    table.setFont(font)
    header_w = table.verticalHeader().sizeHint().width() if not small else 0
    header_h = table.horizontalHeader().sizeHint().height() if not small else 0
    frame = 2 * table.frameWidth() + 2
    width = min(max_w, cols * cell_w + header_w + frame)
    height = min(max_h, rows * cell + header_h + frame)
    scroll = table.style().pixelMetric(table.style().PixelMetric.PM_ScrollBarExtent)
    if cols * cell_w + header_w + frame > max_w:
        height = min(max_h + scroll, height + scroll)
    if rows * cell + header_h + frame > max_h:
        width = min(max_w + scroll, width + scroll)
    table.setFixedSize(width, height)
    table.setVisible(rows > 0 and cols > 0)  # an invalid combination leaves no grid, not a dot
    for r in range(rows):
        for c in range(cols):
            item = QTableWidgetItem("")
            item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            table.setItem(r, c, item)


def titled(title: Bilingual | str, widget: QWidget, separator: str | None = " · ") -> tuple[QWidget, QLabel]:
    """``widget`` under a rich-text caption (a pair follows the explainer's language), in a box;
    answers the box and the caption."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    label = QLabel()
    if isinstance(title, Bilingual):
        bind(label, title, label.setText, separator)
    else:
        label.setText(title)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setBuddy(widget)  # the caption names the grid for screen readers
    layout.addWidget(label)
    layout.addWidget(widget)
    layout.addStretch(1)
    return box, label


def page(layout_type: type[QBoxLayout] = QVBoxLayout) -> tuple[QWidget, QBoxLayout]:
    """An empty widget with a margin-less box layout of ``layout_type``."""
    widget = QWidget()
    layout = layout_type(widget)
    layout.setContentsMargins(0, 0, 0, 0)
    return widget, layout


def table_texts(table: QTableWidget) -> list[list[str]]:
    """Every cell's text, row by row (for tests and screenshots)."""
    return [[table.item(r, c).text() if table.item(r, c) else "" for c in range(table.columnCount())]
            for r in range(table.rowCount())]


def parse_cell(text: str) -> float | None:
    """A typed cell as a finite number (``−`` and ``,`` accepted), or None when it is not one."""
    try:
        value = float(text.replace("−", "-").replace(",", "."))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def palette_colors(palette: QPalette) -> tuple[QColor, QColor, QColor]:
    """``(base, text, muted)`` cell colours of ``palette``."""
    return (palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text),
            palette.color(QPalette.ColorRole.PlaceholderText))


def paint(item: QTableWidgetItem, background: QColor, foreground: QColor) -> None:
    item.setBackground(QBrush(background))
    item.setForeground(QBrush(foreground))


def fill_output(table: QTableWidget, values: Sequence[float], index: int, out_shape: tuple[int, int],
                palette: QPalette) -> None:
    """Write ``values`` up to step ``index`` into an output grid, the current cell highlighted.

    Large outputs (over :data:`EDIT_LIMIT`) show grey levels instead of numbers (tooltips keep them).
    """
    base, text, _ = palette_colors(palette)
    oh, ow = out_shape
    compact = max(oh, ow) > EDIT_LIMIT
    finite = list(values[:index + 1])
    lo, hi = (min(finite), max(finite)) if finite else (0.0, 1.0)
    span = hi - lo if hi > lo else 1.0
    for n in range(oh * ow):
        if n >= table.rowCount() * table.columnCount():
            break
        item = table.item(n // ow, n % ow)
        if n <= index:
            value = values[n]
            item.setText("" if compact else format_number(value))
            item.setToolTip(format_number(value))
            if n == index:
                bg, fg = HIGHLIGHT, HIGHLIGHT_TEXT
            elif compact:
                g = int(255 * (value - lo) / span)
                bg, fg = QColor(g, g, g), text
            else:
                bg, fg = base, text
        else:
            item.setText("")
            item.setToolTip("")
            bg, fg = base, text
        paint(item, bg, fg)


class TableRow:
    """A row of captioned grids (one per channel), created when first needed and hidden when not.

    With ``on_edit`` the grids are editable and report ``on_edit(position in the row, item)``.
    """

    def __init__(self, layout: QHBoxLayout, on_edit: Callable[[int, QTableWidgetItem], None] | None = None,
                 name: str = "Partial sum, channel"):
        self.layout = layout
        self.name = name  # the grids' accessible names: "<name> 1", "<name> 2", …
        self.tables: list[QTableWidget] = []
        self.labels: list[QLabel] = []
        self._on_edit = on_edit

    def ensure(self, count: int) -> None:
        """Show ``count`` grids, creating the missing ones."""
        while len(self.tables) < count:
            table = new_table(editable=self._on_edit is not None)
            table.setAccessibleName(f"{self.name} {len(self.tables) + 1}")
            if self._on_edit is not None:
                index = len(self.tables)
                table.itemChanged.connect(lambda item, i=index: self._on_edit(i, item))
            box, label = titled("", table)
            self.layout.insertWidget(len(self.tables), box)
            self.tables.append(table)
            self.labels.append(label)
        for i, table in enumerate(self.tables):
            table.parentWidget().setVisible(i < count)
