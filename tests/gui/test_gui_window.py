"""The main window: panels and View toggles, help, settings, drag and drop, scheme, prompts."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QLabel, QMessageBox

from engine.io.fileio import save_spec
from engine.model.presets import PRESETS


def test_add_panel_is_one_line_with_a_view_toggle(main_window):
    dock = main_window.add_panel("Kernels", QLabel("kernels here"), Qt.DockWidgetArea.RightDockWidgetArea,
                                 "kernelsDock")
    toggles = {a.text(): a for a in main_window.menus.panels_menu.actions()}
    assert {"Layers", "Training", "Kernels"} <= set(toggles)
    main_window.show()
    assert dock.isVisible()
    toggles["Kernels"].trigger()
    assert not dock.isVisible()
    assert main_window.docks["kernelsDock"] is dock


def test_menus_and_standard_shortcuts(main_window):
    titles = [a.text() for a in main_window.menuBar().actions()]
    assert titles[:3] == ["&File", "&Edit", "&View"] and "&Help" in titles
    menus = main_window.menus
    assert not menus.new_action.shortcut().isEmpty()
    assert not menus.save_as_action.shortcut().isEmpty()
    assert main_window.training.toggle_action.shortcut().toString() == "Ctrl+Return"
    files = [a.text() for a in menus.file_menu.actions()]
    for text in ("&New", "&Open Architecture…", "&Save Architecture", "Save Architecture &As…",
                 "Open &Model…", "Save Mo&del…", "Recent &Files", "&Quit"):
        assert text in files


def test_formulas_dialog_shows_the_seed_formulas(main_window):
    dialog = main_window.menus.show_formulas()
    text = dialog.layout().itemAt(0).widget().toPlainText()
    assert "O = floor((I − K + 2P) / S) + 1" in text
    assert "K·K·Cin·Cout + Cout" in text
    assert "no parameters" in text and "keeps the number of channels" in text
    dialog.close()


def test_start_is_disabled_with_the_reason_until_the_engine_is_ready(main_window):
    panel = main_window.training
    assert not panel.start_action.isEnabled()
    assert "loading" in panel.start_action.toolTip()


def test_status_bar_shows_device_and_threads(ready_window):
    from engine.training.devices import describe_device

    device, name = describe_device("auto")
    assert ready_window.device_label.text() == f"Device: {name}"
    if device == "cpu":
        assert ready_window.device_label.text().startswith("Device: CPU")
    assert ready_window.threads_label.text().startswith("Threads: ")
    assert ready_window.training.start_action.isEnabled()


def test_dock_layout_and_recent_files_persist(main_window, qtbot, tmp_path):
    from gui.main_window import MainWindow

    main_window.show()
    main_window.training_dock.hide()
    main_window.document.recent.add(str(tmp_path / "a.json"))
    main_window.close()
    settings = QSettings(main_window.settings.fileName(), QSettings.Format.IniFormat)
    again = MainWindow(settings=settings)
    again.ask_to_save = False
    qtbot.addWidget(again)
    again.restore_layout()
    again.show()
    assert not again.training_dock.isVisible() and again.builder_dock.isVisible()
    assert again.recent_files() == [str(tmp_path / "a.json")]


def test_dropping_an_architecture_file_opens_it(main_window, qtbot, tmp_path):
    path = tmp_path / "dropped.json"
    save_spec(PRESETS["seed004"].spec, str(path))
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    main_window.dropEvent(event)
    qtbot.waitUntil(lambda: main_window.document.spec_path == str(path), timeout=3000)
    assert main_window.state.spec.name == "seed004"
    assert "dropped.json" in main_window.windowTitle()


def test_dark_scheme_reaches_the_plots(main_window):
    from gui.widgets import theme

    th = theme.current()
    main_window.plots.ensure_built()
    try:
        main_window.set_scheme("dark")
        assert theme.is_dark()
        assert main_window.plots.loss_plot.backgroundBrush().color().lightness() < 128
    finally:
        main_window.set_scheme("light")
    assert not theme.is_dark()
    assert main_window.plots.loss_plot.backgroundBrush().color().lightness() > 128
    assert th.scheme == "light"


def test_unsaved_changes_prompt_can_cancel_quitting(main_window, monkeypatch):
    main_window.ask_to_save = True
    main_window.builder.add_layer("relu")
    assert main_window.isWindowModified()
    asked = []

    def answer(box):
        asked.append(box.informativeText())
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "exec", answer)
    main_window.show()
    assert not main_window.close()
    assert main_window.isVisible() and "unsaved changes" in asked[0]
    monkeypatch.setattr(QMessageBox, "exec", lambda box: QMessageBox.StandardButton.Discard)
    assert main_window.close()
