"""The layer table: its columns, how a row shows a layer, problem rows with a Fix button, and
drag-to-reorder."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from engine.model.layers import LAYERS
from engine.model.shapes import Problem, ShapeReport, describe_settings, format_shape
from engine.model.spec import resolve_layer
from gui.i18n import translate
from gui.widgets import theme

COLUMNS = (QT_TRANSLATE_NOOP("LayerTree", "Layer"), QT_TRANSLATE_NOOP("LayerTree", "Settings"),
           QT_TRANSLATE_NOOP("LayerTree", "Output"), QT_TRANSLATE_NOOP("LayerTree", "Params"), "MACs", "RF")
COL_LAYER, COL_SETTINGS, COL_OUTPUT, COL_PARAMS, COL_MACS, COL_RF = range(len(COLUMNS))


#: Header tool tips, one per column.
COLUMN_TIPS = (QT_TRANSLATE_NOOP("LayerTree", "stable layer name"),
               QT_TRANSLATE_NOOP("LayerTree",
                                 "type and key settings (kernel, stride s, padding p); hover a row for all"),
               QT_TRANSLATE_NOOP("LayerTree", "output shape per image (C×H×W or features)"),
               QT_TRANSLATE_NOOP("LayerTree", "learned parameters"),
               QT_TRANSLATE_NOOP("LayerTree", "multiply–accumulates per image"),
               QT_TRANSLATE_NOOP("LayerTree", "receptive field in input pixels"))


#: Shorter names in the Settings column (the tool tip spells the type out).
SHORT_TYPES = {"conv2d": "conv", "maxpool2d": "maxpool", "avgpool2d": "avgpool", "batchnorm2d": "batchnorm"}


def compact_settings(kind: str, settings: str) -> str:
    """The Settings column's text: ``conv2d`` + ``32, 3×3, s1, p1`` → ``conv  32, 3×3 s1 p1``."""
    short = settings.replace(", s", " s").replace(", p", " p").replace(", d", " d")
    name = SHORT_TYPES.get(kind, kind)
    return name + (f"  {short}" if short else "")


def spelled_out(layer: dict) -> str:
    """Every setting of ``layer`` by name, defaults included: ``conv2d: out channels 32, kernel size 3×3, …``."""
    try:
        resolved = resolve_layer(layer)
    except (KeyError, TypeError, ValueError):
        return f"{layer.get('type')}: {describe_settings(layer)}"
    parts = []
    for key, value in resolved.items():
        if key == "type":
            continue
        if isinstance(value, tuple):  # windows as h×w; steps, padding and dilation as one number when square
            square = value[0] == value[1] and key not in ("kernel_size", "output_size")
            value = str(value[0]) if square else f"{value[0]}×{value[1]}"
        elif isinstance(value, bool):
            value = "yes" if value else "no"
        parts.append(f"{key.replace('_', ' ')} {value}")
    return f"{resolved['type']}: " + ", ".join(parts)


