"""The main window: dockable panels, the central tabs, the status bar, settings and closing.

Panels are QDockWidgets added with ``add_panel(title, widget, area, object_name)``, which also
puts a toggle in the View menu; their layout and the window geometry are kept in QSettings
(organisation "ConvScope"). Files (open, save, recent, unsaved changes) are the ``document``'s
(gui.document), menus, toolbar and shortcuts are ``menus`` (gui.menus).
"""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QByteArray, QSettings, Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QPaintEvent
from PySide6.QtWidgets import QApplication, QDockWidget, QLabel, QMainWindow, QProgressBar, QTabWidget, QWidget

from engine.model.presets import PRESETS
from gui import explain_actions, gc_policy
from gui.builder.panel import BuilderPanel, dataset_input_edit
from gui.builder.preset_label import preset_status
from gui.document import Document, accepts_drop
from gui.explain.panel import ExplainPanel
from gui.geometry import WindowPlan, apply_first_launch
from gui.help import install_whats_this
from gui.menus import MainMenus
from gui.runs.feature import RunsFeature
from gui.state import AppState
from gui.training.dataset_offer import DatasetOffer
from gui.training.note_curve import NoteCurve
from gui.training.panel import TrainingPanel
from gui.training.plots import TrainingPlots
from gui.viewers.draw import DrawPanel
from gui.welcome import WelcomeDialog
from gui.widgets import theme

VIEWER_TABS = (QT_TRANSLATE_NOOP("MainWindow", "Feature maps"), QT_TRANSLATE_NOOP("MainWindow", "Kernels"))
VIEWS_MIN_WIDTH = 740  # the widest view built once torch loads (the Why view, 724 px; Kernels 601 px)
WHY_TAB = QT_TRANSLATE_NOOP("MainWindow", "Why")  # after the explainer (Ctrl+5)


