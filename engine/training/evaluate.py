"""Evaluation: loss, accuracy, per-class accuracy, confusion matrix and confident mistakes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from engine.data.transforms import normalize
from engine.training.events import frozen_array

__all__ = ["EvalResult", "EvaluationStopped", "Mistake", "evaluate", "prepare_batch", "result_from_counts"]


class EvaluationStopped(Exception):
    """``evaluate`` was asked to stop between two batches."""


def prepare_batch(images: torch.Tensor, mean: tuple[float, ...], std: tuple[float, ...],
                  channels_last: bool = False) -> torch.Tensor:
    """uint8 images → the normalized float32 batch the network takes (channels_last if asked)."""
    x = normalize(images, mean, std)
    return x.contiguous(memory_format=torch.channels_last) if channels_last else x


@dataclass(frozen=True)
class Mistake:
    index: int  # position in the evaluated split
    true_class: int
    predicted_class: int
    confidence: float  # probability of the predicted class


@dataclass(frozen=True)
class EvalResult:
    loss: float
    accuracy: float
    per_class_accuracy: np.ndarray  # NaN where a class has no samples
    confusion: np.ndarray  # rows = true class, columns = predicted
    mistakes: tuple[Mistake, ...]
    count: int

    def to_dict(self, class_names: tuple[str, ...] | None = None) -> dict:
        names = class_names or tuple(str(i) for i in range(len(self.per_class_accuracy)))
        return {
            "loss": self.loss,
            "accuracy": self.accuracy,
            "count": self.count,
            "per_class_accuracy": {n: (None if np.isnan(a) else float(a))
                                   for n, a in zip(names, self.per_class_accuracy)},
            "confusion": self.confusion.tolist(),
            "mistakes": [m.__dict__ for m in self.mistakes],
        }


@torch.no_grad()
def evaluate(
    model: nn.Module,
    images: torch.Tensor,
    labels: torch.Tensor,
    mean: tuple[float, ...],
    std: tuple[float, ...],
    num_classes: int,
    *,
    batch_size: int = 1000,
    top_mistakes: int = 0,
    channels_last: bool = False,
    should_stop: Callable[[], bool] | None = None,
) -> EvalResult:
    """Evaluate ``model`` (switched to eval mode and back) on uint8 ``images`` and ``labels``.

    ``should_stop`` is asked before every batch; when it says True, ``EvaluationStopped`` is raised.
    """
    was_training = model.training
    model.eval()
    device = next(model.parameters()).device
    total_loss = 0.0
    confusion = torch.zeros(num_classes * num_classes, dtype=torch.int64, device=device)
    best_conf: list[torch.Tensor] = []
    try:
        for start in range(0, len(labels), batch_size):
            if should_stop is not None and should_stop():
                raise EvaluationStopped
            x = prepare_batch(images[start:start + batch_size].to(device, non_blocking=True), mean, std,
                              channels_last)
            y = labels[start:start + batch_size].to(device, non_blocking=True)
            logits = model(x).float()
            total_loss += F.cross_entropy(logits, y, reduction="sum").item()
            pred = logits.argmax(1)
            confusion += torch.bincount(y * num_classes + pred, minlength=num_classes * num_classes)
            if top_mistakes:
                best_conf.append(torch.stack([logits.softmax(1).amax(1), pred.float(), y.float()], 1).cpu())
    finally:
        model.train(was_training)
    mistakes: list[Mistake] = []
    if top_mistakes and best_conf:
        table = torch.cat(best_conf)
        wrong = (table[:, 1] != table[:, 2]).nonzero().flatten()
        order = wrong[table[wrong, 0].argsort(descending=True)][:top_mistakes]
        mistakes = [Mistake(int(i), int(table[i, 2]), int(table[i, 1]), float(table[i, 0])) for i in order]
    return result_from_counts(confusion.view(num_classes, num_classes).cpu().numpy(), total_loss, tuple(mistakes))


def result_from_counts(matrix: np.ndarray, total_loss: float, mistakes: tuple[Mistake, ...] = ()) -> EvalResult:
    """An ``EvalResult`` from a confusion matrix (rows true, columns predicted) and the summed loss."""
    count = int(matrix.sum())
    support = matrix.sum(1)
    with np.errstate(invalid="ignore", divide="ignore"):
        per_class = np.where(support > 0, np.diag(matrix) / np.maximum(support, 1), np.nan)
    return EvalResult(
        loss=total_loss / max(1, count),
        accuracy=float(np.trace(matrix)) / max(1, count),
        per_class_accuracy=frozen_array(per_class, np.float64),
        confusion=frozen_array(matrix, np.int64),
        mistakes=mistakes,
        count=count,
    )
