"""The training controller's signals as the training panel shows them: progress, status,
curves, weights for the viewers, banners. Everything here runs in the GUI thread."""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Slot
from PySide6.QtWidgets import QStyle

from gui.dataset_texts import dataset_text
from gui.training.jobs import FOLDER as FOLDER_ITEM
from gui.training.worker import TrainingController

__all__ = ["RunEvents", "format_eta"]

_STATUS = {"completed": QT_TRANSLATE_NOOP("RunEvents", "Completed"),
           "stopped": QT_TRANSLATE_NOOP("RunEvents", "Stopped"),
           "diverged": QT_TRANSLATE_NOOP("RunEvents", "Diverged"), "failed": QT_TRANSLATE_NOOP("RunEvents", "Failed")}
translate = QCoreApplication.translate

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
            self.dataset_label.setText(translate("RunEvents",
                "{0}: {1:,} training and {2:,} test images, {3} classes ({4})").format(
                data.source, n_train, n_test, len(info.class_names),
                ", ".join(info.class_names[:8]) + ("…" if len(info.class_names) > 8 else "")))
        if self.state.dataset_info != info:
            self.state.set_dataset_info(info)
        if not self._job_train:
            self.status_label.setText(translate("RunEvents", "{0}: ready ({1}).").format(
                dataset_text(info.title), data.source))
            self.banner.show_message(translate("RunEvents", "{0} is ready: loaded from {1}.").format(
                dataset_text(info.title), data.source), "info")

    @Slot(object)
    def _on_started(self, info: Any) -> None:
        self.start_info = info
        self.plots.set_class_names(info.class_names)
        self.plots.begin_run(info.epochs, info.start_epoch)
        self.progress.setRange(0, max(1, info.total_steps))
        self.progress.setValue(0)
        self.status_label.setText(translate("RunEvents",
            "Training on {0} with {1} threads: {2:,} images, {3} batches per epoch.").format(
            info.device_name, info.threads, info.train_size, info.batches_per_epoch))

    @Slot(object)
    def _on_batches(self, chunk: Any) -> None:
        self.plots.add_batches(chunk)
        s = chunk.latest
        self.progress.setValue(s.step)
        self.status_label.setText(translate("RunEvents",
            "Epoch {0}/{1} · batch {2}/{3} · loss {4:.4f} · {5:,.0f} images/s · ETA {6}").format(
            s.epoch, s.total_steps // max(1, s.batches_per_epoch), s.batch, s.batches_per_epoch, s.loss,
            s.images_per_s, format_eta(s.eta_s)))

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
        test = translate("RunEvents", ", test loss {0:.4f}, test accuracy {1:.2%}").format(
            stats.test_loss, stats.test_accuracy) \
            if stats.test_accuracy is not None else ""
        epochs = self.start_info.epochs if self.start_info is not None else stats.epoch
        self.plots.summary.setText(translate("RunEvents", "Epoch {0}/{1}: train loss {2:.4f}, train accuracy {3:.2%}{4} ({5:.1f} s, {6:,.0f} images/s)").format(  # noqa: E501
            stats.epoch, epochs, stats.train_loss, stats.train_accuracy, test, stats.seconds, stats.images_per_s))

    @Slot(object)
    def _on_lr_change(self, change: Any) -> None:
        per_epoch = self.start_info.batches_per_epoch if self.start_info is not None else 1
        self.plots.add_lr_change(change, per_epoch)

    @Slot(object)
    def _on_finished(self, info: Any) -> None:
        self.finish_info = info
        self.progress.setRange(0, 1)
        self.progress.setValue(1 if info.status == "completed" else 0)
        status = translate("RunEvents", _STATUS.get(info.status, info.status.capitalize()))
        acc = translate("RunEvents", "; test accuracy {0:.2%}").format(info.test_accuracy) \
            if info.test_accuracy is not None else ""
        self.status_label.setText(translate("RunEvents", "{0}: {1}{2} ({3:.1f} s, {4:,.0f} images/s).").format(
            status, info.message, acc, info.seconds, info.images_per_s))
        if info.step > 0 and self.controller.session is not None and info.good_weights:
            self.modelTrained.emit()  # not after a divergence that had no good weights to restore
        self.message.emit(translate("RunEvents", "Training {0}: {1}").format(status.lower(), info.message), 8000)

    @Slot(object)
    def _on_failed(self, error: Any) -> None:
        self.error_info = error
        self.progress.setRange(0, 1)
        titles = {"divergence": translate("RunEvents", "Training diverged"),
                  "out_of_memory": translate("RunEvents", "Out of memory"),
                  "data": translate("RunEvents", "The dataset is not available"),
                  "config": translate("RunEvents", "The settings do not fit"),
                  "exception": translate("RunEvents", "Training failed")}
        title = titles.get(error.kind) or translate("RunEvents", "Error")
        text = f"<b>{title}</b>: {error.message}"
        if error.kind == "data" and self.dataset_name == FOLDER_ITEM:
            self._folder_path = None
        self.banner.show_message(text, "warning" if error.kind == "divergence" else "error")
        if error.detail and error.kind == "exception":
            self.banner.setToolTip(error.detail[-2000:])
        self.status_label.setText(f"{title}.")

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
        self.pause_action.setText(translate("RunEvents", "Resume") if paused else translate("RunEvents", "Pause"))
        self.pause_action.setIcon(style.standardIcon(
            QStyle.StandardPixmap.SP_MediaPlay if paused else QStyle.StandardPixmap.SP_MediaPause))
        if paused:
            self.status_label.setText(translate("RunEvents",
                "Paused. Resume continues, Stop ends the run; Save Model… works now."))
