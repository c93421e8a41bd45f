"""Layer types that slide a window over the image: convolution and the pools."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from engine.model.geometry import conv_output_size, effective_kernel
from engine.model.layers.base import (
    HW,
    LayerInput,
    LayerProblem,
    LayerType,
    Shape,
    hw_text,
    torch_nn,
    window_field,
)
from engine.model.param import Param
from engine.model.report import Fix

__all__ = ["WINDOW_LAYERS"]

_GROUP = "Convolution and pooling"
_POOL_KERNEL = Param("pair", 2, 1, 64, help="window height and width (int or [h, w])")

CONV_SCHEMA = {
    "out_channels": Param("int", 16, 1, 4096, required=True, help="number of filters"),
    "kernel_size": Param("pair", 3, 1, 64, help="kernel height and width (int or [h, w])"),
    "stride": Param("pair", 1, 1, 64, help="step of the window (int or [h, w])"),
    "padding": Param("padding", 0, 0, 64, help='zero padding (int, [h, w] or "same")'),
    "dilation": Param("pair", 1, 1, 16, help="spacing between kernel taps"),
    "bias": Param("bool", True, help="add a learned bias per filter"),
}


def _pool_schema(padding_help: str) -> dict[str, Param]:
    return {
        "kernel_size": _POOL_KERNEL,
        "stride": Param("pair_or_none", None, 1, 64, help="defaults to kernel_size", default_from="kernel_size"),
        "padding": Param("pair", 0, 0, 32, help=padding_help),
    }


# -- conv2d ------------------------------------------------------------------------------------
def _dilated(r: Mapping[str, Any]) -> HW:
    k, d = r["kernel_size"], r["dilation"]
    return effective_kernel(k[0], d[0]), effective_kernel(k[1], d[1])


def _conv_output(step: LayerInput) -> Shape:
    r, name, index = step.layer, step.name, step.index
    _, h, w = step.shape
    k, s, d = r["kernel_size"], r["stride"], r["dilation"]
    if r["padding"] == "same":
        if s != (1, 1):
            raise LayerProblem(f'{name}: padding "same" needs stride 1, got stride {hw_text(s)}',
                               Fix(f"set stride of {name} to 1", "set", index, "stride", 1))
        return r["out_channels"], h, w
    p = r["padding"]
    eff = _dilated(r)
    if h + 2 * p[0] < eff[0] or w + 2 * p[1] < eff[1]:
        need = max(math.ceil((eff[0] - h) / 2), math.ceil((eff[1] - w) / 2), 0)
        if need <= CONV_SCHEMA["padding"].maximum:
            fix = Fix(f"set padding of {name} to {need}", "set", index, "padding", need)
        else:
            small = max(1, min(h, w))
            fix = Fix(f"set kernel_size of {name} to {small}", "set", index, "kernel_size", small)
        raise LayerProblem(f"{name}: the {eff[0]}×{eff[1]} kernel (dilation included) is larger than its padded "
                           f"{h + 2 * p[0]}×{w + 2 * p[1]} input, so the output size "
                           f"floor(({h} − {eff[0]} + 2·{p[0]}) / {s[0]}) + 1 is below 1", fix)
    return (r["out_channels"], conv_output_size(h, k[0], s[0], p[0], d[0]),
            conv_output_size(w, k[1], s[1], p[1], d[1]))


def _conv_params(step: LayerInput) -> int:
    r = step.layer
    k, cout = r["kernel_size"], r["out_channels"]
    return k[0] * k[1] * step.shape[0] * cout + (cout if r["bias"] else 0)


def _conv_macs(step: LayerInput, out: Shape) -> int:
    k = step.layer["kernel_size"]
    return k[0] * k[1] * step.shape[0] * math.prod(out)


def _conv_field(step: LayerInput, out: Shape) -> tuple[HW, HW]:
    return window_field(step, _dilated(step.layer), step.layer["stride"])


def _conv_text(r: Mapping[str, Any]) -> str:
    k = r["kernel_size"]
    text = f"{r['out_channels']}, {k[0]}×{k[1]}, s{hw_text(r['stride'])}, "
    text += "p same" if r["padding"] == "same" else f"p{hw_text(r['padding'])}"
    if r["dilation"] != (1, 1):
        text += f", d{hw_text(r['dilation'])}"
    return text + ("" if r["bias"] else ", no bias")


def _conv_module(r: Mapping[str, Any], in_shape: Shape, inplace: bool) -> Any:
    return torch_nn().Conv2d(in_shape[0], r["out_channels"], r["kernel_size"], stride=r["stride"],
                             padding=r["padding"], dilation=r["dilation"], bias=r["bias"])


# -- maxpool2d, avgpool2d ------------------------------------------------------------------------
def _pool_output(step: LayerInput) -> Shape:
    r, name, index = step.layer, step.name, step.index
    c, h, w = step.shape
    k, s, p = r["kernel_size"], r["stride"], r["padding"]
    if p[0] * 2 > k[0] or p[1] * 2 > k[1]:
        value = min(k) // 2
        raise LayerProblem(f"{name}: padding {hw_text(p)} is more than half the {k[0]}×{k[1]} window",
                           Fix(f"set padding of {name} to {value}", "set", index, "padding", value))
    if h + 2 * p[0] < k[0] or w + 2 * p[1] < k[1]:
        small = max(1, min(h, w))
        fix = Fix(f"set kernel_size of {name} to {small}", "set", index, "kernel_size", small)
        if small == 1:
            fix = Fix(f"remove {name}", "remove", index)
        raise LayerProblem(f"{name}: the {k[0]}×{k[1]} window does not fit its {h}×{w} input, so the output "
                           "size would be below 1", fix)
    return c, conv_output_size(h, k[0], s[0], p[0]), conv_output_size(w, k[1], s[1], p[1])


def _pool_field(step: LayerInput, out: Shape) -> tuple[HW, HW]:
    return window_field(step, step.layer["kernel_size"], step.layer["stride"])


def _pool_text(r: Mapping[str, Any]) -> str:
    k = r["kernel_size"]
    text = f"{k[0]}×{k[1]}, s{hw_text(r['stride'])}"
    return text + (f", p{hw_text(r['padding'])}" if r["padding"] != (0, 0) else "")


def _max_module(r: Mapping[str, Any], in_shape: Shape, inplace: bool) -> Any:
    return torch_nn().MaxPool2d(r["kernel_size"], stride=r["stride"], padding=r["padding"])


def _avg_module(r: Mapping[str, Any], in_shape: Shape, inplace: bool) -> Any:
    return torch_nn().AvgPool2d(r["kernel_size"], stride=r["stride"], padding=r["padding"])


# -- adaptiveavgpool2d ---------------------------------------------------------------------------
def _adaptive_output(step: LayerInput) -> Shape:
    return (step.shape[0], *step.layer["output_size"])


def _adaptive_macs(step: LayerInput, out: Shape) -> int:
    return math.prod(step.shape)  # about one add per input value


def adaptive_window(size: int, out: int) -> HW:
    """Adaptive pooling of ``size`` cells to ``out``: output ``i`` averages cells
    ``floor(i·size/out)`` up to ``ceil((i+1)·size/out)``. Returns the largest window and the
    rounded-up step between windows (both ``size/out`` when it divides)."""
    largest = max(-(-(i + 1) * size // out) - (i * size) // out for i in range(out))
    return largest, -(-size // out)


def _adaptive_field(step: LayerInput, out: Shape) -> tuple[HW, HW]:
    """Like a pool with the largest window and the rounded-up step (exactly avgpool2d when the
    output size divides the input); an axis pooled to 1 sees the whole input, as after flatten."""
    (span_h, step_h), (span_w, step_w) = (adaptive_window(size, o) for size, o in zip(step.shape[1:], out[1:]))
    rf, jump = window_field(step, (span_h, span_w), (step_h, step_w))
    whole = tuple(full if o == 1 else r for full, o, r in zip(step.network_input, out[1:], rf))
    return (whole[0], whole[1]), jump


def _adaptive_text(r: Mapping[str, Any]) -> str:
    o = r["output_size"]
    return f"→ {o[0]}×{o[1]}"


def _adaptive_module(r: Mapping[str, Any], in_shape: Shape, inplace: bool) -> Any:
    return torch_nn().AdaptiveAvgPool2d(r["output_size"])


WINDOW_LAYERS = (
    LayerType(
        "conv2d", _GROUP, "2-D convolution: slides K×K filters over the image; params K·K·Cin·Cout + Cout",
        "conv", CONV_SCHEMA, _conv_module, output_sign="signed", describe=_conv_text,
        output_shape=_conv_output, params=_conv_params, macs=_conv_macs, receptive_field=_conv_field,
        starter={"out_channels": 16, "kernel_size": 3, "padding": 1}, needs_image=True,
    ),
    LayerType(
        "maxpool2d", _GROUP, "max pooling: keeps the largest value per window; no parameters, keeps channels",
        "pool", _pool_schema("padding (at most half the window)"), _max_module, describe=_pool_text,
        output_shape=_pool_output, receptive_field=_pool_field, starter={"kernel_size": 2}, needs_image=True,
        max_pool=True,
    ),
    LayerType(
        "avgpool2d", _GROUP, "average pooling: the mean per window; no parameters, keeps channels",
        "pool", _pool_schema("zero padding (at most half the window)"), _avg_module, describe=_pool_text,
        output_shape=_pool_output, receptive_field=_pool_field, starter={"kernel_size": 2}, needs_image=True,
    ),
    LayerType(
        "adaptiveavgpool2d", _GROUP,
        "adaptive average pooling: averages each channel down to a fixed H×W whatever the input size "
        "(1: global average pooling); no parameters, keeps channels",
        "pool", {"output_size": Param("pair", 1, 1, 64, help="output height and width (int or [h, w])")},
        _adaptive_module, describe=_adaptive_text, output_shape=_adaptive_output, macs=_adaptive_macs,
        receptive_field=_adaptive_field, starter={"output_size": 1}, needs_image=True,
    ),
)
