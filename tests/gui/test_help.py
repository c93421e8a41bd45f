"""Help → Keyboard Shortcuts lists the window's own actions; What's This? on every panel."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWhatsThis

from gui.explain.controls import MODE_TITLES
from gui.help import WHATS_THIS, ShortcutsDialog, shortcut_rows


def _native(key: QKeySequence) -> str:
    return key.toString(QKeySequence.SequenceFormat.NativeText)


def test_the_shortcuts_dialog_lists_every_action_with_keys(main_window):
    keyed = [a for a in main_window.findChildren(QAction) if a.text() and not a.shortcut().isEmpty()]
    assert len(keyed) >= 15
    dialog = main_window.menus.show_shortcuts()
    assert isinstance(dialog, ShortcutsDialog) and dialog.isVisible()
    table = dialog.table
    shown = {(table.item(r, 0).text(), table.item(r, 1).text()) for r in range(table.rowCount())}
    keys_shown = {k for _, keys in shown for k in keys.split(", ")}
    for action in keyed:
        assert _native(action.shortcut()) in keys_shown, action.text()
    commands = {c for c, _ in shown}
    assert {"Start/Stop training", "What's This?", "Formulas"} <= commands, commands
    assert any(keys == _native(QKeySequence("Ctrl+Return")) for _, keys in shown)
    assert any(keys == _native(QKeySequence("Shift+F1")) for _, keys in shown)
    dialog.close()


def test_a_new_action_shows_up_without_touching_the_table(main_window):
    extra = QAction("Frobnicate the kernels", main_window)
    extra.setShortcut(QKeySequence("Ctrl+Alt+F"))
    assert ("Frobnicate the kernels", _native(QKeySequence("Ctrl+Alt+F"))) in shortcut_rows(main_window)
    assert all(text for text, _ in shortcut_rows(main_window))


def test_every_panel_has_whats_this_pointing_to_an_explainer_mode(ready_window):
    w = ready_window
    panels = {"builder": w.builder, "training": w.training, "draw": w.draw, "feature_maps": w.feature_maps,
              "kernels": w.insight.kernels_page, "why": w.insight.why, "explainer": w.explainer, "plots": w.plots}
    assert set(panels) == set(WHATS_THIS)
    modes = [title.split(" · ")[0] for title in MODE_TITLES.values()]
    for key, panel in panels.items():
        text = panel.whatsThis()
        assert text == WHATS_THIS[key], key
        assert "Convolution explainer" in text and any(f"<b>{m}</b> mode" in text for m in modes), key
    assert "arrow keys" in w.draw.whatsThis() and "Space" in w.draw.whatsThis()


def test_help_whats_this_enters_the_mode_with_shift_f1(main_window):
    action = main_window.menus.whats_this_action
    assert action in main_window.menus.help_menu.actions()
    assert action.shortcut() == QKeySequence("Shift+F1")
    action.trigger()
    try:
        assert QWhatsThis.inWhatsThisMode()
    finally:
        QWhatsThis.leaveWhatsThisMode()
    assert not QWhatsThis.inWhatsThisMode()
