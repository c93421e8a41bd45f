"""The optimizer and the learning-rate schedule of a run, from its ``TrainConfig``."""

from __future__ import annotations

import math
from collections.abc import Iterable

import torch

from engine.training.config import SCHEDULES, TrainConfig

__all__ = ["SCHEDULES", "lr_factor", "make_optimizer"]


def make_optimizer(params: Iterable[torch.nn.Parameter], config: TrainConfig) -> torch.optim.Optimizer:
    """SGD (with momentum, Nesterov if asked), Adam or AdamW at the config's base learning rate."""
    c = config
    if c.optimizer == "sgd":
        return torch.optim.SGD(params, lr=c.lr, momentum=c.momentum, nesterov=c.nesterov and c.momentum > 0,
                               weight_decay=c.weight_decay)
    if c.optimizer == "adam":
        return torch.optim.Adam(params, lr=c.lr, weight_decay=c.weight_decay)
    return torch.optim.AdamW(params, lr=c.lr, weight_decay=c.weight_decay)


def lr_factor(schedule: str, step: int, total_steps: int, steps_per_epoch: int, config: TrainConfig) -> float:
    """Multiplier of the base learning rate at optimizer ``step`` (0-based)."""
    if schedule == "none" or total_steps <= 0:
        return 1.0
    if schedule == "step":
        every = config.step_size or max(1, config.epochs // 3)
        return config.gamma ** ((step // max(1, steps_per_epoch)) // every)
    progress = min(1.0, step / total_steps)
    if schedule == "cosine":
        return 0.5 * (1.0 + math.cos(math.pi * progress))
    if schedule == "onecycle":  # warm up over 30% from lr/25, then cosine down to lr/1e4
        warm = 0.3
        if progress < warm:
            return 1 / 25 + (1 - 1 / 25) * progress / warm
        rest = (progress - warm) / (1 - warm)
        return 1e-4 + (1 - 1e-4) * 0.5 * (1.0 + math.cos(math.pi * rest))
    raise ValueError(f"unknown schedule {schedule!r}")
