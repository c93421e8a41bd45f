"""The runs feature in the main window: the Runs dock (View → Panels, Ctrl+Shift+R), the runs
folder setting, File → Export…, and what opening or resuming a run does (File → Open Model's path).

The runs folder is ``CONVSCOPE_RUNS_DIR`` when set, else the "runsDir" setting, else the user
data folder (``engine.io.runs.default_runs_dir``); it is read once the engine has loaded (the
engine's runs module imports torch), and until then runs are neither listed nor recorded.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMainWindow

from gui.runs.export import Exporter
from gui.runs.panel import RunsPanel

__all__ = ["RUNS_SETTING", "RunsFeature"]

RUNS_SETTING = "runsDir"


class RunsFeature(QObject):
    """Adds the runs panel, its actions and the export command to ``window`` (a MainWindow)."""

    def __init__(self, window: QMainWindow):
        super().__init__(window)
        self.window = window
        document, training = window.document, window.training
        self.panel = RunsPanel(window.plots)
        self.dock = window.add_panel(self.tr("Runs"), self.panel, Qt.DockWidgetArea.RightDockWidgetArea, "runsDock",
                                     tabify_with=window.training_dock)
        toggle = self.dock.toggleViewAction()
        toggle.setShortcut(QKeySequence("Ctrl+Shift+R"))
        toggle.triggered.connect(lambda shown: shown and self.dock.raise_())  # to the front of its tabs
        window.training_dock.raise_()
        self.panel.openRequested.connect(self.open_run)
        self.panel.resumeRequested.connect(self.resume_run)
        self.panel.folderRequested.connect(self.choose_folder)
        self.panel.message.connect(window.statusBar().showMessage)
        controller = training.controller
        controller.started.connect(self.panel.refresh)
        controller.runningChanged.connect(self._running_changed)

        self.exporter = Exporter(window, document.current_checkpoint, self._check_images, document.recent.last_dir)
        self.exporter.done.connect(self._exported)
        self.exporter.runner.running.connect(self._exporting)
        self.export_action = QAction(self.tr("&Export…"), window)
        self.export_action.setShortcut(QKeySequence("Ctrl+E"))
        self.export_action.setStatusTip(self.tr("export the trained model as ONNX or as a plain PyTorch script"))
        self.export_action.triggered.connect(self.exporter.export_dialog)
        self.folder_action = QAction(self.tr("Runs &Folder…"), window)
        self.folder_action.setStatusTip(self.tr("choose the folder where every training run is recorded"))
        self.folder_action.triggered.connect(self.choose_folder)
        menus = window.menus
        menus.file_menu.insertAction(menus.recent_menu.menuAction(), self.export_action)
        menus.training_menu.addAction(self.folder_action)
        self.panel.count_label.setText(self.tr("The runs appear once PyTorch has loaded…"))
        window.state.engineReady.connect(self._engine_ready)  # engine.io.runs imports torch

    @Slot()
    def _engine_ready(self, *_args: Any) -> None:
        if self.panel.root is None:
            self.apply_folder(self.runs_dir())

    # -- the runs folder -------------------------------------------------------------------
    def runs_dir(self) -> Path:
        """The folder runs are recorded in and listed from."""
        from engine.io.runs import RUNS_ENV, default_runs_dir

        if os.environ.get(RUNS_ENV):
            return Path(os.environ[RUNS_ENV])
        saved = self.window.settings.value(RUNS_SETTING, "")
        return Path(str(saved)) if saved else default_runs_dir()

    def apply_folder(self, root: Path) -> None:
        self.window.training.runs_dir = root
        self.panel.set_root(root)

    @Slot()
    def choose_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self.window, self.tr("Runs Folder"), str(self.runs_dir()))
        if path:
            self.set_folder(path)

    def set_folder(self, path: str) -> None:
        """Record and list runs in ``path`` from now on (kept in the settings)."""
        self.window.settings.setValue(RUNS_SETTING, path)
        self.apply_folder(Path(path))

    # -- runs ------------------------------------------------------------------------------
    @Slot(bool)
    def _running_changed(self, running: bool) -> None:
        self.export_action.setEnabled(not running)
        if not running:
            self.panel.refresh()

    @Slot(object)
    def open_run(self, path: Path) -> bool:
        """Restore the run's spec, settings and last model, as File → Open Model does."""
        from engine.io.runs import RunError, run_model_path

        document = self.window.document
        if not document.confirm_discard(self.tr("open a run")):
            return False
        try:
            model = run_model_path(Path(path), "last")
        except RunError as exc:
            document.error(self.tr("Cannot open the run"), str(exc))
            return False
        if not document.open_model(str(model)):
            return False
        document.model_path = None  # Save Model must not suggest overwriting the run's own file
        self._show_layer_stats(Path(path))
        return True

    def _show_layer_stats(self, run: Path) -> None:
        """The run's layer statistics into the Layers over time view, when it recorded some."""
        view = getattr(self.window, "layers_view", None)
        stats = run / "layer_stats.npz"
        if view is not None and stats.is_file():
            view.open_file(str(stats))

    @Slot(object)
    def resume_run(self, path: Path) -> bool:
        """Open the run, then continue its training (Training → Resume Saved Run)."""
        return self.open_run(path) and self.window.document.resume()

    # -- export ----------------------------------------------------------------------------
    def _check_images(self, ckpt: Any) -> Any:
        """100 network inputs for the ONNX check: the loaded dataset's test images when they fit the
        model, else reproducible noise of its input shape."""
        import numpy as np

        data = self.window.draw.dataset
        split = getattr(data, "test", None)
        if split is not None and tuple(split.images.shape[1:]) == tuple(ckpt.spec.input):
            from engine.data.transforms import normalize

            return normalize(split.images[:100], data.info).cpu().numpy()
        return np.random.default_rng(0).standard_normal((100, *ckpt.spec.input)).astype(np.float32)

    @Slot(bool)
    def _exporting(self, busy: bool) -> None:
        """The status bar's progress bar is busy while an export runs."""
        bar = self.window.status_progress
        bar.setRange(0, 0 if busy else 1)
        bar.setValue(0)
        if busy:
            self.window.statusBar().showMessage(self.tr("Exporting the model…"))

    @Slot(bool, str)
    def _exported(self, ok: bool, text: str) -> None:
        banner = self.window.training.banner
        banner.show_message(text, "info" if ok else "error")
        self.window.statusBar().showMessage(text, 10000)
