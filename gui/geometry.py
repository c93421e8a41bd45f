"""The window's size on first launch, worked out from the screen as a plain function.

``first_launch_plan(available, minimum)`` takes the screen's available rectangle and the window's
minimum size with its three columns (builder | views | training and draw) and returns where the
window goes, how wide the docks start and whether the screen is too narrow for three columns, in
which case the builder shares the right-hand column with Training and Draw (as tabs). Everything is
in logical pixels, so a device pixel ratio of 2 gives the same plan as its logical screen.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDockWidget, QMainWindow

SCREEN_FRACTION = 0.9
BUILDER_SHARE, BUILDER_MIN, BUILDER_MAX = 0.27, 400, 560
SIDE_SHARE, SIDE_MIN, SIDE_MAX = 0.23, 350, 440
FRAME_ALLOWANCE = QSize(8, 36)  # the window manager's title bar and borders, around the client area


@dataclass(frozen=True)
class WindowPlan:
    """Where the window goes on first launch and how its docks start."""

    rect: QRect  # the client area, inside ``available``
    compact: bool  # True: the builder is a tab beside Training and Draw
    builder_width: int
    side_width: int


def _clamp(value: float, low: int, high: int) -> int:
    return int(max(low, min(high, value)))


def _size(available: int, minimum: int, frame: int) -> int:
    """About SCREEN_FRACTION of ``available``, at least ``minimum`` when it fits, never more than fits."""
    room = available - frame
    return max(1, min(room, max(int(available * SCREEN_FRACTION), minimum)))


def needs_compact(available: QRect, minimum: QSize) -> bool:
    """Whether three columns at their minimum widths are wider than the screen."""
    return minimum.width() + FRAME_ALLOWANCE.width() > available.width()


def first_launch_plan(available: QRect, minimum: QSize, compact_minimum: QSize | None = None) -> WindowPlan:
    """The window's rectangle and dock widths for a screen whose free area is ``available``.

    ``minimum`` is the window's minimum size with three columns; when it is wider than the screen
    the plan is compact and ``compact_minimum`` (the minimum with two columns, default ``minimum``)
    is the one to fit.
    """
    compact = needs_compact(available, minimum)
    need = (compact_minimum or minimum) if compact else minimum
    width = _size(available.width(), need.width(), FRAME_ALLOWANCE.width())
    height = _size(available.height(), need.height(), FRAME_ALLOWANCE.height())
    x = available.x() + (available.width() - width) // 2
    y = available.y() + max(FRAME_ALLOWANCE.height() - 8, (available.height() - height) // 2)
    y = min(y, available.bottom() + 1 - height)
    side = _clamp(width * SIDE_SHARE, SIDE_MIN, SIDE_MAX)
    builder = side if compact else _clamp(width * BUILDER_SHARE, BUILDER_MIN, BUILDER_MAX)
    return WindowPlan(QRect(x, y, width, height), compact, builder, side)


def apply_first_launch(window: QMainWindow, builder: QDockWidget, side: QDockWidget,
                       available: QRect | None = None, reserve: int = 0) -> WindowPlan:
    """Size ``window`` for its screen (or ``available``) and start its docks at the plan's widths;
    on a narrow screen ``builder`` becomes a tab of ``side``'s column. ``reserve``: how much wider
    the window's minimum becomes later (pages built once the engine loads)."""
    if available is None:
        screen = window.screen() or QGuiApplication.primaryScreen()
        available = screen.availableGeometry()
    extra = QSize(reserve, 0)
    three_columns = window.minimumSizeHint() + extra
    compact_minimum = None
    if needs_compact(available, three_columns):
        window.tabifyDockWidget(side, builder)
        side.raise_()
        compact_minimum = window.minimumSizeHint() + extra
    plan = first_launch_plan(available, three_columns, compact_minimum)
    window.setGeometry(plan.rect)
    if plan.compact:
        window.resizeDocks([side], [plan.side_width], Qt.Orientation.Horizontal)
    else:
        window.resizeDocks([builder, side], [plan.builder_width, plan.side_width], Qt.Orientation.Horizontal)
    return plan
