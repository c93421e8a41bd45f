"""Pure helpers of the Why view: the input as a picture, heat-map levels and overlay colour maps.

Overlay colour maps fade to transparent where the heat is zero, so the input shows through
where nothing is attributed: a diverging one (blue < 0 < red) for signed methods, a sequential
one (transparent → red → yellow) for non-negative ones. numpy and pyqtgraph colour maps only.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

import numpy as np

__all__ = ["heat_levels", "input_picture", "overlay_cmap", "relative_heat"]

# at most ~70% opaque, so the input (a white digit) stays visible under the strongest heat
_SIGNED = [(0.0, (33, 102, 172, 180)), (0.35, (103, 169, 207, 110)), (0.5, (247, 247, 247, 0)),
           (0.65, (239, 138, 98, 110)), (1.0, (178, 24, 43, 180))]
_UNSIGNED = [(0.0, (0, 0, 0, 0)), (0.15, (128, 0, 38, 25)), (0.45, (227, 26, 28, 110)),
             (0.75, (253, 141, 60, 150)), (1.0, (255, 237, 110, 175))]


@cache
def overlay_cmap(signed: bool) -> Any:
    """The ``pg.ColorMap`` of a heat overlay (with alpha: transparent at zero heat)."""
    import pyqtgraph as pg

    stops = _SIGNED if signed else _UNSIGNED
    return pg.ColorMap([p for p, _ in stops], np.array([c for _, c in stops], dtype=np.ubyte),
                       name="why-signed" if signed else "why-unsigned")


def heat_levels(heat: np.ndarray, signed: bool) -> tuple[float, float]:
    """Colour levels: ±max|heat| for signed maps, 0..max for non-negative ones (never empty)."""
    finite = heat[np.isfinite(heat)] if heat.size else heat
    top = float(np.abs(finite).max()) if finite.size else 0.0
    top = top if top > 0 else 1.0
    return (-top, top) if signed else (0.0, top)


def relative_heat(heat: np.ndarray, signed: bool) -> np.ndarray:
    """The heat divided by its largest magnitude (side by side: each map on its own scale)."""
    top = heat_levels(heat, signed)[1]
    return np.nan_to_num(heat / top, nan=0.0).astype(np.float32)


def input_picture(x: np.ndarray, mean: Sequence[float], std: Sequence[float]) -> np.ndarray:
    """A normalised input ``(C, H, W)`` back in 0..1 for display: ``(H, W)`` grey (white ink on
    black, as the network sees it) or ``(H, W, 3)`` colour."""
    x = np.asarray(x, dtype=np.float32)
    if x.ndim == 4:
        x = x[0]
    c = x.shape[0]
    m = np.asarray(tuple(mean)[:c] or (0.0,) * c, dtype=np.float32).reshape(-1, 1, 1)
    s = np.asarray(tuple(std)[:c] or (1.0,) * c, dtype=np.float32).reshape(-1, 1, 1)
    image = np.clip(x * s + m, 0.0, 1.0)
    if c == 3:
        return np.ascontiguousarray(np.moveaxis(image, 0, -1))
    return np.ascontiguousarray(image.mean(axis=0) if c != 1 else image[0])
