"""The training panel: dataset, optimizer settings, Start/Pause/Stop, live lr, progress.

It owns the ``TrainingController`` (worker thread) and feeds ``TrainingPlots`` and ``AppState``
from the controller's GUI-thread signals. Nothing here runs torch in the GUI thread.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
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
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from engine.training.devices import default_threads
from engine.training.events import TrainConfig
from gui.dataset_texts import dataset_text
from gui.state import AppState
from gui.training.banner import Banner
from gui.training.config_form import ConfigForm, setting_box
from gui.training.jobs import FOLDER as FOLDER_ITEM
from gui.training.plots import TrainingPlots
from gui.training.run_control import RunControl
from gui.training.run_events import RunEvents
from gui.training.worker import DataRequest, Job, TrainingController


class TrainingPanel(RunControl, RunEvents, QWidget):
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
        self.start_action = QAction(style.standardIcon(QStyle.StandardPixmap.SP_MediaPlay), self.tr("Start"), self)
        self.start_action.setToolTip(self.tr("train the network (Ctrl+Return)"))
        self.start_action.triggered.connect(self.start)
        self.pause_action = QAction(style.standardIcon(QStyle.StandardPixmap.SP_MediaPause), self.tr("Pause"), self)
        self.pause_action.setToolTip(self.tr("pause training (Resume continues)"))
        self.pause_action.triggered.connect(self.toggle_pause)
        self.stop_action = QAction(style.standardIcon(QStyle.StandardPixmap.SP_MediaStop), self.tr("Stop"), self)
        self.stop_action.setToolTip(self.tr("stop training after the current batch"))
        self.stop_action.triggered.connect(self.stop)
        self.toggle_action = QAction(self.tr("Start/Stop training"), self)
        self.toggle_action.setShortcut(QKeySequence("Ctrl+Return"))
        self.toggle_action.triggered.connect(self.toggle_run)
        self.resume_action = QAction(self.tr("Resume &Saved Run"), self)
        self.resume_action.setToolTip(self.tr("continue the opened model's training for Epochs more epochs"))
        self.init_recording()

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
        data_box = QGroupBox(self.tr("Dataset"))
        data_form = QFormLayout(data_box)
        self.dataset_combo = QComboBox()
        self.dataset_combo.setAccessibleName(self.tr("Dataset"))
        self.dataset_combo.addItem(self.tr("Loading the engine…"), None)
        self.dataset_combo.setEnabled(False)
        self.dataset_combo.activated.connect(self._dataset_activated)
        data_form.addRow(self.tr("Data:"), self.dataset_combo)
        self.dataset_label = QLabel()
        self.dataset_label.setWordWrap(True)
        data_form.addRow(self.dataset_label)
        folder_row = QHBoxLayout()
        self.data_dir_edit = QLineEdit()
        self.data_dir_edit.setAccessibleName(self.tr("Dataset folder"))
        self.data_dir_edit.setPlaceholderText(self.tr("default data folder"))
        self.data_dir_edit.setToolTip(self.tr("where the dataset files are looked for and downloaded to"))
        folder_row.addWidget(self.data_dir_edit, 1)
        self.browse_button = QPushButton(self.tr("Browse…"))
        self.browse_button.clicked.connect(self._browse_data_dir)
        folder_row.addWidget(self.browse_button)
        data_form.addRow(self.tr("Folder:"), folder_row)
        self.download_button = QPushButton(self.tr("Download"))
        self.download_button.setToolTip(self.tr("fetch the dataset's files into the folder (needs the internet)"))
        self.download_button.clicked.connect(self.download)
        data_form.addRow("", self.download_button)
        layout.addWidget(data_box)

        # -- settings
        opt_box = QGroupBox(self.tr("Optimisation"))
        form = QFormLayout(opt_box)
        self.config_form = ConfigForm(form)
        w = self.config_form.widgets
        self.optimizer_combo, self.lr_spin, self.momentum_spin, self.nesterov_check = (
            w["optimizer"], w["lr"], w["momentum"], w["nesterov"])
        self.weight_decay_spin, self.batch_spin, self.epochs_spin, self.schedule_combo = (
            w["weight_decay"], w["batch_size"], w["epochs"], w["schedule"])
        self.augment_check, self.smoothing_spin, self.seed_spin, self.device_combo = (
            w["augment"], w["label_smoothing"], w["seed"], w["device"])
        self.optimizer_combo.currentTextChanged.connect(self._optimizer_changed)
        layout.addWidget(opt_box)

        # -- run
        run_box = QGroupBox(self.tr("Run"))
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
        live.addWidget(QLabel(self.tr("Change lr now:")))
        self.live_lr_spin = setting_box(self.config_form.settings["lr"])
        live.addWidget(self.live_lr_spin, 1)
        self.apply_lr_button = QPushButton(self.tr("Apply"))
        self.apply_lr_button.setToolTip(self.tr("set the learning rate from the next batch on (marked on the curves)"))
        self.apply_lr_button.clicked.connect(self.apply_live_lr)
        live.addWidget(self.apply_lr_button)
        run.addLayout(live)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setTextVisible(True)
        run.addWidget(self.progress)
        self.status_label = QLabel(self.tr("Idle."))
        self.status_label.setWordWrap(True)
        run.addWidget(self.status_label)
        layout.addWidget(run_box)
        layout.addStretch(1)

        # -- wiring
        self.connect_controller(self.controller)
        state.specChanged.connect(self.update_actions)
        state.engineReady.connect(self.update_actions)
        self._job_train = False
        self.update_actions()

    # -- engine ----------------------------------------------------------------------------
    def set_engine_ready(self, device: tuple[str, str] | None = None) -> None:
        """Fill the pickers that need the engine (datasets, devices)."""
        from engine.data.registry import DATASETS, default_data_dir
        from engine.training.devices import device_choices

        self._engine_ready = True
        self._datasets = dict(DATASETS)
        current = self.dataset_combo.currentData()
        self.dataset_combo.clear()
        for name, info in DATASETS.items():
            self.dataset_combo.addItem(dataset_text(info.title), name)
            self.dataset_combo.setItemData(self.dataset_combo.count() - 1, dataset_text(info.description),
                                           Qt.ItemDataRole.ToolTipRole)
        self.dataset_combo.addItem(self.tr("Your own images (folder)…"), FOLDER_ITEM)
        self.dataset_combo.setEnabled(True)
        self.data_dir_edit.setPlaceholderText(str(default_data_dir()))
        choice = self.device_combo.currentData() or self.device_combo.currentText()
        self.device_combo.clear()
        for device, label in device_choices():  # each GPU by name and memory
            self.device_combo.addItem(label, device)
        self.device_combo.setCurrentIndex(max(0, self.device_combo.findData(choice)))
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
        self.dataset_label.setText(self.tr("{0} <i>({1}, {2} classes)</i>").format(
            dataset_text(info.description), shape, len(info.class_names)))
        builtin = info.name in self._datasets and info.name != "mnist-sample"
        self.data_dir_edit.setEnabled(builtin)
        self.browse_button.setEnabled(builtin)
        self.download_button.setEnabled(builtin and bool(getattr(info, "downloadable", False))
                                        and not self.controller.running)

    @Slot(int)
    def _dataset_activated(self, row: int) -> None:
        name = self.dataset_combo.itemData(row)
        if name == FOLDER_ITEM:
            path = QFileDialog.getExistingDirectory(self, self.tr("Choose an image folder (one sub-folder per class)"))
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
        self.dataset_label.setText(self.tr("Images from {0} (loading…)").format(path))
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
        path = QFileDialog.getExistingDirectory(self, self.tr("Data folder"), self.data_dir_edit.text())
        if path:
            self.data_dir_edit.setText(path)

    def download(self) -> None:
        """Fetch the chosen dataset in the worker; offline, the DatasetError says what to do."""
        if not self._engine_ready or self.controller.running:
            return
        self._run_job(Job(self.state.spec, self.data_request(download=True), TrainConfig(), train=False))

    # -- config ----------------------------------------------------------------------------
    @Slot(str)
    def _optimizer_changed(self, _name: str) -> None:
        self.config_form.set_enabled(not self.controller.running)

    def apply_preset_training(self, training: dict[str, Any]) -> None:
        """Defaults from a preset's ``training`` dict (its source's settings)."""
        self.config_form.apply_preset(training)
        if "lr" in training:
            self.live_lr_spin.setValue(float(training["lr"]))

    def set_config(self, config: TrainConfig) -> None:
        """Show ``config`` in the form (e.g. from a model file)."""
        self.config_form.show_config(config)
        self.live_lr_spin.setValue(config.lr)

    def config(self) -> TrainConfig:
        values = self.config_form.values()
        values["device"] = values["device"] or "auto"
        return TrainConfig(**values, threads=default_threads(gui=True))

    @staticmethod
    def default_threads() -> int:
        """Torch threads a run from the app gets (one core stays with the GUI)."""
        return default_threads(gui=True)

