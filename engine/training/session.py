"""The trainer: a plain object that trains a spec on a dataset and reports as it goes.

``TrainingSession(spec, data, config).run(reporter)`` blocks the calling thread; ``pause``,
``resume``, ``stop`` and ``set_lr`` may be called from any other thread and take effect
within one batch. The hot loop keeps the whole split as one uint8 tensor on the device,
normalizes per batch, runs channels_last with in-place activations and a max-pool placed
before its ReLU (they commute), and never hands out live tensors.
"""

from __future__ import annotations

import copy
import math
import random
import threading
import time
import traceback
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from engine.model.build import build_model, training_view
from engine.model.shapes import analyze, format_shape
from engine.model.spec import NetworkSpec
from engine.training.devices import default_threads, describe_device, resolve_device
from engine.training.evaluate import evaluate, prepare_batch
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
    frozen_array,
)

__all__ = ["TrainingSession", "TrainingError", "lr_factor", "state_to_numpy"]


class TrainingError(Exception):
    """A run that cannot start or went wrong; ``kind`` matches ``ErrorInfo.kind``."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind


def lr_factor(schedule: str, step: int, total_steps: int, steps_per_epoch: int, config: TrainConfig) -> float:
    """Multiplier of the base learning rate at optimizer ``step`` (0-based)."""
    if schedule == "none" or total_steps <= 0:
        return 1.0
    if schedule == "step":
        every = config.step_size or max(1, config.epochs // 3)
        return config.gamma ** ((step // max(1, steps_per_epoch)) // every)
    progress = min(1.0, step / total_steps)
    if schedule == "cosine":
        return 0.5 * (1.0 + math.cos(math.pi * progress))
    if schedule == "onecycle":  # warm up over 30% from lr/25, then cosine down to lr/1e4
        warm = 0.3
        if progress < warm:
            return 1 / 25 + (1 - 1 / 25) * progress / warm
        rest = (progress - warm) / (1 - warm)
        return 1e-4 + (1 - 1e-4) * 0.5 * (1.0 + math.cos(math.pi * rest))
    raise ValueError(f"unknown schedule {schedule!r}")


def state_to_numpy(model: nn.Module) -> dict[str, np.ndarray]:
    """The model's state_dict as read-only numpy copies (safe to hand to another thread)."""
    return {name: frozen_array(value) for name, value in model.state_dict().items()}


def _is_oom(exc: BaseException) -> bool:
    if isinstance(exc, torch.cuda.OutOfMemoryError):
        return True
    text = str(exc).lower()
    return isinstance(exc, (RuntimeError, MemoryError)) and (
        "out of memory" in text or "can't allocate memory" in text or "not enough memory" in text
        or isinstance(exc, MemoryError))


class _Divergence(Exception):
    pass


