"""FeatureMapViewer: right maps per layer for every preset, hooks removed, weights, export."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PySide6.QtCore import QPointF  # noqa: E402

from engine.inspect.model import untrained_model  # noqa: E402
from engine.model.presets import PRESETS  # noqa: E402
from engine.model.shapes import analyze  # noqa: E402
from gui.state import AppState  # noqa: E402
from gui.viewers.feature_maps import FeatureMapViewer, signed_layers  # noqa: E402
from gui.widgets import colormaps  # noqa: E402


def make_viewer(qtbot, spec):
    state = AppState(spec)
    viewer = FeatureMapViewer(state)
    qtbot.addWidget(viewer)
    viewer.resize(900, 600)
    viewer.show()
    return state, viewer


def random_input(spec, seed=0):
    return np.random.default_rng(seed).standard_normal(spec.input).astype(np.float32)


def assert_no_hooks(model):
    for name, module in model.named_modules():
        assert not module._forward_hooks, f"forward hook left on {name or 'model'}"
        assert not module._forward_pre_hooks, f"forward pre-hook left on {name or 'model'}"


@pytest.mark.parametrize("preset", list(PRESETS))
def test_every_layer_shows_its_maps(qtbot, preset):
    spec = PRESETS[preset].spec
    state, viewer = make_viewer(qtbot, spec)
    viewer.set_input(random_input(spec)[None])  # (1, C, H, W) accepted
    viewer.flush()
    report = analyze(spec)
    assert viewer.layer_names() == [layer.name for layer in report.layers]
    assert "conv1 — " in viewer.layer_combo.itemText(0)
    for layer in report.layers:
        viewer.set_layer(layer.name)
        shape = layer.output_shape
        output = viewer.layer_output(layer.name)
        assert output.shape == shape
        assert viewer.map_count() == shape[0]
        if len(shape) == 3:
            c, h, w = shape
            assert not viewer.is_bar_chart()
            rows, cols, gh, gw = viewer.grid_shape()
            assert (gh, gw) == (h, w)
            assert rows * cols >= c > (rows - 1) * cols
            image = viewer.mosaic_image_data()
            assert image.shape == (rows * (h + 1) - 1, cols * (w + 1) - 1)
            assert np.count_nonzero(~np.isnan(image)) == c * h * w  # c tiles, NaN gaps
            np.testing.assert_array_equal(viewer.mosaic_image.image, image)
        else:
            assert viewer.is_bar_chart()
            assert viewer.grid_shape() is None
            heights = viewer.bar_heights()
            assert len(heights) == shape[0]
            np.testing.assert_allclose(heights, output, rtol=1e-6)
    assert_no_hooks(viewer.model)


def test_tiles_hold_the_channels_and_detail_enlarges_one(qtbot):
    spec = PRESETS["seed000"].spec
    state, viewer = make_viewer(qtbot, spec)
    viewer.set_input(random_input(spec))
    viewer.flush()
    viewer.set_layer("conv1")
    viewer.scale_combo.setCurrentText("per layer")
    out = viewer.layer_output("conv1")
    image = viewer.mosaic_image_data()
    rows, cols, h, w = viewer.grid_shape()
    for index in (0, 7, 31):
        r, c = divmod(index, cols)
        np.testing.assert_array_equal(image[r * (h + 1):r * (h + 1) + h, c * (w + 1):c * (w + 1) + w], out[index])
    viewer.select_map(7)
    np.testing.assert_array_equal(viewer.detail_image.image, out[7])
    # per-map scaling stretches each tile to its own range
    viewer.scale_combo.setCurrentText("per map")
    tile = viewer.mosaic_image_data()[:h, :w]
    assert np.nanmax(np.abs(tile)) == pytest.approx(1.0)


def test_colormap_auto_and_override(qtbot):
    spec = PRESETS["seed000"].spec
    state, viewer = make_viewer(qtbot, spec)
    viewer.set_input(random_input(spec))
    viewer.flush()
    signed = signed_layers(spec)
    assert signed["conv1"] and not signed["relu1"] and not signed["pool1"] and signed["fc1"]
    viewer.set_layer("conv1")
    assert colormaps.is_diverging(viewer.colormap_name())
    lo, hi = viewer.mosaic_image.getLevels()
    assert lo == pytest.approx(-hi)
    viewer.set_layer("relu1")
    assert viewer.colormap_name() == "viridis"
    viewer.cmap_combo.setCurrentIndex(viewer.cmap_combo.findData("magma"))
    assert viewer.colormap_name() == "magma"


def test_weights_load_throttled_and_no_hooks_left(qtbot):
    spec = PRESETS["seed000"].spec
    state, viewer = make_viewer(qtbot, spec)
    viewer.set_input(random_input(spec))
    viewer.flush()
    assert viewer.weights_label.text() == "untrained weights" and not viewer.trained
    before = viewer.layer_output("conv1").copy()
    base = {k: v.detach().numpy() for k, v in untrained_model(spec).state_dict().items()}
    first = {k: v * 2 for k, v in base.items()}
    second = {k: v * 3 for k, v in base.items()}
    model = viewer.model
    state.set_weights(first)
    state.set_weights(second)  # within 0.2 s: coalesced to one later load
    qtbot.waitUntil(lambda: not viewer.refresh_pending() and not state.inspection.pending(), timeout=2000)
    assert viewer.model is model  # cached, loaded in place
    np.testing.assert_allclose(viewer.model.state_dict()["conv1.weight"].numpy(), second["conv1.weight"])
    assert viewer.trained and viewer.weights_label.text() != "untrained weights"
    assert not np.allclose(viewer.layer_output("conv1"), before)
    assert_no_hooks(viewer.model)
    state.set_weights(None)
    viewer.flush()
    assert not viewer.trained and viewer.weights_label.text() == "untrained weights"
    np.testing.assert_allclose(viewer.layer_output("conv1"), before, rtol=1e-5, atol=1e-6)


def test_spec_change_rebuilds_and_bad_input_is_reported(qtbot):
    state, viewer = make_viewer(qtbot, PRESETS["seed000"].spec)
    viewer.set_input(random_input(PRESETS["seed000"].spec))
    viewer.flush()
    lenet = PRESETS["lenet5"].spec
    state.set_spec(lenet)
    assert viewer.layer_names() == [layer.name for layer in analyze(lenet).layers]
    viewer.set_layer("conv1")
    assert viewer.map_count() == 6
    viewer.set_input(np.zeros((3, 32, 32), np.float32))
    viewer.flush()
    assert "expects 1×28×28" in viewer.message_label.text()
    assert viewer.message_label.isVisibleTo(viewer)


def test_hover_reports_map_row_col_value(qtbot):
    spec = PRESETS["seed000"].spec
    state, viewer = make_viewer(qtbot, spec)
    viewer.set_input(random_input(spec))
    viewer.flush()
    viewer.set_layer("conv1")
    qtbot.waitExposed(viewer)
    qtbot.wait(50)  # let the layout give the plots their size
    rows, cols, h, w = viewer.grid_shape()
    index, row, col = cols + 1, 3, 5  # second row of tiles, second column
    pos = viewer.mosaic_image.mapToScene(QPointF((w + 1) * 1 + col + 0.5, (h + 1) * 1 + row + 0.5))
    with qtbot.waitSignal(viewer.statusMessage, timeout=1000) as blocker:
        viewer._mouse_moved(pos)
    value = viewer.layer_output("conv1")[index, row, col]
    assert blocker.args[0] == f"conv1 · map {index} · row {row}, col {col} · value {value:.4g}"

    class Click:
        def scenePos(self):  # noqa: N802
            return pos

    viewer._mouse_clicked(Click())
    np.testing.assert_array_equal(viewer.detail_image.image, viewer.layer_output("conv1")[index])


def test_export_png(qtbot, tmp_path):
    spec = PRESETS["seed000"].spec
    state, viewer = make_viewer(qtbot, spec)
    viewer.set_input(random_input(spec))
    viewer.flush()
    path = viewer.export_png(str(tmp_path / "maps.png"))
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 1000
    viewer.set_layer("fc1")
    path = viewer.export_png(str(tmp_path / "bars"))
    assert path.endswith(".png") and os.path.getsize(path) > 1000


def test_colour_levels_snap_to_nice_bounds_that_contain_the_data():
    from gui.viewers.feature_maps import nice_levels

    rng = np.random.default_rng(0)
    seen = set()
    for _ in range(200):
        lo, hi = sorted(rng.normal(0, 3, 2))
        for symmetric in (True, False):
            a, b = nice_levels(lo, hi, symmetric)
            assert a <= lo + 1e-12 and b >= hi - 1e-12 and a < b
            if symmetric:
                assert a == -b
            seen.add((a, b))
    assert len(seen) < 160  # of 400 ranges, few distinct bounds: the colour bar seldom relabels
