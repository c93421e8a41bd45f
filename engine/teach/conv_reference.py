"""Convolution and pooling the fast way, as in the seed-004 notes: ONE matrix product, in numpy.

:func:`conv2d` unfolds the input with :func:`engine.teach.im2col.im2col` and does the whole
convolution as one matrix product; :func:`max_pool2d` / :func:`avg_pool2d` take the row-wise max /
mean of the unfolded windows. The hand view, one output position at a time, is
:mod:`engine.teach.steps`; invalid sizes raise :class:`engine.teach.checks.CheckError` with
:func:`engine.teach.checks.check`'s explanation.

Numpy only: no torch, no Qt.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from engine.model.geometry import Pair
from engine.teach.checks import CheckError, check, raise_if_invalid
from engine.teach.im2col import im2col, output_shape

__all__ = ["conv2d", "max_pool2d", "avg_pool2d"]


def conv2d(
    x: np.ndarray,
    weight: np.ndarray,
    bias: np.ndarray | Sequence[float] | float | None = None,
    stride: Pair = 1,
    padding: Pair = 0,
    dilation: Pair = 1,
) -> np.ndarray:
    """Cross-correlation as deep-learning libraries define convolution, as ONE matrix product.

    ``x`` is ``(N, C, H, W)`` (or ``(C, H, W)``, answered without the batch axis) and ``weight``
    ``(F, C, KH, KW)``: ``im2col(x) @ weight.reshape(F, -1).T + bias``, reshaped to
    ``(N, F, OH, OW)``. Raises :class:`CheckError` with an explanation for invalid sizes.
    """
    x = np.asarray(x, dtype=np.float64)
    weight = np.asarray(weight, dtype=np.float64)
    single = x.ndim == 3
    if single:
        x = x[None]
    if x.ndim != 4 or weight.ndim != 4:
        raise CheckError([f"conv2d needs an (N, C, H, W) input and an (F, C, KH, KW) weight, "
                          f"got {x.shape} and {weight.shape}."])
    n, c, h, w = x.shape
    f, wc, kh, kw = weight.shape
    raise_if_invalid(check((h, w), (kh, kw), stride, padding, dilation, in_channels=c, kernel_channels=wc))
    oh, ow = output_shape((h, w), (kh, kw), stride, padding, dilation)
    cols = im2col(x, (kh, kw), stride, padding, dilation)  # (N·OH·OW, C·KH·KW)
    out = cols @ weight.reshape(f, -1).T  # (N·OH·OW, F): the one matrix product
    if bias is not None:
        out = out + np.broadcast_to(np.asarray(bias, dtype=np.float64), (f,))
    out = out.reshape(n, oh, ow, f).transpose(0, 3, 1, 2)
    return out[0] if single else out


def _pool(x: np.ndarray, kernel: Pair, stride: Pair | None, padding: Pair, dilation: Pair, how: str) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    squeeze = x.ndim
    if x.ndim == 2:
        x = x[None, None]
    elif x.ndim == 3:
        x = x[None]
    if x.ndim != 4:
        raise CheckError([f"pooling needs an (H, W), (C, H, W) or (N, C, H, W) input, got {x.shape}."])
    stride = kernel if stride is None else stride
    n, c, h, w = x.shape
    raise_if_invalid(check((h, w), kernel, stride, padding, dilation, pooling=True))
    oh, ow = output_shape((h, w), kernel, stride, padding, dilation)
    # every channel is pooled on its own: fold the channels into the batch axis
    pad_value = -np.inf if how == "max" else 0.0
    cols = im2col(x.reshape(n * c, 1, h, w), kernel, stride, padding, dilation, pad_value=pad_value)
    out = cols.max(axis=1) if how == "max" else cols.mean(axis=1)
    out = out.reshape(n, c, oh, ow)
    if squeeze == 2:
        return out[0, 0]
    return out[0] if squeeze == 3 else out


def max_pool2d(x: np.ndarray, kernel: Pair, stride: Pair | None = None, padding: Pair = 0,
               dilation: Pair = 1) -> np.ndarray:
    """Max pooling via im2col: the row-wise maximum; padding cells are −inf so they never win."""
    return _pool(x, kernel, stride, padding, dilation, "max")


def avg_pool2d(x: np.ndarray, kernel: Pair, stride: Pair | None = None, padding: Pair = 0) -> np.ndarray:
    """Average pooling via im2col: the row-wise mean, zero padding counted (torch's default)."""
    return _pool(x, kernel, stride, padding, 1, "avg")
