#!/usr/bin/env python3
"""Check and fill Qt translation files (``.ts``) without Qt Linguist.

    python tools/ts_tool.py unfinished [TS]      # list untranslated/unfinished entries; exit 1 if any
    python tools/ts_tool.py obsolete [TS]        # list obsolete (vanished) entries; exit 1 if any
    python tools/ts_tool.py apply PAIRS.json [TS]  # fill translations: {"source": "번역"} or
                                                           # {"Context": {"source": "번역"}}

TS defaults to ``resources/i18n/convscope_ko.ts``. After ``make translations`` picks up new strings,
``unfinished`` lists what is left to translate; ``apply`` fills them from a JSON file, then
``make translations`` again compiles the ``.qm``. tests/gui/test_i18n_files.py uses ``entries``.
"""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

DEFAULT_TS = Path(__file__).resolve().parents[1] / "resources" / "i18n" / "convscope_ko.ts"


@dataclass(frozen=True)
class Entry:
    """One message of a .ts file."""

    context: str
    source: str
    translation: str
    state: str  # "" (finished), "unfinished", "obsolete" or "vanished"


def entries(ts: Path = DEFAULT_TS) -> list[Entry]:
    """Every message in ``ts``, in file order."""
    found = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            tr = message.find("translation")
            state = (tr.get("type") or "") if tr is not None else "unfinished"
            numerus = [] if tr is None else [n.text or "" for n in tr.iter("numerusform")]
            text = " | ".join(numerus) if numerus else ((tr.text or "") if tr is not None else "")
            if not text.strip() and not state:
                state = "unfinished"
            found.append(Entry(name, message.findtext("source") or "", text, state))
    return found


def apply(pairs: dict, ts: Path = DEFAULT_TS) -> int:
    """Fill the translations ``pairs`` gives (see the module docstring); how many were filled."""
    tree = ET.parse(ts)
    filled = 0
    for context in tree.getroot().iter("context"):
        name = context.findtext("name") or ""
        scoped = pairs.get(name) if isinstance(pairs.get(name), dict) else {}
        for message in context.iter("message"):
            source = message.findtext("source") or ""
            text = scoped.get(source, pairs.get(source))
            tr = message.find("translation")
            if not isinstance(text, str) or tr is None or tr.get("type") in ("obsolete", "vanished"):
                continue
            tr.text = text
            tr.attrib.pop("type", None)
            filled += 1
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    return filled


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("unfinished", "obsolete", "apply"):
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    if command == "apply":
        pairs = json.loads(Path(rest[0]).read_text(encoding="utf-8"))
        ts = Path(rest[1]) if len(rest) > 1 else DEFAULT_TS
        print(f"filled {apply(pairs, ts)} translations in {ts}")
        return 0
    ts = Path(rest[0]) if rest else DEFAULT_TS
    wanted = ("unfinished",) if command == "unfinished" else ("obsolete", "vanished")
    left = [e for e in entries(ts) if e.state in wanted]
    for e in left:
        print(f"{e.context}\t{e.source!r}")
    print(f"{len(left)} {command} of {len(entries(ts))} in {ts}", file=sys.stderr)
    return 1 if left else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
