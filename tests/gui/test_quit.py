"""Quitting: the app leaves at once (no Python teardown of torch and Qt) only after flushing what it keeps."""

import pytest
from PySide6.QtCore import QSettings

from gui import app as gui_app


def test_leave_now_flushes_settings_and_tasks_then_exits(tmp_path, monkeypatch, qapp):
    path = tmp_path / "convscope.ini"
    settings = QSettings(str(path), QSettings.Format.IniFormat)
    settings.setValue("scheme", "dark")
    calls = []
    monkeypatch.setattr("PySide6.QtCore.QThreadPool.waitForDone", lambda pool, ms: calls.append(("wait", ms)))

    def fake_exit(rc: int) -> None:
        calls.append(("exit", rc))
        raise SystemExit(rc)

    monkeypatch.setattr(gui_app.os, "_exit", fake_exit)
    with pytest.raises(SystemExit):
        gui_app.leave_now(3, settings)
    assert calls == [("wait", 1000), ("exit", 3)]
    assert "scheme=dark" in path.read_text()  # on disk before the exit, not at Python's teardown
