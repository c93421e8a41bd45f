"""Per-batch curves of any length drawn from at most a few thousand points.

A long run has hundreds of thousands of batches; handing them all to pyqtgraph at every redraw
costs time in proportion to the run (bounds, finite checks, downsampling). ``PeakDecimator`` keeps
a min/max summary of fixed-size buckets, grown incrementally as batches arrive: a redraw then
passes ``limit`` points or fewer, and the peaks (a loss spike, a divergence) stay visible.
"""

from __future__ import annotations

import numpy as np

__all__ = ["PeakDecimator"]


class PeakDecimator:
    """The min and max (in batch order) of each complete bucket of ``bucket`` batches, then the
    unfinished bucket as it is; the bucket doubles whenever the summary passes ``limit`` points."""

    def __init__(self, limit: int = 2048):
        self.limit = max(8, int(limit))
        self.bucket = 1
        self._done = 0  # batches summarised in complete buckets
        self._xs: list[np.ndarray] = []
        self._ys: list[np.ndarray] = []
        self._points = 0

    def clear(self) -> None:
        self.bucket, self._done, self._xs, self._ys, self._points = 1, 0, [], [], 0

    def _summarise(self, x: np.ndarray, y: np.ndarray, start: int, stop: int) -> None:
        k = self.bucket
        if stop <= start:
            return
        if k == 1:
            self._xs.append(x[start:stop].copy())
            self._ys.append(y[start:stop].copy())
            self._points += stop - start
            return
        block = y[start:stop].reshape(-1, k)
        finite = np.isfinite(block)
        lo = np.argmin(np.where(finite, block, np.inf), axis=1)
        hi = np.argmax(np.where(finite, block, -np.inf), axis=1)
        first, second = np.minimum(lo, hi), np.maximum(lo, hi)
        base = start + np.arange(len(block)) * k
        index = np.empty(2 * len(block), dtype=np.int64)
        index[0::2], index[1::2] = base + first, base + second
        self._xs.append(x[index])
        self._ys.append(y[index])
        self._points += len(index)

    def view(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The points to draw for the full series ``x``, ``y`` (which only ever grow, or are
        cleared together with ``clear``)."""
        n = min(len(x), len(y))
        if n < self._done:  # the series was replaced without a clear
            self.clear()
        complete = n - n % self.bucket
        self._summarise(x, y, self._done, complete)
        self._done = complete
        while self._points > self.limit:  # coarser buckets: rebuild from the full series
            self.bucket *= 2
            self._xs, self._ys, self._points = [], [], 0
            complete = n - n % self.bucket
            self._summarise(x, y, 0, complete)
            self._done = complete
        if len(self._xs) > 1:
            self._xs, self._ys = [np.concatenate(self._xs)], [np.concatenate(self._ys)]
        head_x = self._xs[0] if self._xs else x[:0]
        head_y = self._ys[0] if self._ys else y[:0]
        tail = min(self._done, n - 1) if self.bucket > 1 else self._done  # the curve ends at the last batch
        if tail >= n:
            return head_x, head_y
        return np.concatenate([head_x, x[tail:n]]), np.concatenate([head_y, y[tail:n]])
