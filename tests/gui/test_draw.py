"""The draw panel: mouse strokes → the network's input and prediction, samples, undo, hints."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import math  # noqa: E402

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402
from PySide6.QtCore import QPoint, Qt  # noqa: E402

from engine.data.loading import load_dataset  # noqa: E402
from engine.data.registry import DATASETS  # noqa: E402
from engine.model.presets import PRESETS  # noqa: E402
from engine.training.events import TrainConfig  # noqa: E402
from engine.training.session import TrainingSession, state_to_numpy  # noqa: E402
from gui.state import AppState  # noqa: E402
from gui.viewers.draw import NO_MODEL_HINT, DrawPanel  # noqa: E402

LEFT = Qt.MouseButton.LeftButton
MEAN, STD = DATASETS["mnist-sample"].mean[0], DATASETS["mnist-sample"].std[0]


@pytest.fixture(scope="module")
def data():
    return load_dataset("mnist-sample")


@pytest.fixture(scope="module")
def trained(data):
    """seed000's weights after 3 epochs on the bundled MNIST sample (about 10 s)."""
    session = TrainingSession(PRESETS["seed000"].spec, data,
                              TrainConfig(epochs=3, batch_size=64, optimizer="adam", lr=1e-3,
                                          snapshot_interval_s=0, seed=0))
    finish = session.run()
    assert finish.status == "completed", finish
    return state_to_numpy(session.model)


def make_panel(qtbot, data, weights=None, dataset=True):
    state = AppState(PRESETS["seed000"].spec)
    state.set_dataset_info(data.info)
    if weights is not None:
        state.set_weights(weights)
    panel = DrawPanel(state)
    if dataset:
        panel.set_dataset(data)
    qtbot.addWidget(panel)
    panel.resize(760, 520)
    panel.show()
    qtbot.waitExposed(panel)
    return state, panel


def to_canvas(panel, u: float, v: float) -> QPoint:
    """A point of the canvas's paper sheet given as fractions of its side."""
    r = panel.canvas.paper_rect()
    return QPoint(round(r.x() + u * r.width()), round(r.y() + v * r.height()))


def stroke(qtbot, panel, points):
    canvas = panel.canvas
    qtbot.mousePress(canvas, LEFT, pos=to_canvas(panel, *points[0]))
    for u, v in points[1:]:
        qtbot.mouseMove(canvas, to_canvas(panel, u, v))
    qtbot.mouseRelease(canvas, LEFT, pos=to_canvas(panel, *points[-1]))


def line(a, b, steps=12):
    return [(a[0] + (b[0] - a[0]) * t / steps, a[1] + (b[1] - a[1]) * t / steps) for t in range(steps + 1)]


def ring(cx=0.5, cy=0.5, rx=0.22, ry=0.32, n=24):
    return [(cx + rx * math.sin(2 * math.pi * k / n), cy - ry * math.cos(2 * math.pi * k / n)) for k in range(n + 1)]


def test_a_stroke_updates_bars_and_preview(qtbot, data, trained):
    _, panel = make_panel(qtbot, data, trained)
    assert panel.probabilities() is None  # empty sheet: nothing to classify
    assert not panel.current_image28().any()
    stroke(qtbot, panel, line((0.45, 0.2), (0.55, 0.8)))
    probs = panel.probabilities()
    assert probs is not None and probs.shape == (10,)
    assert abs(probs.sum() - 1) < 1e-4
    np.testing.assert_allclose(panel.bars.probabilities(), probs)
    assert panel.bars.isVisible() and not panel.hint.isVisible()
    image28 = panel.current_image28()
    assert image28.shape == (28, 28) and image28.max() == 255 and (image28 > 0).sum() > 20
    x = panel.current_input()
    assert x.shape == (1, 1, 28, 28) and x.dtype == np.float32
    np.testing.assert_allclose(x[0, 0], (image28 / 255 - MEAN) / STD, atol=1e-5)
    # the preview shows the 28×28 input at 5×, with crisp (nearest-neighbour) pixels
    pix = panel.preview.pixmap().toImage()
    assert (pix.width(), pix.height()) == (140, 140)
    shown = np.array([[pix.pixelColor(5 * c + 2, 5 * r + 2).red() for c in range(28)] for r in range(28)])
    np.testing.assert_array_equal(shown, image28)


@pytest.mark.parametrize(
    "expected, strokes",
    [
        ("1", [line((0.5, 0.15), (0.5, 0.85))]),
        ("0", [ring()]),
        ("7", [line((0.25, 0.2), (0.75, 0.2)), line((0.75, 0.2), (0.42, 0.85))]),
    ],
)
def test_clear_digits_are_classified_right(qtbot, data, trained, expected, strokes):
    _, panel = make_panel(qtbot, data, trained)
    for points in strokes:
        stroke(qtbot, panel, points)
    assert panel.predicted_class() == expected, (panel.probabilities(), panel.current_image28())
    assert panel.probabilities().max() > 0.5


