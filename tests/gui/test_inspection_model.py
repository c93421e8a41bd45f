"""The shared inspection model: engine part (lazy, eval mode, untrained fallback) and AppState's
GUI part (follows spec at once, weights at most 5 times a second while training)."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from engine.inspect.model import InspectionModel, untrained_model  # noqa: E402
from engine.model.presets import PRESETS  # noqa: E402
from gui.state import AppState  # noqa: E402

SPEC = PRESETS["seed000"].spec


def base_state(spec=SPEC):
    return {k: v.detach().numpy().copy() for k, v in untrained_model(spec).state_dict().items()}


def test_engine_model_is_lazy_eval_mode_and_falls_back_to_untrained():
    model = InspectionModel(SPEC)
    base = base_state()
    assert not model.trained and model.error == ""
    module = model.module
    assert module is not None and not module.training
    np.testing.assert_array_equal(model.kernels("conv1"), base["conv1.weight"])
    version = model.version
    model.set_weights({k: v * 2 for k, v in base.items()})
    assert model.version > version
    assert model.trained and model.module is module  # loaded in place
    np.testing.assert_allclose(model.kernels("conv1"), 2 * base["conv1.weight"])
    np.testing.assert_array_equal(model.untrained_kernels("conv1"), base["conv1.weight"])
    model.set_weights({"conv1.weight": np.zeros((1, 1, 1, 1), np.float32)})  # another network's
    assert not model.trained and "Cannot load the weights" in model.error
    np.testing.assert_array_equal(model.kernels("conv1"), base["conv1.weight"])  # untrained again
    x = np.zeros(SPEC.input, np.float32)
    probs = model.predict(x)
    maps, probs2 = model.feature_maps(x)
    np.testing.assert_allclose(probs, probs2, rtol=1e-6)
    copy = model.copy_module()
    assert copy is not module and not copy.training


def test_engine_model_of_a_broken_spec_says_why():
    broken = SPEC.with_layers([{"type": "conv2d", "out_channels": 4, "kernel_size": 40}])
    model = InspectionModel(broken)
    assert model.module is None and model.error.startswith("Cannot build")
    with pytest.raises(RuntimeError):
        model.predict(np.zeros(broken.input, np.float32))


def test_app_state_serves_one_model_to_everyone(qtbot):
    state = AppState(SPEC)
    inspection = state.inspection
    assert not inspection.trained
    module = inspection.model.module
    base = base_state()
    version = inspection.version
    changes = []
    inspection.changed.connect(lambda: changes.append(inspection.version))
    state.set_weights({k: v * 3 for k, v in base.items()})  # idle: at once
    assert changes and inspection.trained and inspection.model.module is module
    np.testing.assert_allclose(inspection.model.kernels("conv1"), 3 * base["conv1.weight"])
    assert inspection.version > version
    state.set_spec(PRESETS["lenet5"].spec)  # weights no longer fit: dropped, model rebuilt
    assert not inspection.trained and inspection.model.module is not module
    assert inspection.model.spec == PRESETS["lenet5"].spec


def test_weights_while_training_arrive_at_most_five_times_a_second(qtbot):
    state = AppState(SPEC)
    base = base_state()
    state.set_training(True)
    changes = []
    state.inspection.changed.connect(lambda: changes.append(1))
    for scale in range(1, 11):
        state.set_weights({k: v * scale for k, v in base.items()})
    assert not changes and state.inspection.pending()
    qtbot.waitUntil(lambda: len(changes) == 1, timeout=2000)
    qtbot.wait(100)
    assert len(changes) == 1  # ten snapshots, one load
    np.testing.assert_allclose(state.inspection.model.kernels("conv1"), 10 * base["conv1.weight"])
    state.set_weights({k: v * 20 for k, v in base.items()})
    state.set_training(False)  # the run's end: the last weights at once
    assert len(changes) == 2 and not state.inspection.pending()
    np.testing.assert_allclose(state.inspection.model.kernels("conv1"), 20 * base["conv1.weight"])


def test_input_stats_come_from_the_dataset(qtbot):
    from engine.data.registry import DATASETS

    state = AppState(SPEC)
    assert state.input_stats() == ((0.0,), (1.0,))  # no engine, no dataset yet: nobody reads it
    state.mark_engine_ready()
    assert state.input_stats() == (DATASETS["mnist"].mean, DATASETS["mnist"].std)
    state.set_dataset_info(DATASETS["fashion-mnist"])
    assert state.input_stats() == (DATASETS["fashion-mnist"].mean, DATASETS["fashion-mnist"].std)
