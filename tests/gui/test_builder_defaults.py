"""Readable defaults in the builder: the preset selector names what is loaded, and the Settings
column shows kernel, stride and padding compactly, uncut, with every setting in its tool tip."""

from __future__ import annotations

import pytest

from engine.model.layers import LAYERS
from engine.model.presets import PRESETS
from engine.model.spec import NetworkSpec
from gui.builder.panel import BuilderPanel
from gui.builder.preset_label import is_unedited_preset, preset_label
from gui.builder.table import COL_SETTINGS, compact_settings, spelled_out
from gui.state import AppState


@pytest.fixture
def panel(main_window):
    """The window's builder, as a new user first sees it."""
    return main_window.builder


def test_the_selector_shows_the_loaded_preset(panel):
    assert panel.preset_combo.currentText() == "seed000"
    assert panel.preset_combo.currentData() is None  # the label row, not a preset to load
    assert "Choose a preset" not in panel.preset_combo.currentText()


def test_an_edit_marks_the_preset_edited_and_undo_clears_it(panel):
    panel.select(0)
    panel.form.editor("out_channels").setValue(35)
    assert panel.preset_combo.currentText() == "seed000 (edited)"
    panel.state.undo_stack.undo()
    assert panel.preset_combo.currentText() == "seed000"


def test_picking_a_preset_shows_its_name(panel):
    row = panel.preset_combo.findData("lenet5")
    panel.preset_combo.activated.emit(row)
    assert panel.state.spec.name == "lenet5"
    assert panel.preset_combo.currentText() == "lenet5" and panel.preset_combo.currentIndex() == 0
    panel.select(0)
    panel.delete_selected()
    assert panel.preset_combo.currentText() == "lenet5 (edited)"


def test_a_custom_network_shows_its_own_name(panel):
    spec = NetworkSpec.from_dict({"name": "my-net", "layers": [{"type": "flatten"}, {"type": "linear",
                                                                                     "out_features": 10}]})
    panel.state.edit_spec(spec, "Open my-net")
    assert panel.preset_combo.currentText() == "my-net (custom)"


def test_a_dataset_change_or_written_out_defaults_are_no_edit():
    seed = PRESETS["seed000"].spec
    cifar = seed.replace(input=[3, 32, 32])
    assert is_unedited_preset(cifar) and preset_label(cifar) == "seed000"
    layers = [dict(layer) for layer in seed.layers]
    layers[0]["stride"] = 1  # the default, written out
    assert preset_label(seed.with_layers(layers)) == "seed000"
    layers[0]["stride"] = 2
    assert preset_label(seed.with_layers(layers)) == "seed000 (edited)"


def test_settings_show_kernel_stride_and_padding_compactly(panel):
    assert panel.row_texts(0)[COL_SETTINGS] == "conv  32, 3×3 s1 p1"
    assert panel.row_texts(2)[COL_SETTINGS] == "maxpool  2×2 s2"
    assert panel.row_texts(7)[COL_SETTINGS] == "linear  → 10"
    assert compact_settings("conv2d", "8, 3×5, s2, p same, d2, no bias") == "conv  8, 3×5 s2 p same d2, no bias"
    assert compact_settings("dropout", "p=0.5") == "dropout  p=0.5"


def test_the_settings_tool_tip_spells_every_setting_out(panel):
    tip = panel.tree.topLevelItem(0).toolTip(COL_SETTINGS)
    assert tip.splitlines() == ["conv2d: out channels 32, kernel size 3×3, stride 1, padding 1, dilation 1, bias yes",
                                LAYERS["conv2d"].help]
    assert panel.tree.topLevelItem(1).toolTip(COL_SETTINGS) == LAYERS["relu"].help  # nothing abbreviated
    assert spelled_out({"type": "maxpool2d", "kernel_size": [2, 3]}) == \
        "maxpool2d: kernel size 2×3, stride 2×3, padding 0"


def test_no_setting_is_cut_at_the_panels_own_width(qtbot):
    panel = BuilderPanel(AppState(PRESETS["seed000"].spec))
    qtbot.addWidget(panel)
    panel.resize(panel.sizeHint())
    panel.show()
    qtbot.waitExposed(panel)
    metrics = panel.tree.fontMetrics()
    for index in range(len(panel.state.spec.layers)):
        text = panel.row_texts(index)[COL_SETTINGS]
        assert metrics.horizontalAdvance(text) <= panel.tree.columnWidth(COL_SETTINGS), text
    assert panel.tree.header().length() <= panel.tree.viewport().width()  # no sideways scrolling needed
