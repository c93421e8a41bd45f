"""Light and dark schemes: follow the system (Qt ≥ 6.5 colour scheme + palette), or force one.

Plots take their background and foreground from the palette and are told again when it changes.
Series colours come from the Okabe–Ito palette, which stays distinguishable for colour-blind users.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

SCHEMES = ("system", "light", "dark")

# Okabe–Ito: (light background, dark background)
_SERIES = {
    "train": ("#0072B2", "#56B4E9"),  # blue / sky blue
    "test": ("#D55E00", "#E69F00"),  # vermillion / orange
    "lr": ("#009E73", "#2FD1A0"),  # bluish green
    "raw": ("#8FA8C8", "#4E6A88"),  # faint per-batch loss
    "marker": ("#CC79A7", "#E59CC6"),  # reddish purple: lr changes
    "bar": ("#0072B2", "#56B4E9"),
}
_STATUS = {
    "error": ("#C62828", "#FF6B6B"),
    "error_bg": ("#FDECEA", "#4A1F1F"),
    "warning": ("#A15C00", "#FFB74D"),
    "warning_bg": ("#FFF4E0", "#4A3A1A"),
    "ok": ("#2E7D32", "#81C784"),
}


def is_dark(app: QGuiApplication | None = None) -> bool:
    """True when the application currently paints a dark scheme.

    The system's colour scheme (``QStyleHints.colorScheme``) reaches widgets through the palette,
    and plots must match the widgets around them, so the palette decides.
    """
    app = app or QGuiApplication.instance()
    if app is None:
        return False
    return app.palette().color(QPalette.ColorRole.Window).lightness() < 128


def series_color(name: str, dark: bool | None = None) -> QColor:
    dark = is_dark() if dark is None else dark
    return QColor(_SERIES[name][1 if dark else 0])


def status_color(name: str, dark: bool | None = None) -> QColor:
    dark = is_dark() if dark is None else dark
    return QColor(_STATUS[name][1 if dark else 0])


def plot_colors() -> tuple[QColor, QColor]:
    """(background, foreground) for plots, from the application palette."""
    app = QGuiApplication.instance()
    if app is None:
        return QColor("white"), QColor("black")
    palette = app.palette()
    return palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text)


def apply_pyqtgraph_defaults() -> None:
    """pyqtgraph's global colours for plots created from now on (once pyqtgraph is loaded)."""
    import sys

    pg = sys.modules.get("pyqtgraph")
    if pg is None:  # imported later by the plots, which call this then
        return
    background, foreground = plot_colors()
    pg.setConfigOptions(background=background, foreground=foreground, antialias=False)


def dark_palette() -> QPalette:
    """A readable dark palette for platforms whose theme cannot switch to dark itself."""
    p = QPalette()
    window, base, text = QColor(45, 45, 48), QColor(30, 30, 32), QColor(230, 230, 230)
    disabled = QColor(130, 130, 130)
    p.setColor(QPalette.ColorRole.Window, window)
    p.setColor(QPalette.ColorRole.WindowText, text)
    p.setColor(QPalette.ColorRole.Base, base)
    p.setColor(QPalette.ColorRole.AlternateBase, QColor(40, 40, 43))
    p.setColor(QPalette.ColorRole.ToolTipBase, QColor(60, 60, 64))
    p.setColor(QPalette.ColorRole.ToolTipText, text)
    p.setColor(QPalette.ColorRole.PlaceholderText, disabled)
    p.setColor(QPalette.ColorRole.Text, text)
    p.setColor(QPalette.ColorRole.Button, QColor(53, 53, 57))
    p.setColor(QPalette.ColorRole.ButtonText, text)
    p.setColor(QPalette.ColorRole.BrightText, QColor(255, 90, 90))
    p.setColor(QPalette.ColorRole.Link, QColor(86, 180, 233))
    p.setColor(QPalette.ColorRole.Highlight, QColor(38, 110, 170))
    p.setColor(QPalette.ColorRole.HighlightedText, QColor(255, 255, 255))
    p.setColor(QPalette.ColorRole.Light, QColor(75, 75, 80))
    p.setColor(QPalette.ColorRole.Midlight, QColor(62, 62, 66))
    p.setColor(QPalette.ColorRole.Mid, QColor(40, 40, 43))
    p.setColor(QPalette.ColorRole.Dark, QColor(25, 25, 27))
    p.setColor(QPalette.ColorRole.Shadow, QColor(0, 0, 0))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return p


