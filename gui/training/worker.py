"""Training off the GUI thread: a QObject worker in a QThread wraps ``TrainingSession``.

The trainer calls the reporter from the worker thread, up to hundreds of times a second.
Per-batch numbers are only appended to a lock-protected buffer there; the GUI thread pulls
them at most 30 times a second (``TrainingController``'s timer). Rare events (start, epoch
end, lr change, keyframe, finish, error) become queued Qt signals; their GUI-side slots first
drain the batch buffer, so the plots always see batches, then the epoch that ends them.

Nothing here touches a widget; ``TrainingController`` lives in the GUI thread and re-emits
everything as plain signals for the panels. The engine (torch) is imported lazily.
"""

from __future__ import annotations

import gc
import os
import threading
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

from engine.model.spec import NetworkSpec
from engine.training.events import BatchStats, ErrorInfo, TrainConfig

#: The GUI pulls coalesced batch data at most this often.
PULL_HZ = 30


def worker_threads() -> int:
    """Torch threads for training beside the GUI: every core but one for the GUI thread."""
    return max(1, (os.cpu_count() or 1) - 1)


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


class _Buffer:
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


class _Reporter:
    """The engine's Reporter: runs in the training thread, never touches Qt widgets."""

    def __init__(self, worker: TrainingWorker):
        self._worker = worker

    def on_start(self, info: Any) -> None:
        self._worker.started.emit(info)

    def on_batch(self, stats: BatchStats) -> None:
        self._worker.buffer.add(stats)

    def on_epoch(self, stats: Any) -> None:
        self._worker.epochEnded.emit(stats)

    def on_snapshot(self, snapshot: Any) -> None:
        if snapshot.keep:
            self._worker.keyframe.emit(snapshot)
        else:
            self._worker.buffer.set_snapshot(snapshot)

    def on_lr_change(self, change: Any) -> None:
        self._worker.lrChanged.emit(change)

    def on_finish(self, info: Any) -> None:
        self._worker.finishedRun.emit(info)

    def on_error(self, error: ErrorInfo) -> None:
        self._worker.failed.emit(error)


class TrainingWorker(QObject):
    """Lives in the worker thread; ``run(job)`` loads the data and trains (blocking that thread)."""

    loading = Signal(str)  # what is being loaded
    dataLoaded = Signal(object)  # engine.data.splits.Dataset
    sessionCreated = Signal(object)  # the TrainingSession (GUI calls its thread-safe controls)
    started = Signal(object)  # StartInfo
    epochEnded = Signal(object)  # EpochStats
    keyframe = Signal(object)  # WeightSnapshot with keep=True
    lrChanged = Signal(object)  # LrChange
    finishedRun = Signal(object)  # FinishInfo
    failed = Signal(object)  # ErrorInfo
    done = Signal()  # run() returned; the thread may quit

    def __init__(self, cache: dict | None = None):
        super().__init__()
        self.buffer = _Buffer()
        self._cache = cache if cache is not None else {}
        self._cancel = threading.Event()
        self._lock = threading.Lock()
        self._session: Any = None

    @property
    def session(self) -> Any:
        """The TrainingSession once created (read from any thread)."""
        with self._lock:
            return self._session

    def cancel(self) -> None:
        """Stop the run (thread-safe): now if it trains, or before it starts if the data still
        loads (loading itself cannot be interrupted)."""
        with self._lock:
            self._cancel.set()
            session = self._session
        if session is not None:
            session.stop()

    @Slot(object)
    def run(self, job: Job) -> None:
        try:
            data = self._load(job.data)
            if data is None:
                return
            if not job.train or self._cancel.is_set():
                return
            from engine.training.session import TrainingSession

            session = TrainingSession(job.spec, data, job.config, resume=job.resume)
            with self._lock:
                self._session = session
                if self._cancel.is_set():
                    session.stop()
            self.sessionCreated.emit(session)
            # A full cyclic-GC pass triggered in this thread holds the GIL for 40–80 ms and
            # freezes the window; the training loop creates no reference cycles, so collect
            # only after the run.
            collecting = gc.isenabled()
            gc.disable()
            try:
                session.run(_Reporter(self))
            finally:
                if collecting:
                    gc.enable()
        except Exception as exc:  # noqa: BLE001 - reported to the user; the app keeps running
            import traceback

            self.failed.emit(ErrorInfo("exception", f"{type(exc).__name__}: {exc}", traceback.format_exc()))
        finally:
            self.done.emit()

    def _load(self, request: DataRequest) -> Any:
        from engine.data.folder import load_folder
        from engine.data.loading import load_dataset
        from engine.data.registry import DatasetError

        key = request.key()
        if key in self._cache and not request.download:
            data = self._cache[key]
            self.dataLoaded.emit(data)
            return data
        what = request.data_dir if request.name == "folder" else request.name
        self.loading.emit(f"Downloading {what}…" if request.download else f"Loading {what}…")
        try:
            if request.name == "folder":
                data = load_folder(request.data_dir, image_size=request.image_size)
            else:
                data = load_dataset(request.name, request.data_dir or None, download=request.download)
        except DatasetError as exc:
            self.failed.emit(ErrorInfo("data", str(exc)))
            return None
        except (OSError, ValueError) as exc:
            self.failed.emit(ErrorInfo("data", f"could not read the dataset: {exc}"))
            return None
        self._cache.clear()  # keep one dataset in memory
        self._cache[key] = data
        self.dataLoaded.emit(data)
        return data


