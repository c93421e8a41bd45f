"""The seed notes' worked examples, as data: the numbers the explainer opens on.

The 6×6 image and 3×3 filter and the pooling input of seed 003, the RGB image with ONE
3-channel filter, the seed-004 im2col input, the kernel presets, the Korean/English glossary,
and :data:`WORKED_EXAMPLES`, which ties each example to its mode and settings.

Numpy only: no torch, no Qt.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.teach.gaps import SEED003_UNKNOWN

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
    "KERNEL_PRESETS",
    "GLOSSARY",
    "ONE_FILTER_NOTE",
    "WorkedExample",
    "WORKED_EXAMPLES",
    "EXAMPLES",
]

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


# Well-known 3×3 kernels to try on any input.
KERNEL_PRESETS = {
    "identity": np.array([[0, 0, 0], [0, 1, 0], [0, 0, 0]], dtype=float),
    "Sobel x": np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], dtype=float),
    "Sobel y": np.array([[-1, -2, -1], [0, 0, 0], [1, 2, 1]], dtype=float),
    "Laplacian": np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0]], dtype=float),
    "box blur": np.full((3, 3), 1 / 9),
    "sharpen": np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]], dtype=float),
}

# The notes' terms: (Korean, English).
GLOSSARY = (
    ("합성곱", "convolution"),
    ("특성 맵", "feature map"),
    ("커널/필터", "kernel/filter"),
    ("스트라이드", "stride"),
    ("패딩", "padding"),
    ("풀링", "pooling"),
)
ONE_FILTER_NOTE = (
    "A filter has one slice per input channel: an RGB image uses ONE 3-channel filter, "
    "not three filters (seed 003)."
)


@dataclass(frozen=True)
class WorkedExample:
    """One worked example: its numbers, the mode it opens in and its window settings.

    ``params`` is ``(kernel size, stride, padding, dilation)``. ``pool_note`` is written under
    the first pooling step, ``im2col_note`` under the im2col matrix ("" for none); ``unknown``
    marks the input cells the note does not give.
    """

    key: str
    title: str
    mode: str
    image: np.ndarray  # (H, W) or (C, H, W)
    kernel: np.ndarray  # (kh, kw) or (C, kh, kw)
    params: tuple[int, int, int, int]
    input_title: str
    kernel_title: str
    pool_note: str = ""
    im2col_note: str = ""
    unknown: np.ndarray | None = None  # (H, W) True: a cell the note does not give (taken as 0)


WORKED_EXAMPLES = {
    example.key: example
    for example in (
        WorkedExample("seed003_conv", "Seed 003: 6×6 image, 3×3 filter", "conv", SEED003_IMAGE, SEED003_FILTER,
                      (3, 1, 0, 1), "Input 6×6 (seed 003)", "Filter 3×3 (seed 003)", unknown=SEED003_UNKNOWN),
        WorkedExample("seed003_pool", "Seed 003: max/avg pooling 4×4", "pool", SEED003_POOL_INPUT, np.ones((2, 2)),
                      (2, 2, 0, 1), "Input 4×4 (seed 003)", "Window 2×2",
                      pool_note="(Erratum: the seed prints this window as 3, −1, 3, −1; "
                                "its average line shows the real 3, −1, −3, 1.)"),
        WorkedExample("rgb", "RGB image, one 3-channel filter", "multi", RGB_IMAGE, RGB_FILTER,
                      (3, 1, 0, 1), "RGB image 3×4×4", "ONE filter with 3 channels (3×3×3)"),
        WorkedExample("seed004", "Seed 004: im2col (1,3,7,7) with 5×5", "im2col", seed004_input()[0],
                      seed004_filter(), (5, 1, 0, 1), "Input (1, 3, 7, 7) (seed 004)", "ONE filter (3, 5, 5)",
                      im2col_note="A batch of 10 such images (10, 3, 7, 7) gives a (90, 75) matrix (seed 004)."),
    )
}
EXAMPLES = {key: example.title for key, example in WORKED_EXAMPLES.items()}  # key → title, in menu order
