"""The explainer's topics: the concept pages, the errata page, the 6×6 example's hatched gaps and
Help → Errata. Every page is checked in both languages and for text cut off at 1100×800."""

from __future__ import annotations

import re

import numpy as np
import pytest
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QAbstractButton, QLabel, QTableWidget

from engine.teach.errata import ERRATA
from engine.teach.gaps import SEED003_UNKNOWN, dependent_outputs
from gui.explain.gap_marks import INPUT_TIP, OUTPUT_TIP
from gui.explain.panel import ExplainPanel
from gui.explain.topics import TOPICS

HANGUL = re.compile("[\uac00-\ud7a3]")
LATIN = re.compile("[A-Za-z]{3}")


@pytest.fixture
def panel(qtbot):
    widget = ExplainPanel()
    qtbot.addWidget(widget)
    widget.resize(1100, 800)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def cut_off(page) -> list[str]:
    """Every visible label, button or grid cell of ``page`` whose text does not fit its widget."""
    problems = []
    for label in page.findChildren(QLabel):
        if not label.isVisibleTo(page) or not label.text():
            continue
        if label.wordWrap():
            needed = label.heightForWidth(label.width())
            if label.height() + 1 < needed:
                problems.append(f"label {label.text()[:40]!r}: {label.height()} < {needed}")
        elif label.width() + 1 < label.minimumSizeHint().width():
            problems.append(f"label {label.text()[:40]!r}: {label.width()} < {label.minimumSizeHint().width()}")
    for button in page.findChildren(QAbstractButton):
        if button.isVisibleTo(page) and button.width() + 1 < button.sizeHint().width():
            problems.append(f"button {button.text()!r}")
    for table in page.findChildren(QTableWidget):
        if not table.isVisibleTo(page):
            continue
        metrics = table.fontMetrics()
        for r in range(table.rowCount()):
            for c in range(table.columnCount()):
                item = table.item(r, c)
                if item is not None and metrics.horizontalAdvance(item.text()) + 4 > table.columnWidth(c):
                    problems.append(f"cell {item.text()!r} in a {table.columnWidth(c)} px column")
    return problems


@pytest.mark.parametrize("key", [key for key in TOPICS if key != "steps"])
def test_every_concept_page_shows_in_both_languages_without_cut_off_text(panel, qtbot, key):
    panel.show_topic(key)
    page = panel.topic_page(key)
    assert panel.topic() == key and panel.topic_stack.currentWidget() is page
    qtbot.wait(20)
    intro = page.intro_label.text()
    assert HANGUL.search(intro) and LATIN.search(intro)
    assert HANGUL.search(panel.topic_combo.currentText()) and LATIN.search(panel.topic_combo.currentText())
    assert cut_off(page) == []


def test_the_topic_chooser_lists_every_topic_and_steps_come_back_for_an_input(panel):
    assert [panel.topic_combo.itemData(i) for i in range(panel.topic_combo.count())] == list(TOPICS)
    panel.show_topic("dropout")
    panel.set_input_array(np.eye(5), "eye")
    assert panel.topic() == "steps" and panel.topic_stack.currentIndex() == 0
    with pytest.raises(KeyError):
        panel.show_topic("nonsense")


def test_the_1d_page_shows_the_note_s_numbers_and_padding(panel):
    page = panel.topic_page("conv1d")
    panel.show_topic("conv1d")
    assert panel.table_texts(page.output_table) == [["1", "1", "1"]]
    assert "The note prints [1, 1, 1]; computed [1, 1, 1]" in page.lines_label.text()
    page.padding_spin.setValue(1)
    assert panel.table_texts(page.output_table) == [["0.75", "1", "1", "1", "0.75"]]


def test_dropout_resample_draws_again_and_keeps_the_scale(panel):
    panel.show_topic("dropout")
    page = panel.topic_page("dropout")
    first = page.demo
    masks = {tuple(first.mask)}
    for _ in range(5):
        page.resample_button.click()
        masks.add(tuple(page.demo.mask))
        assert page.demo.scale == pytest.approx(1 / 0.7)
    assert len(masks) > 1
    page.p_spin.setValue(0.5)
    assert page.demo.scale == pytest.approx(2.0)
    assert "1/(1 − 0.5) = 2" in page.numbers_label.text()


def test_batchnorm_shows_an_empty_state_without_a_network(panel):
    panel.show_topic("batchnorm")
    page = panel.topic_page("batchnorm")
    assert page.maps is None and "No feature maps" in page.status_label.text()
    assert not page.channel_spin.isEnabled()


