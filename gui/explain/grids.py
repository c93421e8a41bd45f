"""The explainer's input side: one editable grid per shown input channel and per kernel slice.

Padding cells are grey "0"s around the input; the current window is amber on the input (the
tap max pooling picks orange) and the kernel lights up while a convolution steps. Inputs larger
than :data:`~gui.explain.tables.EDIT_LIMIT` become small read-only grey-level cells.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QTableWidgetItem, QVBoxLayout, QWidget

from engine.teach.checks import format_number
from engine.teach.steps import Step
from gui.explain import tables
from gui.explain.language import mode as language_mode
from gui.explain.language import pair, term
from gui.explain.narration import channel_names

__all__ = ["InputGrids"]

EditHandler = Callable[[int, QTableWidgetItem], None]


class InputGrids(QWidget):
    """Input grids over kernel grids; edits report ``(position in the row, item)`` to the handlers."""

    def __init__(self, on_input_edit: EditHandler, on_kernel_edit: EditHandler, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.input_title_label = QLabel()
        layout.addWidget(self.input_title_label)
        input_row = QHBoxLayout()
        layout.addLayout(input_row)
        self.kernel_title_label = QLabel()
        layout.addWidget(self.kernel_title_label)
        kernel_row = QHBoxLayout()
        layout.addLayout(kernel_row)
        layout.addStretch(1)
        self.inputs = tables.TableRow(input_row, on_input_edit, "Input channel")
        self.kernels = tables.TableRow(kernel_row, on_kernel_edit, "Kernel weights, channel")
        self.input_tables = self.inputs.tables
        self.kernel_tables = self.kernels.tables

    def ensure(self, count: int) -> None:
        """One input grid and one kernel grid per shown channel."""
        self.inputs.ensure(count)
        self.kernels.ensure(count)

    def rebuild(self, image: np.ndarray, kernel: np.ndarray, padding: int, shown: list[int], mode: str,
                input_title: str, kernel_title: str) -> None:
        """Size and fill the grids of channels ``shown`` of ``image`` (C, H, W) and their kernel slices."""
        c, h, w = image.shape
        p = padding
        ph, pw = h + 2 * p, w + 2 * p
        compact = max(h, w) > tables.EDIT_LIMIT
        cell = tables.SMALL_CELL_PX if compact else tables.CELL_PX
        names = channel_names(c)
        several = mode in ("multi", "im2col") and c > len(shown)
        extra = pair(" (showing {0} of {1} channels)", " ({1}개 채널 중 {0}개 표시)", None).format(len(shown), c) \
            if several else ""
        shape = f"{h}×{w}" if c == 1 else f"{c}×{h}×{w}"
        # in Korean alone the worked example's own title already says 입력 and the shape
        named = "" if language_mode() == "ko" and shape in input_title else f" · {term('input', '입력')} {shape}"
        self.input_title_label.setText(
            f"<b>{input_title}</b>{named}{extra}"
            + (pair(", padding {0} shown grey · 패딩", ", 패딩 {0} 회색 표시", None).format(p) if p else ""))
        padding_tip = pair("padding 0", "패딩 0")
        labels = [str(i - p) if p <= i < p + h else "·" for i in range(ph)]
        col_labels = [str(i - p) if p <= i < p + w else "·" for i in range(pw)]
        for i, channel in enumerate(shown):
            table = self.input_tables[i]
            tables.shape_table(table, ph, pw, cell, labels, col_labels, max_w=560, max_h=560)
            for r in range(ph):
                for col in range(pw):
                    item = table.item(r, col)
                    inside = p <= r < p + h and p <= col < p + w
                    value = image[channel, r - p, col - p] if inside else 0.0
                    item.setText("" if compact else format_number(value))
                    item.setToolTip(format_number(value) if inside else padding_tip)
                    flags = Qt.ItemFlag.ItemIsEnabled
                    if inside and not compact:
                        flags |= Qt.ItemFlag.ItemIsEditable
                    item.setFlags(flags)
            self.inputs.labels[i].setText(pair("channel {0}", "채널 {0}", None).format(names[channel]) if c > 1 else "")
            self.inputs.labels[i].setVisible(c > 1)
        self._rebuild_kernels(kernel, shown, names, mode != "pool", kernel_title)

    def _rebuild_kernels(self, kernel: np.ndarray, shown: list[int], names: list[str], visible: bool,
                         title: str) -> None:
        self.kernel_title_label.setVisible(visible)
        kc, kh, kw = kernel.shape
        self.kernel_title_label.setText(
            f"<b>{title}</b> · {term('kernel', '커널/필터')} {kh}×{kw}"
            + (pair("×{0} channels", "×{0} 채널", None).format(kc) if kc > 1 else "")
            + pair(" (double-click a cell to edit)", " (칸을 더블클릭해 편집)", None))
        for i, channel in enumerate(shown):
            table = self.kernel_tables[i]
            table.parentWidget().setVisible(visible)
            kch = min(channel, kc - 1)
            labels = [str(r) for r in range(kh)], [str(r) for r in range(kw)]
            tables.shape_table(table, kh, kw, tables.CELL_PX, *labels)
            for r in range(kh):
                for col in range(kw):
                    item = table.item(r, col)
                    item.setText(format_number(kernel[kch, r, col]))
                    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsEditable)
            self.kernels.labels[i].setText(
                pair("weights for {0}", "{0}의 가중치", None).format(names[channel]) if kc > 1 else "")
            self.kernels.labels[i].setVisible(kc > 1)

    def paint(self, image: np.ndarray, padding: int, shown: list[int], step: Step | None, pooling: bool,
              palette: QPalette) -> None:
        """Colour the window of ``step`` (and, for pooling, the winning tap), the padding and the kernel."""
        base, text, muted = tables.palette_colors(palette)
        c, h, w = image.shape
        p = padding
        compact = max(h, w) > tables.EDIT_LIMIT
        lo, hi = float(image.min()), float(image.max())
        span = hi - lo if hi > lo else 1.0
        taps, winners = set(), set()
        if step is not None:
            taps = {(r, q) for r in step.rows for q in step.cols}
            if pooling:
                masked = np.where(step.in_padding, -np.inf, step.window[0])
                best = masked.max()
                winners = {(step.rows[i], step.cols[j]) for i, j in zip(*np.nonzero(masked == best))}
        for i, channel in enumerate(shown):
            table = self.input_tables[i]
            for r in range(table.rowCount()):
                for q in range(table.columnCount()):
                    inside = p <= r < p + h and p <= q < p + w
                    if (r, q) in winners:
                        bg, fg = tables.WINNER, tables.HIGHLIGHT_TEXT
                    elif (r, q) in taps:
                        bg, fg = tables.HIGHLIGHT, tables.HIGHLIGHT_TEXT
                    elif not inside:
                        bg, fg = tables.PAD_BACKGROUND, muted
                    elif compact:
                        g = int(255 * (image[channel, r - p, q - p] - lo) / span)
                        bg, fg = QColor(g, g, g), text
                    else:
                        bg, fg = base, text
                    tables.paint(table.item(r, q), bg, fg)
        active = step is not None and not pooling
        for table in self.kernel_tables:
            for r in range(table.rowCount()):
                for q in range(table.columnCount()):
                    tables.paint(table.item(r, q), tables.HIGHLIGHT.lighter(130) if active else base,
                                 tables.HIGHLIGHT_TEXT if active else text)
