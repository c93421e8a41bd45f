"""``RunRecorder``: a training ``Reporter`` that records the run into its own folder as it goes.

At every epoch end it writes, each file atomically and the manifest last: ``last.safetensors``
(the model now), ``best.safetensors`` (when the test accuracy is the best so far), ``metrics.csv``,
``batches.csv``, ``keyframes.safetensors`` (new time-lapse moments), ``layer_stats.npz`` (the layer
statistics so far) and ``manifest.json``. A run
killed mid-epoch therefore keeps everything up to its last completed epoch. When a write fails
(a read-only or full disk) the recorder turns itself off with the reason in ``problem`` and the
training goes on. ``TeeReporter`` hands every reporter call to several reporters.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from engine.io.checkpoint import checkpoint_bytes
from engine.io.fileio import atomic_write_bytes
from engine.io.run_files import BatchLog, epochs_csv, kernels, keyframes_bytes
from engine.io.run_lock import WriterLock, make_run_folder
from engine.io.run_manifest import FORMAT, dataset_files, files_digest, host_name, now_iso, pid, versions
from engine.training.events import NullReporter
from engine.training.layer_stats import LayerStatsHistory, save_layer_stats
from engine.training.run_state import Checkpoint

__all__ = ["MAX_KEYFRAMES", "RunRecorder", "TeeReporter", "clean", "dataset_files"]

MAX_KEYFRAMES = 400
LAYER_STATS = "layer_stats.npz"  # every layer-statistics sample (engine.training.layer_stats), rewritten per epoch


class TeeReporter:
    """Every reporter call (any ``on_*`` method, including ones added later) goes to each reporter in
    order; a reporter without that method is skipped."""

    def __init__(self, *reporters: Any):
        self.reporters = tuple(r for r in reporters if r is not None)

    def __getattr__(self, name: str) -> Callable[..., None]:
        if not name.startswith("on_"):
            raise AttributeError(name)
        targets = [getattr(r, name) for r in self.reporters if hasattr(r, name)]

        def call(*args: Any, **kwargs: Any) -> None:
            for target in targets:
                target(*args, **kwargs)

        setattr(self, name, call)  # looked up once
        return call


def clean(text: Any, limit: int) -> str:
    """``text`` as one line the manifest's rules accept: control characters become spaces, at most ``limit``."""
    return "".join(" " if ord(c) < 32 or ord(c) == 127 else c for c in str(text))[:limit]


def _metrics(stats: Any) -> dict[str, Any]:
    return {"epoch": stats.epoch, "test_accuracy": stats.test_accuracy, "test_loss": stats.test_loss,
            "train_accuracy": stats.train_accuracy, "train_loss": stats.train_loss}


def _row(stats: Any) -> dict[str, Any]:
    return {"epoch": stats.epoch, "step": stats.step, "train_loss": stats.train_loss,
            "train_accuracy": stats.train_accuracy, "test_loss": stats.test_loss,
            "test_accuracy": stats.test_accuracy, "lr": stats.lr, "seconds": stats.seconds}


