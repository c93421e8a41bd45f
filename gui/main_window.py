"""The main window: menus, toolbar, status bar, dockable panels, files, settings, closing.

Panels are QDockWidgets added with ``add_panel(title, widget, area, object_name)``, which also
puts a toggle in the View menu; their layout, the window geometry and the recent files are kept
in QSettings (organisation "ConvScope").
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import numpy as np
import shiboken6
from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence, QPaintEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QStyle,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from engine.io.fileio import save_spec
from engine.model.presets import PRESETS
from engine.model.spec import NetworkSpec, SpecError
from gui.builder.panel import BuilderPanel, dataset_input_edit
from gui.explain.panel import ExplainPanel
from gui.state import AppState
from gui.training.panel import TrainingPanel
from gui.training.plots import TrainingPlots
from gui.viewers.draw import DrawPanel
from gui.widgets import theme

APP_NAME = "ConvScope"
MAX_RECENT = 8
ARCH_FILTER = "Architectures (*.json);;All files (*)"
MODEL_FILTER = "ConvScope models (*.safetensors *.convscope);;All files (*)"
MODEL_SUFFIXES = (".safetensors", ".convscope", ".ckpt", ".pt")

FORMULAS_HTML = """
<h3>Convolution output size</h3>
<p style="font-size:large"><b>O = floor((I − K + 2P) / S) + 1</b></p>
<p>I: input height (or width), K: kernel size, P: padding, S: stride. With dilation d the kernel
covers K' = d·(K − 1) + 1 pixels; use K' for K. Padding "same" (stride 1) keeps O = I.</p>
<p>Example: a 28×28 input, a 3×3 kernel, padding 1, stride 1 → (28 − 3 + 2) / 1 + 1 = 28.</p>
<h3>Parameters of a convolution</h3>
<p style="font-size:large"><b>params = K·K·C<sub>in</sub>·C<sub>out</sub> + C<sub>out</sub></b></p>
<p>One K×K filter per input channel for every output channel, plus one bias per output channel.
Example: 3×3, 1 → 32 channels: 3·3·1·32 + 32 = 320.</p>
<h3>Pooling</h3>
<p>Pooling has <b>no parameters</b> and <b>keeps the number of channels</b>; only height and width
shrink, by the same formula (a 2×2 window with stride 2 halves them: 28 → 14 → 7).</p>
<h3>Fully connected (linear)</h3>
<p><b>params = in·out + out</b>. After flatten, in = C·H·W (e.g. 64·7·7 = 3,136).</p>
<h3>Cost and receptive field</h3>
<p>MACs of a convolution = K·K·C<sub>in</sub>·C<sub>out</sub>·O<sub>h</sub>·O<sub>w</sub>.
Receptive field r<sub>out</sub> = r<sub>in</sub> + (K' − 1)·j<sub>in</sub>, and the jump
j<sub>out</sub> = j<sub>in</sub>·S.</p>
"""


def is_model_path(path: str) -> bool:
    return Path(path).suffix.lower() in MODEL_SUFFIXES


VIEWER_TABS = ("Feature maps", "Kernels")


class MainWindow(QMainWindow):
    """ConvScope's window. ``ask_to_save = False`` skips the unsaved-changes prompt (tests)."""

    ask_to_save = True
    firstPainted = Signal(float)  # perf_counter() at the first paint
    fileOpened = Signal(str)

    def __init__(self, state: AppState | None = None, settings: QSettings | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        fresh = state is None
        self.state = state or AppState(PRESETS["seed000"].spec)
        self.settings = settings or QSettings("ConvScope", "ConvScope")
        self.docks: dict[str, QDockWidget] = {}
        self.spec_path: str | None = None
        self.model_path: str | None = None
        self.model_unsaved = False
        self.loaded_checkpoint: Any = None
        self._painted = False
        self.open_path_pending = False  # a file from the command line waits for the engine
        self.unfinished_thread = False  # closing could not wait for the training thread
        self.setObjectName("mainWindow")
        self.setAcceptDrops(True)
        self.setDockOptions(QMainWindow.DockOption.AnimatedDocks | QMainWindow.DockOption.AllowTabbedDocks
                            | QMainWindow.DockOption.AllowNestedDocks)

        # central: the training curves, with the viewers as tabs beside them
        # (the viewers need torch: they replace their "loading" pages once the engine is ready)
        self.plots = TrainingPlots()
        self.feature_maps: Any = None  # FeatureMapViewer, built by _build_viewers
        self.kernels: Any = None  # KernelViewer
        self.views = QTabWidget()
        self.views.setDocumentMode(True)
        self.views.addTab(self.plots, "Training curves")
        for title in VIEWER_TABS:
            page = QLabel(f"{title} appear once PyTorch has loaded…")
            page.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.views.addTab(page, title)
        self.explainer = ExplainPanel()
        self.views.addTab(self.explainer, "Convolution explainer")
        self.setCentralWidget(self.views)
        # panels
        self.builder = BuilderPanel(self.state)
        self.training = TrainingPanel(self.state, self.plots)
        self._create_actions()
        self._create_menus()
        self._create_toolbar()
        self._create_status_bar()
        self.builder_dock = self.add_panel("Layers", self.builder, Qt.DockWidgetArea.LeftDockWidgetArea, "builderDock")
        self.training_dock = self.add_panel("Training", self.training, Qt.DockWidgetArea.RightDockWidgetArea,
                                            "trainingDock")
        self.draw = DrawPanel(self.state)
        self.draw_dock = self.add_panel("Draw", self.draw, Qt.DockWidgetArea.RightDockWidgetArea, "drawDock",
                                        tabify_with=self.training_dock)
        self.training_dock.raise_()
        self.resizeDocks([self.builder_dock, self.training_dock], [500, 340], Qt.Orientation.Horizontal)

        # wiring
        st = self.state
        st.undo_stack.cleanChanged.connect(self._update_title)
        st.specChanged.connect(self._update_title)
        st.datasetChanged.connect(self._dataset_changed)
        st.trainingChanged.connect(self._training_changed)
        self.builder.presetChosen.connect(self._preset_chosen)
        self.training.modelTrained.connect(self._model_trained)
        self.training.message.connect(self.statusBar().showMessage)
        self.training.controller.dataLoaded.connect(self.draw.set_dataset)
        self.training.controller.started.connect(self._run_started)
        self.training.controller.batches.connect(self._run_batches)
        self.training.controller.runningChanged.connect(self._update_actions)
        self.training.controller.pausedChanged.connect(self._update_actions)
        th = theme.current()
        if th is not None:
            th.changed.connect(self._scheme_changed)
        if fresh:  # the starting network brings its course note's training settings
            self.training.apply_preset_training(PRESETS["seed000"].training)
        self.resize(1400, 880)
        self._restore_settings()
        self._update_title()
        self._update_actions()

    # -- panels ----------------------------------------------------------------------------
    def add_panel(self, title: str, widget: QWidget, area: Qt.DockWidgetArea = Qt.DockWidgetArea.RightDockWidgetArea,
                  object_name: str | None = None, *, tabify_with: QDockWidget | None = None) -> QDockWidget:
        """Dock ``widget`` as a panel titled ``title`` with a toggle in the View menu."""
        dock = QDockWidget(title, self)
        dock.setObjectName(object_name or f"{title.lower().replace(' ', '_')}Dock")
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetClosable
                         | QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
        self.addDockWidget(area, dock)
        if tabify_with is not None:
            self.tabifyDockWidget(tabify_with, dock)
        toggle = dock.toggleViewAction()
        toggle.setText(title)
        toggle.setStatusTip(f"show or hide the {title} panel")
        self.panels_menu.addAction(toggle)
        self.docks[dock.objectName()] = dock
        return dock

    @Slot(str)
    def _viewer_status(self, text: str) -> None:
        self.statusBar().showMessage(text, 4000)

    def explain_drawing(self) -> None:
        """Open the drawn digit's 28×28 network view (0–1) in the convolution explainer."""
        image = self.draw.current_image28()
        self.explainer.set_input_array(np.round(image.astype(np.float32) / 255.0, 2), "the drawn digit (28×28)")
        self.show_view(self.views.indexOf(self.explainer))

    def explain_feature_map(self) -> None:
        """Open the feature map selected in the viewer as the explainer's input."""
        viewer = self.feature_maps
        output = viewer.layer_output() if viewer is not None else None
        if output is None or output.ndim != 3:
            self.statusBar().showMessage("Pick a conv, pool or activation layer in Feature maps first", 5000)
            return
        index = min(viewer.selected_map(), output.shape[0] - 1)
        self.explainer.set_input_array(np.round(output[index], 3), f"{viewer.current_layer()} map {index}")
        self.show_view(self.views.indexOf(self.explainer))

    def explain_kernel(self) -> None:
        """Open the first kernel of the conv layer shown in Kernels (all its input channels)."""
        from engine.inspect.activations import conv_kernels

        layer = self.kernels.current_layer() if self.kernels is not None else None
        weights = self.state.weights
        if layer is None or weights is None:
            self.statusBar().showMessage("Train or open a model first: its learned kernels come from there", 5000)
            return
        kernel = conv_kernels(weights, layer)[0]
        self.explainer.set_kernel_array(np.round(kernel, 3), f"{layer} kernel 0 (learned)")
        self.show_view(self.views.indexOf(self.explainer))

    def show_view(self, index: int) -> None:
        """Bring central tab ``index`` (curves, feature maps, kernels, …) to the front."""
        if 0 <= index < self.views.count():
            self.views.setCurrentIndex(index)

    # -- actions and menus -----------------------------------------------------------------
    def _create_actions(self) -> None:
        style = self.style()

        def action(text: str, slot, key: Any = None, icon: QStyle.StandardPixmap | None = None,
                   tip: str = "") -> QAction:
            a = QAction(text, self)
            if icon is not None:
                a.setIcon(style.standardIcon(icon))
            if key is not None:
                a.setShortcut(QKeySequence(key))
            if tip:
                a.setToolTip(tip)
                a.setStatusTip(tip)
            a.triggered.connect(slot)
            return a

        SK = QKeySequence.StandardKey
        SP = QStyle.StandardPixmap
        self.new_action = action("&New", self.new_file, SK.New, SP.SP_FileIcon, "start a new network")
        self.open_action = action("&Open Architecture…", self.open_architecture_dialog, SK.Open,
                                  SP.SP_DialogOpenButton, "open a network architecture (.json)")
        self.save_action = action("&Save Architecture", self.save_architecture, SK.Save, SP.SP_DialogSaveButton,
                                  "save the network architecture")
        self.save_as_action = action("Save Architecture &As…", self.save_architecture_as, SK.SaveAs, None,
                                     "save the network architecture under a new name")
        self.open_model_action = action("Open &Model…", self.open_model_dialog, "Ctrl+Shift+O", None,
                                        "open a trained model: architecture, weights and curves")
        self.save_model_action = action("Save Mo&del…", self.save_model_dialog, "Ctrl+Shift+M", None,
                                        "save the trained model (weights, history and settings)")
        self.quit_action = action("&Quit", self.close, SK.Quit, None, "quit ConvScope")
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.undo_action = self.state.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence(SK.Undo))
        self.undo_action.setIcon(style.standardIcon(SP.SP_ArrowBack))
        self.redo_action = self.state.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcut(QKeySequence(SK.Redo))
        self.redo_action.setIcon(style.standardIcon(SP.SP_ArrowForward))
        self.formulas_action = action("&Formulas", self.show_formulas, SK.HelpContents, None,
                                      "the shape and parameter formulas")
        self.about_action = action("&About ConvScope", self.show_about)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)

    def _create_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self.new_action)
        file_menu.addAction(self.open_action)
        file_menu.addAction(self.save_action)
        file_menu.addAction(self.save_as_action)
        file_menu.addSeparator()
        file_menu.addAction(self.open_model_action)
        file_menu.addAction(self.save_model_action)
        file_menu.addSeparator()
        self.recent_menu = file_menu.addMenu("Recent &Files")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        self.file_menu = file_menu

        edit = bar.addMenu("&Edit")
        edit.addAction(self.undo_action)
        edit.addAction(self.redo_action)
        self.edit_menu = edit

        view = bar.addMenu("&View")
        self.view_menu = view
        for index in range(self.views.count()):
            act = view.addAction(self.views.tabText(index))
            act.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
            act.triggered.connect(lambda _=False, i=index: self.show_view(i))
        view.addSeparator()
        self._create_scheme_menu()
        view.addSeparator()
        view.addSection("Panels")
        self.panels_menu = view  # add_panel appends each panel's toggle here

        train = bar.addMenu("&Training")
        train.addAction(self.training.start_action)
        train.addAction(self.training.pause_action)
        train.addAction(self.training.stop_action)
        train.addSeparator()
        train.addAction(self.training.toggle_action)
        self.addAction(self.training.toggle_action)
        self.training_menu = train

        explain = bar.addMenu("E&xplain")
        for text, slot in (("Explain the &Drawn Digit", self.explain_drawing),
                           ("Explain the Selected &Feature Map", self.explain_feature_map),
                           ("Use a Learned &Kernel", self.explain_kernel)):
            explain.addAction(text).triggered.connect(slot)
        self.explain_menu = explain

        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.formulas_action)
        help_menu.addAction(self.about_action)
        self.help_menu = help_menu

    def _create_scheme_menu(self) -> None:
        menu = self.view_menu.addMenu("Colour &Scheme")
        group = QActionGroup(self)
        self.scheme_actions: dict[str, QAction] = {}
        th = theme.current()
        for scheme, text in (("system", "Follow the System"), ("light", "Light"), ("dark", "Dark")):
            a = menu.addAction(text)
            a.setCheckable(True)
            a.setChecked(th is not None and th.scheme == scheme)
            a.triggered.connect(lambda _=False, s=scheme: self.set_scheme(s))
            group.addAction(a)
            self.scheme_actions[scheme] = a

    def _create_toolbar(self) -> None:
        bar = self.addToolBar("Main")
        bar.setObjectName("mainToolBar")
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        bar.addAction(self.open_action)
        bar.addAction(self.save_action)
        bar.addSeparator()
        bar.addAction(self.undo_action)
        bar.addAction(self.redo_action)
        bar.addSeparator()
        bar.addAction(self.training.start_action)
        bar.addAction(self.training.pause_action)
        bar.addAction(self.training.stop_action)
        self.toolbar = bar

    def _create_status_bar(self) -> None:
        status = self.statusBar()
        self.device_label = QLabel("Loading PyTorch…")
        self.device_label.setToolTip("the device that trains")
        self.threads_label = QLabel("")
        self.threads_label.setToolTip("torch threads used by the training thread")
        self.rate_label = QLabel("")
        self.rate_label.setToolTip("training images per second")
        self.status_progress = QProgressBar()
        self.status_progress.setMaximumWidth(180)
        self.status_progress.setRange(0, 1)
        self.status_progress.setValue(0)
        self.status_progress.setTextVisible(True)
        for widget in (self.device_label, self.threads_label, self.rate_label, self.status_progress):
            status.addPermanentWidget(widget)

    # -- state reactions -------------------------------------------------------------------
    def _update_title(self, *_args: Any) -> None:
        if not shiboken6.isValid(self.state.undo_stack):  # the stack's destructor signals too
            return
        name = Path(self.spec_path).name if self.spec_path else f"{self.state.spec.name} (unsaved)"
        self.setWindowTitle(f"{name}[*] — {APP_NAME}")
        self.setWindowModified(self.architecture_modified)

    @property
    def architecture_modified(self) -> bool:
        return not self.state.undo_stack.isClean()

    def _update_actions(self, *_args: Any) -> None:
        running = self.training.controller.running
        paused = self.training.controller.paused
        self.save_model_action.setEnabled(self.training.controller.session is not None and (not running or paused)
                                          or self.loaded_checkpoint is not None and not running)
        for a in (self.new_action, self.open_action, self.open_model_action):
            a.setEnabled(not running)
        self.builder.setEnabled(not running)
        self.undo_action.setEnabled(not running and self.state.undo_stack.canUndo())
        self.redo_action.setEnabled(not running and self.state.undo_stack.canRedo())
        self.state.undo_stack.setActive(not running)

    @Slot(object)
    def _dataset_changed(self, info: Any) -> None:
        if info is None:
            return
        edit = dataset_input_edit(self.state.spec, info)
        if edit is not None:
            self.state.edit_spec(*edit)
        self.builder.refresh()

    @Slot(bool)
    def _training_changed(self, _running: bool) -> None:
        self._update_actions()

    def engine_loaded(self, device: tuple[str, str]) -> None:
        """Called once torch is imported (queued from the loader thread): GUI-thread torch
        inference uses one thread, the training thread the others."""
        import torch

        torch.set_num_threads(1)
        self.device_label.setText(f"Device: {device[1]}")
        self.threads_label.setText(f"Threads: {self.training.default_threads()}")
        self.training.set_engine_ready(device)
        self._build_viewers()
        self.state.mark_engine_ready()
        self.training.update_actions()

    def _build_viewers(self) -> None:
        """Create the torch-backed viewers in place of their tabs' loading pages."""
        if self.feature_maps is not None:
            return
        from gui.viewers.feature_maps import FeatureMapViewer  # pyqtgraph and torch: only once they are wanted
        from gui.viewers.kernels import KernelViewer

        self.feature_maps = FeatureMapViewer(self.state)
        self.kernels = KernelViewer(self.state)
        current = self.views.currentIndex()
        for title, widget in zip(VIEWER_TABS, (self.feature_maps, self.kernels)):
            index = next(i for i in range(self.views.count()) if self.views.tabText(i) == title)
            old = self.views.widget(index)
            self.views.removeTab(index)
            self.views.insertTab(index, widget, title)
            old.deleteLater()
            widget.statusMessage.connect(self._viewer_status)
        self.views.setCurrentIndex(current)
        self.draw.inputChanged.connect(self.feature_maps.set_input)
        self.feature_maps.set_input(self.draw.current_input())

    def engine_failed(self, reason: str) -> None:
        self.device_label.setText("PyTorch unavailable")
        self.training.banner.show_message(f"The training engine could not load ({reason}). The builder works; "
                                          "training needs PyTorch installed (make setup).", "error")

    def _preset_chosen(self, preset: Any) -> None:
        self.training.apply_preset_training(preset.training)
        self.statusBar().showMessage(f"Loaded preset {preset.name}; training settings from its source", 5000)

    @Slot(object)
    def _run_started(self, info: Any) -> None:
        self.device_label.setText(f"Device: {info.device_name}")
        self.threads_label.setText(f"Threads: {info.threads}")
        self.status_progress.setRange(0, max(1, info.total_steps))
        self.status_progress.setValue(0)

    @Slot(object)
    def _run_batches(self, chunk: Any) -> None:
        s = chunk.latest
        self.rate_label.setText(f"{s.images_per_s:,.0f} images/s")
        self.status_progress.setValue(s.step)

    def _model_trained(self) -> None:
        self.model_unsaved = True
        self.loaded_checkpoint = None
        self._update_actions()

    @Slot(bool)
    def _scheme_changed(self, _dark: bool) -> None:
        self.builder.refresh()

    def set_scheme(self, scheme: str) -> None:
        th = theme.current()
        if th is not None:
            th.set_scheme(scheme)
            self.settings.setValue("scheme", scheme)

    # -- files -----------------------------------------------------------------------------
    def _confirm_discard(self, what: str = "continue") -> bool:
        """Save/Discard/Cancel when there are unsaved changes; True to go on."""
        if not self.ask_to_save:
            return True
        reasons = []
        if self.architecture_modified:
            reasons.append("the architecture has unsaved changes")
        if self.model_unsaved:
            reasons.append("the trained model has not been saved")
        if not reasons:
            return True
        box = QMessageBox(QMessageBox.Icon.Warning, APP_NAME, f"Save before you {what}?", parent=self)
        box.setInformativeText("; ".join(reasons).capitalize() + ".")
        box.setStandardButtons(QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                               | QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        answer = box.exec()
        if answer == QMessageBox.StandardButton.Cancel:
            return False
        if answer == QMessageBox.StandardButton.Save:
            if self.architecture_modified and not self.save_architecture():
                return False
            if self.model_unsaved and not self.save_model_dialog():
                return False
        return True

    def new_file(self) -> None:
        if self.training.controller.running or not self._confirm_discard("start a new network"):
            return
        base = PRESETS["seed000"].spec
        info = self.state.dataset_info
        spec = NetworkSpec(name="untitled", input=tuple(info.input_shape) if info else base.input,
                           num_classes=len(info.class_names) if info else base.num_classes,
                           layers=base.layers)
        self.state.set_spec(spec)
        self.state.set_weights(None)
        self.state.undo_stack.clear()
        self.spec_path = None
        self.model_unsaved = False
        self.loaded_checkpoint = None
        self.plots.set_history([], [])
        self.plots.summary.setText("New network (the classic two-block CNN): edit it, then press Start.")
        self._update_title()
        self._update_actions()

    def open_path(self, path: str) -> bool:
        """Open an architecture (.json) or a model file, by its suffix."""
        if is_model_path(path):
            return self.open_model(path)
        return self.open_architecture(path)

    def open_architecture_dialog(self) -> None:
        if not self._confirm_discard("open another network"):
            return
        path, _ = QFileDialog.getOpenFileName(self, "Open Architecture", self._last_dir(), ARCH_FILTER)
        if path:
            self.open_architecture(path, confirmed=True)

    def open_architecture(self, path: str, confirmed: bool = False) -> bool:
        if self.training.controller.running:
            self._error("Stop training before opening another network.")
            return False
        try:
            spec = NetworkSpec.load(path)
        except SpecError as exc:
            self._error(f"Cannot open {Path(path).name}", self._spec_error_text(exc))
            return False
        info = self.state.dataset_info
        self.state.edit_spec(spec, f"Open {Path(path).name}")
        self.spec_path = path
        self.state.undo_stack.setClean()
        if info is not None and dataset_input_edit(spec, info) is not None:
            self.statusBar().showMessage(
                f"{Path(path).name} expects {'×'.join(map(str, spec.input))} inputs and {spec.num_classes} classes; "
                f"the chosen dataset {info.title} differs: pick a matching dataset or edit the input.", 10000)
        self._add_recent(path)
        self._update_title()
        self.fileOpened.emit(path)
        return True

    @staticmethod
    def _spec_error_text(exc: SpecError) -> str:
        lines = []
        for index, key, message in exc.problems:
            where = ", ".join(w for w in (f"layer {index}" if index is not None else "",
                                          f"'{key}'" if key else "") if w)
            lines.append(f"• {where + ': ' if where else ''}{message}")
        return "\n".join(lines) or str(exc)

    def save_architecture(self) -> bool:
        if not self.spec_path:
            return self.save_architecture_as()
        return self._write_architecture(self.spec_path)

    def save_architecture_as(self) -> bool:
        suggestion = self.spec_path or os.path.join(self._last_dir(), f"{self.state.spec.name}.json")
        path, _ = QFileDialog.getSaveFileName(self, "Save Architecture", suggestion, ARCH_FILTER)
        if not path:
            return False
        if not Path(path).suffix:
            path += ".json"
        return self._write_architecture(path)

    def _write_architecture(self, path: str) -> bool:
        try:
            save_spec(self.state.spec, path)
        except OSError as exc:
            self._error(f"Cannot save {Path(path).name}", str(exc))
            return False
        self.spec_path = path
        self.state.undo_stack.setClean()
        self._add_recent(path)
        self._update_title()
        self.statusBar().showMessage(f"Saved {path}", 4000)
        return True

    def open_model_dialog(self) -> None:
        if not self._confirm_discard("open a model"):
            return
        path, _ = QFileDialog.getOpenFileName(self, "Open Model", self._last_dir(), MODEL_FILTER)
        if path:
            self.open_model(path)

    def open_model(self, path: str) -> bool:
        """Restore a model file: architecture, weights, training settings and curves."""
        if self.training.controller.running:
            self._error("Stop training before opening a model.")
            return False
        if not self.state.engine_ready:
            self._error("PyTorch is still loading; open the model again in a moment.")
            return False
        from engine.io.checkpoint import CheckpointError, load_checkpoint

        try:
            ckpt = load_checkpoint(path)
        except CheckpointError as exc:
            self._error(f"Cannot open {Path(path).name}", str(exc))
            return False
        if ckpt.dataset and self.training.dataset_combo.findData(ckpt.dataset) >= 0:
            self.training.select_dataset(ckpt.dataset)
        self.state.edit_spec(ckpt.spec, f"Open model {Path(path).name}")
        self.state.set_weights(ckpt.numpy_state())
        self.training.set_config(ckpt.config)
        self.plots.set_history(ckpt.history, ckpt.lr_changes, ckpt.class_names)
        self.loaded_checkpoint = ckpt
        self.model_path = path
        self.model_unsaved = False
        self._add_recent(path)
        self._update_actions()
        self.statusBar().showMessage(f"Opened model {path} ({ckpt.epoch} epochs, step {ckpt.step})", 6000)
        self.fileOpened.emit(path)
        return True

    def current_checkpoint(self) -> Any:
        ckpt = self.training.checkpoint()
        return ckpt if ckpt is not None else self.loaded_checkpoint

    def save_model_dialog(self) -> bool:
        ckpt = self.current_checkpoint()
        if ckpt is None:
            self._error("There is no trained model to save yet", "Train the network (or pause a run) first.")
            return False
        suggestion = self.model_path or os.path.join(self._last_dir(), f"{ckpt.spec.name}.safetensors")
        path, _ = QFileDialog.getSaveFileName(self, "Save Model", suggestion, MODEL_FILTER)
        if not path:
            return False
        if not Path(path).suffix:
            path += ".safetensors"
        return self.save_model(path, ckpt)

    def save_model(self, path: str, ckpt: Any = None) -> bool:
        from engine.io.checkpoint import save_checkpoint

        ckpt = ckpt if ckpt is not None else self.current_checkpoint()
        if ckpt is None:
            return False
        try:
            save_checkpoint(path, ckpt)
        except (OSError, ValueError, RuntimeError) as exc:
            self._error(f"Cannot save {Path(path).name}", str(exc))
            return False
        self.model_path = path
        self.model_unsaved = False
        self._add_recent(path)
        self.statusBar().showMessage(f"Saved model {path}", 4000)
        return True

    def _error(self, text: str, detail: str = "") -> None:
        """A clear message that never blocks a test run (banner), plus a dialog for people."""
        message = text + (f": {detail}" if detail else "")
        self.training.banner.show_message(message.replace("\n", "<br>"), "error")
        self.statusBar().showMessage(text, 8000)
        if self.ask_to_save:  # interactive session: also a dialog
            box = QMessageBox(QMessageBox.Icon.Warning, APP_NAME, text, QMessageBox.StandardButton.Ok, self)
            if detail:
                box.setInformativeText(detail)
            box.open()

    # -- recent files ----------------------------------------------------------------------
    def recent_files(self) -> list[str]:
        value = self.settings.value("recentFiles", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])]

    def _add_recent(self, path: str) -> None:
        path = os.path.abspath(path)
        files = [p for p in self.recent_files() if p != path]
        files.insert(0, path)
        self.settings.setValue("recentFiles", files[:MAX_RECENT])
        self.settings.setValue("lastDir", os.path.dirname(path))

    def _last_dir(self) -> str:
        return str(self.settings.value("lastDir", str(Path.home())))

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        files = self.recent_files()
        for n, path in enumerate(files, 1):
            a = self.recent_menu.addAction(f"&{n} {Path(path).name}")
            a.setToolTip(path)
            a.setStatusTip(path)
            a.setEnabled(os.path.exists(path))
            a.triggered.connect(lambda _=False, p=path: self._open_recent(p))
        if not files:
            a = self.recent_menu.addAction("(none)")
            a.setEnabled(False)
        else:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction("Clear", lambda: self.settings.setValue("recentFiles", []))

    def _open_recent(self, path: str) -> None:
        if self._confirm_discard("open another file"):
            self.open_path(path)

    # -- drag and drop ---------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        urls = event.mimeData().urls()
        if urls and all(u.isLocalFile() for u in urls):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        urls = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if not urls:
            return
        event.acceptProposedAction()
        path = urls[0]
        QTimer.singleShot(0, lambda: self._open_recent(path))

    # -- help ------------------------------------------------------------------------------
    def show_formulas(self) -> QDialog:
        dialog = QDialog(self)
        dialog.setWindowTitle("Formulas — ConvScope")
        layout = QVBoxLayout(dialog)
        text = QTextBrowser()
        text.setHtml(FORMULAS_HTML)
        text.setMinimumSize(560, 460)
        layout.addWidget(text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(dialog.reject)
        layout.addWidget(buttons)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        self.formulas_dialog = dialog
        return dialog

    def show_about(self) -> None:
        import engine

        QMessageBox.about(self, f"About {APP_NAME}",
                          f"<h3>{APP_NAME} {engine.__version__}</h3><p>A desktop studio for building, training "
                          "and looking inside convolutional neural networks.</p><p>Qt for Python, pyqtgraph and "
                          "PyTorch.</p>")

    # -- settings --------------------------------------------------------------------------
    def _restore_settings(self) -> None:
        geometry = self.settings.value("geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)

    def restore_layout(self) -> None:
        """Dock layout from the last session (call after every panel has been added)."""
        state = self.settings.value("windowState")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)

    def save_settings(self) -> None:
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.setValue("windowState", self.saveState())
        self.settings.sync()

    # -- painting and closing --------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self.firstPainted.emit(time.perf_counter())

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if not self._confirm_discard("quit"):
            event.ignore()
            return
        self.save_settings()
        finished = self.training.shutdown(1.8)
        self.unfinished_thread = not finished
        event.accept()

