"""im2col / col2im in numpy: a convolution's sliding windows as the rows of one matrix.

Layout as in the seed-004 notes: for an ``(N, C, H, W)`` input the matrix has one row per
output position (``N·OH·OW`` rows, image-major, then output row, then output column) and one
column per kernel tap (``C·KH·KW`` columns, channel-major, then kernel row, then kernel column),
so a convolution is ``im2col(x) @ weight.reshape(F, -1).T``.

Numpy only: no torch, no Qt.
"""

from __future__ import annotations

import numpy as np

from engine.model.geometry import Pair, conv_output_size, pair

__all__ = ["output_shape", "im2col", "col2im", "im2col_shape"]


def output_shape(
    hw: tuple[int, int], kernel: Pair, stride: Pair = 1, padding: Pair = 0, dilation: Pair = 1
) -> tuple[int, int]:
    """Output ``(OH, OW)`` of a window of ``kernel`` sliding over an ``hw`` input (the one formula per axis)."""
    k, s, p, d = pair(kernel), pair(stride), pair(padding), pair(dilation)
    return (
        conv_output_size(hw[0], k[0], s[0], p[0], d[0]),
        conv_output_size(hw[1], k[1], s[1], p[1], d[1]),
    )


def im2col_shape(
    input_shape: tuple[int, int, int, int],
    kernel: Pair,
    stride: Pair = 1,
    padding: Pair = 0,
    dilation: Pair = 1,
) -> tuple[int, int]:
    """``(N·OH·OW, C·KH·KW)`` for an ``(N, C, H, W)`` input, without building the matrix."""
    n, c, h, w = input_shape
    kh, kw = pair(kernel)
    oh, ow = output_shape((h, w), kernel, stride, padding, dilation)
    return n * oh * ow, c * kh * kw


def _checked_geometry(
    shape: tuple[int, ...], kernel: Pair, stride: Pair, padding: Pair, dilation: Pair
) -> tuple[tuple[int, int], ...]:
    if len(shape) != 4:
        raise ValueError(f"im2col needs an (N, C, H, W) array, got shape {tuple(shape)}")
    k, s, p, d = pair(kernel), pair(stride), pair(padding), pair(dilation)
    if min(k) < 1 or min(s) < 1 or min(d) < 1 or min(p) < 0:
        raise ValueError(f"invalid window: kernel {k}, stride {s}, padding {p}, dilation {d}")
    oh, ow = output_shape((shape[2], shape[3]), k, s, p, d)
    if oh < 1 or ow < 1:
        raise ValueError(f"the window does not fit the input: output size {oh}×{ow}")
    return k, s, p, d, (oh, ow)


def im2col(
    x: np.ndarray,
    kernel: Pair,
    stride: Pair = 1,
    padding: Pair = 0,
    dilation: Pair = 1,
    pad_value: float = 0.0,
) -> np.ndarray:
    """Unfold ``x`` ``(N, C, H, W)`` into a float64 ``(N·OH·OW, C·KH·KW)`` matrix.

    Padding cells hold ``pad_value`` (``-inf`` for max pooling, 0 otherwise).
    """
    x = np.asarray(x)
    (kh, kw), (sh, sw), (ph, pw), (dh, dw), (oh, ow) = _checked_geometry(
        x.shape, kernel, stride, padding, dilation
    )
    n, c = x.shape[:2]
    padded = np.pad(x.astype(np.float64, copy=False), ((0, 0), (0, 0), (ph, ph), (pw, pw)),
                    constant_values=pad_value)
    cols = np.empty((n, c, kh, kw, oh, ow), dtype=padded.dtype)
    for i in range(kh):
        top = i * dh
        for j in range(kw):
            left = j * dw
            cols[:, :, i, j] = padded[:, :, top:top + sh * (oh - 1) + 1:sh, left:left + sw * (ow - 1) + 1:sw]
    return cols.transpose(0, 4, 5, 1, 2, 3).reshape(n * oh * ow, c * kh * kw)


def col2im(
    cols: np.ndarray,
    input_shape: tuple[int, int, int, int],
    kernel: Pair,
    stride: Pair = 1,
    padding: Pair = 0,
    dilation: Pair = 1,
) -> np.ndarray:
    """Fold ``cols`` back to ``input_shape``, adding the values of overlapping windows.

    This is the adjoint of :func:`im2col` (the backward pass of a convolution), so
    ``col2im(im2col(x))`` is ``x`` times how many windows cover each cell.
    """
    (kh, kw), (sh, sw), (ph, pw), (dh, dw), (oh, ow) = _checked_geometry(
        tuple(input_shape), kernel, stride, padding, dilation
    )
    n, c, h, w = input_shape
    cols = np.asarray(cols)
    if cols.shape != (n * oh * ow, c * kh * kw):
        raise ValueError(f"expected a {(n * oh * ow, c * kh * kw)} matrix, got {cols.shape}")
    blocks = cols.reshape(n, oh, ow, c, kh, kw).transpose(0, 3, 4, 5, 1, 2)
    padded = np.zeros((n, c, h + 2 * ph, w + 2 * pw), dtype=np.float64)
    for i in range(kh):
        top = i * dh
        for j in range(kw):
            left = j * dw
            padded[:, :, top:top + sh * (oh - 1) + 1:sh, left:left + sw * (ow - 1) + 1:sw] += blocks[:, :, i, j]
    return padded[:, :, ph:ph + h, pw:pw + w]
