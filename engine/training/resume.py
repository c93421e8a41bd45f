"""Continuing a saved run: which settings may change, and how the trainer takes them up.

``resume_config`` turns a checkpoint and the settings a person gave into the run's settings and
one note per change (or refuses a change with the reason). The trainer then keeps the saved
optimizer state only for the same optimizer, with the new hyperparameters, and records a new
learning rate as a learning-rate change at the step it continues from.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine.training.config import TrainConfig, settings
from engine.training.run_state import Checkpoint

__all__ = ["load_optimizer_state", "resume_config", "saved_base_lr"]


def saved_base_lr(ckpt: Checkpoint) -> float:
    """The base learning rate the saved run had reached (changes during the run included)."""
    return float((ckpt.schedule or {}).get("base_lr", ckpt.config.lr))


def _note(name: str, old: Any, new: Any, ckpt: Checkpoint) -> str:
    if name == "optimizer":
        return f"optimizer {old} → {new}: it starts with a fresh state (the saved {old} state is dropped)"
    if name == "lr":
        return f"learning rate {old:g} → {new:g} from step {ckpt.step} (recorded as a learning-rate change)"
    if name == "batch_size":
        return f"batch size {old} → {new}: an epoch has a different number of steps from here on"
    if name == "schedule":
        return f"schedule {old} → {new}, over the whole run (its position is the step count, {ckpt.step})"
    return f"{name.replace('_', ' ')} {old} → {new}"


def resume_config(ckpt: Checkpoint, given: Mapping[str, Any], more_epochs: int | None = None
                  ) -> tuple[TrainConfig, list[str]]:
    """The settings of a run that continues ``ckpt`` for ``more_epochs`` (default 1) with ``given`` applied.

    Returns the config and a note for each setting that changes. The learning rate is the saved
    base rate unless ``given`` sets it. Raises ``ValueError`` for a change that cannot apply:
    the seed (the run continues its saved random state) and invalid values.
    """
    described = {s.name: s for s in settings()}
    values = ckpt.config.to_dict()
    values["lr"] = saved_base_lr(ckpt)
    notes, refused = [], []
    for name, new in given.items():
        if name not in values or new is None or new == values[name]:
            continue
        old = values[name]
        if name == "seed" and ckpt.rng is not None:
            refused.append(f"the seed cannot change when resuming (it was {old}): the run continues from its "
                           "saved random state")
            continue
        values[name] = new
        setting = described.get(name)
        if setting is not None and not setting.machine:
            notes.append(_note(name, old, new, ckpt))
    if refused:
        raise ValueError("; ".join(refused))
    values["epochs"] = ckpt.epoch + (1 if more_epochs is None else more_epochs)
    config = TrainConfig.from_dict(values)
    config.validate()
    return config, notes


def load_optimizer_state(optimizer: Any, ckpt: Checkpoint, config: TrainConfig) -> bool:
    """Load ``ckpt``'s optimizer state into ``optimizer`` when it is the same kind, keeping ``config``'s
    momentum and weight decay; False (a fresh state) for another optimizer or none saved."""
    if ckpt.optimizer is None or ckpt.config.optimizer != config.optimizer:
        return False
    optimizer.load_state_dict(ckpt.optimizer)  # this brings the saved hyperparameters too: set them again
    for group in optimizer.param_groups:
        group["weight_decay"] = config.weight_decay
        if config.optimizer == "sgd":
            group["momentum"] = config.momentum
            group["nesterov"] = config.nesterov and config.momentum > 0
    return True
