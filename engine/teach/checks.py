"""Sizes in words: the output-size formula written out, and invalid settings explained.

:func:`check` explains invalid combinations (output size below 1, stride below 1, pooling padding
over half the window, channel mismatch) in words instead of failing deep inside numpy;
:func:`formula_text` writes ``O = floor((I − K + 2P) / S) + 1`` with the numbers put in. The
formula itself is :func:`engine.model.geometry.conv_output_size`, the one every part shares.

Pure Python: no numpy, torch or Qt.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from engine.model.geometry import Pair, conv_output_size, effective_kernel, pair

__all__ = ["CheckError", "check", "raise_if_invalid", "formula_text", "format_number"]


class CheckError(ValueError):
    """An invalid combination of sizes; the message is :func:`check`'s explanation."""

    def __init__(self, problems: Sequence[str]):
        self.problems = list(problems)
        super().__init__(" ".join(self.problems))


def raise_if_invalid(problems: list[str]) -> None:
    """Raise :class:`CheckError` when :func:`check` found problems."""
    if problems:
        raise CheckError(problems)


def format_number(value: float) -> str:
    """``3.0`` → ``3``; ``0.25`` → ``0.25``; ``-1`` → ``−1`` (a real minus sign); at most 3 decimals."""
    value = float(value)
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "−∞" if value < 0 else "∞"
    if abs(value - round(value)) < 1e-9:
        text = str(int(round(value)))
    else:
        text = f"{value:.3f}".rstrip("0").rstrip(".")
    if text in ("-0", "−0"):
        text = "0"
    return text.replace("-", "−")


def formula_text(size: int, kernel: int, stride: int = 1, padding: int = 0, dilation: int = 1) -> str:
    """The output-size formula with the numbers put in, e.g. ``floor((6 − 3 + 2·0) / 1) + 1 = 4``.

    With a dilation above 1 the kernel's span is written first:
    ``floor((7 − 5 + 2·0) / 1) + 1 = 3   (span 2·(3 − 1) + 1 = 5)``.
    A stride below 1 cannot be divided by and is reported as such.
    """
    if stride < 1:
        return f"floor(({size} − {kernel} + 2·{padding}) / {stride}) + 1: stride must be at least 1"
    span = effective_kernel(kernel, dilation)
    value = conv_output_size(size, kernel, stride, padding, dilation)
    text = f"floor(({size} − {span} + 2·{padding}) / {stride}) + 1 = {format_number(value)}"
    if dilation != 1:
        text += f"   (span {dilation}·({kernel} − 1) + 1 = {span})"
    return text


def check(
    input_hw: tuple[int, int] | int,
    kernel: Pair,
    stride: Pair = 1,
    padding: Pair = 0,
    dilation: Pair = 1,
    *,
    pooling: bool = False,
    in_channels: int | None = None,
    kernel_channels: int | None = None,
) -> list[str]:
    """Explanations of everything wrong with this combination; an empty list when it is valid.

    Checks: kernel, stride and dilation at least 1, padding not negative, output size at least 1
    in both directions, for pooling padding at most half the window (as torch requires), and that
    a filter has as many channels as the input (one 3-channel filter for an RGB image).
    """
    hw = pair(input_hw)
    k, s, p, d = pair(kernel), pair(stride), pair(padding), pair(dilation)
    problems: list[str] = []
    if min(hw) < 1:
        problems.append(f"The input is empty ({hw[0]}×{hw[1]}).")
    if min(k) < 1:
        problems.append(f"The kernel must be at least 1×1 (got {k[0]}×{k[1]}).")
    if min(s) < 1:
        problems.append(f"The stride must be at least 1 (got {min(s)}): the window has to move forward.")
    if min(d) < 1:
        problems.append(f"The dilation must be at least 1 (got {min(d)}); 1 means taps side by side.")
    if min(p) < 0:
        problems.append(f"The padding cannot be negative (got {min(p)}).")
    if in_channels is not None and kernel_channels is not None and in_channels != kernel_channels:
        problems.append(
            f"The filter has {kernel_channels} channel(s) but the input has {in_channels}: one filter "
            f"needs one 2-D slice per input channel (an RGB image needs a 3-channel filter)."
        )
    if problems:
        return problems
    if pooling and (p[0] > k[0] // 2 or p[1] > k[1] // 2):
        problems.append(
            f"Pooling padding {max(p)} is more than half the {k[0]}×{k[1]} window: a window could then "
            f"lie entirely in the padding. Use padding ≤ {min(k) // 2}."
        )
    names = ("height", "width") if hw[0] != hw[1] or k[0] != k[1] or s[0] != s[1] or p[0] != p[1] else ("size",)
    for axis, name in enumerate(names):
        out = conv_output_size(hw[axis], k[axis], s[axis], p[axis], d[axis])
        if out < 1:
            span = effective_kernel(k[axis], d[axis])
            what = f"the {span}-cell span of the dilated kernel" if d[axis] > 1 else f"the {k[axis]}-cell kernel"
            problems.append(
                f"Output {name} {formula_text(hw[axis], k[axis], s[axis], p[axis], d[axis])} is below 1: "
                f"{what} does not fit in the {hw[axis] + 2 * p[axis]}-cell padded input "
                f"({hw[axis]} + 2·{p[axis]}). Use a smaller kernel or more padding."
            )
    return problems
