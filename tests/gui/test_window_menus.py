"""gui.menus: the View shortcuts, colour schemes, toolbar, Explain entries and what is enabled when."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from gui.menus import add_actions


def test_ctrl_1_to_4_bring_each_central_tab_to_front(main_window):
    views = main_window.views
    entries = main_window.menus.view_menu.actions()[:views.count()]
    assert [a.text() for a in entries] == [views.tabText(i) for i in range(views.count())]
    for index in reversed(range(views.count())):
        assert entries[index].shortcut().toString() == f"Ctrl+{index + 1}"
        entries[index].trigger()
        assert views.currentIndex() == index


def test_the_scheme_menu_switches_and_remembers_the_scheme(main_window):
    from gui.widgets import theme

    actions = main_window.menus.scheme_actions
    assert list(actions) == ["system", "light", "dark"]
    try:
        actions["dark"].trigger()
        assert theme.is_dark() and main_window.settings.value("scheme") == "dark"
        assert actions["dark"].isChecked() and not actions["light"].isChecked()
    finally:
        actions["light"].trigger()
    assert not theme.is_dark() and main_window.settings.value("scheme") == "light"


def test_the_toolbar_holds_files_undo_and_run_controls(main_window):
    menus, training = main_window.menus, main_window.training
    items = [None if a.isSeparator() else a for a in menus.toolbar.actions()]
    assert items == [menus.open_action, menus.save_action, None, menus.undo_action, menus.redo_action, None,
                     training.start_action, training.pause_action, training.stop_action]
    assert training.toggle_action in main_window.actions()  # Ctrl+Return works wherever the focus is


def test_file_and_undo_commands_wait_while_training_runs(main_window):
    menus = main_window.menus
    main_window.builder.add_layer("relu")
    menus.update_enabled(running=True, model_saveable=False)
    assert not any(a.isEnabled() for a in (menus.new_action, menus.open_action, menus.open_model_action,
                                           menus.undo_action, menus.save_model_action))
    menus.update_enabled(running=False, model_saveable=True)
    assert all(a.isEnabled() for a in (menus.new_action, menus.open_action, menus.open_model_action,
                                       menus.undo_action, menus.save_model_action))
    assert not menus.redo_action.isEnabled()  # nothing to redo


def test_explain_the_drawn_digit_opens_the_explainer(main_window):
    entries = {a.text(): a for a in main_window.menus.explain_menu.actions()}
    assert list(entries) == ["Explain the &Drawn Digit", "Explain the Selected &Feature Map", "Use a Learned &Kernel"]
    entries["Explain the &Drawn Digit"].trigger()
    assert main_window.views.currentWidget() is main_window.explainer
    main_window.show_view(0)
    entries["Use a Learned &Kernel"].trigger()  # no model yet: a hint, and the tab stays
    assert main_window.views.currentIndex() == 0
    assert "Train or open a model first" in main_window.statusBar().currentMessage()


def test_quit_closes_the_window(main_window):
    main_window.show()
    main_window.menus.quit_action.trigger()
    assert not main_window.isVisible()


def test_add_actions_puts_separators_where_none_stands():
    menu = QMenu()
    first, second = QAction("first", menu), QAction("second", menu)
    add_actions(menu, [first, None, second])
    items = menu.actions()
    assert items[0] is first and items[1].isSeparator() and items[2] is second and len(items) == 3
