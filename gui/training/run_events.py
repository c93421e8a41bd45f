"""The training controller's signals as the training panel shows them: progress, status,
curves, weights for the viewers, banners. Everything here runs in the GUI thread."""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QStyle

from gui.training.jobs import FOLDER as FOLDER_ITEM
from gui.training.worker import TrainingController

__all__ = ["RunEvents", "format_eta"]

def format_eta(seconds: float) -> str:
    if not math.isfinite(seconds) or seconds < 0:
        return "—"
    seconds = int(round(seconds))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


class RunEvents:
    """Mixed into ``TrainingPanel``: its slots for ``TrainingController``'s signals.

    They use the panel's ``state``, ``plots``, ``progress``, ``status_label``, ``banner``,
    ``dataset_label``, ``pause_action`` and run bookkeeping (``start_info`` ... ``error_info``).
    """

    #: controller signal → the slot here that shows it
    SLOTS = {
        "loading": "_on_loading", "dataLoaded": "_on_data_loaded", "started": "_on_started",
        "batches": "_on_batches", "weights": "_on_weights", "keyframe": "_on_keyframe",
        "epochEnded": "_on_epoch", "lrChanged": "_on_lr_change", "finished": "_on_finished",
        "failed": "_on_failed", "runningChanged": "_running_changed", "pausedChanged": "_paused_changed",
    }

    def connect_controller(self, controller: TrainingController) -> None:
        for signal, slot in self.SLOTS.items():
            getattr(controller, signal).connect(getattr(self, slot))

    @Slot(str)
    def _on_loading(self, text: str) -> None:
        self.progress.setRange(0, 0)  # busy
        self.status_label.setText(text)

    @Slot(object)
    def _on_data_loaded(self, data: Any) -> None:
        self.progress.setRange(0, 1)
        info = data.info
        if self.dataset_name == FOLDER_ITEM:
            n_train = len(data.train) if data.train is not None else 0
            n_test = len(data.test) if data.test is not None else 0
            self.dataset_label.setText(f"{data.source}: {n_train:,} training and {n_test:,} test images, "
                                       f"{len(info.class_names)} classes ({', '.join(info.class_names[:8])}"
                                       f"{'…' if len(info.class_names) > 8 else ''})")
        if self.state.dataset_info != info:
            self.state.set_dataset_info(info)
        if not self._job_train:
            self.status_label.setText(f"{info.title}: ready ({data.source}).")
            self.banner.show_message(f"{info.title} is ready: loaded from {data.source}.", "info")

    @Slot(object)
    def _on_started(self, info: Any) -> None:
        self.start_info = info
        self.plots.set_class_names(info.class_names)
        self.plots.begin_run(info.epochs, info.start_epoch)
        self.progress.setRange(0, max(1, info.total_steps))
        self.progress.setValue(0)
        self.status_label.setText(f"Training on {info.device_name} with {info.threads} threads: "
                                  f"{info.train_size:,} images, {info.batches_per_epoch} batches per epoch.")

    @Slot(object)
    def _on_batches(self, chunk: Any) -> None:
        self.plots.add_batches(chunk)
        s = chunk.latest
        self.progress.setValue(s.step)
        self.status_label.setText(f"Epoch {s.epoch}/{s.total_steps // max(1, s.batches_per_epoch)} · batch "
                                  f"{s.batch}/{s.batches_per_epoch} · loss {s.loss:.4f} · "
                                  f"{s.images_per_s:,.0f} images/s · ETA {format_eta(s.eta_s)}")

    @Slot(object)
    def _on_weights(self, snapshot: Any) -> None:
        if snapshot.state is not None and snapshot.state is not self.state.weights:
            self.state.set_weights(snapshot.state)

    @Slot(object)
    def _on_keyframe(self, snapshot: Any) -> None:
        self.state.add_keyframe(snapshot)

    @Slot(object)
    def _on_epoch(self, stats: Any) -> None:
        self.last_epoch = stats
        self.plots.add_epoch(stats)
        test = f", test loss {stats.test_loss:.4f}, test accuracy {stats.test_accuracy:.2%}" \
            if stats.test_accuracy is not None else ""
        epochs = self.start_info.epochs if self.start_info is not None else stats.epoch
        self.plots.summary.setText(f"Epoch {stats.epoch}/{epochs}: train loss {stats.train_loss:.4f}, "
                                   f"train accuracy {stats.train_accuracy:.2%}{test} "
                                   f"({stats.seconds:.1f} s, {stats.images_per_s:,.0f} images/s)")

    @Slot(object)
    def _on_lr_change(self, change: Any) -> None:
        per_epoch = self.start_info.batches_per_epoch if self.start_info is not None else 1
        self.plots.add_lr_change(change, per_epoch)

    @Slot(object)
    def _on_finished(self, info: Any) -> None:
        self.finish_info = info
        self.progress.setRange(0, 1)
        self.progress.setValue(1 if info.status == "completed" else 0)
        acc = f"; test accuracy {info.test_accuracy:.2%}" if info.test_accuracy is not None else ""
        self.status_label.setText(f"{info.status.capitalize()}: {info.message}{acc} "
                                  f"({info.seconds:.1f} s, {info.images_per_s:,.0f} images/s).")
        if info.step > 0 and self.controller.session is not None and info.good_weights:
            self.modelTrained.emit()  # not after a divergence that had no good weights to restore
        self.message.emit(f"Training {info.status}: {info.message}", 8000)

    @Slot(object)
    def _on_failed(self, error: Any) -> None:
        self.error_info = error
        self.progress.setRange(0, 1)
        titles = {"divergence": "Training diverged", "out_of_memory": "Out of memory",
                  "data": "The dataset is not available", "config": "The settings do not fit",
                  "exception": "Training failed"}
        text = f"<b>{titles.get(error.kind, 'Error')}</b>: {error.message}"
        if error.kind == "data" and self.dataset_name == FOLDER_ITEM:
            self._folder_path = None
        self.banner.show_message(text, "warning" if error.kind == "divergence" else "error")
        if error.detail and error.kind == "exception":
            self.banner.setToolTip(error.detail[-2000:])
        self.status_label.setText(f"{titles.get(error.kind, 'Error')}.")

    @Slot(bool)
    def _running_changed(self, running: bool) -> None:
        if not running:
            self.state.set_training(False)
            if self.progress.maximum() == 0:
                self.progress.setRange(0, 1)
            if self.dataset_name == FOLDER_ITEM and not self._folder_path:
                self._restore_combo()
        self.update_actions()

    @Slot(bool)
    def _paused_changed(self, paused: bool) -> None:
        style = self.style()
        self.pause_action.setText("Resume" if paused else "Pause")
        self.pause_action.setIcon(style.standardIcon(
            QStyle.StandardPixmap.SP_MediaPlay if paused else QStyle.StandardPixmap.SP_MediaPause))
        if paused:
            self.status_label.setText("Paused. Resume continues, Stop ends the run; Save Model… works now.")
