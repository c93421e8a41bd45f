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
from functools import partial

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
from gui.explain.language import MODE_NAMES as LANGUAGE_NAMES
from gui.explain.language import MODES as LANGUAGE_MODES
from gui.explain.language import B, bind, pair
from gui.explain.language import mode as language_mode
from gui.explain.language import set_mode as set_language_mode
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
        topic_label = QLabel()
        bind(topic_label, WORDS["topic"], lambda text: topic_label.setText(text + ":"))
        chooser.addWidget(topic_label)
        self.topic_combo = combo = QComboBox()
        bind(combo, WORDS["topic"], combo.setAccessibleName)
        bind(combo, WORDS["topic_tip"], combo.setToolTip)
        for row, (key, title) in enumerate(TOPIC_TITLES.items()):
            combo.addItem("", key)
            bind(combo, title, partial(combo.setItemText, row))
        chooser.addWidget(combo)
        chooser.addStretch(1)
        chooser.addWidget(QLabel(pair("Language", "언어") + ":"))
        self.language_combo = QComboBox()
        self.language_combo.setAccessibleName(pair("Explainer language", "설명 언어"))
        self.language_combo.setToolTip(pair("The explainer's language: both side by side (as the notes pair their "
                                            "terms) or one; it applies at once",
                                            "설명 언어: 두 언어 나란히 또는 하나; 바로 적용됨"))
        for key in LANGUAGE_MODES:
            self.language_combo.addItem(LANGUAGE_NAMES[key], key)
        self.language_combo.setCurrentIndex(LANGUAGE_MODES.index(language_mode()))
        self.language_combo.activated.connect(
            lambda row: self.set_language(LANGUAGE_MODES[row]))
        chooser.addWidget(self.language_combo)
        outer.addLayout(chooser)
        self.topic_stack = QStackedWidget()
        outer.addWidget(self.topic_stack, 1)
        self.steps_page = QWidget()
        self.topic_stack.addWidget(self.steps_page)
        root = QVBoxLayout(self.steps_page)
        root.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        example_label = QLabel()
        bind(example_label, B("Example", "예제"), lambda text: example_label.setText(text + ":"), None)
        top.addWidget(example_label)
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
        self.back_button = QPushButton()
        self.step_button = QPushButton()
        self.play_button = QPushButton()
        self.reset_button = QPushButton()
        for button, text in ((self.back_button, B("◀ Back", "◀ 이전")), (self.step_button, B("Step ▶", "다음 ▶")),
                             (self.play_button, B("Play", "재생")), (self.reset_button, B("Reset", "처음으로"))):
            bind(button, text, button.setText, None)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            buttons.addWidget(button)
        self.progress_label = QLabel()
        buttons.addWidget(self.progress_label)
        buttons.addStretch(1)
        keys = QLabel()
        bind(keys, B("Keys: → step, ← back, Space play/pause", "키: → 다음, ← 이전, Space 재생/정지"), keys.setText,
             None)
        buttons.addWidget(keys)
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
        self.progress_label.setText(
            pair("step {0} / {1}", "단계 {0} / {1}", None).format(index + 1, count) if count
            else pair("no steps", "단계 없음", None))
        for button in (self.step_button, self.play_button):
            button.setEnabled(count > 0)
        self.back_button.setEnabled(index >= 0)

    def set_language(self, mode: str | None) -> None:
        """Show the explainer in ``mode`` (``"both"``, ``"en"``, ``"ko"``; None: as the app) at once."""
        set_language_mode(mode)
        self.language_combo.setCurrentIndex(LANGUAGE_MODES.index(language_mode()))
        self.language_changed()

    def language_changed(self) -> None:
        """Rewrite what is not bound to a pair (the panel redraws its steps and pages)."""

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
