"""Measuring ``LayerStats`` during training, on a fixed probe batch, at a bounded cost.

Around a sampled optimizer step the session calls ``before_step()`` (after backward: this step's
gradients and a copy of the weights) and ``after_step()`` (weight norms, the update ratio, then
the probe batch forward in eval mode, with hooks reducing every layer's output at once). The
first sample is at step 1; each next one is due once the time trained since the probe was made
pays for every sample so far and that one within ``budget`` (2%), so a run of any length keeps
to it (its first sample aside), between ``MIN_EVERY`` and ``MAX_EVERY`` steps apart; a fixed
``every`` overrides it. Histogram ranges are fixed per layer at the first sample (its min..max,
widened by half on each side): values outside are counted below/above, NaN and ±Inf separately.
Weight and gradient histograms count every value; an output's histogram counts every k-th value,
at most ``ACT_HIST_VALUES`` (its mean, std and dead fraction use all of them), which keeps a
sample near the cost of one training step.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import numpy as np
import torch
from torch import nn

from engine.training.events import LayerStats, frozen_array
from engine.training.layer_stats import HIST_BINS

__all__ = ["ACT_HIST_VALUES", "BUDGET", "MAX_EVERY", "MIN_EVERY", "PROBE_IMAGES", "StatsProbe", "counted",
           "histogram_row", "measure_once"]

PROBE_IMAGES = 64  # the probe batch (at most the training batch: the same shapes, no cold kernels)
MIN_EVERY, MAX_EVERY = 5, 2000
ACT_HIST_VALUES = 1 << 16  # an output's histogram counts every k-th value, at most this many (cost)
BUDGET = 0.02  # the fraction of training time sampling may take (docs/layer-stats-shots.py raises it)


def histogram_row(x: torch.Tensor, lo: float, hi: float, bins: int = HIST_BINS) -> torch.Tensor:
    """``bins`` counts over [lo, hi], then below, above, NaN, ±Inf (int64, on x's device).

    The usual case (everything finite and within the range, seen from one fast min/max) costs one
    ``histc``; otherwise every element is classified (elementwise tests are slow on CPUs)."""
    x = x.detach().reshape(-1).float()
    if x.numel():
        low, high = (float(v) for v in torch.aminmax(x))  # NaN anywhere makes both NaN
        if lo <= low and high <= hi:
            zero = torch.zeros(4, dtype=torch.long, device=x.device)
            return torch.cat([torch.histc(x, bins, lo, hi).long(), zero])
    finite = torch.isfinite(x)
    nan = torch.isnan(x).sum()
    infinite = x.numel() - finite.sum() - nan
    values = torch.where(finite, x, torch.full_like(x, float("-inf")))  # histc skips ±Inf
    counts = torch.histc(values, bins, lo, hi).long()
    below = (values < lo).sum() - (x.numel() - finite.sum())
    above = (values > hi).sum()
    return torch.cat([counts, torch.stack([below, above, nan, infinite]).long()])


def counted(y: torch.Tensor) -> torch.Tensor:
    """The values of an output its histogram counts: every k-th, at most ``ACT_HIST_VALUES`` (its mean,
    std and dead units use all of them). Histograms of weights and gradients count every value."""
    flat = y.reshape(-1)
    return flat[:: -(-flat.numel() // ACT_HIST_VALUES)] if flat.numel() > ACT_HIST_VALUES else flat


def _range(x: torch.Tensor) -> tuple[float, float]:
    """The fixed histogram range from a first sample: min..max widened by half, 0 kept as the floor of ≥ 0 data."""
    finite = x.detach().reshape(-1).float()
    finite = finite[torch.isfinite(finite)]
    if finite.numel() == 0:
        return -1.0, 1.0
    lo, hi = float(finite.min()), float(finite.max())
    span = max(hi - lo, abs(hi), abs(lo), 1e-12)
    return (lo - span / 2 if lo < 0 else lo), hi + span / 2


def _flat(tensors: list[torch.Tensor]) -> torch.Tensor:
    return torch.cat([t.detach().reshape(-1).float() for t in tensors])


class StatsProbe:
    """Samples ``LayerStats`` of ``model`` (the named ``nn.Sequential``) on ``probe`` (a prepared batch)."""

    def __init__(self, model: nn.Sequential, probe: torch.Tensor, *, every: int | None = None,
                 budget: float | None = None):
        self.model, self.probe, self.fixed = model, probe, every
        self.budget = BUDGET if budget is None else budget
        self.param_layers = [(name, list(m.parameters())) for name, m in model.named_children()
                             if any(True for _ in m.parameters())]
        self.act_layers = list(model.named_children())
        self.relu = [isinstance(m, nn.ReLU) for _, m in self.act_layers]
        self.next_step = 1
        self.samples = 0
        self.seconds = 0.0  # time spent sampling
        self._ranges: dict[str, list[tuple[float, float]]] = {}
        self._before: list[torch.Tensor] | None = None
        self._grads: list[torch.Tensor] | None = None
        self._spent = 0.0
        self._started = time.perf_counter()

    def due(self, step: int) -> bool:
        """Whether the optimizer step that makes the count ``step`` is to be sampled."""
        return step >= self.next_step

    def before_step(self) -> None:
        """After backward, before the optimizer step: keep the gradients and the weights."""
        started = time.perf_counter()
        with torch.no_grad():
            self._before = [_flat(ps) for _, ps in self.param_layers]
            self._grads = [_flat([p.grad if p.grad is not None else torch.full_like(p, float("nan")) for p in ps])
                           for _, ps in self.param_layers]
        self._spent = time.perf_counter() - started

    def _rows(self, kind: str, tensors: list[torch.Tensor]) -> tuple[torch.Tensor, np.ndarray]:
        if kind not in self._ranges:
            self._ranges[kind] = [_range(t) for t in tensors]
        ranges = self._ranges[kind]
        rows = [histogram_row(t, lo, hi) for t, (lo, hi) in zip(tensors, ranges)]
        empty = torch.zeros((0, HIST_BINS + 4), dtype=torch.long, device=self.probe.device)
        return (torch.stack(rows) if rows else empty), np.array(ranges, dtype=np.float64).reshape(-1, 2)

    def _activations(self) -> tuple[torch.Tensor, list[torch.Tensor]]:
        """The probe batch through the model in eval mode: per output (mean, std, dead) and its histogram row."""
        numbers: list[torch.Tensor] = []
        rows: list[torch.Tensor] = []
        first = "act" not in self._ranges
        ranges: list[tuple[float, float]] = []

        def hook(index: int) -> Callable:
            def reduce(_module: nn.Module, _inputs: object, output: torch.Tensor) -> None:
                y = output.detach().float()
                if first:
                    ranges.append(_range(y))
                lo, hi = (ranges if first else self._ranges["act"])[index]
                dead = ((y.amax(0) <= 0).float().mean() if self.relu[index] and y.shape[0] > 0
                        else torch.tensor(float("nan"), device=y.device))
                numbers.append(torch.stack([y.mean(), y.std() if y.numel() > 1 else y.new_tensor(0.0), dead]))
                rows.append(histogram_row(counted(y), lo, hi))
            return reduce

        handles = [m.register_forward_hook(hook(i)) for i, (_, m) in enumerate(self.act_layers)]
        training = self.model.training
        try:
            self.model.eval()
            with torch.no_grad():
                self.model(self.probe)
        finally:
            for handle in handles:
                handle.remove()
            self.model.train(training)
        if first:
            self._ranges["act"] = ranges
        return torch.stack(numbers), rows

    def after_step(self, step: int, epoch: float, *, stepped: bool = True) -> LayerStats:
        """The sample of the step just taken (``stepped=False``: measured without a step, update ratio NaN)."""
        started = time.perf_counter()
        names = [name for name, _ in self.param_layers]
        with torch.no_grad():
            after = [_flat(ps) for _, ps in self.param_layers]
            device = self.probe.device
            nan = torch.tensor(float("nan"), device=device)
            weight = torch.stack([a.norm() for a in after]) if after else torch.zeros(0, device=device)
            grad = torch.stack([g.norm() for g in self._grads]) if after else weight
            update = torch.stack([(a - b).norm() / b.norm() if stepped else nan
                                  for a, b in zip(after, self._before)]) if after else weight
            hist_w, range_w = self._rows("weights", after)
            hist_g, range_g = self._rows("grads", self._grads)
            numbers, act_rows = self._activations()
            hist_a, range_a = torch.stack(act_rows), np.array(self._ranges["act"], dtype=np.float64)
            # one transfer from the device for everything
            small = torch.cat([weight, grad, update, numbers.reshape(-1)]).cpu().numpy().astype(np.float64)
            hists = torch.cat([hist_w, hist_g, hist_a]).cpu().numpy()
        p, a = len(names), len(self.act_layers)
        numbers_np = small[3 * p:].reshape(a, 3)
        stats = LayerStats(
            step=step, epoch=epoch, params=tuple(names), weight_norm=frozen_array(small[:p]),
            grad_norm=frozen_array(small[p:2 * p]), update_ratio=frozen_array(small[2 * p:3 * p]),
            activations=tuple(name for name, _ in self.act_layers), act_mean=frozen_array(numbers_np[:, 0]),
            act_std=frozen_array(numbers_np[:, 1]), dead=frozen_array(numbers_np[:, 2]),
            hist_weights=frozen_array(hists[:p]), hist_grads=frozen_array(hists[p:2 * p]),
            hist_acts=frozen_array(hists[2 * p:]), weight_range=frozen_array(range_w),
            grad_range=frozen_array(range_g), act_range=frozen_array(range_a))
        self._before = self._grads = None
        self._schedule(step, self._spent + time.perf_counter() - started)
        return stats

    def _schedule(self, step: int, spent: float) -> None:
        """Pick the next sampled step so that sampling so far plus the next sample stay within ``budget``
        of the time since the probe was made (a sample is never due sooner than ``MIN_EVERY`` steps)."""
        self.samples += 1
        self.seconds += spent
        if self.fixed is not None:
            self.next_step = step + self.fixed
            return
        per_step = max(1e-9, (time.perf_counter() - self._started - self.seconds) / max(step, 1))
        after_next = self.seconds * (1 + 1 / self.samples)  # the next sample costs about the mean one
        due = math.ceil(after_next / (self.budget * per_step))
        self.next_step = min(step + MAX_EVERY, max(step + MIN_EVERY, due))


def measure_once(model: nn.Sequential, images: torch.Tensor, labels: torch.Tensor | None = None) -> LayerStats:
    """One sample of a model as it is (no optimizer step): gradients of the cross-entropy on ``labels``
    (NaN without labels), the update ratio NaN. ``images`` is a prepared batch; the model is left unchanged."""
    probe = StatsProbe(model, images)
    model.zero_grad(set_to_none=True)
    if labels is not None:
        training = model.training
        model.eval()
        try:
            loss = nn.functional.cross_entropy(model(images).float(), labels)
            loss.backward()
        finally:
            model.train(training)
    probe.before_step()
    stats = probe.after_step(0, 0.0, stepped=False)
    model.zero_grad(set_to_none=True)
    return stats
