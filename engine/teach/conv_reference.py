"""Convolution and pooling written out the way the seed notes teach them, in numpy.

Two views of the same arithmetic:

* the fast view, as in the seed-004 notes: :func:`conv2d` unfolds the input with
  :func:`engine.teach.im2col.im2col` and does the whole convolution as ONE matrix product;
  :func:`max_pool2d` / :func:`avg_pool2d` take the row-wise max / mean of the unfolded windows;
* the hand view, as in the seed-003 notes: :func:`conv_steps` and :func:`pool_steps` walk the
  output positions one by one and keep every window, element-wise product and sum, so a panel
  can write out "(1×1) + (0×0) + … = 3".

:func:`check` explains invalid combinations (output size below 1, stride below 1, pooling padding
over half the window, channel mismatch) in words instead of failing deep inside numpy.

Numpy only: no torch, no Qt. The seeds' worked examples are kept as constants.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from engine.teach.im2col import Pair, col2im, effective_kernel, im2col, im2col_shape, pair
from engine.teach.im2col import output_size as _output_size

__all__ = [
    "SEED003_IMAGE",
    "SEED003_FILTER",
    "SEED003_POOL_INPUT",
    "SEED004_INPUT_SHAPE",
    "SEED004_KERNEL",
    "RGB_IMAGE",
    "RGB_FILTER",
    "seed004_input",
    "seed004_filter",
    "CheckError",
    "Step",
    "output_size",
    "im2col_shape_hw",
    "formula_text",
    "check",
    "conv2d",
    "max_pool2d",
    "avg_pool2d",
    "conv_steps",
    "pool_steps",
    "format_number",
    "im2col",
    "col2im",
    "im2col_shape",
]

# --- the seeds' worked examples --------------------------------------------------------------

# Seed 003, steps 1–6 (그림 5-4 … 5-9): a 3×3 filter slides with stride 1 over a 6×6 binary
# image. The figures are missing from the text, so the image is rebuilt from the written
# products: steps 1–4 are output row 0 (columns 0–3) and fix rows 0–2 entirely (neighbouring
# windows share two columns, and the shared values agree); step 5 is output (1, 0) and fixes
# row 3, columns 0–2; the "last move" is output (3, 3) and fixes rows 3–5, columns 3–5.
# Rows 4 and 5, columns 0–2 are not determined by the text: they are chosen as 0.
SEED003_IMAGE = np.array(
    [
        [1, 0, 0, 0, 0, 1],
        [0, 1, 0, 0, 1, 0],
        [0, 0, 1, 1, 0, 0],
        [1, 0, 0, 0, 1, 0],
        [0, 0, 0, 0, 1, 0],  # columns 0–2: not in the text, chosen 0
        [0, 0, 0, 0, 1, 0],  # columns 0–2: not in the text, chosen 0
    ],
    dtype=np.float64,
)
SEED003_FILTER = np.array([[1, 0, 1], [0, 1, 0], [1, 0, 1]], dtype=np.float64)

# Seed 003, 그림 5-13 … 5-17: 2×2 windows, stride 2. The seed's first max-pooling line reads
# "3, -1, 3, -1" (a misprint); its average line shows the real window 3, -1, -3, 1.
SEED003_POOL_INPUT = np.array(
    [[3, -1, 12, -1], [-3, 1, 0, 1], [2, -3, 0, 1], [3, -2, 4, -1]], dtype=np.float64
)

# Seed 004 (7.4.3): im2col of a (1, 3, 7, 7) input with a 5×5 filter is (9, 75); of
# (10, 3, 7, 7) it is (90, 75). The seed uses random values; these are small fixed integers.
SEED004_INPUT_SHAPE = (1, 3, 7, 7)
SEED004_KERNEL = (5, 5)

# "One filter with three channels on an RGB image, not three filters" (seed 003, 그림 5-10):
# a 4×4 RGB image and ONE 3×3×3 filter, a different 3×3 slice per colour channel.
RGB_IMAGE = np.array(
    [
        [[1, 2, 0, 1], [0, 1, 3, 1], [2, 0, 1, 0], [1, 1, 0, 2]],  # R
        [[0, 1, 1, 0], [2, 0, 1, 1], [0, 1, 0, 2], [1, 0, 2, 1]],  # G
        [[1, 0, 2, 1], [1, 1, 0, 0], [0, 2, 1, 1], [2, 1, 0, 0]],  # B
    ],
    dtype=np.float64,
)
RGB_FILTER = np.array(
    [
        [[1, 0, 0], [0, 1, 0], [0, 0, 1]],  # weights for R
        [[0, 1, 0], [1, -1, 1], [0, 1, 0]],  # weights for G
        [[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]],  # weights for B
    ],
    dtype=np.float64,
)


def seed004_input(batch: int = 1) -> np.ndarray:
    """A ``(batch, 3, 7, 7)`` input of small integers 0…9 (fixed seed) for the seed-004 example."""
    rng = np.random.default_rng(4)
    return rng.integers(0, 10, size=(batch,) + SEED004_INPUT_SHAPE[1:]).astype(np.float64)


def seed004_filter() -> np.ndarray:
    """One ``(3, 5, 5)`` filter of −1/0/1 (fixed seed) for the seed-004 example."""
    rng = np.random.default_rng(40)
    return rng.integers(-1, 2, size=(3,) + SEED004_KERNEL).astype(np.float64)


# --- sizes and checks ---------------------------------------------------------------------------


class CheckError(ValueError):
    """An invalid combination of sizes; the message is :func:`check`'s explanation."""

    def __init__(self, problems: Sequence[str]):
        self.problems = list(problems)
        super().__init__(" ".join(self.problems))


