"""The layer form on its own: every editor kind edits the spec, ranges come from the schema,
and values outside them never reach the spec."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QDoubleSpinBox, QSpinBox

from engine.model.layers import LAYERS
from engine.model.spec import NetworkSpec
from gui.builder.form import FloatEditor, LayerForm, PairEditor, format_value
from gui.state import AppState

LAYERS_UNDER_EDIT = [
    {"type": "conv2d", "out_channels": 4, "kernel_size": 3, "padding": 1},   # 0: int, pair, padding, bool
    {"type": "maxpool2d", "kernel_size": 2},                                  # 1: pair_or_none
    {"type": "batchnorm2d"},                                                  # 2: float (line), float (spin)
    {"type": "leaky_relu", "negative_slope": 0.1},                            # 3: float spin
    {"type": "adaptiveavgpool2d", "output_size": 2},                          # 4: pair (new type)
    {"type": "dropout2d", "p": 0.25},                                         # 5: float below 1
    {"type": "flatten"},
    {"type": "linear", "out_features": 3},
]


@pytest.fixture
def form(qtbot):
    state = AppState(NetworkSpec.from_dict({"input": [1, 12, 12], "num_classes": 3, "layers": LAYERS_UNDER_EDIT}))
    widget = LayerForm(state)
    qtbot.addWidget(widget)
    return widget, state


def _layer(state, index):
    return state.spec.layers[index]


def test_int_and_bool_editors(form):
    widget, state = form
    widget.set_layer(0)
    out = widget.editor("out_channels")
    assert isinstance(out, QSpinBox) and out.value() == 4
    out.setValue(9)
    assert _layer(state, 0)["out_channels"] == 9
    assert state.undo_stack.undoText() == "Set conv1 out_channels to 9"
    bias = widget.editor("bias")
    assert isinstance(bias, QCheckBox) and bias.isChecked()
    bias.setChecked(False)
    assert _layer(state, 0)["bias"] is False
    assert state.undo_stack.undoText() == "Set conv1 bias to off"
    assert state.report.layers[0].params == 3 * 3 * 1 * 9


def test_pair_editors_square_unlinked_and_same(form):
    widget, state = form
    widget.set_layer(0)
    stride = widget.editor("stride")
    assert isinstance(stride, PairEditor) and stride.square.isChecked()
    stride.h.setValue(2)
    assert _layer(state, 0)["stride"] == 2
    stride.square.setChecked(False)
    stride.w.setValue(1)
    assert _layer(state, 0)["stride"] == [2, 1]
    assert state.report.layers[0].output_shape == (4, 6, 12)
    stride.square.setChecked(True)  # linking again copies the height
    assert _layer(state, 0)["stride"] == 2
    padding = widget.editor("padding")
    padding.special.setChecked(True)
    assert _layer(state, 0)["padding"] == "same"
    assert not padding.h.isEnabled() and not padding.w.isEnabled()


def test_stride_equal_to_the_window(form):
    widget, state = form
    widget.set_layer(1)
    stride = widget.editor("stride")
    assert stride.special.text() == "= window" and stride.special.isChecked()
    assert "stride" not in _layer(state, 1)
    stride.special.setChecked(False)
    stride.h.setValue(1)
    assert _layer(state, 1)["stride"] == 1
    stride.special.setChecked(True)
    assert _layer(state, 1)["stride"] is None
    assert state.report.layers[1].output_shape == (4, 6, 6)


def test_float_editors_spin_and_text(form, qtbot):
    widget, state = form
    widget.set_layer(3)
    slope = widget.editor("negative_slope")
    assert isinstance(slope, FloatEditor) and isinstance(slope.spin_box, QDoubleSpinBox)
    slope.spin_box.setValue(0.2)
    assert _layer(state, 3)["negative_slope"] == pytest.approx(0.2)
    widget.set_layer(2)
    eps = widget.editor("eps")
    assert eps.spin_box is None and eps.line_edit.text() == "1e-05"
    eps.line_edit.clear()
    qtbot.keyClicks(eps.line_edit, "0.002")
    qtbot.keyClick(eps.line_edit, Qt.Key.Key_Return)
    assert _layer(state, 2)["eps"] == pytest.approx(0.002)
    widget.editor("momentum").spin_box.setValue(0.3)
    assert _layer(state, 2)["momentum"] == pytest.approx(0.3)


def test_the_new_layer_type_is_edited_like_any_other(form):
    widget, state = form
    widget.set_layer(4)
    size = widget.editor("output_size")
    assert isinstance(size, PairEditor) and size.h.value() == 2
    size.square.setChecked(False)
    size.w.setValue(3)
    assert _layer(state, 4)["output_size"] == [2, 3]
    assert state.report.layers[4].output_shape == (4, 2, 3)
    assert state.undo_stack.undoText() == "Set pool2 output_size to 2×3"


@pytest.mark.parametrize("index", range(len(LAYERS_UNDER_EDIT)))
def test_ranges_come_from_the_schema(form, index):
    widget, state = form
    widget.set_layer(index)
    schema = LAYERS[LAYERS_UNDER_EDIT[index]["type"]].schema
    for key, param in schema.items():
        editor = widget.editor(key)
        spins = [editor.h, editor.w] if isinstance(editor, PairEditor) else [editor]
        if isinstance(editor, FloatEditor):
            if editor.spin_box is None:
                validator = editor.line_edit.validator()
                assert (validator.bottom(), validator.top()) == (param.minimum, param.maximum)
                continue
            spins = [editor.spin_box]
        if param.kind == "bool":
            continue
        for spin in spins:
            assert spin.minimum() == param.minimum, key
            top = param.maximum - 1e-3 if param.exclusive_max else param.maximum
            assert spin.maximum() == pytest.approx(top), key


def test_values_outside_the_range_never_reach_the_spec(form, qtbot):
    widget, state = form
    widget.set_layer(0)
    out = widget.editor("out_channels")
    out.setValue(10 ** 7)  # clamped by the spin box to the schema's maximum
    assert _layer(state, 0)["out_channels"] == LAYERS["conv2d"].schema["out_channels"].maximum
    widget.set_layer(5)
    widget.editor("p").spin_box.setValue(1.0)  # p must stay below 1
    assert 0.99 <= _layer(state, 5)["p"] < 1.0
    widget.set_layer(2)
    eps = widget.editor("eps").line_edit
    eps.setText("5")  # above 1: the validator does not accept it, so Return does nothing
    assert not eps.hasAcceptableInput()
    count = state.undo_stack.count()
    qtbot.keyClick(eps, Qt.Key.Key_Return)
    assert state.undo_stack.count() == count and _layer(state, 2).get("eps") is None
    # a value that gets past an editor anyway is refused by the spec, shown, and not applied
    eps.editingFinished.emit()
    assert not widget.error.isHidden() and "eps" in widget.error.text()
    assert state.undo_stack.count() == count and "eps" not in _layer(state, 2)


def test_selecting_nothing_clears_the_form(form):
    widget, _ = form
    widget.set_layer(0)
    assert widget.index == 0
    widget.set_layer(None)
    assert widget.index is None and "Select a layer" in widget.title.text()
    with pytest.raises(KeyError):
        widget.editor("out_channels")


def test_format_value():
    assert [format_value(v) for v in (3, [5, 3], [2, 2], "same", True, False, 0.25)] == [
        "3", "5×3", "2", "same", "on", "off", "0.25"]
    assert format_value(None, "stride") == "window size"
