"""What the Why view, filter card, drill-down and maximisation tests share: the bundled sample,
seed000 trained for one epoch (once per session), a ready window, and a fixture that waits for the
window's background jobs."""

from __future__ import annotations

import functools

import pytest


@functools.cache
def sample_data():
    """The bundled MNIST sample (loaded once per test session)."""
    from engine.data.loading import load_dataset

    return load_dataset("mnist-sample")


@functools.cache
def trained_weights():
    """seed000 after one epoch on the bundled sample (trained once per test session, a few seconds)."""
    from engine.model.presets import PRESETS
    from engine.training.events import TrainConfig
    from engine.training.session import TrainingSession, state_to_numpy

    session = TrainingSession(PRESETS["seed000"].spec, sample_data(),
                              TrainConfig(epochs=1, batch_size=64, optimizer="adam", lr=1e-3, snapshot_interval_s=0,
                                          seed=0))
    assert session.run().status == "completed"
    return state_to_numpy(session.model)


def prepare_window(monkeypatch, window, trained: bool = True):
    """A ready main window on the bundled sample, trained weights if asked; returns the dataset."""
    data = sample_data()
    window.state.set_dataset_info(data.info)
    window.draw.set_dataset(data)
    if trained:
        window.state.set_weights(trained_weights())
    return data


@pytest.fixture
def jobs_done(ready_window):
    """At the test's end, the window's background jobs are cancelled and waited for."""
    yield ready_window
    if ready_window.insight is not None:
        assert ready_window.insight.shutdown(60000)
