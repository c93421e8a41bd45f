"""Training off the GUI thread: a QObject worker in a QThread wraps ``TrainingSession``.

The trainer calls the reporter from the worker thread, up to hundreds of times a second.
Per-batch numbers are only appended to a lock-protected buffer there; the GUI thread pulls
them at most 30 times a second (``TrainingController``'s timer). Rare events (start, epoch
end, lr change, keyframe, layer statistics, finish, error) become queued Qt signals; their GUI-side slots first
drain the batch buffer, so the plots always see batches, then the epoch that ends them.

Nothing here touches a widget; ``TrainingController`` lives in the GUI thread and re-emits
everything as plain signals for the panels. The engine (torch) is imported lazily. Of a
finished run the controller keeps only its ``RunResult`` (a Checkpoint of CPU tensors).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

from gui.training.jobs import BatchBuffer, BatchChunk, DataRequest, Job, RunResult
from gui.training.loader import EngineLoader
from gui.training.runner import TrainingWorker

__all__ = [
    "PULL_HZ", "BatchChunk", "DataRequest", "EngineLoader", "Job", "RunResult", "TrainingController", "TrainingWorker",
]

#: The GUI pulls coalesced batch data at most this often.
PULL_HZ = 30


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
    layerStats = Signal(object)  # LayerStats, one per sample of the probe batch (config.layer_stats)
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
        self._result: RunResult | None = None  # what the last trained run left
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
        """The running TrainingSession, else the last run's ``RunResult`` (which answers ``model``
        and ``checkpoint()`` like a finished session). Read from the worker directly, so it is
        known as soon as it exists (a queued signal could arrive after the first batches)."""
        if self._worker is not None:
            session = self._worker.session
            if session is not None:
                return session
        return self._result

    @property
    def result(self) -> RunResult | None:
        """What the last finished training run left (its Checkpoint), or None."""
        return self._result

    def checkpoint(self) -> Any:
        """The Checkpoint Save Model writes: the paused run's, else the last finished run's."""
        live = self._live()
        if live is not None:
            return live.checkpoint() if self._paused and live.model is not None else None
        if self.running:  # still loading, or the run just ended and its thread not yet
            result = self._worker.result
            return result.checkpoint() if result is not None else None
        return self._result.checkpoint() if self._result is not None else None

    def _live(self) -> Any:
        """The TrainingSession while it trains (not kept anywhere here)."""
        return self._worker.live if self._worker is not None else None

    @property
    def paused(self) -> bool:
        return self._paused

    @property
    def thread(self) -> QThread | None:
        return self._thread

    @property
    def worker(self) -> TrainingWorker | None:
        """The worker while its thread runs (dropped, and so deleted, once that has finished)."""
        return self._worker

    # -- control ---------------------------------------------------------------------------
    def start(self, job: Job) -> bool:
        """Start ``job`` in a new worker thread; False when one is already running."""
        if self._thread is not None:
            return False
        if job.train:  # a data-only job (load, download) keeps the last trained result
            self._result = None
            self.last_finish = None
        self._paused = False
        thread = QThread()
        thread.setObjectName("convscope-training")
        worker = TrainingWorker(self._cache)
        worker.moveToThread(thread)
        worker.loading.connect(self.loading)
        worker.dataLoaded.connect(self.dataLoaded)
        worker.rareEvent.connect(self._on_event)
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
        live = self._live()
        if live is not None and not self._paused:
            live.pause()
            self._paused = True
            self.pausedChanged.emit(True)

    def resume(self) -> None:
        live = self._live()
        if live is not None and self._paused:
            live.resume()
            self._paused = False
            self.pausedChanged.emit(False)

    def stop(self) -> None:
        if self._worker is not None:
            self._worker.cancel()  # stops the live session too
        if self._paused:
            self._paused = False
            self.pausedChanged.emit(False)

    def set_lr(self, lr: float) -> None:
        live = self._live()
        if live is not None:
            live.set_lr(lr)

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
        self.pulls += 1
        self._hand_over(self._worker.buffer)

    def _hand_over(self, buffer: BatchBuffer) -> None:
        chunk, snapshot = buffer.drain()
        if chunk is not None:
            self.batches.emit(chunk)
        if snapshot is not None:
            self.weights.emit(snapshot)

    @Slot(str, object)
    def _on_event(self, kind: str, payload: Any) -> None:
        """A rare event from the worker: the batches before it first, then the event itself."""
        self.pull()
        if kind == "finished":
            self.last_finish = payload
        getattr(self, kind).emit(payload)
        if kind == "keyframe":
            self.weights.emit(payload)

    @Slot()
    def _thread_finished(self) -> None:
        if self._thread is None:
            return
        self.pull()
        self._timer.stop()
        thread, worker = self._thread, self._worker
        self._thread = self._worker = None
        if worker is not None:
            if worker.result is not None:
                self._result = worker.result
            # Last queued signals from the worker may still be pending; keep its buffer drained.
            self._hand_over(worker.buffer)
            # No deleteLater: posted to a thread that has finished, it would never run and the
            # worker (and its run) would stay alive. run() handed it back to this thread, so
            # dropping the last reference deletes it here.
        thread.deleteLater()
        if self._paused:
            self._paused = False
            self.pausedChanged.emit(False)
        self.runningChanged.emit(False)