class MainWindow(QMainWindow):
    """ConvScope's window. ``ask_to_save = False`` skips the unsaved-changes prompt (tests)."""

    firstPainted = Signal(float)  # perf_counter() at the first paint
    fileOpened = Signal(str)

    def __init__(self, state: AppState | None = None, settings: QSettings | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        gc_policy.install(QApplication.instance())  # cyclic GC in this thread only (see gui.gc_policy)
        fresh = state is None
        self.state = state or AppState(PRESETS["seed000"].spec)
        self.settings = settings or QSettings("ConvScope", "ConvScope")
        self.docks: dict[str, QDockWidget] = {}
        self._painted = False
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
        self.insight: Any = None  # gui.viewers.insight.Insight: Why, filter pictures, card, drill-down
        self.views = QTabWidget()
        self.views.setDocumentMode(True)
        self.views.addTab(self.plots, self.tr("Training curves"))
        for title in VIEWER_TABS:
            page = QLabel(self.tr("{0} appear once PyTorch has loaded…").format(self.tr(title)))
            page.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.views.addTab(page, self.tr(title))
        self.explainer = ExplainPanel()
        self.views.addTab(self.explainer, self.tr("Convolution explainer"))
        page = QLabel(self.tr("Why the network decides appears once PyTorch has loaded…"))
        page.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.views.addTab(page, self.tr(WHY_TAB))
        self.setCentralWidget(self.views)
        # panels, files, menus
        self.builder = BuilderPanel(self.state)
        self.training = TrainingPanel(self.state, self.plots)
        self.document = Document(self, self.state, self.training, self.plots, self.settings)
        self.menus = MainMenus(self, self, self.document, self.training, self.state.undo_stack,
                               [self.views.tabText(i) for i in range(self.views.count())])
        self.undo_action = self.menus.undo_action  # the names tests and benches use
        self.redo_action = self.menus.redo_action
        self.save_model_action = self.menus.save_model_action
        self._create_status_bar()
        self.builder_dock = self.add_panel(self.tr("Layers"), self.builder, Qt.DockWidgetArea.LeftDockWidgetArea,
                                           "builderDock")
        self.training_dock = self.add_panel(self.tr("Training"), self.training, Qt.DockWidgetArea.RightDockWidgetArea,
                                            "trainingDock")
        self.draw = DrawPanel(self.state)
        self.draw_dock = self.add_panel(self.tr("Draw"), self.draw, Qt.DockWidgetArea.RightDockWidgetArea, "drawDock",
                                        tabify_with=self.training_dock)
        self.explainer.attach(self.state, self.draw.current_input, self.draw.inputChanged)  # the app's network
        self.runs = RunsFeature(self)  # the Runs dock, File → Export…, the runs folder
        self.training_dock.raise_()
        install_whats_this({"builder": self.builder, "training": self.training, "draw": self.draw,
                            "explainer": self.explainer, "plots": self.plots})
        self.welcome: WelcomeDialog | None = None

        # wiring
        self.state.datasetChanged.connect(self._dataset_changed)
        self.state.trainingChanged.connect(self._update_actions)
        self.document.statusMessage.connect(self.statusBar().showMessage)
        self.document.modelChanged.connect(self._update_actions)
        self.document.fileOpened.connect(self.fileOpened)
        self.builder.presetChosen.connect(self._preset_chosen)
        self.dataset_offer, self.note_curve = DatasetOffer(self.training), NoteCurve(self.training)
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
        self.first_launch_plan: WindowPlan | None = None  # set when there was no saved geometry
        self._restore_settings()
        self.document.update_title()
        self._update_actions()

    # -- panels and views ------------------------------------------------------------------
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
        toggle.setStatusTip(self.tr("show or hide the {0} panel").format(title))
        self.menus.panels_menu.addAction(toggle)
        self.docks[dock.objectName()] = dock
        return dock

    def show_view(self, index: int) -> None:
        """Bring central tab ``index`` (curves, feature maps, kernels, …) to the front."""
        if 0 <= index < self.views.count():
            self.views.setCurrentIndex(index)

    def tab_index(self, title: str) -> int:
        """The index of the central tab titled ``title``."""
        return next(i for i in range(self.views.count()) if self.views.tabText(i) in (title, self.tr(title)))

    # -- the welcome's destinations --------------------------------------------------------
    def show_welcome(self) -> WelcomeDialog:
        """The welcome with its three things to try (at first start, and Help → Getting Started)."""
        if self.welcome is not None and self.welcome.isVisible():
            self.welcome.raise_()
            return self.welcome
        self.welcome = WelcomeDialog(self, self.settings, self.training.start_action, self.focus_draw,
                                     self.show_kernels)
        self.welcome.show()
        return self.welcome

    def focus_draw(self) -> None:
        """Bring the Draw panel forward with the keyboard focus on its sheet."""
        self.draw_dock.show()
        self.draw_dock.raise_()
        self.draw.canvas.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_kernels(self) -> None:
        """Bring the Kernels view (the learned filters) to the front."""
        self.show_view(self.tab_index("Kernels"))

    @Slot(str)
    def _viewer_status(self, text: str) -> None:
        self.statusBar().showMessage(text, 4000)

    # -- the Explain menu (gui.explain_actions) ----------------------------------------------
    def explain_drawing(self) -> None:
        explain_actions.explain_drawing(self)

    def explain_feature_map(self) -> None:
        explain_actions.explain_feature_map(self)

    def explain_kernel(self) -> None:
        explain_actions.explain_kernel(self)

    # -- status bar ------------------------------------------------------------------------
    def _create_status_bar(self) -> None:
        status = self.statusBar()
        self.device_label = QLabel(self.tr("Loading PyTorch…"))
        self.device_label.setToolTip(self.tr("the device that trains"))
        self.threads_label = QLabel("")
        self.threads_label.setToolTip(self.tr("torch threads used by the training thread"))
        self.rate_label = QLabel("")
        self.rate_label.setToolTip(self.tr("training images per second"))
        self.status_progress = QProgressBar()
        self.status_progress.setMaximumWidth(180)
        self.status_progress.setRange(0, 1)
        self.status_progress.setValue(0)
        self.status_progress.setTextVisible(True)
        for widget in (self.device_label, self.threads_label, self.rate_label, self.status_progress):
            status.addPermanentWidget(widget)

    @Slot(object)
    def _run_started(self, info: Any) -> None:
        self.state.input_normalize = info.config.normalize  # the Draw and Why views feed inputs as it trains
        self.device_label.setText(self.tr("Device: {0}").format(info.device_name))
        self.threads_label.setText(self.tr("Threads: {0}").format(info.threads))
        self.status_progress.setRange(0, max(1, info.total_steps))
        self.status_progress.setValue(0)

    @Slot(object)
    def _run_batches(self, chunk: Any) -> None:
        s = chunk.latest
        self.rate_label.setText(self.tr("{0} images/s").format(f"{s.images_per_s:,.0f}"))
        bar = self.status_progress  # a repaint per call (~0.3 ms): only when the shown percentage moves
        if (s.step * 100) // max(1, bar.maximum()) != (bar.value() * 100) // max(1, bar.maximum()):
            bar.setValue(s.step)

    # -- state reactions -------------------------------------------------------------------
    def _update_actions(self, *_args: Any) -> None:
        controller = self.training.controller
        running = controller.running
        model_saveable = (controller.session is not None and (not running or controller.paused)
                          or self.document.loaded_checkpoint is not None and not running)
        self.menus.update_enabled(running, model_saveable)
        self.builder.setEnabled(not running)
        self.state.undo_stack.setActive(not running)

    @Slot(object)
    def _dataset_changed(self, info: Any) -> None:
        if info is None:
            return
        edit = dataset_input_edit(self.state.spec, info)
        if edit is not None:
            self.state.edit_spec(*edit)
        self.builder.refresh()

    def engine_loaded(self, device: tuple[str, str]) -> None:
        """Called once torch is imported (queued from the loader thread): GUI-thread torch
        inference uses one thread, the training thread the others."""
        import torch

        torch.set_num_threads(1)
        self.device_label.setText(self.tr("Device: {0}").format(device[1]))
        self.threads_label.setText(self.tr("Threads: {0}").format(self.training.default_threads()))
        self.training.set_engine_ready(device)
        self._build_viewers()
        self.state.mark_engine_ready()
        self.training.update_actions()

    def _build_viewers(self) -> None:
        """Create the torch-backed viewers in place of their tabs' loading pages."""
        if self.feature_maps is not None:
            return
        from gui.viewers.feature_maps import FeatureMapViewer  # pyqtgraph and torch: only once they are wanted
        from gui.viewers.insight import Insight
        from gui.viewers.kernels import KernelViewer

        self.feature_maps = FeatureMapViewer(self.state)
        self.kernels = KernelViewer(self.state)
        self.insight = Insight(self.state, self.draw, self.kernels, self.feature_maps, self.plots,
                               self.draw_dock.raise_, self)
        self.training.controller.epochEnded.connect(self.insight.evaluation_changed)
        self.document.modelChanged.connect(self.insight.evaluation_changed)
        self.insight.why.statusMessage.connect(self._viewer_status)
        self.insight.filters.statusMessage.connect(self._viewer_status)
        current = self.views.currentIndex()
        pages = (self.feature_maps, self.insight.kernels_page, self.insight.why)
        for title, widget in zip((*VIEWER_TABS, WHY_TAB), pages):
            index = self.tab_index(title)
            old = self.views.widget(index)
            self.views.removeTab(index)
            self.views.insertTab(index, widget, self.tr(title))
            old.deleteLater()
        self.views.setCurrentIndex(current)
        for viewer in (self.feature_maps, self.kernels):
            viewer.statusMessage.connect(self._viewer_status)
        install_whats_this({"feature_maps": self.feature_maps, "kernels": self.insight.kernels_page,
                            "why": self.insight.why})
        self.draw.inputChanged.connect(self.feature_maps.set_input)
        self.feature_maps.set_input(self.draw.current_input())
        from gui.viewers.layers_tabs import install_stats_views

        self.layers_view, self.projector = install_stats_views(self)
        for view in (self.layers_view, self.projector):  # Ctrl+6, Ctrl+7
            self.menus.add_view_entry(self.views.tabText(self.views.indexOf(view)), self.views.indexOf(view))

    def engine_failed(self, reason: str) -> None:
        self.device_label.setText(self.tr("PyTorch unavailable"))
        self.training.banner.show_message(self.tr("The training engine could not load ({0}). The builder works; "
                                                  "training needs PyTorch installed (make setup).").format(reason),
                                          "error")

    def _preset_chosen(self, preset: Any) -> None:
        self.training.apply_preset_training(preset.training)
        self.dataset_offer.offer(preset)
        self.statusBar().showMessage(preset_status(preset), 5000)

    @Slot(bool)
    def _scheme_changed(self, _dark: bool) -> None:
        self.builder.refresh()

    def set_scheme(self, scheme: str) -> None:
        th = theme.current()
        if th is not None:
            th.set_scheme(scheme)
            self.settings.setValue("scheme", scheme)

    # -- files: the document's, under the names callers of the window use ------------------
    @property
    def ask_to_save(self) -> bool:
        return self.document.ask_to_save

    @ask_to_save.setter
    def ask_to_save(self, value: bool) -> None:
        self.document.ask_to_save = value

    @property
    def model_unsaved(self) -> bool:
        return self.document.model_unsaved

    def new_file(self) -> None:
        self.document.new_file()

    def open_path(self, path: str) -> bool:
        return self.document.open_path(path)

    def open_architecture(self, path: str) -> bool:
        return self.document.open_architecture(path)

    def open_model(self, path: str) -> bool:
        return self.document.open_model(path)

    def save_model(self, path: str, ckpt: Any = None) -> bool:
        return self.document.save_model(path, ckpt)

    def recent_files(self) -> list[str]:
        return self.document.recent.paths()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if accepts_drop(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        if self.document.drop(event.mimeData()):
            event.acceptProposedAction()

    # -- settings, painting and closing ----------------------------------------------------
    def _restore_settings(self) -> None:
        geometry = self.settings.value("geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:  # first launch: about 90% of the screen, three columns where they fit
            reserve = max(0, VIEWS_MIN_WIDTH - self.views.minimumSizeHint().width())
            self.first_launch_plan = apply_first_launch(self, self.builder_dock, self.training_dock, reserve=reserve)

    def restore_layout(self) -> None:
        """Dock layout from the last session (call after every panel has been added)."""
        state = self.settings.value("windowState")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)

    def save_settings(self) -> None:
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.setValue("windowState", self.saveState())
        self.settings.sync()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self.firstPainted.emit(time.perf_counter())

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if not self.document.confirm_discard("quit"):
            event.ignore()
            return
        self.save_settings()
        if self.insight is not None:
            self.insight.shutdown(1000)
        finished = self.training.shutdown(1.8)
        self.unfinished_thread = not finished
        event.accept()
