"""The Runs panel through its widgets: runs trained in the app are recorded and listed, sorted,
filtered, renamed, annotated, overlaid, compared, opened and deleted; bad runs and an unwritable
runs folder are explained, never a traceback."""

from __future__ import annotations

import pytest

from tests.gui.test_gui_training import TINY

pytestmark = pytest.mark.slow


@pytest.fixture
def runs_root(tmp_path, monkeypatch):
    root = tmp_path / "runs"
    monkeypatch.setenv("CONVSCOPE_RUNS_DIR", str(root))
    return root


def tiny_window(window, **spins):
    """``window`` set to train the tiny network on the bundled sample with Adam, batches of 128,
    and the panel's ``<name>_spin`` values given."""
    window.state.set_spec(TINY)
    window.state.undo_stack.clear()
    panel = window.training
    panel.select_dataset("mnist-sample")
    panel.optimizer_combo.setCurrentText("adam")
    for name, value in {"batch": 128, "epochs": 1, **spins}.items():
        getattr(panel, f"{name}_spin").setValue(value)
    return window


@pytest.fixture
def window(runs_root, ready_window):
    return tiny_window(ready_window)


def train(qtbot, window, lr: float) -> None:
    panel = window.training
    panel.lr_spin.setValue(lr)
    assert panel.start()
    qtbot.waitUntil(lambda: not panel.controller.running, timeout=120000)  # a hang guard
    assert panel.finish_info is not None and panel.finish_info.status == "completed"


def wait_listed(qtbot, runs, count: int) -> None:
    qtbot.waitUntil(lambda: not runs.runner.is_running() and runs.model.rowCount() == count, timeout=20000)


def test_runs_trained_in_the_app_are_listed_and_handled_in_the_panel(window, qtbot, runs_root, monkeypatch):
    runs = window.runs.panel
    assert window.training.runs_dir == runs_root and str(runs_root) in runs.folder_label.text()
    train(qtbot, window, 0.01)
    assert window.training.record_path is not None and window.training.record_path.startswith(str(runs_root))
    wait_listed(qtbot, runs, 1)
    train(qtbot, window, 0.002)
    wait_listed(qtbot, runs, 2)
    texts = [[runs.proxy.index(r, c).data() for c in range(9)] for r in range(2)]
    for row in texts:
        assert row[1:4] == ["tiny", "mnist-sample", "1"] and row[7] == "completed" and row[4].endswith("%")

    runs.filter_edit.setText("no such run")
    assert runs.proxy.rowCount() == 0
    runs.filter_edit.setText("TINY")  # any column, any case
    assert runs.proxy.rowCount() == 2

    # rename inline: the name column is edited through the model, written to the run
    index = runs.proxy.index(0, 0)
    assert runs.proxy.setData(index, "first try")
    runs.refresh()
    wait_listed(qtbot, runs, 2)
    assert "first try" in [runs.proxy.index(r, 0).data() for r in range(2)]

    runs.select_rows(0, 1)
    names = sorted(o.name for o in window.plots.overlays.overlays)
    assert len(names) == 2 and "first try" in names  # overlaid, named in the legends
    assert all(len(o.epochs) == 1 for o in window.plots.overlays.overlays)
    dialog = runs.compare_selected()
    settings = {row[0]: row[1:] for row in dialog.comparison.settings}
    assert "lr" in settings and dialog.settings_table.rowCount() == len(dialog.comparison.settings)
    assert dialog.layers_table.rowCount() == len(dialog.comparison.layers)
    dialog.close()

    runs.select_rows(0)
    assert not window.plots.overlays.overlays  # one run: no overlays
    assert runs.edit_notes("kernel 3, adam")
    wait_listed(qtbot, runs, 2)
    assert "kernel 3, adam" in [run.notes for run in runs.model.runs]

    window.new_file()
    runs.select_rows(0)
    run = runs.selected_runs()[0]
    runs.buttons["open"].click()
    assert window.state.spec == TINY and window.state.weights is not None
    assert window.document.loaded_checkpoint.epoch == 1
    assert window.document.model_path is None  # Save Model does not offer the run's own file

    # resume from the panel: the run opens and trains one epoch more, recorded as a new run
    runs.select_rows(0)
    runs.buttons["resume"].click()
    assert window.training.controller.running
    qtbot.waitUntil(lambda: not window.training.controller.running, timeout=120000)  # a hang guard
    assert window.training.finish_info.epochs_done == 2 and window.training.start_info.start_epoch == 1
    wait_listed(qtbot, runs, 3)
    assert sorted(run.epochs for run in runs.model.runs) == [1, 1, 2]

    asked = []
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a) or QMessageBox.StandardButton.No)
    runs.select_rows(0)
    run = runs.selected_runs()[0]
    assert runs.delete_selected() == 0 and asked and run.path.exists()  # asks first; No keeps it
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    runs.select_rows(0)
    assert runs.delete_selected() == 1 and not run.path.exists()
    wait_listed(qtbot, runs, 2)


def test_a_damaged_run_is_listed_with_its_reason(window, qtbot, runs_root):
    bad = runs_root / "20260101-000000-bad"
    bad.mkdir(parents=True)
    (bad / "manifest.json").write_text("{ not json")
    runs = window.runs.panel
    runs.refresh()
    wait_listed(qtbot, runs, 1)
    status = runs.proxy.index(0, 7).data()
    assert status.startswith("damaged: ")
    runs.select_rows(0)
    window.document.ask_to_save = False
    assert not window.runs.open_run(bad)
    assert "Cannot open" in window.training.banner.label.text()


def test_an_unwritable_runs_folder_still_trains_and_says_why_once(window, qtbot, tmp_path):
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder")
    window.runs.set_folder(str(blocker))
    assert window.training.runs_dir == blocker
    train(qtbot, window, 0.01)
    text = window.training.banner.label.text()
    assert window.training.record_path is None and "not recorded" in text and "trains anyway" in text


def test_recording_that_stops_mid_run_says_why_and_the_run_completes(window, qtbot, monkeypatch):
    from engine.io.run_recorder import RunRecorder

    original = RunRecorder.on_epoch

    def full_disk(self, stats):
        original(self, stats)
        self.problem = "recording stopped: cannot write (No space left on device)"

    monkeypatch.setattr(RunRecorder, "on_epoch", full_disk)
    train(qtbot, window, 0.01)
    qtbot.waitUntil(lambda: "No space left" in window.training.banner.label.text(), timeout=5000)
    assert "it trains anyway" in window.training.banner.label.text()


def test_opening_a_run_shows_its_layer_statistics(window, qtbot, runs_root):
    runs = window.runs.panel
    train(qtbot, window, 0.01)
    wait_listed(qtbot, runs, 1)
    recorded = len(window.layers_view.history)
    assert recorded > 0 and (runs_root / runs.model.run(0).path.name / "layer_stats.npz").is_file()
    window.layers_view.set_history(type(window.layers_view.history)(), "")  # as after New
    window.ask_to_save = False
    assert window.runs.open_run(runs.model.run(0).path)
    assert len(window.layers_view.history) == recorded and window.layers_view.source.endswith("layer_stats.npz")
