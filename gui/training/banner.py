"""An in-window message (error, warning or info) that never blocks."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QStyle, QToolButton, QWidget

from gui.widgets import theme

__all__ = ["Banner"]


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
        close.setToolTip(self.tr("dismiss"))
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
