"""The trainer: accuracy on real digits, control from another thread, divergence, determinism,
immutable payloads, and checkpoints that resume exactly and never run code."""

import os
import pickle
import threading
import time

import numpy as np
import pytest
import torch

from engine.data.loading import load_dataset
from engine.data.splits import Dataset, Split
from engine.io.checkpoint import CheckpointError, load_checkpoint, save_checkpoint
from engine.model.presets import PRESETS
from engine.model.spec import NetworkSpec
from engine.training.events import NullReporter, TrainConfig
from engine.training.session import TrainingSession, lr_factor

TINY = NetworkSpec.from_dict({"name": "tiny", "input": [1, 28, 28], "num_classes": 10, "layers": [
    {"type": "conv2d", "out_channels": 4, "kernel_size": 3, "padding": 1}, {"type": "relu"},
    {"type": "maxpool2d", "kernel_size": 4}, {"type": "dropout", "p": 0.1}, {"type": "flatten"},
    {"type": "linear", "out_features": 10}]})


@pytest.fixture(scope="module")
def sample():
    return load_dataset("mnist-sample")


@pytest.fixture(scope="module")
def small(sample):
    """The first 1,000 training and 200 test digits of the bundled sample."""
    return Dataset(sample.info, Split(sample.train.images[:1000], sample.train.labels[:1000]),
                   Split(sample.test.images[:200], sample.test.labels[:200]), sample.source)


class Recorder(NullReporter):
    def __init__(self, on_batch=None):
        self.batches, self.epochs, self.snapshots, self.errors, self.changes = [], [], [], [], []
        self.start = self.finish = None
        self._on_batch = on_batch

    def on_start(self, info):
        self.start = info

    def on_batch(self, stats):
        self.batches.append(stats)
        if self._on_batch:
            self._on_batch(stats)

    def on_epoch(self, stats):
        self.epochs.append(stats)

    def on_snapshot(self, snapshot):
        self.snapshots.append(snapshot)

    def on_lr_change(self, change):
        self.changes.append(change)

    def on_error(self, error):
        self.errors.append(error)

    def on_finish(self, info):
        self.finish = info


@pytest.mark.slow
def test_seed000_reaches_95_percent_on_the_sample(sample):
    rec = Recorder()
    session = TrainingSession(PRESETS["seed000"].spec, sample,
                              TrainConfig(epochs=5, batch_size=100, lr=1e-3, snapshot_interval_s=0))
    finish = session.run(rec)
    assert finish.status == "completed" and finish.epochs_done == 5
    assert finish.test_accuracy >= 0.95
    last = rec.epochs[-1]
    assert last.confusion.sum() == 500 and last.confusion.shape == (10, 10)
    assert len(rec.batches) == 5 * 45 and rec.batches[-1].progress == 1.0
    assert rec.epochs[-1].train_loss < rec.epochs[0].train_loss


def test_stop_within_one_batch(small):
    session = TrainingSession(TINY, small, TrainConfig(epochs=3, batch_size=50, snapshot_interval_s=0))
    rec = Recorder(on_batch=lambda s: session.stop() if s.step == 3 else None)
    finish = session.run(rec)
    assert finish.status == "stopped" and finish.step == 3 and len(rec.batches) == 3
    assert rec.epochs == []  # the partial epoch is not counted


def test_pause_resume_from_another_thread(small):
    session = TrainingSession(TINY, small, TrainConfig(epochs=1, batch_size=50, snapshot_interval_s=0))
    rec = Recorder(on_batch=lambda s: session.pause() if s.step == 2 else None)
    runner = threading.Thread(target=session.run, args=(rec,))
    runner.start()
    deadline = time.monotonic() + 30
    while not session.paused and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.3)
    assert session.paused and len(rec.batches) == 2  # nothing moves while paused
    session.resume()
    runner.join(30)
    assert rec.finish.status == "completed" and len(rec.batches) == 20


def test_stop_while_paused(small):
    session = TrainingSession(TINY, small, TrainConfig(epochs=1, batch_size=50, snapshot_interval_s=0))
    rec = Recorder(on_batch=lambda s: session.pause() if s.step == 1 else None)
    runner = threading.Thread(target=session.run, args=(rec,))
    runner.start()
    while not session.paused:
        time.sleep(0.01)
    session.stop()
    runner.join(10)
    assert not runner.is_alive() and rec.finish.status == "stopped"


