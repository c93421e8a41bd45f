"""No widget text set from a bare English literal in gui/ (it would never be translated)."""

from __future__ import annotations

from pathlib import Path

from tools.untranslated_literals import needs_translation, scan, scan_source

ROOT = Path(__file__).resolve().parents[2]
#: Packages and modules other engineers were changing when the Korean UI landed: all wrapped now.
NOT_YET: tuple[str, ...] = ()


def test_gui_sets_no_widget_text_from_a_bare_literal():
    problems = scan([ROOT / "gui"], skip=NOT_YET)
    assert problems == [], "wrap these in self.tr() / QCoreApplication.translate()"


def test_the_scan_finds_bare_literals_and_passes_translated_ones():
    source = '''
label = QLabel("Feature maps")
label.setToolTip(f"weights of {name}")
button.setText("Start" if idle else "Stop")
menu.addAction(self.tr("Open"))
menu.addAction(QCoreApplication.translate("Ctx", "Open"))
combo.addItem(self.tr("auto"), "auto")
label.setText("×")
label.setText(f"{value:.2f} %")
QFileDialog.getSaveFileName(self, self.tr("Save"), "layer_stats.npz", self.tr("NumPy (*.npz)"))
QFileDialog.getSaveFileName(self, "Save statistics", "layer_stats.npz")
'''
    found = scan_source(source)
    assert [line.split(": ", 1)[1] for line in found] == [
        "QLabel('Feature maps')", "setToolTip('weights of ')", "setText('Start')", "setText('Stop')",
        "getSaveFileName('Save statistics')"]  # a file name given to a dialog is a path, not text


def test_the_explainers_pairs_count_as_translated_and_a_bare_literal_beside_them_does_not():
    source = '''
label.setText(say(WORDS["topic"]) + ":")
label.setText(pair("Play", "재생"))
bind(label, B("Example", "예제"), label.setText)
button.setText(pair("Play", "재생") + " now")
'''
    found = scan_source(source)
    assert [line.split(": ", 1)[1] for line in found] == ["setText(' now')"]
    assert NOT_YET == ()


def test_symbols_numbers_and_names_need_no_translation():
    for text in ("×", "—", "%", "3 × 3", "0.001", "ConvScope", "MNIST · PyTorch", "<b></b>&nbsp;·", "특성 맵"):
        assert not needs_translation(text), text
    assert needs_translation("Open image…")
