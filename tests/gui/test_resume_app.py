"""Training → Resume Saved Run in the app: train N epochs, save, open, resume M more, and the weights
are those of an uninterrupted N+M run (as ``main.py train --resume`` guarantees)."""

from __future__ import annotations

import numpy as np
import pytest

from tests.gui.test_runs_panel import tiny_window

pytestmark = pytest.mark.slow


@pytest.fixture
def window(ready_window):
    return tiny_window(ready_window, lr=0.01, seed=7)


def _train(qtbot, window, start) -> dict:
    panel = window.training
    assert start()
    qtbot.waitUntil(lambda: not panel.controller.running, timeout=120000)  # a hang guard
    assert panel.finish_info is not None and panel.finish_info.status == "completed", panel.banner.label.text()
    return {k: np.asarray(v).copy() for k, v in panel.controller.result.checkpoint().state.items()}


def test_resume_in_the_app_equals_an_uninterrupted_run(window, qtbot, tmp_path):
    panel = window.training
    panel.epochs_spin.setValue(3)
    full = _train(qtbot, window, panel.start)

    panel.epochs_spin.setValue(2)
    _train(qtbot, window, panel.start)
    path = tmp_path / "two.safetensors"
    assert window.save_model(str(path))
    window.new_file()
    assert window.open_model(str(path))
    assert window.menus.resume_action.isEnabled()
    assert panel.epochs_spin.value() == 2  # the saved settings: Epochs now counts the epochs more
    panel.epochs_spin.setValue(1)
    resumed = _train(qtbot, window, lambda: (window.menus.resume_action.trigger(), panel.controller.running)[1])
    assert panel.start_info.start_epoch == 2 and panel.finish_info.epochs_done == 3
    assert window.plots.epoch_count == 3  # the saved curves, then the new epoch
    assert resumed.keys() == full.keys()
    for name, value in full.items():
        assert np.array_equal(value, resumed[name]), name


def test_resume_refuses_with_a_reason(window, qtbot, tmp_path):
    panel = window.training
    assert not window.document.resume()
    assert "no model to resume" in panel.banner.label.text()
    panel.epochs_spin.setValue(1)
    _train(qtbot, window, panel.start)
    panel.seed_spin.setValue(8)
    assert not window.document.resume()
    assert "the seed cannot change when resuming" in panel.banner.label.text()
    assert not panel.controller.running
