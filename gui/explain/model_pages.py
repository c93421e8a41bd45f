"""Concept pages on the current network: BatchNorm on its real feature maps, "DNN vs CNN" from its
spec and im2col's memory cost per conv layer (with col2im's coverage of the 6×6 example).

A :class:`ModelSource` tells them the app's network and the Draw panel's input; without one
(the explainer on its own) BatchNorm shows a clear empty state and the spec pages use seed000.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QHBoxLayout, QSpinBox, QTableWidgetItem, QWidget

from engine.model.presets import PRESETS
from engine.model.spec import NetworkSpec
from engine.teach.checks import format_number
from engine.teach.network_concepts import coverage, dnn_vs_cnn, im2col_memory
from engine.teach.words import WORDS, Bilingual
from gui.explain.concept_base import ConceptPage, fill_grid, grid, paragraph, settings_form
from gui.explain.language import say
from gui.explain.model_source import ModelSource

__all__ = ["ModelSource", "BatchNormPage", "SpecPage", "DenseVsConvPage", "MemoryPage"]

BINS = 30
MEMORY_COLUMN_PX = 96


def _spec(source: ModelSource | None) -> NetworkSpec:
    return source.spec() if source is not None else PRESETS["seed000"].spec


def _f(value: float) -> str:
    return format_number(round(float(value), 3))


class BatchNormPage(ConceptPage):
    """Per-channel histograms of the input to the network's first BatchNorm (or first conv's output),
    before and after normalising."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(WORDS["bn_intro"], parent)
        self.source: ModelSource | None = None
        self.maps = None
        form = settings_form()
        self.channel_spin = QSpinBox()
        form.addRow(say(WORDS["channel"]) + ":", self.channel_spin)
        self.body.addLayout(form)
        self.status_label = paragraph(WORDS["bn_empty"])
        self.body.addWidget(self.status_label)
        row = QHBoxLayout()
        self.plots = []
        for _ in range(2):
            plot = pg.PlotWidget()
            plot.setMinimumSize(260, 220)
            plot.setMouseEnabled(False, False)
            row.addWidget(plot)
            self.plots.append(plot)
        self.body.addLayout(row)
        box, self.stats_table, _ = grid(WORDS["channel"])
        self.body.addWidget(box)
        self.finish()
        self.channel_spin.valueChanged.connect(self._draw)

    def refresh(self) -> None:
        self.maps = None
        source = self.source
        module = source.module() if source is not None else None
        x = source.input() if source is not None else None
        if module is not None and x is not None:
            from engine.teach.network_concepts import batchnorm_maps

            try:
                self.maps = batchnorm_maps(module, x, _spec(source).names)
            except (RuntimeError, ValueError):  # an input the network does not take
                self.maps = None
        if self.maps is None:
            self.status_label.setText(say(WORDS["bn_empty"], "\n"))
        else:
            how = WORDS["trained" if source.trained() else "untrained"]
            self.status_label.setText(say(WORDS["bn_source"].format(self.maps.layer, how.en), "\n"))
        for widget in (self.channel_spin, self.stats_table, *self.plots):
            widget.setEnabled(self.maps is not None)
        self.channel_spin.setRange(0, max(0, (self.maps.before.shape[0] - 1) if self.maps else 0))
        self._draw()

    def _draw(self) -> None:
        for plot in self.plots:
            plot.clear()
        maps = self.maps
        if maps is None:
            fill_grid(self.stats_table, np.zeros((4, 0)))
            return
        c = min(self.channel_spin.value(), maps.before.shape[0] - 1)
        for plot, values, mean, std, key in ((self.plots[0], maps.before[c], maps.mean_before[c],
                                              maps.std_before[c], "before"),
                                             (self.plots[1], maps.after[c], maps.mean_after[c],
                                              maps.std_after[c], "after")):
            counts, edges = np.histogram(values, bins=BINS)
            plot.addItem(pg.BarGraphItem(x0=edges[:-1], x1=edges[1:], height=counts, brush=(80, 140, 220)))
            plot.setTitle(say(WORDS[key].format(_f(mean), _f(std)), "<br>"))
        shown = min(8, maps.before.shape[0])
        stats = np.vstack([maps.mean_before[:shown], maps.std_before[:shown], maps.mean_after[:shown],
                           maps.std_after[:shown]])
        rows = WORDS["stat_rows"]
        labels = [f"{en} · {ko}" for en, ko in zip(rows.en.split("|"), rows.ko.split("|"))]
        fill_grid(self.stats_table, np.round(stats, 3), row_labels=labels, cell_w=58)


