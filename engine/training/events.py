"""What a training run reports: plain, immutable Python values (``TrainConfig`` is re-exported).

The trainer calls a ``Reporter``'s methods from the thread that trains. Every payload is a
frozen dataclass of floats, ints, strings and read-only numpy copies, never live tensors, so
a GUI can hand them across threads safely.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

import numpy as np

from engine.training.config import OPTIMIZERS, SCHEDULES, TrainConfig

__all__ = [
    "TrainConfig",
    "StartInfo",
    "BatchStats",
    "EpochStats",
    "WeightSnapshot",
    "LrChange",
    "LayerStats",
    "FinishInfo",
    "ErrorInfo",
    "Reporter",
    "NullReporter",
    "frozen_array",
    "OPTIMIZERS",
    "SCHEDULES",
]


def frozen_array(value: Any, dtype: Any = None) -> np.ndarray:
    """A read-only numpy copy (of a tensor or array)."""
    if hasattr(value, "detach"):
        value = value.detach().to("cpu").numpy()
    array = np.array(value, dtype=dtype, copy=True)
    array.setflags(write=False)
    return array


@dataclass(frozen=True)
class StartInfo:
    device: str  # "cpu", "cuda:0", ...
    device_name: str  # "CPU" or the GPU's name
    threads: int
    epochs: int
    start_epoch: int  # 0 for a new run, > 0 when resumed
    batches_per_epoch: int
    total_steps: int
    train_size: int
    test_size: int
    class_names: tuple[str, ...]
    dataset: str
    config: TrainConfig


@dataclass(frozen=True)
class BatchStats:
    epoch: int  # 1-based
    batch: int  # 1-based within the epoch
    batches_per_epoch: int
    step: int  # global optimizer step, 1-based
    total_steps: int
    loss: float
    accuracy: float
    lr: float
    images_per_s: float
    eta_s: float

    @property
    def progress(self) -> float:
        return self.step / max(1, self.total_steps)


@dataclass(frozen=True)
class EpochStats:
    epoch: int
    step: int
    train_loss: float
    train_accuracy: float
    test_loss: float | None
    test_accuracy: float | None
    per_class_accuracy: np.ndarray | None  # (classes,), NaN for a class absent from the test split
    confusion: np.ndarray | None  # (classes, classes) int64, rows = true class
    seconds: float
    images_per_s: float
    lr: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "epoch": self.epoch,
            "step": self.step,
            "train_loss": self.train_loss,
            "train_accuracy": self.train_accuracy,
            "test_loss": self.test_loss,
            "test_accuracy": self.test_accuracy,
            "per_class_accuracy": None if self.per_class_accuracy is None else
            [None if np.isnan(v) else float(v) for v in self.per_class_accuracy],
            "confusion": None if self.confusion is None else self.confusion.tolist(),
            "seconds": self.seconds,
            "images_per_s": self.images_per_s,
            "lr": self.lr,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> EpochStats:
        pca = data.get("per_class_accuracy")
        conf = data.get("confusion")
        return cls(
            epoch=int(data["epoch"]),
            step=int(data["step"]),
            train_loss=float(data["train_loss"]),
            train_accuracy=float(data["train_accuracy"]),
            test_loss=None if data.get("test_loss") is None else float(data["test_loss"]),
            test_accuracy=None if data.get("test_accuracy") is None else float(data["test_accuracy"]),
            per_class_accuracy=None if pca is None else
            frozen_array([np.nan if v is None else v for v in pca], np.float64),
            confusion=None if conf is None else frozen_array(conf, np.int64),
            seconds=float(data["seconds"]),
            images_per_s=float(data["images_per_s"]),
            lr=float(data["lr"]),
        )


@dataclass(frozen=True)
class WeightSnapshot:
    """A copy of the model's state at one moment, for the viewers (never the live model)."""

    step: int
    epoch: float  # fractional: 1.25 = a quarter into the second epoch
    state: Mapping[str, np.ndarray]  # state_dict as read-only numpy copies
    keep: bool = False  # a time-lapse point (epoch end or early first-epoch moment)


@dataclass(frozen=True)
class LayerStats:
    """Per-layer statistics at one step, on the run's fixed probe batch (``engine.training.stats_probe``).

    ``params`` are the layers with parameters (norms over all of a layer's parameters), ``activations``
    every layer's output. Histogram rows are ``HIST_BINS`` counts over that layer's fixed ``*_range``,
    then the counts below and above the range, of NaN and of ±Inf (``engine.training.layer_stats``).
    """

    step: int
    epoch: float  # fractional, like WeightSnapshot.epoch
    params: tuple[str, ...]
    weight_norm: np.ndarray  # (P,)
    grad_norm: np.ndarray  # (P,) this step's gradient (NaN: none, e.g. measured without a step)
    update_ratio: np.ndarray  # (P,) ||w_after − w_before|| / ||w_before|| of this step (NaN: no step)
    activations: tuple[str, ...]
    act_mean: np.ndarray  # (A,)
    act_std: np.ndarray  # (A,)
    dead: np.ndarray  # (A,) fraction of units never positive on the probe batch; NaN: not a ReLU
    hist_weights: np.ndarray  # (P, bins + 4) int64
    hist_grads: np.ndarray  # (P, bins + 4)
    hist_acts: np.ndarray  # (A, bins + 4)
    weight_range: np.ndarray  # (P, 2) the fixed histogram range of each row
    grad_range: np.ndarray  # (P, 2)
    act_range: np.ndarray  # (A, 2)


@dataclass(frozen=True)
class LrChange:
    step: int
    epoch: int
    old_lr: float
    new_lr: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class FinishInfo:
    status: str  # "completed" | "stopped" | "diverged" | "failed"
    message: str
    epochs_done: int
    step: int
    seconds: float
    images_per_s: float
    test_loss: float | None
    test_accuracy: float | None
    history: tuple[EpochStats, ...] = field(default_factory=tuple)
    lr_changes: tuple[LrChange, ...] = field(default_factory=tuple)
    restored_step: int | None = None  # diverged: the step of the weights restored (None: the starting ones)
    good_weights: bool = True  # False: diverged before any weights worth keeping (test_* are then None)


@dataclass(frozen=True)
class ErrorInfo:
    kind: str  # "divergence" | "out_of_memory" | "data" | "config" | "exception"
    message: str  # one clear sentence for the user
    detail: str = ""  # traceback or extra context


class Reporter(Protocol):
    """Callbacks from the training thread. Each must return quickly."""

    def on_start(self, info: StartInfo) -> None: ...
    def on_batch(self, stats: BatchStats) -> None: ...
    def on_epoch(self, stats: EpochStats) -> None: ...
    def on_snapshot(self, snapshot: WeightSnapshot) -> None: ...
    def on_lr_change(self, change: LrChange) -> None: ...
    def on_layer_stats(self, stats: LayerStats) -> None: ...
    def on_finish(self, info: FinishInfo) -> None: ...
    def on_error(self, error: ErrorInfo) -> None: ...


class NullReporter(Reporter):
    """A reporter that ignores everything (the protocol's bodies do nothing); subclass and override
    what you need."""
