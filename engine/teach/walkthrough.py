"""What the explainer steps through: one mode's steps for an input, a filter and window settings.

:func:`walk` checks the settings and answers every step of one of :data:`MODES` (a convolution
on one channel, ONE filter over all channels, max and average pooling side by side, im2col), or
the explanation of why there are none. A :class:`Lesson` holds the numbers a person edits (the
input, ONE filter, the mode and channel); :func:`as_image_stack`, :func:`resize_centered` and
:func:`downsample` prepare the arrays handed to it.

Numpy only: no torch, no Qt.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from engine.teach.checks import CheckError, check
from engine.teach.conv_reference import avg_pool2d
from engine.teach.examples import WorkedExample
from engine.teach.gaps import dependent_outputs
from engine.teach.im2col import output_shape
from engine.teach.steps import Step, conv_steps, pool_steps

__all__ = ["MODES", "Walkthrough", "walk", "Lesson", "as_image_stack", "resize_centered", "downsample"]

MODES = ("conv", "multi", "pool", "im2col")
MAX_SHOWN_CHANNELS = 4
NO_AVERAGE_DILATION = "Average pooling has no dilation (torch's avg_pool2d neither): set dilation to 1."


@dataclass(frozen=True)
class Walkthrough:
    """Every step of one mode, or the problems that leave none.

    ``steps`` are the positions stepped through: the convolution's, or in ``"pool"`` mode max
    pooling's, with ``avg_steps`` the average pooling beside them. ``window`` is the ``(kh, kw)``
    the output size was worked out for; ``out_shape`` is ``(0, 0)`` when there are problems.
    """

    steps: tuple[Step, ...] = ()
    avg_steps: tuple[Step, ...] = ()
    problems: tuple[str, ...] = ()
    out_shape: tuple[int, int] = (0, 0)
    window: tuple[int, int] = (0, 0)


def walk(mode: str, image: np.ndarray, kernel: np.ndarray, channel: int, kernel_size: int, stride: int,
         padding: int, dilation: int) -> Walkthrough:
    """The steps of ``mode`` for ``image`` ``(C, H, W)`` and ``kernel`` ``(KC, kh, kw)``; never raises on sizes.

    ``"conv"`` and ``"pool"`` use input channel ``channel`` (and the kernel's matching slice);
    ``"multi"`` and ``"im2col"`` use ONE filter over every channel. Pooling windows are
    ``kernel_size`` square; the convolutions use the kernel's own size.
    """
    if mode not in MODES:
        raise KeyError(f"unknown mode {mode!r}; choose from {MODES}")
    c, h, w = image.shape
    kh, kw = kernel.shape[1:]
    if mode == "pool":
        kh = kw = kernel_size
    whole = mode in ("multi", "im2col")
    steps: list[Step] = []
    avg_steps: list[Step] = []
    problems = check((h, w), (kh, kw), stride, padding, dilation, pooling=mode == "pool",
                     in_channels=c if whole else None, kernel_channels=kernel.shape[0] if whole else None)
    if not problems:
        try:
            ch = min(channel, c - 1)
            if mode == "conv":
                steps = conv_steps(image[ch], kernel[min(ch, kernel.shape[0] - 1)], stride, padding, dilation)
            elif mode == "pool" and dilation != 1:
                problems = [NO_AVERAGE_DILATION]
            elif mode == "pool":
                steps = pool_steps(image[ch], kernel_size, stride, padding, "max", dilation)
                avg_steps = pool_steps(image[ch], kernel_size, stride, padding, "avg", dilation)
            else:
                steps = conv_steps(image, kernel, stride, padding, dilation)
        except CheckError as exc:  # check() above should have caught it
            problems = exc.problems
    out_shape = output_shape((h, w), (kh, kw), stride, padding, dilation) if not problems else (0, 0)
    return Walkthrough(tuple(steps), tuple(avg_steps), tuple(problems), out_shape, (kh, kw))


def as_image_stack(array: np.ndarray, what: str = "array") -> np.ndarray:
    """``(H, W)``, ``(C, H, W)`` or ``(1, …, C, H, W)`` finite numbers → float ``(C, H, W)``.

    Raises ValueError (or TypeError for what is not numbers) naming ``what`` otherwise.
    """
    array = np.asarray(array, dtype=float)
    while array.ndim > 3 and array.shape[0] == 1:
        array = array[0]
    if array.ndim == 2:
        array = array[None]
    if array.ndim != 3 or 0 in array.shape:
        raise ValueError(f"expected an (H, W) or (C, H, W) array, got shape {array.shape}")
    if not np.isfinite(array).all():
        raise ValueError(f"the {what} contains NaN or infinite values")
    return array


def resize_centered(kernel: np.ndarray, size: int) -> np.ndarray:
    """``(C, kh, kw)`` → ``(C, size, size)``: the centred overlap is kept, the rest is 0."""
    c, kh, kw = kernel.shape
    out = np.zeros((c, size, size))
    sh, sw = min(kh, size), min(kw, size)
    src_r, src_c = (kh - sh) // 2, (kw - sw) // 2
    dst_r, dst_c = (size - sh) // 2, (size - sw) // 2
    out[:, dst_r:dst_r + sh, dst_c:dst_c + sw] = kernel[:, src_r:src_r + sh, src_c:src_c + sw]
    return out


def downsample(image: np.ndarray, limit: int) -> np.ndarray:
    """``(C, H, W)`` averaged in square blocks until its larger side is at most ``limit``."""
    if max(image.shape[1:]) <= limit:
        return image
    factor = math.ceil(max(image.shape[1:]) / limit)
    return avg_pool2d(image, factor, factor)


class Lesson:
    """The numbers the explainer works on: the input as handed over and as shown (maybe downsampled),
    ONE filter ``(KC, kh, kw)``, their titles, the mode and the input channel of single-channel modes."""

    def __init__(self, image: np.ndarray, kernel: np.ndarray, input_title: str = "Input",
                 kernel_title: str = "Kernel", mode: str = "conv"):
        self.raw_input = self.input = as_image_stack(image)
        self.kernel = as_image_stack(kernel).copy()
        self.input_title, self.kernel_title = input_title, kernel_title
        self.mode = mode
        self.channel = 0
        self.unknown: np.ndarray | None = None  # (H, W): cells a worked example does not give

    def load_example(self, example: WorkedExample) -> None:
        """The example's input, filter, titles and mode (the chosen channel stays)."""
        self.raw_input = self.input = as_image_stack(example.image)
        self.kernel = as_image_stack(example.kernel).copy()
        self.input_title, self.kernel_title = example.input_title, example.kernel_title
        self.mode = example.mode
        self.unknown = None if example.unknown is None else example.unknown.copy()

    def set_input(self, image: np.ndarray, title: str, downsample_to: int | None = None) -> None:
        """A new input ``(H, W)`` or ``(C, H, W)``, shown as :meth:`downsample` says."""
        self.raw_input = as_image_stack(image)
        self.input_title = title
        self.unknown = None
        self.downsample(downsample_to)

    def set_kernel(self, kernel: np.ndarray, title: str) -> None:
        self.kernel = as_image_stack(kernel)
        self.kernel_title = title

    def downsample(self, limit: int | None) -> None:
        """Show the input as handed over, or (``limit``) averaged down to at most ``limit`` cells a side."""
        self.input = self.raw_input if limit is None else downsample(self.raw_input, limit)

    def clamp_channel(self) -> int:
        """Keep the chosen channel within the input's channels; answers it."""
        self.channel = min(self.channel, self.input.shape[0] - 1)
        return self.channel

    def shown_channels(self) -> list[int]:
        """Input channels drawn as grids: all (up to 4) for multi-channel / im2col, else the chosen one."""
        c = self.input.shape[0]
        if self.mode in ("multi", "im2col"):
            return list(range(min(c, MAX_SHOWN_CHANNELS)))
        return [min(self.channel, c - 1)]

    def set_input_value(self, channel: int, row: int, col: int, value: float) -> None:
        """One input cell changed; the edited input is now the one handed over."""
        self.input = self.input.copy()
        self.input[channel, row, col] = value
        self.raw_input = self.input
        if self.unknown is not None:  # a typed value is known now
            self.unknown[row, col] = False

    def gaps(self, walkthrough: Walkthrough, stride: int, padding: int, dilation: int) -> tuple:
        """``(unknown input cells, outputs that depend on them)`` as (H, W) and (OH, OW) masks, or
        ``(None, None)`` when every input cell is known or nothing is computed."""
        unknown = self.unknown
        if unknown is None or not unknown.any() or unknown.shape != self.input.shape[1:] or not walkthrough.steps:
            return None, None
        return unknown, dependent_outputs(unknown, walkthrough.window, stride, padding, dilation)

    def set_kernel_value(self, channel: int, row: int, col: int, value: float) -> None:
        """One weight of the slice shown for input ``channel`` changed (a 1-channel kernel has one slice)."""
        self.kernel = self.kernel.copy()
        self.kernel[min(channel, self.kernel.shape[0] - 1), row, col] = value

    def resize_kernel(self, size: int) -> None:
        self.kernel = resize_centered(self.kernel, size)

    def apply_preset(self, name: str, preset: np.ndarray, size: int) -> None:
        """``preset`` (kh, kw) resized to ``size`` into the chosen channel's slice (every slice for
        ONE filter over all channels)."""
        preset = resize_centered(np.asarray(preset, dtype=float)[None], size)[0]
        kernel = resize_centered(self.kernel, size)
        if self.mode in ("conv", "pool"):
            kernel[min(self.channel, kernel.shape[0] - 1)] = preset
        else:
            kernel[:] = preset
        self.kernel = kernel
        self.kernel_title = f"Kernel: {name}"

    def walk(self, kernel_size: int, stride: int, padding: int, dilation: int) -> Walkthrough:
        """:func:`walk` of this lesson's mode, input, filter and channel."""
        return walk(self.mode, self.input, self.kernel, self.channel, kernel_size, stride, padding, dilation)
