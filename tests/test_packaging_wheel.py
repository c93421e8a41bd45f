"""The wheel, installed into a fresh virtualenv and run from outside the clone: the CLI trains on the
bundled sample and the app starts offscreen. Built and installed offline (no build isolation, no
index); the fresh venv reads the test interpreter's site-packages for the dependencies (torch,
PySide6, …) through a .pth file, while ConvScope itself comes only from the wheel."""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest

from tests.test_packaging import resource_files, tree_packages

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow
SOURCES = ("pyproject.toml", "README.md", "main.py", "engine", "gui", "resources")


def _run(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run(args, capture_output=True, text=True, **kwargs)
    assert done.returncode == 0, f"{args} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(venv's bin folder, a working folder outside the clone, the clean environment)."""
    pytest.importorskip("setuptools", reason="building the wheel offline needs setuptools in this environment")
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    for name in SOURCES:  # a copy, so the build leaves nothing in the clone
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            src.mkdir(exist_ok=True)
            shutil.copy2(path, src / name)
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q",
          "--disable-pip-version-check", "-w", str(tmp / "dist"), str(src)], timeout=120)
    wheel = next((tmp / "dist").glob("convscope-*.whl"))
    venv = tmp / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], timeout=60)
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / "python"
    purelib = _run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                   timeout=30).stdout.strip()
    deps = [p for p in site.getsitepackages() if Path(p).resolve() != ROOT]
    Path(purelib, "_test_dependencies.pth").write_text("\n".join(deps) + "\n", encoding="utf-8")
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", "-q",
          "--disable-pip-version-check", str(wheel)], timeout=120)
    outside = tmp / "elsewhere"
    outside.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env.update(HOME=str(outside), XDG_CONFIG_HOME=str(outside / "config"), XDG_CACHE_HOME=str(outside / "cache"),
               XDG_DATA_HOME=str(outside / "data"), QT_QPA_PLATFORM="offscreen")
    return wheel, bin_dir, outside, env


def test_the_wheel_holds_every_module_and_resource(installed):
    wheel = installed[0]
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = [f"convscope_resources/{name}" for name in resource_files() if f"convscope_resources/{name}" not in names]
    missing += [f"{package.replace('.', '/')}/{p.name}" for package in tree_packages()
                for p in (ROOT / package.replace(".", "/")).glob("*.py")
                if f"{package.replace('.', '/')}/{p.name}" not in names]
    assert missing == []
    assert "main.py" in names and "engine/model/presets.json" in names


def test_installed_code_and_resources_come_from_the_venv(installed):
    _, bin_dir, outside, env = installed
    code = ("import engine, gui, main; from engine.resources import resource_path; "
            "print(engine.__file__); print(gui.__file__); print(resource_path('mnist_sample.npz', must_exist=True))")
    lines = _run([str(bin_dir / "python"), "-c", code], cwd=outside, env=env, timeout=60).stdout.split("\n")
    venv = bin_dir.parent.resolve()
    for line in lines[:3]:
        assert Path(line).resolve().is_relative_to(venv), line
    assert not any(Path(line).resolve().is_relative_to(ROOT) for line in lines[:3])


def test_installed_cli_trains_one_epoch_outside_the_clone(installed):
    _, bin_dir, outside, env = installed
    done = _run([str(bin_dir / "convscope-cli"), "train", "--preset", "seed000", "--dataset", "mnist-sample",
                 "--epochs", "1", "--threads", "2", "--json", "--out", "seed000.safetensors"],
                cwd=outside, env=env, timeout=300)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["status"] == "completed" and result["epochs"] == 1
    assert result["test_accuracy"] > 0.5  # chance is 0.1; one epoch of seed000 reaches about 0.9
    assert (outside / "seed000.safetensors").stat().st_size > 100_000


def test_installed_app_starts_offscreen_outside_the_clone(installed):
    _, bin_dir, outside, env = installed
    icon_code = ("from PySide6.QtWidgets import QApplication; app = QApplication([]); from gui.app import app_icon; "
                 "print(sorted({s.width() for s in app_icon().availableSizes()}))")
    sizes = _run([str(bin_dir / "python"), "-c", icon_code], cwd=outside, env=env, timeout=60).stdout
    assert json.loads(sizes) == [16, 24, 32, 48, 64, 128, 256, 512]
    app = subprocess.Popen([str(bin_dir / "convscope")], cwd=outside, env=dict(env, CONVSCOPE_REPORT_STARTUP="1"),
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    watchdog = threading.Timer(120, app.kill)  # a hang guard; bench/gui_bench.py times the start
    watchdog.start()
    try:
        seen = []
        for line in app.stdout:  # until the engine (torch) has loaded in the background
            seen.append(line)
            if "engine ready" in line:
                break
        still_running = app.poll() is None
    finally:
        watchdog.cancel()
        app.kill()
        app.wait()
    text = "".join(seen)
    assert "first paint" in text and "engine ready" in text and still_running, text