class RunRecorder(NullReporter):
    """Records one run (see the module docstring); make it with ``RunRecorder.open``."""

    def __init__(self, path: Path, manifest: dict[str, Any], checkpoint: Callable[[], Checkpoint], lock: WriterLock):
        self.path = path
        self.manifest = manifest
        self.problem: str | None = None  # why recording stopped, when it did
        self._checkpoint = checkpoint
        self._lock = lock
        self._rows: list[dict[str, Any]] = []
        self._batches = BatchLog()
        self._frames: list[tuple[int, float, dict[str, Any]]] = []
        self._frames_written = 0
        self._layer_stats = LayerStatsHistory()  # every sample of the run (engine.training.layer_stats)
        self._layer_stats_written = 0
        self._best: float | None = None
        self._started = time.perf_counter()

    @classmethod
    def open(cls, root: Path, *, spec: Any, config: Any, dataset_name: str, data_files: Sequence[Path],
             checkpoint: Callable[[], Checkpoint], source: str = "gui", name: str | None = None
             ) -> tuple[RunRecorder | None, str | None]:
        """A recorder writing a new run folder under ``root``, or (None, the reason) when that cannot be."""
        try:
            sha, files = files_digest([Path(f) for f in data_files])
        except OSError as exc:
            sha, files = None, []
            note = f"dataset files not hashed ({exc.strerror or exc})"
        else:
            note = ""
        title = clean(name or spec.name or "run", 200).strip() or "run"
        try:
            folder = make_run_folder(Path(root), title)
            lock = WriterLock(folder)
        except OSError as exc:
            return None, f"runs are not recorded: cannot write to {root} ({exc.strerror or exc})"
        dataset_name = clean(dataset_name, 4096)
        manifest = {
            "format": FORMAT, "id": folder.name, "name": title, "notes": "", "source": source[:40],
            "status": "running", "message": clean(note, 2000), "started": now_iso(), "ended": None,
            "spec": spec.to_dict(), "config": config.to_dict(), "seed": int(config.seed),
            "dataset": {"name": dataset_name, "sha256": sha, "files": files, "train_size": 0, "test_size": 0,
                        "class_names": []},
            "versions": versions(), "device": {"device": str(config.device), "name": "", "threads": 0},
            "pid": pid(), "host": host_name(), "epochs": 0, "planned_epochs": int(config.epochs), "step": 0,
            "seconds": None, "final": None, "best": None, "models": {"last": False, "best": False},
            "keyframes": 0, "resumed": False,
        }
        recorder = cls(folder, manifest, checkpoint, lock)
        recorder._write_manifest()
        if recorder.problem:
            lock.release()
            shutil.rmtree(folder, ignore_errors=True)  # nothing of this run was written
            return None, recorder.problem
        return recorder, None

    # -- writing ---------------------------------------------------------------------------
    @property
    def recording(self) -> bool:
        return self.problem is None

    def _write(self, name: str, data: bytes) -> None:
        atomic_write_bytes(str(self.path / name), data)

    def _write_manifest(self) -> None:
        self._guard(lambda: self._write("manifest.json", json.dumps(self.manifest, indent=1).encode("utf-8")))

    def _guard(self, action: Callable[[], None]) -> None:
        """Run ``action`` unless recording is off; a failure turns recording off with its reason."""
        if self.problem is not None:
            return
        try:
            action()
        except OSError as exc:
            self._stop_recording(f"recording stopped: cannot write to {self.path} ({exc.strerror or exc})")
        except Exception as exc:  # noqa: BLE001 - the training must go on whatever recording hits
            self._stop_recording(f"recording stopped: {type(exc).__name__}: {str(exc)[:200]}")

    def _stop_recording(self, reason: str) -> None:
        self.problem = reason
        self._lock.release()

    def _save_models(self, *which: str) -> None:
        """The model now, as each of ``which`` ("last", "best")."""
        data = checkpoint_bytes(self._checkpoint())  # serialised once, however many files get it
        for name in which:
            self._write(f"{name}.safetensors", data)
            self.manifest["models"][name] = True

    def _flush(self) -> None:
        """Model files were written by the caller; now the metrics, new keyframes and the manifest."""
        self._write("metrics.csv", epochs_csv(self._rows))
        self._write("batches.csv", self._batches.to_csv())
        if len(self._frames) > self._frames_written:
            self._write("keyframes.safetensors", keyframes_bytes(self._frames))
            self._frames_written = len(self._frames)
            self.manifest["keyframes"] = len(self._frames)
        if len(self._layer_stats) > self._layer_stats_written:
            save_layer_stats(self.path / LAYER_STATS, self._layer_stats)
            self._layer_stats_written = len(self._layer_stats)
            self.manifest["layer_stats"] = len(self._layer_stats)
        self.manifest["seconds"] = round(time.perf_counter() - self._started, 3)
        self._write("manifest.json", json.dumps(self.manifest, indent=1).encode("utf-8"))

    # -- the Reporter protocol ---------------------------------------------------------------
    def on_start(self, info: Any) -> None:
        m = self.manifest
        m["device"] = {"device": clean(info.device, 100), "name": clean(info.device_name, 200),
                       "threads": int(info.threads)}
        m["dataset"].update(train_size=int(info.train_size), test_size=int(info.test_size),
                            class_names=[clean(c, 200) for c in info.class_names])
        m["config"] = info.config.to_dict()
        m["planned_epochs"] = int(info.start_epoch + info.epochs)
        self._batches = BatchLog(info.total_steps)
        if info.start_epoch > 0:
            m["resumed"] = True
            self._guard(self._take_history)
        self._write_manifest()

    def _take_history(self) -> None:
        for stats in self._checkpoint().history:
            self._note_epoch(stats)

    def _note_epoch(self, stats: Any) -> bool:
        """Keep the epoch's row and metrics; whether its test accuracy is the best so far."""
        self._rows.append(_row(stats))
        m = self.manifest
        m["epochs"], m["step"], m["final"] = stats.epoch, stats.step, _metrics(stats)
        accuracy = stats.test_accuracy
        if accuracy is not None and (self._best is None or accuracy > self._best):
            self._best = accuracy
            m["best"] = _metrics(stats)
            return True
        return False

    def on_batch(self, stats: Any) -> None:
        self._batches.add(stats.step, stats.loss, stats.accuracy)

    def on_snapshot(self, snapshot: Any) -> None:
        if snapshot.keep and self.problem is None and len(self._frames) < MAX_KEYFRAMES:
            self._frames.append((int(snapshot.step), float(snapshot.epoch), kernels(snapshot.state)))

    def on_layer_stats(self, stats: Any) -> None:
        if self.problem is None:
            self._layer_stats.add(stats)

    def on_epoch(self, stats: Any) -> None:
        if self.problem is not None:
            return
        which = ("last", "best") if self._note_epoch(stats) else ("last",)
        self._guard(lambda: self._save_models(*which))
        self._guard(self._flush)

    def on_error(self, error: Any) -> None:
        self.manifest["message"] = clean(error.message, 2000)

    def on_finish(self, info: Any) -> None:
        if self.problem is not None:
            return
        m = self.manifest
        m["status"], m["ended"] = info.status, now_iso()
        m["message"] = clean(info.message, 2000)
        if info.status in ("stopped", "diverged") and info.good_weights and info.step > m["step"]:
            self._guard(lambda: self._save_models("last"))  # what --out saves too: the weights it ended with
        if info.status == "diverged" and info.test_accuracy is not None and m["final"] is not None:
            m["final"] = {**m["final"], "test_accuracy": info.test_accuracy, "test_loss": info.test_loss}
        self._guard(self._flush)
        self._lock.release()

    def close(self) -> None:
        """Let go of the run without finishing it (it then lists as interrupted)."""
        self._lock.release()
