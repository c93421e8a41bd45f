"""Layer statistics over a run: the history of ``LayerStats`` samples, its file, and what it warns about.

``LayerStatsHistory`` keeps every sample of a run, never thinned. One sample costs
``bytes_per_sample`` bytes: per layer with parameters 3 norms, 2 histogram rows and 2 ranges; per
activation 3 numbers, 1 histogram row and 1 range; a histogram row is ``HIST_BINS + 4`` int64
counts (in range, below, above, NaN, ±Inf). For seed000 (3 layers with parameters, 8 outputs)
that is 6,328 bytes, so 10,000 samples hold 60 MiB. ``save_layer_stats`` writes it as one
compressed ``.npz`` (no pickles), ``load_layer_stats`` reads it back.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np

from engine.training.events import LayerStats, frozen_array

__all__ = ["HIST_BINS", "Finding", "LayerStatsError", "LayerStatsHistory", "diagnose", "load_layer_stats",
           "save_layer_stats"]

HIST_BINS = 48  # histogram bins per layer (plus below, above, NaN and ±Inf counts)
_NAMES = ("params", "activations")
_SCALARS = ("step", "epoch")
_PER_PARAM = {"weight_norm", "grad_norm", "update_ratio", "hist_weights", "hist_grads", "weight_range", "grad_range"}
DEAD_LIMIT = 0.5  # a ReLU layer with at least this fraction of dead units is warned about
VANISHING = 1e-5  # a gradient norm below this vanishes
EXPLODING = 1e3
RATIO_HIGH = 0.1  # update/weight ratio per step: ~1e-3 is healthy
RATIO_LOW = 1e-6


class LayerStatsError(ValueError):
    """A layer statistics file that cannot be read (one-line reason)."""


def _arrays() -> tuple[str, ...]:
    return tuple(f.name for f in fields(LayerStats) if f.name not in _NAMES + _SCALARS)


class LayerStatsHistory:
    """Every ``LayerStats`` sample of one run, in order (see the module docstring for its memory cost)."""

    def __init__(self, samples: list[LayerStats] | None = None):
        self.samples: list[LayerStats] = []
        self._stacked: dict[str, np.ndarray] = {}
        for sample in samples or ():
            self.add(sample)

    def __len__(self) -> int:
        return len(self.samples)

    def add(self, stats: LayerStats) -> None:
        """Append a sample; one of another network (other layer names) raises ``ValueError``."""
        if self.samples and (stats.params, stats.activations) != (self.params, self.activations):
            raise ValueError("these statistics are of another network")
        self.samples.append(stats)
        self._stacked.clear()

    @property
    def params(self) -> tuple[str, ...]:
        return self.samples[0].params if self.samples else ()

    @property
    def activations(self) -> tuple[str, ...]:
        return self.samples[0].activations if self.samples else ()

    @property
    def bytes_per_sample(self) -> int:
        """What one sample of this network keeps in memory (its arrays; a few hundred bytes of Python more)."""
        if not self.samples:
            return 0
        return sum(getattr(self.samples[0], name).nbytes for name in _arrays()) + 16

    def column(self, name: str) -> np.ndarray:
        """A field stacked over the samples: ``step`` (N,), ``grad_norm`` (N, P), ``hist_acts`` (N, A, bins+4)…"""
        if name not in self._stacked:
            if name in _SCALARS:
                self._stacked[name] = np.array([getattr(s, name) for s in self.samples], dtype=np.float64)
            else:
                self._stacked[name] = np.stack([getattr(s, name) for s in self.samples]) if self.samples else \
                    np.zeros((0, 0))
        return self._stacked[name]


def save_layer_stats(path: str | os.PathLike, history: LayerStatsHistory) -> None:
    """Write ``history`` as one compressed .npz (atomic: a temporary file renamed over ``path``)."""
    if not history.samples:
        raise ValueError("no layer statistics to save")
    arrays = {name: history.column(name) for name in _SCALARS + _arrays()}
    arrays["params"] = np.array(history.params, dtype=str)
    arrays["activations"] = np.array(history.activations, dtype=str)
    target = Path(path)
    temporary = target.with_name(target.name + ".tmp")
    with open(temporary, "wb") as handle:
        np.savez_compressed(handle, **arrays)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, target)


def load_layer_stats(path: str | os.PathLike) -> LayerStatsHistory:
    """Read a file ``save_layer_stats`` wrote; raises ``LayerStatsError`` with the reason."""
    try:
        with np.load(path, allow_pickle=False) as data:
            stored = {name: data[name] for name in data.files}
    except (OSError, ValueError, EOFError) as exc:
        raise LayerStatsError(f"cannot read layer statistics {os.fspath(path)}: {exc}") from exc
    missing = [n for n in (*_NAMES, *_SCALARS, *_arrays()) if n not in stored]
    if missing:
        raise LayerStatsError(f"layer statistics file lacks {', '.join(missing)}")
    params = tuple(str(n) for n in stored["params"])
    acts = tuple(str(n) for n in stored["activations"])
    count = len(stored["step"])
    width = {"P": len(params), "A": len(acts)}
    for name in _arrays():
        axis = "P" if name in _PER_PARAM else "A"
        value = stored[name]
        if value.shape[:2] != (count, width[axis]):
            raise LayerStatsError(f"layer statistics {name} has shape {value.shape}, expected ({count}, "
                                  f"{width[axis]}, …)")
    samples = [LayerStats(step=int(stored["step"][i]), epoch=float(stored["epoch"][i]), params=params,
                          activations=acts, **{n: frozen_array(stored[n][i]) for n in _arrays()})
               for i in range(count)]
    return LayerStatsHistory(samples)


@dataclass(frozen=True)
class Finding:
    """A warning a learner can act on; ``setting`` names what helps: "lr", "activation" or "batchnorm"."""

    layer: str
    kind: str  # "dead" | "vanishing" | "exploding" | "lr_high" | "lr_low"
    message: str
    setting: str


def _since(values: np.ndarray, bad: np.ndarray, epochs: np.ndarray) -> int:
    """The epoch (1-based) from which ``bad`` has held up to the last sample."""
    start = len(values) - 1
    while start > 0 and bad[start - 1]:
        start -= 1
    return max(1, math.ceil(epochs[start])) if len(epochs) else 1


def _power(value: float) -> str:
    return f"1e{math.floor(math.log10(value))}" if value > 0 and math.isfinite(value) else f"{value:g}"


def diagnose(history: LayerStatsHistory, recent: int = 3) -> list[Finding]:
    """Warnings from the latest samples (the mean of the last ``recent`` for the noisy ratios)."""
    if not history.samples:
        return []
    found: list[Finding] = []
    epochs = history.column("epoch")
    dead = history.column("dead")
    for i, name in enumerate(history.activations):
        column = dead[:, i]
        if np.isfinite(column[-1]) and column[-1] >= DEAD_LIMIT:
            since = _since(column, column >= DEAD_LIMIT, epochs)
            found.append(Finding(name, "dead", f"{name}: {column[-1]:.0%} of units dead since epoch {since}",
                                 "activation"))
    grads = history.column("grad_norm")[-1]
    every_ratio = history.column("update_ratio")
    ratios = every_ratio[-recent:]
    for i, name in enumerate(history.params):
        grad = float(grads[i])
        if math.isfinite(grad) and grad < VANISHING:
            helps = "batchnorm" if name.startswith("conv") else "activation"  # BatchNorm is 2-D only here
            found.append(Finding(name, "vanishing", f"{name} gradients {_power(grad)}: vanishing", helps))
        elif math.isfinite(grad) and grad > EXPLODING or math.isinf(grad):
            found.append(Finding(name, "exploding", f"{name} gradients {_power(grad)}: exploding", "lr"))
        column = ratios[:, i][np.isfinite(ratios[:, i])]
        if not len(column):
            continue
        ratio = float(column.mean())
        peak = np.nan_to_num(every_ratio[:, i], nan=0.0)
        if ratio > RATIO_HIGH:
            found.append(Finding(name, "lr_high", f"{name} update/weight ratio {ratio:.2g}: lr too high", "lr"))
        elif peak.max() > RATIO_HIGH:  # once too high (the damage may be done: dead units, a plateau)
            step = int(history.column("step")[int(peak.argmax())])
            found.append(Finding(name, "lr_high", f"{name} update/weight ratio reached {peak.max():.2g} at step "
                                 f"{step}: lr too high", "lr"))
        elif ratio < RATIO_LOW and not (math.isfinite(grad) and grad < VANISHING):
            found.append(Finding(name, "lr_low", f"{name} update/weight ratio {ratio:.1e}: its weights hardly "
                                 "move (lr too low?)", "lr"))
    return found