def human(n: float) -> str:
    """1234 → 1.23k, 2300000 → 2.30M."""
    for unit, size in (("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if abs(n) >= size:
            return f"{n / size:.2f}{unit}"
    return f"{n:g}"


def human_bytes(n: float) -> str:
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{int(n)} B"


def problem_icon(severity: str) -> QStyle.StandardPixmap:
    """The message-box icon of an error or a warning."""
    return QStyle.StandardPixmap.SP_MessageBoxCritical if severity == "error" \
        else QStyle.StandardPixmap.SP_MessageBoxWarning


def mark_problems(item: QTreeWidgetItem, problems: list[tuple[Problem, str]], style: QStyle) -> None:
    """Colour a layer's row by its worst problem and list every message in its tool tips."""
    severity = "error" if any(s == "error" for _, s in problems) else "warning"
    item.setIcon(COL_LAYER, style.standardIcon(problem_icon(severity)))
    tip = "\n".join(p.message for p, _ in problems)
    background = theme.status_color("error_bg" if severity == "error" else "warning_bg")
    for column in range(len(COLUMNS)):
        item.setBackground(column, background)
        item.setToolTip(column, tip)
    item.setForeground(COL_LAYER, theme.status_color(severity))


class ProblemRow(QWidget):
    """One error or warning under its layer: icon, message and a "Fix: …" button."""

    fixRequested = Signal(object)  # Problem

    def __init__(self, problem: Problem, severity: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.problem = problem
        self.severity = severity
        layout = QHBoxLayout(self)
        layout.setContentsMargins(18, 2, 4, 2)
        icon = QLabel()
        icon.setPixmap(self.style().standardIcon(problem_icon(severity)).pixmap(16, 16))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        layout.addWidget(icon)
        self.message = QLabel(problem.message)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        color = theme.status_color(severity)
        self.message.setStyleSheet(f"color: {color.name()};")
        layout.addWidget(self.message, 1)
        self.button: QPushButton | None = None
        if problem.fix is not None:
            self.button = QPushButton(self.tr("Fix: {0}").format(problem.fix.label))
            self.button.setToolTip(self.tr("apply this change (undoable)"))
            self.button.clicked.connect(lambda: self.fixRequested.emit(self.problem))
            layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignTop)


class LayerTree(QTreeWidget):
    """The layers as rows; drag a row to reorder (the drop becomes one undoable move)."""

    moveRequested = Signal(int, int)  # from index, to index (final position)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("layerTree")
        self.setColumnCount(len(COLUMNS))
        self.setHeaderLabels([self.tr(c) for c in COLUMNS])
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(False)
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        header = self.header()
        # Every column as wide as its contents, so no setting is ever cut to "conv2d 32, …"; a panel
        # narrower than the columns (about 390 px for seed000) scrolls sideways instead.
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setMinimumSectionSize(30)
        for column, tip in enumerate(COLUMN_TIPS):
            self.headerItem().setToolTip(column, self.tr(tip))

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt's name)
        source = self.currentItem()
        if source is None or source.parent() is not None:
            event.ignore()
            return
        src = self.indexOfTopLevelItem(source)
        target = self.itemAt(event.position().toPoint())
        count = self.topLevelItemCount()
        if target is None:
            dest = count - 1
        else:
            while target.parent() is not None:
                target = target.parent()
            dest = self.indexOfTopLevelItem(target)
            indicator = self.dropIndicatorPosition()
            if indicator == QAbstractItemView.DropIndicatorPosition.BelowItem and dest < src:
                dest += 1
            elif indicator == QAbstractItemView.DropIndicatorPosition.AboveItem and dest > src:
                dest -= 1
        event.setDropAction(Qt.DropAction.IgnoreAction)
        event.accept()
        if 0 <= dest < count and dest != src:
            self.moveRequested.emit(src, dest)


def fill_row(item: QTreeWidgetItem, index: int, layer: dict, report: ShapeReport) -> None:
    """Write layer ``index``'s name, settings, output, params, MACs and receptive field into ``item``."""
    name = report.names[index] if index < len(report.names) else f"layer{index + 1}"
    info = report.layers[index] if index < len(report.layers) else None
    item.setText(COL_LAYER, name)
    extra = info.settings if info is not None else describe_settings(layer)
    text = compact_settings(layer["type"], extra)
    item.setText(COL_SETTINGS, text)
    help_text = LAYERS[layer["type"]].help
    full = layer["type"] + (f"  {extra}" if extra else "")
    # Where the column abbreviates, the tool tip has every setting spelled out above the type's help.
    item.setToolTip(COL_SETTINGS, help_text if text == full else f"{spelled_out(layer)}\n{help_text}")
    right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    if info is None:
        for column in (COL_OUTPUT, COL_PARAMS, COL_MACS, COL_RF):
            item.setText(column, "—")
            item.setTextAlignment(column, right)
        item.setToolTip(COL_OUTPUT, translate("table", "not computed: an earlier layer has an error"))
        return
    item.setText(COL_OUTPUT, format_shape(info.output_shape))
    item.setText(COL_PARAMS, f"{info.params:,}" if info.params else "0")
    item.setText(COL_MACS, human(info.macs) if info.macs else "0")
    rf = info.receptive_field
    item.setText(COL_RF, str(rf[0]) if rf[0] == rf[1] else f"{rf[0]}×{rf[1]}")
    for column in (COL_OUTPUT, COL_PARAMS, COL_MACS, COL_RF):
        item.setTextAlignment(column, right)
    item.setToolTip(COL_OUTPUT, translate("table", "in {0} → out {1}").format(format_shape(info.input_shape),
                                                                               format_shape(info.output_shape)))
    item.setToolTip(COL_MACS, translate("table", "{0} multiply–accumulates per image").format(f"{info.macs:,}"))
    item.setToolTip(COL_PARAMS, translate("table", "{0} parameters").format(f"{info.params:,}") +
                    (translate("table", " (+ {0} buffer values)").format(f"{info.buffers:,}") if info.buffers else ""))

