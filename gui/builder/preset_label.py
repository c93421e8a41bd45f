"""What the preset selector says: the preset actually loaded ("seed000"), "seed000 (edited)" once the
layers differ from it, or the network's own name for one that is not a preset."""

from __future__ import annotations

from typing import Any

from engine.model.presets import PRESETS
from engine.model.shapes import adapt_to_dataset
from engine.model.spec import NetworkSpec, resolve_layer

__all__ = ["EDITED", "is_unedited_preset", "preset_label"]

EDITED = " (edited)"
CUSTOM = " (custom)"


def _resolved(spec: NetworkSpec) -> list[dict[str, Any]] | None:
    try:
        return [resolve_layer(layer) for layer in spec.layers]
    except (KeyError, TypeError, ValueError):  # a layer the builder still shows as an error
        return None


def is_unedited_preset(spec: NetworkSpec) -> bool:
    """Whether ``spec`` is its namesake preset as loaded, for the spec's input and class count
    (a dataset change is not an edit; a setting written out at its default value is none either)."""
    preset = PRESETS.get(spec.name)
    if preset is None:
        return False
    loaded = adapt_to_dataset(preset.spec, tuple(spec.input), spec.num_classes)
    mine = _resolved(spec)
    return mine is not None and mine == _resolved(loaded)


def preset_label(spec: NetworkSpec) -> str:
    """The selector's text for ``spec``: ``seed000``, ``seed000 (edited)`` or ``my-net (custom)``."""
    if spec.name not in PRESETS:
        return spec.name + CUSTOM
    return spec.name if is_unedited_preset(spec) else spec.name + EDITED
