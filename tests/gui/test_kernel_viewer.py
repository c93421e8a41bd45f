"""KernelViewer: Cout kernels per conv layer for every preset, RGB mode, time-lapse, diff, export."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PySide6.QtCore import QPointF  # noqa: E402

from engine.inspect.model import untrained_model  # noqa: E402
from engine.model.presets import PRESETS  # noqa: E402
from engine.training.events import WeightSnapshot, frozen_array  # noqa: E402
from gui.state import AppState  # noqa: E402
from gui.viewers.kernels import KernelViewer, conv_weight_shapes  # noqa: E402


def make_viewer(qtbot, spec):
    state = AppState(spec)
    viewer = KernelViewer(state)
    qtbot.addWidget(viewer)
    viewer.resize(700, 600)
    viewer.show()
    return state, viewer


def base_state(spec):
    return {k: v.detach().numpy().copy() for k, v in untrained_model(spec).state_dict().items()}


def snapshot(state, step, epoch, scale):
    return WeightSnapshot(step, epoch, {k: frozen_array(v * scale) for k, v in state.items()}, keep=True)


def expected_conv_layers(spec):
    return [(n, layer) for n, layer in zip(spec.names, spec.layers) if layer["type"] == "conv2d"]


@pytest.mark.parametrize("preset", list(PRESETS))
def test_every_conv_layer_shows_cout_kernels(qtbot, preset):
    spec = PRESETS[preset].spec
    state, viewer = make_viewer(qtbot, spec)
    weights = base_state(spec)
    convs = expected_conv_layers(spec)
    assert viewer.layer_names() == [name for name, _ in convs]
    shapes = conv_weight_shapes(spec)
    for name, layer in convs:
        viewer.set_layer(name)
        cout, cin, kh, kw = weights[f"{name}.weight"].shape
        assert shapes[name] == (cout, cin, kh, kw)
        k = layer["kernel_size"]
        assert (kh, kw) == ((k, k) if isinstance(k, int) else tuple(k))
        viewer.set_mode("channel")
        channel = cin - 1
        viewer.set_input_channel(channel)
        assert viewer.kernel_count() == cout
        rows, cols, gh, gw = viewer.kernel_grid_shape()
        assert (gh, gw) == (kh, kw) and rows * cols >= cout > (rows - 1) * cols
        np.testing.assert_allclose(viewer.displayed_kernels(), weights[f"{name}.weight"][:, channel])
        image = viewer.image_data()
        f = viewer.zoom_factor()
        assert f * max(kh, kw) >= 12  # small kernels are enlarged into visible blocks
        assert image.shape == (rows * (kh * f + 1) - 1, cols * (kw * f + 1) - 1)
        assert np.count_nonzero(~np.isnan(image)) == cout * kh * kw * f * f
        m = np.abs(weights[f"{name}.weight"]).max()
        assert viewer.levels() == pytest.approx((-m, m))  # symmetric: ±max|w| of the layer
        if cin > 1:
            viewer.set_mode("mean")
            assert viewer.kernel_count() == cout
            np.testing.assert_allclose(viewer.displayed_kernels(), weights[f"{name}.weight"].mean(1), rtol=1e-5)


def test_rgb_mode_for_cifar_first_layer(qtbot):
    spec = PRESETS["cifar-vgg-small"].spec
    state, viewer = make_viewer(qtbot, spec)
    viewer.set_layer("conv1")
    assert viewer.mode() == "rgb"
    w = base_state(spec)["conv1.weight"]
    kernels = viewer.displayed_kernels()
    assert kernels.shape == (64, 3, 3, 3)
    np.testing.assert_allclose(kernels, w.transpose(0, 2, 3, 1))
    image = viewer.image_data()
    assert image.dtype == np.uint8 and image.shape[2] == 4
    assert viewer.rgb_item.isVisible() and not viewer.image_item.isVisible()
    # zero maps to mid grey: the first kernel's (0, 0) tap is 0.5 + 0.5 w / max|w|
    expected = np.clip(0.5 + 0.5 * w[0, :, 0, 0] / np.abs(w).max(), 0, 1) * 255
    np.testing.assert_allclose(image[0, 0, :3], expected, atol=1)
    assert (image[:, viewer.zoom_factor() * 3, 3] == 0).all()  # the gap column is transparent
    viewer.set_layer("conv2")
    assert viewer.mode() == "channel" and "rgb" not in viewer.available_modes()


def test_time_lapse_slider_play_and_diff(qtbot):
    spec = PRESETS["seed000"].spec
    state, viewer = make_viewer(qtbot, spec)
    base = base_state(spec)
    snaps = [snapshot(base, 0, 0.0, 1.0), snapshot(base, 45, 1.25, 2.0), snapshot(base, 140, 2.0, -1.5)]
    state.add_keyframe(snaps[0])
    state.add_keyframe(snaps[1])
    viewer2 = KernelViewer(state)  # a viewer made later picks up existing keyframes
    qtbot.addWidget(viewer2)
    state.add_keyframe(snaps[2])
    for v in (viewer, viewer2):
        assert v.keyframe_count() == 3
        assert (v.slider.minimum(), v.slider.maximum()) == (0, 2)
    viewer.set_layer("conv1")
    viewer.set_frame(0)
    assert not viewer.live_check.isChecked()
    first = viewer.image_data().copy()
    np.testing.assert_allclose(viewer.displayed_kernels(), base["conv1.weight"][:, 0])
    viewer.set_frame(1)
    assert viewer.frame_text() == "epoch 1.25 · step 45"
    assert not np.array_equal(viewer.image_data(), first, equal_nan=True)
    np.testing.assert_allclose(viewer.displayed_kernels(), 2 * base["conv1.weight"][:, 0], rtol=1e-6)
    # play: ~4 frames a second, loops back to the first
    viewer.step_forward()
    assert viewer.slider.value() == 2
    viewer.step_forward()
    assert viewer.slider.value() == 0
    viewer.set_playing(True)
    assert viewer.is_playing() and viewer.play_button.text() == "Pause"
    qtbot.waitUntil(lambda: viewer.slider.value() != 0, timeout=2000)
    viewer.set_playing(False)
    assert not viewer.is_playing()
    # diff
    viewer.set_diff(1, 1)
    assert np.all(viewer.displayed_kernels() == 0)
    img = viewer.image_data()
    assert np.all(img[~np.isnan(img)] == 0)
    viewer.set_diff(0, 2)
    np.testing.assert_allclose(viewer.displayed_kernels(), -2.5 * base["conv1.weight"][:, 0], rtol=1e-5, atol=1e-7)
    assert viewer.frame_text().startswith("Δ epoch 2.00 · step 140")
    viewer.set_frame(1)  # the slider moves B while Diff is on
    assert viewer.b_combo.currentIndex() == 1
    np.testing.assert_allclose(viewer.displayed_kernels(), base["conv1.weight"][:, 0], rtol=1e-5, atol=1e-7)


def test_live_follows_newest_weights(qtbot):
    spec = PRESETS["seed000"].spec
    state, viewer = make_viewer(qtbot, spec)
    base = base_state(spec)
    assert viewer.frame_text() == "untrained weights"
    np.testing.assert_allclose(viewer.displayed_kernels(), base["conv1.weight"][:, 0])
    state.set_weights({k: v * 4 for k, v in base.items()})
    viewer.flush()
    assert viewer.frame_text() == "live · latest weights"
    np.testing.assert_allclose(viewer.displayed_kernels(), 4 * base["conv1.weight"][:, 0])
    state.set_weights({k: v * 5 for k, v in base.items()})
    qtbot.waitUntil(lambda: np.allclose(viewer.displayed_kernels(), 5 * base["conv1.weight"][:, 0]), timeout=2000)


def test_hover_reports_kernel_stats(qtbot):
    spec = PRESETS["seed000"].spec
    state, viewer = make_viewer(qtbot, spec)
    viewer.set_layer("conv2")
    viewer.set_input_channel(3)
    qtbot.waitExposed(viewer)
    qtbot.wait(50)
    rows, cols, kh, kw = viewer.kernel_grid_shape()
    f = viewer.zoom_factor()
    index = cols + 2
    pos = viewer.image_item.mapToScene(QPointF(2 * (kw * f + 1) + f + 0.5, (kh * f + 1) + 0.5))
    with qtbot.waitSignal(viewer.statusMessage, timeout=1000) as blocker:
        viewer._mouse_moved(pos)
    kernel = base_state(spec)["conv2.weight"][index, 3]
    text = blocker.args[0]
    assert text.startswith(f"conv2 kernel (out {index}, in 3)")
    assert f"L2 {np.linalg.norm(kernel):.3g}" in text and f"max {kernel.max():.3g}" in text
    assert "tap (0, 1)" in text and viewer.info_label.text() == text


def test_export_png(qtbot, tmp_path):
    state, viewer = make_viewer(qtbot, PRESETS["lenet5"].spec)
    path = viewer.export_png(str(tmp_path / "kernels.png"))
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 1000


def test_a_new_run_starts_its_own_time_lapse(qtbot):
    spec = PRESETS["seed000"].spec
    state, viewer = make_viewer(qtbot, spec)
    base = base_state(spec)
    state.add_keyframe(snapshot(base, 0, 0.0, 1.0))
    state.add_keyframe(snapshot(base, 45, 1.0, 2.0))
    assert viewer.keyframe_count() == 2
    state.clear_keyframes()  # what the training panel does when a run starts
    assert viewer.keyframe_count() == 0 and viewer.a_combo.count() == 0
    state.add_keyframe(snapshot(base, 0, 0.0, 3.0))
    assert viewer.keyframe_count() == 1
