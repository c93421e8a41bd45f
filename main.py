#!/usr/bin/env python3
"""ConvScope: ``python main.py`` opens the desktop app; ``python main.py COMMAND`` runs headless.

Commands: presets, summary, train, eval, predict (``python main.py --help``).
"""

from __future__ import annotations

import sys

from engine.cli import main as cli_main


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] == "gui":
        from gui.app import main as gui_main

        return gui_main(args[1:])
    return cli_main(args)


if __name__ == "__main__":
    sys.exit(main())
