"""Build a spec into an ``nn.Sequential`` whose children carry the report's stable names."""

from __future__ import annotations

from collections import OrderedDict

import torch
from torch import nn

from engine.model.shapes import analyze
from engine.model.spec import NetworkSpec, SpecError, resolve_layer

__all__ = ["build_model", "build_layer", "train_order"]


def build_layer(layer: dict, in_shape: tuple[int, ...], *, inplace: bool = False) -> nn.Module:
    """One torch module for a layer dict, given the shape it receives."""
    r = resolve_layer(layer)
    kind = r["type"]
    if kind == "conv2d":
        return nn.Conv2d(in_shape[0], r["out_channels"], r["kernel_size"], stride=r["stride"],
                         padding=r["padding"], dilation=r["dilation"], bias=r["bias"])
    if kind == "maxpool2d":
        return nn.MaxPool2d(r["kernel_size"], stride=r["stride"], padding=r["padding"])
    if kind == "avgpool2d":
        return nn.AvgPool2d(r["kernel_size"], stride=r["stride"], padding=r["padding"])
    if kind == "relu":
        return nn.ReLU(inplace=inplace)
    if kind == "leaky_relu":
        return nn.LeakyReLU(r["negative_slope"], inplace=inplace)
    if kind == "tanh":
        return nn.Tanh()
    if kind == "sigmoid":
        return nn.Sigmoid()
    if kind == "gelu":
        return nn.GELU()
    if kind == "batchnorm2d":
        return nn.BatchNorm2d(in_shape[0], eps=r["eps"], momentum=r["momentum"])
    if kind == "dropout":
        return nn.Dropout(r["p"])
    if kind == "dropout2d":
        return nn.Dropout2d(r["p"])
    if kind == "flatten":
        return nn.Flatten()
    if kind == "linear":
        return nn.Linear(in_shape[0], r["out_features"], bias=r["bias"])
    raise SpecError([(None, "type", f"unknown layer type {kind!r}")])


def build_model(spec: NetworkSpec, *, inplace: bool = False) -> nn.Sequential:
    """``nn.Sequential`` named like the shape report (conv1, relu1, pool1, …, flatten, fc1).

    Raises ``SpecError`` with the report's messages when the spec has errors.
    ``inplace=True`` makes activations in-place (for training; not for inspection hooks).
    """
    report = analyze(spec)
    if not report.ok:
        raise SpecError([(p.index, None, p.message) for p in report.errors])
    modules: OrderedDict[str, nn.Module] = OrderedDict()
    for layer, info in zip(spec.layers, report.layers):
        modules[info.name] = build_layer(layer, info.input_shape, inplace=inplace)
    return nn.Sequential(modules)


class _Reordered(nn.Module):
    """Runs the same modules in another order; the parameters stay with the original model."""

    def __init__(self, model: nn.Sequential, order: list[str]):
        super().__init__()
        self.model = model
        self.order = order

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        modules = self.model._modules
        for name in self.order:
            x = modules[name](x)
        return x


def train_order(spec: NetworkSpec) -> list[str]:
    """Layer names in the order training may run them: a ReLU directly followed by a max-pool
    is swapped (max-pool first). They commute exactly, and the pool then sees 4× fewer values
    through the ReLU. Inspection always uses the spec's own order."""
    names = list(analyze(spec).names)
    kinds = [layer["type"] for layer in spec.layers]
    i = 0
    while i < len(kinds) - 1:
        if kinds[i] == "relu" and kinds[i + 1] == "maxpool2d":
            names[i], names[i + 1] = names[i + 1], names[i]
            kinds[i], kinds[i + 1] = kinds[i + 1], kinds[i]
            i += 2
        else:
            i += 1
    return names


def training_view(spec: NetworkSpec, model: nn.Sequential) -> nn.Module:
    """The model as training runs it (see ``train_order``); shares every parameter with it."""
    order = train_order(spec)
    return model if order == list(model._modules) else _Reordered(model, order)
