"""What a unit wants to see: activation maximisation (Erhan et al., 2009; Olah et al., 2017).

Gradient ascent on the input, from faint noise, on the unit's activation: a channel of a spatial
layer (the mean of its map) or a unit of a flat layer (for the last linear layer: a class's logit).
All units are optimised at once as one batch, one image each (their objectives are independent:
the model runs in eval mode). Regularisers as in the Deep Visualization Toolbox and Lucid: a random
shift of up to ``jitter`` pixels every step, a 3×3 Gaussian blur every ``blur_every`` steps in the first
tenth (a smooth start; blurring longer left channels stuck where their activation is zero, and
the rest sharpens), and penalties ``l2``·mean(x²) and ``tv``·mean of squared neighbour differences.
With ``mean`` and ``std`` the image stays within the pixels a dataset can hold, ``(0 − m)/s`` to
``(1 − m)/s`` per channel, so it competes fairly with real images.

A convolution's channel is measured after the BatchNorm, activation and dropout layers that
directly follow it (``objective_layer``; ``after_activation=False`` measures the convolution
itself): the mean of a linear filter's map is maximised by a flat image, which shows nothing. The
ascent adds 5% of the convolution's own mean, so a channel the activation zeroes still moves.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from engine.inspect.grad_model import batch_model, gradient_model, model_device
from engine.inspect.jobs import CancelCheck, Progress, check_cancelled
from engine.model.layers import LAYERS
from engine.model.shapes import analyze
from engine.model.spec import NetworkSpec

__all__ = ["MaximizeResult", "maximize", "objective_layer", "unit_count"]

_INIT_SPREAD = 0.1  # starting noise, as a fraction of the pixel range (or in normalised units)
_LEAK = 0.05  # weight of the convolution's own mean beside its activated one: lifts dead channels
_BLUR_UNTIL = 0.1  # blur in this first fraction of the steps (a smooth start); the rest sharpens


@dataclass(frozen=True)
class MaximizeResult:
    """``images`` ``(N, C, H, W)`` float32 in the network's normalised input space, one per unit;
    ``activations`` ``(N,)`` the activation each reaches (channel: the mean of its map)."""

    layer: str
    units: tuple[int, ...]
    images: np.ndarray
    activations: np.ndarray


def unit_count(spec: NetworkSpec, layer: str) -> int:
    """How many units ``layer`` has to maximise: channels of a spatial layer, else features."""
    for info in analyze(spec).layers:
        if info.name == layer:
            return int(info.output_shape[0])
    raise ValueError(f"there is no layer named {layer}; layers: {', '.join(analyze(spec).names)}")


def objective_layer(spec: NetworkSpec, layer: str) -> str:
    """Where ``maximize`` measures ``layer``'s units: after the element-wise layers (BatchNorm,
    activation, dropout) directly following a convolution; ``layer`` itself otherwise."""
    report = analyze(spec)
    names = list(report.names)
    unit_count(spec, layer)
    index = names.index(layer)
    if spec.layers[index]["type"] != "conv2d":
        return layer
    while index + 1 < len(report.layers) and LAYERS[spec.layers[index + 1]["type"]].elementwise:
        index += 1
    return names[index]


def _heads(net: nn.Module, spec: NetworkSpec, layer: str, after_activation: bool) -> tuple[nn.Module, nn.Module]:
    """The model up to ``layer`` (fast copy) and the element-wise layers after it up to the objective."""
    head = batch_model(net, spec, layer)
    end = objective_layer(spec, layer) if after_activation else layer
    children = list(net.named_children())
    names = [name for name, _ in children]
    tail = children[names.index(layer) + 1 : names.index(end) + 1]
    return head, nn.Sequential(*(module for _, module in tail))


def _bounds(spec: NetworkSpec, mean, std, device) -> tuple[torch.Tensor, torch.Tensor] | None:
    if mean is None or std is None:
        return None
    channels = int(spec.input[0])
    m = np.broadcast_to(np.asarray(mean, np.float32).ravel(), (channels,))
    s = np.broadcast_to(np.asarray(std, np.float32).ravel(), (channels,))
    low, high = (0.0 - m) / s, (1.0 - m) / s
    shape = (1, channels, 1, 1)
    return (torch.tensor(low, device=device).reshape(shape), torch.tensor(high, device=device).reshape(shape))


def _blur(x: torch.Tensor) -> torch.Tensor:
    kernel = torch.tensor([1.0, 2.0, 1.0], device=x.device, dtype=x.dtype)
    kernel = (kernel[:, None] * kernel[None, :]) / 16.0
    weight = kernel.expand(x.shape[1], 1, 3, 3)
    return F.conv2d(F.pad(x, (1, 1, 1, 1), mode="replicate"), weight, groups=x.shape[1])


def _total_variation(x: torch.Tensor) -> torch.Tensor:
    dy = (x[:, :, 1:, :] - x[:, :, :-1, :]).pow(2).mean((1, 2, 3))
    dx = (x[:, :, :, 1:] - x[:, :, :, :-1]).pow(2).mean((1, 2, 3))
    return dy + dx


def _objective(out: torch.Tensor, units: torch.Tensor) -> torch.Tensor:
    picked = out[torch.arange(len(units), device=out.device), units]
    return picked.flatten(1).mean(1) if picked.dim() > 1 else picked


def maximize(model: nn.Module, spec: NetworkSpec, layer: str, units: Sequence[int] | None = None, *,
             steps: int = 200, lr: float = 0.05, jitter: int = 1, blur_every: int = 4, l2: float = 1e-3,
             tv: float = 1e-2, seed: int = 0, progress: Progress | None = None,
             cancelled: CancelCheck | None = None, mean: Sequence[float] | float | None = None,
             std: Sequence[float] | float | None = None, after_activation: bool = True) -> MaximizeResult:
    """One optimised input per unit of ``layer`` (None: every unit), by Adam with learning rate
    ``lr`` for ``steps`` steps (seeded by ``seed``). ``progress(fraction)`` now and then;
    ``cancelled()`` every step: True raises ``Cancelled``. ``ValueError`` for an unknown layer or
    unit. The caller's model is untouched (see ``gradient_model``)."""
    count = unit_count(spec, layer)
    chosen = tuple(range(count)) if units is None else tuple(int(u) for u in units)
    bad = [u for u in chosen if not 0 <= u < count]
    if bad or not chosen:
        raise ValueError(f"{layer} has units 0 to {count - 1}; got {list(chosen) if not bad else bad}")
    if steps < 1:
        raise ValueError(f"steps must be at least 1, got {steps}")
    generator = torch.Generator().manual_seed(seed)
    shifts = np.random.default_rng(seed).integers(-jitter, jitter + 1, (steps, 2)) if jitter > 0 else None
    with gradient_model(model) as net:
        device = model_device(net)
        head, tail = _heads(net, spec, layer, after_activation)
        bounds = _bounds(spec, mean, std, device)
        noise = torch.randn((len(chosen), *spec.input), generator=generator).to(device)
        if bounds is None:
            start = noise * _INIT_SPREAD
        else:
            start = (bounds[0] + bounds[1]) / 2 + noise * _INIT_SPREAD * (bounds[1] - bounds[0])
        image = start.clone().requires_grad_(True)
        target = torch.tensor(chosen, device=device)
        optimizer = torch.optim.Adam([image], lr=lr)
        report_every = max(1, steps // 50)
        for step in range(steps):
            check_cancelled(cancelled)
            seen = image if shifts is None else torch.roll(image, tuple(int(v) for v in shifts[step]), (2, 3))
            raw = head(seen)
            activation = _objective(tail(raw), target)
            if len(tail):
                activation = activation + _LEAK * _objective(raw, target)
            penalty = l2 * image.pow(2).mean((1, 2, 3)) + tv * _total_variation(image)
            optimizer.zero_grad(set_to_none=True)
            (penalty - activation).sum().backward()
            optimizer.step()
            with torch.no_grad():
                if blur_every > 0 and (step + 1) % blur_every == 0 and step < _BLUR_UNTIL * steps:
                    image.copy_(_blur(image))
                if bounds is not None:
                    image.copy_(torch.maximum(torch.minimum(image, bounds[1]), bounds[0]))
            if progress is not None and ((step + 1) % report_every == 0 or step + 1 == steps):
                progress((step + 1) / steps)
        with torch.no_grad():
            final = _objective(tail(head(image)), target)
    return MaximizeResult(layer=layer, units=chosen, images=image.detach().cpu().numpy().astype(np.float32),
                          activations=final.cpu().numpy().astype(np.float32))


