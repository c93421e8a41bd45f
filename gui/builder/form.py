"""The form that edits the selected layer: one editor per setting, ranges from the layer registry.

Every change becomes one undoable spec edit named like "Set conv1 padding to 2"; repeated
changes of the same setting while the layer stays selected merge into one undo step.
"""

from __future__ import annotations

import itertools
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal, Slot
from PySide6.QtGui import QDoubleValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from engine.model.layers import LAYERS
from engine.model.param import Param
from engine.model.spec import NetworkSpec, SpecError
from gui.state import AppState

#: The settings' row labels (their keys with spaces), translated where shown.
PARAM_LABELS = (QT_TRANSLATE_NOOP("LayerForm", "out channels"),
                QT_TRANSLATE_NOOP("LayerForm", "kernel size"),
                QT_TRANSLATE_NOOP("LayerForm", "stride"),
                QT_TRANSLATE_NOOP("LayerForm", "padding"),
                QT_TRANSLATE_NOOP("LayerForm", "dilation"),
                QT_TRANSLATE_NOOP("LayerForm", "bias"),
                QT_TRANSLATE_NOOP("LayerForm", "out features"),
                QT_TRANSLATE_NOOP("LayerForm", "output size"),
                QT_TRANSLATE_NOOP("LayerForm", "negative slope"),
                QT_TRANSLATE_NOOP("LayerForm", "eps"),
                QT_TRANSLATE_NOOP("LayerForm", "momentum"))


def format_value(value: Any, key: str = "") -> str:
    """A setting as a person reads it: 3, 5×3, same, on, 0.25."""
    if value is None:
        return "window size" if key == "stride" else "default"
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, (list, tuple)):
        return str(value[0]) if value[0] == value[1] else f"{value[0]}×{value[1]}"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


class _IntSpin(QSpinBox):
    def __init__(self, param: Param, parent: QWidget | None = None):
        super().__init__(parent)
        self.setRange(int(param.minimum if param.minimum is not None else 0),
                      int(param.maximum if param.maximum is not None else 1 << 30))
        self.setKeyboardTracking(False)  # one edit per typed number, not per keystroke
        self.setAccelerated(True)


class PairEditor(QWidget):
    """Height and width spin boxes with a "square" link; optionally "same" or "= window" (None)."""

    valueChanged = Signal(object)

    def __init__(self, param: Param, parent: QWidget | None = None):
        super().__init__(parent)
        self._param = param
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.h = _IntSpin(param)
        self.w = _IntSpin(param)
        self.h.setToolTip(self.tr("height"))
        self.w.setToolTip(self.tr("width"))
        self.square = QCheckBox(self.tr("square"))
        self.square.setToolTip(self.tr("keep height and width equal"))
        layout.addWidget(self.h)
        layout.addWidget(QLabel("×"))
        layout.addWidget(self.w)
        layout.addWidget(self.square)
        self.special: QCheckBox | None = None
        if param.kind == "padding":
            self.special = QCheckBox(self.tr("same"))
            self.special.setToolTip(self.tr('padding "same": the output keeps the input\'s height and width '
                                    "(stride 1 only)"))
        elif param.kind == "pair_or_none":
            self.special = QCheckBox(self.tr("= window"))
            self.special.setToolTip(self.tr("step by the window size (the default)"))
        if self.special is not None:
            layout.addWidget(self.special)
            self.special.toggled.connect(self._changed)
        layout.addStretch(1)
        self.h.valueChanged.connect(self._h_changed)
        self.w.valueChanged.connect(self._changed)
        self.square.toggled.connect(self._square_toggled)

    def setValue(self, value: Any) -> None:  # noqa: N802 (Qt style)
        widgets = [self.h, self.w, self.square] + ([self.special] if self.special else [])
        for widget in widgets:
            widget.blockSignals(True)
        try:
            special = value is None or value == "same"
            if self.special is not None:
                self.special.setChecked(special)
            if special:
                value = self._param.default if isinstance(self._param.default, int) else 1
                if self._param.kind == "pair_or_none":
                    value = self.h.value() or 1
            h, w = (value, value) if isinstance(value, int) else (int(value[0]), int(value[1]))
            self.h.setValue(h)
            self.w.setValue(w)
            self.square.setChecked(h == w)
            self._sync_enabled()
        finally:
            for widget in widgets:
                widget.blockSignals(False)

    def value(self) -> Any:
        if self.special is not None and self.special.isChecked():
            return "same" if self._param.kind == "padding" else None
        h, w = self.h.value(), self.w.value()
        return h if (self.square.isChecked() or h == w) else [h, w]

    def _sync_enabled(self) -> None:
        special = self.special is not None and self.special.isChecked()
        self.h.setEnabled(not special)
        self.w.setEnabled(not special and not self.square.isChecked())
        self.square.setEnabled(not special)

    @Slot(int)
    def _h_changed(self, value: int) -> None:
        if self.square.isChecked():
            self.w.blockSignals(True)
            self.w.setValue(value)
            self.w.blockSignals(False)
        self._changed()

    @Slot(bool)
    def _square_toggled(self, on: bool) -> None:
        if on and self.w.value() != self.h.value():
            self.w.blockSignals(True)
            self.w.setValue(self.h.value())
            self.w.blockSignals(False)
            self._changed()
        self._sync_enabled()

    @Slot()
    def _changed(self, *_args: Any) -> None:
        self._sync_enabled()
        self.valueChanged.emit(self.value())


