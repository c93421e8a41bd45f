"""The Runs panel: a sortable, filterable table of the recorded runs and what can be done with them.

The listing is read on a ``TaskRunner`` (off the GUI thread); the table shows it when it comes.
Selecting two or more runs overlays their curves on the training plots; the panel's buttons
open, resume, compare, annotate and delete runs. What opening and resuming do is the window's
(``openRequested`` and ``resumeRequested`` carry the run's folder).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from gui.runs.model import DATE, RunsFilter, RunsTableModel
from gui.tasks import TaskRunner
from gui.training.plot_parts import RunOverlay

__all__ = ["RunsPanel", "overlay_of"]


def _list(root: Path, progress: Any = None, cancelled: Any = None) -> list:
    from engine.io.runs import list_runs

    return list_runs(root)


def overlay_of(record: Any) -> RunOverlay:
    """A run's curves as the training plots overlay them (batch steps in epochs)."""
    rows = record.epochs
    per_epoch = max(1.0, rows[-1]["step"] / max(1, rows[-1]["epoch"])) if rows else 1.0

    def column(key: str) -> np.ndarray:
        return np.array([np.nan if r.get(key) is None else float(r[key]) for r in rows], dtype=float)

    steps = record.batches.get("step")
    return RunOverlay(record.summary.name, column("epoch"), column("test_accuracy"), column("test_loss"),
                      None if steps is None else np.asarray(steps, dtype=float) / per_epoch,
                      record.batches.get("loss"))


