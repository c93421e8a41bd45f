"""Pieces of the *Layers over time* view: the warnings with their fix buttons, the heat map's
resampling onto steps, the background measurement of a model as it is, and where a fix leads."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

__all__ = ["WarningList", "focus_setting", "measure_weights", "step_grid"]

def _fix_label(setting: str) -> str:
    labels = {
        "lr": QCoreApplication.translate("LayersView", "Learning rate…"),
        "activation": QCoreApplication.translate("LayersView", "Change the activation…"),
        "batchnorm": QCoreApplication.translate("LayersView", "Add BatchNorm…"),
    }
    return labels.get(setting, setting)


class WarningList(QWidget):
    """One row per ``Finding``: its message and a button that leads to the setting that helps.
    ``fixRequested(setting, layer)`` when a button is pressed."""

    fixRequested = Signal(str, str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(2)
        self._shown: tuple = ()
        self.buttons: list[QPushButton] = []

    def set_findings(self, findings: Sequence[Any]) -> None:
        key = tuple((f.layer, f.kind, f.message) for f in findings)
        if key == self._shown:
            return  # unchanged: no flicker at 5 Hz
        self._shown = key
        while self._layout.count():
            item = self._layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.buttons = []
        for finding in findings[:6]:
            line = QWidget()
            row = QHBoxLayout(line)
            row.setContentsMargins(0, 0, 0, 0)
            text = QLabel("⚠ " + finding.message)
            text.setObjectName("layerWarning")
            button = QPushButton(_fix_label(finding.setting))
            button.setToolTip(QCoreApplication.translate("LayersView", "Show the setting that helps"))
            button.clicked.connect(lambda _=False, f=finding: self.fixRequested.emit(f.setting, f.layer))
            row.addWidget(text, 1)
            row.addWidget(button)
            self.buttons.append(button)
            self._layout.addWidget(line)
        if len(findings) > 6:
            self._layout.addWidget(QLabel(QCoreApplication.translate("LayersView", "… and {0} more").format(
                len(findings) - 6)))
        self.setVisible(bool(findings))

    def messages(self) -> list[str]:
        return [m for _layer, _kind, m in self._shown]


def step_grid(steps: np.ndarray, columns: int) -> np.ndarray:
    """For ``columns`` evenly spaced steps from the first sample's to the last's, the index of the
    latest sample at or before each (samples are irregular: the interval adapts)."""
    if len(steps) == 0:
        return np.zeros(0, dtype=int)
    grid = np.linspace(steps[0], steps[-1], max(1, columns))
    return np.clip(np.searchsorted(steps, grid, side="right") - 1, 0, len(steps) - 1)


def measure_weights(spec: Any, weights: Any, images: Any, labels: Any, mean: Any, std: Any, *,
                    progress: Callable[[float], None], cancelled: Callable[[], bool]) -> Any:
    """A ``LayerStats`` of ``spec`` with ``weights`` (None: its initialisation) on ``images`` (uint8)."""
    import torch

    from engine.model.build import build_model
    from engine.training.evaluate import prepare_batch
    from engine.training.stats_probe import measure_once

    torch.manual_seed(0)
    model = build_model(spec)
    if weights is not None:
        model.load_state_dict({k: torch.as_tensor(np.array(v)) for k, v in weights.items()})
    progress(0.3)
    x = prepare_batch(images, tuple(mean), tuple(std), False)
    return measure_once(model, x, labels.long())


def focus_setting(setting: str, layer: str, spec: Any, *, training: Any, training_dock: Any, builder: Any,
                  builder_dock: Any) -> str:
    """Bring the setting that helps to the front; returns a status line saying what to do there."""
    if setting == "lr":
        training_dock.raise_()
        running = getattr(training, "live_lr_spin", None)
        box = running if running is not None and running.isVisible() else training.config_form.widgets["lr"]
        box.setFocus()
        return QCoreApplication.translate("LayersView", "Lower the learning rate (try a tenth) and train again.")
    builder_dock.raise_()
    names = [info.name for info in spec_names(spec)]
    index = names.index(layer) if layer in names else None
    if setting == "activation" and index is not None:
        after = next((i for i in range(index, len(names)) if names[i].startswith(("sig", "tanh", "relu"))), index)
        builder.select(after)
        builder.setFocus()
        return QCoreApplication.translate(
            "LayersView", "{0}: try LeakyReLU (dead units) or ReLU instead of sigmoid/tanh (vanishing gradients)."
        ).format(names[after])
    if index is not None:
        builder.select(index)
    builder.setFocus()
    return QCoreApplication.translate(
        "LayersView", "Add a BatchNorm layer after {0} (Add menu) so its outputs stay in range.").format(layer)


def spec_names(spec: Any) -> list[Any]:
    """The spec's layers as the shape report names them."""
    from engine.model.shapes import analyze

    return list(analyze(spec).layers)
