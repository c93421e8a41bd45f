"""Colour maps and image helpers shared by the feature-map and kernel viewers.

Sequential maps (viridis …) for non-negative activations, diverging maps (CET-D1, coolwarm)
centred on zero for signed values (conv, batchnorm, linear outputs; kernels). ``mosaic`` tiles
many small maps into one array with 1-px NaN gaps, which pyqtgraph draws transparent, so a
whole layer is one ImageItem instead of hundreds of widgets.
"""

from __future__ import annotations

import math
from functools import cache
from typing import Any

import numpy as np

SEQUENTIAL = ("viridis", "magma", "inferno", "cividis", "gray")
DIVERGING = ("CET-D1", "coolwarm", "CET-D1A")
NAMES = SEQUENTIAL + DIVERGING
DEFAULT_SEQUENTIAL = "viridis"
DEFAULT_DIVERGING = "CET-D1"

# Moreland's cool-warm: blue → light grey → red.
_COOLWARM = [(59, 76, 192), (141, 176, 254), (221, 221, 221), (244, 154, 123), (180, 4, 38)]


def is_diverging(name: str) -> bool:
    return name in DIVERGING


@cache
def get(name: str) -> Any:
    """The ``pg.ColorMap`` called ``name`` (one of ``NAMES``)."""
    import pyqtgraph as pg

    if name == "coolwarm":
        return pg.ColorMap(np.linspace(0.0, 1.0, len(_COOLWARM)), np.array(_COOLWARM, dtype=np.ubyte),
                           name="coolwarm")
    if name == "gray":
        return pg.ColorMap([0.0, 1.0], np.array([(0, 0, 0), (255, 255, 255)], dtype=np.ubyte), name="gray")
    if name not in NAMES:
        raise KeyError(f"unknown colour map {name!r}; one of {', '.join(NAMES)}")
    return pg.colormap.get(name)


@cache
def lut(name: str) -> np.ndarray:
    """A 256-entry uint8 RGBA lookup table for ``ImageItem.setLookupTable``."""
    table = get(name).getLookupTable(nPts=256, alpha=True)
    return np.ascontiguousarray(table, dtype=np.ubyte)


def grid_dims(n: int, tile_h: int = 1, tile_w: int = 1) -> tuple[int, int]:
    """(rows, cols) for ``n`` tiles, roughly square on screen."""
    if n <= 0:
        return 0, 0
    aspect = tile_h / max(1, tile_w)
    cols = max(1, math.ceil(math.sqrt(n * aspect)))
    rows = math.ceil(n / cols)
    return rows, cols


def mosaic(tiles: np.ndarray, cols: int | None = None, gap: int = 1, fill: float = np.nan) -> np.ndarray:
    """Tile ``(N, h, w)`` or ``(N, h, w, c)`` maps into one row-major image with ``gap`` px
    between tiles (filled with ``fill``; NaN is drawn transparent). Tile ``i`` sits at tile row
    ``i // cols``, tile column ``i % cols``. Vectorised: one reshape, no per-tile loop."""
    tiles = np.asarray(tiles)
    n, h, w = tiles.shape[:3]
    extra = tiles.shape[3:]
    if cols is None:
        cols = grid_dims(n, h, w)[1]
    cols = max(1, int(cols))
    rows = math.ceil(n / cols) if n else 0
    dtype = np.result_type(tiles.dtype, np.float32) if isinstance(fill, float) and np.isnan(fill) else tiles.dtype
    buf = np.full((rows * (h + gap), cols * (w + gap)) + extra, fill, dtype=dtype)
    if n:
        grid = buf.reshape((rows, h + gap, cols, w + gap) + extra)
        full = n // cols
        if full:
            grid[:full, :h, :, :w] = tiles[: full * cols].reshape((full, cols, h, w) + extra).swapaxes(1, 2)
        rest = n - full * cols
        if rest:
            grid[full, :h, :rest, :w] = tiles[full * cols:].swapaxes(0, 1)
    return buf[: max(0, rows * (h + gap) - gap), : max(0, cols * (w + gap) - gap)]


def tile_at(x: float, y: float, n: int, cols: int, h: int, w: int, gap: int = 1) -> tuple[int, int, int] | None:
    """(tile index, row, col inside the tile) for mosaic pixel coordinates, or None in a gap."""
    if x < 0 or y < 0 or cols <= 0:
        return None
    xi, yi = int(x), int(y)
    c, col = divmod(xi, w + gap)
    r, row = divmod(yi, h + gap)
    if c >= cols or col >= w or row >= h:
        return None
    index = r * cols + c
    if index >= n:
        return None
    return index, row, col