def test_lr_change_is_recorded_and_applied(small):
    session = TrainingSession(TINY, small, TrainConfig(epochs=1, batch_size=50, lr=1e-3, snapshot_interval_s=0))
    rec = Recorder(on_batch=lambda s: session.set_lr(5e-4) if s.step == 5 else None)
    finish = session.run(rec)
    assert [(c.step, c.old_lr, c.new_lr) for c in rec.changes] == [(5, 1e-3, 5e-4)]
    assert finish.lr_changes == tuple(rec.changes)
    assert rec.batches[4].lr == 1e-3 and all(b.lr == 5e-4 for b in rec.batches[5:])
    with pytest.raises(ValueError):
        session.set_lr(-1)


def test_divergence_detected_and_good_weights_restored(small):
    rec = Recorder()
    session = TrainingSession(PRESETS["seed000"].spec, small,
                              TrainConfig(optimizer="sgd", lr=100, momentum=0.9, epochs=2, batch_size=50,
                                          snapshot_interval_s=0))
    finish = session.run(rec)
    assert finish.status == "diverged"
    assert rec.errors and rec.errors[0].kind == "divergence" and "restored" in rec.errors[0].message
    assert all(torch.isfinite(p).all() for p in session.model.parameters())


def test_silent_collapse_is_caught(sample):
    # Measured here: SGD with lr 10 never learns; the loss sits at or above chance (ln 10 ≈ 2.30).
    rec = Recorder()
    session = TrainingSession(PRESETS["seed000"].spec, sample,
                              TrainConfig(optimizer="sgd", lr=10, momentum=0.0, epochs=4, batch_size=64,
                                          snapshot_interval_s=0))
    finish = session.run(rec)
    assert finish.status == "diverged" and "chance" in finish.message
    assert finish.step < 4 * 70


def test_same_seed_same_weights(small):
    def train(seed):
        s = TrainingSession(TINY, small, TrainConfig(epochs=1, batch_size=100, seed=seed, threads=1, augment=True,
                                                     snapshot_interval_s=0))
        s.run()
        return [p.detach().clone() for p in s.model.parameters()]

    a, b, c = train(7), train(7), train(8)
    assert all(torch.equal(x, y) for x, y in zip(a, b))
    assert not all(torch.equal(x, y) for x, y in zip(a, c))


def test_snapshots_are_immutable_copies(small):
    rec = Recorder()
    session = TrainingSession(TINY, small, TrainConfig(epochs=1, batch_size=50, snapshot_interval_s=0.01))
    session.run(rec)
    keep = [s for s in rec.snapshots if s.keep]
    assert keep[0].step == 0 and keep[-1].epoch == 1.0 and len(keep) >= 3
    last = rec.snapshots[-1]
    weight = last.state["conv1.weight"]
    assert isinstance(weight, np.ndarray) and not weight.flags.writeable
    before = weight.copy()
    with torch.no_grad():
        session.model.conv1.weight.add_(1.0)
    assert np.array_equal(weight, before)
    for stats in rec.epochs:
        assert not stats.confusion.flags.writeable
    assert all(isinstance(b.loss, float) for b in rec.batches)


def test_config_and_data_errors_are_reported(small, sample):
    rec = Recorder()
    spec = PRESETS["cifar-vgg-small"].spec
    finish = TrainingSession(spec, small, TrainConfig(epochs=1)).run(rec)
    assert finish.status == "failed" and "3×32×32" in finish.message and rec.errors[0].kind == "config"
    test_only = Dataset(sample.info, None, sample.test, "test only")
    finish = TrainingSession(TINY, test_only, TrainConfig(epochs=1)).run(Recorder())
    assert finish.status == "failed" and "no training images" in finish.message
    finish = TrainingSession(TINY, small, TrainConfig(epochs=1, optimizer="rmsprop")).run(Recorder())
    assert finish.status == "failed" and "optimizer" in finish.message


def test_out_of_memory_is_reported_clearly(small, monkeypatch):
    def explode(self, *args, **kwargs):
        raise RuntimeError("[enforce fail at alloc_cpu.cpp:117] DefaultCPUAllocator: can't allocate memory: "
                           "you tried to allocate 99999999999 bytes")

    monkeypatch.setattr(torch.nn.Linear, "forward", explode)
    rec = Recorder()
    finish = TrainingSession(TINY, small, TrainConfig(epochs=1, snapshot_interval_s=0)).run(rec)
    assert finish.status == "failed" and rec.errors[0].kind == "out_of_memory"
    assert "batch size" in rec.errors[0].message


@pytest.mark.parametrize("schedule", ["none", "step", "cosine", "onecycle"])
def test_schedules(schedule):
    cfg = TrainConfig(epochs=9, schedule=schedule)
    factors = [lr_factor(schedule, s, 900, 100, cfg) for s in range(0, 900, 50)]
    assert all(0 < f <= 1.0 for f in factors)
    if schedule != "none":
        assert factors[-1] < factors[0] or schedule == "onecycle"
    if schedule == "onecycle":
        assert max(factors) > factors[0] and factors[-1] < 0.05


