"""What the preset selector says: the preset actually loaded ("seed000"), "seed000 (edited)" once the
layers differ from it, or the network's own name for one that is not a preset; and what the status
bar says when a preset loads (``preset_status``): "settings from the note" only when they all are."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from engine.model.presets import PRESETS, is_unedited_preset
from engine.model.spec import NetworkSpec

__all__ = ["EDITED", "is_unedited_preset", "preset_label", "preset_status"]

EDITED = " (edited)"
CUSTOM = " (custom)"


def preset_label(spec: NetworkSpec) -> str:
    """The selector's text for ``spec``: ``seed000``, ``seed000 (edited)`` or ``my-net (custom)``."""
    if spec.name not in PRESETS:
        return spec.name + CUSTOM
    return spec.name if is_unedited_preset(spec) else spec.name + EDITED


def preset_status(preset: Any) -> str:
    """The status bar's message for a preset just loaded (``engine.model.presets.Preset``)."""
    if preset.all_from_note:
        return QCoreApplication.translate(
            "PresetStatus", "Loaded preset {0}: network and training settings from the note").format(preset.name)
    if preset.from_note:
        return QCoreApplication.translate(
            "PresetStatus", "Loaded preset {0}: not all from the note; {1}").format(preset.name, preset.borrowed)
    return QCoreApplication.translate(
        "PresetStatus", "Loaded preset {0}; training settings from its source").format(preset.name)
