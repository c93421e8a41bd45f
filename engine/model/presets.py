"""Reference networks from the seed notes, plus LeNet-5 and a small VGG for CIFAR-10.

The networks and their training settings are data, in ``presets.json`` next to this module.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from engine.model.shapes import adapt_to_dataset
from engine.model.spec import NetworkSpec, resolve_layer

__all__ = ["Preset", "PRESETS", "get_preset", "is_unedited_preset", "preset_names"]


@dataclass(frozen=True)
class Preset:
    """A named network with where it comes from and how its source trained it."""

    name: str
    description: str
    source: str
    dataset: str
    spec: NetworkSpec
    training: dict[str, Any] = field(default_factory=dict)
    reported_accuracy: float | None = None
    notes: str = ""
    borrowed: str = ""  # what a note's preset takes from elsewhere ("" when all of it is in the note)
    note_curve: dict[str, Any] | None = None  # the note's per-epoch numbers: dataset, epochs, test_accuracy, …

    @property
    def from_note(self) -> bool:
        """Whether the preset is one of the seed notes' networks."""
        return self.source.startswith("seed ")

    @property
    def all_from_note(self) -> bool:
        """Whether the network and its training settings are all the note's own."""
        return self.from_note and not self.borrowed

    def to_dict(self) -> dict[str, Any]:
        """Every field as JSON-ready data, the spec last."""
        data = {item.name: getattr(self, item.name) for item in fields(self) if item.name != "spec"}
        data["training"] = dict(self.training)
        data["note_curve"] = dict(self.note_curve) if self.note_curve else None
        data["spec"] = self.spec.to_dict()
        return data


PRESETS_FILE = Path(__file__).with_name("presets.json")


def _read_presets(path: Path) -> list[Preset]:
    """Presets from ``path``: a list of objects with the ``Preset`` fields, plus the network's
    ``input`` and ``layers`` (a spec, named like its preset, for 10 classes)."""
    presets = []
    for entry in json.loads(path.read_text(encoding="utf-8")):
        entry = dict(entry)
        spec = NetworkSpec.from_dict({"name": entry["name"], "input": entry.pop("input"), "num_classes": 10,
                                      "layers": entry.pop("layers")})
        presets.append(Preset(spec=spec, **entry))
    return presets


PRESETS: dict[str, Preset] = {preset.name: preset for preset in _read_presets(PRESETS_FILE)}


def preset_names() -> list[str]:
    return list(PRESETS)


def get_preset(name: str) -> Preset:
    """The preset called ``name``; ``KeyError`` with the valid names otherwise."""
    try:
        return PRESETS[name]
    except KeyError:
        raise KeyError(f"unknown preset {name!r}; choose one of: {', '.join(PRESETS)}") from None


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
