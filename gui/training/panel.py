"""The training panel: dataset, optimizer settings, Start/Pause/Stop, live lr, progress.

It owns the ``TrainingController`` (worker thread) and feeds ``TrainingPlots`` and ``AppState``
from the controller's GUI-thread signals. Nothing here runs torch in the GUI thread.
"""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from engine.training.events import OPTIMIZERS, SCHEDULES, TrainConfig
from gui.state import AppState
from gui.training.plots import TrainingPlots
from gui.training.worker import DataRequest, Job, TrainingController, worker_threads
from gui.widgets import theme

FOLDER_ITEM = "folder"


def format_eta(seconds: float) -> str:
    if not math.isfinite(seconds) or seconds < 0:
        return "—"
    seconds = int(round(seconds))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


class Banner(QFrame):
    """An in-window message (error, warning or info) with a close button; never blocks."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("banner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 4, 4, 4)
        self.icon = QLabel()
        self.icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.icon)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.label, 1)
        close = QToolButton()
        close.setText("✕")
        close.setAutoRaise(True)
        close.setToolTip("dismiss")
        close.clicked.connect(self.hide)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self.kind = ""
        self.hide()

    def show_message(self, text: str, kind: str = "error") -> None:
        self.kind = kind
        pixmap = {"error": QStyle.StandardPixmap.SP_MessageBoxCritical,
                  "warning": QStyle.StandardPixmap.SP_MessageBoxWarning}.get(
            kind, QStyle.StandardPixmap.SP_MessageBoxInformation)
        self.icon.setPixmap(self.style().standardIcon(pixmap).pixmap(20, 20))
        bg = theme.status_color("error_bg" if kind == "error" else "warning_bg") if kind != "info" else None
        fg = theme.status_color("error" if kind == "error" else "warning") if kind != "info" else None
        if bg is not None:
            self.setStyleSheet(f"QFrame#banner {{ background: {bg.name()}; border: 1px solid {fg.name()}; "
                               "border-radius: 4px; }")
        else:
            self.setStyleSheet("")
        self.label.setText(text)
        self.show()


class TrainingPanel(QWidget):
    """Settings and controls for one training run at a time."""

    modelTrained = Signal()  # a run ended with trained weights (unsaved)
    message = Signal(str, int)  # status-bar text and timeout (ms)

    def __init__(self, state: AppState, plots: TrainingPlots, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self.plots = plots
        self.controller = TrainingController(self)
        self.start_info: Any = None
        self.last_epoch: Any = None
        self.finish_info: Any = None
        self.error_info: Any = None
        self._datasets: dict[str, Any] = {}
        self._folder_path: str | None = None
        self._engine_ready = False

        # -- actions shared with the toolbar
        style = self.style()
        self.start_action = QAction(style.standardIcon(QStyle.StandardPixmap.SP_MediaPlay), "Start", self)
        self.start_action.setToolTip("train the network (Ctrl+Return)")
        self.start_action.triggered.connect(self.start)
        self.pause_action = QAction(style.standardIcon(QStyle.StandardPixmap.SP_MediaPause), "Pause", self)
        self.pause_action.setToolTip("pause training (Resume continues)")
        self.pause_action.triggered.connect(self.toggle_pause)
        self.stop_action = QAction(style.standardIcon(QStyle.StandardPixmap.SP_MediaStop), "Stop", self)
        self.stop_action.setToolTip("stop training after the current batch")
        self.stop_action.triggered.connect(self.stop)
        self.toggle_action = QAction("Start/Stop training", self)
        self.toggle_action.setShortcut(QKeySequence("Ctrl+Return"))
        self.toggle_action.triggered.connect(self.toggle_run)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget()
        scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 6, 6, 6)

        self.banner = Banner()
        layout.addWidget(self.banner)

        # -- dataset
        data_box = QGroupBox("Dataset")
        data_form = QFormLayout(data_box)
        self.dataset_combo = QComboBox()
        self.dataset_combo.addItem("Loading the engine…", None)
        self.dataset_combo.setEnabled(False)
        self.dataset_combo.activated.connect(self._dataset_activated)
        data_form.addRow("Data:", self.dataset_combo)
        self.dataset_label = QLabel()
        self.dataset_label.setWordWrap(True)
        data_form.addRow(self.dataset_label)
        folder_row = QHBoxLayout()
        self.data_dir_edit = QLineEdit()
        self.data_dir_edit.setPlaceholderText("default data folder")
        self.data_dir_edit.setToolTip("where the dataset files are looked for and downloaded to")
        folder_row.addWidget(self.data_dir_edit, 1)
        self.browse_button = QPushButton("Browse…")
        self.browse_button.clicked.connect(self._browse_data_dir)
        folder_row.addWidget(self.browse_button)
        data_form.addRow("Folder:", folder_row)
        self.download_button = QPushButton("Download")
        self.download_button.setToolTip("fetch the dataset's files into the folder (needs the internet)")
        self.download_button.clicked.connect(self.download)
        data_form.addRow("", self.download_button)
        layout.addWidget(data_box)

        # -- settings
        opt_box = QGroupBox("Optimisation")
        form = QFormLayout(opt_box)
        self.optimizer_combo = QComboBox()
        self.optimizer_combo.addItems(list(OPTIMIZERS))
        self.optimizer_combo.currentTextChanged.connect(self._optimizer_changed)
        form.addRow("Optimizer:", self.optimizer_combo)
        self.lr_spin = self._lr_box()
        form.addRow("Learning rate:", self.lr_spin)
        self.momentum_spin = QDoubleSpinBox()
        self.momentum_spin.setRange(0.0, 0.999)
        self.momentum_spin.setDecimals(3)
        self.momentum_spin.setSingleStep(0.05)
        self.momentum_spin.setValue(0.9)
        self.nesterov_check = QCheckBox("Nesterov")
        mom_row = QHBoxLayout()
        mom_row.addWidget(self.momentum_spin, 1)
        mom_row.addWidget(self.nesterov_check)
        form.addRow("Momentum:", mom_row)
        self.weight_decay_spin = QDoubleSpinBox()
        self.weight_decay_spin.setDecimals(5)
        self.weight_decay_spin.setRange(0.0, 1.0)
        self.weight_decay_spin.setSingleStep(1e-4)
        form.addRow("Weight decay:", self.weight_decay_spin)
        self.batch_spin = QSpinBox()
        self.batch_spin.setRange(1, 8192)
        self.batch_spin.setValue(64)
        form.addRow("Batch size:", self.batch_spin)
        self.epochs_spin = QSpinBox()
        self.epochs_spin.setRange(1, 1000)
        self.epochs_spin.setValue(5)
        form.addRow("Epochs:", self.epochs_spin)
        self.schedule_combo = QComboBox()
        self.schedule_combo.addItems(list(SCHEDULES))
        self.schedule_combo.setToolTip("none: constant; step: ×0.1 every third of the run; cosine: smooth decay "
                                       "to 0; onecycle: warm up then decay")
        form.addRow("Schedule:", self.schedule_combo)
        self.augment_check = QCheckBox("augment training images")
        self.augment_check.setToolTip("random shifts and rotations for digit-like images, random crops and "
                                      "flips for colour photos")
        form.addRow("", self.augment_check)
        self.smoothing_spin = QDoubleSpinBox()
        self.smoothing_spin.setRange(0.0, 0.5)
        self.smoothing_spin.setSingleStep(0.05)
        form.addRow("Label smoothing:", self.smoothing_spin)
        self.seed_spin = QSpinBox()
        self.seed_spin.setRange(0, 2**31 - 1)
        form.addRow("Seed:", self.seed_spin)
        self.device_combo = QComboBox()
        self.device_combo.addItem("auto")
        self.device_combo.addItem("cpu")
        form.addRow("Device:", self.device_combo)
        layout.addWidget(opt_box)
        self._optimizer_changed(self.optimizer_combo.currentText())

        # -- run
        run_box = QGroupBox("Run")
        run = QVBoxLayout(run_box)
        buttons = QHBoxLayout()
        for action in (self.start_action, self.pause_action, self.stop_action):
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            buttons.addWidget(button)
        buttons.addStretch(1)
        run.addLayout(buttons)
        self.start_button = buttons.itemAt(0).widget()
        live = QHBoxLayout()
        live.addWidget(QLabel("Change lr now:"))
        self.live_lr_spin = self._lr_box()
        live.addWidget(self.live_lr_spin, 1)
        self.apply_lr_button = QPushButton("Apply")
        self.apply_lr_button.setToolTip("set the learning rate from the next batch on (marked on the curves)")
        self.apply_lr_button.clicked.connect(self.apply_live_lr)
        live.addWidget(self.apply_lr_button)
        run.addLayout(live)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setTextVisible(True)
        run.addWidget(self.progress)
        self.status_label = QLabel("Idle.")
        self.status_label.setWordWrap(True)
        run.addWidget(self.status_label)
        layout.addWidget(run_box)
        layout.addStretch(1)

        # -- wiring
        c = self.controller
        c.loading.connect(self._on_loading)
        c.dataLoaded.connect(self._on_data_loaded)
        c.started.connect(self._on_started)
        c.batches.connect(self._on_batches)
        c.weights.connect(self._on_weights)
        c.keyframe.connect(self._on_keyframe)
        c.epochEnded.connect(self._on_epoch)
        c.lrChanged.connect(self._on_lr_change)
        c.finished.connect(self._on_finished)
        c.failed.connect(self._on_failed)
        c.runningChanged.connect(self._running_changed)
        c.pausedChanged.connect(self._paused_changed)
        state.specChanged.connect(self.update_actions)
        state.engineReady.connect(self.update_actions)
        self._job_train = False
        self.update_actions()

    def _lr_box(self) -> QDoubleSpinBox:
        box = QDoubleSpinBox()
        box.setDecimals(6)
        box.setRange(1e-6, 10.0)
        box.setSingleStep(1e-4)
        box.setValue(1e-3)
        try:
            box.setStepType(QDoubleSpinBox.StepType.AdaptiveDecimalStepType)
        except AttributeError:  # pragma: no cover
            pass
        return box

    # -- engine ----------------------------------------------------------------------------
    def set_engine_ready(self, device: tuple[str, str] | None = None) -> None:
        """Fill the pickers that need the engine (datasets, devices)."""
        from engine.data.registry import DATASETS, default_data_dir
        from engine.training.devices import available_devices

        self._engine_ready = True
        self._datasets = dict(DATASETS)
        current = self.dataset_combo.currentData()
        self.dataset_combo.clear()
        for name, info in DATASETS.items():
            self.dataset_combo.addItem(info.title, name)
            self.dataset_combo.setItemData(self.dataset_combo.count() - 1, info.description,
                                           Qt.ItemDataRole.ToolTipRole)
        self.dataset_combo.addItem("Your own images (folder)…", FOLDER_ITEM)
        self.dataset_combo.setEnabled(True)
        self.data_dir_edit.setPlaceholderText(str(default_data_dir()))
        choice = self.device_combo.currentText()
        self.device_combo.clear()
        self.device_combo.addItems(available_devices())
        self.device_combo.setCurrentText(choice)
        self.select_dataset(current if current in DATASETS else "mnist-sample")
        self.update_actions()

    # -- dataset ---------------------------------------------------------------------------
    @property
    def dataset_name(self) -> str | None:
        return self.dataset_combo.currentData()

    def select_dataset(self, name: str, folder: str | None = None) -> None:
        """Choose a built-in dataset (or ``folder`` with its path); the spec's input follows."""
        if name == FOLDER_ITEM:
            if folder:
                self._use_folder(folder)
            return
        row = self.dataset_combo.findData(name)
        if row < 0:
            return
        self.dataset_combo.setCurrentIndex(row)
        info = self._datasets[name]
        self._folder_path = None
        self._describe(info)
        if self.state.dataset_info != info:
            self.state.set_dataset_info(info)

    def _describe(self, info: Any) -> None:
        shape = "×".join(str(v) for v in info.input_shape)
        self.dataset_label.setText(f"{info.description} <i>({shape}, {len(info.class_names)} classes)</i>")
        builtin = info.name in self._datasets and info.name != "mnist-sample"
        self.data_dir_edit.setEnabled(builtin)
        self.browse_button.setEnabled(builtin)
        self.download_button.setEnabled(builtin and bool(getattr(info, "downloadable", False))
                                        and not self.controller.running)

    @Slot(int)
    def _dataset_activated(self, row: int) -> None:
        name = self.dataset_combo.itemData(row)
        if name == FOLDER_ITEM:
            path = QFileDialog.getExistingDirectory(self, "Choose an image folder (one sub-folder per class)")
            if not path:
                self._restore_combo()
                return
            self._use_folder(path)
        elif name:
            self.select_dataset(name)

    def _restore_combo(self) -> None:
        info = self.state.dataset_info
        row = self.dataset_combo.findData(info.name if info is not None and info.name in self._datasets
                                          else FOLDER_ITEM if self._folder_path else "mnist-sample")
        self.dataset_combo.setCurrentIndex(max(0, row))

    def _use_folder(self, path: str) -> None:
        """Load an image folder in the worker; its classes and image shape become the input."""
        self._folder_path = path
        row = self.dataset_combo.findData(FOLDER_ITEM)
        self.dataset_combo.setCurrentIndex(row)
        self.dataset_label.setText(f"Images from {path} (loading…)")
        spec = self.state.spec
        request = DataRequest(FOLDER_ITEM, path, image_size=(int(spec.input[1]), int(spec.input[2])))
        self._run_job(Job(spec, request, TrainConfig(), train=False))

    def data_request(self, download: bool = False) -> DataRequest:
        name = self.dataset_name or "mnist-sample"
        if name == FOLDER_ITEM:
            spec = self.state.spec
            return DataRequest(FOLDER_ITEM, self._folder_path, image_size=(int(spec.input[1]), int(spec.input[2])))
        folder = self.data_dir_edit.text().strip() or None
        return DataRequest(name, folder, download=download)

    def _browse_data_dir(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Data folder", self.data_dir_edit.text())
        if path:
            self.data_dir_edit.setText(path)

    def download(self) -> None:
        """Fetch the chosen dataset in the worker; offline, the DatasetError says what to do."""
        if not self._engine_ready or self.controller.running:
            return
        self._run_job(Job(self.state.spec, self.data_request(download=True), TrainConfig(), train=False))

    # -- config ----------------------------------------------------------------------------
    @Slot(str)
    def _optimizer_changed(self, name: str) -> None:
        sgd = name == "sgd"
        self.momentum_spin.setEnabled(sgd)
        self.nesterov_check.setEnabled(sgd)

    def apply_preset_training(self, training: dict[str, Any]) -> None:
        """Defaults from a preset's ``training`` dict (its source's settings)."""
        if "optimizer" in training:
            self.optimizer_combo.setCurrentText(training["optimizer"])
        if "lr" in training:
            self.lr_spin.setValue(float(training["lr"]))
            self.live_lr_spin.setValue(float(training["lr"]))
        if "momentum" in training:
            self.momentum_spin.setValue(float(training["momentum"]))
        self.nesterov_check.setChecked(bool(training.get("nesterov", False)))
        self.weight_decay_spin.setValue(float(training.get("weight_decay", 0.0)))
        if "batch_size" in training:
            self.batch_spin.setValue(int(training["batch_size"]))
        if "epochs" in training:
            self.epochs_spin.setValue(int(training["epochs"]))
        self.schedule_combo.setCurrentText(training.get("schedule", "none"))
        self.augment_check.setChecked(bool(training.get("augment", False)))

    def set_config(self, config: TrainConfig) -> None:
        """Show ``config`` in the form (e.g. from a model file)."""
        self.apply_preset_training({k: getattr(config, k) for k in (
            "optimizer", "lr", "momentum", "nesterov", "weight_decay", "batch_size", "epochs", "schedule", "augment")})
        self.smoothing_spin.setValue(config.label_smoothing)
        self.seed_spin.setValue(config.seed)

    def config(self) -> TrainConfig:
        return TrainConfig(
            optimizer=self.optimizer_combo.currentText(),
            lr=self.lr_spin.value(),
            momentum=self.momentum_spin.value(),
            nesterov=self.nesterov_check.isChecked(),
            weight_decay=self.weight_decay_spin.value(),
            batch_size=self.batch_spin.value(),
            epochs=self.epochs_spin.value(),
            schedule=self.schedule_combo.currentText(),
            augment=self.augment_check.isChecked(),
            label_smoothing=self.smoothing_spin.value(),
            seed=self.seed_spin.value(),
            device=self.device_combo.currentText() or "auto",
            threads=worker_threads(),
        )

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
        for widget in (self.dataset_combo, self.optimizer_combo, self.lr_spin, self.batch_spin, self.epochs_spin,
                       self.schedule_combo, self.augment_check, self.seed_spin, self.device_combo,
                       self.weight_decay_spin, self.smoothing_spin):
            widget.setEnabled(not running and (widget is not self.dataset_combo or self._engine_ready))
        self.momentum_spin.setEnabled(not running and self.optimizer_combo.currentText() == "sgd")
        self.nesterov_check.setEnabled(not running and self.optimizer_combo.currentText() == "sgd")
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
        return self._run_job(Job(self.state.spec, self.data_request(), config))

    def _run_job(self, job: Job) -> bool:
        self._job_train = job.train
        if not self.controller.start(job):
            return False
        if job.train:
            self.state.set_training(True)
            self.status_label.setText("Starting…")
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
            self.status_label.setText("Stopping after the current batch…")

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

    # -- controller signals (GUI thread) ---------------------------------------------------
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
        if info.step > 0 and self.controller.session is not None:
            self.modelTrained.emit()
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

    @staticmethod
    def default_threads() -> int:
        return worker_threads()

