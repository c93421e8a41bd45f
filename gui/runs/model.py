"""The runs table's data: ``RunsTableModel`` (one row per ``RunSummary``, sorted by numbers and
dates, not by the displayed text) and ``RunsFilter``, the proxy that filters it."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
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
COLUMNS = (QT_TRANSLATE_NOOP("RunsTableModel", "Name"), QT_TRANSLATE_NOOP("RunsTableModel", "Network"),
           QT_TRANSLATE_NOOP("RunsTableModel", "Dataset"), QT_TRANSLATE_NOOP("RunsTableModel", "Epochs"),
           QT_TRANSLATE_NOOP("RunsTableModel", "Final acc."), QT_TRANSLATE_NOOP("RunsTableModel", "Best acc."),
           QT_TRANSLATE_NOOP("RunsTableModel", "Time"), QT_TRANSLATE_NOOP("RunsTableModel", "Status"),
           QT_TRANSLATE_NOOP("RunsTableModel", "Date"))
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


#: The recorded runs' statuses (engine/io/runs.py), for the translators.
STATUS_NAMES = {"running": QT_TRANSLATE_NOOP("RunsTableModel", "running"),
                "completed": QT_TRANSLATE_NOOP("RunsTableModel", "completed"),
                "stopped": QT_TRANSLATE_NOOP("RunsTableModel", "stopped"),
                "diverged": QT_TRANSLATE_NOOP("RunsTableModel", "diverged"),
                "failed": QT_TRANSLATE_NOOP("RunsTableModel", "failed"),
                "interrupted": QT_TRANSLATE_NOOP("RunsTableModel", "interrupted"),
                "damaged": QT_TRANSLATE_NOOP("RunsTableModel", "damaged")}


def _status(run: Any) -> str:
    status = QCoreApplication.translate("RunsTableModel", STATUS_NAMES.get(run.status, run.status))
    return f"{status}: {run.damage}" if run.status == "damaged" and run.damage else status


class RunsTableModel(QAbstractTableModel):
    """The runs as rows; the Name column is editable (``rename(run, name)`` does the renaming and
    returns an error text or None). Texts, sort keys and the filter's haystack are made once per
    run, so 1,000 rows sort and filter without a Python call per cell."""

    def __init__(self, rename: Callable[[Any, str], str | None] | None = None, parent: Any = None):
        super().__init__(parent)
        self.runs: list[Any] = []
        self.texts: list[tuple[str, ...]] = []
        self.keys: list[tuple[Any, ...]] = []
        self.haystack: list[str] = []
        self._rename = rename
        self._sorted: tuple[int, Qt.SortOrder] | None = None

    def set_runs(self, runs: Sequence[Any]) -> None:
        self.beginResetModel()
        self.runs = list(runs)
        self._derive()
        if self._sorted is not None:
            self._reorder(*self._sorted)
        self.endResetModel()

    def _derive(self) -> None:
        self.texts = [_texts(run) for run in self.runs]
        self.keys = [_keys(run, texts) for run, texts in zip(self.runs, self.texts)]
        self.haystack = ["\t".join(texts).lower() for texts in self.texts]

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
        row, column = index.row(), index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self.texts[row][column]
        if role == SORT_ROLE:
            return self.keys[row][column]
        if role == Qt.ItemDataRole.ToolTipRole:
            run = self.runs[row]
            return run.notes or str(run.path) if column == NAME else _status(run) if column == STATUS else None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (EPOCHS, FINAL, BEST, TIME):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the rows by ``column``'s key (numbers as numbers), keeping the selection."""
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        moved = self._reorder(column, order)
        self.changePersistentIndexList(old, [self.index(moved[i.row()], i.column()) for i in old])
        self.layoutChanged.emit()

    def _reorder(self, column: int, order: Qt.SortOrder) -> list[int]:
        """Reorder the lists by ``column``; returns each old row's new row."""
        self._sorted = (column, order)
        ranked = sorted(range(len(self.runs)), key=lambda r: self.keys[r][column],
                        reverse=order == Qt.SortOrder.DescendingOrder)
        for name in ("runs", "texts", "keys", "haystack"):
            values = getattr(self, name)
            setattr(self, name, [values[r] for r in ranked])
        moved = [0] * len(ranked)
        for new, old in enumerate(ranked):
            moved[old] = new
        return moved

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.EditRole or index.column() != NAME or self._rename is None:
            return False
        name = str(value).strip()
        row = index.row()
        run = self.runs[row]
        if not name or name == run.name or self._rename(run, name) is not None:
            return False
        self.runs[row] = dataclasses.replace(run, name=name)
        self.texts[row] = _texts(self.runs[row])
        self.keys[row] = _keys(self.runs[row], self.texts[row])
        self.haystack[row] = "\t".join(self.texts[row]).lower()
        self.dataChanged.emit(index, index)
        return True


def _texts(run: Any) -> tuple[str, ...]:
    return (run.name, run.network, run.dataset, str(run.epochs), _percent(run.final_accuracy),
            _percent(run.best_accuracy), format_seconds(run.seconds), _status(run), run.started[:16].replace("T", " "))


def _keys(run: Any, texts: tuple[str, ...]) -> tuple[Any, ...]:
    def number(value: float | None) -> float:
        return -1.0 if value is None else float(value)

    return (texts[NAME].lower(), texts[NETWORK].lower(), texts[DATASET].lower(), number(run.epochs),
            number(run.final_accuracy), number(run.best_accuracy), number(run.seconds), texts[STATUS].lower(),
            run.started)


class RunsFilter(QSortFilterProxyModel):
    """Filters on the text in any column, ignoring case; sorting is the source model's own (fast)."""

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self.needle = ""

    def set_filter(self, text: str) -> None:
        self.beginFilterChange()
        self.needle = text.strip().lower()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent: Index) -> bool:  # noqa: N802
        return not self.needle or self.needle in self.sourceModel().haystack[row]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if column >= 0:
            self.sourceModel().sort(column, order)
