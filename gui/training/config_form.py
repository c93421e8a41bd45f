"""The training settings form, built from ``TrainConfig``'s field descriptions.

Each field with an app label (``engine.training.config.settings``) gets one widget: a combo
box for choices, a check box for a flag, a spin box with the described range for a number.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout, QHBoxLayout, QSpinBox, QWidget

from engine.training.config import Setting, TrainConfig, settings

__all__ = ["SETTING_TEXTS", "ConfigForm", "setting_box"]

#: Every setting's label and tooltip (English in the engine), for the translators; shown through ``_tr``.
SETTING_TEXTS = (
    QT_TRANSLATE_NOOP("ConfigForm", "Optimizer"),
    QT_TRANSLATE_NOOP("ConfigForm", "Learning rate"),
    QT_TRANSLATE_NOOP("ConfigForm", "Momentum"),
    QT_TRANSLATE_NOOP("ConfigForm", "Nesterov"),
    QT_TRANSLATE_NOOP("ConfigForm", "Weight decay"),
    QT_TRANSLATE_NOOP("ConfigForm", "Batch size"),
    QT_TRANSLATE_NOOP("ConfigForm", "Epochs"),
    QT_TRANSLATE_NOOP("ConfigForm", "Schedule"),
    QT_TRANSLATE_NOOP("ConfigForm", "none: constant; step: ×0.1 every third of the run; cosine: smooth decay to 0; onecycle: warm up then decay"),  # noqa: E501
    QT_TRANSLATE_NOOP("ConfigForm", "augment training images"),
    QT_TRANSLATE_NOOP("ConfigForm", "random shifts and rotations for digit-like images, random crops and flips for colour photos"),  # noqa: E501
    QT_TRANSLATE_NOOP("ConfigForm", "Label smoothing"),
    QT_TRANSLATE_NOOP("ConfigForm", "Seed"),
    QT_TRANSLATE_NOOP("ConfigForm", "shuffle each epoch"),
    QT_TRANSLATE_NOOP("ConfigForm", "off: every epoch sees the training images in the dataset's own order, like a DataLoader without shuffle=True"),  # noqa: E501
    QT_TRANSLATE_NOOP("ConfigForm", "Normalisation"),
    QT_TRANSLATE_NOOP("ConfigForm", "dataset: (x − the dataset's mean) / its std; mnist: MNIST's 0.1307 / 0.3081 whatever the dataset; none: pixels scaled to 0..1 only (ToTensor)"),  # noqa: E501
    QT_TRANSLATE_NOOP("ConfigForm", "Weight init"),
    QT_TRANSLATE_NOOP("ConfigForm", "default: PyTorch's; xavier_*: Glorot, √(6/(in+out)) or √(2/(in+out)); kaiming_*: He for ReLU, √(6/in) or √(2/in) (biases keep PyTorch's default); normal: N(0, σ) with biases 0"),  # noqa: E501
    QT_TRANSLATE_NOOP("ConfigForm", "Init σ"),
    QT_TRANSLATE_NOOP("ConfigForm", "Init layers"),
    QT_TRANSLATE_NOOP("ConfigForm", "which layers' weights the initialisation redraws"),
    QT_TRANSLATE_NOOP("ConfigForm", "record layer statistics"),
    QT_TRANSLATE_NOOP("ConfigForm", "weight, gradient and activation statistics of every layer on a fixed batch, about 2% of the training time; shown in Layers over time"),  # noqa: E501
    QT_TRANSLATE_NOOP("ConfigForm", "Device"),
    QT_TRANSLATE_NOOP("ConfigForm", "Precision"),
    QT_TRANSLATE_NOOP("ConfigForm", "auto: bfloat16 arithmetic where this CPU has native bf16 and a short probe shows it is faster, else float32; weights and optimizer stay float32. CUDA always trains in mixed precision"),  # noqa: E501
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("ConfigForm", text) if text else text


_CASTS = {"int": int, "float": float, "bool": bool, "str": str}


def setting_box(setting: Setting) -> QWidget:
    """The widget that edits ``setting``, showing its default."""
    if setting.choices or setting.suggestions:
        box = QComboBox()
        box.addItems(list(setting.choices or setting.suggestions))
        box.setCurrentText(str(setting.default))
    elif setting.type == "bool":
        box = QCheckBox(_tr(setting.label))
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
        box.setToolTip(_tr(setting.tooltip))
    box.setAccessibleName(_tr(setting.label))
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
                form.addRow(_tr(setting.label) + ":", rows[name])
            else:
                form.addRow("" if setting.type == "bool" else _tr(setting.label) + ":", box)
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
