"""The weight initialisations a run may choose (plain Python: the app's form reads them before torch loads)."""

from __future__ import annotations

__all__ = ["INITS", "INIT_LAYERS"]

INITS = ("default", "xavier_uniform", "xavier_normal", "kaiming_uniform", "kaiming_normal", "normal")
INIT_LAYERS = ("all", "conv", "linear")  # which layers' weights an initialisation redraws
