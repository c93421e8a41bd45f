"""How a run that failed is told: one ``ErrorInfo`` per exception, with a sentence for the user."""

from __future__ import annotations

import traceback

from engine.training.checks import TrainingError
from engine.training.devices import is_out_of_memory
from engine.training.distributed import SINGLE, DistributedError, World, failure_message
from engine.training.events import ErrorInfo

__all__ = ["failure_info"]


def failure_info(exc: BaseException, world: World = SINGLE) -> ErrorInfo:
    """The ``ErrorInfo`` of a run that raised ``exc`` (call it while handling ``exc``)."""
    if isinstance(exc, TrainingError):
        return ErrorInfo(exc.kind, str(exc))
    if isinstance(exc, (ValueError, DistributedError)):
        return ErrorInfo("config", str(exc))
    lost = failure_message(exc, world)
    if lost:
        return ErrorInfo("distributed", lost, str(exc))
    if is_out_of_memory(exc):
        return ErrorInfo("out_of_memory", "out of memory: the network or batch is too large for this device; "
                         "lower the batch size or the layer widths", str(exc))
    return ErrorInfo("exception", f"{type(exc).__name__}: {exc}", traceback.format_exc())
