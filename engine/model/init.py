"""Weight initialisation as a setting: PyTorch's default, Xavier/Glorot, He/Kaiming or Normal(0, σ).

``apply_init`` redraws the weights of a built model's conv and linear layers from torch's global
random generator, so a run seeded with ``engine.training.rng.seed_everything`` gets the same
weights every time. Xavier and Kaiming replace the weights only (the biases keep PyTorch's
default), as ``torch.nn.init.xavier_uniform_(fc.weight)`` does in seed000; Normal(0, σ) also
sets the biases to 0, like seed004's ``weight_init_std * randn`` with ``np.zeros`` biases.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from engine.model.init_names import INIT_LAYERS, INITS

__all__ = ["INITS", "INIT_LAYERS", "apply_init", "init_bound"]

_KINDS = {"conv": (nn.Conv2d,), "linear": (nn.Linear,), "all": (nn.Conv2d, nn.Linear)}


def _fans(weight: torch.Tensor) -> tuple[int, int]:
    """(fan_in, fan_out) of a linear ``(out, in)`` or conv ``(out, in, kh, kw)`` weight."""
    field = weight[0][0].numel() if weight.dim() > 2 else 1
    return weight.shape[1] * field, weight.shape[0] * field


def init_bound(weight: torch.Tensor, how: str, std: float = 0.01) -> float:
    """The uniform bound (``*_uniform``) or the standard deviation (``*_normal``, ``normal``) that
    ``how`` draws ``weight`` with: Xavier ``√(6/(in+out))`` / ``√(2/(in+out))``, Kaiming for ReLU
    ``√(6/in)`` / ``√(2/in)``, ``normal``: ``std``."""
    fan_in, fan_out = _fans(weight)
    both = fan_in + fan_out
    table = {"xavier_uniform": math.sqrt(6.0 / both), "xavier_normal": math.sqrt(2.0 / both),
             "kaiming_uniform": math.sqrt(6.0 / fan_in), "kaiming_normal": math.sqrt(2.0 / fan_in), "normal": std}
    if how not in table:
        raise ValueError(f"unknown initialisation {how!r}; use one of {', '.join(INITS)}")
    return table[how]


@torch.no_grad()
def apply_init(model: nn.Module, how: str = "default", std: float = 0.01, layers: str = "all") -> list[str]:
    """Redraw the weights of ``model``'s conv/linear ``layers`` as ``how`` says; the names of the
    modules changed (none for ``default``). Raises ``ValueError`` for an unknown choice."""
    if how not in INITS:
        raise ValueError(f"unknown initialisation {how!r}; use one of {', '.join(INITS)}")
    if layers not in INIT_LAYERS:
        raise ValueError(f"unknown layers {layers!r} to initialise; use one of {', '.join(INIT_LAYERS)}")
    if how == "default":
        return []
    changed = []
    for name, module in model.named_modules():
        if not isinstance(module, _KINDS[layers]):
            continue
        scale = init_bound(module.weight, how, std)
        if how.endswith("uniform"):
            module.weight.uniform_(-scale, scale)
        else:
            module.weight.normal_(0.0, scale)
        if how == "normal" and module.bias is not None:
            module.bias.zero_()
        changed.append(name)
    return changed
