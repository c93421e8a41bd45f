"""The explainer's right side: one result page per mode, filled in as the steps go.

* Convolution: the output (특성 맵 feature map);
* Multi-channel: each channel's result and their sum, ONE output channel;
* Pooling: max and average side by side;
* im2col: the unfolded matrix (one row per output position) @ the flattened kernel = the
  result column, reshaped into the output.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QStackedWidget, QVBoxLayout, QWidget

from engine.teach.checks import format_number
from engine.teach.im2col import im2col
from engine.teach.steps import Step
from engine.teach.walkthrough import MODES, Walkthrough
from gui.explain.language import B, bind, pair
from gui.explain.narration import channel_names, im2col_caption
from gui.explain.tables import (
    CELL_PX,
    EDIT_LIMIT,
    HIGHLIGHT,
    HIGHLIGHT_TEXT,
    PAD_BACKGROUND,
    SMALL_CELL_PX,
    TableRow,
    fill_output,
    new_table,
    page,
    paint,
    palette_colors,
    shape_table,
    titled,
)

__all__ = ["Im2colPage", "ResultPages"]


class Im2colPage(QWidget):
    """The im2col matrix @ the flattened kernel = the result column, reshaped into the output."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.caption.setMaximumWidth(720)
        layout.addWidget(self.caption)
        row = QHBoxLayout()
        self.matrix_table = new_table()
        self.kernel_column_table = new_table()
        self.result_column_table = new_table()
        for text, widget in ((B("im2col matrix (one row per output position)", "im2col 행렬 (출력 위치마다 한 행)"),
                              self.matrix_table),
                             ("@", None), (B("kernel", "커널"), self.kernel_column_table), ("=", None),
                             (B("result", "결과"), self.result_column_table)):
            if widget is None:
                row.addWidget(QLabel(text), 0, Qt.AlignmentFlag.AlignVCenter)
            else:
                row.addWidget(titled(text, widget, None)[0])
        row.addStretch(1)
        layout.addLayout(row)
        self.output_table = new_table()
        caption = B("→ reshaped into the output · 특성 맵", "→ 출력 특성 맵으로 변형")
        layout.addWidget(titled(caption, self.output_table, None)[0])
        layout.addStretch(1)

    def rebuild(self, image: np.ndarray, kernel: np.ndarray, stride: int, padding: int, dilation: int,
                walkthrough: Walkthrough, note: str = "") -> None:
        """Fill the matrix of ``image`` (C, H, W) and the flattened ``kernel``; empty without steps."""
        c = image.shape[0]
        kh, kw = kernel.shape[1:]
        oh, ow = walkthrough.out_shape
        if not walkthrough.steps:
            for table in (self.matrix_table, self.kernel_column_table, self.result_column_table):
                shape_table(table, 0, 0, CELL_PX, [], [])
            self.caption.setText("")
            return
        names = channel_names(c)
        matrix = im2col(image[None], (kh, kw), stride, padding, dilation)
        rows, cols = matrix.shape
        col_labels = [f"{names[ch] if c > 1 else ''}{i},{j}" for ch in range(c) for i in range(kh) for j in range(kw)]
        row_labels = [f"({r},{q})" for r in range(oh) for q in range(ow)]
        wide = 40 if c > 1 else 34
        shape_table(self.matrix_table, rows, cols, 24, row_labels, col_labels, max_w=640, max_h=420, cell_w=wide)
        for r in range(rows):
            for q in range(cols):
                self.matrix_table.item(r, q).setText(format_number(matrix[r, q]))
        flat = kernel.reshape(-1)
        shape_table(self.kernel_column_table, flat.size, 1, 24, col_labels, ["w"], max_h=420, cell_w=44)
        for r, value in enumerate(flat):
            self.kernel_column_table.item(r, 0).setText(format_number(value))
        shape_table(self.result_column_table, rows, 1, 24, row_labels, ["out"], max_h=420, cell_w=48)
        self.caption.setText(im2col_caption(rows, cols, (oh, ow), (c, kh, kw), note))

    def paint(self, steps: tuple[Step, ...], index: int, channels: int, palette: QPalette) -> None:
        """Highlight row ``index`` and its result, grey the padding taps, light up the kernel column."""
        base, text, muted = palette_colors(palette)
        table, results = self.matrix_table, self.result_column_table
        for r, st in enumerate(steps):
            if r >= table.rowCount():
                break
            pad = np.tile(st.in_padding.ravel(), channels)
            current = r == index
            for q in range(table.columnCount()):
                if current:
                    bg, fg = HIGHLIGHT, HIGHLIGHT_TEXT
                elif pad[q]:
                    bg, fg = PAD_BACKGROUND, muted
                else:
                    bg, fg = base, text
                paint(table.item(r, q), bg, fg)
            result = results.item(r, 0)
            if result is not None:
                result.setText(format_number(st.total) if r <= index else "")
                paint(result, HIGHLIGHT if current else base, HIGHLIGHT_TEXT if current else text)
        if 0 <= index < table.rowCount():
            table.scrollToItem(table.item(index, 0))
            results.scrollToItem(results.item(index, 0))
        for r in range(self.kernel_column_table.rowCount()):
            paint(self.kernel_column_table.item(r, 0), HIGHLIGHT.lighter(130) if index >= 0 else base,
                  HIGHLIGHT_TEXT if index >= 0 else text)


