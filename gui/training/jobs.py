"""What the training thread is asked to do (``Job``, ``DataRequest``) and how its per-batch
numbers reach the GUI thread (``BatchBuffer`` drained into ``BatchChunk`` s)."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import numpy as np

from engine.model.spec import NetworkSpec
from engine.training.events import BatchStats, TrainConfig

__all__ = ["FOLDER", "BatchBuffer", "BatchChunk", "DataRequest", "Job"]

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
