"""The layer builder: presets, the layers with live shapes and costs, problems with one-click fixes.

Every edit goes through ``AppState.edit_spec`` (one QUndoStack step with a readable name), and
everything shown is recomputed from ``AppState.report`` (pure-Python shape inference) whenever
the spec changes, so undo/redo, fixes and dataset changes all update the same way.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QToolButton,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from engine.model.presets import PRESETS
from engine.model.shapes import Problem, ShapeReport, adapt_to_dataset, format_shape
from engine.model.spec import NetworkSpec
from gui.builder.edits import (
    Edit,
    add_edit,
    dataset_input_edit,
    delete_edit,
    duplicate_edit,
    fix_edit,
    move_edit,
)
from gui.builder.form import LayerForm
from gui.builder.palette import add_layer_menu
from gui.builder.preset_label import preset_label
from gui.builder.table import (
    COL_OUTPUT,
    COL_PARAMS,
    COLUMNS,
    LayerTree,
    ProblemRow,
    fill_row,
    human,
    human_bytes,
    mark_problems,
)
from gui.dataset_texts import dataset_text
from gui.i18n import translate
from gui.state import AppState
from gui.widgets import theme

__all__ = ["BuilderPanel", "dataset_input_edit", "COL_OUTPUT", "COL_PARAMS"]


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
        row.addWidget(QLabel(self.tr("Preset:")))
        self.preset_combo = QComboBox()
        self.preset_combo.setAccessibleName(self.tr("Preset network"))
        self.preset_combo.addItem("", None)  # the network loaded now (preset_label); the presets follow
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
        self.add_menu, self.add_actions = add_layer_menu(self, self.add_layer)

        bar = QHBoxLayout()
        self.add_button = QToolButton()
        self.add_button.setText(self.tr("Add ▾"))
        self.add_button.setToolTip(self.tr("add a layer after the selected one"))
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

        self.delete_action = make(self.tr("Delete"), self.tr("delete the selected layer"), self.delete_selected,
                                  QKeySequence(QKeySequence.StandardKey.Delete))
        self.duplicate_action = make(self.tr("Duplicate"), self.tr("insert a copy of the selected layer after it"),
                                     self.duplicate_selected, QKeySequence("Ctrl+D"))
        self.up_action = make(self.tr("Up"), self.tr("move the selected layer up"), lambda: self.move_selected(-1),
                              QKeySequence("Alt+Up"))
        self.down_action = make(self.tr("Down"), self.tr("move the selected layer down"),
                                lambda: self.move_selected(1), QKeySequence("Alt+Down"))
        bar.addStretch(1)
        outer.addLayout(bar)

        # -- the layers and the form, split vertically
        split = QSplitter(Qt.Orientation.Vertical)
        self.tree = LayerTree()
        self.tree.setAccessibleName(self.tr("Layers of the network"))
        self.tree.moveRequested.connect(self.move_layer)
        self.tree.currentItemChanged.connect(self._current_changed)
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
        acc = f"{preset.reported_accuracy:.2%}" if preset.reported_accuracy is not None else \
            translate("BuilderPanel", "not reported")
        return f"{preset.description}\n" + translate("BuilderPanel", "Source: {0}\nReported accuracy: {1}").format(
            preset.source, acc) + (f"\n{preset.notes}" if preset.notes else "")

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
            style = self.style()
            for index, layer in enumerate(spec.layers):
                item = QTreeWidgetItem()
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                              | Qt.ItemFlag.ItemIsDragEnabled)
                fill_row(item, index, layer, report)
                self.tree.addTopLevelItem(item)
                problems = by_index.get(index, [])
                if problems:
                    mark_problems(item, problems, style)
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
        self._show_loaded_preset(spec)

    def _show_loaded_preset(self, spec: NetworkSpec) -> None:
        """The selector names what is loaded ("seed000", "seed000 (edited)"); its list offers the presets."""
        label = preset_label(spec)
        self.preset_combo.setItemText(0, label)
        self.preset_combo.setItemData(0, self.tr("the network loaded now; pick a preset below to replace it"),
                                      Qt.ItemDataRole.ToolTipRole)
        self.preset_combo.setCurrentIndex(0)
        self.preset_combo.setToolTip(self.tr("{0}: pick a preset network to load it (undoable)").format(label))

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
        name = dataset_text(getattr(info, 'title', getattr(info, 'name', '')))
        source = self.tr(" · dataset: {0}").format(name) if info is not None else ""
        self.input_label.setText(self.tr("Input {0} · {1} classes").format(format_shape(spec.input),
                                                                           spec.num_classes) + source)
        parts = [self.tr("<b>{0}</b> params").format(f"{report.total_params:,}"),
                 self.tr("<b>{0}</b> MACs/image").format(human(report.total_macs)),
                 self.tr("<b>{0}</b> activations/image").format(human_bytes(report.total_activation_bytes))]
        if report.total_buffers:
            parts.insert(1, self.tr("{0} buffers").format(f"{report.total_buffers:,}"))
        text = " · ".join(parts)
        if report.errors:
            color = theme.status_color("error").name()
            n = len(report.errors)
            errors = self.tr("<b>1 error</b>: fix before training") if n == 1 else \
                self.tr("<b>{0} errors</b>: fix before training").format(n)
            text += f"<br><span style='color:{color}'>{errors}</span>"
        elif report.warnings:
            color = theme.status_color("warning").name()
            warnings = self.tr("{0} warning(s)").format(len(report.warnings))
            text += f"<br><span style='color:{color}'>{warnings}</span>"
        self.totals.setText(text)
        preset = PRESETS.get(spec.name)
        if preset is not None:
            acc = f"{preset.reported_accuracy:.2%}" if preset.reported_accuracy is not None else self.tr("not reported")
            self.preset_label.setText(f"{preset.description}. <i>"
                                      + self.tr("Reported accuracy: {0} on {1}.").format(acc, preset.dataset) + "</i>")
            self.preset_label.setToolTip(self._preset_tip(preset))
        else:
            self.preset_label.setText(f"<i>{spec.name}</i>: " + self.tr("{0} layers").format(len(spec.layers)))
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
    def _commit(self, edit: Edit | None, select: int | None = None) -> bool:
        """Apply ``edit`` as one undo step and select row ``select`` when it took."""
        if edit is None or not self.state.edit_spec(*edit):
            return False
        if select is not None:
            self.select(select)
        return True

    def add_layer(self, kind: str, index: int | None = None) -> None:
        """Insert a new ``kind`` layer after the selection (or at ``index``; default: the end)."""
        if index is None:
            sel = self.selected_index()
            index = len(self.state.spec.layers) if sel is None else sel + 1
        self._commit(add_edit(self.state.spec, kind, index), index)

    def delete_selected(self) -> None:
        index = self.selected_index()
        if index is None:
            return
        spec, text = delete_edit(self.state.spec, index)
        self.state.edit_spec(spec, text)
        if spec.layers:
            self.select(min(index, len(spec.layers) - 1))

    def duplicate_selected(self) -> None:
        index = self.selected_index()
        if index is not None:
            self._commit(duplicate_edit(self.state.spec, index), index + 1)

    def move_selected(self, delta: int) -> None:
        index = self.selected_index()
        if index is not None:
            self.move_layer(index, index + delta)

    @Slot(int, int)
    def move_layer(self, src: int, dest: int) -> None:
        self._commit(move_edit(self.state.spec, src, dest), dest)

    @Slot(object)
    def apply_problem_fix(self, problem: Problem) -> None:
        if problem.fix is not None:
            self._commit(fix_edit(self.state.spec, problem.fix))

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
        self.state.edit_spec(spec, self.tr("Load preset {0}").format(name))
        self.select(None)
        self.presetChosen.emit(preset)

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(470, 700)
