"""The first-run welcome: three things to try, each a button that takes you there.

``WelcomeDialog`` is non-modal and closes when one of its buttons is used; "Don't show this again"
is kept in QSettings under ``WELCOME_HIDDEN`` and read by ``welcome_wanted``. The app shows it at
start (gui.app), Help → Getting Started shows it any time; windows built elsewhere (tests) never do.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QSettings, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QCheckBox, QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout, QWidget

WELCOME_HIDDEN = "welcome/hidden"

INTRO = QT_TRANSLATE_NOOP("WelcomeDialog", "<h2>Welcome to ConvScope</h2><p>A network is already loaded: "
                         "<b>seed000</b>, two convolution blocks and one linear layer, with 5,000 real MNIST "
                         "digits to learn from. Three things to try:</p>")


def welcome_wanted(settings: QSettings) -> bool:
    """Whether the welcome shows at start: until someone ticks "Don't show this again"."""
    value = settings.value(WELCOME_HIDDEN, False)
    return str(value).lower() not in ("true", "1")


class WelcomeDialog(QDialog):
    """The welcome, with ``train``, ``draw`` and ``kernels`` behind its three buttons."""

    def __init__(self, parent: QWidget, settings: QSettings, train: QAction, draw: Callable[[], None],
                 kernels: Callable[[], None]):
        super().__init__(parent)
        self.setObjectName("welcomeDialog")
        self.setWindowTitle(self.tr("Welcome — ConvScope"))
        self.settings = settings
        intro = QLabel(self.tr(INTRO))
        intro.setWordWrap(True)
        self.train_button = QPushButton(self.tr("1. Train the preset network (Ctrl+Return)"))
        self.train_button.setToolTip(
            self.tr("start training seed000 on the bundled MNIST sample; the curves move live"))
        self.draw_button = QPushButton(self.tr("2. Draw a digit and see the network's answer"))
        self.draw_button.setToolTip(self.tr("open the Draw panel with the pen ready"))
        self._train_tip = self.train_button.toolTip()
        self.kernels_button = QPushButton(self.tr("3. Look at what the filters learned"))
        self.kernels_button.setToolTip(
            self.tr("open the Kernels view: every conv layer's filters, and how they formed"))
        self.hide_check = QCheckBox(self.tr("Don't show this again (Help → Getting Started brings it back)"))
        self.hide_check.setChecked(not welcome_wanted(settings))
        self.hide_check.toggled.connect(self._remember)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        for button, slot in ((self.train_button, train.trigger), (self.draw_button, draw),
                             (self.kernels_button, kernels)):
            button.setMinimumHeight(button.sizeHint().height() + 8)
            button.clicked.connect(self.accept)
            button.clicked.connect(slot)
            layout.addWidget(button)
        layout.addWidget(self.hide_check)
        layout.addWidget(buttons)
        self._train = train
        train.changed.connect(self._train_changed)
        self._train_changed()
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def _train_changed(self) -> None:
        """Training can start once PyTorch has loaded: the button follows the Start action."""
        enabled = self._train.isEnabled()
        self.train_button.setEnabled(enabled)
        self.train_button.setToolTip(self._train_tip if enabled else self._train.toolTip())

    def _remember(self, hidden: bool) -> None:
        self.settings.setValue(WELCOME_HIDDEN, hidden)
        self.settings.sync()
