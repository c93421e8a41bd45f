"""The CLI's recorded-runs commands: ``runs list|show|compare|delete``, and the ``train`` command's
recording (``add_record_args``, ``start_recording``). ``reproduce`` and ``export`` are in
``engine.cli.reproduce``."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from engine.cli.common import EXIT_BAD_INPUT, EXIT_OK, CliError

__all__ = ["add_commands", "add_record_args", "finish_recording", "run_folder", "start_recording"]


def add_record_args(p: argparse.ArgumentParser) -> None:
    """``--runs-dir DIR`` and ``--no-record``."""
    p.add_argument("--runs-dir", help="record the run under this folder (default: the app's runs folder, or "
                   "$CONVSCOPE_RUNS_DIR)")
    p.add_argument("--no-record", action="store_true", help="do not record this run")


def _root(args: argparse.Namespace):
    from engine.io.runs import runs_dir

    return runs_dir(getattr(args, "runs_dir", None))


def start_recording(args: argparse.Namespace, session: Any, data: Any, source: str = "cli") -> Any:
    """A ``RunRecorder`` for ``session`` (None with ``--no-record``, or when the folder cannot be
    written: training goes on and the reason is printed)."""
    if getattr(args, "no_record", False):
        return None
    from engine.io.run_manifest import dataset_files
    from engine.io.runs import RunRecorder

    try:
        files = dataset_files(data)
    except OSError:
        files = []
    recorder, reason = RunRecorder.open(_root(args), spec=session.spec, config=session.config,
                                        dataset_name=data.info.name, data_files=files,
                                        checkpoint=session.checkpoint, source=source)
    if recorder is None:
        print(f"note: {reason}; training goes on", file=sys.stderr)
    else:
        print(f"recording run {recorder.path.name} in {recorder.path.parent}", file=sys.stderr)
    return recorder


def finish_recording(recorder: Any) -> str | None:
    """The run's folder, or None (and why, printed) when recording stopped part way or was off."""
    if recorder is None:
        return None
    if recorder.problem:
        print(f"note: {recorder.problem}", file=sys.stderr)
        return None
    return str(recorder.path)


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("runs", help="the recorded runs: list, show, compare, delete")
    p.add_argument("--runs-dir", help="the runs folder (default: the app's, or $CONVSCOPE_RUNS_DIR)")
    p.add_argument("--json", action="store_true", help="print JSON")
    verbs = p.add_subparsers(dest="verb", metavar="list|show|compare|delete")
    verbs.add_parser("list", help="every run, newest first")
    q = verbs.add_parser("show", help="one run's settings and metrics per epoch")
    q.add_argument("run", metavar="RUN", help="a run id, a unique start of one, or a run folder")
    q = verbs.add_parser("compare", help="two runs' networks layer by layer and their settings")
    q.add_argument("a", metavar="A")
    q.add_argument("b", metavar="B")
    q = verbs.add_parser("delete", help="remove a run's folder")
    q.add_argument("run", metavar="RUN")
    q.add_argument("--yes", action="store_true", help="do not ask first")
    for verb in verbs.choices.values():
        verb.add_argument("--runs-dir", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
        verb.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_runs)


def run_folder(args: argparse.Namespace, key: str):
    """The folder of run ``key`` (id, unique prefix or path); ``CliError`` otherwise."""
    from engine.io.runs import RunError, find_run

    try:
        return find_run(_root(args), key)
    except RunError as exc:
        raise CliError(str(exc)) from None


def _load(args: argparse.Namespace, key: str):
    from engine.io.runs import RunError, load_run

    try:
        return load_run(run_folder(args, key))
    except RunError as exc:
        raise CliError(f"cannot read run {key}: {exc}") from None


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.2%}"


def _summary_dict(s: Any) -> dict[str, Any]:
    return {"id": s.id, "path": str(s.path), "name": s.name, "network": s.network, "dataset": s.dataset,
            "epochs": s.epochs, "final_accuracy": s.final_accuracy, "best_accuracy": s.best_accuracy,
            "seconds": s.seconds, "status": s.status, "started": s.started, "notes": s.notes, "damage": s.damage}


