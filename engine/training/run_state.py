"""Everything needed to continue a run: what ``TrainingSession.checkpoint`` returns and
``engine.io.checkpoint`` writes to and reads from a model file."""

from __future__ import annotations

import copy
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

    @classmethod
    def of_session(cls, session: Any, rng: dict[str, Any] | None) -> Checkpoint:
        """The state of a ``TrainingSession`` that has a model, with the RNG states ``rng``."""
        info = session.data.info
        return cls(
            spec=session.spec,
            state={k: v.detach().to("cpu").clone() for k, v in session.model.state_dict().items()},
            optimizer=copy.deepcopy(session.optimizer.state_dict()) if session.optimizer else None,
            schedule={"base_lr": session.base_lr, "schedule": session.config.schedule},
            epoch=session.epoch,
            step=session.step,
            rng=rng,
            config=session.config,
            history=list(session.history),
            lr_changes=list(session.lr_changes),
            dataset=info.name,
            class_names=tuple(info.class_names),
            mean=tuple(info.mean),
            std=tuple(info.std),
        )

    def numpy_state(self) -> dict[str, np.ndarray]:
        return {k: (v.detach().cpu().numpy() if hasattr(v, "detach") else np.asarray(v))
                for k, v in self.state.items()}
