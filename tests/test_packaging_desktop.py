"""The icon, the freedesktop launcher, the MIME types and ``make install-desktop`` / ``uninstall-desktop``."""

from __future__ import annotations

import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

from engine.resources import resource_path

ROOT = Path(__file__).resolve().parents[1]
DESKTOP = ROOT / "resources" / "desktop"
SCRIPT = DESKTOP / "install-desktop.sh"
MIME_NS = "{http://www.freedesktop.org/standards/shared-mime-info}"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
needs_sh = pytest.mark.skipif(shutil.which("sh") is None or os.name == "nt", reason="needs a POSIX shell")


def desktop_entry(path: Path) -> dict[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "[Desktop Entry]"
    return dict(line.split("=", 1) for line in lines[1:] if line and not line.startswith("#"))


def _validate(path: Path) -> None:
    tool = shutil.which("desktop-file-validate")
    if tool is None:
        pytest.skip("desktop-file-validate is not installed (apt package desktop-file-utils)")
    done = subprocess.run([tool, str(path)], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0 and "error" not in done.stdout, done.stdout + done.stderr


def _gray_alpha(image) -> np.ndarray:
    from PySide6.QtGui import QImage

    rgba = image.convertToFormat(QImage.Format.Format_RGBA8888)
    buf = np.frombuffer(rgba.constBits(), np.uint8, count=rgba.bytesPerLine() * rgba.height())
    return buf.reshape(rgba.height(), rgba.bytesPerLine() // 4, 4)[:, :rgba.width()].astype(int)


@pytest.mark.parametrize("side", SIZES)
def test_each_png_is_the_svg_rendered_at_its_size(qapp, side):
    import importlib.util

    from PySide6.QtGui import QImage

    spec = importlib.util.spec_from_file_location("render_pngs", ROOT / "resources" / "icons" / "render_pngs.py")
    render_pngs = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(render_pngs)
    png = QImage(str(resource_path(f"icons/convscope-{side}.png")))
    assert (png.width(), png.height()) == (side, side)
    fresh = _gray_alpha(render_pngs.render(resource_path("icons/convscope.svg"), side))
    stored = _gray_alpha(png)
    assert np.abs(fresh - stored).max() <= 2, "the PNGs are out of date: run resources/icons/render_pngs.py"
    assert stored[0, 0, 3] == 0 and stored[side // 2, side // 2, 3] == 255  # transparent corners, opaque tile


def test_the_app_icon_has_every_size(qapp):
    from gui.app import ICON_SIZES, app_icon

    assert ICON_SIZES == SIZES
    assert sorted({s.width() for s in app_icon().availableSizes()}) == list(SIZES)


def test_the_launcher_entry_is_valid():
    _validate(DESKTOP / "convscope.desktop")


def test_the_launcher_runs_convscope_with_a_file_and_lists_the_mime_types():
    entry = desktop_entry(DESKTOP / "convscope.desktop")
    assert entry["Type"] == "Application" and entry["Name"] == "ConvScope" and entry["Icon"] == "convscope"
    assert entry["Exec"] == "convscope %f" and entry["Terminal"] == "false"
    mime = ET.parse(DESKTOP / "convscope-mime.xml").getroot()
    types = {t.get("type") for t in mime.iter(f"{MIME_NS}mime-type")}
    assert types == {"application/x-safetensors", "application/x-convscope-model",
                     "application/x-convscope-architecture"}
    assert set(entry["MimeType"].rstrip(";").split(";")) == types | {"application/json"}
    globs = {g.get("pattern") for g in mime.iter(f"{MIME_NS}glob")}
    assert {"*.safetensors", "*.convscope"} <= globs


def test_the_mime_package_compiles(tmp_path):
    tool = shutil.which("update-mime-database")
    if tool is None:
        pytest.skip("update-mime-database is not installed (apt package shared-mime-info)")
    (tmp_path / "mime" / "packages").mkdir(parents=True)
    shutil.copy(DESKTOP / "convscope-mime.xml", tmp_path / "mime" / "packages")
    subprocess.run([tool, str(tmp_path / "mime")], check=True, capture_output=True, timeout=60)
    globs = (tmp_path / "mime" / "globs2").read_text(encoding="utf-8")
    assert "application/x-safetensors:*.safetensors" in globs and "application/x-convscope-model:*.convscope" in globs
    assert b'"num_classes"' in (tmp_path / "mime" / "magic").read_bytes()
    subclasses = (tmp_path / "mime" / "subclasses").read_text(encoding="utf-8")
    assert "application/x-convscope-architecture application/json" in subclasses


def _fake_program(tmp_path: Path) -> Path:
    exe = tmp_path / "my apps" / "convscope"
    exe.parent.mkdir()
    exe.write_text("#!/bin/sh\n", encoding="utf-8")
    exe.chmod(0o755)
    return exe


def _env(tmp_path: Path, path: str = "/usr/bin:/bin") -> dict[str, str]:
    return dict(os.environ, PATH=path, HOME=str(tmp_path / "home"), XDG_DATA_HOME=str(tmp_path / "share"))


def _installed_files(share: Path) -> set[str]:
    """Our files under ``share``, without the MIME database's own generated ones (mime/application/…)."""
    return {p.relative_to(share).as_posix() for p in share.rglob("*convscope*")
            if p.is_file() and not p.relative_to(share).as_posix().startswith("mime/application/")}


EXPECTED = {"applications/convscope.desktop", "mime/packages/convscope-mime.xml",
            "icons/hicolor/scalable/apps/convscope.svg"} | {f"icons/hicolor/{s}x{s}/apps/convscope.png" for s in SIZES}


@needs_sh
@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_install_desktop_copies_into_the_xdg_folders_and_uninstall_removes_them(tmp_path):
    exe = _fake_program(tmp_path)
    env, share = _env(tmp_path), tmp_path / "share"
    if any(shutil.which(t, path=env["PATH"]) for t in ("xdg-desktop-menu", "xdg-icon-resource", "xdg-mime")):
        env["PATH"] = str(tmp_path / "no-xdg")  # the copying path; the xdg path has its own test
        (tmp_path / "no-xdg").mkdir()
        for tool in ("sh", "mkdir", "cp", "rm", "mktemp", "dirname"):
            os.symlink(shutil.which(tool), tmp_path / "no-xdg" / tool)
    subprocess.run(["make", "-s", "-C", str(ROOT), "install-desktop", f"CONVSCOPE={exe}"], env=env, check=True,
                   capture_output=True, timeout=120)
    assert _installed_files(share) == EXPECTED
    entry = desktop_entry(share / "applications" / "convscope.desktop")
    assert entry["Exec"] == f'"{exe}" %f' and entry["TryExec"] == str(exe)
    _validate(share / "applications" / "convscope.desktop")
    subprocess.run(["make", "-s", "-C", str(ROOT), "uninstall-desktop"], env=env, check=True, capture_output=True,
                   timeout=120)
    assert _installed_files(share) == set()
    if (share / "mime" / "globs2").exists():  # the MIME cache was rebuilt without our types
        assert "safetensors" not in (share / "mime" / "globs2").read_text(encoding="utf-8")
        assert list((share / "mime").rglob("*convscope*")) == []


@needs_sh
def test_the_xdg_tools_are_used_where_present(tmp_path):
    exe = _fake_program(tmp_path)
    tools = tmp_path / "tools"
    tools.mkdir()
    log = tmp_path / "calls.log"
    for name in ("xdg-desktop-menu", "xdg-icon-resource", "xdg-mime"):
        script = tools / name
        script.write_text(f'#!/bin/sh\necho "{name} $*" >> "{log}"\n'
                          f'[ "$1" = install ] && [ "{name}" = xdg-desktop-menu ] && cp "$5" "{tmp_path}/launcher"\n'
                          "exit 0\n", encoding="utf-8")
        script.chmod(0o755)
    env = _env(tmp_path, f"{tools}:/usr/bin:/bin")
    subprocess.run(["sh", str(SCRIPT), "install", str(exe)], env=env, check=True, capture_output=True, timeout=60)
    calls = log.read_text(encoding="utf-8").splitlines()
    assert "xdg-desktop-menu install --mode user --novendor" in calls[-2]
    assert calls[-1] == ("xdg-mime default convscope.desktop application/x-safetensors "
                         "application/x-convscope-model application/x-convscope-architecture")
    assert sum(c.startswith("xdg-icon-resource install") for c in calls) == len(SIZES)
    assert any(c.startswith("xdg-mime install --mode user --novendor") and c.endswith("convscope-mime.xml")
               for c in calls)
    assert desktop_entry(tmp_path / "launcher")["Exec"] == f'"{exe}" %f'
    log.unlink()
    subprocess.run(["sh", str(SCRIPT), "uninstall"], env=env, check=True, capture_output=True, timeout=60)
    calls = log.read_text(encoding="utf-8").splitlines()
    assert calls[0] == "xdg-desktop-menu uninstall --mode user --novendor convscope.desktop"


@needs_sh
@pytest.mark.parametrize("program", ["convscope", "/no/such/convscope", '/tmp/a"b/convscope'])
def test_install_refuses_a_program_it_cannot_launch(tmp_path, program):
    done = subprocess.run(["sh", str(SCRIPT), "install", program], env=_env(tmp_path), capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 2 and done.stderr.startswith("install-desktop: ")
    assert not (tmp_path / "share").exists()
