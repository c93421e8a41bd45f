"""Handing a trained network to other tools: ONNX (checked with onnxruntime) and a standalone
PyTorch file (readable ``nn.Module`` code with the same layer names, weights in a ``.safetensors``
beside it; see ``engine.io.export_template``).

Both take the ``Checkpoint`` a model file holds. A network with errors, or one that was never
trained, is refused with an ``ExportError`` saying so.
"""

from __future__ import annotations

import inspect
import io
import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from engine.io import export_template
from engine.io.fileio import atomic_write_bytes, atomic_write_text
from engine.model.build import build_model
from engine.model.spec import SpecError
from engine.training.run_state import Checkpoint

__all__ = ["ExportError", "ExportResult", "ONNX_TOLERANCE", "export_onnx", "export_pytorch", "module_code"]

ONNX_TOLERANCE = 1e-4
_MARKER = "# ---- HELPERS"


class ExportError(ValueError):
    """A network that cannot be exported; ``str()`` is a one-line reason."""


@dataclass(frozen=True)
class ExportResult:
    path: Path
    format: str  # "onnx" | "pytorch"
    max_abs_diff: float | None  # ONNX: the largest logit difference from torch on the check images
    message: str


def _trained_model(checkpoint: Checkpoint) -> nn.Sequential:
    if checkpoint is None:
        raise ExportError("there is no network to export")
    if checkpoint.step <= 0 and not checkpoint.history:
        raise ExportError(f"{checkpoint.spec.name} has not been trained yet; train it (or open a trained "
                          "model file) before exporting")
    try:
        model = build_model(checkpoint.spec)
    except SpecError as exc:
        raise ExportError(f"the network has errors, so it cannot be exported: {str(exc).splitlines()[0]}") from None
    try:
        model.load_state_dict({k: torch.as_tensor(np.asarray(v) if not hasattr(v, "detach") else v)
                               for k, v in checkpoint.state.items()})
    except (RuntimeError, KeyError) as exc:
        raise ExportError(f"the weights do not fit the network: {str(exc).splitlines()[0][:200]}") from None
    return model.eval().float()


def _write(path: Path, data: bytes) -> None:
    try:
        atomic_write_bytes(str(path), data)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from None


def export_onnx(checkpoint: Checkpoint, path: Path, *, check_images: np.ndarray | None = None) -> ExportResult:
    """Write the network as ONNX (input "image": N×C×H×W normalised floats, output "logits"); with
    ``check_images`` (N×C×H×W network inputs) compare onnxruntime's logits with torch's."""
    path = Path(path)
    model = _trained_model(checkpoint)
    example = torch.zeros((1, *checkpoint.spec.input), dtype=torch.float32)
    try:
        data = _onnx_bytes(model, example)
    except Exception as exc:  # noqa: BLE001 - torch.onnx raises many kinds; the user gets one line
        raise ExportError(f"ONNX export failed: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}") from None
    diff = _check_onnx(model, data, check_images) if check_images is not None else None
    _write(path, data)
    checked = "" if diff is None else f"; onnxruntime matches torch within {diff:.2g} on {len(check_images)} images"
    return ExportResult(path, "onnx", diff, f"wrote {path} ({len(data) / 1024:,.0f} KiB){checked}")


def _onnx_bytes(model: nn.Module, example: torch.Tensor) -> bytes:
    """The ONNX file of ``model`` (batch size free): torch.export's exporter, or the TorchScript one
    when that fails."""
    try:
        program = torch.onnx.export(model, (example,), input_names=["image"], output_names=["logits"],
                                    dynamic_shapes=({0: torch.export.Dim("batch")},), dynamo=True, verbose=False)
        return program.model_proto.SerializeToString()
    except Exception:  # noqa: BLE001 - the older exporter handles some graphs the new one cannot
        buffer = io.BytesIO()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            torch.onnx.export(model, (example,), buffer, input_names=["image"], output_names=["logits"],
                              dynamic_axes={"image": {0: "batch"}, "logits": {0: "batch"}}, dynamo=False,
                              opset_version=17)
        return buffer.getvalue()


def _check_onnx(model: nn.Module, data: bytes, images: np.ndarray) -> float:
    """The largest |logit difference| between onnxruntime and torch; ``ExportError`` above ``ONNX_TOLERANCE``."""
    import onnxruntime

    x = np.ascontiguousarray(images, dtype=np.float32)
    session = onnxruntime.InferenceSession(data, providers=["CPUExecutionProvider"])
    (ours,) = session.run(["logits"], {"image": x})
    with torch.no_grad():
        theirs = model(torch.from_numpy(x)).numpy()
    diff = float(np.max(np.abs(ours - theirs))) if len(x) else 0.0
    if not diff <= ONNX_TOLERANCE:
        raise ExportError(f"the ONNX model's logits differ from torch's by {diff:.3g} (more than "
                          f"{ONNX_TOLERANCE:g}); not written")
    return diff


def _pair(value: Any) -> Any:
    """A square size as one number, as a person would write it."""
    if isinstance(value, tuple) and len(value) == 2 and value[0] == value[1]:
        return value[0]
    return value


