"""The sliding-window arithmetic every part of ConvScope shares: one formula, one rule each.

Pure Python (no torch, no numpy), so the builder, the shape report and the explainer use the
same lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Integral

__all__ = ["Pair", "pair", "effective_kernel", "conv_output_size"]

Pair = int | Sequence[int]


def pair(value: Pair) -> tuple[int, int]:
    """``3`` → ``(3, 3)``; ``(3, 5)`` stays ``(3, 5)``."""
    if isinstance(value, Integral) and not isinstance(value, bool):
        return int(value), int(value)
    first, second = value
    return int(first), int(second)


def effective_kernel(kernel: int, dilation: int = 1) -> int:
    """Span of a dilated kernel: ``dilation·(kernel − 1) + 1`` input cells."""
    return dilation * (kernel - 1) + 1


def conv_output_size(size: int, kernel: int, stride: int = 1, padding: int = 0, dilation: int = 1) -> int:
    """``O = floor((I − K + 2P) / S) + 1`` with the dilated kernel ``K = d·(k − 1) + 1``.

    May be below 1 for combinations that do not fit; callers validate.
    """
    return (size - effective_kernel(kernel, dilation) + 2 * padding) // stride + 1
