"""Two runs side by side: their layers (added, removed, changed, same), the parameter difference
and the settings that differ, from ``engine.io.runs.compare_runs``."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

__all__ = ["CompareDialog"]

#: background of a layer row by its change (light tints that read in both schemes' text colours)
CHANGE_COLOURS = {"added": "#2e7d32", "removed": "#c62828", "changed": "#ef6c00"}


def _table(headers: list[str], rows: list[tuple[str, ...]], tints: list[str | None]) -> QTableWidget:
    table = QTableWidget(len(rows), len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().hide()
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    for r, (row, tint) in enumerate(zip(rows, tints)):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            if tint is not None:
                colour = QColor(tint)
                colour.setAlpha(60)
                item.setBackground(QBrush(colour))
            table.setItem(r, c, item)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


class CompareDialog(QDialog):
    """Non-modal: run ``a`` against run ``b``."""

    def __init__(self, a: str, b: str, comparison: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self.comparison = comparison
        self.setWindowTitle(self.tr("Compare {0} and {1}").format(a, b))
        layout = QVBoxLayout(self)
        delta = comparison.params_delta
        self.params_label = QLabel(self.tr("Parameters: {0} has {1:+,} compared with {2}.").format(b, delta, a)
                                   if delta else self.tr("Parameters: the same number in both networks."))
        layout.addWidget(QLabel(self.tr("<b>Layers</b> ({0} → {1})").format(a, b)))
        change_names = {"added": self.tr("added"), "removed": self.tr("removed"), "changed": self.tr("changed"),
                        "same": self.tr("same")}
        rows = [(change_names.get(change, change), name, detail) for change, name, detail in comparison.layers]
        self.layers_table = _table([self.tr("Change"), self.tr("Layer"), self.tr("Detail")], rows,
                                   [CHANGE_COLOURS.get(change) for change, _, _ in comparison.layers])
        layout.addWidget(self.layers_table, 2)
        layout.addWidget(self.params_label)
        layout.addWidget(QLabel(self.tr("<b>Settings that differ</b>")))
        settings = [(str(name), str(va), str(vb)) for name, va, vb in comparison.settings]
        self.settings_table = _table([self.tr("Setting"), a, b], settings, [None] * len(settings))
        layout.addWidget(self.settings_table, 1)
        if not settings:
            self.settings_table.hide()
            layout.addWidget(QLabel(self.tr("The two runs have the same settings.")))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, 520)