class TrainingSession:
    """Train ``spec`` on ``data`` with ``config``; see the module docstring."""

    def __init__(self, spec: NetworkSpec, data: Any, config: TrainConfig | None = None, *,
                 resume: Any = None):
        self.spec = spec
        self.data = data
        self.config = config or TrainConfig()
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
        self._good_state: dict[str, torch.Tensor] | None = None
        self._train_seconds = 0.0  # time in training batches, without evaluation

    # -- control from other threads ----------------------------------------------------
    def pause(self) -> None:
        self._running.clear()

    def resume(self) -> None:
        self._running.set()

    def stop(self) -> None:
        self._stop.set()
        self._running.set()

    def set_lr(self, lr: float) -> None:
        """Change the learning rate from the next batch on (recorded as an event)."""
        if not (lr > 0 and math.isfinite(lr)):
            raise ValueError(f"learning rate must be positive, got {lr!r}")
        with self._lock:
            self._pending_lr = float(lr)

    @property
    def paused(self) -> bool:
        return not self._running.is_set()

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    # -- setup ---------------------------------------------------------------------------
    def _check(self) -> None:
        self.config.validate()
        report = analyze(self.spec)
        if not report.ok:
            raise TrainingError("config", "the network has errors: " + "; ".join(p.message for p in report.errors))
        info = self.data.info
        if tuple(self.spec.input) != tuple(info.input_shape):
            raise TrainingError("config", f"the network expects {format_shape(self.spec.input)} inputs but "
                                f"{info.name} has {format_shape(info.input_shape)} images; set the input to match")
        if self.spec.num_classes != len(info.class_names):
            raise TrainingError("config", f"the network has {self.spec.num_classes} outputs but {info.name} has "
                                f"{len(info.class_names)} classes")
        if self.data.train is None or len(self.data.train) == 0:
            raise TrainingError("data", f"{info.name} has no training images here (only a test split was found)")

    def _seed(self) -> None:
        seed = self.config.seed
        random.seed(seed)
        np.random.seed(seed % 2**32)
        torch.manual_seed(seed)
        self._generator = torch.Generator().manual_seed(seed)

    def _make_optimizer(self, params) -> torch.optim.Optimizer:
        c = self.config
        if c.optimizer == "sgd":
            return torch.optim.SGD(params, lr=c.lr, momentum=c.momentum, nesterov=c.nesterov and c.momentum > 0,
                                   weight_decay=c.weight_decay)
        if c.optimizer == "adam":
            return torch.optim.Adam(params, lr=c.lr, weight_decay=c.weight_decay)
        return torch.optim.AdamW(params, lr=c.lr, weight_decay=c.weight_decay)

    def _set_lr_now(self, lr: float) -> None:
        for group in self.optimizer.param_groups:
            group["lr"] = lr

    def current_lr(self) -> float:
        return float(self.optimizer.param_groups[0]["lr"]) if self.optimizer else self.base_lr

    # -- RNG state (for exact resume) ----------------------------------------------------
    def rng_state(self) -> dict[str, Any]:
        state = {
            "python": random.getstate(),
            "numpy": np.random.get_state(),
            "torch": torch.get_rng_state(),
            "generator": self._generator.get_state() if self._generator is not None else None,
        }
        if torch.cuda.is_available():
            state["cuda"] = torch.cuda.get_rng_state_all()
        return state

    def _set_rng_state(self, state: dict[str, Any]) -> None:
        random.setstate(state["python"])
        np.random.set_state(state["numpy"])
        torch.set_rng_state(state["torch"])
        if state.get("generator") is not None:
            self._generator.set_state(state["generator"])
        if state.get("cuda") is not None and torch.cuda.is_available():
            torch.cuda.set_rng_state_all(state["cuda"])

    def checkpoint(self):
        """A ``Checkpoint`` of the current state (call while paused, stopped or finished)."""
        from engine.training.run_state import Checkpoint

        if self.model is None:
            raise TrainingError("config", "nothing trained yet")
        return Checkpoint(
            spec=self.spec,
            state={k: v.detach().to("cpu").clone() for k, v in self.model.state_dict().items()},
            optimizer=copy.deepcopy(self.optimizer.state_dict()) if self.optimizer else None,
            schedule={"base_lr": self.base_lr, "schedule": self.config.schedule},
            epoch=self.epoch,
            step=self.step,
            rng=self._rng_at_epoch,
            config=self.config,
            history=list(self.history),
            lr_changes=list(self.lr_changes),
            dataset=self.data.info.name,
            class_names=tuple(self.data.info.class_names),
            mean=tuple(self.data.info.mean),
            std=tuple(self.data.info.std),
        )

    # -- the run ---------------------------------------------------------------------------
    def run(self, reporter: Reporter | None = None) -> FinishInfo:
        """Train to the end (or until stopped / diverged / failed). Never raises for run errors:
        they are reported through ``reporter.on_error`` and the returned ``FinishInfo``."""
        reporter = reporter or NullReporter()
        started = time.perf_counter()
        images_seen = 0
        status, message = "completed", ""
        try:
            # Always set this thread's count: a thread otherwise inherits whatever count is in force
            # at its first torch call, e.g. the GUI's brief one-thread inference setting.
            torch.set_num_threads(self.config.threads if self.config.threads > 0 else default_threads())
            self._check()
            self.device = resolve_device(self.config.device)
            images_seen = self._train(reporter, started)
            if self._stop.is_set():
                status, message = "stopped", f"stopped after {self.step} steps"
            else:
                message = f"finished {self.epoch} epochs"
        except _Divergence as exc:
            status, message = "diverged", str(exc)
            reporter.on_error(ErrorInfo("divergence", message))
        except TrainingError as exc:
            status, message = "failed", str(exc)
            reporter.on_error(ErrorInfo(exc.kind, message))
        except ValueError as exc:
            status, message = "failed", str(exc)
            reporter.on_error(ErrorInfo("config", message))
        except Exception as exc:  # noqa: BLE001 - every failure is reported, the app keeps running
            if _is_oom(exc):
                status = "failed"
                message = ("out of memory: the network or batch is too large for this device; "
                           "lower the batch size or the layer widths")
                reporter.on_error(ErrorInfo("out_of_memory", message, str(exc)))
            else:
                status, message = "failed", f"{type(exc).__name__}: {exc}"
                reporter.on_error(ErrorInfo("exception", message, traceback.format_exc()))
        finally:
            if self.model is not None:
                for module in self.model.modules():
                    if hasattr(module, "inplace"):
                        module.inplace = False  # hooks and inspection see unmodified outputs
        seconds = time.perf_counter() - started
        last = self.history[-1] if self.history else None
        info = FinishInfo(
            status=status,
            message=message,
            epochs_done=self.epoch,
            step=self.step,
            seconds=seconds,
            images_per_s=images_seen / self._train_seconds if self._train_seconds > 0 else 0.0,
            test_loss=last.test_loss if last else None,
            test_accuracy=last.test_accuracy if last else None,
            history=tuple(self.history),
            lr_changes=tuple(self.lr_changes),
        )
        reporter.on_finish(info)
        return info

    def _prepare(self) -> None:
        """Model, optimizer and RNGs: fresh from the seed, or restored from a checkpoint."""
        self._seed()
        model = build_model(self.spec, inplace=True)
        ckpt = self.resume_from
        if ckpt is not None:
            model.load_state_dict({k: torch.as_tensor(v) for k, v in ckpt.state.items()})
        self.model = model.to(self.device)
        if self.device.type in ("cpu", "cuda"):
            self.model = self.model.to(memory_format=torch.channels_last)
        self.optimizer = self._make_optimizer(self.model.parameters())
        if ckpt is not None:
            if ckpt.optimizer is not None:
                self.optimizer.load_state_dict(ckpt.optimizer)
            self.epoch, self.step = ckpt.epoch, ckpt.step
            self.history = list(ckpt.history)
            self.lr_changes = list(ckpt.lr_changes)
            self.base_lr = float((ckpt.schedule or {}).get("base_lr", self.config.lr))
            if ckpt.rng is not None:
                self._set_rng_state(ckpt.rng)

    def _train(self, reporter: Reporter, started: float) -> int:
        cfg = self.config
        self._prepare()
        device = self.device
        info = self.data.info
        train = self.data.train
        test = self.data.test
        x_all = train.images.to(device)
        y_all = train.labels.to(device)
        n = len(y_all)
        batch = min(cfg.batch_size, n)
        per_epoch = n // batch  # drop the ragged last batch, like the seeds' drop_last
        total_steps = per_epoch * cfg.epochs
        channels_last = device.type in ("cpu", "cuda")
        mean, std = tuple(info.mean), tuple(info.std)
        fast = training_view(self.spec, self.model)
        augment = None
        if cfg.augment:
            from engine.data.transforms import augment as augment_batch

            fill = -mean[0] / std[0] if info.augment_kind == "digits" else None  # a blank pixel

            def augment(batch: torch.Tensor) -> torch.Tensor:
                return augment_batch(batch, info.augment_kind, self._generator, fill=fill)
        use_amp = device.type == "cuda"
        amp_dtype = torch.bfloat16 if use_amp and torch.cuda.is_bf16_supported() else torch.float16
        scaler = torch.amp.GradScaler("cuda", enabled=use_amp and amp_dtype == torch.float16)
        classes = len(info.class_names)
        name, human = describe_device(str(device))
        reporter.on_start(StartInfo(
            device=name, device_name=human, threads=torch.get_num_threads(), epochs=cfg.epochs,
            start_epoch=self.epoch, batches_per_epoch=per_epoch, total_steps=total_steps, train_size=n,
            test_size=len(test) if test is not None else 0, class_names=tuple(info.class_names),
            dataset=info.name, config=cfg))
        chance = math.log(classes) if classes > 1 else 0.0
        last_snapshot = 0.0
        early_points = {max(1, per_epoch * k // 16) for k in (1, 2, 4, 8)} if cfg.snapshots_in_first_epoch else set()
        early_points = set(sorted(early_points)[: cfg.snapshots_in_first_epoch])
        if self.step == 0 and cfg.snapshot_interval_s > 0:
            reporter.on_snapshot(WeightSnapshot(0, 0.0, state_to_numpy(self.model), keep=True))
        self._good_state = {k: v.detach().clone() for k, v in self.model.state_dict().items()}
        loss_fell = False
        stuck = above = 0
        ema = None
        rate_t, rate_images = time.perf_counter(), 0
        images_seen = 0
        self._rng_at_epoch = self.rng_state() if self.resume_from is None else self.resume_from.rng

        while self.epoch < cfg.epochs and not self._stop.is_set():
            epoch = self.epoch + 1
            self.model.train()
            epoch_start = time.perf_counter()
            perm = torch.randperm(n, generator=self._generator).to(device)
            loss_sum = torch.zeros((), device=device)
            correct_sum = torch.zeros((), dtype=torch.int64, device=device)
            seen = 0
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

                idx = perm[b * batch:(b + 1) * batch]
                x = prepare_batch(x_all[idx], mean, std, channels_last)
                y = y_all[idx]
                if augment is not None:
                    x = augment(x)
                with torch.autocast(device.type, dtype=amp_dtype, enabled=use_amp):
                    logits = fast(x)
                    loss = F.cross_entropy(logits.float(), y, label_smoothing=cfg.label_smoothing)
                self.optimizer.zero_grad(set_to_none=True)
                scaler.scale(loss).backward()
                scaler.step(self.optimizer)
                scaler.update()
                self.step += 1
                images_seen += batch
                rate_images += batch

                loss_value = loss.item()
                correct = (logits.argmax(1) == y).sum()
                loss_sum += loss.detach() * batch
                correct_sum += correct
                seen += batch
                if not math.isfinite(loss_value):
                    self._restore_good()
                    raise _Divergence(f"the loss became {loss_value} at step {self.step} (learning rate "
                                      f"{lr:g} is too high?); training stopped and the last good weights "
                                      "were restored")
                ema = loss_value if ema is None else 0.95 * ema + 0.05 * loss_value
                if ema < 0.8 * chance:
                    loss_fell = True
                    stuck = 0
                    if self.step % 50 == 0:
                        self._good_state = {k: v.detach().clone() for k, v in self.model.state_dict().items()}
                elif loss_fell and abs(ema - chance) < 0.05 * chance:
                    stuck += 1
                    if stuck >= max(50, min(200, per_epoch // 2)):
                        self._restore_good()
                        raise _Divergence(f"the loss fell and then stuck at chance level ({chance:.2f}) for "
                                          f"{stuck} steps (learning rate {lr:g} is too high?); training stopped "
                                          "and the last good weights were restored")
                else:
                    stuck = 0
                if not loss_fell and ema > 1.1 * chance:
                    above += 1
                    if above >= max(100, per_epoch):
                        self._restore_good()
                        raise _Divergence(f"the loss stayed above chance level ({chance:.2f}) for {above} steps "
                                          f"(learning rate {lr:g} is too high?); training stopped and the "
                                          "initial weights were restored")
                else:
                    above = 0

                now = time.perf_counter()
                rate = rate_images / (now - rate_t) if now > rate_t else 0.0
                if now - rate_t > 2.0:
                    rate_t, rate_images = now, 0
                remaining = total_steps - self.step
                reporter.on_batch(BatchStats(
                    epoch=epoch, batch=b + 1, batches_per_epoch=per_epoch, step=self.step, total_steps=total_steps,
                    loss=loss_value, accuracy=correct.item() / batch, lr=lr, images_per_s=rate,
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
            if cfg.snapshot_interval_s > 0:
                reporter.on_snapshot(WeightSnapshot(self.step, float(self.epoch), state_to_numpy(self.model),
                                                    keep=True))
        return images_seen

    def _epoch_stats(self, epoch, loss_sum, correct_sum, seen, seconds, channels_last) -> EpochStats:
        info = self.data.info
        test = self.data.test
        result = None
        if test is not None and len(test) > 0:
            result = evaluate(self.model, test.images, test.labels, tuple(info.mean), tuple(info.std),
                              len(info.class_names),
                              batch_size=self.config.eval_batch_size, channels_last=channels_last)
        return EpochStats(
            epoch=epoch,
            step=self.step,
            train_loss=float(loss_sum.item()) / max(1, seen),
            train_accuracy=float(correct_sum.item()) / max(1, seen),
            test_loss=result.loss if result else None,
            test_accuracy=result.accuracy if result else None,
            per_class_accuracy=result.per_class_accuracy if result else None,
            confusion=result.confusion if result else None,
            seconds=seconds,
            images_per_s=seen / seconds if seconds > 0 else 0.0,
            lr=self.current_lr(),
        )

    def _restore_good(self) -> None:
        if self._good_state is not None:
            self.model.load_state_dict(self._good_state)
            self.optimizer.state.clear()  # moments from the diverged steps would push it off again