class Theme(QObject):
    """Watches the system scheme and the palette; ``changed(dark)`` when either changes.

    ``set_scheme("dark" | "light" | "system")`` forces a scheme. Qt ≥ 6.8 asks the platform
    (``QStyleHints.setColorScheme``); where the platform cannot, a dark palette is set by hand.
    """

    changed = Signal(bool)

    def __init__(self, app: QApplication):
        super().__init__(app)
        self._app = app
        self._scheme = "system"
        self._default_palette = QPalette(app.palette())
        self._manual = False
        self._dark = is_dark(app)
        hints = app.styleHints()
        if hasattr(hints, "colorSchemeChanged"):
            hints.colorSchemeChanged.connect(self._scheme_changed)
        app.installEventFilter(self)
        apply_pyqtgraph_defaults()

    @property
    def scheme(self) -> str:
        return self._scheme

    @property
    def dark(self) -> bool:
        return self._dark

    def set_scheme(self, scheme: str) -> None:
        if scheme not in SCHEMES:
            scheme = "system"
        self._scheme = scheme
        hints = self._app.styleHints()
        target = {"system": Qt.ColorScheme.Unknown, "light": Qt.ColorScheme.Light,
                  "dark": Qt.ColorScheme.Dark}[scheme]
        if hasattr(hints, "setColorScheme"):
            hints.setColorScheme(target)
        want_dark = scheme == "dark"
        now_dark = self._app.palette().color(QPalette.ColorRole.Window).lightness() < 128
        if scheme == "dark" and not now_dark:
            self._app.setStyle("Fusion")
            self._app.setPalette(dark_palette())
            self._manual = True
        elif self._manual and scheme != "dark":
            self._app.setPalette(self._default_palette)
            self._manual = False
        elif scheme == "light" and now_dark and not want_dark:
            self._app.setStyle("Fusion")
            self._app.setPalette(self._app.style().standardPalette())
            self._manual = True
        self._update()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if obj is self._app and event.type() == QEvent.Type.ApplicationPaletteChange:
            self._update()
        return False

    def _scheme_changed(self, _scheme: Qt.ColorScheme) -> None:
        self._update()

    def _update(self) -> None:
        dark = is_dark(self._app)
        apply_pyqtgraph_defaults()
        self._dark = dark
        self.changed.emit(dark)


_theme: Theme | None = None


def install(app: QApplication) -> Theme:
    """The application's Theme (created once)."""
    global _theme
    if _theme is None or _theme.parent() is not app:
        _theme = Theme(app)
    return _theme


def current() -> Theme | None:
    return _theme


def compact(widget: object, min_chars: int = 8) -> None:
    """Let ``widget``'s combo boxes and labels shrink below their text so a tab or dock can be
    narrow: combos keep at least ``min_chars`` characters, labels give way."""
    from PySide6.QtWidgets import QComboBox, QLabel, QSizePolicy

    for combo in widget.findChildren(QComboBox):
        # full text when there is room (size hint), down to min_chars when there is not
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        combo.setMinimumWidth(combo.fontMetrics().horizontalAdvance("M" * min_chars) + 24)
    for label in widget.findChildren(QLabel):
        if label.text() and len(label.text()) > 12 or not label.text():
            label.setSizePolicy(QSizePolicy.Policy.Ignored, label.sizePolicy().verticalPolicy())
