"""Transitional: the old module's names still used by files outside engine.data's owners.

Delete this file once gui/viewers/draw.py, gui/viewers/feature_maps.py, bench/viewer_bench.py
and tests/gui/test_draw.py import from engine.data.registry / loading / transforms instead.
"""

from __future__ import annotations

from engine.data.loading import load_dataset
from engine.data.registry import DATASETS
from engine.data.transforms import normalize

__all__ = ["DATASETS", "load_dataset", "normalize"]
