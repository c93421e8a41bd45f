"""The runs table on its own (no training): numbers sort as numbers, the selection survives a sort,
the filter matches any column ignoring case, and an unknown value shows as a dash."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from engine.io.runs import RunSummary
from gui.runs.model import BEST, EPOCHS, FINAL, NAME, STATUS, format_seconds
from gui.runs.panel import RunsPanel


def summary(i: int, final: float | None, epochs: int, status: str = "completed", damage: str = "") -> RunSummary:
    return RunSummary(id=f"run{i}", path=Path(f"/runs/run{i}"), name=f"Run {i}", network="seed000",
                      dataset="mnist" if i % 2 else "fashion-mnist", epochs=epochs, final_accuracy=final,
                      best_accuracy=final, seconds=65.0 * i, status=status, started=f"2026-01-{i + 1:02d}T10:00:00",
                      notes="", damage=damage)


class FakePlots:
    def __init__(self):
        self.overlays = None

    def set_run_overlays(self, overlays):
        self.overlays = list(overlays)


@pytest.fixture
def panel(qtbot):
    panel = RunsPanel(FakePlots())
    qtbot.addWidget(panel)
    runs = [summary(1, 0.9, 10), summary(2, None, 2, "damaged", "manifest.json: not JSON"), summary(3, 0.95, 9),
            summary(4, 0.1, 100)]
    panel._listed(runs)  # noqa: SLF001 - what the background listing hands over
    return panel


def column(panel, col):
    return [panel.proxy.index(r, col).data() for r in range(panel.proxy.rowCount())]


def test_numbers_sort_as_numbers_and_the_selection_stays(panel):
    assert column(panel, NAME) == ["Run 4", "Run 3", "Run 2", "Run 1"]  # newest first
    panel.select_rows(1)  # Run 3
    panel.table.sortByColumn(EPOCHS, Qt.SortOrder.AscendingOrder)
    assert column(panel, EPOCHS) == ["2", "9", "10", "100"]  # not "10" < "100" < "2"
    assert [run.name for run in panel.selected_runs()] == ["Run 3"]
    panel.table.sortByColumn(FINAL, Qt.SortOrder.DescendingOrder)
    assert column(panel, FINAL) == ["95.00%", "90.00%", "10.00%", "—"]
    assert column(panel, STATUS)[-1] == "damaged: manifest.json: not JSON"
    assert column(panel, BEST)[-1] == "—"


def test_the_filter_matches_any_column_ignoring_case(panel):
    panel.filter_edit.setText("FASHION")
    assert sorted(column(panel, NAME)) == ["Run 2", "Run 4"]
    panel.filter_edit.setText("damaged")
    assert column(panel, NAME) == ["Run 2"]
    panel.filter_edit.setText("")
    assert panel.proxy.rowCount() == 4


def test_buttons_follow_the_selection(panel):
    panel.select_rows(0)
    assert panel.buttons["open"].isEnabled() and not panel.buttons["compare"].isEnabled()
    assert panel.plots.overlays == []  # one run: nothing overlaid
    panel.select_rows(0, 2)
    assert panel.buttons["compare"].isEnabled() and not panel.buttons["open"].isEnabled()


def test_time_format():
    assert (format_seconds(None), format_seconds(65), format_seconds(3725)) == ("—", "1:05", "1:02:05")
