"""The trainer: a plain object that trains a spec on a dataset and reports as it goes.

``TrainingSession(spec, data, config).run(reporter)`` blocks the calling thread; ``pause``,
``resume``, ``stop`` and ``set_lr`` may be called from any other thread and take effect
within one batch, evaluation and cold start included. The hot loop keeps the whole split as
one uint8 tensor on the device, normalizes per batch, runs channels_last with in-place
activations and a max-pool placed before its ReLU (they commute), and never hands out live
tensors. Given a ``world`` (a rank under torchrun), it trains data-parallel: see
``engine.training.distributed``.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from engine.data.transforms import batch_augmenter, epoch_order, normalized
from engine.model.build import build_model, training_view
from engine.model.init import apply_init
from engine.model.spec import NetworkSpec
from engine.training import distributed as ddp
from engine.training.allocator import tune_malloc
from engine.training.checks import TrainingError, check_can_train
from engine.training.config import lr_problem
from engine.training.devices import describe_device
from engine.training.divergence import Divergence, DivergenceGuard, GoodWeights
from engine.training.evaluate import prepare_batch
from engine.training.events import (
    BatchStats,
    EpochStats,
    ErrorInfo,
    FinishInfo,
    LrChange,
    NullReporter,
    Reporter,
    StartInfo,
    TrainConfig,
    WeightSnapshot,
)
from engine.training.failures import failure_info
from engine.training.layer_stats import LayerStatsHistory
from engine.training.precision import choose
from engine.training.resume import load_optimizer_state, saved_base_lr
from engine.training.rng import capture_rng, restore_rng, seed_everything
from engine.training.schedules import lr_factor, make_optimizer
from engine.training.session_eval import SessionEvaluation, state_to_numpy
from engine.training.stats_probe import PROBE_IMAGES, StatsProbe
from engine.training.warmup import wait_warm

__all__ = ["TrainingSession", "TrainingError", "lr_factor", "state_to_numpy"]


class TrainingSession(SessionEvaluation):
    """Train ``spec`` on ``data`` with ``config``; see the module docstring."""

    def __init__(self, spec: NetworkSpec, data: Any, config: TrainConfig | None = None, *,
                 resume: Any = None, world: ddp.World | None = None):
        """``world``: this rank under torchrun, its process group open (``engine.training.distributed``)."""
        self.spec = spec
        self.world = world or ddp.SINGLE
        self._sync = ddp.RankSync(self.world)
        self.config = config or TrainConfig()
        self.data = normalized(data, self.config.normalize)  # its info carries the run's mean/std
        self.resume_from = resume
        self.model: nn.Sequential | None = None
        self.optimizer: torch.optim.Optimizer | None = None
        self.history: list[EpochStats] = []
        self.lr_changes: list[LrChange] = []
        self.epoch = 0  # completed epochs
        self.step = 0  # optimizer steps taken
        self.base_lr = self.config.lr
        self.device: torch.device | None = None
        self._generator: torch.Generator | None = None
        self._stop = threading.Event()
        self._running = threading.Event()
        self._running.set()  # set = not paused
        self._lock = threading.Lock()
        self._pending_lr: float | None = None
        self._rng_at_epoch: dict[str, Any] | None = None
        self._good: GoodWeights | None = None  # the weights a divergence restores
        self._eval_cut = False  # a stop cut the last epoch's evaluation short
        self._train_seconds = 0.0  # time in training batches, without evaluation
        self.precision = None  # the run's engine.training.precision.Autocast, once it starts
        self.layer_history = LayerStatsHistory()  # every LayerStats sample of this run (config.layer_stats)
        self.layer_probe: StatsProbe | None = None  # what takes them (its ``seconds``: their cost)

    # -- control from other threads ----------------------------------------------------
    def pause(self) -> None:
        self._running.clear()

    def resume(self) -> None:
        self._running.set()

    def stop(self) -> None:
        if self.world.distributed:
            self._sync.request_stop()  # every rank stops at the same step (see RankSync)
        else:
            self._stop.set()
        self._running.set()

    def set_lr(self, lr: float) -> None:
        """Change the learning rate from the next batch on (recorded as an event)."""
        problem = lr_problem(lr)
        if problem:
            raise ValueError(problem)
        with self._lock:
            self._pending_lr = float(lr)

    @property
    def paused(self) -> bool:
        return not self._running.is_set()

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    # -- setup ---------------------------------------------------------------------------
    def _set_lr_now(self, lr: float) -> None:
        for group in self.optimizer.param_groups:
            group["lr"] = lr

    def current_lr(self) -> float:
        return float(self.optimizer.param_groups[0]["lr"]) if self.optimizer else self.base_lr

    def rng_state(self) -> dict[str, Any]:
        """Every generator's state now (see ``engine.training.rng``)."""
        return capture_rng(self._generator)

    def checkpoint(self):
        """A ``Checkpoint`` of the current state (call while paused, stopped or finished)."""
        from engine.training.run_state import Checkpoint

        if self.model is None:
            raise TrainingError("config", "nothing trained yet")
        return Checkpoint.of_session(self, self._rng_at_epoch)

    # -- the run ---------------------------------------------------------------------------
    def run(self, reporter: Reporter | None = None) -> FinishInfo:
        """Train to the end (or until stopped / diverged / failed). Never raises for run errors:
        they are reported through ``reporter.on_error`` and the returned ``FinishInfo``."""
        reporter = reporter or NullReporter()
        started = time.perf_counter()
        images_seen = 0
        status, message, restored = "completed", "", None
        try:
            # Always set this thread's count: a thread otherwise inherits whatever count is in force
            # at its first torch call, e.g. the GUI's brief one-thread inference setting.
            torch.set_num_threads(ddp.rank_threads(self.world, self.config.threads))
            tune_malloc()  # each step reuses the last one's freed pages instead of faulting in new ones
            check_can_train(self.spec, self.data, self.config)
            self.device = ddp.rank_device(self.world, self.config.device)
            images_seen = self._train(reporter, started)
            if self._stop.is_set():
                status, message = "stopped", f"stopped after {self.step} steps"
                if self._eval_cut:
                    message += f" (epoch {self.epoch}'s evaluation was cut short)"
            else:
                message = f"finished {self.epoch} epochs"
        except Divergence as exc:
            restored_what = self._good.restore(self.model, self.optimizer)
            status, message = "diverged", f"{exc}; training stopped and {restored_what}"
            restored = self._evaluate_restored(reporter)
            reporter.on_error(ErrorInfo("divergence", message))
        except Exception as exc:  # noqa: BLE001 - every failure is reported, the app keeps running
            error = failure_info(exc, self.world)
            status, message = "failed", error.message
            reporter.on_error(error)
        finally:
            if self.model is not None:
                for module in self.model.modules():
                    if hasattr(module, "inplace"):
                        module.inplace = False  # hooks and inspection see unmodified outputs
        seconds = time.perf_counter() - started
        last = self.history[-1] if self.history else None
        test_loss, test_accuracy = (last.test_loss, last.test_accuracy) if last else (None, None)
        if status == "diverged":  # the model holds the restored weights now
            test_loss, test_accuracy = (restored.loss, restored.accuracy) if restored else (None, None)
        info = FinishInfo(
            status=status,
            message=message,
            epochs_done=self.epoch,
            step=self.step,
            seconds=seconds,
            images_per_s=images_seen / self._train_seconds if self._train_seconds > 0 else 0.0,
            test_loss=test_loss,
            test_accuracy=test_accuracy,
            history=tuple(self.history),
            lr_changes=tuple(self.lr_changes),
            restored_step=self._good.step if status == "diverged" else None,
            good_weights=status != "diverged" or self._good.step is not None,
        )
        reporter.on_finish(info)
        return info

    def _prepare(self) -> None:
        """Model, optimizer and RNGs: fresh from the seed, or restored from a checkpoint."""
        self._generator = seed_everything(self.config.seed)
        model = build_model(self.spec, inplace=True)
        ckpt = self.resume_from
        if ckpt is not None:
            model.load_state_dict({k: torch.as_tensor(v) for k, v in ckpt.state.items()})
        else:  # drawn from the generator seeded above: the same seed gives the same weights
            apply_init(model, self.config.init, self.config.init_std, self.config.init_layers)
        self.model = model.to(self.device)
        if self.device.type in ("cpu", "cuda"):
            self.model = self.model.to(memory_format=torch.channels_last)
        self.optimizer = make_optimizer(self.model.parameters(), self.config)
        self._good = GoodWeights(self.model, None)
        if ckpt is not None:
            load_optimizer_state(self.optimizer, ckpt, self.config)
            self.epoch, self.step = ckpt.epoch, ckpt.step
            self.history = list(ckpt.history)
            self.lr_changes = list(ckpt.lr_changes)
            self.base_lr = saved_base_lr(ckpt)
            if self.config.lr != self.base_lr:  # a new learning rate from here on, recorded as a change
                self.lr_changes.append(LrChange(self.step, self.epoch + 1, self.base_lr, self.config.lr))
                self.base_lr = self.config.lr
            if ckpt.step > 0:
                self._good.keep(self.model, ckpt.step)  # the weights resumed from are good ones
            if ckpt.rng is not None:
                restore_rng(ckpt.rng, self._generator)

    def _train(self, reporter: Reporter, started: float) -> int:
        cfg = self.config
        if not wait_warm(self._stop):
            return 0
        self._prepare()
        device = self.device
        info = self.data.info
        train = self.data.train
        test = self.data.test
        x_all = train.images.to(device)
        y_all = train.labels.to(device)
        n = len(y_all)
        part, _ = ddp.per_rank_batch(min(cfg.batch_size, n), self.world)  # the global batch, shared by the ranks
        batch = part * self.world.size
        per_epoch = n // batch  # drop the ragged last batch, like the seeds' drop_last
        total_steps = per_epoch * cfg.epochs
        channels_last = device.type in ("cpu", "cuda")
        mean, std = tuple(info.mean), tuple(info.std)
        fast = ddp.wrap(training_view(self.spec, self.model), self.world, device)
        self._sync.device = device
        augment = batch_augmenter(info, self._generator) if cfg.augment else None
        probe = prepare_batch(x_all[:part], mean, std, channels_last)  # auto's bf16 probe: engine.training.precision
        self.precision = choose(cfg.precision, device, self.model, probe, len(info.class_names))
        scaler = torch.amp.GradScaler("cuda", enabled=self.precision.scale_gradients)
        layer_probe = StatsProbe(self.model, prepare_batch(x_all[:min(PROBE_IMAGES, part)], mean, std, channels_last)) \
            if cfg.layer_stats and self.world.rank == 0 else None
        self.layer_probe = layer_probe
        classes = len(info.class_names)
        name, human = describe_device(str(device))
        reporter.on_start(StartInfo(
            device=name, device_name=human, threads=torch.get_num_threads(), epochs=cfg.epochs,
            start_epoch=self.epoch, batches_per_epoch=per_epoch, total_steps=total_steps, train_size=n,
            test_size=len(test) if test is not None else 0, class_names=tuple(info.class_names),
            dataset=info.name, config=cfg))
        ckpt = self.resume_from
        guard = DivergenceGuard.after(classes, per_epoch, ckpt.history if ckpt and ckpt.dataset == info.name else ())
        last_snapshot = 0.0
        early_points = {max(1, per_epoch * k // 16) for k in (1, 2, 4, 8)} if cfg.snapshots_in_first_epoch else set()
        early_points = set(sorted(early_points)[: cfg.snapshots_in_first_epoch])
        if self.step == 0 and cfg.snapshot_interval_s > 0:
            reporter.on_snapshot(WeightSnapshot(0, 0.0, state_to_numpy(self.model), keep=True))
        rate_t, rate_images = time.perf_counter(), 0
        images_seen = 0
        self._rng_at_epoch = self.rng_state() if self.resume_from is None else self.resume_from.rng

        while self.epoch < cfg.epochs and not self._stop.is_set():
            epoch = self.epoch + 1
            self.model.train()
            epoch_start = time.perf_counter()
            perm = epoch_order(n, self._generator, cfg.shuffle).to(device)
            loss_sum, correct_sum, seen = 0.0, 0, 0
            for b in range(per_epoch):
                if not self._running.is_set():
                    paused_at = time.perf_counter()
                    self._running.wait()
                    waited = time.perf_counter() - paused_at
                    epoch_start += waited  # paused time is not training time
                    rate_t += waited
                if self._stop.is_set():
                    break
                with self._lock:
                    pending, self._pending_lr = self._pending_lr, None
                if pending is not None:
                    old = self.current_lr()
                    factor = lr_factor(cfg.schedule, self.step, total_steps, per_epoch, cfg)
                    self.base_lr = pending / factor if factor > 0 else pending
                    change = LrChange(self.step, epoch, old, pending)
                    self.lr_changes.append(change)
                    reporter.on_lr_change(change)
                lr = self.base_lr * lr_factor(cfg.schedule, self.step, total_steps, per_epoch, cfg)
                self._set_lr_now(lr)

                idx = perm[ddp.batch_slice(b, part, self.world)]
                x = prepare_batch(x_all[idx], mean, std, channels_last)
                y = y_all[idx]
                if augment is not None:
                    x = augment(x)
                with self.precision.context(device.type):
                    logits = fast(x)
                    loss = F.cross_entropy(logits.float(), y, label_smoothing=cfg.label_smoothing)
                self.optimizer.zero_grad(set_to_none=True)
                scaler.scale(loss).backward()
                sampled = layer_probe is not None and layer_probe.due(self.step + 1)
                if sampled:
                    scaler.unscale_(self.optimizer)  # the true gradients (a no-op without a scaler)
                    layer_probe.before_step()
                scaler.step(self.optimizer)
                scaler.update()
                self.step += 1
                if sampled:
                    self._report_stats(reporter, layer_probe.after_step(self.step, self.epoch + (b + 1) / per_epoch))
                images_seen += batch
                rate_images += batch

                loss_value, correct, stop = self._sync.step(loss, (logits.argmax(1) == y).sum())
                if stop:  # asked on some rank: every rank stops after this same step
                    self._stop.set()
                loss_sum += loss_value * batch
                correct_sum += correct
                seen += batch
                if guard.observe(loss_value, self.step, lr):
                    self._good.keep(self.model, self.step)

                now = time.perf_counter()
                rate = rate_images / (now - rate_t) if now > rate_t else 0.0
                if now - rate_t > 2.0:
                    rate_t, rate_images = now, 0
                remaining = total_steps - self.step
                reporter.on_batch(BatchStats(
                    epoch=epoch, batch=b + 1, batches_per_epoch=per_epoch, step=self.step, total_steps=total_steps,
                    loss=loss_value, accuracy=correct / batch, lr=lr, images_per_s=rate,
                    eta_s=remaining * batch / rate if rate > 0 else float("nan")))
                if cfg.snapshot_interval_s > 0:
                    keep = epoch == 1 and (b + 1) in early_points
                    if keep or now - last_snapshot >= cfg.snapshot_interval_s:
                        last_snapshot = now
                        reporter.on_snapshot(WeightSnapshot(self.step, self.epoch + (b + 1) / per_epoch,
                                                            state_to_numpy(self.model), keep=keep))
            seconds = time.perf_counter() - epoch_start
            self._train_seconds += seconds
            if self._stop.is_set() and seen < per_epoch * batch:
                break  # a partial epoch is not counted
            self.epoch = epoch
            stats = self._epoch_stats(epoch, loss_sum, correct_sum, seen, seconds, channels_last)
            self.history.append(stats)
            self._rng_at_epoch = self.rng_state()
            reporter.on_epoch(stats)
            if not self._eval_cut:
                accuracy = stats.train_accuracy if stats.test_accuracy is None else stats.test_accuracy
                if guard.end_epoch(epoch, accuracy, self.step, self.current_lr()):
                    self._good.keep(self.model, self.step)
            if cfg.snapshot_interval_s > 0:
                reporter.on_snapshot(WeightSnapshot(self.step, float(self.epoch), state_to_numpy(self.model),
                                                    keep=True))
        return images_seen
