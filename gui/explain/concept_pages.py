"""Concept pages on the notes' own small numbers: 1-D convolution, 1×1 convolution, dropout's
1/(1 − p) with a live draw, and max pooling under a one-pixel shift. The numbers come from
:mod:`engine.teach.concepts`; every text is an English–Korean pair (:mod:`engine.teach.words`)."""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QDoubleSpinBox, QHBoxLayout, QPushButton, QSpinBox, QWidget

from engine.teach.checks import format_number
from engine.teach.concepts import (
    MIXING_BIAS,
    MIXING_WEIGHTS,
    SEED003_SIGNAL,
    SEED003_SIGNAL_OUTPUT,
    SEED003_SMOOTHING,
    bottleneck_macs,
    conv1d,
    conv1x1,
    dropout_demo,
    shift_example,
    shift_robustness,
)
from engine.teach.examples import RGB_IMAGE
from engine.teach.words import WORDS
from gui.explain.concept_base import ConceptPage, fill_grid, grid, paragraph, settings_form
from gui.explain.language import say
from gui.explain.narration import channel_names

__all__ = ["Conv1dPage", "Conv1x1Page", "DropoutPage", "ShiftPage"]

DROPOUT_VALUES = np.arange(1.0, 9.0)


def _numbers(values: np.ndarray) -> str:
    return "[" + ", ".join(format_number(v) for v in values) + "]"


class Conv1dPage(ConceptPage):
    """seed 003's [1, 1, 1, 1, 1] ∗ [0.25, 0.5, 0.25], with a padding to try."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(WORDS["conv1d_intro"], parent)
        form = settings_form()
        self.padding_spin = QSpinBox()
        self.padding_spin.setRange(0, 2)
        form.addRow(say(WORDS["padding"]) + ":", self.padding_spin)
        self.body.addLayout(form)
        box, self.signal_table, _ = grid(WORDS["signal"])
        self.body.addWidget(box)
        box, self.filter_table, _ = grid(WORDS["filter"])
        self.body.addWidget(box)
        box, self.output_table, _ = grid(WORDS["output"])
        self.body.addWidget(box)
        self.lines_label = paragraph()
        self.body.addWidget(self.lines_label)
        self.finish()
        self.padding_spin.valueChanged.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        p = self.padding_spin.value()
        result = conv1d(SEED003_SIGNAL, SEED003_SMOOTHING, padding=p)
        padded = np.pad(result.signal, p)
        index = np.arange(padded.size)
        fill_grid(self.signal_table, padded, (index < p) | (index >= padded.size - p))  # amber: padding zeros
        fill_grid(self.filter_table, result.kernel)
        fill_grid(self.output_table, result.output)
        lines = list(result.lines)
        if p == 0:
            lines.append(say(WORDS["note_says"].format(_numbers(SEED003_SIGNAL_OUTPUT),
                                                   _numbers(result.output)), "\n"))
        self.output = result.output
        self.lines_label.setText("\n".join(lines))


class Conv1x1Page(ConceptPage):
    """Channel mixing on the RGB example: two 1×1 filters, their outputs and the cost saving."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(WORDS["conv1x1_intro"], parent)
        result = conv1x1(RGB_IMAGE, MIXING_WEIGHTS, MIXING_BIAS)
        self.result = result
        row = QHBoxLayout()
        for name, channel in zip(channel_names(3), RGB_IMAGE):
            box, table, _ = grid(name)
            fill_grid(table, channel, cell_w=34)
            row.addWidget(box)
        row.addStretch(1)
        self.body.addLayout(row)
        box, self.weights_table, _ = grid(WORDS["weights"])
        fill_grid(self.weights_table, MIXING_WEIGHTS, cell_w=52)
        self.weights_table.setHorizontalHeaderLabels(channel_names(3))
        self.body.addWidget(box)
        row = QHBoxLayout()
        self.output_tables = []
        for f in range(result.output.shape[0]):
            box, table, _ = grid(WORDS["output_n"].format(f))
            fill_grid(table, result.output[f], cell_w=48)
            self.output_tables.append(table)
            row.addWidget(box)
        row.addStretch(1)
        self.body.addLayout(row)
        f, c = MIXING_WEIGHTS.shape
        direct, reduced = bottleneck_macs()
        self.body.addWidget(paragraph(say(WORDS["pixel"]) + "  " + result.pixel_line))
        self.body.addWidget(paragraph(WORDS["params_1x1"].format(f, c, result.params)))
        self.body.addWidget(paragraph(WORDS["bottleneck"].format(256, 64, 256, 28, f"{direct:,}", f"{reduced:,}",
                                                                 f"{direct / reduced:.1f}")))
        self.finish()


