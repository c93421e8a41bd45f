"""gui.document on its own: a Document over a bare QMainWindow, a state, a training panel and plots."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QSettings, QUrl
from PySide6.QtWidgets import QApplication, QFileDialog, QMainWindow, QMenu, QMessageBox

from engine.io.fileio import save_spec
from engine.model.presets import PRESETS
from engine.model.spec import NetworkSpec, SpecError
from gui.document import MAX_RECENT, Document, RecentFiles, accepts_drop, is_model_path, spec_error_text
from gui.state import AppState
from gui.training.panel import TrainingPanel
from gui.training.plots import TrainingPlots


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def document(qtbot, settings):
    from gui.widgets import theme

    theme.install(QApplication.instance())
    window = QMainWindow()
    qtbot.addWidget(window)
    state = AppState(PRESETS["seed000"].spec)
    plots = TrainingPlots()
    training = TrainingPanel(state, plots)
    window.setCentralWidget(training)
    doc = Document(window, state, training, plots, settings)
    doc.ask_to_save = False
    doc.update_title()
    yield doc
    training.shutdown(3.0)


def banner_text(doc: Document) -> str:
    return doc.training.banner.label.text()


def test_a_saved_architecture_opens_back_as_the_same_spec(document, tmp_path):
    saved = PRESETS["seed004"].spec
    document.state.edit_spec(saved, "Use seed004")
    path = str(tmp_path / "net.json")
    assert document.write_architecture(path)
    document.new_file()
    assert document.state.spec != saved and document.spec_path is None
    opened = []
    document.fileOpened.connect(opened.append)
    assert document.open_architecture(path)
    assert document.state.spec == saved == NetworkSpec.load(path)
    assert document.spec_path == path and opened == [path]
    assert document.recent.paths()[0] == path


def test_the_modified_marker_follows_edits_and_saves(document, tmp_path):
    window, state = document.window, document.state
    assert window.windowTitle() == "seed000 (unsaved)[*] — ConvScope"
    assert not window.isWindowModified() and not document.architecture_modified
    state.edit_spec(state.spec.replace(name="mine"), "Rename")
    assert window.isWindowModified() and window.windowTitle() == "mine (unsaved)[*] — ConvScope"
    assert document.write_architecture(str(tmp_path / "mine.json"))
    assert not window.isWindowModified() and window.windowTitle() == "mine.json[*] — ConvScope"
    state.undo_stack.undo()
    assert window.isWindowModified()
    state.undo_stack.redo()
    assert not window.isWindowModified()
    state.edit_spec(state.spec.replace(name="again"), "Rename again")
    document.new_file()
    assert not window.isWindowModified() and window.windowTitle() == "untitled (unsaved)[*] — ConvScope"


def test_recent_files_are_capped_newest_first_and_deduplicated(settings, tmp_path):
    recent = RecentFiles(settings)
    assert recent.paths() == []
    paths = [str(tmp_path / f"net{n}.json") for n in range(MAX_RECENT + 3)]
    for path in paths:
        recent.add(path)
    assert recent.paths() == paths[::-1][:MAX_RECENT]
    recent.add(paths[-3])
    assert recent.paths()[0] == paths[-3] and recent.paths().count(paths[-3]) == 1
    assert len(recent.paths()) == MAX_RECENT
    assert recent.last_dir() == str(tmp_path)
    recent.clear()
    assert recent.paths() == []


def test_the_recent_menu_disables_missing_files_and_opens_the_others(document, qtbot, tmp_path):
    menu = QMenu()
    document.fill_recent_menu(menu)
    assert [(a.text(), a.isEnabled()) for a in menu.actions()] == [("(none)", False)]
    there = tmp_path / "there.json"
    save_spec(PRESETS["seed004"].spec, str(there))
    document.recent.add(str(there))
    document.recent.add(str(tmp_path / "gone.json"))
    document.fill_recent_menu(menu)
    entries = [(a.text(), a.isEnabled()) for a in menu.actions() if not a.isSeparator()]
    assert entries == [("&1 gone.json", False), ("&2 there.json", True), ("Clear", True)]
    menu.actions()[1].trigger()
    assert document.spec_path == str(there) and document.state.spec.name == "seed004"
    menu.actions()[-1].trigger()
    assert document.recent.paths() == []


def test_a_corrupt_architecture_shows_an_error_and_keeps_the_work(document, tmp_path):
    state = document.state
    state.edit_spec(state.spec.replace(name="work"), "Rename")
    before, steps = state.spec, state.undo_stack.count()
    bad = tmp_path / "broken.json"
    bad.write_text('{"name": "x", "layers": [')
    messages = []
    document.statusMessage.connect(lambda text, _ms: messages.append(text))
    assert not document.open_architecture(str(bad))
    assert state.spec == before and state.undo_stack.count() == steps and document.spec_path is None
    assert "broken.json" in banner_text(document) and messages == ["Cannot open broken.json"]
    assert document.window.isWindowModified()


def test_a_corrupt_model_shows_an_error_and_keeps_the_work(document, tmp_path):
    state = document.state
    assert not document.open_model(str(tmp_path / "early.safetensors"))
    assert "still loading" in banner_text(document)
    state.mark_engine_ready()
    weights = {"conv1.weight": np.zeros((32, 1, 3, 3), np.float32)}
    state.set_weights(weights)
    before = state.spec
    bad = tmp_path / "broken.safetensors"
    bad.write_bytes(b"\x08\x00\x00\x00\x00\x00\x00\x00not a model")
    assert not document.open_model(str(bad))
    assert state.spec == before and state.weights is weights
    assert document.model_path is None and document.loaded_checkpoint is None
    assert "Cannot open broken.safetensors" in banner_text(document)


def test_save_before_quitting_cancels_discards_or_saves(document, monkeypatch, tmp_path):
    document.ask_to_save = True
    assert document.confirm_discard("quit")  # nothing unsaved: no question
    document.state.edit_spec(document.state.spec.replace(name="edited"), "Rename")
    document.training.modelTrained.emit()
    assert document.model_unsaved
    asked = []

    def answer(button):
        def exec_(box):
            asked.append((box.text(), box.informativeText()))
            return button
        return exec_

    monkeypatch.setattr(QMessageBox, "exec", answer(QMessageBox.StandardButton.Cancel))
    assert not document.confirm_discard("quit")
    assert asked[0] == ("Save before you quit?", "The architecture has unsaved changes; "
                                                 "the trained model has not been saved.")
    monkeypatch.setattr(QMessageBox, "exec", answer(QMessageBox.StandardButton.Discard))
    assert document.confirm_discard("quit")
    document.model_unsaved = False
    path = str(tmp_path / "kept")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: (path, ""))
    monkeypatch.setattr(QMessageBox, "exec", answer(QMessageBox.StandardButton.Save))
    assert document.confirm_discard("quit")
    assert document.spec_path == path + ".json" and NetworkSpec.load(path + ".json").name == "edited"
    assert not document.architecture_modified


def test_a_trained_model_marks_the_model_unsaved(document, qtbot):
    with qtbot.waitSignal(document.modelChanged, timeout=1000):
        document.training.modelTrained.emit()
    assert document.model_unsaved and document.loaded_checkpoint is None


def test_a_dropped_file_opens_after_the_drop(document, qtbot, tmp_path):
    path = tmp_path / "dropped.json"
    save_spec(PRESETS["seed004"].spec, str(path))
    local, web = QMimeData(), QMimeData()
    local.setUrls([QUrl.fromLocalFile(str(path))])
    web.setUrls([QUrl("https://example.com/net.json")])
    assert accepts_drop(local) and not accepts_drop(web) and not accepts_drop(QMimeData())
    assert not document.drop(web)
    assert document.drop(local)
    assert document.spec_path is None  # not yet: the drop finishes first
    qtbot.waitUntil(lambda: document.spec_path == str(path), timeout=3000)
    assert document.state.spec.name == "seed004"


def test_model_paths_and_spec_error_text():
    assert is_model_path("a/net.safetensors") and is_model_path("NET.CONVSCOPE") and is_model_path("x.pt")
    assert not is_model_path("net.json") and not is_model_path("net")
    error = SpecError([(0, "kernel", "must be at least 1"), (None, None, "no layers")])
    assert spec_error_text(error) == "• layer 0, 'kernel': must be at least 1\n• no layers"
