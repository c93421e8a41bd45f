"""The Korean UI in the main window, the Language menu, and every way loading a language can fail."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QLocale, QSettings
from PySide6.QtWidgets import QAbstractButton, QApplication, QDockWidget, QLabel, QWidget

from gui import i18n
from gui.explain.language import MODE_NAMES

#: The explainer's language chooser names each language in its own words.
LANGUAGE_NAMES = set(MODE_NAMES.values())

#: Names and units that stay as they are in Korean.
KEPT = {"ConvScope", "MNIST", "PyTorch", "CPU", "GPU", "Grad-CAM", "ONNX", "RGB", "MACs", "MAC", "KiB", "MiB",
        "Ctrl", "Shift", "Return", "Space", "Escape", "PNG", "seed000", "mnist", "json", "torch", "make", "setup",
        "English", "floor", "seed", "PCA", "t-SNE"}


def _english_words(text: str) -> list[str]:
    text = re.sub(r"<[^>]*>|&\w+;|\(&\w\)|&", " ", text)
    return [w for w in re.findall(r"[A-Za-z][A-Za-z-]{2,}", text) if w not in KEPT]


@pytest.fixture
def korean(qapp, tmp_path, monkeypatch):
    monkeypatch.setenv(i18n.LANGUAGE_ENV, "ko")
    result = i18n.install(qapp, None)
    yield result
    i18n.uninstall(qapp)


def test_the_main_window_speaks_korean(korean, qtbot, tmp_path):
    from gui.main_window import MainWindow

    assert korean == i18n.LanguageResult("ko", None, korean.font_family)
    window = MainWindow(settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    window.ask_to_save = False
    qtbot.addWidget(window)
    from engine.training.devices import describe_device

    window.engine_loaded(describe_device("cpu"))  # the viewers (feature maps, kernels, why) too
    try:
        texts: list[tuple[str, str]] = []
        menus = [a.menu() for a in window.menuBar().actions()]
        assert len(menus) >= 6
        while menus:
            menu = menus.pop()
            texts.append(("menu", menu.title()))
            for action in menu.actions():
                if action.menu() is not None:
                    menus.append(action.menu())
                elif not action.isSeparator() and action.text() not in ("English", "한국어"):
                    texts.append(("action", action.text()))
        texts += [("tab", window.views.tabText(i)) for i in range(window.views.count())]
        texts += [("dock", d.windowTitle()) for d in window.findChildren(QDockWidget)]
        for kind in (QAbstractButton, QLabel):
            for w in window.findChildren(kind):
                if w.text() and w is not window.builder.preset_label and w.text() not in LANGUAGE_NAMES \
                        and w is not window.explainer.controls.glossary.glossary_label:  # Korean beside English
                    texts.append((kind.__name__, w.text()))
        texts += [("header", window.builder.tree.headerItem().text(c))
                  for c in range(window.builder.tree.columnCount())]
        # what the engine names (the device, the dataset) is data, not interface text
        data = (window.state.dataset_info.title, window.device_label.text().partition(": ")[2])
        def words(text: str) -> list[str]:  # a file path is data too
            return _english_words(re.sub(r"(/[\w.-]+)+|im2col", "", text.replace(data[0], "").replace(data[1], "")))

        left = [(kind, text) for kind, text in texts if words(text)]
        assert left == []
        assert sum(bool(re.search("[가-힣]", t)) for _, t in texts) > 40
        assert window.menus.file_menu.title() == "파일(&F)"
        assert window.tab_index("Kernels") == window.tab_index("커널")  # code that names a tab in English still works
    finally:
        window.training.shutdown(3.0)


def test_english_is_the_default_in_tests_and_tr_returns_the_source(qapp):
    assert i18n.chosen_language(None) == "en"  # tests/conftest.py forces it
    assert i18n.resolve("system", QLocale(QLocale.Language.Korean)) == "ko"
    assert i18n.resolve("system", QLocale(QLocale.Language.German)) == "en"
    assert QApplication.translate("MainMenus", "&File") == "&File"


def test_the_language_menu_saves_the_choice_for_the_next_start(main_window):
    menu = main_window.menus.language_menu
    actions = {a.text(): a for a in menu.actions() if a.isCheckable()}
    assert list(actions) == ["System", "English", "한국어"]
    assert actions["English"].isChecked()  # as CONVSCOPE_LANGUAGE says (tests/conftest.py)
    assert any("restart" in a.text() for a in menu.actions())  # says when it applies
    actions["한국어"].trigger()
    assert main_window.settings.value("language") == "ko"
    assert "다시 시작" in main_window.statusBar().currentMessage()
    assert "starts again" in main_window.statusBar().currentMessage()


@pytest.mark.parametrize("choice", ["klingon", "xx_YY", ""])
def test_an_unknown_language_falls_back_to_english_with_one_message(qapp, monkeypatch, choice):
    monkeypatch.setenv(i18n.LANGUAGE_ENV, choice or " ")
    result = i18n.install(qapp, None)
    assert result.language == "en"
    assert result.message is not None and "English" in result.message
    assert QApplication.translate("MainMenus", "&File") == "&File"


@pytest.mark.parametrize("content", [None, b"", b"not a qm file at all" * 10])
def test_a_missing_or_damaged_qm_falls_back_to_english(qapp, monkeypatch, tmp_path, content):
    qm = tmp_path / "i18n" / "convscope_ko.qm"
    if content is not None:
        qm.parent.mkdir()
        qm.write_bytes(content)
    real = i18n.resource_path
    monkeypatch.setattr(i18n, "resource_path", lambda name: tmp_path / name if name.endswith(".qm") else real(name))
    monkeypatch.setenv(i18n.LANGUAGE_ENV, "ko")
    try:
        result = i18n.install(qapp, None)
        assert result.language == "en" and "stays in English" in result.message
        assert QApplication.translate("MainMenus", "&File") == "&File"
    finally:
        i18n.uninstall(qapp)


def test_a_font_that_does_not_load_falls_back_to_english(qapp, monkeypatch, tmp_path):
    bad = tmp_path / "fonts" / "convscope-hangul.ttf"
    bad.parent.mkdir()
    bad.write_bytes(b"\0" * 64)
    monkeypatch.setattr(i18n, "resource_path", lambda name: tmp_path / name)
    monkeypatch.setattr(i18n, "_font_ids", [])
    monkeypatch.setattr(i18n, "has_hangul_font", lambda: False)
    monkeypatch.setenv(i18n.LANGUAGE_ENV, "ko")
    try:
        result = i18n.install(qapp, None)
        assert result == i18n.LanguageResult("en", "the Korean font did not load: the interface stays in English")
    finally:
        i18n.uninstall(qapp)


def test_the_bundled_font_registers_when_asked(qapp):
    family = i18n.register_font()
    assert family == "ConvScope Hangul"
    assert i18n.register_font() == family  # once


def test_whats_this_texts_read_in_korean_for_every_panel(korean, qtbot):
    from gui.help import WHATS_THIS, install_whats_this

    panels = {key: QWidget() for key in WHATS_THIS}
    for w in panels.values():
        qtbot.addWidget(w)
    assert install_whats_this(panels) == list(WHATS_THIS)
    for key, w in panels.items():
        assert "<h3>" in w.whatsThis() and re.search("[가-힣]", w.whatsThis()), key
        assert "Learn it" not in w.whatsThis(), key


def test_the_translated_tables_name_every_engine_title_and_setting():
    """Titles and labels that come from the engine are translated through tables in gui/: keep them in step."""
    from engine.model.layers import GROUPS, LAYERS
    from gui.builder.form import PARAM_LABELS
    from gui.builder.palette import GROUP_TITLES

    assert GROUP_TITLES == tuple(GROUPS)
    keys = {key.replace("_", " ") for layer in LAYERS.values() for key in layer.schema} - {"p"}
    assert keys <= set(PARAM_LABELS)


def test_shortcut_names_lose_a_translated_mnemonic(korean, main_window):
    from gui.help import shortcut_rows

    names = [name for name, _ in shortcut_rows(main_window)]
    assert "공식" in names and not any("(F)" in n or "&" in n for n in names)


def test_uninstall_restores_english_and_the_default_locale(qapp, monkeypatch):
    before = QLocale().name()
    monkeypatch.setenv(i18n.LANGUAGE_ENV, "ko")
    assert i18n.install(qapp, None).language == "ko"
    assert QLocale().language() == QLocale.Language.Korean
    assert QApplication.translate("MainMenus", "&File") == "파일(&F)"
    i18n.uninstall(qapp)
    assert QLocale().name() == before
    assert QApplication.translate("MainMenus", "&File") == "&File"


def test_the_tables_of_engine_texts_name_every_setting_dataset_and_worked_example():
    """The training form's settings, the datasets and the explainer's worked examples are English in the engine;
    gui/ translates them through tables: keep them in step."""
    from engine.data.registry import DATASETS
    from engine.teach.examples import ONE_FILTER_NOTE, WORKED_EXAMPLES
    from engine.training.config import settings
    from gui.dataset_texts import DATASET_TEXTS
    from gui.explain.example_words import KOREAN
    from gui.training.config_form import SETTING_TEXTS

    shown = {text for s in settings() if s.in_app for text in (s.label, s.tooltip) if text}
    assert shown <= set(SETTING_TEXTS), shown - set(SETTING_TEXTS)
    assert {text for info in DATASETS.values() for text in (info.title, info.description)} <= set(DATASET_TEXTS)
    example_texts = {ONE_FILTER_NOTE} | {text for e in WORKED_EXAMPLES.values() for text in (
        e.title, e.input_title, e.kernel_title, e.pool_note, e.im2col_note) if text}
    assert example_texts <= set(KOREAN), example_texts - set(KOREAN)
    assert all(re.search("[가-힣]", KOREAN[text]) for text in example_texts)


def test_the_explainer_follows_the_app_language_and_keeps_its_own_switch(korean, qtbot):
    from gui.explain import language
    from gui.explain.panel import ExplainPanel

    assert language.mode() == "ko"  # a Korean app: the explainer in Korean only
    panel = ExplainPanel()
    qtbot.addWidget(panel)
    try:
        assert panel.back_button.text() == "◀ 이전" and panel.settings.title() == "설정"
        assert panel.language_combo.currentData() == "ko"
        assert "출력 크기" in panel.formula_label.text() and "Output size" not in panel.formula_label.text()
        assert panel.mode_tabs.tabText(0) == "합성곱"
        panel.show_topic("dropout")
        assert "Resample" not in panel.topic_page("dropout").resample_button.text()
        panel.set_language("both")  # the switch applies at once, to the step page and the concept pages
        assert panel.back_button.text() == "◀ Back" and panel.mode_tabs.tabText(0) == "Convolution · 합성곱"
        assert panel.topic_page("dropout").resample_button.text() == "Resample · 다시 뽑기"
        assert panel.formula_label.text().startswith("Output size · 출력 크기")
        panel.set_language("en")
        assert panel.settings.title() == "Settings" and panel.language_combo.currentData() == "en"
    finally:
        language.set_mode(None)
    assert language.mode() == "ko" and panel.settings.title() == "설정"


def test_an_english_app_shows_the_explainer_in_both_languages(qapp):
    from gui.explain import language

    assert language.mode() == "both"
    assert language.pair("Play", "재생") == "Play · 재생"
