"""The explainer's widgets and how they are arranged; the behaviour is :mod:`gui.explain.panel`.

At the very top the topic chooser: the step-by-step page below, or one of the concept pages
(:data:`engine.teach.words.TOPIC_TITLES`) in its place. Step-by-step top: the example chooser and
the mode tabs. Middle: the settings and glossary column, then the
input grids and the result page side by side (or the results below when they do not fit).
Bottom: the output-size formula, the explanation of invalid settings, the step box, and the
Back / Step / Play / Reset buttons.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QBoxLayout,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from engine.teach.words import TOPIC_TITLES, WORDS
from gui.explain.controls import CONTROLS_WIDTH, ControlsColumn, example_chooser, mode_tabs
from gui.explain.grids import InputGrids
from gui.explain.narration import problems_text
from gui.explain.pages import ResultPages

__all__ = ["ExplainView"]

EXPLANATION_BACKGROUND = QColor(255, 196, 0, 60)


class ExplainView(QWidget):
    """All the explainer's widgets, built and laid out; grid edits go to :meth:`_grid_edited`."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._force_below = False
        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 6, 6, 6)
        chooser = QHBoxLayout()
        chooser.addWidget(QLabel(WORDS["topic"].both() + ":"))
        self.topic_combo = QComboBox()
        self.topic_combo.setAccessibleName(WORDS["topic"].en)
        self.topic_combo.setToolTip(WORDS["topic_tip"].both())
        for key, title in TOPIC_TITLES.items():
            self.topic_combo.addItem(title.both(), key)
        chooser.addWidget(self.topic_combo)
        chooser.addStretch(1)
        outer.addLayout(chooser)
        self.topic_stack = QStackedWidget()
        outer.addWidget(self.topic_stack, 1)
        self.steps_page = QWidget()
        self.topic_stack.addWidget(self.steps_page)
        root = QVBoxLayout(self.steps_page)
        root.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(QLabel("Example:"))
        self.example_combo = example_chooser()
        top.addWidget(self.example_combo)
        self.mode_tabs = mode_tabs()
        top.addWidget(self.mode_tabs)
        top.addStretch(1)
        root.addLayout(top)

        body = QHBoxLayout()
        root.addLayout(body, 1)
        self.controls = ControlsColumn()
        self.settings = self.controls.settings
        # the column scrolls on short screens, so the window's minimum height does not grow with it
        column = QScrollArea()
        column.setWidget(self.controls)
        column.setWidgetResizable(True)
        column.setFrameShape(QFrame.Shape.NoFrame)
        column.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        column.setFixedWidth(CONTROLS_WIDTH + column.verticalScrollBar().sizeHint().width())
        column.setMinimumHeight(120)
        body.addWidget(column)
        self.grids = InputGrids(lambda i, item: self._grid_edited("input", i, item),
                                lambda i, item: self._grid_edited("kernel", i, item))
        self.pages = ResultPages()
        content = QWidget()
        self._content_layout = content_layout = QBoxLayout(QBoxLayout.Direction.LeftToRight, content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        content_layout.addWidget(self.grids, 0, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        content_layout.addWidget(self.pages, 0, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        content_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(content)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        body.addWidget(scroll, 1)
        self._build_footer(root)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def _build_footer(self, root: QVBoxLayout) -> None:
        self.formula_label = QLabel()
        self.formula_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        root.addWidget(self.formula_label)
        self.explanation_label = label = QLabel()
        label.setWordWrap(True)
        label.setFrameShape(QFrame.Shape.StyledPanel)
        label.setMargin(6)
        label.setAutoFillBackground(True)
        label.hide()
        root.addWidget(label)
        self.step_box = QPlainTextEdit()
        self.step_box.setReadOnly(True)
        self.step_box.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.step_box.setFixedHeight(6 * self.fontMetrics().lineSpacing() + 14)
        self.step_box.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        root.addWidget(self.step_box)
        buttons = QHBoxLayout()
        self.back_button = QPushButton("◀ Back")
        self.step_button = QPushButton("Step ▶")
        self.play_button = QPushButton("Play")
        self.reset_button = QPushButton("Reset")
        for button in (self.back_button, self.step_button, self.play_button, self.reset_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            buttons.addWidget(button)
        self.progress_label = QLabel()
        buttons.addWidget(self.progress_label)
        buttons.addStretch(1)
        buttons.addWidget(QLabel("Keys: → step, ← back, Space play/pause"))
        root.addLayout(buttons)

    def _grid_edited(self, grid: str, position: int, item: QTableWidgetItem) -> None:
        """A cell of the ``position``-th ``"input"`` or ``"kernel"`` grid was typed in."""

    def show_problems(self, problems: Sequence[str]) -> None:
        """Show the explanation of invalid settings (amber box), or hide it when there is none."""
        label = self.explanation_label
        if problems:
            palette = label.palette()
            palette.setColor(QPalette.ColorRole.Window, EXPLANATION_BACKGROUND)
            label.setPalette(palette)
            label.setText(problems_text(problems))
            label.show()
        else:
            label.hide()
            label.setText("")

    def show_progress(self, index: int, count: int) -> None:
        """``step i / n`` and which of Back / Step / Play can be pressed."""
        self.progress_label.setText(f"step {index + 1} / {count}" if count else "no steps")
        for button in (self.step_button, self.play_button):
            button.setEnabled(count > 0)
        self.back_button.setEnabled(index >= 0)

    def set_results_below(self, forced: bool) -> None:
        """Always put the results below the input (``forced``), or only when they do not fit beside it."""
        self._force_below = forced
        self._arrange()

    def _arrange(self) -> None:
        """Results beside the input when both fit the visible width, otherwise below it."""
        wide = self.grids.sizeHint().width() + self.pages.sizeHint().width() + 12
        room = self.width() - CONTROLS_WIDTH - 56  # beside the settings column, margins and scroll bars
        below = self._force_below or wide > room
        self._content_layout.setDirection(QBoxLayout.Direction.TopToBottom if below
                                          else QBoxLayout.Direction.LeftToRight)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._arrange()