def test_undo_restores_the_previous_image(qtbot, data, trained):
    _, panel = make_panel(qtbot, data, trained)
    stroke(qtbot, panel, line((0.5, 0.15), (0.5, 0.85)))
    one_image, one_input = panel.current_image28(), panel.current_input()
    one_sheet = panel.canvas.gray_array()
    stroke(qtbot, panel, line((0.2, 0.5), (0.8, 0.5)))
    assert not np.array_equal(panel.current_image28(), one_image)
    qtbot.mouseClick(panel.undo_button, LEFT)
    np.testing.assert_array_equal(panel.current_image28(), one_image)
    np.testing.assert_array_equal(panel.current_input(), one_input)
    np.testing.assert_array_equal(panel.canvas.gray_array(), one_sheet)
    # Ctrl+Z on the focused canvas undoes too
    stroke(qtbot, panel, line((0.2, 0.5), (0.8, 0.5)))
    panel.canvas.setFocus()
    qtbot.keyClick(panel.canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    np.testing.assert_array_equal(panel.current_image28(), one_image)
    qtbot.mouseClick(panel.clear_button, LEFT)
    assert not panel.current_image28().any() and panel.probabilities() is None


def test_eraser_removes_ink(qtbot, data, trained):
    _, panel = make_panel(qtbot, data, trained)
    stroke(qtbot, panel, line((0.5, 0.15), (0.5, 0.85)))
    panel.eraser.setChecked(True)
    panel.pen_width.setValue(48)
    stroke(qtbot, panel, line((0.5, 0.1), (0.5, 0.9)))
    assert not panel.current_image28().any()


def test_without_weights_the_hint_shows(qtbot, data, trained):
    state, panel = make_panel(qtbot, data, None)
    assert panel.hint.isVisible() and panel.hint.text() == NO_MODEL_HINT
    assert not panel.bars.isVisible()
    stroke(qtbot, panel, line((0.5, 0.15), (0.5, 0.85)))
    assert panel.probabilities() is None and panel.current_image28().any()
    state.set_weights(trained)  # not training: applied at once
    assert not panel.hint.isVisible() and panel.predicted_class() == "1"
    state.set_weights(None)
    assert panel.hint.isVisible() and panel.probabilities() is None


def test_weights_during_training_are_coalesced(qtbot, data, trained):
    state, panel = make_panel(qtbot, data, None)
    stroke(qtbot, panel, line((0.5, 0.15), (0.5, 0.85)))
    state.set_training(True)
    for _ in range(5):
        state.set_weights(trained)
    assert panel.probabilities() is None  # not yet: at most 5 loads a second
    qtbot.waitUntil(lambda: panel.probabilities() is not None, timeout=2000)
    assert panel.predicted_class() == "1"


def test_input_changed_fires_on_stroke_end(qtbot, data, trained):
    _, panel = make_panel(qtbot, data, trained)
    received = []
    panel.inputChanged.connect(received.append)
    canvas = panel.canvas
    qtbot.mousePress(canvas, LEFT, pos=to_canvas(panel, 0.5, 0.2))
    qtbot.mouseMove(canvas, to_canvas(panel, 0.5, 0.5))
    qtbot.mouseRelease(canvas, LEFT, pos=to_canvas(panel, 0.5, 0.8))
    assert received, "no inputChanged at the stroke's end"
    last = received[-1]
    assert last.shape == (1, 1, 28, 28) and last.dtype == np.float32
    np.testing.assert_array_equal(last, panel.current_input())


def test_throttled_predictions_while_drawing(qtbot, data, trained):
    _, panel = make_panel(qtbot, data, trained)
    received = []
    panel.inputChanged.connect(received.append)
    canvas = panel.canvas
    qtbot.mousePress(canvas, LEFT, pos=to_canvas(panel, 0.5, 0.2))
    for v in np.linspace(0.2, 0.8, 30):
        qtbot.mouseMove(canvas, to_canvas(panel, 0.5, float(v)))
    assert len(received) <= 1  # thirty moves, no flood of predictions
    qtbot.waitUntil(lambda: panel.probabilities() is not None, timeout=1000)  # mid-stroke update
    qtbot.mouseRelease(canvas, LEFT, pos=to_canvas(panel, 0.5, 0.8))


def test_sample_by_index_equals_the_dataset_image(qtbot, data, trained):
    _, panel = make_panel(qtbot, data, trained)
    received = []
    panel.inputChanged.connect(received.append)
    panel.sample_index.setValue(17)
    qtbot.mouseClick(panel.show_button, LEFT)
    expected = data.test.images[17, 0].numpy()
    np.testing.assert_array_equal(panel.current_image28(), expected)
    np.testing.assert_allclose(panel.current_input()[0, 0], (expected / 255 - MEAN) / STD, atol=1e-5)
    assert received and np.array_equal(received[-1], panel.current_input())
    assert f"label {int(data.test.labels[17])}" in panel.status.text()
    assert abs(panel.probabilities().sum() - 1) < 1e-4


def test_next_mistake_shows_a_confident_wrong_prediction(qtbot, data, trained):
    _, panel = make_panel(qtbot, data, trained)
    mistakes = panel.mistakes()
    assert 0 < len(mistakes) < 100  # a ~97% model on 500 test digits
    qtbot.mouseClick(panel.mistake_button, LEFT)
    index = panel.sample_index.value()
    assert index == mistakes[0]
    label = int(data.test.labels[index])
    assert int(np.argmax(panel.probabilities())) != label
    confidence = panel.probabilities().max()
    qtbot.mouseClick(panel.mistake_button, LEFT)
    assert panel.sample_index.value() == mistakes[1]
    assert panel.probabilities().max() <= confidence + 1e-6  # most confident first


def test_next_mistake_searches_in_the_background(qtbot, data, trained):
    _, panel = make_panel(qtbot, data, trained)
    expected = panel.finder.mistakes()  # the blocking search, for reference
    panel.finder.forget()
    assert not panel.finder.fresh()
    progress = []
    panel.finder.runner.progress.connect(progress.append)
    qtbot.mouseClick(panel.mistake_button, LEFT)
    assert not panel.mistake_button.isEnabled() and panel.mistake_button.text() == "Finding mistakes…"
    qtbot.waitUntil(lambda: panel.mistake_button.isEnabled(), timeout=10000)
    assert panel.mistake_button.text() == "Next mistake"
    assert panel.sample_index.value() == expected[0]
    assert f"mistake 1 of {len(expected)}" in panel.status.text()
    assert progress and progress[-1] == 1.0 and progress == sorted(progress)
    assert panel.mistakes() == expected  # cached by the background search


def test_next_mistake_without_a_model_says_so(qtbot, data):
    _, panel = make_panel(qtbot, data, None)
    qtbot.mouseClick(panel.mistake_button, LEFT)
    assert panel.status.text() == NO_MODEL_HINT + "." and panel.mistake_button.isEnabled()


def test_lazy_mnist_sample_and_random(qtbot, data, trained):
    _, panel = make_panel(qtbot, data, trained, dataset=False)
    qtbot.mouseClick(panel.random_button, LEFT)
    index = panel.sample_index.value()
    np.testing.assert_array_equal(panel.current_image28(), data.test.images[index, 0].numpy())


def test_open_image_and_bad_file(qtbot, data, trained, tmp_path):
    _, panel = make_panel(qtbot, data, trained)
    page = np.full((200, 120), 255, np.uint8)
    page[30:170, 55:68] = 0  # a dark '1' on white paper
    good = tmp_path / "one.png"
    Image.fromarray(page).save(good)
    assert panel.open_image(str(good))
    assert panel.predicted_class() == "1"
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"not a png")
    before = panel.current_input()
    assert not panel.open_image(str(bad))
    assert "bad.png" in panel.status.text()
    np.testing.assert_array_equal(panel.current_input(), before)