class DropoutPage(ConceptPage):
    """A live draw of dropout on eight values; p and Resample change it."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(WORDS["dropout_intro"], parent)
        form = settings_form()
        self.p_spin = QDoubleSpinBox()
        self.p_spin.setRange(0.0, 0.9)
        self.p_spin.setSingleStep(0.1)
        self.p_spin.setDecimals(2)
        self.p_spin.setValue(0.3)  # seed 003's example
        form.addRow(say(WORDS["p"]) + ":", self.p_spin)
        self.resample_button = QPushButton(say(WORDS["resample"]))
        self.body.addLayout(form)
        row = QHBoxLayout()
        row.addWidget(self.resample_button)
        row.addStretch(1)
        self.body.addLayout(row)
        box, self.table, _ = grid(WORDS["scaled"])
        self.body.addWidget(box)
        self.numbers_label = paragraph()
        self.body.addWidget(self.numbers_label)
        self.finish()
        self.seed = 0
        self.p_spin.valueChanged.connect(self.refresh)
        self.resample_button.clicked.connect(self.resample)
        self.refresh()

    def resample(self) -> None:
        """A new random draw with the same p."""
        self.seed += 1
        self.refresh()

    def refresh(self) -> None:
        demo = dropout_demo(DROPOUT_VALUES, self.p_spin.value(), self.seed)
        self.demo = demo
        rows = np.vstack([demo.values, demo.mask.astype(float), demo.output])
        labels = [say(WORDS["signal"]), say(WORDS["mask"]), say(WORDS["output"])]
        fill_grid(self.table, rows, np.vstack([np.zeros_like(demo.mask), ~demo.mask, ~demo.mask]), labels, cell_w=60)
        f = format_number
        self.numbers_label.setText(say(WORDS["dropout_numbers"].format(
            f(demo.p), f(demo.scale), f(demo.mean_in), f(demo.mean_out), demo.trials, f(demo.mean_many),
            f(demo.unscaled_many)), "\n"))


class ShiftPage(ConceptPage):
    """A small picture and its one-pixel shift, before and after 2×2 max pooling; changes in amber."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(WORDS["shift_intro"], parent)
        form = settings_form()
        self.dx_spin = QSpinBox()
        self.dx_spin.setRange(-2, 2)
        self.dx_spin.setValue(1)
        form.addRow(say(WORDS["dx"]) + ":", self.dx_spin)
        self.body.addLayout(form)
        self.tables = {}
        for row_keys in (("original", "shifted"), ("pooled", "pooled_shifted")):
            row = QHBoxLayout()
            for key in row_keys:
                box, self.tables[key], _ = grid(WORDS[key])
                row.addWidget(box)
            row.addStretch(1)
            self.body.addLayout(row)
        self.numbers_label = paragraph()
        self.body.addWidget(self.numbers_label)
        self.finish()
        self.dx_spin.valueChanged.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        result = shift_robustness(shift_example(), 2, self.dx_spin.value())
        self.result = result
        changed = result.image != result.shifted
        pooled_changed = result.pooled != result.pooled_shifted
        for key, values, marks in (("original", result.image, None), ("shifted", result.shifted, changed),
                                   ("pooled", result.pooled, None),
                                   ("pooled_shifted", result.pooled_shifted, pooled_changed)):
            fill_grid(self.tables[key], values, marks, cell_w=28)
        self.numbers_label.setText(say(WORDS["shift_numbers"].format(f"{result.pixels_changed:.0%}",
                                                                 f"{result.pooled_changed:.0%}"), "\n"))
