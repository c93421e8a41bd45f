#!/usr/bin/env python3
"""ConvScope: ``python main.py [FILE] [--scheme dark]`` opens the desktop app (optionally with an
architecture .json or a model file); ``python main.py COMMAND …`` runs headless.

Commands: presets, summary, train, eval, predict, explain, filters, runs, reproduce, export
(``python main.py --help``).
"""

from __future__ import annotations

import sys

COMMANDS = ("presets", "summary", "train", "eval", "predict", "explain", "filters", "stats", "runs", "reproduce",
            "export")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else list(argv)
    if args and args[0] == "gui":
        args = args[1:]
    elif args and (args[0] in COMMANDS or args[0] in ("-h", "--help")):
        from engine.cli.main import main as cli_main

        return cli_main(args)
    from gui.app import main as gui_main

    return gui_main(args)


if __name__ == "__main__":
    sys.exit(main())
