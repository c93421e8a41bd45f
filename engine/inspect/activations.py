"""Looking inside a network: feature maps via forward hooks that always come off, kernels,
single-image prediction with one torch thread (for a GUI thread beside a training thread)."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator, Mapping

import numpy as np
import torch
from torch import nn

from engine.model.build import build_model
from engine.model.spec import NetworkSpec

__all__ = [
    "model_from_state",
    "load_state",
    "capture",
    "feature_maps",
    "predict",
    "conv_kernels",
    "conv_layer_names",
    "single_thread",
]

_thread_lock = threading.RLock()  # re-entrant: attribute() may run inside another single_thread block


def model_from_state(spec: NetworkSpec, state: Mapping[str, np.ndarray] | None = None) -> nn.Sequential:
    """A CPU model for inspection in eval mode (not in-place), optionally with ``state`` loaded."""
    model = build_model(spec).eval()
    if state is not None:
        load_state(model, state)
    return model


def load_state(model: nn.Module, state: Mapping[str, np.ndarray]) -> None:
    """Copy a numpy (or tensor) state dict into ``model`` in place."""
    with torch.no_grad():
        # snapshots are read-only numpy arrays, which torch will not wrap without a warning: copy them
        model.load_state_dict({k: v.detach().clone() if isinstance(v, torch.Tensor) else torch.from_numpy(np.array(v))
                               for k, v in state.items()})


@contextlib.contextmanager
def capture(model: nn.Sequential) -> Iterator[dict[str, np.ndarray]]:
    """Within the block, every child's output for the last forward pass lands in the yielded
    dict (name → numpy copy of the first image's output). The hooks come off on exit, always."""
    maps: dict[str, np.ndarray] = {}
    handles = []

    def hook_for(name: str):
        def hook(_module, _inputs, output):
            maps[name] = output[0].detach().to("cpu").numpy().copy()

        return hook

    try:
        for name, module in model.named_children():
            handles.append(module.register_forward_hook(hook_for(name)))
        yield maps
    finally:
        for handle in handles:
            handle.remove()


@contextlib.contextmanager
def single_thread() -> Iterator[None]:
    """Run torch with one intra-op thread inside the block (GUI inference beside training:
    measured here, p95 16–48 ms with two threads against ≤ 1.5 ms with one)."""
    with _thread_lock:
        before = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            yield
        finally:
            torch.set_num_threads(before)


def _as_batch(x: np.ndarray | torch.Tensor) -> torch.Tensor:
    t = torch.as_tensor(np.asarray(x, dtype=np.float32)) if not isinstance(x, torch.Tensor) else x.float()
    return t.unsqueeze(0) if t.dim() == 3 else t


@torch.no_grad()
def feature_maps(model: nn.Sequential, x: np.ndarray | torch.Tensor) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Every layer's output for one input ``(C, H, W)`` or ``(1, C, H, W)``, and the class
    probabilities. Uses one torch thread; the model must be an inspection model (eval mode)."""
    with single_thread(), capture(model) as maps:
        logits = model(_as_batch(x))
    return dict(maps), logits.softmax(1)[0].numpy()


@torch.no_grad()
def predict(model: nn.Module, x: np.ndarray | torch.Tensor) -> np.ndarray:
    """Class probabilities for one normalized input, with one torch thread."""
    with single_thread():
        return model(_as_batch(x)).softmax(1)[0].numpy()


def conv_layer_names(spec: NetworkSpec) -> list[str]:
    return [name for name, layer in zip(spec.names, spec.layers) if layer["type"] == "conv2d"]


def conv_kernels(state: Mapping[str, np.ndarray] | nn.Module, layer: str) -> np.ndarray:
    """The kernels of conv layer ``layer`` as ``(Cout, Cin, kh, kw)`` float32 numpy."""
    if isinstance(state, nn.Module):
        weight = state.state_dict()[f"{layer}.weight"]
    else:
        weight = state[f"{layer}.weight"]
    return np.asarray(weight.detach().cpu().numpy() if hasattr(weight, "detach") else weight, dtype=np.float32)
