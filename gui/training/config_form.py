"""The training settings form, built from ``TrainConfig``'s field descriptions.

Each field with an app label (``engine.training.config.settings``) gets one widget: a combo
box for choices, a check box for a flag, a spin box with the described range for a number.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout, QHBoxLayout, QSpinBox, QWidget

from engine.training.config import Setting, TrainConfig, settings

__all__ = ["ConfigForm", "setting_box"]

_CASTS = {"int": int, "float": float, "bool": bool, "str": str}


def setting_box(setting: Setting) -> QWidget:
    """The widget that edits ``setting``, showing its default."""
    if setting.choices or setting.suggestions:
        box = QComboBox()
        box.addItems(list(setting.choices or setting.suggestions))
        box.setCurrentText(str(setting.default))
    elif setting.type == "bool":
        box = QCheckBox(setting.label)
        box.setChecked(bool(setting.default))
    elif setting.type == "int":
        box = QSpinBox()
        box.setRange(int(setting.minimum), int(setting.maximum))
        box.setValue(int(setting.default))
    else:
        box = QDoubleSpinBox()
        if setting.decimals is not None:
            box.setDecimals(setting.decimals)  # before the range, which it would round
        box.setRange(float(setting.minimum), float(setting.maximum))
        if setting.step is not None:
            box.setSingleStep(setting.step)
        box.setValue(float(setting.default))
        if setting.adaptive_step:
            box.setStepType(QDoubleSpinBox.StepType.AdaptiveDecimalStepType)
    if setting.tooltip:
        box.setToolTip(setting.tooltip)
    box.setAccessibleName(setting.label)
    return box


def _value(box: QWidget) -> Any:
    if isinstance(box, QComboBox):  # an item's data is its value when it has one (devices: "cuda:0")
        data = box.currentData()
        return data if data is not None else box.currentText()
    if isinstance(box, QCheckBox):
        return box.isChecked()
    return box.value()


def _show(box: QWidget, value: Any) -> None:
    if isinstance(box, QComboBox):
        index = box.findData(value)
        if index >= 0:
            box.setCurrentIndex(index)
        else:
            box.setCurrentText(str(value))
    elif isinstance(box, QCheckBox):
        box.setChecked(bool(value))
    else:
        box.setValue(value)


class ConfigForm:
    """The widgets of the app's training settings, added to a ``QFormLayout`` in field order."""

    def __init__(self, form: QFormLayout):
        self.settings = {s.name: s for s in settings() if s.in_app}
        self.widgets: dict[str, QWidget] = {}
        hosts = {s.beside for s in self.settings.values() if s.beside}
        rows: dict[str, QHBoxLayout] = {}
        for name, setting in self.settings.items():
            box = self.widgets[name] = setting_box(setting)
            if setting.beside:
                rows[setting.beside].addWidget(box)
            elif name in hosts:
                rows[name] = QHBoxLayout()
                rows[name].addWidget(box, 1)
                form.addRow(f"{setting.label}:", rows[name])
            else:
                form.addRow("" if setting.type == "bool" else f"{setting.label}:", box)
        self._enabled = True
        for name in {s.needs[0] for s in self.settings.values() if s.needs}:  # e.g. init σ follows the init
            box = self.widgets[name]
            if isinstance(box, QComboBox):
                box.currentTextChanged.connect(lambda _text: self.set_enabled(self._enabled))

    def values(self) -> dict[str, Any]:
        """The form's settings by field name."""
        return {name: _value(box) for name, box in self.widgets.items()}

    def show_value(self, name: str, value: Any) -> None:
        _show(self.widgets[name], _CASTS[self.settings[name].type](value))

    def apply_preset(self, training: Mapping[str, Any]) -> None:
        """A preset's ``training`` settings; the ones it omits keep their value or return to the
        default, as each field's ``preset`` says."""
        for name, setting in self.settings.items():
            if setting.preset is None:
                continue
            if name in training:
                self.show_value(name, training[name])
            elif setting.preset == "or_default":
                self.show_value(name, setting.default)

    def show_config(self, config: TrainConfig) -> None:
        """``config``'s settings (from a model file), except those that belong to the machine."""
        self.apply_preset({name: getattr(config, name) for name, s in self.settings.items() if s.preset})
        for name, setting in self.settings.items():
            if not setting.preset and not setting.machine:
                self.show_value(name, getattr(config, name))

    def set_enabled(self, enabled: bool) -> None:
        """Enable the form (while no run is going); a setting that ``needs`` another's value only then."""
        self._enabled = enabled
        values = self.values()
        for name, setting in self.settings.items():
            needed = setting.needs is None or values[setting.needs[0]] == setting.needs[1]
            self.widgets[name].setEnabled(enabled and needed)