def output_size(size: int, kernel: int, stride: int = 1, padding: int = 0, dilation: int = 1) -> int:
    """``O = floor((I − K + 2P) / S) + 1``, with ``K`` the dilated span ``D·(K − 1) + 1``."""
    return _output_size(size, kernel, stride, padding, dilation)


def formula_text(size: int, kernel: int, stride: int = 1, padding: int = 0, dilation: int = 1) -> str:
    """The output-size formula with the numbers put in, e.g. ``floor((6 − 3 + 2·0) / 1) + 1 = 4``.

    With a dilation above 1 the kernel's span is written first:
    ``floor((7 − 5 + 2·0) / 1) + 1 = 3   (span 2·(3 − 1) + 1 = 5)``.
    A stride below 1 cannot be divided by and is reported as such.
    """
    if stride < 1:
        return f"floor(({size} − {kernel} + 2·{padding}) / {stride}) + 1: stride must be at least 1"
    span = effective_kernel(kernel, dilation)
    value = output_size(size, kernel, stride, padding, dilation)
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
        out = output_size(hw[axis], k[axis], s[axis], p[axis], d[axis])
        if out < 1:
            span = effective_kernel(k[axis], d[axis])
            what = f"the {span}-cell span of the dilated kernel" if d[axis] > 1 else f"the {k[axis]}-cell kernel"
            problems.append(
                f"Output {name} {formula_text(hw[axis], k[axis], s[axis], p[axis], d[axis])} is below 1: "
                f"{what} does not fit in the {hw[axis] + 2 * p[axis]}-cell padded input "
                f"({hw[axis]} + 2·{p[axis]}). Use a smaller kernel or more padding."
            )
    return problems


def _raise_if_invalid(problems: list[str]) -> None:
    if problems:
        raise CheckError(problems)


# --- the fast view: one matrix product ---------------------------------------------------------


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
    _raise_if_invalid(check((h, w), (kh, kw), stride, padding, dilation, in_channels=c, kernel_channels=wc))
    oh, ow = im2col_shape_hw((h, w), (kh, kw), stride, padding, dilation)
    cols = im2col(x, (kh, kw), stride, padding, dilation)  # (N·OH·OW, C·KH·KW)
    out = cols @ weight.reshape(f, -1).T  # (N·OH·OW, F): the one matrix product
    if bias is not None:
        out = out + np.broadcast_to(np.asarray(bias, dtype=np.float64), (f,))
    out = out.reshape(n, oh, ow, f).transpose(0, 3, 1, 2)
    return out[0] if single else out


def im2col_shape_hw(hw: tuple[int, int], kernel: Pair, stride: Pair, padding: Pair, dilation: Pair) -> tuple[int, int]:
    """``(OH, OW)`` of a window sliding over an ``hw`` input."""
    k, s, p, d = pair(kernel), pair(stride), pair(padding), pair(dilation)
    return (output_size(hw[0], k[0], s[0], p[0], d[0]), output_size(hw[1], k[1], s[1], p[1], d[1]))


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
    _raise_if_invalid(check((h, w), kernel, stride, padding, dilation, pooling=True))
    oh, ow = im2col_shape_hw((h, w), kernel, stride, padding, dilation)
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


# --- the hand view: one step per output position -----------------------------------------------


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


def _term(value: float) -> str:
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


def _windows(image: np.ndarray, kh: int, kw: int, stride: Pair, padding: Pair, dilation: Pair, pad_value: float):
    (sh, sw), (ph, pw), (dh, dw) = pair(stride), pair(padding), pair(dilation)
    c, h, w = image.shape
    oh, ow = im2col_shape_hw((h, w), (kh, kw), stride, padding, dilation)
    padded = np.pad(image, ((0, 0), (ph, ph), (pw, pw)), constant_values=pad_value)
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
    _raise_if_invalid(check((h, w), (kh, kw), stride, padding, dilation, in_channels=c, kernel_channels=kc))
    steps = []
    for index, r, col, rows, cols, window, in_padding in _windows(image, kh, kw, stride, padding, dilation, 0.0):
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
    _raise_if_invalid(check(image.shape[1:], (kh, kw), stride, padding, dilation, pooling=True))
    steps = []
    for index, r, col, rows, cols, window, in_padding in _windows(image, kh, kw, stride, padding, dilation, 0.0):
        if mode == "max":
            masked = np.where(in_padding[None], -np.inf, window)
            per_channel = tuple(float(v) for v in masked.max(axis=(1, 2)))
        else:
            per_channel = tuple(float(v) for v in window.mean(axis=(1, 2)))
        steps.append(Step(index, r, col, rows, cols, window, in_padding, mode, None, None,
                          per_channel, 0.0, per_channel[0]))
    return steps