def test_checkpoint_round_trip_and_exact_resume(small, tmp_path):
    cfg = {"batch_size": 100, "lr": 1e-3, "seed": 3, "threads": 1, "augment": True, "snapshot_interval_s": 0}
    full = TrainingSession(TINY, small, TrainConfig(epochs=3, **cfg))
    full.run()

    first = TrainingSession(TINY, small, TrainConfig(epochs=2, **cfg))
    first.run()
    path = tmp_path / "model.safetensors"
    save_checkpoint(path, first.checkpoint())
    ckpt = load_checkpoint(path)
    assert ckpt.spec == TINY and ckpt.epoch == 2 and ckpt.step == 20 and len(ckpt.history) == 2
    assert ckpt.class_names == tuple(str(i) for i in range(10)) and ckpt.dataset == "mnist-sample"
    assert ckpt.history[1].confusion.sum() == 200
    assert all(torch.equal(torch.as_tensor(ckpt.state[k]), v) for k, v in first.model.state_dict().items())

    resumed = TrainingSession(TINY, small, TrainConfig(epochs=3, **cfg), resume=ckpt)
    finish = resumed.run()
    assert finish.epochs_done == 3 and len(finish.history) == 3
    for (name, a), b in zip(full.model.state_dict().items(), resumed.model.state_dict().values()):
        assert torch.equal(a, b), name


class _Evil:
    def __init__(self, target):
        self.target = target

    def __reduce__(self):
        return (os.system, (f"touch {self.target}",))


def test_pickle_checkpoint_is_refused_without_running_it(tmp_path):
    target = tmp_path / "pwned"
    evil = tmp_path / "evil.pt"
    with open(evil, "wb") as handle:
        pickle.dump({"state_dict": _Evil(target)}, handle)
    torch_style = tmp_path / "evil2.pt"
    torch.save({"x": _Evil(target)}, torch_style)
    for path in (evil, torch_style):
        with pytest.raises(CheckpointError, match="not a ConvScope model"):
            load_checkpoint(path)
    assert not target.exists()


def test_truncated_and_empty_checkpoints(small, tmp_path):
    session = TrainingSession(TINY, small, TrainConfig(epochs=1, snapshot_interval_s=0))
    session.run()
    good = tmp_path / "good.safetensors"
    save_checkpoint(good, session.checkpoint())
    data = good.read_bytes()
    truncated = tmp_path / "truncated.safetensors"
    truncated.write_bytes(data[: len(data) // 2])
    with pytest.raises(CheckpointError, match="truncated|corrupt"):
        load_checkpoint(truncated)
    empty = tmp_path / "empty.safetensors"
    empty.write_bytes(b"")
    with pytest.raises(CheckpointError, match="empty"):
        load_checkpoint(empty)
    with pytest.raises(CheckpointError, match="cannot read"):
        load_checkpoint(tmp_path / "missing.safetensors")


def test_atomic_save_keeps_the_old_file_on_failure(small, tmp_path, monkeypatch):
    session = TrainingSession(TINY, small, TrainConfig(epochs=1, snapshot_interval_s=0))
    session.run()
    path = tmp_path / "m.safetensors"
    save_checkpoint(path, session.checkpoint())
    before = path.read_bytes()
    import engine.io.fileio as module

    def broken(fd):
        raise OSError("disk full")  # the temp file is partly written when the disk fills

    monkeypatch.setattr(module.os, "fsync", broken)
    with pytest.raises(OSError):
        save_checkpoint(path, session.checkpoint())
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["m.safetensors"]


def test_a_batch_beyond_the_memory_budget_is_refused_before_training(small):
    from engine.model.budget import MAX_BATCH_ACTIVATION_BYTES, fitting_batch_size
    from engine.model.shapes import analyze
    from engine.training.checks import TrainingError, check_can_train

    big = NetworkSpec.from_dict({"input": [1, 512, 512], "layers": [
        {"type": "conv2d", "out_channels": 32, "kernel_size": 3, "padding": 1}, {"type": "relu"},
        {"type": "adaptiveavgpool2d", "output_size": 1}, {"type": "flatten"},
        {"type": "linear", "out_features": 10}]})
    report = analyze(big)
    assert report.ok  # one image fits the per-image budget
    with pytest.raises(TrainingError, match="use a batch size of at most"):
        check_can_train(big, small, TrainConfig(batch_size=100))
    fitting = fitting_batch_size(report, 100, training=True)
    assert 1 <= fitting < 100
    assert 2 * fitting * report.total_activation_bytes <= MAX_BATCH_ACTIVATION_BYTES
