"""50 training runs started and stopped in the window: nothing of a finished run stays alive but
its results (the worker, its thread, the session, model and optimizer all go), and the process
does not grow with the runs. bench/gui_bench.py measures the growth per run."""

from __future__ import annotations

import ctypes
import gc
import os
import weakref

import pytest

from engine.model.spec import NetworkSpec

pytestmark = pytest.mark.slow

CYCLES = 50
MAX_GROWTH_MB = 50.0

# the smallest useful network (a shared fixture in tests/conftest.py would serve every test file)
TINY = NetworkSpec.from_dict({"name": "tiny", "input": [1, 28, 28], "num_classes": 10, "layers": [
    {"type": "conv2d", "out_channels": 4, "kernel_size": 3}, {"type": "relu"}, {"type": "maxpool2d", "kernel_size": 2},
    {"type": "flatten"}, {"type": "linear", "out_features": 10}]})


def rss_mb() -> float:
    """This process's resident memory (MB), from /proc/self/statm, after a full collection and,
    under glibc, malloc_trim: freed heap the allocator merely keeps for later does not count."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def run_deferred_deletes() -> None:
    from PySide6.QtCore import QCoreApplication, QEvent

    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def start_and_stop(window, qtbot) -> dict[str, weakref.ref]:
    """One run, stopped after a few batches; weak references to what it was made of."""
    panel, controller = window.training, window.training.controller
    assert panel.start(), panel.start_blocker()
    qtbot.waitUntil(lambda: window.plots.batch_count >= 2, timeout=30000)
    session = controller.session
    assert session.model is not None and session.optimizer is not None  # the live TrainingSession
    refs = {name: weakref.ref(obj) for name, obj in (
        ("TrainingWorker", controller.worker), ("QThread", controller.thread), ("TrainingSession", session),
        ("model", session.model), ("optimizer", session.optimizer))}
    del session
    panel.stop()
    # a hang guard only; bench/stop_bench.py times stopping
    qtbot.waitUntil(lambda: not controller.running and not window.plots.pending, timeout=30000)
    assert panel.finish_info is not None and panel.finish_info.status == "stopped", panel.error_info
    return refs


@pytest.fixture
def window(ready_window):
    ready_window.state.set_spec(TINY)
    panel = ready_window.training
    panel.select_dataset("mnist-sample")
    panel.optimizer_combo.setCurrentText("adam")
    panel.batch_spin.setValue(64)
    panel.epochs_spin.setValue(200)  # never reached: every run is stopped
    return ready_window


def test_fifty_runs_leave_nothing_but_their_results(window, qtbot, tmp_path):
    from engine.training.session import TrainingSession

    survivors: list[str] = []
    baseline = 0.0
    # Without the cyclic collector (the app runs it only in the GUI thread, between events), so what a run
    # leaves must go by reference counting alone: promptly, and without a reference cycle.
    collecting = gc.isenabled()
    gc.disable()
    try:
        for cycle in range(CYCLES):
            refs = start_and_stop(window, qtbot)
            run_deferred_deletes()
            if cycle == 0:
                # The first run loads the data and warms torch up, once for all; its first
                # optimizer imports torch._dynamo, whose import frames hold the run's stack in a
                # reference cycle until a collection (rss_mb collects).
                baseline = rss_mb()
            survivors += [f"{name} of run {cycle + 1}" for name, ref in refs.items() if ref() is not None]
    finally:
        if collecting:
            gc.enable()
    growth = rss_mb() - baseline
    print(f"{CYCLES} runs: RSS {baseline:.0f} → {baseline + growth:.0f} MB ({growth / (CYCLES - 1):+.2f} MB a run)")
    assert survivors == []
    assert not any(type(obj) is TrainingSession for obj in gc.get_objects())
    assert growth <= MAX_GROWTH_MB, f"RSS grew {growth:.0f} MB over {CYCLES - 1} runs"
    # the results stay: the last run's weights for the viewers, its checkpoint for Save Model
    assert window.state.weights is not None
    checkpoint = window.training.checkpoint()
    assert checkpoint is not None and checkpoint.step == window.training.finish_info.step
    assert all(t.device.type == "cpu" for t in checkpoint.state.values())
    assert window.save_model_action.isEnabled()
    assert window.save_model(str(tmp_path / "last.safetensors"))
