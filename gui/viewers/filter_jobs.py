"""What a filter wants to see: the background jobs and pictures of the filter views.

``maximize_job`` and ``patches_job`` are pure functions for ``gui.tasks.TaskRunner`` around the
engine's ``engine.inspect.maximize.maximize`` and ``engine.inspect.top_patches.top_patches``
(one torch thread, a private model copy, the engine's ``Cancelled`` as a quiet cancel).
``FilterCache`` keeps their results per layer for one weights version. ``stretched`` and
``tile_mosaic`` turn optimised inputs into pictures.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from gui.viewers.why_compute import in_background
from gui.widgets import colormaps

__all__ = ["FilterCache", "maximize_job", "patches_job", "stretched", "tile_mosaic"]

TOP_K = 9


def _maximize(model: Any, spec: Any, layer: str, units: Any, mean: Any, std: Any, *,
              progress: Callable[[float], None], cancelled: Callable[[], bool]) -> Any:
    from engine.inspect.maximize import maximize

    return maximize(model, spec, layer, units, progress=progress, cancelled=cancelled, mean=tuple(mean),
                    std=tuple(std))


def maximize_job(model: Any, spec: Any, layer: str, units: Any, mean: Any, std: Any, *,
                 progress: Callable[[float], None], cancelled: Callable[[], bool]) -> Any:
    """Activation maximisation of ``units`` (None: all) of ``layer`` (inputs kept in the pixel
    range of the dataset's ``mean`` and ``std``), on a worker thread."""
    return in_background(_maximize, model, spec, layer, units, mean, std, progress=progress, cancelled=cancelled)


def _patches(model: Any, spec: Any, images: Any, layer: str, mean: Any, std: Any, *,
             progress: Callable[[float], None], cancelled: Callable[[], bool]) -> Any:
    from engine.inspect.top_patches import top_patches

    return top_patches(model, spec, images, layer, k=TOP_K, mean=tuple(mean), std=tuple(std), progress=progress,
                       cancelled=cancelled)


def patches_job(model: Any, spec: Any, images: Any, layer: str, mean: Any, std: Any, *,
                progress: Callable[[float], None], cancelled: Callable[[], bool]) -> Any:
    """The top-``TOP_K`` patches of every channel of ``layer`` over uint8 ``images``, on a worker thread."""
    return in_background(_patches, model, spec, images, layer, mean, std, progress=progress, cancelled=cancelled)


class FilterCache:
    """Results per (kind, layer) for one weights version; a new version makes them stale (kept
    for showing, marked as from earlier weights)."""

    def __init__(self) -> None:
        self._items: dict[tuple[str, str], tuple[Any, Any]] = {}

    def put(self, kind: str, layer: str, version: Any, result: Any) -> None:
        self._items[(kind, layer)] = (version, result)

    def get(self, kind: str, layer: str, version: Any = None) -> Any:
        """The result for ``layer`` (for ``version`` only, when given), or None."""
        found = self._items.get((kind, layer))
        if found is None or (version is not None and found[0] != version):
            return None
        return found[1]

    def fresh(self, kind: str, layer: str, version: Any) -> bool:
        return self.get(kind, layer, version) is not None

    def clear(self) -> None:
        self._items.clear()


def stretched(images: np.ndarray) -> np.ndarray:
    """Optimised inputs ``(N, C, H, W)`` as pictures in 0..1, each stretched to its own range:
    ``(N, H, W)`` for one channel, ``(N, H, W, 3)`` for three."""
    images = np.asarray(images, dtype=np.float32)
    lo = images.min(axis=(1, 2, 3), keepdims=True)
    span = images.max(axis=(1, 2, 3), keepdims=True) - lo
    out = (images - lo) / np.where(span > 0, span, 1.0)
    return out[:, 0] if out.shape[1] != 3 else np.moveaxis(out, 1, -1)


def tile_mosaic(tiles: np.ndarray) -> tuple[np.ndarray, int]:
    """Pictures ``(N, H, W)`` or ``(N, H, W, 3)`` in 0..1 as one mosaic with 1-px gaps, and its
    column count: float with NaN gaps, or RGBA uint8 with transparent gaps."""
    n, h, w = tiles.shape[:3]
    cols = colormaps.grid_dims(n, h, w)[1]
    if tiles.ndim == 4:
        rgba = np.concatenate([tiles, np.ones(tiles.shape[:3] + (1,), tiles.dtype)], axis=3)
        return (colormaps.mosaic(rgba, cols, fill=0.0) * 255).round().astype(np.ubyte), cols
    return colormaps.mosaic(tiles, cols), cols
