"""What the training thread is asked to do (``Job``, ``DataRequest``), how its per-batch
numbers reach the GUI thread (``BatchBuffer`` drained into ``BatchChunk`` s) and what a
finished run leaves behind (``RunResult``)."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from engine.model.spec import NetworkSpec
from engine.training.events import BatchStats, TrainConfig

__all__ = ["FOLDER", "BatchBuffer", "BatchChunk", "DataRequest", "Job", "RunResult", "cpu_copy"]

#: ``DataRequest.name`` of an image folder (its path is ``data_dir``).
FOLDER = "folder"


@dataclass(frozen=True)
class DataRequest:
    """Which dataset to load: a built-in name, or ``folder`` with its path."""

    name: str
    data_dir: str | None = None
    download: bool = False
    image_size: tuple[int, int] = (28, 28)

    def key(self) -> tuple:
        return (self.name, self.data_dir, self.image_size)


@dataclass(frozen=True)
class Job:
    """One run: what to train, on what, how; ``resume`` is an engine Checkpoint or None."""

    spec: NetworkSpec
    data: DataRequest
    config: TrainConfig
    resume: Any = None
    train: bool = True  # False: only load (and maybe download) the data
    runs_dir: Path | None = None  # record the run there (engine.io.runs); None: not recorded
    notices: Any = None  # a RecordingNotices (GUI thread) told whether the run is recorded


@dataclass(frozen=True)
class RunResult:
    """All a finished run keeps: its engine ``Checkpoint`` (CPU tensors), never the session,
    model, optimizer or data.

    It answers the two things callers read of a finished ``TrainingSession``: ``model`` (here
    the trained weights, a state dict) and ``checkpoint()`` (the same read-only Checkpoint).
    """

    saved: Any  # engine.training.run_state.Checkpoint

    @property
    def model(self) -> Any:
        return self.saved.state

    def checkpoint(self) -> Any:
        return self.saved


def cpu_copy(value: Any) -> Any:
    """``value`` with every tensor in its dicts, lists and tuples on the CPU (an optimizer state)."""
    if hasattr(value, "detach") and hasattr(value, "device"):
        return value.detach().to("cpu")
    if isinstance(value, dict):
        return {k: cpu_copy(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(cpu_copy(v) for v in value)
    return value


@dataclass
class BatchChunk:
    """Batches since the last pull: x in epochs (fractional), loss, accuracy, lr; the latest stats."""

    x: np.ndarray
    loss: np.ndarray
    accuracy: np.ndarray
    lr: np.ndarray
    latest: BatchStats


class BatchBuffer:
    """Batch numbers from the training thread, drained by the GUI thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rows: list[tuple[float, float, float, float]] = []
        self._latest: BatchStats | None = None
        self._snapshot: Any = None

    def add(self, stats: BatchStats) -> None:
        x = stats.epoch - 1 + stats.batch / max(1, stats.batches_per_epoch)
        with self._lock:
            self._rows.append((x, stats.loss, stats.accuracy, stats.lr))
            self._latest = stats

    def set_snapshot(self, snapshot: Any) -> None:
        with self._lock:
            self._snapshot = snapshot

    def drain(self) -> tuple[BatchChunk | None, Any]:
        with self._lock:
            rows, self._rows = self._rows, []
            latest = self._latest
            snapshot, self._snapshot = self._snapshot, None
        chunk = None
        if rows and latest is not None:
            array = np.asarray(rows, dtype=np.float64)
            chunk = BatchChunk(array[:, 0], array[:, 1], array[:, 2], array[:, 3], latest)
        return chunk, snapshot