class FloatEditor(QWidget):
    """A number in the schema's range: a spin box, or a text field for tiny values like eps."""

    valueChanged = Signal(object)

    def __init__(self, param: Param, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        lo = param.minimum if param.minimum is not None else -1e9
        hi = param.maximum if param.maximum is not None else 1e9
        self.line_edit: QLineEdit | None = None
        self.spin_box: QDoubleSpinBox | None = None
        if lo > 0 and lo < 1e-3:  # eps-like: scientific notation
            self.line_edit = QLineEdit()
            validator = QDoubleValidator(lo, hi, 15, self.line_edit)
            validator.setNotation(QDoubleValidator.Notation.ScientificNotation)
            self.line_edit.setValidator(validator)
            self.line_edit.setToolTip(self.tr("between {0} and {1}").format(f"{lo:g}", f"{hi:g}"))
            self.line_edit.editingFinished.connect(self._line_done)
            layout.addWidget(self.line_edit)
        else:
            self.spin_box = QDoubleSpinBox()
            self.spin_box.setDecimals(3)
            step = 10 ** -3
            self.spin_box.setRange(lo, hi - step if param.exclusive_max else hi)
            self.spin_box.setSingleStep(0.05 if hi <= 1 else 0.1)
            self.spin_box.setKeyboardTracking(False)
            self.spin_box.valueChanged.connect(lambda v: self.valueChanged.emit(float(v)))
            layout.addWidget(self.spin_box)
        layout.addStretch(1)

    def setValue(self, value: float) -> None:  # noqa: N802
        if self.spin_box is not None:
            self.spin_box.blockSignals(True)
            self.spin_box.setValue(float(value))
            self.spin_box.blockSignals(False)
        else:
            self.line_edit.setText(f"{float(value):g}")

    def _line_done(self) -> None:
        try:
            self.valueChanged.emit(float(self.line_edit.text()))
        except ValueError:
            pass


class LayerForm(QWidget):
    """Edits one layer of ``state.spec``; ``set_layer(index)`` picks it (None: nothing selected)."""

    _serial = itertools.count(1)

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(parent)
        self._state = state
        self._index: int | None = None
        self._kind: str | None = None
        self._editors: dict[str, QWidget] = {}
        self._session = 0  # changes when another layer is picked: undo merging stops there
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.RichText)
        outer.addWidget(self.title)
        self._form_host = QWidget()
        self._form = QFormLayout(self._form_host)
        self._form.setContentsMargins(0, 0, 0, 0)
        self._form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        outer.addWidget(self._form_host)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #C62828;")
        self.error.hide()
        outer.addWidget(self.error)
        state.specChanged.connect(self._spec_changed)
        self.set_layer(None)

    @property
    def index(self) -> int | None:
        return self._index

    def editor(self, key: str) -> QWidget:
        return self._editors[key]

    def set_layer(self, index: int | None) -> None:
        spec = self._state.spec
        if index is not None and not 0 <= index < len(spec.layers):
            index = None
        kind = spec.layers[index]["type"] if index is not None else None
        if index != self._index or kind != self._kind:
            self._session = next(self._serial)
        rebuild = kind != self._kind or index is None
        self._index, self._kind = index, kind
        if rebuild:
            self._rebuild()
        self._load_values()

    def _rebuild(self) -> None:
        while self._form.rowCount():
            self._form.removeRow(0)
        self._editors = {}
        if self._kind is None:
            return
        for key, param in LAYERS[self._kind].schema.items():
            editor = self._make_editor(key, param)
            label = QLabel(self.tr(key.replace("_", " ")))
            tip = param.help + self._range_text(param)
            label.setToolTip(tip)
            editor.setToolTip(tip)
            editor.setObjectName(f"edit_{key}")
            self._form.addRow(label, editor)
            self._editors[key] = editor

    @staticmethod
    def _range_text(param: Param) -> str:
        if param.minimum is None or param.kind == "bool":
            return ""
        hi = f"below {param.maximum:g}" if param.exclusive_max else f"up to {param.maximum:g}"
        return f" ({param.minimum:g} {hi})"

    def _make_editor(self, key: str, param: Param) -> QWidget:
        if param.kind == "int":
            editor = _IntSpin(param)
            editor.valueChanged.connect(lambda v, k=key: self._edit(k, int(v)))
        elif param.kind == "float":
            editor = FloatEditor(param)
            editor.valueChanged.connect(lambda v, k=key: self._edit(k, float(v)))
        elif param.kind == "bool":
            editor = QCheckBox()
            editor.toggled.connect(lambda v, k=key: self._edit(k, bool(v)))
        else:
            editor = PairEditor(param)
            editor.valueChanged.connect(lambda v, k=key: self._edit(k, v))
        return editor

    def _load_values(self) -> None:
        spec = self._state.spec
        if self._index is None:
            self.title.setText(self.tr("<i>Select a layer to edit its settings.</i>"))
            self.error.hide()
            return
        layer = spec.layers[self._index]
        name = spec.names[self._index]
        self.title.setText(f"<b>{name}</b> &nbsp;·&nbsp; {self._kind}")
        for key, param in LAYERS[self._kind].schema.items():
            editor = self._editors[key]
            value = layer.get(key, param.default)
            editor.blockSignals(True)
            try:
                if isinstance(editor, QCheckBox):
                    editor.setChecked(bool(value))
                else:
                    editor.setValue(value)
            finally:
                editor.blockSignals(False)

    def _edit(self, key: str, value: Any) -> None:
        if self._index is None:
            return
        spec = self._state.spec
        layers = [dict(layer) for layer in spec.layers]
        layers[self._index][key] = value
        name = spec.names[self._index]
        try:
            new = spec.with_layers(layers)
        except SpecError as exc:  # the editors keep values in range; this is a safety net
            self.error.setText(str(exc))
            self.error.show()
            return
        self.error.hide()
        self._state.edit_spec(new, self.tr("Set {0} {1} to {2}").format(name, key, format_value(value, key)),
                              merge_key=("set", self._session, self._index, key))

    @Slot(object)
    def _spec_changed(self, spec: NetworkSpec) -> None:
        self.set_layer(self._index)
