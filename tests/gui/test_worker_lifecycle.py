"""The training controller on its own: what a run leaves behind once its thread has finished."""

from __future__ import annotations

import weakref

import pytest

from engine.model.spec import NetworkSpec
from engine.training.events import TrainConfig
from gui.training.jobs import RunResult, cpu_copy
from gui.training.worker import DataRequest, Job, TrainingController, TrainingWorker

# the smallest useful network (a shared fixture in tests/conftest.py would serve every test file)
TINY = NetworkSpec.from_dict({"name": "tiny", "input": [1, 28, 28], "num_classes": 10, "layers": [
    {"type": "conv2d", "out_channels": 2, "kernel_size": 3}, {"type": "relu"}, {"type": "maxpool2d", "kernel_size": 2},
    {"type": "flatten"}, {"type": "linear", "out_features": 10}]})
SAMPLE = DataRequest("mnist-sample")


def _config(**changes) -> TrainConfig:
    return TrainConfig(**{"optimizer": "adam", "batch_size": 256, "epochs": 1, "threads": 1, **changes})


def _finish(qtbot, controller: TrainingController) -> None:
    """Wait for the worker thread to end (a hang guard) and run the deleteLater()s it left."""
    from PySide6.QtCore import QCoreApplication, QEvent

    qtbot.waitUntil(lambda: not controller.running, timeout=60000)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def controller(qtbot):
    controller = TrainingController()
    yield controller
    controller.shutdown(5.0)


def test_no_signal_hides_a_qobject_method():
    """A signal named like a QObject virtual (``event``) hides it, and PySide then keeps the
    worker alive forever: every Qt event it gets leaks a reference."""
    from PySide6.QtCore import QObject, Signal

    for cls in (TrainingWorker, TrainingController):
        signals = [name for name, value in vars(cls).items() if isinstance(value, Signal)]
        assert signals and not [name for name in signals if hasattr(QObject, name)], cls


def test_a_finished_run_keeps_only_its_checkpoint(controller, qtbot):
    from engine.training.run_state import Checkpoint
    from engine.training.session import TrainingSession

    finished = []
    controller.finished.connect(finished.append)
    assert controller.start(Job(TINY, SAMPLE, _config()))
    worker, thread = weakref.ref(controller.worker), weakref.ref(controller.thread)
    assert controller.checkpoint() is None  # nothing to save while it trains
    _finish(qtbot, controller)
    assert finished and finished[0].status == "completed"
    assert worker() is None and thread() is None and controller.worker is None
    result = controller.session
    assert isinstance(result, RunResult) and result is controller.result
    assert not isinstance(result, TrainingSession)
    checkpoint = controller.checkpoint()
    assert isinstance(checkpoint, Checkpoint) and checkpoint is result.checkpoint()
    assert checkpoint.step == finished[0].step and checkpoint.epoch == 1
    assert result.model is checkpoint.state and "conv1.weight" in result.model
    assert all(t.device.type == "cpu" for t in checkpoint.state.values())
    moments = [v for state in checkpoint.optimizer["state"].values() for v in state.values() if hasattr(v, "device")]
    assert moments and all(t.device.type == "cpu" for t in moments)
    # a data-only job keeps the result; the next training run drops it when it starts
    assert controller.start(Job(TINY, SAMPLE, TrainConfig(), train=False))
    _finish(qtbot, controller)
    assert controller.result is result
    assert controller.start(Job(TINY, SAMPLE, _config(epochs=200)))
    assert controller.result is None
    controller.stop()  # at once: a result of its own (a few steps at most) or none
    _finish(qtbot, controller)
    assert controller.result is not result


def test_pause_saves_the_live_run_and_a_failed_run_leaves_nothing(controller, qtbot):
    from engine.training.session import TrainingSession

    assert controller.start(Job(TINY, SAMPLE, _config(epochs=200)))
    qtbot.waitUntil(lambda: isinstance(controller.session, TrainingSession)
                    and controller.session.step > 0, timeout=60000)
    controller.pause()
    checkpoint = controller.checkpoint()
    assert checkpoint is not None and checkpoint.step > 0
    controller.resume()
    controller.stop()
    _finish(qtbot, controller)
    assert controller.result is not None
    failed = []
    controller.failed.connect(failed.append)
    wrong = TINY.replace(num_classes=3, layers=[*TINY.layers[:-1], {"type": "linear", "out_features": 3}])
    assert controller.start(Job(wrong, SAMPLE, _config()))
    _finish(qtbot, controller)
    assert failed and failed[0].kind == "config"
    assert controller.session is None and controller.result is None and controller.checkpoint() is None


def test_cpu_copy_keeps_the_structure():
    import torch

    state = {"state": {0: {"step": torch.tensor(3.0), "exp_avg": torch.ones(2)}}, "param_groups": [{"lr": 0.1}]}
    copied = cpu_copy(state)
    assert copied["param_groups"] == [{"lr": 0.1}]
    assert torch.equal(copied["state"][0]["exp_avg"], torch.ones(2)) and copied["state"][0]["step"].item() == 3.0
    assert cpu_copy((1, "a", None)) == (1, "a", None)