def test_batchnorm_uses_the_app_s_network_and_input(panel):
    from engine.model.presets import PRESETS
    from gui.state import AppState

    class Draw(QObject):
        inputChanged = Signal(object)

    state, draw = AppState(PRESETS["seed003"].spec), Draw()
    images = [np.random.default_rng(0).random((1, 1, 28, 28)).astype(np.float32)]
    panel.attach(state, lambda: images[-1], draw.inputChanged)
    panel.show_topic("batchnorm")
    page = panel.topic_page("batchnorm")
    assert page.maps is not None and page.maps.layer == "conv1" and page.maps.before.shape == (32, 784)
    np.testing.assert_allclose(page.maps.mean_after, 0, atol=1e-9)
    assert "conv1" in page.status_label.text() and "untrained" in page.status_label.text()
    texts = panel.table_texts(page.stats_table)
    assert all(float(v.replace("−", "-")) == 0 for v in texts[2])
    page.channel_spin.setValue(5)
    assert "mean 0" in page.plots[1].plotItem.titleLabel.text
    before = page.maps.before.copy()
    images.append(images[0] * 0.5)
    draw.inputChanged.emit(images[-1])  # a new drawing: the page follows it
    assert not np.allclose(page.maps.before, before)
    state.set_spec(PRESETS["seed000"].spec)  # no BatchNorm: the first conv's output
    assert page.maps.layer == "conv1"
    dense = panel.topic_page("dense")
    panel.show_topic("dense")
    assert "seed000" in dense.network_label.text() and "19,694,080" in dense.rows_label.text()


def test_the_memory_page_lists_every_conv_layer_and_col2im_s_coverage(panel):
    panel.show_topic("memory")
    page = panel.topic_page("memory")
    assert [row.layer for row in page.rows] == ["conv1", "conv2"]
    assert page.memory_table.rowCount() == 2 and page.memory_table.item(0, 2).text() == "784×9"
    assert panel.table_texts(page.coverage_table)[2] == ["3", "6", "9", "9", "6", "3"]


def test_the_errata_page_lists_every_erratum_confirmed(panel):
    panel.show_topic("errata")
    html = panel.topic_page("errata").browser.toPlainText()
    assert html.count("✓ confirmed") == len(ERRATA) and "✗" not in html
    for erratum in ERRATA:
        assert erratum.correct.en in html and erratum.correct.ko in html
    assert "20,480" in html and "18,496" in html


def test_the_6x6_example_hatches_the_gaps_and_the_outputs_reading_them(panel):
    panel.load_example("seed003_conv")
    table, out = panel.grids.input_tables[0], panel.pages.output_table
    hatched = {(r, c) for r in range(6) for c in range(6) if table.item(r, c).data(256) == "gap"}
    assert hatched == {(r, c) for r in (4, 5) for c in (0, 1, 2)}
    assert INPUT_TIP in table.item(4, 0).toolTip() and "노트에 없는 값" in table.item(4, 0).toolTip()
    assert "not in the note; taken as 0" in table.item(5, 2).toolTip()
    expected = dependent_outputs(SEED003_UNKNOWN, 3)
    marked = np.array([[out.item(r, c).data(256) == "gap" for c in range(4)] for r in range(4)])
    np.testing.assert_array_equal(marked, expected)
    assert OUTPUT_TIP in out.item(3, 0).toolTip() and not out.item(0, 0).toolTip()
    panel.set_parameters(padding=1)  # the dependency follows the window geometry
    out_marked = np.array([[out.item(r, c).data(256) == "gap" for c in range(6)] for r in range(6)])
    np.testing.assert_array_equal(out_marked, dependent_outputs(SEED003_UNKNOWN, 3, 1, 1))
    assert panel.grids.input_tables[0].item(5, 1).data(256) == "gap"  # padded: row 4 → grid row 5


def test_typing_a_hatched_cell_makes_it_known(panel):
    panel.load_example("seed003_conv")
    table = panel.grids.input_tables[0]
    table.item(4, 0).setText("1")
    assert table.item(4, 0).data(256) != "gap" and table.item(4, 1).data(256) == "gap"
    panel.set_input_array(np.ones((6, 6)))
    assert all(table.item(r, c).data(256) != "gap" for r in range(6) for c in range(6))


def test_help_errata_opens_the_errata_page(main_window):
    action = next(a for a in main_window.menus.help_menu.actions() if "Errata" in a.text())
    action.trigger()
    assert main_window.views.currentWidget() is main_window.explainer
    assert main_window.explainer.topic() == "errata"
