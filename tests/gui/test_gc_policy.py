"""Cyclic garbage holding Qt objects is collected in the GUI thread, never in a worker thread."""

from __future__ import annotations

import gc
import threading
import weakref

from PySide6.QtCore import QObject

from gui import gc_policy


class Holder:
    obj: QObject
    me: Holder


def cyclic_qobject(deaths: list[str]) -> None:
    """A QObject kept alive only by a reference cycle; its collection records the thread it ran in."""
    holder = Holder()
    holder.obj = QObject()
    holder.me = holder  # the cycle: only the cyclic collector frees it (and the QObject with it)
    weakref.finalize(holder, lambda: deaths.append(threading.current_thread().name))


def allocate_in_worker() -> None:
    """Allocate enough containers in another thread to cross every automatic-collection threshold."""
    def churn() -> None:
        for _ in range(50):
            junk = [[i] for i in range(2_000)]
            del junk

    worker = threading.Thread(target=churn, name="worker")
    worker.start()
    worker.join()


def test_a_collection_in_a_worker_thread_destroys_qt_garbage_there():
    """The hazard the policy removes: whichever thread collects runs the Qt destructors."""
    gc.collect()  # earlier garbage goes now, in this thread
    deaths: list[str] = []
    cyclic_qobject(deaths)
    worker = threading.Thread(target=gc.collect, name="worker")
    worker.start()
    worker.join()
    assert deaths == ["worker"]


def test_the_gui_collector_stops_automatic_collection_and_collects_in_its_own_thread(qtbot):
    gc.collect()  # nothing of earlier tests left for another thread to find while collection is on
    gc.enable()
    collector = gc_policy.GuiGarbageCollector(interval_ms=20)
    try:
        assert not gc.isenabled()
        deaths: list[str] = []
        cyclic_qobject(deaths)
        allocate_in_worker()
        assert deaths == []  # the worker's allocations started no collection
        for _ in range(2 * gc.get_threshold()[0]):  # more cyclic garbage: a collection is due
            loop: list = []
            loop.append(loop)
        # collected by a GUI-thread timer: this one, or the app's own once a main window made it
        qtbot.waitUntil(lambda: deaths == [threading.current_thread().name], timeout=2_000)
    finally:
        collector.timer.stop()
        collector.deleteLater()
    gc.disable()


def test_collections_follow_the_thresholds_and_full_ones_are_spaced(monkeypatch):
    collector = gc_policy.GuiThreadCollector(thresholds=(10, 2, 2))
    counts = iter([(5, 0, 0), (11, 0, 0), (11, 3, 0), (11, 3, 3), (11, 3, 3)])
    monkeypatch.setattr(gc, "get_count", lambda: next(counts))
    collected: list[int] = []
    monkeypatch.setattr(gc, "collect", lambda generation=2: collected.append(generation) or 0)
    clock = iter([100.0, 100.0 + gc_policy.FULL_EVERY_S, 100.0 + gc_policy.FULL_EVERY_S + 1])
    monkeypatch.setattr(gc_policy.time, "monotonic", lambda: next(clock))
    collector._last_full = 100.0 - gc_policy.FULL_EVERY_S
    results = [collector.collect_due() for _ in range(5)]
    # nothing due; generation 0; generation 1; full (5 s since the last); full again too soon → 1
    assert results == [None, 0, 1, 2, 1] and collected == [0, 1, 2, 1]
    assert collector.collections == [1, 2, 1]


def test_the_main_window_installs_the_collector_once(main_window):
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    assert len(app.findChildren(gc_policy.GuiGarbageCollector)) == 1
    assert gc_policy.install(app) is app.findChild(gc_policy.GuiGarbageCollector)
    assert not gc.isenabled()
