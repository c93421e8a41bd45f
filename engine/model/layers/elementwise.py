"""Layer types that keep the shape: activations, batch normalisation and dropout."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine.model.layers.base import LayerInput, LayerProblem, LayerType, Shape, torch_nn
from engine.model.param import Param
from engine.model.report import Fix

__all__ = ["ELEMENTWISE_LAYERS"]

_ACTIVATIONS = "Activations"
_REGULARISERS = "Normalisation and regularisation"


def _relu(r: Mapping[str, Any], in_shape: Shape, inplace: bool) -> Any:
    return torch_nn().ReLU(inplace=inplace)


def _leaky_relu(r: Mapping[str, Any], in_shape: Shape, inplace: bool) -> Any:
    return torch_nn().LeakyReLU(r["negative_slope"], inplace=inplace)


def _tanh(r: Mapping[str, Any], in_shape: Shape, inplace: bool) -> Any:
    return torch_nn().Tanh()


def _sigmoid(r: Mapping[str, Any], in_shape: Shape, inplace: bool) -> Any:
    return torch_nn().Sigmoid()


def _gelu(r: Mapping[str, Any], in_shape: Shape, inplace: bool) -> Any:
    return torch_nn().GELU()


def _batchnorm(r: Mapping[str, Any], in_shape: Shape, inplace: bool) -> Any:
    return torch_nn().BatchNorm2d(in_shape[0], eps=r["eps"], momentum=r["momentum"])


def _batchnorm_params(step: LayerInput) -> int:
    return 2 * step.shape[0]  # weight and bias per channel


def _batchnorm_buffers(step: LayerInput) -> int:
    return 2 * step.shape[0] + 1  # running mean, running var, num_batches_tracked


def _dropout(r: Mapping[str, Any], in_shape: Shape, inplace: bool) -> Any:
    return torch_nn().Dropout(r["p"])


def _dropout2d(r: Mapping[str, Any], in_shape: Shape, inplace: bool) -> Any:
    return torch_nn().Dropout2d(r["p"])


def _dropout2d_on_flat(step: LayerInput) -> LayerProblem:
    name = step.name
    fix = Fix(f"replace {name} with dropout", "replace", step.index,
              layers=({"type": "dropout", "p": step.layer["p"]},))
    return LayerProblem(f"{name} drops whole channels and needs a C×H×W input, but gets a flat vector of "
                        f"{step.shape[0]} features; use dropout here", fix)


def _slope_text(r: Mapping[str, Any]) -> str:
    return f"slope {r['negative_slope']:g}"


def _p_text(r: Mapping[str, Any]) -> str:
    return f"p={r['p']:g}"


def _activation(name: str, help_text: str, build: Any, sign: str, prefix: str | None = None,
                **more: Any) -> LayerType:
    return LayerType(name, _ACTIVATIONS, help_text, prefix or name, more.pop("schema", {}), build,
                     output_sign=sign, elementwise=True, **more)


def _p(help_text: str) -> dict[str, Param]:
    return {"p": Param("float", 0.5, 0.0, 1.0, exclusive_max=True, help=help_text)}


ELEMENTWISE_LAYERS = (
    _activation("relu", "ReLU: max(0, x)", _relu, "nonnegative", inplace=True, commutes_with_max_pool=True,
                saves_output=True),
    _activation("leaky_relu", "leaky ReLU: x for x > 0, slope·x otherwise", _leaky_relu, "signed", "lrelu",
                schema={"negative_slope": Param("float", 0.01, 0.0, 1.0, help="slope for x < 0")},
                describe=_slope_text, inplace=True),
    _activation("tanh", "tanh: squashes to (−1, 1)", _tanh, "signed", saves_output=True),
    _activation("sigmoid", "sigmoid: squashes to (0, 1)", _sigmoid, "nonnegative", saves_output=True),
    _activation("gelu", "GELU: a smooth ReLU", _gelu, "signed"),
    LayerType(
        "batchnorm2d", _REGULARISERS, "batch normalisation per channel: 2·C parameters", "bn",
        {"eps": Param("float", 1e-5, 1e-12, 1.0, help="added to the variance"),
         "momentum": Param("float", 0.1, 0.0, 1.0, help="running-statistics momentum")},
        _batchnorm, output_sign="signed", params=_batchnorm_params, buffers=_batchnorm_buffers,
        needs_image=True, elementwise=True,
    ),
    LayerType(
        "dropout", _REGULARISERS, "dropout: zeroes random values while training", "drop",
        _p("drop probability"), _dropout, describe=_p_text, starter={"p": 0.5}, elementwise=True,
        may_alias_input=True,
    ),
    LayerType(
        "dropout2d", _REGULARISERS, "channel dropout: zeroes whole feature maps while training", "drop",
        _p("channel drop probability"), _dropout2d, describe=_p_text, starter={"p": 0.25}, needs_image=True,
        flat_input_problem=_dropout2d_on_flat, elementwise=True, may_alias_input=True,
    ),
)
