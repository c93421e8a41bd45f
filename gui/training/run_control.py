"""Mixed into ``TrainingPanel``: Start/Pause/Stop, resuming a saved run, and the runs it records.

``resume(ckpt)`` continues a checkpoint exactly as ``main.py train --resume`` does: the saved
weights, optimizer and random state, the form's settings applied as changes (each noted), the
form's Epochs as the number of epochs more. Every run that trains is recorded in ``runs_dir``
(``RunRecorder`` in the training thread); when recording cannot start, the run trains anyway and
the banner says why once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot

from engine.training.events import TrainConfig
from gui.training.jobs import FOLDER as FOLDER_ITEM
from gui.training.jobs import Job

__all__ = ["RecordingNotices", "RunControl"]


class RecordingNotices(QObject):
    """Lives in the GUI thread; the training thread emits these (delivered queued)."""

    recording = Signal(str)  # the run's folder
    notRecording = Signal(str)  # why the run is not recorded


class RunControl:
    """Start, resume, pause, stop and the record of each run; uses the panel's widgets and controller."""

    runs_dir: Path | None = None  # where runs are recorded; None: not recorded

    def init_recording(self) -> None:
        self.notices = RecordingNotices(self)
        self.notices.notRecording.connect(self._not_recording)
        self.record_path: str | None = None
        self.notices.recording.connect(self._recording)

    @Slot(str)
    def _recording(self, path: str) -> None:
        self.record_path = path

    @Slot(str)
    def _not_recording(self, reason: str) -> None:
        self.record_path = None
        reason = reason.removeprefix("runs are not recorded: ")
        text = QCoreApplication.translate("RunControl", "This run is not recorded ({0}); it trains anyway.")
        self.banner.show_message(text.format(reason), "warning")

    # -- running ---------------------------------------------------------------------------
    def start_blocker(self) -> str | None:
        """Why Start is disabled, or None when it can run."""
        if not self.state.engine_ready:
            return "The training engine (PyTorch) is still loading…"
        if self.controller.running:
            return "A run is in progress; stop it first."
        report = self.state.report
        if report.errors:
            lines = [f"• {p.message}" + (f" (fix: {p.fix.label})" if p.fix else "") for p in report.errors]
            return "The network has errors; fix them in the builder first:\n" + "\n".join(lines)
        if self.dataset_name == FOLDER_ITEM and not self._folder_path:
            return "Choose an image folder first."
        return None

    def update_actions(self, *_args: Any) -> None:
        running = self.controller.running
        blocker = self.start_blocker()
        self.start_action.setEnabled(blocker is None)
        self.start_action.setToolTip(blocker or "train the network (Ctrl+Return)")
        self.start_button.setToolTip(self.start_action.toolTip())
        training = running and self._job_train
        self.pause_action.setEnabled(training)
        self.stop_action.setEnabled(training)
        self.apply_lr_button.setEnabled(training)
        self.live_lr_spin.setEnabled(training)
        self.dataset_combo.setEnabled(not running and self._engine_ready)
        self.config_form.set_enabled(not running)
        info = self.state.dataset_info
        self.download_button.setEnabled(not running and info is not None and info.name in self._datasets
                                        and bool(info.downloadable))

    def start(self) -> bool:
        """Start training the current spec; False (with the reason shown) when it cannot."""
        blocker = self.start_blocker()
        if blocker is not None:
            self.banner.show_message(blocker.replace("\n", "<br>"), "warning")
            return False
        config = self.config()
        try:
            config.validate()
        except ValueError as exc:
            self.banner.show_message(f"Check the settings: {exc}", "error")
            return False
        self.banner.hide()
        self.start_info = self.last_epoch = self.finish_info = self.error_info = None
        self.plots.clear()
        self.state.clear_keyframes()
        self.live_lr_spin.setValue(config.lr)
        return self._run_job(Job(self.state.spec, self.data_request(), config, runs_dir=self.runs_dir,
                                 notices=self.notices))

    def resume_blocker(self, ckpt: Any) -> str | None:
        """Why ``ckpt`` cannot be resumed now, or None."""
        if ckpt is None:
            return QCoreApplication.translate(
                "RunControl", "There is no model to resume: open one (File → Open Model) or train first.")
        blocker = self.start_blocker()
        if blocker is not None:
            return blocker
        if self.state.spec != ckpt.spec:
            return QCoreApplication.translate(
                "RunControl", "The network was changed after the model was opened; a resumed run trains the saved "
                "network (open the model again).")
        info = self.state.dataset_info
        if info is None or tuple(info.input_shape) != tuple(ckpt.spec.input) \
                or len(info.class_names) != ckpt.spec.num_classes:
            return QCoreApplication.translate(
                "RunControl", "The chosen dataset does not fit the saved network: choose {0}.").format(ckpt.dataset)
        return None

    def resume_settings(self, ckpt: Any) -> tuple[TrainConfig, list[str]]:
        """The resumed run's settings as ``train --resume`` makes them: the form's settings that differ
        from the saved ones are changes, its Epochs the epochs more. Raises ValueError when refused."""
        from engine.training.resume import resume_config

        saved, form = ckpt.config.to_dict(), self.config().to_dict()
        given = {k: v for k, v in form.items() if k != "epochs" and saved.get(k) != v}
        return resume_config(ckpt, given, form["epochs"])

    def resume(self, ckpt: Any) -> bool:
        """Continue ``ckpt``'s run for the form's Epochs more; False (with the reason shown) when it cannot."""
        blocker = self.resume_blocker(ckpt)
        if blocker is not None:
            self.banner.show_message(blocker.replace("\n", "<br>"), "warning")
            return False
        try:
            config, notes = self.resume_settings(ckpt)
        except ValueError as exc:
            text = QCoreApplication.translate("RunControl", "Cannot resume so: {0}")
            self.banner.show_message(text.format(exc), "error")
            return False
        if notes:
            text = QCoreApplication.translate("RunControl", "Resuming with changes: {0}")
            self.banner.show_message(text.format("; ".join(notes)), "info")
        else:
            self.banner.hide()
        self.start_info = self.last_epoch = self.finish_info = self.error_info = None
        self.plots.set_history(ckpt.history, ckpt.lr_changes, ckpt.class_names)
        self.state.clear_keyframes()
        self.live_lr_spin.setValue(config.lr)
        return self._run_job(Job(ckpt.spec, self.data_request(), config, resume=ckpt, runs_dir=self.runs_dir,
                                 notices=self.notices))

    def _run_job(self, job: Job) -> bool:
        self._job_train = job.train
        if not self.controller.start(job):
            return False
        if job.train:
            self.state.set_training(True)
            self.status_label.setText(QCoreApplication.translate("RunControl", "Starting…"))
        self.update_actions()
        return True

    def toggle_pause(self) -> None:
        if self.controller.paused:
            self.controller.resume()
        else:
            self.controller.pause()

    def stop(self) -> None:
        if self.controller.running:
            self.controller.stop()
            self.status_label.setText(QCoreApplication.translate("RunControl", "Stopping after the current batch…"))

    def toggle_run(self) -> None:
        if self.controller.running and self._job_train:
            self.stop()
        else:
            self.start()

    def apply_live_lr(self) -> None:
        lr = self.live_lr_spin.value()
        try:
            self.controller.set_lr(lr)
        except ValueError as exc:
            self.banner.show_message(str(exc), "error")
            return
        self.message.emit(f"Learning rate set to {lr:g} from the next batch", 4000)

    def shutdown(self, timeout_s: float = 1.8) -> bool:
        return self.controller.shutdown(timeout_s)

    def checkpoint(self) -> Any:
        """An engine Checkpoint of the last (or paused) run, or None."""
        session = self.controller.session
        if session is None or session.model is None:
            return None
        if self.controller.running and not self.controller.paused:
            return None
        return session.checkpoint()