def test_colour_dataset_shows_pictures_instead_of_drawing(qtbot, tmp_path):
    import torch

    from engine.inspect.activations import model_from_state

    spec = PRESETS["cifar-vgg-small"].spec
    assert tuple(spec.input) == (3, 32, 32)
    state = AppState(spec)
    state.set_dataset_info(DATASETS["cifar10"])
    torch.manual_seed(0)
    state.set_weights(state_to_numpy(model_from_state(spec)))
    panel = DrawPanel(state)
    qtbot.addWidget(panel)
    panel.resize(760, 520)
    panel.show()
    qtbot.waitExposed(panel)
    assert not panel.canvas.drawing_enabled and not panel.pen_width.isEnabled()
    stroke(qtbot, panel, line((0.5, 0.15), (0.5, 0.85)))
    assert not panel.canvas.strokes and panel.probabilities() is None  # nothing drawn
    photo = np.zeros((48, 64, 3), np.uint8)
    photo[..., 0] = 255  # red
    path = tmp_path / "red.png"
    Image.fromarray(photo).save(path)
    assert panel.open_image(str(path))
    x = panel.current_input()
    assert x.shape == (1, 3, 32, 32)
    np.testing.assert_allclose(x[0, 0], (1 - DATASETS["cifar10"].mean[0]) / DATASETS["cifar10"].std[0], atol=1e-4)
    assert panel.current_image28().shape == (32, 32, 3)
    assert abs(panel.probabilities().sum() - 1) < 1e-4
    assert panel.canvas.has_background


def test_the_first_answer_keeps_the_panel_width(qtbot):
    """The hint and the bars take the same room: replacing one with the other must not widen the dock
    (it did by 31 px, and the whole window was laid out and painted again as a run's first weights came)."""
    from gui.viewers.prediction import PredictionView

    view = PredictionView()
    qtbot.addWidget(view)
    view.show_hint(NO_MODEL_HINT)
    view.show()
    before = view.minimumSizeHint().width(), view.sizeHint().width()
    view.show_answer(np.full(10, 0.1), [str(i) for i in range(10)])
    qtbot.wait(1)
    assert view.bars.isVisible() and not view.hint.isVisible()
    assert (view.minimumSizeHint().width(), view.sizeHint().width()) == before
