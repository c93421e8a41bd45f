"""The worked example's gaps: input cells the note does not give, and the outputs that depend on them.

Seed 003's 6×6 image is rebuilt from the written products (see :mod:`engine.teach.examples`);
rows 4–5, columns 0–2 appear in no written step and are taken as 0. :func:`dependent_outputs`
finds every output whose receptive field (its window, for any stride, padding and dilation)
touches such a cell. Numpy only: no torch, no Qt.
"""

from __future__ import annotations

import numpy as np

from engine.model.geometry import Pair
from engine.teach.im2col import im2col, output_shape

__all__ = ["SEED003_UNKNOWN", "GAP_TOOLTIP", "GAP_OUTPUT_TOOLTIP", "dependent_outputs"]

SEED003_UNKNOWN = np.zeros((6, 6), dtype=bool)
SEED003_UNKNOWN[4:6, 0:3] = True
GAP_TOOLTIP = ("not in the note; taken as 0", "노트에 없는 값; 0으로 둠")
GAP_OUTPUT_TOOLTIP = ("depends on cells not in the note", "노트에 없는 입력 값에 따라 달라짐")


def dependent_outputs(unknown: np.ndarray, kernel: Pair, stride: Pair = 1, padding: Pair = 0,
                      dilation: Pair = 1) -> np.ndarray:
    """``(OH, OW)`` bool: True where the window reads at least one ``unknown`` ``(H, W)`` cell.

    Padding cells are known zeros. Uses the same window geometry as the convolution itself.
    """
    unknown = np.asarray(unknown, dtype=bool)
    h, w = unknown.shape
    oh, ow = output_shape((h, w), kernel, stride, padding, dilation)
    cols = im2col(unknown[None, None].astype(np.float64), kernel, stride, padding, dilation)
    return (cols.max(axis=1) > 0).reshape(oh, ow)
