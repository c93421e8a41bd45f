"""The session's evaluation at each epoch's end and after a divergence, and its layer-statistics samples
(mixed into ``TrainingSession``)."""

from __future__ import annotations

import numpy as np
from torch import nn

from engine.model.budget import fitting_batch_size
from engine.model.shapes import analyze
from engine.training import distributed as ddp
from engine.training.evaluate import EvalResult, EvaluationStopped
from engine.training.events import EpochStats, LayerStats, Reporter, WeightSnapshot, frozen_array

__all__ = ["SessionEvaluation", "state_to_numpy"]


def state_to_numpy(model: nn.Module) -> dict[str, np.ndarray]:
    """The model's state_dict as read-only numpy copies (safe to hand to another thread)."""
    return {name: frozen_array(value) for name, value in model.state_dict().items()}


class SessionEvaluation:
    """``TrainingSession``'s evaluation methods (they use its spec, data, config, model and flags)."""

    def _epoch_stats(self, epoch, loss_sum, correct_sum, seen, seconds, channels_last) -> EpochStats:
        test = self.data.test
        result = self._evaluate(channels_last) if test is not None and len(test) > 0 else None
        return EpochStats(
            epoch=epoch,
            step=self.step,
            train_loss=loss_sum / max(1, seen),
            train_accuracy=correct_sum / max(1, seen),
            test_loss=result.loss if result else None,
            test_accuracy=result.accuracy if result else None,
            per_class_accuracy=result.per_class_accuracy if result else None,
            confusion=result.confusion if result else None,
            seconds=seconds,
            images_per_s=seen / seconds if seconds > 0 else 0.0,
            lr=self.current_lr(),
        )

    def _evaluate(self, channels_last: bool) -> EvalResult | None:
        """The test split's evaluation in chunks about as costly as a training batch; None when a stop cut
        it short (a stop is taken between chunks)."""
        info, test, cfg = self.data.info, self.data.test, self.config
        try:
            batch = fitting_batch_size(analyze(self.spec), min(cfg.eval_batch_size, 3 * cfg.batch_size))
            ddp.sync_buffers(self.model, self.world)
            return ddp.evaluate_sharded(self.world, self.model, test.images, test.labels, tuple(info.mean),
                                    tuple(info.std), len(info.class_names), batch_size=batch,
                                    channels_last=channels_last, should_stop=self._stop.is_set)
        except EvaluationStopped:
            self._eval_cut = True
            return None

    def _evaluate_restored(self, reporter: Reporter) -> EvalResult | None:
        """After a divergence: the restored weights to the viewers, and their test result (None when there
        are no good weights, no test split, or a stop)."""
        if self.config.snapshot_interval_s > 0:
            reporter.on_snapshot(WeightSnapshot(self.step, float(self.epoch), state_to_numpy(self.model), keep=False))
        test = self.data.test
        if self._good.step is None or test is None or len(test) == 0:
            return None
        try:
            return self._evaluate(self.device.type in ("cpu", "cuda"))
        except Exception:  # noqa: BLE001 - the divergence is what gets reported
            return None

    def _report_stats(self, reporter: Reporter, stats: LayerStats) -> None:
        """Keep a layer-statistics sample and report it (to reporters that have ``on_layer_stats``)."""
        self.layer_history.add(stats)
        forward = getattr(reporter, "on_layer_stats", None)
        if forward is not None:
            forward(stats)