def _layer_code(module: nn.Module) -> str:
    """The constructor call that makes ``module`` (the layer types ``build_model`` makes)."""
    if isinstance(module, nn.Conv2d):
        extra = "" if module.bias is not None else ", bias=False"
        extra += f", groups={module.groups}" if module.groups != 1 else ""
        extra += f", dilation={_pair(module.dilation)!r}" if _pair(module.dilation) != 1 else ""
        return (f"nn.Conv2d({module.in_channels}, {module.out_channels}, kernel_size={_pair(module.kernel_size)!r}, "
                f"stride={_pair(module.stride)!r}, padding={_pair(module.padding)!r}{extra})")
    if isinstance(module, nn.Linear):
        bias = "" if module.bias is not None else ", bias=False"
        return f"nn.Linear({module.in_features}, {module.out_features}{bias})"
    if isinstance(module, (nn.MaxPool2d, nn.AvgPool2d)):
        kind = type(module).__name__
        extra = f", ceil_mode={module.ceil_mode}" if module.ceil_mode else ""
        if isinstance(module, nn.AvgPool2d) and not module.count_include_pad:
            extra += ", count_include_pad=False"
        return (f"nn.{kind}(kernel_size={_pair(module.kernel_size)!r}, stride={_pair(module.stride)!r}, "
                f"padding={_pair(module.padding)!r}{extra})")
    if isinstance(module, nn.AdaptiveAvgPool2d):
        return f"nn.AdaptiveAvgPool2d({_pair(module.output_size)!r})"
    if isinstance(module, nn.BatchNorm2d):
        return f"nn.BatchNorm2d({module.num_features}, eps={module.eps!r}, momentum={module.momentum!r})"
    if isinstance(module, (nn.Dropout, nn.Dropout2d)):
        return f"nn.{type(module).__name__}(p={module.p!r})"
    if isinstance(module, nn.LeakyReLU):
        return f"nn.LeakyReLU(negative_slope={module.negative_slope!r})"
    if isinstance(module, nn.GELU):
        return "nn.GELU()" if module.approximate == "none" else f"nn.GELU(approximate={module.approximate!r})"
    if isinstance(module, nn.Flatten):
        return f"nn.Flatten(start_dim={module.start_dim}, end_dim={module.end_dim})"
    if type(module) in (nn.ReLU, nn.Tanh, nn.Sigmoid):
        return f"nn.{type(module).__name__}()"
    raise ExportError(f"a {type(module).__name__} layer cannot be written as plain PyTorch code yet")


def module_code(model: nn.Sequential, title: str) -> str:
    """``class Net(nn.Module)``: one attribute per layer, named as in ConvScope, and its ``forward``."""
    lines = ["class Net(nn.Module):", f'    """{title}: the network exported from ConvScope."""', "",
             "    def __init__(self):", "        super().__init__()"]
    lines += [f"        self.{name} = {_layer_code(module)}" for name, module in model.named_children()]
    lines += ["", "    def forward(self, x):"]
    lines += [f"        x = self.{name}(x)" for name, _ in model.named_children()]
    lines += ["        return x", ""]
    return "\n".join(lines)


def _script(checkpoint: Checkpoint, model: nn.Sequential, weights_name: str, title: str) -> str:
    helpers = inspect.getsource(export_template)
    helpers = helpers[helpers.index(_MARKER):]
    helpers = helpers[helpers.index("\n") + 1:]
    header = f'''"""{title}: a CNN trained in ConvScope, as plain PyTorch.

Usage: python {{file}} IMAGE [IMAGE ...]  prints each image's predicted class (as ConvScope's
`main.py predict` does). Needs torch, numpy and Pillow; the weights are read from {weights_name}
beside this file. In your own code: model = load_model(); logits = model(prepare(load_image(path))).
"""

import json
import sys
from pathlib import Path

import numpy as np
import torch
from torch import nn

CLASS_NAMES = {list(checkpoint.class_names)!r}
INPUT_SHAPE = {tuple(int(v) for v in checkpoint.spec.input)!r}
MEAN = {tuple(float(v) for v in (checkpoint.mean or (0.5,)))!r}
STD = {tuple(float(v) for v in (checkpoint.std or (0.5,)))!r}
WEIGHTS_FILE = {weights_name!r}


'''
    return header + module_code(model, title) + "\n\n" + helpers


def export_pytorch(checkpoint: Checkpoint, path: Path) -> ExportResult:
    """Write ``path`` (a .py) and its weights (``path`` with ``.safetensors``) beside it."""
    from safetensors.torch import save

    path = Path(path)
    if path.suffix != ".py":
        raise ExportError(f"a PyTorch export is a .py file, got {path.name}")
    model = _trained_model(checkpoint)
    title = "".join(c for c in checkpoint.spec.name if c.isprintable() and c not in '"\\')[:100] or "network"
    weights = path.with_suffix(".safetensors")
    code = _script(checkpoint, model, weights.name, title).replace("{file}", path.name)
    state = {k: v.detach().to("cpu").contiguous().clone() for k, v in model.state_dict().items()}
    _write(weights, save(state))
    try:
        atomic_write_text(str(path), code)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from None
    size = os.path.getsize(weights)
    return ExportResult(path, "pytorch", None, f"wrote {path} and {weights.name} ({size / 1024:,.0f} KiB)")
