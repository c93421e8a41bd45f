"""A stop takes effect between batches everywhere: in training, in the epoch's evaluation and in the
cold start (the latencies are timed in bench/stop_bench.py; the timeouts here only guard against hangs)."""

from __future__ import annotations

import threading

import pytest
import torch

from engine.data.loading import load_dataset
from engine.data.splits import Dataset, Split
from engine.model.spec import NetworkSpec
from engine.training import warmup
from engine.training.evaluate import EvaluationStopped, evaluate
from engine.training.events import NullReporter, TrainConfig
from engine.training.session import TrainingSession

TINY = NetworkSpec.from_dict({"name": "tiny", "input": [1, 28, 28], "num_classes": 10, "layers": [
    {"type": "conv2d", "out_channels": 4, "kernel_size": 3}, {"type": "relu"},
    {"type": "maxpool2d", "kernel_size": 2}, {"type": "flatten"}, {"type": "linear", "out_features": 10}]})


@pytest.fixture(scope="module")
def small():
    sample = load_dataset("mnist-sample")
    return Dataset(sample.info, Split(sample.train.images[:500], sample.train.labels[:500]),
                   Split(sample.test.images[:400], sample.test.labels[:400]), sample.source)


def test_evaluate_asks_before_every_batch():
    model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(784, 10))
    images, labels = torch.zeros(100, 1, 28, 28, dtype=torch.uint8), torch.zeros(100, dtype=torch.int64)
    asked = []
    with pytest.raises(EvaluationStopped):
        evaluate(model, images, labels, (0.0,), (1.0,), 10, batch_size=10,
                 should_stop=lambda: asked.append(1) or len(asked) > 3)
    assert len(asked) == 4 and model.training  # three batches ran; the mode is put back
    assert evaluate(model, images, labels, (0.0,), (1.0,), 10, batch_size=10, should_stop=lambda: False).count == 100


def test_a_stop_at_an_epochs_last_batch_cuts_its_evaluation_short(small):
    class StopAtEpochEnd(NullReporter):
        def on_batch(self, stats):
            if stats.batch == stats.batches_per_epoch:
                session.stop()

    session = TrainingSession(TINY, small, TrainConfig(epochs=3, batch_size=50, snapshot_interval_s=0))
    finish = session.run(StopAtEpochEnd())
    assert finish.status == "stopped" and finish.epochs_done == 1 and finish.step == 10
    assert finish.history[0].test_accuracy is None and finish.test_accuracy is None  # not evaluated
    assert "epoch 1's evaluation was cut short" in finish.message


def test_a_stop_during_the_cold_start_does_not_wait_for_it(small, monkeypatch):
    never = threading.Event()  # a warm-up that would take forever
    monkeypatch.setattr(warmup, "_done", never)
    monkeypatch.setattr(warmup, "_started", True)
    session = TrainingSession(TINY, small, TrainConfig(epochs=1, snapshot_interval_s=0))
    result = []
    runner = threading.Thread(target=lambda: result.append(session.run()))
    runner.start()
    threading.Timer(0.05, session.stop).start()
    runner.join(30)
    assert not runner.is_alive() and result[0].status == "stopped" and result[0].step == 0


def test_the_warm_up_finishes_on_its_own():
    assert warmup.wait_warm(threading.Event()) is True
