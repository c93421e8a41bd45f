"""What the long inspection jobs (activation maximisation, top patches) share: cancellation and
progress callbacks, both optional and called from the job's own thread."""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["Cancelled", "Progress", "CancelCheck", "check_cancelled"]

Progress = Callable[[float], None]  # fraction done, 0..1
CancelCheck = Callable[[], bool]  # True: stop as soon as possible


class Cancelled(Exception):
    """Raised by a long inspection job when its ``cancelled()`` callback returned True."""


def check_cancelled(cancelled: CancelCheck | None) -> None:
    """Raise ``Cancelled`` when ``cancelled`` is given and says so."""
    if cancelled is not None and cancelled():
        raise Cancelled("cancelled")
