"""The Korean translation files: complete, current, compiled, and a font that covers them."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tools.ts_tool import entries

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "i18n" / "convscope_ko.ts"
QM = TS.with_suffix(".qm")
FONT = ROOT / "resources" / "fonts" / "convscope-hangul.ttf"
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def _tool(name: str) -> str:
    found = Path(sys.executable).with_name(name)
    path = str(found) if found.exists() else shutil.which(name)
    if path is None:
        pytest.skip(f"{name} (ships with PySide6) is not installed")
    return path


def test_every_entry_is_translated_and_none_is_obsolete():
    all_entries = entries(TS)
    assert len(all_entries) > 200
    left = [(e.context, e.source) for e in all_entries if e.state]
    assert left == [], "translate these (python tools/ts_tool.py unfinished), then make translations"


def test_the_ts_holds_every_string_of_gui(tmp_path):
    """lupdate over gui/ now adds nothing new and drops nothing: the .ts is current."""
    fresh = tmp_path / "fresh.ts"
    shutil.copy(TS, fresh)
    files = sorted(str(p) for p in (ROOT / "gui").rglob("*.py"))
    subprocess.run([_tool("pyside6-lupdate"), *files, "-locations", "none", "-no-obsolete", "-target-language",
                    "ko_KR", "-ts", str(fresh)], check=True, capture_output=True, cwd=ROOT)
    new = [(e.context, e.source) for e in entries(fresh) if e.state]
    assert new == [], "new strings in gui/: run make translations and translate them"
    assert {(e.context, e.source) for e in entries(fresh)} == {(e.context, e.source) for e in entries(TS)}


def test_the_committed_qm_is_compiled_from_the_ts(tmp_path):
    rebuilt = tmp_path / "rebuilt.qm"
    subprocess.run([_tool("pyside6-lrelease"), str(TS), "-qm", str(rebuilt)], check=True, capture_output=True)
    assert rebuilt.read_bytes() == QM.read_bytes(), "run make translations"


def test_translations_keep_placeholders_and_accelerators():
    for e in entries(TS):
        assert sorted(re.findall(r"\{\d\}", e.source)) == sorted(re.findall(r"\{\d\}", e.translation)), e.source
        assert ("&" in e.source.replace("&&", "").replace("&nbsp;", "")) == \
            bool(re.search(r"&[^\s;]*(?:[^;]|$)", e.translation.replace("&nbsp;", ""))), e.source
        if re.search(r"[A-Za-z]{3}", e.source) and e.source not in ("Main",):
            assert HANGUL.search(e.translation) or e.translation == e.source, e.source


def test_the_bundled_font_covers_the_app_and_the_common_syllables(qapp):
    from PySide6.QtGui import QRawFont

    font = QRawFont(str(FONT), 12)
    assert font.isValid()
    wanted = set(HANGUL.findall(TS.read_text(encoding="utf-8")))
    for f in [*(ROOT / "gui").rglob("*.py"), *(ROOT / "engine" / "teach").rglob("*.py")]:
        wanted |= set(HANGUL.findall(f.read_text(encoding="utf-8")))
    missing = sorted(c for c in wanted if not font.supportsCharacter(ord(c)))
    assert missing == [], "run resources/fonts/make_subset.py"
    common = [chr(c) for c in range(0xAC00, 0xD7A4) if len(chr(c).encode("euc_kr")) == 2]
    assert len(common) == 2350
    assert all(font.supportsCharacter(ord(c)) for c in common)
    assert "NanumGothic" not in font.familyName()  # a Reserved Font Name under the OFL
    assert (FONT.parent / "OFL.txt").read_text(encoding="utf-8").count("SIL OPEN FONT LICENSE") == 1
