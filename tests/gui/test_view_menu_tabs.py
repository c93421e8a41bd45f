"""Tabs added once the engine loads get View entries and keys like the others (Ctrl+6, Ctrl+7)."""

from __future__ import annotations

from gui.viewers.layers_tabs import LAYERS_TAB, PROJECTOR_TAB


def test_the_statistics_tabs_have_view_entries_with_keys(ready_window):
    window = ready_window
    entries = {a.text(): a for a in window.menus.view_menu.actions() if a.text()}
    for title, key in ((LAYERS_TAB, "Ctrl+6"), (PROJECTOR_TAB, "Ctrl+7")):
        action = entries[title]
        assert action.shortcut().toString() == key
        window.show_view(0)
        action.trigger()
        assert window.views.tabText(window.views.currentIndex()) == title
    actions = window.menus.view_menu.actions()
    first_submenu = next(i for i, a in enumerate(actions) if a.menu() is not None)  # Colour Scheme
    assert actions.index(entries[PROJECTOR_TAB]) < first_submenu  # with the other tabs, before the scheme
