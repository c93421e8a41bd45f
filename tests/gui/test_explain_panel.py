"""gui.explain.panel: stepping through the seeds' examples, pooling, im2col, invalid settings, large inputs."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402

from engine.teach.checks import format_number  # noqa: E402
from engine.teach.conv_reference import conv2d  # noqa: E402
from engine.teach.examples import EXAMPLES, KERNEL_PRESETS, RGB_FILTER, RGB_IMAGE, SEED003_FILTER, SEED003_IMAGE  # noqa: E402
from engine.teach.steps import conv_steps  # noqa: E402
from gui.explain.panel import ExplainPanel  # noqa: E402


@pytest.fixture
def panel(qtbot):
    widget = ExplainPanel()
    qtbot.addWidget(widget)
    widget.resize(1300, 850)
    return widget


def _cells(table) -> list[str]:
    return [text for row in ExplainPanel.table_texts(table) for text in row]


def test_seed003_steps_fill_the_output_and_write_the_products(panel):
    panel.load_example("seed003_conv")
    assert panel.mode() == "conv"
    assert panel.step_count() == 16
    assert panel.pages.output_table.rowCount() == 4 and panel.pages.output_table.columnCount() == 4
    assert "floor((6 − 3 + 2·0) / 1) + 1 = 4" in panel.formula_label.text()
    assert set(_cells(panel.pages.output_table)) == {""}
    panel.step()
    assert "(1×1) + (0×0) + (0×1) + (0×0) + (1×1) + (0×0) + (0×1) + (0×0) + (1×1) = 3" in panel.step_text()
    for _ in range(3):
        panel.step()
    assert ExplainPanel.table_texts(panel.pages.output_table)[0] == ["3", "1", "1", "3"]
    assert "(0×1) + (0×0) + (1×1) + (0×0) + (1×1) + (0×0) + (1×1) + (0×0) + (0×1) = 3" in panel.step_text()
    panel.step()  # step 5 = output (1, 0)
    assert panel.table_texts(panel.pages.output_table)[1][0] == "1"
    assert "(0×1) + (1×0) + (0×1) + (0×0) + (0×1) + (1×0) + (1×1) + (0×0) + (0×1) = 1" in panel.step_text()
    # the window is highlighted on the input (rows 1–3, columns 0–2)
    window_bg = panel.grids.input_tables[0].item(1, 0).background().color()
    outside_bg = panel.grids.input_tables[0].item(0, 5).background().color()
    assert window_bg != outside_bg
    while panel.step_index() < panel.step_count() - 1:
        panel.step()
    expected = conv2d(SEED003_IMAGE[None, None], SEED003_FILTER[None, None])[0, 0]
    assert _cells(panel.pages.output_table) == [format_number(v) for v in expected.ravel()]
    assert panel.step_text().splitlines()[-1] == (
        "(0×1) + (1×0) + (0×1) + (0×0) + (1×1) + (0×0) + (0×1) + (1×0) + (0×1) = 1")
    panel.back()
    assert panel.table_texts(panel.pages.output_table)[3][3] == ""
    panel.reset()
    assert panel.step_index() == -1 and set(_cells(panel.pages.output_table)) == {""}


def test_keyboard_steps_and_play(panel, qtbot):
    panel.load_example("seed003_conv")
    panel.show()
    qtbot.waitExposed(panel)
    panel.activateWindow()
    qtbot.waitActive(panel)
    panel.setFocus()
    qtbot.keyClick(panel, Qt.Key.Key_Right)
    qtbot.keyClick(panel, Qt.Key.Key_Right)
    assert panel.step_index() == 1
    qtbot.keyClick(panel, Qt.Key.Key_Left)
    assert panel.step_index() == 0
    qtbot.keyClick(panel, Qt.Key.Key_Space)
    assert panel.is_playing()
    qtbot.waitUntil(lambda: panel.step_index() >= 2, timeout=5000)
    qtbot.keyClick(panel, Qt.Key.Key_Space)
    assert not panel.is_playing()


def test_pooling_shows_max_and_average(panel):
    panel.load_example("seed003_pool")
    assert panel.mode() == "pool"
    for _ in range(4):
        panel.step()
    assert _cells(panel.pages.max_table) == ["3", "12", "3", "4"]
    assert _cells(panel.pages.avg_table) == ["0", "3", "0", "1"]
    assert "max(0, 1, 4, −1) = 4" in panel.step_text()
    assert "(0 + 1 + 4 + (−1)) / 4 = 1" in panel.step_text()
    panel.reset()
    panel.step()
    assert "max(3, −1, −3, 1) = 3" in panel.step_text() and "3, −1, 3, −1" in panel.step_text()


def test_invalid_combination_is_explained_not_raised(panel):
    panel.set_input_array(np.arange(9.0).reshape(3, 3), "3×3")
    panel.set_parameters(kernel_size=5, padding=0)
    assert "below 1" in panel.explanation()
    assert panel.explanation_label.isVisibleTo(panel)
    assert "5-cell kernel" in panel.explanation_label.text()
    assert panel.step_count() == 0
    panel.step()  # nothing to step: no error
    for mode in ("multi", "pool", "im2col"):
        panel.set_mode(mode)
        assert panel.explanation()
    panel.set_parameters(padding=1)
    panel.set_mode("conv")
    assert panel.explanation() == "" and panel.step_count() == 1
    panel.set_mode("pool")
    panel.set_parameters(kernel_size=2, padding=2)
    assert "more than half" in panel.explanation()
    panel.set_input_array(np.full((3, 3), np.nan))
    assert "NaN" in panel.explanation()
    panel.set_kernel_array(np.zeros((2, 2, 2, 2)))
    assert "Cannot use this kernel" in panel.explanation()


def test_multichannel_shows_per_channel_results_and_their_sum(panel):
    panel.load_example("rgb")
    assert panel.mode() == "multi"
    assert len([t for t in panel.grids.input_tables if t.parentWidget().isVisibleTo(panel)]) == 3
    for _ in range(4):
        panel.step()
    out = conv2d(RGB_IMAGE[None], RGB_FILTER[None])[0, 0]
    assert _cells(panel.pages.sum_table) == [format_number(v) for v in out.ravel()]
    for ch in range(3):
        part = conv2d(RGB_IMAGE[None, ch:ch + 1], RGB_FILTER[None, ch:ch + 1])[0, 0]
        assert _cells(panel.pages.partial_tables[ch]) == [format_number(v) for v in part.ravel()]
    assert panel.step_text().splitlines()[-1].startswith("sum: ")


def test_set_input_array_28x28_and_downsample(panel):
    digit = np.random.default_rng(0).random((28, 28))
    panel.set_input_array(digit, "digit")
    panel.set_kernel_array(KERNEL_PRESETS["Sobel x"], "Sobel x")
    assert panel.explanation() == ""
    assert panel.grids.input_tables[0].rowCount() == 28
    assert panel.step_count() == 26 * 26
    assert not panel.grids.input_tables[0].item(0, 0).flags() & Qt.ItemFlag.ItemIsEditable
    panel.step()
    expected = conv_steps(digit, KERNEL_PRESETS["Sobel x"])[0].total
    assert panel.current_step().total == pytest.approx(expected)
    panel.settings.downsample_check.setChecked(True)
    assert panel.grids.input_tables[0].rowCount() == 14 and panel.step_count() == 12 * 12
    panel.set_input_array(np.random.default_rng(1).random((4, 9, 9)), "feature maps")
    panel.set_kernel_array(np.ones((4, 3, 3)), "learned kernel")
    panel.set_mode("multi")
    assert panel.explanation() == "" and panel.step_count() == 49


def test_editing_cells_recomputes(panel):
    panel.load_example("seed003_conv")
    panel.step()
    panel.grids.input_tables[0].item(0, 1).setText("5")  # input (0, 1) meets filter weight 0: no change
    assert panel.current_step().total == 3
    panel.grids.input_tables[0].item(0, 2).setText("5")  # meets weight 1: 3 − 0 + 5
    assert panel.current_step().total == 8
    assert panel.table_texts(panel.pages.output_table)[0][0] == "8"
    panel.grids.kernel_tables[0].item(1, 1).setText("-2")  # centre weight 1 → −2 on input 1
    assert panel.current_step().total == 5
    panel.grids.input_tables[0].item(0, 0).setText("abc")  # not a number: ignored, shown again
    assert panel.grids.input_tables[0].item(0, 0).text() == "1"


def test_padding_cells_are_grey_zeros(panel):
    panel.load_example("seed003_conv")
    panel.set_parameters(padding=1)
    table = panel.grids.input_tables[0]
    assert table.rowCount() == 8
    assert table.item(0, 0).text() == "0" and not table.item(0, 0).flags() & Qt.ItemFlag.ItemIsEditable
    assert table.item(0, 0).background().color() != table.item(1, 1).background().color()
    assert panel.pages.output_table.rowCount() == 6
    assert "floor((6 − 3 + 2·1) / 1) + 1 = 6" in panel.formula_label.text()


def test_im2col_mode_shows_the_unfolded_matrix(panel):
    panel.load_example("seed003_conv")
    panel.set_mode("im2col")
    assert (panel.pages.im2col.matrix_table.rowCount(), panel.pages.im2col.matrix_table.columnCount()) == (16, 9)
    assert panel.pages.im2col.kernel_column_table.rowCount() == 9
    row0 = ExplainPanel.table_texts(panel.pages.im2col.matrix_table)[0]
    assert row0 == [format_number(v) for v in SEED003_IMAGE[:3, :3].ravel()]
    for _ in range(16):
        panel.step()
    assert _cells(panel.pages.im2col.output_table)[:4] == ["3", "1", "1", "3"]
    assert ExplainPanel.table_texts(panel.pages.im2col.result_column_table)[4] == ["1"]
    assert "(16, 9)" in panel.pages.im2col.caption.text()
    panel.load_example("seed004")
    assert (panel.pages.im2col.matrix_table.rowCount(), panel.pages.im2col.matrix_table.columnCount()) == (9, 75)
    assert "(90, 75)" in panel.pages.im2col.caption.text()


def test_every_example_loads_and_steps(panel):
    for key in EXAMPLES:
        panel.load_example(key)
        assert panel.explanation() == ""
        panel.play()
        panel.pause()
        while panel.step_index() < panel.step_count() - 1:
            panel.step()
        assert panel.current_step() is not None


def test_editing_the_kernel_of_a_chosen_channel_edits_the_slice_shown(panel):
    panel.set_input_array(np.arange(48.0).reshape(3, 4, 4), "three channels")  # the 1-channel filter stays
    panel.settings.channel_combo.setCurrentIndex(2)
    assert panel.grids.kernel_tables[0].item(1, 1).text() == "1"
    panel.grids.kernel_tables[0].item(1, 1).setText("7")  # used to raise IndexError in the slot
    assert panel.grids.kernel_tables[0].item(1, 1).text() == "7"
    assert panel.explanation() == "" and panel.step_count() == 4


def test_the_standalone_digit_is_a_ring():
    from gui.explain.standalone import synthetic_digit

    digit = synthetic_digit()
    assert digit.shape == (28, 28) and digit[14, 14] < 0.01 and digit[14, 22] > 0.99
