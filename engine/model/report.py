"""What the shape analysis reports: per-layer rows, totals, and problems that carry a fix.

Pure data (no torch). ``Fix`` is an edit of the spec as data, so the GUI can offer it as one
click and ``engine.model.shapes.apply_fix`` performs it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["BYTES_PER_VALUE", "Fix", "Problem", "LayerReport", "ShapeReport", "format_shape"]

BYTES_PER_VALUE = 4  # float32 activations


@dataclass(frozen=True)
class Fix:
    """A suggested edit of the spec, as data.

    ``action`` is ``set`` (layer ``index``, ``key`` → ``value``), ``insert`` (``layers`` at
    ``index``), ``remove`` (layer ``index``), ``replace`` (layer ``index`` by ``layers[0]``) or
    ``set_input`` (the network's input to ``value``, ``[C, H, W]``; ``index`` unused).
    """

    label: str
    action: str
    index: int
    key: str | None = None
    value: Any = None
    layers: tuple[dict[str, Any], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["layers"] = [dict(layer) for layer in self.layers]
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Fix:
        return cls(
            label=data["label"],
            action=data["action"],
            index=data["index"],
            key=data.get("key"),
            value=data.get("value"),
            layers=tuple(dict(layer) for layer in data.get("layers", ())),
        )


@dataclass(frozen=True)
class Problem:
    """An error (or warning) found before building, naming its layer and a fix."""

    index: int | None
    layer: str | None
    message: str
    fix: Fix | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "layer": self.layer,
            "index": self.index,
            "message": self.message,
            "fix": self.fix.to_dict() if self.fix else None,
        }


@dataclass(frozen=True)
class LayerReport:
    """What one layer does to the shape, and what it costs (per image)."""

    index: int
    name: str
    type: str
    settings: str
    input_shape: tuple[int, ...]
    output_shape: tuple[int, ...]
    params: int
    buffers: int
    macs: int
    receptive_field: tuple[int, int]
    jump: tuple[int, int]
    activation_bytes: int

    def to_dict(self) -> dict[str, Any]:
        rf = self.receptive_field
        return {
            "name": self.name,
            "type": self.type,
            "settings": self.settings,
            "input_shape": list(self.input_shape),
            "output_shape": list(self.output_shape),
            "params": self.params,
            "buffers": self.buffers,
            "macs": self.macs,
            "receptive_field": rf[0] if rf[0] == rf[1] else list(rf),
            "jump": self.jump[0] if self.jump[0] == self.jump[1] else list(self.jump),
            "activation_bytes": self.activation_bytes,
        }


@dataclass(frozen=True)
class ShapeReport:
    """Per-layer reports up to the first shape error, the problems, and the totals."""

    input_shape: tuple[int, ...]
    num_classes: int
    layers: tuple[LayerReport, ...]
    errors: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()
    names: tuple[str, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def total_params(self) -> int:
        return sum(layer.params for layer in self.layers)

    @property
    def total_buffers(self) -> int:
        return sum(layer.buffers for layer in self.layers)

    @property
    def total_macs(self) -> int:
        return sum(layer.macs for layer in self.layers)

    @property
    def total_activation_bytes(self) -> int:
        """Memory of every layer's output for one image (float32), input included."""
        return math.prod(self.input_shape) * BYTES_PER_VALUE + sum(layer.activation_bytes for layer in self.layers)

    @property
    def output_shape(self) -> tuple[int, ...]:
        return self.layers[-1].output_shape if self.layers else self.input_shape

    def errors_for(self, index: int) -> list[Problem]:
        return [p for p in self.errors + self.warnings if p.index == index]

    def to_dict(self) -> dict[str, Any]:
        return {
            "input_shape": list(self.input_shape),
            "num_classes": self.num_classes,
            "layers": [layer.to_dict() for layer in self.layers],
            "total_params": self.total_params,
            "total_buffers": self.total_buffers,
            "total_macs": self.total_macs,
            "total_activation_bytes": self.total_activation_bytes,
            "errors": [p.to_dict() for p in self.errors],
            "warnings": [p.to_dict() for p in self.warnings],
        }


def format_shape(shape: tuple[int, ...]) -> str:
    return "×".join(str(v) for v in shape)
