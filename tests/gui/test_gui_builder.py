"""The layer builder: live shapes, problems with one-click fixes, undo/redo, files, dataset input."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt

from engine.model.presets import PRESETS
from engine.model.spec import LAYER_SCHEMAS, NetworkSpec
from gui.builder.panel import COL_OUTPUT, COL_PARAMS


@pytest.fixture
def builder(main_window):
    return main_window.builder


def test_changing_conv1_padding_updates_its_output_shape(builder, main_window):
    assert builder.row_texts(0)[COL_OUTPUT] == "32×28×28"
    builder.select(0)
    padding = builder.form.editor("padding")
    padding.h.setValue(2)  # "square" is on: height and width together
    assert main_window.state.spec.layers[0]["padding"] == 2
    assert builder.row_texts(0)[COL_OUTPUT] == "32×30×30"
    assert builder.row_texts(2)[COL_OUTPUT] == "32×15×15"
    assert main_window.state.undo_stack.undoText() == "Set conv1 padding to 2"
    # the Edit menu shows the readable command name
    assert "Set conv1 padding to 2" in main_window.undo_action.text()


def test_unlinked_kernel_and_same_padding(builder, main_window):
    builder.select(0)
    kernel = builder.form.editor("kernel_size")
    kernel.square.setChecked(False)
    kernel.w.setValue(5)
    assert main_window.state.spec.layers[0]["kernel_size"] == [3, 5]
    assert builder.row_texts(0)[COL_OUTPUT] == "32×28×26"
    assert main_window.state.undo_stack.undoText() == "Set conv1 kernel_size to 3×5"
    builder.form.editor("padding").special.setChecked(True)
    assert main_window.state.spec.layers[0]["padding"] == "same"
    assert builder.row_texts(0)[COL_OUTPUT] == "32×28×28"


def test_editor_ranges_come_from_the_schema(builder):
    builder.select(0)
    out = builder.form.editor("out_channels")
    param = LAYER_SCHEMAS["conv2d"]["out_channels"]
    assert (out.minimum(), out.maximum()) == (param.minimum, param.maximum)
    pad = builder.form.editor("padding")
    assert pad.h.maximum() == LAYER_SCHEMAS["conv2d"]["padding"].maximum


def test_deleting_flatten_shows_the_error_on_fc1_and_its_fix_repairs_it(builder, main_window):
    state = main_window.state
    flatten = state.spec.names.index("flatten")
    builder.select(flatten)
    builder.delete_action.trigger()
    assert not state.report.ok
    fc1 = state.spec.names.index("fc1")
    rows = builder.problem_rows(fc1)
    assert len(rows) == 1 and rows[0].severity == "error"
    assert "insert a flatten" in rows[0].message.text()
    assert rows[0].button.text() == "Fix: insert flatten before fc1"
    assert builder.tree.topLevelItem(fc1).icon(0).isNull() is False
    assert not main_window.training.start_action.isEnabled()
    rows[0].button.click()
    assert state.report.ok
    assert state.spec == PRESETS["seed000"].spec
    assert state.undo_stack.undoText() == "Apply fix: insert flatten before fc1"
    assert builder.problem_rows(fc1) == []


def test_undo_redo_restore_the_spec(builder, main_window):
    state = main_window.state
    original = state.spec
    builder.select(1)
    builder.add_layer("dropout")
    builder.duplicate_selected()
    builder.move_selected(1)
    after = state.spec
    assert [layer["type"] for layer in after.layers[1:5]] == ["relu", "dropout", "maxpool2d", "dropout"]
    names = [state.undo_stack.text(i) for i in range(state.undo_stack.count())]
    assert names == ["Add dropout", "Duplicate drop1", "Move drop2 down"]
    for _ in names:
        main_window.undo_action.trigger()
    assert state.spec == original
    assert builder.tree.topLevelItemCount() == len(original.layers)
    for _ in names:
        main_window.redo_action.trigger()
    assert state.spec == after


def test_repeated_edits_of_one_setting_merge_into_one_undo_step(builder, main_window):
    builder.select(0)
    spin = builder.form.editor("out_channels")
    for value in (33, 34, 35):
        spin.setValue(value)
    stack = main_window.state.undo_stack
    assert stack.count() == 1 and stack.undoText() == "Set conv1 out_channels to 35"
    stack.undo()
    assert main_window.state.spec.layers[0]["out_channels"] == 32


def test_drag_reorder_is_one_undoable_move(builder, main_window):
    state = main_window.state
    builder.tree.moveRequested.emit(1, 2)  # what a drop of relu1 below pool1 requests
    assert state.spec.layers[1]["type"] == "maxpool2d" and state.spec.layers[2]["type"] == "relu"
    assert state.undo_stack.undoText() == "Move relu1 down"


def test_palette_has_every_layer_type(builder):
    assert set(builder.add_actions) == set(LAYER_SCHEMAS)


def test_preset_picker_loads_a_preset_and_its_training_defaults(builder, main_window):
    row = builder.preset_combo.findData("seed001")
    assert "89.65%" in builder.preset_combo.itemData(row, Qt.ItemDataRole.ToolTipRole)
    builder.preset_combo.activated.emit(row)
    assert main_window.state.spec.name == "seed001"
    assert main_window.training.optimizer_combo.currentText() == "sgd"
    assert main_window.training.lr_spin.value() == pytest.approx(0.01)
    assert main_window.training.epochs_spin.value() == 40
    assert "Reported accuracy: 89.65%" in builder.preset_label.text()


def test_dataset_change_sets_input_and_classes_as_an_undoable_edit(ready_window):
    window = ready_window
    window.training.select_dataset("cifar10")
    spec = window.state.spec
    assert spec.input == (3, 32, 32) and spec.num_classes == 10
    assert window.builder.row_texts(0)[COL_OUTPUT] == "32×32×32"
    assert window.builder.row_texts(0)[COL_PARAMS] == f"{3 * 3 * 3 * 32 + 32:,}"
    assert window.state.undo_stack.undoText() == "Use CIFAR-10: input 3×32×32, 10 classes"
    window.undo_action.trigger()
    assert window.state.spec.input == (1, 28, 28)


def test_save_and_open_architecture(main_window, tmp_path):
    window = main_window
    window.builder.select(0)
    window.builder.form.editor("out_channels").setValue(8)
    path = tmp_path / "net.json"
    assert window.document.write_architecture(str(path))
    assert not window.isWindowModified()
    assert json.loads(path.read_text())["layers"][0]["out_channels"] == 8
    window.new_file()
    assert window.state.spec.layers[0]["out_channels"] == 32
    assert window.open_architecture(str(path))
    assert window.state.spec == NetworkSpec.load(str(path))
    assert window.recent_files()[0] == str(path)


def test_a_bad_architecture_file_gives_a_clear_message_and_keeps_the_work(main_window, tmp_path):
    window = main_window
    before = window.state.spec
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"layers": [{"type": "conv2d", "kernel": 3}]}))
    assert not window.open_architecture(str(bad))
    assert window.state.spec == before
    text = window.training.banner.label.text()
    assert window.training.banner.isVisibleTo(window.training) and "bad.json" in text
    assert "kernel" in text and "out_channels" in text