class TrainingController(QObject):
    """GUI-thread owner of the worker thread: start/pause/resume/stop/set_lr, coalesced updates.

    Signals (all in the GUI thread): ``batches(BatchChunk)`` at ≤ 30 Hz, ``weights(snapshot)``
    (latest, coalesced), and the worker's rare events re-emitted after draining the buffer.
    """

    loading = Signal(str)
    dataLoaded = Signal(object)
    started = Signal(object)
    batches = Signal(object)
    weights = Signal(object)  # WeightSnapshot (the latest; keyframes come through keyframe too)
    keyframe = Signal(object)
    epochEnded = Signal(object)
    lrChanged = Signal(object)
    finished = Signal(object)  # FinishInfo
    failed = Signal(object)  # ErrorInfo
    runningChanged = Signal(bool)  # the worker thread is busy (loading or training)
    pausedChanged = Signal(bool)
    _submit = Signal(object)  # queued into the worker thread: TrainingWorker.run(job)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._thread: QThread | None = None
        self._worker: TrainingWorker | None = None
        self._cache: dict = {}
        self._session: Any = None  # the current or last TrainingSession
        self.last_finish: Any = None
        self._paused = False
        self._timer = QTimer(self)
        self._timer.setInterval(int(1000 / PULL_HZ))
        self._timer.timeout.connect(self.pull)
        self.pulls = 0

    # -- state -----------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._thread is not None

    @property
    def session(self) -> Any:
        """The current or last TrainingSession; read from the worker directly, so it is known as
        soon as it exists (a queued signal could arrive after the first batches)."""
        if self._worker is not None:
            session = self._worker.session
            if session is not None:
                self._session = session
        return self._session

    @property
    def paused(self) -> bool:
        return self._paused

    @property
    def thread(self) -> QThread | None:
        return self._thread

    # -- control ---------------------------------------------------------------------------
    def start(self, job: Job) -> bool:
        """Start ``job`` in a new worker thread; False when one is already running."""
        if self._thread is not None:
            return False
        if job.train:  # a data-only job (load, download) keeps the last trained session
            self._session = None
            self.last_finish = None
        self._paused = False
        thread = QThread()
        thread.setObjectName("convscope-training")
        worker = TrainingWorker(self._cache)
        worker.moveToThread(thread)
        worker.loading.connect(self.loading)
        worker.dataLoaded.connect(self.dataLoaded)
        worker.started.connect(self._on_started)
        worker.epochEnded.connect(self._on_epoch)
        worker.keyframe.connect(self._on_keyframe)
        worker.lrChanged.connect(self._on_lr)
        worker.finishedRun.connect(self._on_finish)
        worker.failed.connect(self._on_failed)
        worker.done.connect(thread.quit)
        thread.finished.connect(self._thread_finished)
        self._thread, self._worker = thread, worker
        thread.start()
        # A queued connection into the worker thread: run() executes there, not here.
        self._submit.connect(worker.run)
        self._submit.emit(job)
        self._submit.disconnect(worker.run)
        self._timer.start()
        self.runningChanged.emit(True)
        return True

    def pause(self) -> None:
        if self.session is not None and not self._paused:
            self.session.pause()
            self._paused = True
            self.pausedChanged.emit(True)

    def resume(self) -> None:
        if self.session is not None and self._paused:
            self.session.resume()
            self._paused = False
            self.pausedChanged.emit(False)

    def stop(self) -> None:
        if self._worker is not None:
            self._worker.cancel()
        if self.session is not None:
            self.session.stop()
        if self._paused:
            self._paused = False
            self.pausedChanged.emit(False)

    def set_lr(self, lr: float) -> None:
        if self.session is not None and self.running:
            self.session.set_lr(lr)

    def shutdown(self, timeout_s: float = 1.8) -> bool:
        """Stop the run and wait for the thread; True when it has finished."""
        if self._thread is None:
            return True
        self.stop()
        thread = self._thread
        thread.quit()  # harmless while run() blocks; takes effect when it returns
        finished = thread.wait(int(timeout_s * 1000))
        if finished:
            self._thread_finished()
        return finished

    # -- pulling ---------------------------------------------------------------------------
    @Slot()
    def pull(self) -> None:
        """Hand the coalesced batches and the latest snapshot to the GUI (≤ 30 Hz)."""
        if self._worker is None:
            return
        chunk, snapshot = self._worker.buffer.drain()
        self.pulls += 1
        if chunk is not None:
            self.batches.emit(chunk)
        if snapshot is not None:
            self.weights.emit(snapshot)

    @Slot(object)
    def _on_started(self, info: Any) -> None:
        self.pull()
        self.started.emit(info)

    @Slot(object)
    def _on_epoch(self, stats: Any) -> None:
        self.pull()
        self.epochEnded.emit(stats)

    @Slot(object)
    def _on_keyframe(self, snapshot: Any) -> None:
        self.pull()
        self.keyframe.emit(snapshot)
        self.weights.emit(snapshot)

    @Slot(object)
    def _on_lr(self, change: Any) -> None:
        self.pull()
        self.lrChanged.emit(change)

    @Slot(object)
    def _on_finish(self, info: Any) -> None:
        self.pull()
        self.last_finish = info
        self.finished.emit(info)

    @Slot(object)
    def _on_failed(self, error: ErrorInfo) -> None:
        self.pull()
        self.failed.emit(error)

    @Slot()
    def _thread_finished(self) -> None:
        if self._thread is None:
            return
        self.pull()
        self._timer.stop()
        thread, worker = self._thread, self._worker
        self._session = self.session
        self._thread = self._worker = None
        # Last queued signals from the worker may still be pending; keep its buffer drained.
        if worker is not None:
            chunk, snapshot = worker.buffer.drain()
            if chunk is not None:
                self.batches.emit(chunk)
            if snapshot is not None:
                self.weights.emit(snapshot)
            worker.deleteLater()
        thread.deleteLater()
        if self._paused:
            self._paused = False
            self.pausedChanged.emit(False)
        self.runningChanged.emit(False)


class EngineLoader(QObject):
    """Imports torch and the engine's torch modules in a background Python thread.

    A Python thread rather than a QThread: nothing Qt runs in it, and an import that is still
    going when the app quits cannot trip "QThread: Destroyed while thread is still running".

    ``ready`` is emitted in the GUI thread (a queued signal) with the device's (string, name),
    or ``failed`` with the reason. The builder needs none of it; training waits for it.
    """

    ready = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.seconds = 0.0
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="convscope-engine-import", daemon=True)
        self._thread.start()

    def join(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        started = time.perf_counter()
        try:
            # torchvision (≈ 2 s more) is only needed to download datasets; engine.data.loading imports
            # it then, in the worker thread.
            import torch  # noqa: F401

            import engine.data.loading  # noqa: F401
            import engine.data.transforms  # noqa: F401
            import engine.io.checkpoint  # noqa: F401
            import engine.training.session  # noqa: F401
            from engine.training.devices import describe_device

            device = describe_device("auto")
        except Exception as exc:  # noqa: BLE001 - shown in the status bar; the builder still works
            self.seconds = time.perf_counter() - started
            self.failed.emit(f"{type(exc).__name__}: {exc}")
            return
        self.seconds = time.perf_counter() - started
        self.ready.emit(device)
