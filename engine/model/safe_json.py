"""The one way ConvScope reads JSON it did not write itself: spec files, model-file metadata.

``json.loads`` on hostile text can raise ``RecursionError`` (deep nesting), ``ValueError`` from
Python's integer-digit limit, or take a long time and much memory (a huge file). ``parse_json``
checks the size before parsing and the nesting depth without recursion (brackets outside strings
are counted by one regular-expression scan), then parses, and turns every failure into
``JSONInputError``: a ``ValueError`` with a one-line reason.

Pure Python; nothing here runs code from the text.
"""

from __future__ import annotations

import json
import re
from typing import Any

__all__ = ["JSONInputError", "DEFAULT_MAX_BYTES", "DEFAULT_MAX_DEPTH", "parse_json", "nesting_depth"]

#: Defaults for files a person could open: far above any real spec or model metadata.
DEFAULT_MAX_BYTES = 1 << 20  # 1 MiB
DEFAULT_MAX_DEPTH = 32

# A JSON string (escapes included) or one bracket. Strings are matched whole, so brackets inside
# them are never counted; the unrolled form keeps the scan linear.
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)


class JSONInputError(ValueError):
    """Text that ``parse_json`` refuses; ``str()`` is a one-line reason."""


def nesting_depth(text: str, limit: int | None = None) -> int:
    """Deepest bracket nesting outside strings; stops counting once above ``limit``."""
    depth = deepest = 0
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if limit is not None and deepest > limit:
                    return deepest
        elif token in "]}":
            depth = max(depth - 1, 0)
    return deepest


def _one_line(message: str, limit: int = 200) -> str:
    line = " ".join(str(message).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def parse_json(text: str | bytes, *, max_bytes: int = DEFAULT_MAX_BYTES, max_depth: int = DEFAULT_MAX_DEPTH) -> Any:
    """Parse JSON ``text`` (str, or UTF-8 bytes) no larger than ``max_bytes`` and nested no deeper
    than ``max_depth`` brackets. Raises ``JSONInputError`` with a one-line reason otherwise,
    and for anything ``json.loads`` raises (syntax, integer-digit limit, recursion)."""
    if isinstance(text, (bytes, bytearray)):
        if len(text) > max_bytes:
            raise JSONInputError(f"too large: {len(text):,} bytes, at most {max_bytes:,}")
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError:
            raise JSONInputError("not UTF-8 text") from None
    elif not isinstance(text, str):
        raise JSONInputError(f"expected text, got {type(text).__name__}")
    if len(text) > max_bytes or (len(text) * 4 > max_bytes and len(text.encode("utf-8", "replace")) > max_bytes):
        raise JSONInputError(f"too large: more than {max_bytes:,} bytes")
    depth = nesting_depth(text, max_depth)
    if depth > max_depth:
        raise JSONInputError(f"nested more than {max_depth} levels deep")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise JSONInputError(f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except ValueError as exc:
        if "digits" in str(exc):  # Python's limit on int() of long digit strings
            raise JSONInputError("not readable JSON: a number has more than 4,300 digits") from None
        raise JSONInputError(f"not readable JSON: {_one_line(exc)}") from None
    except (RecursionError, MemoryError, OverflowError) as exc:
        raise JSONInputError(f"not readable JSON: {type(exc).__name__} {_one_line(exc)}") from None
