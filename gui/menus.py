"""The main window's menu bar, toolbar and shortcuts, and the Help menu's dialogs.

``MainMenus`` builds File, Edit, View, Training, Explain and Help (in that order) and the main
toolbar; file commands go to the window's ``Document``, the rest to the window itself through
``WindowCommands``. The View menu ends with a "Panels" section that ``panels_menu`` names: the
window appends each dock's toggle there.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, Protocol

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStyle,
    QTextBrowser,
    QToolBar,
    QVBoxLayout,
    QWhatsThis,
)

from gui import i18n
from gui.document import APP_NAME, Document
from gui.help import ShortcutsDialog, errata_action
from gui.i18n import translate
from gui.training.panel import TrainingPanel
from gui.widgets import theme

SCHEMES = (("system", QT_TRANSLATE_NOOP("MainMenus", "Follow the System")),
           ("light", QT_TRANSLATE_NOOP("MainMenus", "Light")), ("dark", QT_TRANSLATE_NOOP("MainMenus", "Dark")))

FORMULAS_HTML = QT_TRANSLATE_NOOP("MainMenus", """
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
""")


class WindowCommands(Protocol):
    """What the View, Explain and File > Quit entries ask of the main window."""

    def close(self) -> bool: ...
    def show_view(self, index: int) -> None: ...
    def set_scheme(self, scheme: str) -> None: ...
    def explain_drawing(self) -> None: ...
    def explain_feature_map(self) -> None: ...
    def explain_kernel(self) -> None: ...
    def show_welcome(self) -> Any: ...


def add_actions(target: QMenu | QToolBar, actions: Sequence[QAction | None]) -> None:
    """Add ``actions`` to a menu or toolbar in order; None stands for a separator."""
    for a in actions:
        if a is None:
            target.addSeparator()
        else:
            target.addAction(a)


class MainMenus:
    """The menus, toolbar and actions of ``window`` (its parent for every action and dialog)."""

    def __init__(self, window: QMainWindow, commands: WindowCommands, document: Document, training: TrainingPanel,
                 undo_stack: QUndoStack, view_titles: Sequence[str]):
        self.window = window
        self.undo_stack = undo_stack
        self.formulas_dialog: QDialog | None = None
        self.shortcuts_dialog: ShortcutsDialog | None = None
        self._create_actions(commands, document)
        self._create_menus(commands, document, training, view_titles)
        self._create_toolbar(training)

    # -- actions ---------------------------------------------------------------------------
    def _action(self, text: str, slot: Callable[[], Any], key: Any = None,
                icon: QStyle.StandardPixmap | None = None, tip: str = "") -> QAction:
        a = QAction(text, self.window)
        if icon is not None:
            a.setIcon(self.window.style().standardIcon(icon))
        if key is not None:
            a.setShortcut(QKeySequence(key))
        if tip:
            a.setToolTip(tip)
            a.setStatusTip(tip)
        a.triggered.connect(slot)
        return a

    def _create_actions(self, commands: WindowCommands, document: Document) -> None:
        action, style = self._action, self.window.style()
        SK = QKeySequence.StandardKey
        SP = QStyle.StandardPixmap
        self.new_action = action(translate("MainMenus", "&New"), document.new_file, SK.New, SP.SP_FileIcon,
                                 translate("MainMenus", "start a new network"))
        self.open_action = action(translate("MainMenus", "&Open Architecture…"), document.open_architecture_dialog,
                                  SK.Open, SP.SP_DialogOpenButton,
                                  translate("MainMenus", "open a network architecture (.json)"))
        self.save_action = action(translate("MainMenus", "&Save Architecture"), document.save_architecture, SK.Save,
                                  SP.SP_DialogSaveButton, translate("MainMenus", "save the network architecture"))
        self.save_as_action = action(translate("MainMenus", "Save Architecture &As…"), document.save_architecture_as,
                                     SK.SaveAs, None,
                                     translate("MainMenus", "save the network architecture under a new name"))
        self.open_model_action = action(
            translate("MainMenus", "Open &Model…"), document.open_model_dialog, "Ctrl+Shift+O", None,
            translate("MainMenus", "open a trained model: architecture, weights and curves"))
        self.save_model_action = action(
            translate("MainMenus", "Save Mo&del…"), document.save_model_dialog, "Ctrl+Shift+M", None,
            translate("MainMenus", "save the trained model (weights, history and settings)"))
        self.quit_action = action(translate("MainMenus", "&Quit"), commands.close, SK.Quit, None,
                                  translate("MainMenus", "quit ConvScope"))
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.undo_action = self.undo_stack.createUndoAction(self.window, translate("MainMenus", "&Undo"))
        self.undo_action.setShortcut(QKeySequence(SK.Undo))
        self.undo_action.setIcon(style.standardIcon(SP.SP_ArrowBack))
        self.redo_action = self.undo_stack.createRedoAction(self.window, translate("MainMenus", "&Redo"))
        self.redo_action.setShortcut(QKeySequence(SK.Redo))
        self.redo_action.setIcon(style.standardIcon(SP.SP_ArrowForward))
        self.formulas_action = action(translate("MainMenus", "&Formulas"), self.show_formulas, SK.HelpContents, None,
                                      translate("MainMenus", "the shape and parameter formulas"))
        self.welcome_action = action(translate("MainMenus", "&Getting Started"), commands.show_welcome, None, None,
                                     translate("MainMenus", "the welcome: three things to try first"))
        self.shortcuts_action = action(translate("MainMenus", "&Keyboard Shortcuts"), self.show_shortcuts, None,
                                       None, translate("MainMenus", "every command that has keys, and its keys"))
        self.whats_this_action = QWhatsThis.createAction(self.window)  # Shift+F1, then click a panel
        self.whats_this_action.setStatusTip(
            translate("MainMenus", "click a panel to read what it does and which explainer mode teaches it"))
        self.about_action = action(translate("MainMenus", "&About ConvScope"), self.show_about)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)

    def update_enabled(self, running: bool, model_saveable: bool) -> None:
        """No file or undo commands while training runs; Save Model only when there is a model."""
        self.save_model_action.setEnabled(model_saveable)
        for a in (self.new_action, self.open_action, self.open_model_action):
            a.setEnabled(not running)
        self.resume_action.setEnabled(model_saveable and not running)
        self.undo_action.setEnabled(not running and self.undo_stack.canUndo())
        self.redo_action.setEnabled(not running and self.undo_stack.canRedo())

    # -- menus and toolbar -----------------------------------------------------------------
    def _create_menus(self, commands: WindowCommands, document: Document, training: TrainingPanel,
                      view_titles: Sequence[str]) -> None:
        bar = self.window.menuBar()
        self.file_menu = bar.addMenu(translate("MainMenus", "&File"))
        add_actions(self.file_menu, [self.new_action, self.open_action, self.save_action, self.save_as_action, None,
                                     self.open_model_action, self.save_model_action, None])
        self.recent_menu = self.file_menu.addMenu(translate("MainMenus", "Recent &Files"))
        self.recent_menu.aboutToShow.connect(partial(document.fill_recent_menu, self.recent_menu))
        add_actions(self.file_menu, [None, self.quit_action])

        self.edit_menu = bar.addMenu(translate("MainMenus", "&Edit"))
        add_actions(self.edit_menu, [self.undo_action, self.redo_action])

        self.view_menu = view = bar.addMenu(translate("MainMenus", "&View"))
        self._view_commands = commands
        for index, title in enumerate(view_titles):
            act = view.addAction(title)
            act.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
            act.triggered.connect(partial(commands.show_view, index))
        self._views_end = view.addSeparator()
        self._create_scheme_menu(commands)
        self.language_menu = i18n.add_language_menu(view, self.window.settings, self.window)
        view.addSeparator()
        view.addSection(translate("MainMenus", "Panels"))
        self.panels_menu = view  # the window appends each panel's toggle here

        self.training_menu = bar.addMenu(translate("MainMenus", "&Training"))
        add_actions(self.training_menu, [training.start_action, training.pause_action, training.stop_action, None,
                                         training.toggle_action, None, training.resume_action])
        self.resume_action = training.resume_action
        self.window.addAction(training.toggle_action)

        self.explain_menu = bar.addMenu(translate("MainMenus", "E&xplain"))
        for text, slot in ((translate("MainMenus", "Explain the &Drawn Digit"), commands.explain_drawing),
                           (translate("MainMenus", "Explain the Selected &Feature Map"), commands.explain_feature_map),
                           (translate("MainMenus", "Use a Learned &Kernel"), commands.explain_kernel)):
            self.explain_menu.addAction(text).triggered.connect(slot)

        self.help_menu = bar.addMenu(translate("MainMenus", "&Help"))
        add_actions(self.help_menu, [self.welcome_action, self.shortcuts_action, self.whats_this_action, None,
                                     self.formulas_action, errata_action(self.window), None, self.about_action])

    def add_view_entry(self, title: str, index: int) -> QAction:
        """A View entry (Ctrl+index+1 up to Ctrl+9) for central tab ``index`` added after the menus were made."""
        act = QAction(title, self.window)
        if index < 9:
            act.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
        act.triggered.connect(partial(self._view_commands.show_view, index))
        self.view_menu.insertAction(self._views_end, act)
        return act

    def _create_scheme_menu(self, commands: WindowCommands) -> None:
        menu = self.view_menu.addMenu(translate("MainMenus", "Colour &Scheme"))
        group = QActionGroup(self.window)
        self.scheme_actions: dict[str, QAction] = {}
        th = theme.current()
        for scheme, text in SCHEMES:
            a = menu.addAction(translate("MainMenus", text))
            a.setCheckable(True)
            a.setChecked(th is not None and th.scheme == scheme)
            a.triggered.connect(partial(commands.set_scheme, scheme))
            group.addAction(a)
            self.scheme_actions[scheme] = a

    def _create_toolbar(self, training: TrainingPanel) -> None:
        self.toolbar = self.window.addToolBar(translate("MainMenus", "Main"))
        self.toolbar.setObjectName("mainToolBar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        add_actions(self.toolbar, [self.open_action, self.save_action, None, self.undo_action, self.redo_action,
                                   None, training.start_action, training.pause_action, training.stop_action])

    # -- help ------------------------------------------------------------------------------
    def show_formulas(self) -> QDialog:
        """A non-modal dialog with the shape, parameter and cost formulas."""
        dialog = QDialog(self.window)
        dialog.setWindowTitle(translate("MainMenus", "Formulas — ConvScope"))
        layout = QVBoxLayout(dialog)
        text = QTextBrowser()
        text.setHtml(translate("MainMenus", FORMULAS_HTML))
        text.setMinimumSize(560, 460)
        layout.addWidget(text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(dialog.reject)
        layout.addWidget(buttons)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        self.formulas_dialog = dialog
        return dialog

    def show_shortcuts(self) -> ShortcutsDialog:
        """Help → Keyboard Shortcuts, built from the window's actions as they are now."""
        dialog = ShortcutsDialog(self.window)
        dialog.show()
        self.shortcuts_dialog = dialog
        return dialog

    def show_about(self) -> None:
        import engine

        QMessageBox.about(self.window, translate("MainMenus", "About {0}").format(APP_NAME),
                          f"<h3>{APP_NAME} {engine.__version__}</h3>"
                          + translate("MainMenus", "<p>A desktop studio for building, training and looking inside "
                                      "convolutional neural networks.</p><p>Qt for Python, pyqtgraph and PyTorch.</p>"))
