"""The divergence guard: stops a run whose loss blew up or never learned, or that forgot what it learned.

``DivergenceGuard.observe`` sees each batch's loss and ``end_epoch`` each epoch's accuracy (both
from the training thread); either raises ``Divergence`` with the reason in a sentence. Per batch:
a non-finite loss; a smoothed loss ten times chance level (``log(classes)``) for ten batches; a
loss that fell and then came back to chance level or above for half an epoch (20 to 200
batches); a loss that never fell and stayed
above chance for ``max(100, batches_per_epoch)`` batches. At an epoch's end: an accuracy that
collapsed to chance after the network had learned, and a loss above chance for the last
``MIN_PATIENCE`` batches or more that never fell. So a run that diverges is caught within the
epoch it diverges in, on any dataset size. ``GoodWeights`` keeps the last weights worth
keeping, which the trainer restores.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

__all__ = ["Divergence", "DivergenceGuard", "GoodWeights", "MIN_PATIENCE"]

MIN_PATIENCE = 20  # batches before "came back to chance" or "stayed above chance" count
EXPLODED = 10.0  # a smoothed loss this many times chance level has exploded
EXPLODED_STEPS = 10
GOOD_EVERY = 50  # batches between kept weights while the loss is well below chance


class Divergence(Exception):
    """The run diverged; the message says how (the trainer adds what it restored)."""


class DivergenceGuard:
    """Watches a smoothed loss against chance level and epoch accuracies against chance accuracy.

    ``learned`` and ``best_accuracy`` carry over what a resumed run had already learned.
    """

    def __init__(self, classes: int, batches_per_epoch: int, *, learned: bool = False,
                 best_accuracy: float | None = None):
        self.chance = math.log(classes) if classes > 1 else 0.0
        self.chance_accuracy = 1.0 / classes if classes > 1 else 1.0
        self.per_epoch = max(1, batches_per_epoch)
        self.patience = min(200, max(MIN_PATIENCE, self.per_epoch // 2))
        self.loss_fell = learned  # the smoothed loss went well below chance once
        self.best_accuracy = best_accuracy
        self.ema: float | None = None  # smoothed over about 20 batches
        self.fast: float | None = None  # smoothed over about 3 batches: how the loss is now
        self.lost = 0  # steps back at chance level or above after the loss fell
        self.above = 0  # steps above chance before the loss fell
        self.exploded = 0  # steps with the smoothed loss beyond EXPLODED × chance
        self.worst = 0.0

    @classmethod
    def after(cls, classes: int, batches_per_epoch: int, history: Sequence[Any]) -> DivergenceGuard:
        """A guard for a run that continues ``history`` (``EpochStats`` on the same dataset)."""
        if not history:
            return cls(classes, batches_per_epoch)
        accuracies = [h.train_accuracy if h.test_accuracy is None else h.test_accuracy for h in history]
        learned = min(h.train_loss for h in history) < 0.8 * math.log(max(2, classes))
        return cls(classes, batches_per_epoch, learned=learned, best_accuracy=max(accuracies))

    def observe(self, loss: float, step: int, lr: float) -> bool:
        """Take one batch's loss; True when the weights are worth keeping as the last good ones.

        Raises ``Divergence`` when the run should stop.
        """
        if not math.isfinite(loss):
            raise Divergence(f"the loss became {loss} at step {step} (learning rate {lr:g} is too high?)")
        chance = self.chance
        if chance <= 0:
            return False
        self.ema = loss if self.ema is None else 0.95 * self.ema + 0.05 * loss
        self.fast = loss if self.fast is None else 0.7 * self.fast + 0.3 * loss
        hint = f"(learning rate {lr:g} is too high?)"
        if self.ema > EXPLODED * chance:
            self.exploded += 1
            self.worst = max(self.worst, loss)
            if self.exploded >= EXPLODED_STEPS:
                raise Divergence(f"the loss exploded to {self.worst:,.4g}, far above chance level "
                                 f"({chance:.2f}), by step {step} {hint}")
        else:
            self.exploded, self.worst = 0, 0.0
        if self.loss_fell and self.fast > 0.95 * chance:
            self.lost += 1
            if self.lost >= self.patience:
                where = ("stuck at chance level" if self.fast < 1.05 * chance
                         else "rose back above chance level")
                raise Divergence(f"the loss fell and then {where} ({chance:.2f}) for {self.lost} steps "
                                 f"by step {step} {hint}")
        else:
            self.lost = 0
        good = False
        if self.ema < 0.8 * chance:
            self.loss_fell = True
            good = self.lost == 0 and step % min(GOOD_EVERY, self.per_epoch) == 0
        if not self.loss_fell and self.ema > 1.1 * chance:
            self.above += 1
            if self.above >= max(100, self.per_epoch):
                raise Divergence(self._above_reason(step, lr))
        else:
            self.above = 0
        return good

    def _above_reason(self, step: int, lr: float) -> str:
        return (f"the loss stayed above chance level ({self.chance:.2f}) for {self.above} steps by step {step} "
                f"and never fell (learning rate {lr:g} is too high?)")

    def end_epoch(self, epoch: int, accuracy: float | None, step: int, lr: float) -> bool:
        """Take an epoch's accuracy (test, else train); True when its weights are good ones.

        Raises ``Divergence`` for an accuracy collapsed to chance after learning, or for a loss
        above chance since at least ``MIN_PATIENCE`` batches that never fell.
        """
        if self.chance > 0 and not self.loss_fell and self.above >= MIN_PATIENCE:
            raise Divergence(self._above_reason(step, lr))
        if accuracy is None or self.chance <= 0:
            return False
        chance = self.chance_accuracy
        learned = chance + 0.3 * (1 - chance)
        best = self.best_accuracy
        if best is not None and best >= learned and accuracy <= chance + 0.05 * (1 - chance):
            raise Divergence(f"the accuracy collapsed from {best:.1%} to {accuracy:.1%} at the end of epoch "
                             f"{epoch}, chance level is {chance:.0%} (learning rate {lr:g} is too high?)")
        self.best_accuracy = accuracy if best is None else max(best, accuracy)
        return accuracy >= learned


class GoodWeights:
    """The last weights worth keeping (a detached copy) and the step they are from."""

    def __init__(self, model: Any, step: int | None):
        """``step`` None: ``model``'s weights are only the starting point, not good ones yet."""
        self.step = step
        self._state = self._copy(model)

    @staticmethod
    def _copy(model: Any) -> dict[str, Any]:
        return {k: v.detach().clone() for k, v in model.state_dict().items()}

    def keep(self, model: Any, step: int) -> None:
        self.step = step
        self._state = self._copy(model)

    def restore(self, model: Any, optimizer: Any) -> str:
        """Put the kept weights back and clear ``optimizer``'s moments; a sentence on what came back."""
        model.load_state_dict(self._state)
        if optimizer is not None:
            optimizer.state.clear()  # moments from the diverged steps would push it off again
        if self.step is None:
            return "no good weights existed yet, so the starting weights were restored"
        return f"the last good weights (step {self.step}) were restored"
