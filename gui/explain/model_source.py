"""``ModelSource``: where the explainer's network pages take the app's network from (kept apart from
``gui.explain.model_pages`` so that the window can hand it over without importing pyqtgraph before its
first paint)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from engine.model.spec import NetworkSpec

__all__ = ["ModelSource"]


@dataclass
class ModelSource:
    """Where the app's network comes from: its spec, its module (``nn.Sequential`` or None), whether it
    is trained, and the Draw panel's input ``(1, C, H, W)``."""

    spec: Callable[[], NetworkSpec]
    module: Callable[[], Any] = lambda: None
    trained: Callable[[], bool] = lambda: False
    input: Callable[[], np.ndarray | None] = lambda: None
