"""The note's own per-epoch test accuracy as a dashed "note" curve on the accuracy plot.

When a run starts, ``NoteCurve`` looks at what trains: a preset that its note trained and printed
per-epoch numbers for (``Preset.note_curve``), unedited, on the note's dataset or on its bundled
sample. Then the note's numbers go to ``TrainingPlots.set_reference_curve``; otherwise the curve
is cleared, so a curve never sits beside a run it does not describe.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Slot

__all__ = ["NoteCurve", "note_reference"]


def note_reference(spec: Any, dataset: str) -> tuple[str, list[float], list[float]] | None:
    """(label, epochs, accuracies as fractions) of the note behind ``spec`` trained on ``dataset``,
    or None when ``spec`` is not an unedited note preset with published numbers for that dataset."""
    from engine.data.samples import sample_of
    from engine.model.presets import PRESETS, is_unedited_preset

    preset = PRESETS.get(getattr(spec, "name", ""))
    curve = preset.note_curve if preset is not None else None
    if not curve or not curve.get("test_accuracy") or not is_unedited_preset(spec):
        return None
    full = curve["dataset"]
    if dataset == full:
        label = QCoreApplication.translate("NoteCurve", "note ({0})").format(preset.name)
    elif dataset == sample_of(full):
        label = QCoreApplication.translate("NoteCurve", "note ({0}, on the full set)").format(preset.name)
    else:
        return None
    return label, [float(e) for e in curve["epochs"]], [float(a) for a in curve["test_accuracy"]]


class NoteCurve(QObject):
    """Shows or clears the note curve of ``panel.plots`` at the start of each run of ``panel``."""

    def __init__(self, panel: Any):
        super().__init__(panel)
        self.panel = panel
        self.shown: str | None = None  # the curve's label while one is shown
        panel.controller.started.connect(self.on_started)

    @Slot(object)
    def on_started(self, info: Any) -> None:
        """``info``: the run's ``StartInfo`` (its dataset name)."""
        reference = note_reference(self.panel.state.spec, getattr(info, "dataset", ""))
        if reference is None:
            if self.shown is not None:
                self.panel.plots.set_reference_curve(None)
            self.shown = None
            return
        label, epochs, accuracy = reference
        self.panel.plots.set_reference_curve(label, epochs, accuracy)
        self.shown = label
