"""The layer registry: ``LAYERS[type]`` is the one ``LayerType`` record per layer type.

Spec validation, shape inference, building, the builder's palette and form, and the viewers'
colour maps all read from here; a new layer type is one entry in one of the modules below.
Pure Python: torch is imported only when a layer is built.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from engine.model.layers.base import GROUPS, OUTPUT_SIGNS, LayerInput, LayerProblem, LayerType
from engine.model.layers.classifier import CLASSIFIER_LAYERS
from engine.model.layers.elementwise import ELEMENTWISE_LAYERS
from engine.model.layers.windows import WINDOW_LAYERS

__all__ = [
    "GROUPS",
    "LAYERS",
    "OUTPUT_SIGNS",
    "PALETTE_GROUPS",
    "LayerInput",
    "LayerProblem",
    "LayerType",
    "signed_outputs",
]

#: Every layer type by name, in palette order.
LAYERS: dict[str, LayerType] = {
    entry.name: entry for entry in sorted(WINDOW_LAYERS + ELEMENTWISE_LAYERS + CLASSIFIER_LAYERS,
                                          key=lambda entry: GROUPS.index(entry.group))
}

#: ``(group title, type names)`` in the order a person builds a CNN.
PALETTE_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (group, tuple(name for name, entry in LAYERS.items() if entry.group == group)) for group in GROUPS
)


def signed_outputs(layers: Sequence[Mapping[str, Any]], *, input_signed: bool = True) -> list[bool]:
    """Per layer: can its output be negative (so a diverging colour map fits)?

    "signed" and "nonnegative" types decide for themselves; the others follow the layer before,
    the first one the input. The input counts as signed by default, as the normalised images
    the viewers show are.
    """
    out: list[bool] = []
    previous = input_signed
    for layer in layers:
        entry = LAYERS.get(str(layer.get("type")))
        sign = entry.output_sign if entry is not None else "follows"
        previous = True if sign == "signed" else False if sign == "nonnegative" else previous
        out.append(previous)
    return out
