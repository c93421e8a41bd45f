"""gui.explain.tables: grid sizing, typed cells, the row of per-channel grids and output filling."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QPalette  # noqa: E402
from PySide6.QtWidgets import QHBoxLayout, QWidget  # noqa: E402

from gui.explain.tables import (  # noqa: E402
    HIGHLIGHT,
    TableRow,
    fill_output,
    new_table,
    parse_cell,
    shape_table,
    table_texts,
)


def test_parse_cell():
    assert parse_cell("−3") == -3.0 and parse_cell("1,5") == 1.5 and parse_cell(" 2 ") == 2.0
    assert parse_cell("abc") is None and parse_cell("inf") is None and parse_cell("nan") is None


def test_shape_table_and_texts(qtbot):
    table = new_table()
    qtbot.addWidget(table)
    shape_table(table, 2, 3, 34, ["a", "b"], ["x", "y", "z"])
    assert (table.rowCount(), table.columnCount()) == (2, 3)
    assert table_texts(table) == [["", "", ""], ["", "", ""]]
    table.item(1, 2).setText("7")
    assert table_texts(table)[1] == ["", "", "7"]
    assert table.horizontalHeader().isVisibleTo(table)
    shape_table(table, 20, 20, 13, [], [])  # small cells: no headers
    assert not table.horizontalHeader().isVisibleTo(table)
    shape_table(table, 0, 0, 34, [], [])
    assert table.isHidden()


def test_table_row_creates_hides_and_reports_edits(qtbot):
    host = QWidget()
    qtbot.addWidget(host)
    edits = []
    row = TableRow(QHBoxLayout(host), lambda i, item: edits.append((i, item.text())))
    row.ensure(2)
    assert len(row.tables) == 2 and len(row.labels) == 2
    row.ensure(1)
    assert len(row.tables) == 2 and row.tables[1].parentWidget().isHidden()
    assert not row.tables[0].parentWidget().isHidden()
    shape_table(row.tables[1], 1, 1, 34, ["0"], ["0"])
    row.tables[1].item(0, 0).setText("4")
    assert edits[-1] == (1, "4")


def test_fill_output_up_to_the_current_step(qtbot):
    table = new_table()
    qtbot.addWidget(table)
    shape_table(table, 2, 2, 34, ["0", "1"], ["0", "1"])
    fill_output(table, [1.0, -2.5, 3.0, 4.0], 1, (2, 2), QPalette())
    assert table_texts(table) == [["1", "−2.5"], ["", ""]]
    assert table.item(0, 1).background().color() == HIGHLIGHT
    assert table.item(0, 0).background().color() != HIGHLIGHT
    big = new_table()
    qtbot.addWidget(big)
    shape_table(big, 13, 13, 13, [], [])
    fill_output(big, [float(v) for v in range(169)], 5, (13, 13), QPalette())
    assert big.item(0, 3).text() == "" and big.item(0, 3).toolTip() == "3"  # large: grey levels, value in the tooltip