class RunsPanel(QWidget):
    """The runs of ``root`` in a table; overlays go to ``plots`` (a TrainingPlots)."""

    openRequested = Signal(object)  # the run's folder (Path)
    resumeRequested = Signal(object)
    folderRequested = Signal()  # "Runs folder…": the window asks for a folder
    listed = Signal(int)  # the table shows this many runs (after a refresh)
    message = Signal(str, int)

    def __init__(self, plots: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self.plots = plots
        self.root: Path | None = None
        self.ask = True  # False: delete without asking (tests)
        self._records: dict[Path, Any] = {}
        self.runner = TaskRunner(self)
        self.runner.finished.connect(self._listed)
        self.runner.failed.connect(self._list_failed)
        self.model = RunsTableModel(self._rename, self)
        self.proxy = RunsFilter(self)
        self.proxy.setSourceModel(self.model)

        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText(self.tr("Filter runs (name, network, dataset, status…)"))
        self.filter_edit.setClearButtonEnabled(True)
        for button in self.filter_edit.findChildren(QToolButton):
            button.setAccessibleName(self.tr("Clear the filter"))
        self.filter_edit.setAccessibleName(self.tr("Filter runs"))
        self.filter_edit.textChanged.connect(self.proxy.set_filter)
        self.refresh_action = QAction(self.tr("Refresh Runs"), self)
        self.refresh_action.setShortcut(QKeySequence("F5"))
        self.refresh_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.refresh_action.triggered.connect(self.refresh)
        self.addAction(self.refresh_action)

        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(DATE, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setResizeContentsPrecision(100)  # 1,000 runs: fit to the first 100
        self.table.setAlternatingRowColors(True)
        self.table.setAccessibleName(self.tr("Recorded runs"))
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

        self.buttons: dict[str, QPushButton] = {}
        row = QGridLayout()  # three a row: the panel stays as narrow as the training panel
        for key, text, tip, slot in (
                ("open", self.tr("Open"), self.tr("restore the run's network, settings and model"), self.open_selected),
                ("resume", self.tr("Resume"), self.tr("open the run and continue its training"), self.resume_selected),
                ("compare", self.tr("Compare"), self.tr("the two selected runs' layers and settings side by side"),
                 self.compare_selected),
                ("notes", self.tr("Notes…"), self.tr("write notes on the selected run"), self.edit_notes),
                ("delete", self.tr("Delete…"), self.tr("delete the selected runs (asks first)"), self.delete_selected)):
            button = QPushButton(text)
            button.setToolTip(tip)
            button.clicked.connect(slot)
            row.addWidget(button, len(self.buttons) // 3, len(self.buttons) % 3)
            self.buttons[key] = button

        top = QHBoxLayout()
        top.addWidget(self.filter_edit, 1)
        refresh = QPushButton(self.tr("Refresh"))
        refresh.setToolTip(self.tr("read the runs folder again (F5)"))
        refresh.clicked.connect(self.refresh)
        top.addWidget(refresh)
        folder_row = QHBoxLayout()
        self.folder_label = QLabel()
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.folder_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        folder_row.addWidget(self.folder_label, 1)
        folder_button = QPushButton(self.tr("Runs Folder…"))
        folder_button.setToolTip(self.tr("choose the folder where runs are recorded"))
        folder_button.clicked.connect(self.folderRequested)
        folder_row.addWidget(folder_button)
        self.count_label = QLabel()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(self.count_label)
        layout.addLayout(folder_row)
        self._update_buttons()

    # -- listing ---------------------------------------------------------------------------
    def set_root(self, root: Path) -> None:
        """Show the runs of ``root`` (read in the background)."""
        self.root = Path(root)
        self.folder_label.setText(self.tr("Folder: {0}").format(root))
        self.folder_label.setToolTip(str(root))
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        """Read the runs folder again (off the GUI thread)."""
        if self.root is not None:
            self.runner.start(_list, self.root)

    @Slot(object)
    def _listed(self, runs: list) -> None:
        selected = {run.path for run in self.selected_runs()}
        self._records.clear()
        first = not self.model.runs
        self.model.set_runs(runs)
        if first and runs:  # columns fit their texts once; the user's widths stay after that
            self.table.resizeColumnsToContents()
        self.select_rows(*(row for row in range(self.proxy.rowCount())
                           if self.model.run(self.proxy.mapToSource(self.proxy.index(row, 0)).row()).path in selected))
        self.count_label.setText(self.tr("{0} runs").format(len(runs)))
        self._update_buttons()
        self.listed.emit(len(runs))

    @Slot(str)
    def _list_failed(self, message: str) -> None:
        self.count_label.setText(self.tr("Cannot read the runs folder: {0}").format(message))

    # -- selection -------------------------------------------------------------------------
    def selected_runs(self) -> list:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.model.run(self.proxy.mapToSource(self.proxy.index(r, 0)).row()) for r in rows]

    def select_rows(self, *rows: int) -> None:
        """Select the table's ``rows`` (as sorted and filtered), in one selection change."""
        chosen = QItemSelection()
        for row in rows:
            chosen.select(self.proxy.index(row, 0), self.proxy.index(row, 0))
        flags = QItemSelectionModel.SelectionFlag
        self.table.selectionModel().select(chosen, flags.ClearAndSelect | flags.Rows)

    def record(self, run: Any) -> Any:
        """The run's full record (cached until the next refresh); raises RunError."""
        from engine.io.runs import load_run

        if run.path not in self._records:
            self._records[run.path] = load_run(run.path)
        return self._records[run.path]

    @Slot()
    def _selection_changed(self, *_args: Any) -> None:
        self._update_buttons()
        self.show_overlays()

    def show_overlays(self) -> None:
        """Overlay the selected runs' curves when two or more are selected (else none)."""
        from engine.io.runs import RunError

        runs = self.selected_runs()
        overlays = []
        if len(runs) >= 2:
            for run in runs:
                try:
                    overlays.append(overlay_of(self.record(run)))
                except RunError as exc:
                    self.message.emit(self.tr("{0} is not overlaid: {1}").format(run.name, exc), 6000)
        self.plots.set_run_overlays(overlays)

    def _update_buttons(self) -> None:
        n = len(self.selected_runs())
        for key, enabled in (("open", n == 1), ("resume", n == 1), ("compare", n == 2), ("notes", n == 1),
                             ("delete", n >= 1)):
            self.buttons[key].setEnabled(enabled)

    # -- commands --------------------------------------------------------------------------
    def _one(self) -> Any:
        runs = self.selected_runs()
        return runs[0] if len(runs) == 1 else None

    def open_selected(self) -> None:
        if (run := self._one()) is not None:
            self.openRequested.emit(run.path)

    def resume_selected(self) -> None:
        if (run := self._one()) is not None:
            self.resumeRequested.emit(run.path)

    def compare_selected(self) -> Any:
        """The compare dialog for the two selected runs (None, with a message, when it cannot)."""
        from engine.io.runs import compare_runs
        from gui.runs.compare import CompareDialog

        runs = self.selected_runs()
        if len(runs) != 2:
            return None
        try:
            a, b = self.record(runs[0]), self.record(runs[1])
            comparison = compare_runs(a, b)
        except Exception as exc:  # noqa: BLE001 - RunError, or a hand-edited manifest the comparison trips on
            self.message.emit(self.tr("Cannot compare: {0}").format(exc), 8000)
            return None
        dialog = CompareDialog(a.summary.name, b.summary.name, comparison, self)
        dialog.show()
        return dialog

    def _rename(self, run: Any, name: str) -> str | None:
        from engine.io.runs import RunError, rename_run

        try:
            rename_run(run.path, name)
        except (RunError, OSError) as exc:
            self.message.emit(self.tr("Cannot rename: {0}").format(exc), 8000)
            return str(exc)
        self._records.pop(run.path, None)
        return None

    def edit_notes(self, text: str | None = None) -> bool:
        """Write the selected run's notes (``text``, or asked for in a dialog)."""
        from engine.io.runs import RunError, set_run_notes

        run = self._one()
        if run is None:
            return False
        if not isinstance(text, str):
            text, ok = QInputDialog.getMultiLineText(self, self.tr("Notes"), self.tr("Notes on {0}:").format(run.name),
                                                     run.notes)
            if not ok:
                return False
        try:
            set_run_notes(run.path, text)
        except (RunError, OSError) as exc:
            self.message.emit(self.tr("Cannot save the notes: {0}").format(exc), 8000)
            return False
        self.refresh()
        return True

    def delete_selected(self) -> int:
        """Delete the selected runs once the user agrees; the number deleted."""
        from engine.io.runs import RunError, delete_run

        runs = self.selected_runs()
        if not runs:
            return 0
        if self.ask:
            names = ", ".join(run.name for run in runs[:5]) + ("…" if len(runs) > 5 else "")
            answer = QMessageBox.question(self, self.tr("Delete runs"),
                                          self.tr("Delete {0} run(s) for good? {1}").format(len(runs), names))
            if answer != QMessageBox.StandardButton.Yes:
                return 0
        deleted = 0
        for run in runs:
            try:
                delete_run(run.path)
                deleted += 1
            except (RunError, OSError) as exc:
                self.message.emit(self.tr("Cannot delete {0}: {1}").format(run.name, exc), 8000)
        self.table.selectionModel().clearSelection()
        self.refresh()
        return deleted
