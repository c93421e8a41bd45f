"""Pick the training device: ``auto`` → CUDA → MPS → CPU, with a human-readable name."""

from __future__ import annotations

import os

import torch

__all__ = ["resolve_device", "describe_device", "available_devices", "default_threads"]


def resolve_device(name: str = "auto") -> torch.device:
    """The torch device for ``name``; ``auto`` prefers CUDA, then Apple's MPS, then the CPU.

    Raises ``ValueError`` with a clear message when the requested device is not available.
    """
    name = (name or "auto").lower()
    if name == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        if getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
            return torch.device("mps")
        return torch.device("cpu")
    if name.startswith("cuda") and not torch.cuda.is_available():
        raise ValueError("CUDA was requested but no CUDA GPU is available; use device 'cpu' or 'auto'")
    if name == "mps" and not (getattr(torch.backends, "mps", None) and torch.backends.mps.is_available()):
        raise ValueError("MPS was requested but is not available on this machine; use 'cpu' or 'auto'")
    try:
        return torch.device(name)
    except RuntimeError:
        raise ValueError(f"unknown device {name!r}; use auto, cpu, cuda, cuda:N or mps") from None


def describe_device(name: str = "auto") -> tuple[str, str]:
    """``(device string, human name)``, e.g. ``("cuda:0", "NVIDIA H100")`` or ``("cpu", "CPU")``."""
    device = resolve_device(name)
    if device.type == "cuda":
        index = device.index if device.index is not None else torch.cuda.current_device()
        return f"cuda:{index}", torch.cuda.get_device_name(index)
    if device.type == "mps":
        return "mps", "Apple GPU (MPS)"
    return "cpu", f"CPU ({os.cpu_count() or 1} cores)"


def available_devices() -> list[str]:
    """Device choices for a picker: auto, cpu, and the GPUs present."""
    choices = ["auto", "cpu"]
    if torch.cuda.is_available():
        choices += [f"cuda:{i}" for i in range(torch.cuda.device_count())]
    if getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
        choices.append("mps")
    return choices


def default_threads(gui: bool = False) -> int:
    """Torch threads for training: all cores headless; one fewer beside a GUI thread."""
    cores = os.cpu_count() or 1
    return max(1, cores - 1) if gui else cores