class ResultPages(QStackedWidget):
    """One page per mode in :data:`MODES` order; only the current page counts for the size."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.output_table = new_table()
        self.addWidget(titled(B("Output feature map", "출력 특성 맵"), self.output_table)[0])

        multi, layout = page()
        results = QLabel()
        bind(results, B("Per-channel results", "채널별 결과"), results.setText)
        layout.addWidget(results)
        partial_row = QHBoxLayout()
        layout.addLayout(partial_row)
        self.partials = TableRow(partial_row)
        self.partial_tables = self.partials.tables
        self.sum_table = new_table()
        layout.addWidget(titled(B("Sum = ONE output channel (feature map)", "합 = 출력 채널 하나 (특성 맵)"),
                                self.sum_table)[0])
        layout.addStretch(1)
        self.addWidget(multi)

        pool, layout = page(QHBoxLayout)
        self.max_table = new_table()
        self.avg_table = new_table()
        layout.addWidget(titled(B("Max pooling", "최대 풀링"), self.max_table)[0])
        layout.addWidget(titled(B("Average pooling", "평균 풀링"), self.avg_table)[0])
        layout.addStretch(1)
        self.addWidget(pool)

        self.im2col = Im2colPage()
        self.addWidget(self.im2col)

    def show_mode(self, mode: str, shown_count: int) -> None:
        """Turn to ``mode``'s page with ``shown_count`` per-channel grids (multi-channel only)."""
        self.partials.ensure(shown_count if mode == "multi" else 0)
        self.setCurrentIndex(MODES.index(mode))
        # a QStackedWidget is as large as its largest page: let only the current page count
        for i in range(self.count()):
            policy = QSizePolicy.Policy.Preferred if i == self.currentIndex() else QSizePolicy.Policy.Ignored
            self.widget(i).setSizePolicy(policy, policy)
        self.adjustSize()

    def rebuild(self, mode: str, out_shape: tuple[int, int], shown: list[int], channels: int) -> None:
        """Size the output grids of ``mode`` to ``out_shape``."""
        oh, ow = out_shape
        out_cell = SMALL_CELL_PX if max(oh, ow) > EDIT_LIMIT else CELL_PX
        rl, cl = [str(i) for i in range(oh)], [str(i) for i in range(ow)]
        for table in self._outputs(mode, len(shown)):
            shape_table(table, oh, ow, out_cell, rl, cl, max_w=460, max_h=460)
        if mode == "multi":
            names = channel_names(channels)
            for i, channel in enumerate(shown):
                self.partials.labels[i].setText(
                    pair("{0} channel × its filter slice", "{0} 채널 × 필터의 해당 조각", None).format(names[channel]))

    def output_tables(self, mode: str, shown_count: int) -> list:
        """Every output grid of ``mode`` (``shown_count`` per-channel grids in multi-channel)."""
        return self._outputs(mode, shown_count)

    def _outputs(self, mode: str, shown_count: int) -> list:
        return {"conv": [self.output_table], "multi": self.partial_tables[:shown_count] + [self.sum_table],
                "pool": [self.max_table, self.avg_table], "im2col": [self.im2col.output_table]}[mode]

    def paint(self, mode: str, walkthrough: Walkthrough, index: int, shown: list[int], channels: int,
              palette: QPalette) -> None:
        """Fill every output grid of ``mode`` up to step ``index``."""
        steps, shape = walkthrough.steps, walkthrough.out_shape
        if mode == "multi":
            for i, channel in enumerate(shown):
                fill_output(self.partial_tables[i], [s.per_channel[channel] for s in steps], index, shape, palette)
            fill_output(self.sum_table, [s.total for s in steps], index, shape, palette)
        elif mode == "pool":
            fill_output(self.max_table, [s.total for s in steps], index, shape, palette)
            fill_output(self.avg_table, [s.total for s in walkthrough.avg_steps], index, shape, palette)
        else:
            fill_output(self._outputs(mode, 0)[0], [s.total for s in steps], index, shape, palette)
        if mode == "im2col":
            self.im2col.paint(steps, index, channels, palette)
