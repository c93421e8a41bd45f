"""What the viewers share: coalesced refreshes that skip work while hidden, a message line for
empty states, and PNG export.

A viewer subclasses ``Viewer``, implements ``refresh`` (recompute and redraw) and
``export_target`` (the widget a PNG shows), and calls ``request_refresh`` whenever its input,
spec or weights change. Requests coalesce into one refresh on the next event-loop turn (or at
most once per ``min_interval_ms``); while the viewer is in a shown window but not on screen (another
tab, a closed dock) the refresh waits until it is shown.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLayout, QLayoutItem, QPushButton, QVBoxLayout, QWidget

from gui.state import AppState
from gui.tasks import Throttle
from gui.widgets import theme
from gui.widgets.png_export import ask_png_path, export_widget_png

__all__ = ["FIX_ERRORS", "NO_MODEL_HINT", "STRETCH", "Viewer", "hidden_in_window", "row"]

NO_MODEL_HINT = QT_TRANSLATE_NOOP("Viewer", "Train or open a model to see predictions")  # translate("Viewer", …)
#: "Fix the network's errors to see its feature maps." (what: "feature maps", "kernels")
FIX_ERRORS = QT_TRANSLATE_NOOP("Viewer", "Fix the network's errors to see its {what}.")


STRETCH = None  # in ``row``: a stretch


def row(*items: QWidget | QLayoutItem | str | int | None, margins: bool = False) -> QHBoxLayout:
    """A row of controls: widgets, a str becomes a label, an int a spacing, ``STRETCH`` a stretch."""
    layout = QHBoxLayout()
    if not margins:
        layout.setContentsMargins(0, 0, 0, 0)
    label: QLabel | None = None  # a text labels the widget after it (its buddy, for screen readers)
    for item in items:
        if item is None:
            layout.addStretch(1)
        elif isinstance(item, str):
            label = QLabel(item)
            layout.addWidget(label)
        elif isinstance(item, int):
            layout.addSpacing(item)
        elif isinstance(item, QWidget):
            if label is not None:
                label.setBuddy(item)
                label = None
            layout.addWidget(item)
        else:
            layout.addItem(item)
    return layout


def hidden_in_window(widget: QWidget) -> bool:
    """In a shown window but not on screen (another tab, a closed dock): work can wait."""
    return not widget.isVisible() and widget.window().isVisible()


class Viewer(QWidget):
    """Base of the viewers: ``statusMessage``, ``message_label``, ``export_button`` and a refresh
    that is coalesced, throttled and skipped while hidden."""

    statusMessage = Signal(str)
    export_title = QT_TRANSLATE_NOOP("Viewer", "Export")
    export_name = "figure"

    def __init__(self, state: AppState, parent: QWidget | None = None, min_interval_ms: int = 0):
        super().__init__(parent)
        self.state = state
        self._stale = False
        self._refresher = Throttle(self._refresh_if_shown, min_interval_ms, self)
        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.message_label.hide()
        self.export_button = QPushButton(self.tr("Export PNG…"))
        self.export_button.clicked.connect(self._export_dialog)

    # -- the layer selector (``layer_combo``, made by each viewer) --------------------
    def layer_names(self) -> list[str]:
        """The layers the selector offers, in network order."""
        return [self.layer_combo.itemData(i) for i in range(self.layer_combo.count())]

    def current_layer(self) -> str | None:
        return self.layer_combo.currentData()

    def set_layer(self, name: str) -> None:
        index = self.layer_combo.findData(name)
        if index < 0:
            raise KeyError(f"no layer {name!r}; one of {', '.join(self.layer_names())}")
        self.layer_combo.setCurrentIndex(index)

    def arrange(self, rows: tuple[QLayout, ...], figure: QWidget, below: tuple[QWidget, ...] = ()) -> None:
        """The viewer's layout: control rows, the message line, the figure (stretching), ``below``."""
        root = QVBoxLayout(self)
        root.setContentsMargins(4, 4, 4, 4)
        for layout in rows:
            root.addLayout(layout)
        root.addWidget(self.message_label)
        root.addWidget(figure, 1)
        for widget in below:
            root.addWidget(widget)

    def follow_theme(self, *views: Any) -> None:
        """Plot backgrounds of ``views`` follow the app's light or dark theme."""
        self._themed_views = views
        current = theme.current()
        if current is not None:
            current.changed.connect(self._theme_changed)

    @Slot(bool)
    def _theme_changed(self, _dark: bool) -> None:
        background = theme.plot_colors()[0]
        for view in self._themed_views:
            view.setBackground(background)

    # -- to implement --------------------------------------------------------------------
    def refresh(self) -> None:
        """Recompute and redraw now."""
        raise NotImplementedError

    def export_target(self) -> QWidget:
        """The widget a PNG export shows."""
        raise NotImplementedError

    # -- refreshing ----------------------------------------------------------------------
    def request_refresh(self) -> None:
        """Refresh soon: requests in one event-loop turn (or interval) cost one refresh."""
        self._refresher.request()

    def refresh_pending(self) -> bool:
        """A refresh is scheduled, or waits for the viewer to be shown."""
        return self._refresher.pending() or self._stale

    def flush(self) -> None:
        """Make a scheduled refresh now, and pending inspection weights with it (tests, benchmarks)."""
        inspection_pending = self.state.inspection.pending()
        self.state.inspection.flush()
        if self._refresher.pending() or inspection_pending:
            self._refresher.cancel()
            self._refresh_if_shown()

    @Slot()
    def _refresh_if_shown(self) -> None:
        if hidden_in_window(self):
            self._stale = True
            return
        self._stale = False
        self.refresh()

    def showEvent(self, event: Any) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        if self._stale:
            self._refresh_if_shown()

    # -- messages and export -------------------------------------------------------------
    def show_message(self, text: str) -> None:
        """A line above the figure ("" hides it): empty states and errors."""
        self.message_label.setText(text)
        self.message_label.setVisible(bool(text))

    def export_png(self, path: str) -> str:
        """Save the figure as PNG; returns the path written (``OSError`` when it cannot be)."""
        return export_widget_png(self.export_target(), path)

    @Slot()
    def _export_dialog(self) -> None:
        path = ask_png_path(self, self.tr(self.export_title), f"{self.export_name}.png")
        if path:
            try:
                self.statusMessage.emit(self.tr("Saved {0}").format(self.export_png(path)))
            except OSError as exc:
                self.statusMessage.emit(str(exc))
