"""The layer builder: presets, the layers with live shapes and costs, problems with one-click fixes.

Every edit goes through ``AppState.edit_spec`` (one QUndoStack step with a readable name), and
everything shown is recomputed from ``AppState.report`` (pure-Python shape inference) whenever
the spec changes, so undo/redo, fixes and dataset changes all update the same way.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt, Signal, Slot
from PySide6.QtGui import QAction, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStyle,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from engine.model.presets import PRESETS
from engine.model.shapes import Problem, ShapeReport, adapt_to_dataset, apply_fix, format_shape
from engine.model.spec import LAYER_TYPES, NetworkSpec, default_layer
from gui.builder.form import LayerForm
from gui.state import AppState
from gui.widgets import theme

# Palette groups, in the order a person builds a CNN.
PALETTE_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Convolution and pooling", ("conv2d", "maxpool2d", "avgpool2d")),
    ("Activations", ("relu", "leaky_relu", "tanh", "sigmoid", "gelu")),
    ("Normalisation and regularisation", ("batchnorm2d", "dropout", "dropout2d")),
    ("Classifier", ("flatten", "linear")),
)
assert sorted(t for _, group in PALETTE_GROUPS for t in group) == sorted(LAYER_TYPES)

LAYER_HELP = {
    "conv2d": "2-D convolution: slides K×K filters over the image; params K·K·Cin·Cout + Cout",
    "maxpool2d": "max pooling: keeps the largest value per window; no parameters, keeps channels",
    "avgpool2d": "average pooling: the mean per window; no parameters, keeps channels",
    "relu": "ReLU: max(0, x)",
    "leaky_relu": "leaky ReLU: x for x > 0, slope·x otherwise",
    "tanh": "tanh: squashes to (−1, 1)",
    "sigmoid": "sigmoid: squashes to (0, 1)",
    "gelu": "GELU: a smooth ReLU",
    "batchnorm2d": "batch normalisation per channel: 2·C parameters",
    "dropout": "dropout: zeroes random values while training",
    "dropout2d": "channel dropout: zeroes whole feature maps while training",
    "flatten": "flatten: C×H×W → one vector of C·H·W features",
    "linear": "fully connected: in·out + out parameters",
}

COLUMNS = ("Layer", "Settings", "Output", "Params", "MACs", "RF")
COL_LAYER, COL_SETTINGS, COL_OUTPUT, COL_PARAMS, COL_MACS, COL_RF = range(len(COLUMNS))


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
        pixmap = QStyle.StandardPixmap.SP_MessageBoxCritical if severity == "error" \
            else QStyle.StandardPixmap.SP_MessageBoxWarning
        icon.setPixmap(self.style().standardIcon(pixmap).pixmap(16, 16))
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
            self.button = QPushButton(f"Fix: {problem.fix.label}")
            self.button.setToolTip("apply this change (undoable)")
            self.button.clicked.connect(lambda: self.fixRequested.emit(self.problem))
            layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignTop)


class LayerTree(QTreeWidget):
    """The layers as rows; drag a row to reorder (the drop becomes one undoable move)."""

    moveRequested = Signal(int, int)  # from index, to index (final position)

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


class BuilderPanel(QWidget):
    """Presets, the layer list with shapes/params/MACs/RF, the selected layer's form, totals."""

    presetChosen = Signal(object)  # engine.model.presets.Preset: the training panel takes its defaults

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self._rebuilding = False
        self._problem_rows: dict[int | None, list[ProblemRow]] = {}

        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 6, 6, 6)

        # -- presets
        row = QHBoxLayout()
        row.addWidget(QLabel("Preset:"))
        self.preset_combo = QComboBox()
        self.preset_combo.addItem("Choose a preset network…", None)
        for name, preset in PRESETS.items():
            self.preset_combo.addItem(name, name)
            self.preset_combo.setItemData(self.preset_combo.count() - 1, self._preset_tip(preset),
                                          Qt.ItemDataRole.ToolTipRole)
        self.preset_combo.activated.connect(self._preset_activated)
        row.addWidget(self.preset_combo, 1)
        outer.addLayout(row)
        self.preset_label = QLabel()
        self.preset_label.setWordWrap(True)
        self.preset_label.setTextFormat(Qt.TextFormat.RichText)
        outer.addWidget(self.preset_label)

        self.input_label = QLabel()
        self.input_label.setWordWrap(True)
        outer.addWidget(self.input_label)

        # -- layer actions
        self.add_menu = QMenu("Add layer", self)
        self.add_actions: dict[str, QAction] = {}
        for title, kinds in PALETTE_GROUPS:
            self.add_menu.addSection(title)
            for kind in kinds:
                action = self.add_menu.addAction(kind)
                action.setToolTip(LAYER_HELP[kind])
                action.setStatusTip(LAYER_HELP[kind])
                action.triggered.connect(lambda _=False, k=kind: self.add_layer(k))
                self.add_actions[kind] = action
        self.add_menu.setToolTipsVisible(True)

        bar = QHBoxLayout()
        self.add_button = QToolButton()
        self.add_button.setText("Add ▾")
        self.add_button.setToolTip("add a layer after the selected one")
        self.add_button.setMenu(self.add_menu)
        self.add_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        bar.addWidget(self.add_button)

        def make(text: str, tip: str, slot, shortcut: QKeySequence | None = None) -> QAction:
            action = QAction(text, self)
            action.setToolTip(tip)
            if shortcut is not None:
                action.setShortcut(shortcut)
                action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                action.setToolTip(f"{tip} ({shortcut.toString(QKeySequence.SequenceFormat.NativeText)})")
            action.triggered.connect(slot)
            self.addAction(action)
            button = QToolButton()
            button.setDefaultAction(action)
            bar.addWidget(button)
            return action

        self.delete_action = make("Delete", "delete the selected layer", self.delete_selected,
                                  QKeySequence(QKeySequence.StandardKey.Delete))
        self.duplicate_action = make("Duplicate", "insert a copy of the selected layer after it",
                                     self.duplicate_selected, QKeySequence("Ctrl+D"))
        self.up_action = make("Up", "move the selected layer up", lambda: self.move_selected(-1),
                              QKeySequence("Alt+Up"))
        self.down_action = make("Down", "move the selected layer down", lambda: self.move_selected(1),
                                QKeySequence("Alt+Down"))
        bar.addStretch(1)
        outer.addLayout(bar)

        # -- the layers and the form, split vertically
        split = QSplitter(Qt.Orientation.Vertical)
        self.tree = LayerTree()
        self.tree.setObjectName("layerTree")
        self.tree.setColumnCount(len(COLUMNS))
        self.tree.setHeaderLabels(list(COLUMNS))
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.tree.setDragEnabled(True)
        self.tree.setAcceptDrops(True)
        self.tree.setDropIndicatorShown(True)
        self.tree.moveRequested.connect(self.move_layer)
        self.tree.currentItemChanged.connect(self._current_changed)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_SETTINGS, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(30)
        tips = ["stable layer name", "type and key settings", "output shape per image (C×H×W or features)",
                "learned parameters", "multiply–accumulates per image", "receptive field in input pixels"]
        for column, tip in enumerate(tips):
            self.tree.headerItem().setToolTip(column, tip)
        split.addWidget(self.tree)
        self.form = LayerForm(state)
        split.addWidget(self.form)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        outer.addWidget(split, 1)

        self.totals = QLabel()
        self.totals.setWordWrap(True)
        self.totals.setTextFormat(Qt.TextFormat.RichText)
        outer.addWidget(self.totals)

        state.specChanged.connect(self._spec_changed)
        th = theme.current()
        if th is not None:
            th.changed.connect(self._theme_changed)
        self.refresh()

    @Slot(bool)
    def _theme_changed(self, _dark: bool) -> None:
        self.refresh()

    # -- reading ---------------------------------------------------------------------------
    @staticmethod
    def _preset_tip(preset: Any) -> str:
        acc = f"{preset.reported_accuracy:.2%}" if preset.reported_accuracy is not None else "not reported"
        return f"{preset.description}\nSource: {preset.source}\nReported accuracy: {acc}" + \
            (f"\n{preset.notes}" if preset.notes else "")

    def selected_index(self) -> int | None:
        item = self.tree.currentItem()
        if item is None:
            return None
        while item.parent() is not None:
            item = item.parent()
        return self.tree.indexOfTopLevelItem(item)

    def select(self, index: int | None) -> None:
        if index is None or not 0 <= index < self.tree.topLevelItemCount():
            self.tree.setCurrentItem(None)
            self.form.set_layer(None)
            return
        self.tree.setCurrentItem(self.tree.topLevelItem(index))

    def row_texts(self, index: int) -> list[str]:
        """The texts shown in layer ``index``'s row (for tests and screen readers)."""
        item = self.tree.topLevelItem(index)
        return [item.text(c) for c in range(len(COLUMNS))]

    def problem_rows(self, index: int | None = None) -> list[ProblemRow]:
        """The problem widgets shown under layer ``index`` (None: those without a layer)."""
        return list(self._problem_rows.get(index, []))

    # -- showing ---------------------------------------------------------------------------
    @Slot(object)
    def _spec_changed(self, _spec: NetworkSpec) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Rebuild the rows from the state's spec and report, keeping the selection."""
        spec, report = self.state.spec, self.state.report
        keep = self.selected_index()
        self._rebuilding = True
        try:
            self.tree.clear()
            self._problem_rows = {}
            by_index: dict[int | None, list[tuple[Problem, str]]] = {}
            for problem in report.errors:
                by_index.setdefault(problem.index, []).append((problem, "error"))
            for problem in report.warnings:
                by_index.setdefault(problem.index, []).append((problem, "warning"))
            error_fg = theme.status_color("error")
            warn_fg = theme.status_color("warning")
            error_bg, warn_bg = theme.status_color("error_bg"), theme.status_color("warning_bg")
            style = self.style()
            for index, layer in enumerate(spec.layers):
                item = QTreeWidgetItem()
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                              | Qt.ItemFlag.ItemIsDragEnabled)
                self._fill_row(item, index, layer, report)
                self.tree.addTopLevelItem(item)
                problems = by_index.get(index, [])
                if problems:
                    severity = "error" if any(s == "error" for _, s in problems) else "warning"
                    icon = QStyle.StandardPixmap.SP_MessageBoxCritical if severity == "error" \
                        else QStyle.StandardPixmap.SP_MessageBoxWarning
                    item.setIcon(COL_LAYER, style.standardIcon(icon))
                    tip = "\n".join(p.message for p, _ in problems)
                    for column in range(len(COLUMNS)):
                        item.setBackground(column, error_bg if severity == "error" else warn_bg)
                        item.setToolTip(column, tip)
                    item.setForeground(COL_LAYER, error_fg if severity == "error" else warn_fg)
                    for problem, sev in problems:
                        self._add_problem(item, index, problem, sev)
            for problem, sev in by_index.get(None, []):
                holder = QTreeWidgetItem()
                holder.setFlags(Qt.ItemFlag.ItemIsEnabled)
                self.tree.addTopLevelItem(holder)
                holder.setFirstColumnSpanned(True)
                widget = ProblemRow(problem, sev)
                widget.fixRequested.connect(self.apply_problem_fix)
                self.tree.setItemWidget(holder, 0, widget)
                self._problem_rows.setdefault(None, []).append(widget)
            self.tree.expandAll()
        finally:
            self._rebuilding = False
        if keep is not None and keep >= len(spec.layers):
            keep = len(spec.layers) - 1 if spec.layers else None
        self.select(keep)
        self.form.set_layer(self.selected_index())
        self._update_labels(spec, report)
        self._update_actions()

    def _fill_row(self, item: QTreeWidgetItem, index: int, layer: dict, report: ShapeReport) -> None:
        name = report.names[index] if index < len(report.names) else f"layer{index + 1}"
        info = report.layers[index] if index < len(report.layers) else None
        item.setText(COL_LAYER, name)
        settings = layer["type"] + (f"  {info.settings}" if info is not None and info.settings else "")
        if info is None:
            from engine.model.shapes import describe_settings

            extra = describe_settings(layer)
            settings = layer["type"] + (f"  {extra}" if extra else "")
        item.setText(COL_SETTINGS, settings)
        item.setToolTip(COL_SETTINGS, LAYER_HELP.get(layer["type"], ""))
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        if info is None:
            for column in (COL_OUTPUT, COL_PARAMS, COL_MACS, COL_RF):
                item.setText(column, "—")
                item.setTextAlignment(column, right)
            item.setToolTip(COL_OUTPUT, "not computed: an earlier layer has an error")
            return
        item.setText(COL_OUTPUT, format_shape(info.output_shape))
        item.setText(COL_PARAMS, f"{info.params:,}" if info.params else "0")
        item.setText(COL_MACS, human(info.macs) if info.macs else "0")
        rf = info.receptive_field
        item.setText(COL_RF, str(rf[0]) if rf[0] == rf[1] else f"{rf[0]}×{rf[1]}")
        for column in (COL_OUTPUT, COL_PARAMS, COL_MACS, COL_RF):
            item.setTextAlignment(column, right)
        item.setToolTip(COL_OUTPUT, f"in {format_shape(info.input_shape)} → out {format_shape(info.output_shape)}")
        item.setToolTip(COL_MACS, f"{info.macs:,} multiply–accumulates per image")
        item.setToolTip(COL_PARAMS, f"{info.params:,} parameters" +
                        (f" (+ {info.buffers:,} buffer values)" if info.buffers else ""))

    def _add_problem(self, parent: QTreeWidgetItem, index: int, problem: Problem, severity: str) -> None:
        child = QTreeWidgetItem()
        child.setFlags(Qt.ItemFlag.ItemIsEnabled)
        parent.addChild(child)
        child.setFirstColumnSpanned(True)
        widget = ProblemRow(problem, severity)
        widget.fixRequested.connect(self.apply_problem_fix)
        self.tree.setItemWidget(child, 0, widget)
        self._problem_rows.setdefault(index, []).append(widget)

    def _update_labels(self, spec: NetworkSpec, report: ShapeReport) -> None:
        info = self.state.dataset_info
        source = f" · dataset: {getattr(info, 'title', getattr(info, 'name', ''))}" if info is not None else ""
        self.input_label.setText(f"Input {format_shape(spec.input)} · {spec.num_classes} classes{source}")
        parts = [f"<b>{report.total_params:,}</b> params",
                 f"<b>{human(report.total_macs)}</b> MACs/image",
                 f"<b>{human_bytes(report.total_activation_bytes)}</b> activations/image"]
        if report.total_buffers:
            parts.insert(1, f"{report.total_buffers:,} buffers")
        text = " · ".join(parts)
        if report.errors:
            color = theme.status_color("error").name()
            n = len(report.errors)
            text += f"<br><span style='color:{color}'><b>{n} error{'s' if n > 1 else ''}</b>: " \
                    "fix before training</span>"
        elif report.warnings:
            color = theme.status_color("warning").name()
            text += f"<br><span style='color:{color}'>{len(report.warnings)} warning(s)</span>"
        self.totals.setText(text)
        preset = PRESETS.get(spec.name)
        if preset is not None:
            acc = f"{preset.reported_accuracy:.2%}" if preset.reported_accuracy is not None else "not reported"
            self.preset_label.setText(f"{preset.description}. <i>Reported accuracy: {acc} on "
                                      f"{preset.dataset}.</i>")
            self.preset_label.setToolTip(self._preset_tip(preset))
        else:
            self.preset_label.setText(f"<i>{spec.name}</i>: {len(spec.layers)} layers")
            self.preset_label.setToolTip("")

    def _update_actions(self) -> None:
        index = self.selected_index()
        n = len(self.state.spec.layers)
        has = index is not None and index < n
        self.delete_action.setEnabled(has)
        self.duplicate_action.setEnabled(has)
        self.up_action.setEnabled(has and index > 0)
        self.down_action.setEnabled(has and index < n - 1)

    @Slot(object, object)
    def _current_changed(self, current: QTreeWidgetItem | None, _previous: Any) -> None:
        if self._rebuilding:
            return
        if current is not None and current.parent() is not None:
            # a problem row: select its layer instead
            self.tree.setCurrentItem(current.parent())
            return
        self.form.set_layer(self.selected_index())
        self._update_actions()

    # -- editing ---------------------------------------------------------------------------
    def _names(self, spec: NetworkSpec) -> list[str]:
        return spec.names

    def add_layer(self, kind: str, index: int | None = None) -> None:
        """Insert a new ``kind`` layer after the selection (or at ``index``; default: the end)."""
        spec = self.state.spec
        if index is None:
            sel = self.selected_index()
            index = len(spec.layers) if sel is None else sel + 1
        layers = [dict(layer) for layer in spec.layers]
        layers.insert(index, default_layer(kind))
        if self.state.edit_spec(spec.with_layers(layers), f"Add {kind}"):
            self.select(index)

    def delete_selected(self) -> None:
        index = self.selected_index()
        if index is None:
            return
        spec = self.state.spec
        name = spec.names[index]
        layers = [dict(layer) for layer in spec.layers]
        del layers[index]
        self.state.edit_spec(spec.with_layers(layers), f"Delete {name}")
        if layers:
            self.select(min(index, len(layers) - 1))

    def duplicate_selected(self) -> None:
        index = self.selected_index()
        if index is None:
            return
        spec = self.state.spec
        layers = [dict(layer) for layer in spec.layers]
        layers.insert(index + 1, dict(layers[index]))
        if self.state.edit_spec(spec.with_layers(layers), f"Duplicate {spec.names[index]}"):
            self.select(index + 1)

    def move_selected(self, delta: int) -> None:
        index = self.selected_index()
        if index is None:
            return
        self.move_layer(index, index + delta)

    @Slot(int, int)
    def move_layer(self, src: int, dest: int) -> None:
        spec = self.state.spec
        n = len(spec.layers)
        if not (0 <= src < n and 0 <= dest < n) or src == dest:
            return
        name = spec.names[src]
        layers = [dict(layer) for layer in spec.layers]
        layer = layers.pop(src)
        layers.insert(dest, layer)
        if abs(dest - src) == 1:
            text = f"Move {name} {'up' if dest < src else 'down'}"
        else:
            text = f"Move {name} to position {dest + 1}"
        if self.state.edit_spec(spec.with_layers(layers), text):
            self.select(dest)

    @Slot(object)
    def apply_problem_fix(self, problem: Problem) -> None:
        if problem.fix is None:
            return
        new = apply_fix(self.state.spec, problem.fix)
        self.state.edit_spec(new, f"Apply fix: {problem.fix.label}")

    @Slot(int)
    def _preset_activated(self, row: int) -> None:
        name = self.preset_combo.itemData(row)
        self.preset_combo.setCurrentIndex(0)
        if name:
            self.load_preset(name)

    def load_preset(self, name: str) -> None:
        """Replace the network by a preset (undoable); input and classes follow the dataset."""
        preset = PRESETS[name]
        spec = preset.spec
        info = self.state.dataset_info
        if info is not None:
            spec = adapt_to_dataset(spec, tuple(info.input_shape), len(info.class_names))
        self.state.edit_spec(spec, f"Load preset {name}")
        self.select(None)
        self.presetChosen.emit(preset)

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(470, 700)


def dataset_input_edit(spec: NetworkSpec, info: Any) -> tuple[NetworkSpec, str] | None:
    """The spec with ``info``'s input shape and class count, and the undo text; None if equal."""
    shape = tuple(int(v) for v in info.input_shape)
    classes = len(info.class_names)
    if tuple(spec.input) == shape and spec.num_classes == classes:
        return None
    title = getattr(info, "title", None) or getattr(info, "name", "dataset")
    return adapt_to_dataset(spec, shape, classes), \
        f"Use {title}: input {format_shape(shape)}, {classes} classes"

