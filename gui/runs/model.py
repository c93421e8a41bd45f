"""The runs table's data: ``RunsTableModel`` (one row per ``RunSummary``) and ``RunsFilter``, a
sort-and-filter proxy whose sort keys are the numbers and dates, not the displayed text."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

__all__ = ["COLUMNS", "SORT_ROLE", "RunsFilter", "RunsTableModel", "format_seconds"]

#: the role whose value sorts a column (numbers sort as numbers)
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
NAME, NETWORK, DATASET, EPOCHS, FINAL, BEST, TIME, STATUS, DATE = range(9)
COLUMNS = ("Name", "Network", "Dataset", "Epochs", "Final acc.", "Best acc.", "Time", "Status", "Date")
Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


def format_seconds(seconds: float | None) -> str:
    """``1:02:03``, ``2:05`` or ``—``."""
    if seconds is None:
        return "—"
    minutes, secs = divmod(int(round(seconds)), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.2%}"


def _status(run: Any) -> str:
    return f"{run.status}: {run.damage}" if run.status == "damaged" and run.damage else run.status


class RunsTableModel(QAbstractTableModel):
    """The runs as rows; the Name column is editable (``rename(run, name)`` does the renaming and
    returns an error text or None)."""

    def __init__(self, rename: Callable[[Any, str], str | None] | None = None, parent: Any = None):
        super().__init__(parent)
        self.runs: list[Any] = []
        self._rename = rename

    def set_runs(self, runs: Sequence[Any]) -> None:
        self.beginResetModel()
        self.runs = list(runs)
        self.endResetModel()

    def run(self, row: int) -> Any:
        return self.runs[row]

    def rowCount(self, parent: Index = _ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.runs)

    def columnCount(self, parent: Index = _ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate("RunsTableModel", COLUMNS[section])
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.column() == NAME and self._rename is not None:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        run, column = self.runs[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._text(run, column)
        if role == SORT_ROLE:
            return self._key(run, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return run.notes or str(run.path) if column == NAME else _status(run) if column == STATUS else None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (EPOCHS, FINAL, BEST, TIME):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    @staticmethod
    def _text(run: Any, column: int) -> str:
        values = (run.name, run.network, run.dataset, str(run.epochs), _percent(run.final_accuracy),
                  _percent(run.best_accuracy), format_seconds(run.seconds), _status(run),
                  run.started[:16].replace("T", " "))
        return values[column]

    @staticmethod
    def _key(run: Any, column: int) -> Any:
        number = {EPOCHS: run.epochs, FINAL: run.final_accuracy, BEST: run.best_accuracy, TIME: run.seconds}
        if column in number:
            value = number[column]
            return -1.0 if value is None else float(value)
        return run.started if column == DATE else RunsTableModel._text(run, column).lower()

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.EditRole or index.column() != NAME or self._rename is None:
            return False
        name = str(value).strip()
        run = self.runs[index.row()]
        if not name or name == run.name or self._rename(run, name) is not None:
            return False
        import dataclasses

        self.runs[index.row()] = dataclasses.replace(run, name=name)
        self.dataChanged.emit(index, index)
        return True


class RunsFilter(QSortFilterProxyModel):
    """Sorts by ``SORT_ROLE``; the filter text matches any column, ignoring case."""

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setFilterKeyColumn(-1)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
