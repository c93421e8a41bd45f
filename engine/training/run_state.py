"""Everything needed to continue a run: what ``TrainingSession.checkpoint`` returns and
``engine.io.checkpoint`` writes to and reads from a model file."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from engine.model.spec import NetworkSpec
from engine.training.events import EpochStats, LrChange, TrainConfig

__all__ = ["Checkpoint"]


@dataclass
class Checkpoint:
    """A run's state: spec, weights, optimizer and schedule, RNGs, config, history, dataset."""

    spec: NetworkSpec
    state: Mapping[str, Any]  # name → tensor or numpy array (the model's state_dict)
    optimizer: dict[str, Any] | None = None  # optimizer.state_dict()
    schedule: dict[str, Any] | None = None  # {"base_lr", "schedule"}
    epoch: int = 0
    step: int = 0
    rng: dict[str, Any] | None = None
    config: TrainConfig = field(default_factory=TrainConfig)
    history: list[EpochStats] = field(default_factory=list)
    lr_changes: list[LrChange] = field(default_factory=list)
    dataset: str = ""
    class_names: tuple[str, ...] = ()
    mean: tuple[float, ...] = ()
    std: tuple[float, ...] = ()

    def numpy_state(self) -> dict[str, np.ndarray]:
        return {k: (v.detach().cpu().numpy() if hasattr(v, "detach") else np.asarray(v))
                for k, v in self.state.items()}
