"""What a layer type is: one frozen record holding everything ConvScope knows about it.

A ``LayerType`` has its settings (``Param`` schema), its shape rule and costs, its receptive-field
step, how it is built into a torch module (torch is imported inside the factory, so this module
and the registry load without torch), how the builder shows it and how viewers colour its output.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from engine.model.param import Param
from engine.model.report import Fix

__all__ = [
    "GROUPS",
    "OUTPUT_SIGNS",
    "HW",
    "Shape",
    "LayerInput",
    "LayerProblem",
    "LayerType",
    "hw_text",
    "torch_nn",
    "needs_image_problem",
    "window_field",
]

Shape = tuple[int, ...]
HW = tuple[int, int]

#: Palette groups, in the order a person builds a CNN.
GROUPS = ("Convolution and pooling", "Activations", "Normalisation and regularisation", "Classifier")
#: How a layer's output sign relates to its input: "follows" keeps the previous layer's.
OUTPUT_SIGNS = ("signed", "nonnegative", "follows")


class LayerProblem(Exception):
    """Raised by a shape rule when the layer cannot take what reaches it; carries a fix."""

    def __init__(self, message: str, fix: Fix | None = None):
        super().__init__(message)
        self.message = message
        self.fix = fix


@dataclass(frozen=True)
class LayerInput:
    """What a layer's rules see: its resolved settings, where it sits and what reaches it."""

    index: int
    name: str
    layer: Mapping[str, Any]  # resolved: every default filled in, pairs as (h, w)
    shape: Shape
    receptive_field: HW
    jump: HW
    network_input: HW  # height and width of the network's input image


def hw_text(value: HW) -> str:
    """``(2, 2)`` → ``2``; ``(2, 3)`` → ``2×3``."""
    return str(value[0]) if value[0] == value[1] else f"{value[0]}×{value[1]}"


def torch_nn() -> Any:
    """``torch.nn``, imported on first use so the registry itself never loads torch."""
    from torch import nn

    return nn


def needs_image_problem(step: LayerInput) -> LayerProblem:
    """The usual problem of an image layer placed after flatten: remove it."""
    kind = step.layer["type"]
    return LayerProblem(f"{step.name} ({kind}) needs a C×H×W input but gets a flat vector of {step.shape[0]} "
                        "features; spatial layers must come before flatten",
                        Fix(f"remove {step.name}", "remove", step.index))


def window_field(step: LayerInput, span: HW, stride: HW) -> tuple[HW, HW]:
    """Receptive field and jump after a window of ``span`` cells moving by ``stride``:
    ``r += (span − 1)·j``, ``j *= s``."""
    rf, jump = step.receptive_field, step.jump
    return ((rf[0] + (span[0] - 1) * jump[0], rf[1] + (span[1] - 1) * jump[1]),
            (jump[0] * stride[0], jump[1] * stride[1]))


def _same_shape(step: LayerInput) -> Shape:
    return step.shape


def _nothing(step: LayerInput) -> int:
    return 0


def _no_macs(step: LayerInput, out: Shape) -> int:
    return 0


def _unchanged_field(step: LayerInput, out: Shape) -> tuple[HW, HW]:
    return step.receptive_field, step.jump


def _no_settings(layer: Mapping[str, Any]) -> str:
    return ""


@dataclass(frozen=True)
class LayerType:
    """Everything about one layer type. Rules take a ``LayerInput``; ``out`` is the output shape.

    - ``output_shape`` returns the output shape or raises ``LayerProblem`` (with a fix);
      ``needs_image`` types get ``flat_input_problem`` instead when a flat vector reaches them.
    - ``params``/``buffers`` count learned values and other state; ``macs`` multiply–accumulates
      per image; ``receptive_field`` returns the new ``(receptive field, jump)``.
    - ``build(resolved, in_shape, inplace)`` returns the ``nn.Module``; ``inplace`` is only passed
      as True to types with ``inplace=True``.
    - ``commutes_with_max_pool``: running it after the next ``max_pool`` layer gives the same
      result exactly (training then runs the pool first; see ``engine.model.build.train_order``).
    - ``elementwise``: keeps the shape and treats values one by one (per channel at most).
    - What autograd keeps, for ``engine.model.build.inplace_layers`` (an in-place layer overwrites
      the tensor that reaches it, so only where nothing saved that tensor for backward):
      ``saves_output`` — its backward reads its own output (relu, sigmoid, tanh; any layer run
      in place does too); ``may_alias_input`` — its output may be its input's memory (flatten is
      a view; dropout returns its input itself in eval mode or with p = 0).
    """

    name: str
    group: str
    help: str
    prefix: str  # stable names: conv → conv1, conv2 ...
    schema: Mapping[str, Param]
    build: Callable[[Mapping[str, Any], Shape, bool], Any]
    output_sign: str = "follows"
    describe: Callable[[Mapping[str, Any]], str] = _no_settings
    output_shape: Callable[[LayerInput], Shape] = _same_shape
    params: Callable[[LayerInput], int] = _nothing
    buffers: Callable[[LayerInput], int] = _nothing
    macs: Callable[[LayerInput, Shape], int] = _no_macs
    receptive_field: Callable[[LayerInput, Shape], tuple[HW, HW]] = _unchanged_field
    starter: Mapping[str, Any] = field(default_factory=dict)
    needs_image: bool = False
    flat_input_problem: Callable[[LayerInput], LayerProblem] = needs_image_problem
    elementwise: bool = False
    inplace: bool = False
    max_pool: bool = False
    commutes_with_max_pool: bool = False
    saves_output: bool = False
    may_alias_input: bool = False

    def __post_init__(self) -> None:
        if self.group not in GROUPS:
            raise ValueError(f"{self.name}: unknown palette group {self.group!r}")
        if self.output_sign not in OUTPUT_SIGNS:
            raise ValueError(f"{self.name}: output_sign must be one of {OUTPUT_SIGNS}")
        unknown = set(self.starter) - set(self.schema)
        if unknown:
            raise ValueError(f"{self.name}: starter settings {sorted(unknown)} are not in its schema")

    @property
    def is_activation(self) -> bool:
        return self.group == "Activations"
