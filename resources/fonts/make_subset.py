#!/usr/bin/env python3
"""Regenerate ``convscope-hangul.ttf``: a subset of NanumGothic (SIL OFL 1.1) for machines without a Korean font.

It keeps printable ASCII, the 2,350 Hangul syllables and the Hangul letters of KS X 1001 (what EUC-KR
encodes), and every other Hangul character found in the app's sources and translations (``gui/``,
``engine/``, ``resources/i18n/*.ts``), so all of the app's Korean and most Korean a user types renders.
NanumGothic is a Reserved Font Name under the OFL, so the subset is renamed "ConvScope Hangul".

    python resources/fonts/make_subset.py [--source /usr/share/fonts/truetype/nanum/NanumGothic.ttf]

Needs fontTools (``pip install fonttools``); Debian's fonts-nanum package has the source font.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
OUT = HERE / "convscope-hangul.ttf"
FAMILY = "ConvScope Hangul"
DEFAULT_SOURCE = Path("/usr/share/fonts/truetype/nanum/NanumGothic.ttf")
#: Hangul syllables, Hangul Jamo, compatibility Jamo, and the CJK punctuation the translations use.
_HANGUL = re.compile(r"[\u1100-\u11ff\u3000-\u303f\u3131-\u318e\uac00-\ud7a3]")


def ks_x_1001_hangul() -> set[str]:
    """The Hangul syllables and letters of KS X 1001 (the ones EUC-KR can encode): 2,350 + 51."""
    chars = set()
    for code in [*range(0xAC00, 0xD7A4), *range(0x3131, 0x318F)]:
        try:
            encoded = chr(code).encode("euc_kr")
        except UnicodeEncodeError:
            continue
        if len(encoded) == 2:  # Python also writes other syllables as 8-byte jamo sequences
            chars.add(chr(code))
    return chars


def app_hangul(root: Path = ROOT) -> set[str]:
    """Every Hangul character in the app's Python sources and translation files."""
    files = [*root.glob("gui/**/*.py"), *root.glob("engine/**/*.py"), *root.glob("engine/**/*.json"),
             *root.glob("resources/i18n/*.ts")]
    chars: set[str] = set()
    for f in files:
        chars.update(_HANGUL.findall(f.read_text(encoding="utf-8", errors="replace")))
    return chars


def wanted_text(root: Path = ROOT) -> str:
    ascii_printable = "".join(chr(c) for c in range(0x20, 0x7F))
    return ascii_printable + "·×−–—…→←↑↓" + "".join(sorted(ks_x_1001_hangul() | app_hangul(root)))


def _rename(font, family: str) -> None:
    postscript = family.replace(" ", "")
    for record in font["name"].names:
        if record.nameID in (1, 16):
            record.string = family
        elif record.nameID in (3, 4):
            record.string = f"{family} Regular" if record.nameID == 4 else f"{postscript}-Regular"
        elif record.nameID == 6:
            record.string = f"{postscript}-Regular"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.hinting = False  # smaller; Qt renders the outlines with its own antialiasing
    options.layout_features = ["*"]
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14, 16, 17]
    font = TTFont(str(args.source))
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=wanted_text())
    subsetter.subset(font)
    _rename(font, FAMILY)
    font.save(str(args.out))
    print(f"{args.out}: {len(font.getBestCmap())} characters, {args.out.stat().st_size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
