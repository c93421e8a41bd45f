"""No display: ``python main.py`` exits 2 with one line before Qt starts; Wayland and X checks."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from gui.app import display_problem, x_server_answers

ROOT = Path(__file__).resolve().parents[2]
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11/Wayland checks are Linux-only")


def _scrubbed(**extra: str) -> dict[str, str]:
    """An environment with no display of any kind (and no Qt platform chosen)."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "WAYLAND_SOCKET", "XDG_SESSION_TYPE")}
    env.update(extra)
    return env


def _run_main(env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    env = dict(env, HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config"))
    return subprocess.run([sys.executable, str(ROOT / "main.py")], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=60)


def _free_display_number() -> int:
    for n in range(180, 260):
        if not Path(f"/tmp/.X11-unix/X{n}").exists() and not x_server_answers(f":{n}"):
            return n
    pytest.skip("no unused X display number")


@linux_only
def test_no_display_exits_2_with_one_line(tmp_path):
    done = _run_main(_scrubbed(), tmp_path)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    line = lines[0]
    assert "there is no display" in line and "neither DISPLAY nor WAYLAND_DISPLAY is set" in line
    assert "python main.py --help" in line and "QT_QPA_PLATFORM=offscreen" in line
    assert done.stdout == ""


@linux_only
def test_an_x_server_that_does_not_answer_is_no_display(tmp_path):
    n = _free_display_number()
    done = _run_main(_scrubbed(DISPLAY=f":{n}"), tmp_path)
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().splitlines() == [done.stderr.strip()]
    assert f"the X server at DISPLAY=:{n} does not answer" in done.stderr


@linux_only
def test_the_check_is_made_before_qt_is_imported(tmp_path):
    code = ("import sys; from gui.app import main; rc = main([]); "
            "print(rc, 'PySide6' in sys.modules, 'torch' in sys.modules)")
    env = dict(_scrubbed(), PYTHONPATH=str(ROOT), HOME=str(tmp_path))
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=60)
    assert done.stdout.split() == ["2", "False", "False"], done.stderr


@pytest.mark.parametrize("platform", ["offscreen", "minimal", "vnc", "offscreen:size=800x600"])
def test_screenless_platforms_need_no_display(platform):
    assert display_problem(_scrubbed(QT_QPA_PLATFORM=platform), "linux") is None


def test_other_systems_are_not_checked():
    assert display_problem(_scrubbed(), "darwin") is None
    assert display_problem(_scrubbed(), "win32") is None


@linux_only
def test_a_listening_x_socket_is_a_display(tmp_path):
    (tmp_path / "X7").parent.mkdir(exist_ok=True)
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(str(tmp_path / "X7"))
        server.listen(1)
        assert x_server_answers(":7", socket_dir=str(tmp_path))
        assert x_server_answers("unix:7.0", socket_dir=str(tmp_path))
    assert not x_server_answers(":7", socket_dir=str(tmp_path / "none"))
    assert not x_server_answers("garbage")


@linux_only
def test_x_over_tcp_that_refuses_is_no_display():
    for n in range(40, 90):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", 6000 + n))
            except OSError:
                continue
        assert not x_server_answers(f"127.0.0.1:{n}")
        env = _scrubbed(DISPLAY=f"127.0.0.1:{n}.0")
        assert f"DISPLAY=127.0.0.1:{n}.0 does not answer" in display_problem(env, "linux")
        return
    pytest.skip("no free port in 6040..6089")


@linux_only
def test_wayland_session_uses_wayland_then_xcb(tmp_path):
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as compositor:
        compositor.bind(str(tmp_path / "wayland-9"))
        compositor.listen(1)
        env = _scrubbed(WAYLAND_DISPLAY="wayland-9", XDG_RUNTIME_DIR=str(tmp_path))
        assert display_problem(env, "linux") is None
        assert env["QT_QPA_PLATFORM"] == "wayland;xcb"
        chosen = _scrubbed(WAYLAND_DISPLAY=str(tmp_path / "wayland-9"), QT_QPA_PLATFORM="wayland")
        assert display_problem(chosen, "linux") is None and chosen["QT_QPA_PLATFORM"] == "wayland"
    gone = _scrubbed(WAYLAND_DISPLAY="wayland-9", XDG_RUNTIME_DIR=str(tmp_path))
    problem = display_problem(gone, "linux")
    assert "WAYLAND_DISPLAY=wayland-9 does not answer" in problem and "QT_QPA_PLATFORM" not in gone
