"""The divergence guard: stops a run whose loss blew up, stayed above chance, or fell and stuck.

``DivergenceGuard.observe`` sees each batch's loss (from the training thread) and raises
``Divergence`` with a sentence for the user; the trainer then restores the last good weights.
"""

from __future__ import annotations

import math

__all__ = ["Divergence", "DivergenceGuard"]


class Divergence(Exception):
    """The run diverged; the message says how and what to try."""


class DivergenceGuard:
    """Watches a smoothed loss against chance level, ``log(classes)``."""

    def __init__(self, classes: int, batches_per_epoch: int):
        self.chance = math.log(classes) if classes > 1 else 0.0
        self.per_epoch = batches_per_epoch
        self.loss_fell = False  # the smoothed loss went well below chance once
        self.stuck = 0  # steps at chance level after that
        self.above = 0  # steps above chance before that
        self.ema: float | None = None

    def observe(self, loss: float, step: int, lr: float) -> bool:
        """Take one batch's loss; True when the weights are worth keeping as the last good ones.

        Raises ``Divergence`` when the run should stop.
        """
        chance = self.chance
        if not math.isfinite(loss):
            raise Divergence(f"the loss became {loss} at step {step} (learning rate {lr:g} is too high?); "
                             "training stopped and the last good weights were restored")
        self.ema = loss if self.ema is None else 0.95 * self.ema + 0.05 * loss
        good = False
        if self.ema < 0.8 * chance:
            self.loss_fell = True
            self.stuck = 0
            good = step % 50 == 0
        elif self.loss_fell and abs(self.ema - chance) < 0.05 * chance:
            self.stuck += 1
            if self.stuck >= max(50, min(200, self.per_epoch // 2)):
                raise Divergence(f"the loss fell and then stuck at chance level ({chance:.2f}) for {self.stuck} "
                                 f"steps (learning rate {lr:g} is too high?); training stopped and the last "
                                 "good weights were restored")
        else:
            self.stuck = 0
        if not self.loss_fell and self.ema > 1.1 * chance:
            self.above += 1
            if self.above >= max(100, self.per_epoch):
                raise Divergence(f"the loss stayed above chance level ({chance:.2f}) for {self.above} steps "
                                 f"(learning rate {lr:g} is too high?); training stopped and the initial "
                                 "weights were restored")
        else:
            self.above = 0
        return good
