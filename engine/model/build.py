"""Build a spec into an ``nn.Sequential`` whose children carry the report's stable names.

Each module comes from its layer type's factory in ``engine.model.layers``.
"""

from __future__ import annotations

from collections import OrderedDict

import torch
from torch import nn

from engine.model.layers import LAYERS
from engine.model.shapes import analyze
from engine.model.spec import NetworkSpec, SpecError, resolve_layer

__all__ = ["build_model", "build_layer", "inplace_layers", "safe_inplace", "train_order", "training_view"]


def build_layer(layer: dict, in_shape: tuple[int, ...], *, inplace: bool = False) -> nn.Module:
    """One torch module for a layer dict, given the shape it receives (``inplace`` where the type can)."""
    resolved = resolve_layer(layer)
    entry = LAYERS.get(resolved["type"])
    if entry is None:
        raise SpecError([(None, "type", f"unknown layer type {resolved['type']!r}")])
    return entry.build(resolved, tuple(in_shape), inplace and entry.inplace)


def build_model(spec: NetworkSpec, *, inplace: bool = False) -> nn.Sequential:
    """``nn.Sequential`` named like the shape report (conv1, relu1, pool1, …, flatten, fc1).

    Raises ``SpecError`` with the report's messages when the spec has errors.
    ``inplace=True`` (for training; not for inspection hooks) runs in place the activations
    ``inplace_layers`` finds safe: exactly equal outputs and gradients, in the spec's order and in
    ``train_order``.
    """
    report = analyze(spec)
    if not report.ok:
        raise SpecError([(p.index, None, p.message) for p in report.errors])
    fast = inplace_layers(spec) if inplace else set()
    modules: OrderedDict[str, nn.Module] = OrderedDict()
    for layer, info in zip(spec.layers, report.layers):
        modules[info.name] = build_layer(layer, info.input_shape, inplace=info.name in fast)
    return nn.Sequential(modules)


def safe_inplace(kinds: list[str]) -> set[int]:
    """Positions in a run of layers (types in the order they run) whose layer may run in place.

    An in-place layer overwrites the tensor that reaches it. Seen through the layers whose output
    may be their input's memory (flatten, dropout), that tensor is the output of an earlier layer,
    or the network's input. Overwriting it is exact only when
    - it is not the network's input (the caller's batch, perhaps a leaf that requires grad), and
    - that earlier layer's backward does not read its output: sigmoid, tanh and relu save it, and
      so does every layer run in place (relu_ and leaky_relu_ keep their result). Layers that save
      their input (conv, linear, batchnorm, pools, gelu, leaky_relu) are safe producers.
    No other layer sees the tensor: the network is a chain.
    """
    chosen: set[int] = set()
    for i, kind in enumerate(kinds):
        if not LAYERS[kind].inplace:
            continue
        j = i - 1
        while j >= 0 and LAYERS[kinds[j]].may_alias_input:
            j -= 1
        if j >= 0 and not LAYERS[kinds[j]].saves_output and j not in chosen:
            chosen.add(i)
    return chosen


def inplace_layers(spec: NetworkSpec) -> set[str]:
    """Names of the layers that run in place when training: safe (``safe_inplace``) both in the
    spec's own order and in ``train_order``, so the model is exact whichever way it runs."""
    names = list(analyze(spec).names)
    kinds = dict(zip(names, (layer["type"] for layer in spec.layers)))
    order = train_order(spec)
    in_spec = {names[i] for i in safe_inplace([kinds[name] for name in names])}
    in_training = {order[i] for i in safe_inplace([kinds[name] for name in order])}
    return in_spec & in_training


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
    """Layer names in the order training may run them: a layer that commutes with max-pooling
    (ReLU) directly followed by a max-pool is swapped (max-pool first). They commute exactly,
    and the pool then sees 4× fewer values through the ReLU. Inspection always uses the spec's
    own order."""
    names = list(analyze(spec).names)
    kinds = [layer["type"] for layer in spec.layers]
    i = 0
    while i < len(kinds) - 1:
        if LAYERS[kinds[i]].commutes_with_max_pool and LAYERS[kinds[i + 1]].max_pool:
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
