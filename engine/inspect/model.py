"""One eval-mode CPU copy of a network for looking inside it, separate from the one being trained.

``InspectionModel`` holds a spec and the latest weight snapshot (numpy arrays), builds its
``nn.Module`` lazily on first use, loads new weights in place (lazily too: only when someone
looks) and runs every forward pass with one torch thread (``single_thread``). Without weights,
or when they do not fit, it is the spec's fixed untrained initialisation (seed 0).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import torch
from torch import nn

from engine.inspect.activations import conv_kernels, feature_maps, load_state, model_from_state, predict
from engine.model.spec import NetworkSpec

__all__ = ["InspectionModel", "untrained_model"]

UNTRAINED_SEED = 0


def untrained_model(spec: NetworkSpec) -> nn.Sequential:
    """The inspection model with a fixed random initialisation (seed 0), leaving the global
    torch RNG as it was (a training thread may be using it)."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(UNTRAINED_SEED)
        return model_from_state(spec)


class InspectionModel:
    """A spec, its latest weights and the eval-mode module built from them on demand.

    ``version`` counts the changes of spec or weights (caches keyed to it stay valid while it
    stays the same). ``trained`` is True when the module holds the given weights; ``error``
    says why weights could not be loaded (then the module is the untrained one).
    """

    def __init__(self, spec: NetworkSpec | None = None):
        self._spec = spec
        self._weights: Mapping[str, np.ndarray] | None = None
        self._module: nn.Sequential | None = None
        self._untrained: dict[str, torch.Tensor] | None = None
        self._dirty = True
        self._trained = False
        self._error = ""
        self.version = 0

    # -- inputs ------------------------------------------------------------------------
    @property
    def spec(self) -> NetworkSpec | None:
        return self._spec

    @property
    def weights(self) -> Mapping[str, np.ndarray] | None:
        """The snapshot the module serves (loaded on first use)."""
        return self._weights

    def set_spec(self, spec: NetworkSpec | None) -> None:
        """A new network: the module is rebuilt on first use, the weights are dropped."""
        if spec == self._spec and self._module is not None:
            return
        self._spec = spec
        self._module = None
        self._untrained = None
        self._weights = None
        self._dirty = True
        self.version += 1

    def set_weights(self, weights: Mapping[str, np.ndarray] | None) -> None:
        """New weights for the current spec (None: back to the untrained initialisation)."""
        self._weights = weights
        self._dirty = True
        self.version += 1

    # -- the module --------------------------------------------------------------------
    @property
    def module(self) -> nn.Sequential | None:
        """The eval-mode module with the latest weights, or None when the spec cannot be built."""
        self._sync()
        return self._module

    @property
    def trained(self) -> bool:
        self._sync()
        return self._trained

    @property
    def error(self) -> str:
        """Why the spec could not be built or the weights not loaded ("" when they were)."""
        self._sync()
        return self._error

    def _sync(self) -> None:
        if not self._dirty:
            return
        self._dirty = False
        self._error = ""
        self._trained = False
        if self._spec is None:
            return
        try:
            if self._module is None:
                self._module = untrained_model(self._spec)
                self._untrained = {k: v.clone() for k, v in self._module.state_dict().items()}
        except Exception as exc:  # a spec with errors cannot be built
            self._module = None
            self._error = f"Cannot build the network: {exc}"
            return
        if self._weights is not None:
            try:
                load_state(self._module, self._weights)
                self._trained = True
                return
            except Exception as exc:  # weights of another network, mid-edit
                self._error = f"Cannot load the weights: {exc}"
        with torch.no_grad():
            self._module.load_state_dict(self._untrained)  # may hold part of the bad weights now

    # -- looking inside ----------------------------------------------------------------
    def _require(self) -> nn.Sequential:
        module = self.module
        if module is None:
            raise RuntimeError(self._error or "no network to inspect")
        return module

    def predict(self, x: np.ndarray | torch.Tensor) -> np.ndarray:
        """Class probabilities for one normalized input (one torch thread)."""
        return predict(self._require(), x)

    def feature_maps(self, x: np.ndarray | torch.Tensor) -> tuple[dict[str, np.ndarray], np.ndarray]:
        """Every layer's output for one input and the class probabilities (one torch thread)."""
        return feature_maps(self._require(), x)

    def kernels(self, layer: str) -> np.ndarray:
        """Conv layer ``layer``'s kernels ``(Cout, Cin, kh, kw)`` as the module holds them now."""
        return conv_kernels(self._require(), layer)

    def untrained_kernels(self, layer: str) -> np.ndarray:
        """Conv layer ``layer``'s kernels at the untrained initialisation (seed 0)."""
        self._require()
        return conv_kernels(self._untrained, layer)

    def copy_module(self) -> nn.Sequential:
        """A private copy of the module (for work on another thread while this one changes)."""
        module = self._require()
        clone = model_from_state(self._spec)
        with torch.no_grad():
            clone.load_state_dict(module.state_dict())
        return clone
