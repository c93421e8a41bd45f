"""One setting of a layer type (kind, default, valid range) and the check of a value against it.

Pure Python, shared by the layer registry (which declares settings), the spec (which validates
them) and the builder form (which takes its editors' ranges from them).
"""

from __future__ import annotations

import math
import reprlib
from dataclasses import dataclass
from typing import Any

__all__ = ["PARAM_KINDS", "PAIR_KINDS", "Param", "check_value", "is_int", "show"]

PARAM_KINDS = ("int", "pair", "padding", "float", "bool", "pair_or_none")
#: Kinds whose value may be one int or ``[h, w]`` (expanded to ``(h, w)`` when resolved).
PAIR_KINDS = ("pair", "padding", "pair_or_none")


@dataclass(frozen=True)
class Param:
    """One setting of a layer type: its kind, default and valid range.

    ``default_from`` names another setting whose value stands in when this one is ``None``
    (a pool's stride defaults to its window).
    """

    kind: str  # one of PARAM_KINDS
    default: Any = None
    minimum: float | None = None
    maximum: float | None = None
    required: bool = False
    exclusive_max: bool = False
    help: str = ""
    default_from: str | None = None


def is_int(value: Any) -> bool:
    """An int that is not a bool."""
    return isinstance(value, int) and not isinstance(value, bool)


class _ShortRepr(reprlib.Repr):
    """``repr`` cut short: a few items, a few levels, no huge integers (``repr`` of an int with
    thousands of digits raises), so a message about any value stays one short line."""

    def __init__(self) -> None:
        super().__init__()
        self.maxlevel, self.maxstring, self.maxother = 3, 40, 40
        self.maxlist = self.maxtuple = self.maxdict = self.maxset = 4

    def repr_int(self, x: int, level: int) -> str:
        if x.bit_length() > 64:
            return f"<an integer of about {int(x.bit_length() * math.log10(2)) + 1:,} digits>"
        return super().repr_int(x, level)


_SHORT = _ShortRepr()


def show(value: Any) -> str:
    """A short one-line ``repr`` of any value, for messages."""
    try:
        return _SHORT.repr(value)
    except Exception:  # noqa: BLE001 - a value's own __repr__ may fail; the message must not
        return f"<a {type(value).__name__}>"


def _range_problem(param: Param, value: float) -> str | None:
    """Python compares ints and floats exactly, so a huge int is compared without overflow."""
    if param.minimum is not None and value < param.minimum:
        return f"must be at least {param.minimum:g}, got {show(value)}"
    if param.maximum is not None:
        if param.exclusive_max and value >= param.maximum:
            return f"must be below {param.maximum:g}, got {show(value)}"
        if not param.exclusive_max and value > param.maximum:
            return f"must be at most {param.maximum:g}, got {show(value)}"
    return None


def _pair_problem(param: Param, value: Any) -> str | None:
    if is_int(value):
        return _range_problem(param, value)
    if isinstance(value, (list, tuple)) and len(value) == 2 and all(map(is_int, value)):
        for v in value:
            problem = _range_problem(param, v)
            if problem:
                return problem
        return None
    extra = ' or "same"' if param.kind == "padding" else ""
    return f"must be an integer or [h, w]{extra}, got {show(value)}"


def check_value(param: Param, value: Any) -> str | None:
    """Return a message when ``value`` is not valid for ``param``, else None."""
    kind = param.kind
    if kind == "bool":
        return None if isinstance(value, bool) else f"must be true or false, got {show(value)}"
    if kind == "float":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return f"must be a number, got {show(value)}"
        if isinstance(value, float) and not math.isfinite(value):
            return f"must be finite, got {show(value)}"
        return _range_problem(param, value)
    if kind == "int":
        return _range_problem(param, value) if is_int(value) else f"must be an integer, got {show(value)}"
    if kind == "pair_or_none" and value is None:
        return None
    if kind == "padding" and value == "same":
        return None
    if kind in PAIR_KINDS:
        return _pair_problem(param, value)
    raise AssertionError(f"unknown param kind {kind}")
