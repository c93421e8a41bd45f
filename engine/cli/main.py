"""Headless command line: presets, summary, train, eval, predict, explain, filters, stats, runs, reproduce,
export.

Everything the GUI does to a network, this does without Qt. Exit codes: 0 success, 1 a run
failed, 2 bad input (an invalid spec, an unreadable file, a missing dataset).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from engine.cli.common import EXIT_BAD_INPUT, EXIT_OK, CliError, add_spec_args, spec_from_args
from engine.model.presets import PRESETS
from engine.model.shapes import ShapeReport, analyze, format_shape


def _human(n: int) -> str:
    for unit, size in (("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if n >= size:
            return f"{n / size:.2f}{unit}"
    return str(n)


def format_report(report: ShapeReport) -> str:
    """A text table: one row per layer, the totals, then errors and warnings with fixes."""
    rows = [("layer", "type", "settings", "output", "params", "MACs", "RF")]
    rows.append(("input", "", "", format_shape(report.input_shape), "", "", ""))
    for layer in report.layers:
        rf = layer.receptive_field
        rows.append((layer.name, layer.type, layer.settings, format_shape(layer.output_shape),
                     f"{layer.params:,}", f"{layer.macs:,}", str(rf[0]) if rf[0] == rf[1] else f"{rf[0]}×{rf[1]}"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    right = {4, 5, 6}
    lines = []
    for n, row in enumerate(rows):
        cells = [c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths))]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    lines.append("")
    lines.append(f"total params: {report.total_params:,}"
                 + (f"  (+ {report.total_buffers:,} buffer values)" if report.total_buffers else ""))
    lines.append(f"total MACs:   {report.total_macs:,} ({_human(report.total_macs)}) per image")
    lines.append(f"activations:  {report.total_activation_bytes / 1024:,.1f} KiB per image (float32)")
    for title, problems in (("error", report.errors), ("warning", report.warnings)):
        for p in problems:
            fix = f"  → fix: {p.fix.label}" if p.fix else ""
            lines.append(f"{title}: {p.message}{fix}")
    return "\n".join(lines)


def cmd_presets(args: argparse.Namespace) -> int:
    if args.json:
        print(json.dumps([p.to_dict() for p in PRESETS.values()], indent=2))
        return EXIT_OK
    width = max(len(name) for name in PRESETS)
    for preset in PRESETS.values():
        acc = f"{preset.reported_accuracy:.2%}" if preset.reported_accuracy is not None else "n/a"
        params = analyze(preset.spec).total_params
        print(f"{preset.name.ljust(width)}  {preset.dataset:<13} {params:>10,} params  reported {acc:>7}  "
              f"{preset.description}")
    return EXIT_OK


def cmd_summary(args: argparse.Namespace) -> int:
    spec = spec_from_args(args)
    report = analyze(spec)
    if args.json:
        out = {
            "name": spec.name,
            "layers": [
                {key: layer.to_dict()[key] for key in ("name", "type", "output_shape", "params", "macs",
                                                       "receptive_field")}
                for layer in report.layers
            ],
            "total_params": report.total_params,
            "total_macs": report.total_macs,
            "total_activation_bytes": report.total_activation_bytes,
            "errors": [{"layer": p.layer, "message": p.message, "fix": p.fix.to_dict() if p.fix else None}
                       for p in report.errors],
            "warnings": [{"layer": p.layer, "message": p.message, "fix": p.fix.to_dict() if p.fix else None}
                         for p in report.warnings],
        }
        print(json.dumps(out, indent=2))
    else:
        print(f"{spec.name}: input {format_shape(spec.input)}, {spec.num_classes} classes")
        print(format_report(report))
    return EXIT_OK if report.ok else EXIT_BAD_INPUT


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="convscope", description="ConvScope: build, train and inspect CNNs.",
        epilog="Without a command, `python main.py [FILE] [--scheme dark]` opens the desktop app.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("presets", help="list the preset networks")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_presets)

    p = sub.add_parser("summary", help="per-layer shapes, parameters and costs of a network")
    add_spec_args(p)
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_summary)

    from engine.cli import run as cli_run  # torch loads only when one of its commands runs

    cli_run.add_commands(sub)
    from engine.cli import explain as cli_explain  # torch and captum load only when its commands run

    cli_explain.add_commands(sub)
    from engine.cli import reproduce as cli_reproduce
    from engine.cli import runs as cli_runs
    from engine.cli import stats as cli_stats

    cli_stats.add_commands(sub)
    cli_runs.add_commands(sub)
    cli_reproduce.add_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_BAD_INPUT
    try:
        return args.func(args)
    except CliError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
