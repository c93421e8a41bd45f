#!/usr/bin/env python3
"""What the Korean UI adds to launch: the bundled Hangul font, the translators, the font check (target ≤ 50 ms).

Each repeat is a fresh process (a font registers once per process), on Qt's offscreen platform:

1. ``has_hangul_font()``: the check every launch makes (is there a system font with Hangul?);
2. ``register_font()``: ``QFontDatabase.addApplicationFont`` of resources/fonts/convscope-hangul.ttf;
3. ``i18n.install`` for English and for Korean (font, convscope_ko.qm and Qt's qtbase_ko.qm);
4. launch to first paint of ``python main.py`` with CONVSCOPE_LANGUAGE=en and =ko (``--launches N``, 0 skips).

Run it on a quiet machine: ``.venv/bin/python bench/i18n_bench.py`` (``--json`` for one JSON object).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHILD = """
import json, os, sys, time
sys.path.insert(0, {root!r})
from PySide6.QtWidgets import QApplication
app = QApplication([])
from gui import i18n
what = sys.argv[1]
t = time.perf_counter()
if what == "check":
    i18n.has_hangul_font()
elif what == "font":
    assert i18n.register_font()
else:
    os.environ[i18n.LANGUAGE_ENV] = what
    result = i18n.install(app, None)
    assert result.language == what and result.message is None, result
print(json.dumps(time.perf_counter() - t))
"""


def child_ms(what: str) -> float:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", CHILD.format(root=str(ROOT)), what], env=env, check=True,
                         capture_output=True, text=True).stdout
    return 1000 * json.loads(out.strip().splitlines()[-1])


def first_paint_s(language: str) -> float:
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CONVSCOPE_REPORT_STARTUP="1", HOME=home,
                   XDG_CONFIG_HOME=f"{home}/.config", CONVSCOPE_LANGUAGE=language)
        proc = subprocess.Popen([sys.executable, str(ROOT / "main.py")], env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, text=True)
        try:
            for line in proc.stdout:
                if "first paint after" in line:
                    return float(line.split("after")[1].split()[0])
        finally:
            proc.kill()
            proc.wait()
    raise RuntimeError("the app never painted")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--launches", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args, _ = parser.parse_known_args()
    out = {}
    for what in ("check", "font", "en", "ko"):
        times = [child_ms(what) for _ in range(args.repeats)]
        out[f"{what}_ms_median"] = round(statistics.median(times), 1)
        out[f"{what}_ms"] = [round(t, 1) for t in times]
    for language in ("en", "ko") if args.launches else ():
        times = [first_paint_s(language) for _ in range(args.launches)]
        out[f"first_paint_{language}_s_median"] = round(statistics.median(times), 3)
    if args.json:
        print(json.dumps(out))
    else:
        labels = {"check": "system Hangul font check", "font": "register the bundled font",
                  "en": "install English", "ko": "install Korean (font + translators)"}
        for what, label in labels.items():
            print(f"{label:40s} {out[f'{what}_ms_median']:7.1f} ms  (runs {out[f'{what}_ms']})")
        for language in ("en", "ko") if args.launches else ():
            print(f"launch to first paint, {language:2s}{'':22s} {out[f'first_paint_{language}_s_median']:7.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
