"""The training thread's side: ``TrainingWorker.run(job)`` loads the data and trains.

The engine's reporter runs in that thread: per-batch numbers only go into a lock-protected
``BatchBuffer``; rare events (start, epoch end, lr change, keyframe, finish, error) become one
queued ``rareEvent(kind, payload)`` signal. Nothing here touches a widget; torch loads lazily.

When ``run`` returns, nothing of the run stays reachable but its ``RunResult`` (a Checkpoint
of CPU tensors): the session, model, optimizer and good-weights copy go with it, and the worker
moves itself back to the GUI thread so that dropping the last reference deletes it there.
"""

from __future__ import annotations

import dataclasses
import threading
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot

from engine.training.events import BatchStats, ErrorInfo, NullReporter
from gui.training.jobs import FOLDER, BatchBuffer, DataRequest, Job, RunResult, cpu_copy

__all__ = ["TrainingWorker"]


class _Reporter(NullReporter):
    """The engine's Reporter: runs in the training thread, never touches Qt widgets."""

    def __init__(self, worker: TrainingWorker):
        self._worker = worker

    def on_start(self, info: Any) -> None:
        self._worker.rareEvent.emit("started", info)

    def on_batch(self, stats: BatchStats) -> None:
        self._worker.buffer.add(stats)

    def on_epoch(self, stats: Any) -> None:
        self._worker.rareEvent.emit("epochEnded", stats)

    def on_snapshot(self, snapshot: Any) -> None:
        if snapshot.keep:
            self._worker.rareEvent.emit("keyframe", snapshot)
        else:
            self._worker.buffer.set_snapshot(snapshot)

    def on_lr_change(self, change: Any) -> None:
        self._worker.rareEvent.emit("lrChanged", change)

    def on_layer_stats(self, stats: Any) -> None:
        self._worker.rareEvent.emit("layerStats", stats)

    def on_finish(self, info: Any) -> None:
        self._worker.rareEvent.emit("finished", info)

    def on_error(self, error: ErrorInfo) -> None:
        self._worker.rareEvent.emit("failed", error)


class TrainingWorker(QObject):
    """Lives in the worker thread; ``run(job)`` loads the data and trains (blocking that thread)."""

    loading = Signal(str)  # what is being loaded
    dataLoaded = Signal(object)  # engine.data.splits.Dataset
    # A rare event, named after the controller's signal that passes it on: "started" (StartInfo),
    # "epochEnded" (EpochStats), "keyframe" (WeightSnapshot, keep=True), "lrChanged" (LrChange),
    # "finished" (FinishInfo) or "failed" (ErrorInfo). Not named ``event``: that would shadow the
    # virtual QObject.event(), and PySide then leaks a reference to the worker on every Qt event.
    rareEvent = Signal(str, object)
    done = Signal()  # run() returned; the thread may quit

    def __init__(self, cache: dict | None = None):
        super().__init__()
        self.buffer = BatchBuffer()
        self._cache = cache if cache is not None else {}
        self._cancel = threading.Event()
        self._lock = threading.Lock()
        self._session: Any = None  # the TrainingSession while run() trains
        self._result: RunResult | None = None  # what it left, once run() ended

    @property
    def live(self) -> Any:
        """The TrainingSession while it trains, else None (read from any thread)."""
        with self._lock:
            return self._session

    @property
    def result(self) -> RunResult | None:
        """What the run left (its Checkpoint) once ``run`` ended; None before or without a model."""
        with self._lock:
            return self._result

    @property
    def session(self) -> Any:
        """The live TrainingSession, then its ``RunResult`` (read from any thread)."""
        with self._lock:
            return self._session if self._session is not None else self._result

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
        """Load, train, keep the result; then hand the worker back to the GUI thread."""
        try:
            data = self._load(job.data)
            if data is None:
                return
            if not job.train or self._cancel.is_set():
                return
            from engine.io.runs import TeeReporter
            from engine.training.session import TrainingSession

            session = TrainingSession(job.spec, data, job.config, resume=job.resume)
            with self._lock:
                self._session = session
                if self._cancel.is_set():
                    session.stop()
            # No cyclic collection starts in this thread: gui.gc_policy collects in the GUI thread.
            recorder = self._recorder(job, data, session)
            session.run(_Reporter(self) if recorder is None else TeeReporter(_Reporter(self), recorder))
            if recorder is not None and recorder.problem and job.notices is not None:
                job.notices.notRecording.emit(recorder.problem)  # e.g. the disk filled up mid-run
            self._keep_result(session)
        except Exception as exc:  # noqa: BLE001 - reported to the user; the app keeps running
            import traceback

            message = f"{type(exc).__name__}: {exc}"
            self.rareEvent.emit("failed", ErrorInfo("exception", message, traceback.format_exc()))
        finally:
            with self._lock:
                self._session = None
            app = QCoreApplication.instance()
            if app is not None:
                self.moveToThread(app.thread())  # allowed from the worker's own thread only: here
            self.done.emit()

    def _recorder(self, job: Job, data: Any, session: Any) -> Any:
        """A ``RunRecorder`` for the run, or None when it is not recorded (its notices are told which,
        or why not)."""
        if job.runs_dir is None:
            return None
        try:
            from engine.io.run_manifest import dataset_files
            from engine.io.runs import RunRecorder

            recorder, reason = RunRecorder.open(
                job.runs_dir, spec=job.spec, config=job.config, dataset_name=data.info.name,
                data_files=dataset_files(data), checkpoint=session.checkpoint, source="gui")
        except Exception as exc:  # noqa: BLE001 - recording is optional: the run trains anyway
            recorder, reason = None, f"{type(exc).__name__}: {exc}"
        if job.notices is not None:
            if recorder is None:
                job.notices.notRecording.emit(reason or "unknown reason")
            else:
                job.notices.recording.emit(str(recorder.path))
        return recorder

    def _keep_result(self, session: Any) -> None:
        """Swap the session for its Checkpoint (CPU tensors), so nothing else of it stays alive."""
        result = None
        if session.model is not None:
            saved = session.checkpoint()
            result = RunResult(dataclasses.replace(saved, optimizer=cpu_copy(saved.optimizer)))
        with self._lock:
            self._session, self._result = None, result

    def _load(self, request: DataRequest) -> Any:
        from engine.data.folder import load_folder
        from engine.data.loading import load_dataset
        from engine.data.registry import DatasetError

        key = request.key()
        if key in self._cache and not request.download:
            data = self._cache[key]
            self.dataLoaded.emit(data)
            return data
        what = request.data_dir if request.name == FOLDER else request.name
        self.loading.emit(f"Downloading {what}…" if request.download else f"Loading {what}…")
        try:
            if request.name == FOLDER:
                data = load_folder(request.data_dir, image_size=request.image_size)
            else:
                data = load_dataset(request.name, request.data_dir or None, download=request.download)
        except DatasetError as exc:
            self.rareEvent.emit("failed", ErrorInfo("data", str(exc)))
            return None
        except (OSError, ValueError) as exc:
            self.rareEvent.emit("failed", ErrorInfo("data", f"could not read the dataset: {exc}"))
            return None
        self._cache.clear()  # keep one dataset in memory
        self._cache[key] = data
        self.dataLoaded.emit(data)
        return data
