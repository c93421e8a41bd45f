"""The explainer's stepping: Step / Back / Play / Pause / Reset over the output positions, and their keys.

A mixin for :class:`gui.explain.panel.ExplainPanel`, which owns ``_walk`` (the steps), ``_index``,
``_timer``, ``play_button``, ``stepChanged`` and ``_paint``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from engine.teach.steps import Step
from gui.explain.language import pair

__all__ = ["Stepping"]


class Stepping:
    """Moving through the current walk-through's steps; see the module docstring."""

    _walk: Any
    _index: int
    _timer: Any
    play_button: Any
    stepChanged: Any

    def _paint(self) -> None:
        raise NotImplementedError

    def _key_actions(self) -> dict:
        return {Qt.Key.Key_Right: self.step, Qt.Key.Key_Left: self.back, Qt.Key.Key_Space: self.toggle_play}

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        """Right / Left / Space when the panel itself has the key (the shortcuts cover its children)."""
        action = self._key_actions().get(Qt.Key(event.key()))
        if action is None or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            super().keyPressEvent(event)
            return
        action()
        event.accept()

    def step_count(self) -> int:
        return len(self._walk.steps)

    def step_index(self) -> int:
        """The current output position (0-based), −1 before the first step."""
        return self._index

    def current_step(self) -> Step | None:
        steps = self._walk.steps
        return steps[self._index] if 0 <= self._index < len(steps) else None

    def step(self) -> None:
        """Move to the next output position (the last one stays)."""
        if self._index < self.step_count() - 1:
            self._set_index(self._index + 1)
        else:
            self.pause()

    def back(self) -> None:
        if self._index > -1:
            self._set_index(self._index - 1)

    def reset(self) -> None:
        self.pause()
        self._set_index(-1)

    def play(self) -> None:
        if self.step_count() == 0:
            return
        if self._index >= self.step_count() - 1:
            self._set_index(-1)
        self._timer.start()
        self.play_button.setText(pair("Pause", "일시 정지", None))

    def pause(self) -> None:
        self._timer.stop()
        self.play_button.setText(pair("Play", "재생", None))

    def toggle_play(self) -> None:
        if self._timer.isActive():
            self.pause()
        else:
            self.play()

    def is_playing(self) -> bool:
        return self._timer.isActive()

    def _tick(self) -> None:
        if self._index >= self.step_count() - 1:
            self.pause()
        else:
            self._set_index(self._index + 1)

    def _set_index(self, index: int, force: bool = False) -> None:
        index = max(-1, min(index, self.step_count() - 1))
        if index == self._index and not force:
            return
        self._index = index
        self._paint()
        self.stepChanged.emit(index)
