"""Convolution and pooling by hand, as in the seed-003 notes: one step per output position.

:func:`conv_steps` and :func:`pool_steps` walk the output positions row by row and keep every
window, element-wise product and sum as a :class:`Step`, so a panel can write out
"(1×1) + (0×0) + … = 3". The fast view of the same arithmetic is :mod:`engine.teach.conv_reference`.

Numpy only: no torch, no Qt.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from engine.model.geometry import Pair, pair
from engine.teach.checks import CheckError, check, format_number, raise_if_invalid
from engine.teach.im2col import output_shape

__all__ = ["Step", "conv_steps", "pool_steps"]


def _term(value: float) -> str:
    """A number as a term of a sum: negative numbers in brackets, ``(−1)``."""
    text = format_number(value)
    return f"({text})" if text.startswith("−") else text


@dataclass(frozen=True)
class Step:
    """One output position of a convolution or pooling, with everything needed to write it out.

    ``rows`` / ``cols`` are the window's tap coordinates in the PADDED input (padding ``P`` means
    input cell ``(r, c)`` is padded cell ``(r + P, c + P)``); ``in_padding`` marks taps that fall
    in the padding. For a convolution ``products`` is ``window × kernel`` element-wise and
    ``per_channel`` the sum of each channel's products; ``total`` is their sum plus ``bias``.
    For pooling ``per_channel`` is each channel's max (or mean) and ``total`` channel 0's.
    """

    index: int
    out_row: int
    out_col: int
    rows: tuple[int, ...]
    cols: tuple[int, ...]
    window: np.ndarray  # (C, kh, kw)
    in_padding: np.ndarray  # (kh, kw) bool
    kind: str  # "conv", "max" or "avg"
    kernel: np.ndarray | None  # (C, kh, kw) for "conv"
    products: np.ndarray | None  # (C, kh, kw) for "conv"
    per_channel: tuple[float, ...]
    bias: float
    total: float

    def channel_text(self, channel: int = 0) -> str:
        """One channel written out: ``(1×1) + (0×0) + … = 3`` or ``max(3, −1, −3, 1) = 3``."""
        values = self.window[channel].ravel()
        if self.kind == "conv":
            weights = self.kernel[channel].ravel()
            terms = " + ".join(f"({format_number(a)}×{format_number(b)})" for a, b in zip(values, weights))
            return f"{terms} = {format_number(self.per_channel[channel])}"
        if self.kind == "max":
            shown = ("−∞" if pad else format_number(v) for v, pad in zip(values, self.in_padding.ravel()))
            return f"max({', '.join(shown)}) = {format_number(self.per_channel[channel])}"
        return (f"({' + '.join(_term(v) for v in values)}) / {values.size} = "
                f"{format_number(self.per_channel[channel])}")

    def text(self) -> str:
        """The whole step: each channel's line, then (several channels or a bias) their sum."""
        channels = self.window.shape[0]
        if self.kind != "conv" or (channels == 1 and self.bias == 0):
            return self.channel_text(0)
        lines = [self.channel_text(ch) for ch in range(channels)]
        total = " + ".join(_term(v) for v in self.per_channel)
        if self.bias != 0:
            total += f" + {_term(self.bias)} (bias)"
        lines.append(f"{total} = {format_number(self.total)}")
        return "\n".join(lines)


def _as_chw(array: np.ndarray, what: str) -> np.ndarray:
    array = np.asarray(array, dtype=np.float64)
    if array.ndim == 2:
        array = array[None]
    if array.ndim != 3:
        raise CheckError([f"The {what} must be 2-D (H, W) or 3-D (C, H, W), got shape {array.shape}."])
    return array


def _windows(image: np.ndarray, kh: int, kw: int, stride: Pair, padding: Pair, dilation: Pair) -> Iterator[tuple]:
    """``(index, out_row, out_col, rows, cols, window, in_padding)`` per output position, zero padded."""
    (sh, sw), (ph, pw), (dh, dw) = pair(stride), pair(padding), pair(dilation)
    c, h, w = image.shape
    oh, ow = output_shape((h, w), (kh, kw), stride, padding, dilation)
    padded = np.pad(image, ((0, 0), (ph, ph), (pw, pw)), constant_values=0.0)
    inside = np.pad(np.zeros((h, w), dtype=bool), ((ph, ph), (pw, pw)), constant_values=True)
    index = 0
    for r in range(oh):
        for col in range(ow):
            rows = tuple(r * sh + i * dh for i in range(kh))
            cols = tuple(col * sw + j * dw for j in range(kw))
            window = padded[:, rows][:, :, cols]
            yield index, r, col, rows, cols, window, inside[np.ix_(rows, cols)]
            index += 1


def conv_steps(
    image: np.ndarray,
    kernel: np.ndarray,
    stride: Pair = 1,
    padding: Pair = 0,
    dilation: Pair = 1,
    bias: float = 0.0,
) -> list[Step]:
    """Every output position of one filter over one image, row by row, as :class:`Step` s.

    ``image`` is ``(C, H, W)`` or ``(H, W)``; ``kernel`` ``(C, kh, kw)`` or ``(kh, kw)`` — ONE
    filter with as many channels as the image; the per-channel sums are added into one output.
    Raises :class:`CheckError` with an explanation for invalid sizes.
    """
    image, kernel = _as_chw(image, "image"), _as_chw(kernel, "kernel")
    c, h, w = image.shape
    kc, kh, kw = kernel.shape
    raise_if_invalid(check((h, w), (kh, kw), stride, padding, dilation, in_channels=c, kernel_channels=kc))
    steps = []
    for index, r, col, rows, cols, window, in_padding in _windows(image, kh, kw, stride, padding, dilation):
        products = window * kernel
        per_channel = tuple(float(v) for v in products.sum(axis=(1, 2)))
        steps.append(Step(index, r, col, rows, cols, window, in_padding, "conv", kernel, products,
                          per_channel, float(bias), float(sum(per_channel) + bias)))
    return steps


def pool_steps(
    image: np.ndarray,
    kernel: Pair = 2,
    stride: Pair | None = None,
    padding: Pair = 0,
    mode: str = "max",
    dilation: Pair = 1,
) -> list[Step]:
    """Every output position of max (``mode="max"``) or average (``"avg"``) pooling, per channel.

    The stride defaults to the window size. Padding cells are −inf for max (they never win) and
    0 for average (counted in the divisor, as torch's default). A window ``Step.window`` shows
    padding cells as 0 either way.
    """
    if mode not in ("max", "avg"):
        raise ValueError(f"mode must be 'max' or 'avg', got {mode!r}")
    image = _as_chw(image, "image")
    kh, kw = pair(kernel)
    stride = (kh, kw) if stride is None else stride
    raise_if_invalid(check(image.shape[1:], (kh, kw), stride, padding, dilation, pooling=True))
    steps = []
    for index, r, col, rows, cols, window, in_padding in _windows(image, kh, kw, stride, padding, dilation):
        if mode == "max":
            masked = np.where(in_padding[None], -np.inf, window)
            per_channel = tuple(float(v) for v in masked.max(axis=(1, 2)))
        else:
            per_channel = tuple(float(v) for v in window.mean(axis=(1, 2)))
        steps.append(Step(index, r, col, rows, cols, window, in_padding, mode, None, None,
                          per_channel, 0.0, per_channel[0]))
    return steps
