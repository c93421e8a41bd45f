"""The Help menu's keyboard-shortcuts dialog and the "What's This?" texts of every panel.

``shortcut_rows(window)`` lists every QAction under ``window`` that has keys, read from the actions
themselves (so the list cannot go stale); ``ShortcutsDialog`` shows them. ``WHATS_THIS`` holds each
panel's text in the app's own words, each pointing to the explainer mode that teaches its concept,
and ``install_whats_this(panels)`` puts them on the panels that exist so far.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gui.i18n import translate

_EXPLAINER = QT_TRANSLATE_NOOP("help", "<p><i>Learn it:</i> Convolution explainer (Ctrl+4), <b>{mode}</b> mode — "
                                        "{what}.</p>")

# one panel per paragraph: "key | title | explainer mode | what that mode shows", then the text (translated whole:
# the translation keeps the keys and the layout)
_PANEL_TEXTS = QT_TRANSLATE_NOOP("help", """
builder | Layers | Convolution | how kernel, stride and padding give the output size
Your network, one row per layer: its output shape, parameters, multiply-accumulates and receptive field,
recomputed as you type. Pick a preset, add layers from <b>Add</b>, select a row to edit it, Alt+↑/↓ to
reorder. Mistakes show under their row with a <b>Fix</b> button.

training | Training | im2col | the matrix product a convolution layer computes each step
The dataset, optimizer, learning rate and schedule; <b>Start</b> (Ctrl+Return) trains on the CPU or GPU,
<b>Pause</b> and <b>Stop</b> keep the weights so far, <b>Change lr now</b> works while it runs.

draw | Draw | Convolution | Explain → Explain the Drawn Digit runs a filter over it
Draw a digit with the mouse or a pen and see the network's answer, the exact 28×28 input it receives and
every class's probability. With the keyboard: click or Tab into the sheet, the <b>arrow keys</b> move the
pen's cursor (Shift moves further), <b>Space</b> puts the pen down or lifts it, <b>Escape</b> lifts it,
Ctrl+Z undoes a stroke, Tab moves on.

feature_maps | Feature maps | Pooling | how max and average pooling shrink these maps
What every layer outputs for the current input: one small picture per channel, on one colour scale.
Click a map to enlarge it, hover for values.

kernels | Kernels | Multi-channel | how one filter spans every input channel
The filters each conv layer learned, on a symmetric scale (grey is 0). <b>Play</b> replays how they
formed, <b>Diff B − A</b> compares two moments of training.

why | Why | Convolution | the weighted sums these maps are built from
Which pixels made the network decide: Grad-CAM, saliency, integrated gradients and occlusion over the
current input, with a sanity check on randomised weights.

explainer | Convolution explainer | Convolution | start here
The course notes' worked examples, step by step on real numbers: → and ← step, Space plays. Modes:
convolution, multi-channel input, max/average pooling and im2col; the output-size formula is written out.

plots | Training curves | im2col | what one training step multiplies
Loss per batch and per epoch, train and test accuracy, the learning rate, per-class accuracy and the
confusion matrix (rows: true class), updated live.
""")


def _whats_this_texts(source: str, explainer: str = _EXPLAINER) -> dict[str, str]:
    texts = {}
    for paragraph in source.strip().split("\n\n"):
        head, _, body = paragraph.partition("\n")
        key, title, mode, what = (part.strip() for part in head.split("|"))
        texts[key] = f"<h3>{title}</h3><p>{' '.join(body.split())}</p>" + explainer.format(mode=mode, what=what)
    return texts


WHATS_THIS: dict[str, str] = _whats_this_texts(_PANEL_TEXTS)


def install_whats_this(panels: Mapping[str, QWidget | None]) -> list[str]:
    """Set each panel's What's This text by its ``WHATS_THIS`` key; the keys set (None panels are skipped)."""
    done = []
    texts = _whats_this_texts(translate("help", _PANEL_TEXTS), translate("help", _EXPLAINER))
    for key, widget in panels.items():
        if widget is not None:
            widget.setWhatsThis(texts.get(key, WHATS_THIS[key]))
            done.append(key)
    return done


def _plain(text: str) -> str:
    text = re.sub(r"\(&\w\)", "", text)  # a translation's mnemonic in brackets: "공식(&F)"
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").strip()


def shortcut_rows(window: QWidget) -> list[tuple[str, str]]:
    """(what it does, keys) for every action under ``window`` with a shortcut, sorted by what it does."""
    rows: dict[tuple[str, str], None] = {}
    for action in window.findChildren(QAction):
        keys = [k for k in action.shortcuts() if not k.isEmpty()]
        if keys and action.text():
            text = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in keys)
            rows[(_plain(action.text()), text)] = None
    return sorted(rows, key=lambda row: row[0].lower())


class ShortcutsDialog(QDialog):
    """Help → Keyboard Shortcuts: a two-column table of the window's actions and their keys."""

    def __init__(self, window: QWidget):
        super().__init__(window)
        self.setWindowTitle(self.tr("Keyboard Shortcuts — ConvScope"))
        rows = shortcut_rows(window)
        self.table = QTableWidget(len(rows), 2, self)
        self.table.setAccessibleName(self.tr("Keyboard shortcuts"))
        self.table.setHorizontalHeaderLabels([self.tr("Command"), self.tr("Keys")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setMinimumSize(460, min(640, 60 + 26 * len(rows)))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)


def show_errata(window: Any) -> None:
    """Turn ``window``'s central view to the convolution explainer's errata page."""
    window.explainer.show_topic("errata")
    window.show_view(window.views.indexOf(window.explainer))


def errata_action(window: Any) -> QAction:
    """Help → Errata in the Notes: the notes' misprints with their corrections and live checks."""
    action = QAction(QCoreApplication.translate("Help", "&Errata in the Notes"), window)
    action.setStatusTip(QCoreApplication.translate("Help", "the notes' misprints, corrected and checked live"))
    action.triggered.connect(lambda: show_errata(window))
    return action
