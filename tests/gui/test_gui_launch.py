"""The real ``python main.py`` opens a window on an X server (Xvfb); skipped without Xvfb."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def _free_display() -> int:
    for n in range(150, 250):
        if not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists():
            return n
    pytest.skip("no free X display number")


@pytest.fixture
def xvfb():
    binary = shutil.which("Xvfb")
    if binary is None:
        pytest.skip("Xvfb is not installed (apt-get install xvfb)")
    n = _free_display()
    server = subprocess.Popen([binary, f":{n}", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while not Path(f"/tmp/.X11-unix/X{n}").exists():
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.skip("Xvfb did not start")
            time.sleep(0.05)
        yield f":{n}"
    finally:
        server.terminate()
        try:
            server.wait(5)
        except subprocess.TimeoutExpired:
            server.kill()


def test_main_py_shows_the_window(xvfb, tmp_path):
    env = dict(os.environ, DISPLAY=xvfb, QT_QPA_PLATFORM="xcb", CONVSCOPE_REPORT_STARTUP="1",
               HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_CACHE_HOME=str(tmp_path / "cache"))
    started = time.monotonic()
    app = subprocess.Popen([sys.executable, str(ROOT / "main.py")], cwd=ROOT, env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = []
    try:
        deadline = started + 30
        while time.monotonic() < deadline:
            line = app.stdout.readline()
            if not line:
                break
            lines.append(line)
            if "first paint" in line:
                break
        assert any("first paint" in line for line in lines), "".join(lines)
        if shutil.which("xdotool"):
            found = subprocess.run(["xdotool", "search", "--name", "ConvScope"], env=env,
                                   capture_output=True, text=True, timeout=10)
            assert found.stdout.strip(), "no window named ConvScope on the X server"
        assert app.poll() is None, "".join(lines)
    finally:
        app.terminate()
        try:
            app.wait(10)
        except subprocess.TimeoutExpired:
            app.kill()
            app.wait()
