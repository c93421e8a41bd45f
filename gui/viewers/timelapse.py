"""The kernel viewer's time controls: Live, Play, a slider over the keyframes, and Diff B − A.

``TimeLapse`` makes the controls (two rows: ``time_row`` and ``diff_row``), keeps the keyframes
(``AppState.keyframes``: step 0, a few early moments of epoch 1, every epoch end) and says which
moment to show (``moment()``); ``changed`` asks the viewer to redraw.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QPushButton, QSlider

from gui.i18n import translate
from gui.viewers.base import STRETCH, row

__all__ = ["PLAY_INTERVAL_MS", "TimeLapse", "frame_text"]

PLAY_INTERVAL_MS = 250  # ~4 frames a second


def frame_text(snapshot: Any) -> str:
    return translate("TimeLapse", "epoch {0} · step {1}").format(f"{float(snapshot.epoch):.2f}", int(snapshot.step))


class TimeLapse(QObject):
    """Keyframes and the controls that pick one (or two, for Diff) of them.

    ``fits(state)`` decides which snapshots belong to the current network; others are skipped.
    """

    changed = Signal()

    def __init__(self, fits: Callable[[Any], bool], parent: QObject | None = None):
        super().__init__(parent)
        self._fits = fits
        self.frames: list[Any] = []
        self.live_check = QCheckBox(self.tr("Live"))
        self.live_check.setToolTip(self.tr("Follow the newest weights while training"))
        self.live_check.setChecked(True)
        self.play_button = QPushButton(self.tr("Play"))
        self.play_button.setCheckable(True)
        self.play_button.setToolTip(self.tr("Play the keyframes as a time-lapse (about 4 frames a second, loops)"))
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setAccessibleName(self.tr("Moment of training shown"))
        self.slider.setRange(0, 0)
        self.slider.setPageStep(1)
        self.slider.setToolTip(self.tr("Keyframes: step 0, early moments of epoch 1, every epoch end"))
        self.slider.setMinimumWidth(120)
        self.frame_label = QLabel()
        self.frame_label.setMinimumWidth(150)
        self.diff_check = QCheckBox(self.tr("Diff B − A"))
        self.a_combo = QComboBox()
        self.a_combo.setAccessibleName(self.tr("Moment A"))
        self.b_combo = QComboBox()
        self.b_combo.setAccessibleName(self.tr("Moment B"))
        self.a_combo.setToolTip(self.tr("Moment A"))
        self.b_combo.setToolTip(self.tr("Moment B (the slider moves B while Diff is on)"))
        self.time_row = row(self.live_check, self.play_button, self.slider, self.frame_label)
        self.time_row.setStretch(2, 1)
        self.diff_row = row(self.diff_check, "A", self.a_combo, "B", self.b_combo, STRETCH)

        self.play_timer = QTimer(self)
        self.play_timer.setInterval(PLAY_INTERVAL_MS)
        self.play_timer.timeout.connect(self.step_forward)
        self.live_check.toggled.connect(self._live_toggled)
        self.play_button.toggled.connect(self.set_playing)
        self.slider.valueChanged.connect(self._slider_moved)
        self.diff_check.toggled.connect(self._diff_toggled)
        self.a_combo.currentIndexChanged.connect(lambda _index: self.changed.emit())
        self.b_combo.currentIndexChanged.connect(self._b_chosen)

    # -- which moment ------------------------------------------------------------------
    def moment(self) -> tuple[str, Any, Any]:
        """("diff", A, B) or ("diff", None, None) without two keyframes; ("frame", snapshot, None);
        or ("live", None, None)."""
        if self.diff_check.isChecked():
            a, b = self.a_combo.currentIndex(), self.b_combo.currentIndex()
            if not (0 <= a < len(self.frames) and 0 <= b < len(self.frames)):
                return "diff", None, None
            return "diff", self.frames[a], self.frames[b]
        if not self.live_check.isChecked() and self.frames:
            return "frame", self.frames[min(self.slider.value(), len(self.frames) - 1)], None
        return "live", None, None

    def is_live(self) -> bool:
        return self.live_check.isChecked() and not self.diff_check.isChecked()

    def set_diff(self, a: int, b: int, on: bool = True) -> None:
        self.a_combo.setCurrentIndex(a)
        self.b_combo.setCurrentIndex(b)
        self.diff_check.setChecked(on)
        self.changed.emit()

    def is_playing(self) -> bool:
        return self.play_timer.isActive()

    @Slot(bool)
    def set_playing(self, playing: bool) -> None:
        if playing and len(self.frames) < 2:
            playing = False
        if playing:
            self.live_check.setChecked(False)
            self.play_timer.start()
        else:
            self.play_timer.stop()
        self.play_button.blockSignals(True)
        self.play_button.setChecked(playing)
        self.play_button.setText(self.tr("Pause") if playing else self.tr("Play"))
        self.play_button.blockSignals(False)

    @Slot()
    def step_forward(self) -> None:
        """The next keyframe, looping to the first after the last."""
        if self.frames:
            self.slider.setValue((self.slider.value() + 1) % len(self.frames))

    # -- keyframes ---------------------------------------------------------------------
    @Slot(object)
    def add_keyframe(self, snapshot: Any) -> None:
        """A new time-lapse moment (``AppState.keyframeAdded``)."""
        if not self._fits(snapshot.state):
            return
        b_followed = self.b_combo.currentIndex() == len(self.frames) - 1
        self.frames.append(snapshot)
        text = frame_text(snapshot)
        for combo in (self.a_combo, self.b_combo):
            combo.blockSignals(True)
            combo.addItem(text)
            combo.blockSignals(False)
        if b_followed or self.b_combo.currentIndex() < 0:
            self.b_combo.blockSignals(True)
            self.b_combo.setCurrentIndex(len(self.frames) - 1)
            self.b_combo.blockSignals(False)
        if self.a_combo.currentIndex() < 0:
            self.a_combo.setCurrentIndex(0)
        self.slider.blockSignals(True)
        self.slider.setMaximum(len(self.frames) - 1)
        if self.live_check.isChecked():
            self.slider.setValue(len(self.frames) - 1)
        self.slider.blockSignals(False)
        if self.diff_check.isChecked() and b_followed:
            self.changed.emit()

    def reset(self, keyframes: list[Any]) -> None:
        """Start over with ``keyframes`` (a new network, or weights dropped)."""
        self.frames = []
        self.set_playing(False)
        for combo in (self.a_combo, self.b_combo):
            combo.blockSignals(True)
            combo.clear()
            combo.blockSignals(False)
        self.slider.blockSignals(True)
        self.slider.setRange(0, 0)
        self.slider.blockSignals(False)
        for snapshot in list(keyframes):
            self.add_keyframe(snapshot)

    # -- control changes ---------------------------------------------------------------
    @staticmethod
    def _quietly(widget: Any, setter: str, value: Any) -> None:
        widget.blockSignals(True)
        getattr(widget, setter)(value)
        widget.blockSignals(False)

    @Slot(bool)
    def _live_toggled(self, live: bool) -> None:
        if live:
            self.set_playing(False)
            self._quietly(self.diff_check, "setChecked", False)
            if self.frames:
                self._quietly(self.slider, "setValue", len(self.frames) - 1)
        self.changed.emit()

    @Slot(int)
    def _slider_moved(self, value: int) -> None:
        if self.diff_check.isChecked():
            self._quietly(self.b_combo, "setCurrentIndex", value)
        elif self.live_check.isChecked():
            self._quietly(self.live_check, "setChecked", False)
        self.changed.emit()

    @Slot(bool)
    def _diff_toggled(self, on: bool) -> None:
        if on:
            self._quietly(self.live_check, "setChecked", False)
            self.set_playing(False)
            self._quietly(self.slider, "setValue", max(0, self.b_combo.currentIndex()))
        self.changed.emit()

    @Slot(int)
    def _b_chosen(self, index: int) -> None:
        if self.diff_check.isChecked() and index >= 0:
            self._quietly(self.slider, "setValue", index)
        self.changed.emit()
