"""Which number format a run computes in: ``--precision auto|fp32|bf16``.

On a CPU, ``bf16`` runs the forward pass under ``torch.autocast("cpu", torch.bfloat16)``: the
weights, their gradients and the optimizer stay float32, and the loss is taken in float32.
``auto`` picks bf16 only where the CPU computes bf16 natively (AVX512-BF16 or AMX) and a short
probe of the run's own network shows a real gain; fp32 otherwise. The setting is for CPUs: CUDA
keeps its mixed-precision path (bf16 where supported, else fp16 with gradient scaling).
"""

from __future__ import annotations

import copy
import statistics
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from engine.training.config import PRECISIONS

__all__ = ["MIN_GAIN", "PRECISIONS", "Autocast", "choose", "cpu_has_native_bf16", "probe_gain"]

MIN_GAIN = 1.15  # auto takes bf16 only when the probe is at least this much faster
_NATIVE_FLAGS = ("avx512_bf16", "amx_bf16")
_gains: dict[tuple, float] = {}
_gains_lock = threading.Lock()


@dataclass(frozen=True)
class Autocast:
    """How the training step computes: ``name`` is what a person is shown ("fp32", "bf16", "fp16")."""

    name: str
    enabled: bool = False
    dtype: torch.dtype = torch.float32
    scale_gradients: bool = False  # fp16 on CUDA needs a GradScaler

    def context(self, device_type: str):
        return torch.autocast(device_type, dtype=self.dtype, enabled=self.enabled)


FP32 = Autocast("fp32")
BF16 = Autocast("bf16", True, torch.bfloat16)


def cpu_has_native_bf16(cpuinfo: str | None = None) -> bool:
    """True when the CPU has bf16 instructions (AVX512-BF16 or AMX-BF16) and oneDNN is available."""
    if not torch.backends.mkldnn.is_available():
        return False
    if cpuinfo is None:
        try:
            cpuinfo = Path("/proc/cpuinfo").read_text(errors="replace")
        except OSError:
            return False  # not Linux: no cheap way to tell, so no bf16 on auto
    flags = set()
    for line in cpuinfo.splitlines():
        if line.startswith("flags"):
            flags.update(line.partition(":")[2].split())
    return any(flag in flags for flag in _NATIVE_FLAGS)


def _step_seconds(model: nn.Module, x: torch.Tensor, y: torch.Tensor, mode: Autocast) -> float:
    start = time.perf_counter()
    with mode.context("cpu"):
        loss = F.cross_entropy(model(x).float(), y)
    loss.backward()
    model.zero_grad(set_to_none=True)
    return time.perf_counter() - start


def probe_gain(model: nn.Module, sample: torch.Tensor, classes: int, repeats: int = 3) -> float:
    """fp32 step time over bf16 step time for a copy of ``model`` on random input shaped like ``sample``
    (a batch); cached per network, batch shape and thread count."""
    key = (repr(model), tuple(sample.shape), torch.get_num_threads())
    with _gains_lock:
        if key in _gains:
            return _gains[key]
    with torch.random.fork_rng(devices=[]):  # dropout in the probe leaves the run's random stream alone
        probe = copy.deepcopy(model).cpu().train()
        x = torch.randn(sample.shape).to(memory_format=torch.channels_last) if sample.dim() == 4 else torch.randn(
            sample.shape)
        y = torch.randint(0, classes, (sample.shape[0],))
        times: dict[Autocast, list[float]] = {FP32: [], BF16: []}
        for i in range(repeats + 2):  # interleaved, so machine noise hits both; two warm-up rounds
            for mode, seen in times.items():
                seconds = _step_seconds(probe, x, y, mode)
                if i >= 2:
                    seen.append(seconds)
    bf16 = statistics.median(times[BF16])
    gain = statistics.median(times[FP32]) / bf16 if bf16 > 0 else 0.0
    with _gains_lock:
        _gains[key] = gain
    return gain


def choose(precision: str, device: torch.device, model: nn.Module | None = None,
           sample: torch.Tensor | None = None, classes: int = 10) -> Autocast:
    """The ``Autocast`` for ``precision`` on ``device``; ``auto`` on a CPU probes ``model`` on ``sample``."""
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}, got {precision!r}")
    if device.type == "cuda":  # CUDA keeps its mixed-precision path whatever is asked for
        if torch.cuda.is_bf16_supported():
            return BF16
        return Autocast("fp16", True, torch.float16, scale_gradients=True)
    if device.type != "cpu" or precision == "fp32":
        return FP32
    if precision == "bf16":
        return BF16
    if not cpu_has_native_bf16() or model is None or sample is None:
        return FP32
    return BF16 if probe_gain(model, sample, classes) >= MIN_GAIN else FP32
