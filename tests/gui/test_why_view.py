"""The Why view: heat maps for a drawn digit, methods and classes, background work, bad cases."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from why_support import sample_data, trained_weights

from engine.model.presets import PRESETS
from engine.model.spec import NetworkSpec
from gui.state import AppState

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def data():
    return sample_data()


@pytest.fixture
def trained():
    return trained_weights()


def make(qtbot, data, weights=None, spec=None):
    from gui.viewers.draw import DrawPanel
    from gui.viewers.why import WhyViewer

    state = AppState(spec or PRESETS["seed000"].spec)
    state.set_dataset_info(data.info)
    if weights is not None:
        state.set_weights(weights)
    panel, why = DrawPanel(state), WhyViewer(state)
    panel.set_dataset(data)
    panel.inputChanged.connect(why.set_input)
    why.watch_canvas(panel.canvas)
    for widget in (panel, why):
        qtbot.addWidget(widget)
        widget.resize(700, 500)
        widget.show()
    qtbot.waitExposed(why)
    return state, panel, why


def draw_one(qtbot, panel):
    r = panel.canvas.paper_rect()
    points = [QPoint(round(r.x() + 0.5 * r.width()), round(r.y() + v * r.height()))
              for v in np.linspace(0.15, 0.85, 12)]
    qtbot.mousePress(panel.canvas, LEFT, pos=points[0])
    for p in points[1:]:
        qtbot.mouseMove(panel.canvas, p)
    qtbot.mouseRelease(panel.canvas, LEFT, pos=points[-1])


def test_a_drawn_digit_gets_a_heat_map_and_methods_and_classes_switch(qtbot, data, trained):
    state, panel, why = make(qtbot, data, trained)
    why.flush()
    assert "blank input" in why.message()  # nothing drawn yet
    draw_one(qtbot, panel)
    why.flush()
    heat = why.shown_heat()
    assert heat is not None and heat.shape == (28, 28) and float(np.abs(heat).max()) > 0
    gradcam = why.results()["gradcam"]
    assert gradcam.target == int(np.argmax(panel.probabilities()))  # the predicted class by default
    assert why.figure.heat_images()[0] is not None
    why.set_method("saliency")
    why.flush()
    assert set(why.results()) == {"saliency"} and not np.array_equal(why.shown_heat(), heat)
    other = (gradcam.target + 3) % 10
    why.set_target(other)
    why.flush()
    assert why.results()["saliency"].target == other
    assert f"class {other}" in why.figure.cells[1].plot.titleLabel.text


def test_heavy_methods_run_in_the_background_and_cancel(qtbot, data, trained):
    state, panel, why = make(qtbot, data, trained)
    panel.show_sample(3)
    why.set_method("occlusion")
    why.flush()
    assert why.runner.is_running() and why.cancel_button.isVisibleTo(why)
    with qtbot.waitSignal(why.heatUpdated, timeout=30000):
        pass
    assert why.results()["occlusion"].signed and why.shown_heat().shape == (28, 28)
    why.set_side_by_side(True)
    why.flush()
    assert why.runner.is_running()
    why.cancel()
    assert not why.runner.is_running() and not why.cancel_button.isVisibleTo(why)
    assert why.runner.wait(30000)
    qtbot.wait(50)
    assert set(why.results()) == {"occlusion"}  # the cancelled maps never arrive; the old ones stay
    why.request_refresh()
    why.flush()
    with qtbot.waitSignal(why.heatUpdated, timeout=60000):
        pass
    assert set(why.results()) == {"gradcam", "saliency", "smoothgrad", "ig", "occlusion"}
    assert len(why.figure.cells) == 6


def test_untrained_and_sanity_check_say_so(qtbot, data, trained):
    state, panel, why = make(qtbot, data)
    panel.show_sample(0)
    why.flush()
    assert "weights are random" in why.message() and why.shown_heat() is not None
    state.set_weights(trained)
    why.flush()
    assert "weights are random" not in why.message()
    trained_heat = why.shown_heat()
    why.set_sanity_check(True)
    why.flush()
    assert "randomised weights" in why.message()
    assert not np.allclose(why.shown_heat(), trained_heat)


def test_bad_cases_give_messages(qtbot, data):
    dense = NetworkSpec.from_dict({"name": "dense", "input": [1, 28, 28], "num_classes": 10,
                                   "layers": [{"type": "flatten"}, {"type": "linear", "out_features": 10}]})
    state, panel, why = make(qtbot, data, spec=dense)
    panel.show_sample(0)
    why.flush()
    assert "Grad-CAM needs a layer" in why.message() and why.gradcam_layers() == []
    why.set_method("saliency")
    why.flush()
    assert why.message() in ("", "The weights are random (untrained network): these maps explain nothing "
                                 "learned yet.") and why.shown_heat() is not None
    one = NetworkSpec.from_dict({**dense.to_dict(), "num_classes": 1,
                                 "layers": [{"type": "flatten"}, {"type": "linear", "out_features": 1}]})
    state.set_spec(one)
    why.flush()
    assert "one class" in why.message() and why.results() == {}
    broken = NetworkSpec.from_dict({**dense.to_dict(), "layers": [{"type": "linear", "out_features": 10}]})
    state.set_spec(broken)
    why.flush()
    assert "Fix the network's errors" in why.message()
