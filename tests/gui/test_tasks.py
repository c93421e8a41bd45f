"""gui.tasks: the throttle coalesces requests; the task runner works off the GUI thread and
delivers on it, drops a cancelled task's result, turns exceptions into messages, keeps progress monotonic."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import threading  # noqa: E402
import time  # noqa: E402

from PySide6.QtCore import QThread  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from gui.tasks import TaskCancelled, TaskRunner, Throttle, error_message  # noqa: E402


def gui_thread() -> QThread:
    return QApplication.instance().thread()


def test_result_arrives_on_the_gui_thread_and_the_work_ran_elsewhere(qtbot):
    runner = TaskRunner()
    seen = {}

    def work(a, b, *, progress, cancelled):
        seen["worker"] = threading.get_ident()
        return a + b

    received = []
    runner.finished.connect(lambda result: received.append((result, QThread.currentThread() is gui_thread())))
    with qtbot.waitSignal(runner.finished, timeout=5000):
        runner.start(work, 2, 3)
    assert received == [(5, True)]
    assert seen["worker"] != threading.get_ident()
    assert not runner.is_running()


def test_a_new_request_cancels_the_previous_one_and_drops_its_result(qtbot):
    runner = TaskRunner()
    release = threading.Event()
    saw_cancel = threading.Event()

    def slow(tag, *, progress, cancelled):
        release.wait(5)
        if cancelled():
            saw_cancel.set()
        return tag

    def fast(tag, *, progress, cancelled):
        return tag

    results = []
    runner.finished.connect(results.append)
    runner.start(slow, "old")
    runner.start(fast, "new")  # cancels "old", which is still blocked
    release.set()
    qtbot.waitUntil(lambda: results == ["new"], timeout=5000)
    runner.wait(5000)
    qtbot.wait(50)  # let any late signal of the old task arrive
    assert results == ["new"] and saw_cancel.is_set()


def test_an_exception_becomes_a_one_line_error(qtbot):
    runner = TaskRunner()

    def broken(*, progress, cancelled):
        raise ValueError("the model does not fit\n  this dataset")

    finished = []
    runner.finished.connect(finished.append)
    with qtbot.waitSignal(runner.failed, timeout=5000) as blocker:
        runner.start(broken)
    assert blocker.args == ["the model does not fit this dataset"]
    assert "Traceback" not in blocker.args[0] and not finished
    assert error_message(KeyError()) == "KeyError"


def test_progress_is_clamped_and_never_goes_back(qtbot):
    runner = TaskRunner()

    def jittery(*, progress, cancelled):
        for value in (0.0, 0.2, 0.1, 0.5, 0.5, 0.4, 1.5):
            progress(value)
        return "done"

    values = []
    runner.progress.connect(values.append)
    with qtbot.waitSignal(runner.finished, timeout=5000):
        runner.start(jittery)
    assert values == [0.0, 0.2, 0.5, 1.0]


def test_cancel_from_inside_ends_quietly(qtbot):
    runner = TaskRunner()
    states = []
    runner.running.connect(states.append)

    def gives_up(*, progress, cancelled):
        raise TaskCancelled

    runner.start(gives_up)
    qtbot.waitUntil(lambda: not runner.is_running(), timeout=5000)
    assert states == [True, False]


def test_throttle_coalesces_a_burst_into_one_call(qtbot):
    calls = []
    throttle = Throttle(lambda: calls.append(time.perf_counter()), 100, leading=False)
    start = time.perf_counter()
    for _ in range(10):
        throttle.request()
    assert throttle.pending() and not calls
    qtbot.waitUntil(lambda: len(calls) == 1, timeout=2000)
    assert calls[0] - start >= 0.09
    qtbot.wait(150)
    assert len(calls) == 1  # ten requests, one call
    throttle.request()
    throttle.flush()
    assert len(calls) == 2 and not throttle.pending()
