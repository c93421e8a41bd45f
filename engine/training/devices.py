"""Where training runs: the device (``auto`` → CUDA → MPS → CPU) and how many CPU threads.

torch is imported inside the functions that need it, so the GUI can ask ``default_threads``
before the engine has loaded.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import torch

__all__ = ["available_devices", "default_threads", "describe_device", "device_choices", "is_out_of_memory",
           "resolve_device"]


def default_threads(gui: bool = False) -> int:
    """Torch threads for training: all cores headless; one fewer beside a GUI thread.

    The one rule for every training thread count (CLI, app, benchmarks).
    """
    cores = os.cpu_count() or 1
    return max(1, cores - 1) if gui else cores


def _mps_available() -> bool:
    import torch

    return getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available()


def resolve_device(name: str = "auto") -> torch.device:
    """The torch device for ``name``; ``auto`` prefers CUDA, then Apple's MPS, then the CPU.

    Raises ``ValueError`` with a clear message when the requested device is not available.
    """
    import torch

    name = (name or "auto").lower()
    if name == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        if _mps_available():
            return torch.device("mps")
        return torch.device("cpu")
    if name.startswith("cuda") and not torch.cuda.is_available():
        raise ValueError("CUDA was requested but no CUDA GPU is available; use device 'cpu' or 'auto'")
    if name == "mps" and not _mps_available():
        raise ValueError("MPS was requested but is not available on this machine; use 'cpu' or 'auto'")
    try:
        return torch.device(name)
    except RuntimeError:
        raise ValueError(f"unknown device {name!r}; use auto, cpu, cuda, cuda:N or mps") from None


def describe_device(name: str = "auto") -> tuple[str, str]:
    """``(device string, human name)``, e.g. ``("cuda:0", "NVIDIA H100")`` or ``("cpu", "CPU")``."""
    import torch

    device = resolve_device(name)
    if device.type == "cuda":
        index = device.index if device.index is not None else torch.cuda.current_device()
        return f"cuda:{index}", _gpu_name(index)
    if device.type == "mps":
        return "mps", "Apple GPU (MPS)"
    return "cpu", f"CPU ({os.cpu_count() or 1} cores)"


def _gpu_name(index: int) -> str:
    """A CUDA GPU by name and memory, e.g. ``NVIDIA H200, 140 GiB``."""
    import torch

    props = torch.cuda.get_device_properties(index)
    return f"{props.name}, {props.total_memory / 2**30:.0f} GiB"


def device_choices() -> list[tuple[str, str]]:
    """``(device, label)`` for a picker: auto, cpu, each GPU by name and memory, and MPS when present."""
    import torch

    choices = [("auto", "auto"), ("cpu", f"cpu — CPU ({os.cpu_count() or 1} cores)")]
    if torch.cuda.is_available():
        choices += [(f"cuda:{i}", f"cuda:{i} — {_gpu_name(i)}") for i in range(torch.cuda.device_count())]
    if _mps_available():
        choices.append(("mps", "mps — Apple GPU (MPS)"))
    return choices


def available_devices() -> list[str]:
    """Device choices for a picker: auto, cpu, and the GPUs present (``device_choices`` adds their names)."""
    return [device for device, _ in device_choices()]


def is_out_of_memory(exc: BaseException) -> bool:
    """Whether ``exc`` says the device (or the host) ran out of memory."""
    import torch

    if isinstance(exc, (torch.cuda.OutOfMemoryError, MemoryError)):
        return True
    text = str(exc).lower()
    return isinstance(exc, RuntimeError) and (
        "out of memory" in text or "can't allocate memory" in text or "not enough memory" in text)