def _list(args: argparse.Namespace) -> int:
    from engine.io.runs import list_runs

    root = _root(args)
    runs = list_runs(root)
    if args.json:
        print(json.dumps([_summary_dict(s) for s in runs]))
        return EXIT_OK
    if not runs:
        print(f"no runs in {root}")
        return EXIT_OK
    print(f"{len(runs)} run(s) in {root}")
    for s in runs:
        status = f"damaged: {s.damage}" if s.status == "damaged" else s.status
        seconds = "" if s.seconds is None else f"{s.seconds:,.0f}s"
        print(f"{s.id}  {s.name[:24]:<24} {s.dataset[:14]:<14} {s.epochs:>4} ep  final {_pct(s.final_accuracy):>7}  "
              f"best {_pct(s.best_accuracy):>7}  {seconds:>7}  {status}")
    return EXIT_OK


def _show(args: argparse.Namespace) -> int:
    record = _load(args, args.run)
    m, s = record.manifest, record.summary
    if args.json:
        print(json.dumps({"summary": _summary_dict(s), "manifest": m, "epochs": record.epochs,
                          "batches": len(record.batches["step"])}))
        return EXIT_OK
    message = f" ({m['message']})" if m.get("message") else ""
    print(f"{s.id}: {s.name} — {s.status}{message}")
    print(f"  folder   {s.path}")
    print(f"  network  {s.network}, dataset {s.dataset} (SHA-256 {m['dataset'].get('sha256') or 'unknown'})")
    print(f"  started  {s.started}, ended {m.get('ended') or '—'}, on {m['device']['name'] or m['device']['device']}")
    print("  versions " + ", ".join(f"{k} {v}" for k, v in m["versions"].items()))
    print("  settings " + ", ".join(f"{k}={v}" for k, v in m["config"].items()))
    if s.notes:
        print(f"  notes    {s.notes}")
    for row in record.epochs:
        test_loss = "—" if row["test_loss"] is None else f"{row['test_loss']:.4f}"
        train_loss = "—" if row["train_loss"] is None else f"{row['train_loss']:.4f}"
        print(f"  epoch {row['epoch']:>3}: train loss {train_loss} acc {_pct(row['train_accuracy'])}, "
              f"test loss {test_loss} acc {_pct(row['test_accuracy'])}")
    return EXIT_OK


def _compare(args: argparse.Namespace) -> int:
    from engine.io.runs import compare_runs

    a, b = _load(args, args.a), _load(args, args.b)
    result = compare_runs(a, b)
    if args.json:
        print(json.dumps({"a": a.summary.id, "b": b.summary.id, "params_delta": result.params_delta,
                          "layers": [list(row) for row in result.layers],
                          "settings": [list(row) for row in result.settings]}, default=str))
        return EXIT_OK
    print(f"A {a.summary.id} ({a.summary.name})\nB {b.summary.id} ({b.summary.name})")
    for change, name, detail in result.layers:
        print(f"  {change:<8} {name:<10} {detail}")
    print(f"  parameters: {result.params_delta:+,} (B − A)")
    for key, va, vb in result.settings or [("settings", "same", "same")]:
        print(f"  {key}: {va} → {vb}")
    for who, record in (("A", a), ("B", b)):
        print(f"  {who}: final {_pct(record.summary.final_accuracy)}, best {_pct(record.summary.best_accuracy)}")
    return EXIT_OK


def _delete(args: argparse.Namespace) -> int:
    from engine.io.runs import RunError, delete_run

    folder = run_folder(args, args.run)
    if not args.yes:
        if not sys.stdin.isatty():
            raise CliError(f"delete {folder.name}? give --yes to delete without asking")
        if input(f"delete run {folder.name} ({folder})? [y/N] ").strip().lower() not in ("y", "yes"):
            print("kept")
            return EXIT_OK
    try:
        delete_run(folder)
    except RunError as exc:
        raise CliError(str(exc)) from None
    print(json.dumps({"deleted": str(folder)}) if args.json else f"deleted {folder}")
    return EXIT_OK


def cmd_runs(args: argparse.Namespace) -> int:
    verbs = {"list": _list, "show": _show, "compare": _compare, "delete": _delete}
    if args.verb is None:
        args.verb = "list"
    if args.verb not in verbs:  # pragma: no cover - argparse refuses others
        return EXIT_BAD_INPUT
    return verbs[args.verb](args)