class SpecPage(ConceptPage):
    """A page computed from the app's spec (seed000 on its own), named in its first line."""

    def __init__(self, intro: Bilingual, parent: QWidget | None = None):
        super().__init__(intro, parent)
        self.source: ModelSource | None = None
        self.network_label = paragraph()
        self.body.addWidget(self.network_label)

    def current_spec(self) -> NetworkSpec:
        """The spec to show, its name written in the page's first line."""
        spec = _spec(self.source)
        self.network_label.setText(say(WORDS["network"].format(spec.name)))
        return spec


class DenseVsConvPage(SpecPage):
    """Parameters of a linear layer on the flattened image against the conv layers, live from the spec."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(WORDS["dense_intro"], parent)
        self.rows_label = paragraph()
        self.loses_label = paragraph()
        for label in (self.rows_label, self.loses_label):
            self.body.addWidget(label)
        self.finish()
        self.refresh()

    def refresh(self) -> None:
        self.comparison = comparison = dnn_vs_cnn(self.current_spec())
        if comparison is None:
            self.rows_label.setText(say(WORDS["no_conv"], "\n"))
            self.loses_label.setText("")
            return
        shape = "×".join(str(v) for v in comparison.input_shape)
        out = "×".join(str(v) for v in comparison.conv_out)
        units = int(np.prod(comparison.conv_out))
        ratio = comparison.dense_params / max(comparison.conv_params, 1)
        text = WORDS["dense_rows"].format(
            "", shape, f"{comparison.flat:,}", comparison.conv_name, out, f"{comparison.conv_params:,}",
            f"{units:,}", f"{comparison.dense_params:,}", f"{ratio:,.0f}", f"{comparison.stack_params:,}",
            f"{comparison.head_params:,}")
        self.rows_label.setText("\n".join("• " + say(Bilingual(en, ko), "\n  ") for en, ko in
                                          zip(text.en.split("|"), text.ko.split("|"))))
        self.loses_label.setText(say(WORDS["flat_loses"].format(comparison.neighbour_gap,
                                                            f"{comparison.flat:,}"), "\n"))


class MemoryPage(SpecPage):
    """im2col's matrix against its input for every conv layer, and col2im's coverage counts."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(WORDS["memory_intro"], parent)
        box, self.memory_table, _ = grid("")
        self.body.addWidget(box)
        counts = coverage((6, 6), 3)
        self.body.addWidget(paragraph(WORDS["coverage"].format(int(counts.sum()), counts.size)))
        box, self.coverage_table, _ = grid(WORDS["coverage_title"])
        fill_grid(self.coverage_table, counts)
        self.body.addWidget(box)
        self.finish()
        self.refresh()

    def refresh(self) -> None:
        self.rows = rows = im2col_memory(self.current_spec())
        head = WORDS["memory_head"]
        table = self.memory_table
        table.clear()
        table.setRowCount(len(rows))
        table.setColumnCount(6)
        table.setHorizontalHeaderLabels([f"{en}\n{ko}" for en, ko in zip(head.en.split("|"), head.ko.split("|"))][1:])
        table.setVerticalHeaderLabels([row.layer for row in rows])
        for r, row in enumerate(rows):
            cells = ("×".join(map(str, row.input_shape)), f"{row.kernel}×{row.kernel}",
                     f"{row.matrix[0]}×{row.matrix[1]}", f"{row.input_bytes / 1024:,.1f} KiB",
                     f"{row.matrix_bytes / 1024:,.1f} KiB", f"{row.ratio:.1f}×")
            for c, text in enumerate(cells):
                table.setItem(r, c, QTableWidgetItem(text))
        table.horizontalHeader().setDefaultSectionSize(MEMORY_COLUMN_PX)
        table.verticalHeader().setDefaultSectionSize(26)
        table.horizontalHeader().setVisible(True)
        table.verticalHeader().setVisible(True)
        height = table.horizontalHeader().sizeHint().height() + 26 * len(rows) + 6
        table.setFixedSize(table.verticalHeader().sizeHint().width() + 6 * MEMORY_COLUMN_PX + 6, height)
        table.setVisible(bool(rows))
