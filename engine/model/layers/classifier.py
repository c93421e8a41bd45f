"""Layer types of the classifier head: flatten and the fully connected layer."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from engine.model.layers.base import HW, LayerInput, LayerProblem, LayerType, Shape, torch_nn
from engine.model.param import Param
from engine.model.report import Fix, format_shape

__all__ = ["CLASSIFIER_LAYERS"]

_GROUP = "Classifier"


def _whole_input(step: LayerInput, out: Shape) -> tuple[HW, HW]:
    """Every output sees the whole input image."""
    return step.network_input, step.jump


def _flatten_output(step: LayerInput) -> Shape:
    return (math.prod(step.shape),)


def _flatten(r: Mapping[str, Any], in_shape: Shape, inplace: bool) -> Any:
    return torch_nn().Flatten()


def _linear_output(step: LayerInput) -> Shape:
    if len(step.shape) != 1:
        name = step.name
        raise LayerProblem(f"{name} needs a flat vector but gets {format_shape(step.shape)}; "
                           "insert a flatten before it",
                           Fix(f"insert flatten before {name}", "insert", step.index, layers=({"type": "flatten"},)))
    return (step.layer["out_features"],)


def _linear_params(step: LayerInput) -> int:
    fout = step.layer["out_features"]
    return step.shape[0] * fout + (fout if step.layer["bias"] else 0)


def _linear_macs(step: LayerInput, out: Shape) -> int:
    return step.shape[0] * out[0]


def _linear_text(r: Mapping[str, Any]) -> str:
    return f"→ {r['out_features']}" + ("" if r["bias"] else ", no bias")


def _linear(r: Mapping[str, Any], in_shape: Shape, inplace: bool) -> Any:
    return torch_nn().Linear(in_shape[0], r["out_features"], bias=r["bias"])


CLASSIFIER_LAYERS = (
    LayerType(
        "flatten", _GROUP, "flatten: C×H×W → one vector of C·H·W features", "flatten", {}, _flatten,
        output_shape=_flatten_output, receptive_field=_whole_input, may_alias_input=True,
    ),
    LayerType(
        "linear", _GROUP, "fully connected: in·out + out parameters", "fc",
        {"out_features": Param("int", 10, 1, 65536, required=True, help="output units"),
         "bias": Param("bool", True, help="add a learned bias")},
        _linear, output_sign="signed", describe=_linear_text, output_shape=_linear_output,
        params=_linear_params, macs=_linear_macs, receptive_field=_whole_input, starter={"out_features": 10},
    ),
)
