"""The CLI's ``reproduce RUN`` (train again from a recorded run's manifest and compare the metrics)
and ``export --model M --format onnx|pytorch --out PATH``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from engine.cli.common import EXIT_FAILED, EXIT_OK, CliError
from engine.cli.runs import add_record_args, finish_recording, run_folder, start_recording
from engine.training.events import NullReporter

__all__ = ["METRICS", "add_commands", "differences"]

METRICS = ("train_loss", "train_accuracy", "test_loss", "test_accuracy")


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("reproduce", help="train a recorded run again and check its metrics match")
    p.add_argument("run", metavar="RUN", help="a run id, a unique start of one, or a run folder")
    p.add_argument("--data-dir", help="folder holding the dataset files (default: the app's data cache)")
    add_record_args(p)
    p.add_argument("--json", action="store_true", help="print a final JSON line")
    p.set_defaults(func=cmd_reproduce)

    p = sub.add_parser("export", help="write a trained model as ONNX or as a standalone PyTorch file")
    p.add_argument("--model", required=True, help="a model file, or a run folder (its last model)")
    p.add_argument("--format", required=True, choices=("onnx", "pytorch"))
    p.add_argument("--out", required=True, help="the file to write (.onnx, or .py with its .safetensors beside it)")
    p.add_argument("--data-dir", help="where the model's dataset is (ONNX is checked on 100 of its test images)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_export)


def _dataset(name: str, data_dir: str | None, splits: tuple[str, ...] = ("train", "test")) -> Any:
    from engine.data.folder import load_folder
    from engine.data.loading import load_dataset
    from engine.data.registry import DATASETS, DatasetError

    try:
        if name not in DATASETS and Path(name).is_dir():
            return load_folder(name)
        return load_dataset(name, data_dir, splits=splits)
    except DatasetError as exc:
        raise CliError(str(exc)) from None


class _EpochLines(NullReporter):
    def on_epoch(self, stats: Any) -> None:
        acc = "—" if stats.test_accuracy is None else f"{stats.test_accuracy:.2%}"
        print(f"epoch {stats.epoch}: train loss {stats.train_loss:.4f}, test accuracy {acc}", file=sys.stderr)


def differences(recorded: list[dict[str, Any]], history: Any) -> list[str]:
    """Each recorded epoch metric the new run does not reproduce exactly, as text."""
    out = []
    ours = {stats.epoch: stats for stats in history}
    for row in recorded:
        stats = ours.get(row["epoch"])
        if stats is None:
            out.append(f"epoch {row['epoch']}: not reached")
            continue
        for key in METRICS:
            if row[key] != getattr(stats, key):
                out.append(f"epoch {row['epoch']} {key}: recorded {row[key]!r}, now {getattr(stats, key)!r}")
    return out


def _environment(manifest: dict[str, Any], session: Any) -> list[str]:
    """What differs between the recording machine and this one (a likely reason for different numbers)."""
    from engine.io.run_manifest import versions

    out = [f"{k} {v} → {versions().get(k)}" for k, v in manifest["versions"].items()
           if versions().get(k) not in (None, v)]
    device = manifest["device"]
    if session.device is not None and device["device"] and device["device"] != str(session.device):
        out.append(f"device {device['device']} → {session.device}")
    import torch

    if device["threads"] and device["threads"] != torch.get_num_threads():
        out.append(f"threads {device['threads']} → {torch.get_num_threads()}")
    return out


def cmd_reproduce(args: argparse.Namespace) -> int:
    from engine.io.run_manifest import dataset_files, files_digest
    from engine.io.runs import RunError, TeeReporter, load_run
    from engine.model.spec import NetworkSpec
    from engine.training.config import TrainConfig
    from engine.training.session import TrainingSession

    folder = run_folder(args, args.run)
    try:
        record = load_run(folder)
    except RunError as exc:
        raise CliError(f"cannot read run {args.run}: {exc}") from None
    m = record.manifest
    if m.get("resumed"):
        raise CliError(f"{folder.name} continued an earlier model file; only a run trained from the start can "
                       "be reproduced from its manifest")
    if not record.epochs:
        raise CliError(f"{folder.name} has no completed epoch to compare with")
    spec = NetworkSpec.from_dict(m["spec"])
    config = TrainConfig.from_dict({**m["config"], "snapshot_interval_s": 0.0, "snapshots_in_first_epoch": 0})
    data = _dataset(m["dataset"]["name"], args.data_dir)
    notes = []
    if m["dataset"].get("sha256") and files_digest(dataset_files(data))[0] != m["dataset"]["sha256"]:
        notes.append("the dataset's files differ from the recorded ones (SHA-256)")
    print(f"reproducing {folder.name}: {spec.name} on {data.info.name}, {config.epochs} epochs, seed {config.seed}",
          file=sys.stderr)
    session = TrainingSession(spec, data, config)
    recorder = start_recording(args, session, data, source="reproduce")
    finish = session.run(TeeReporter(_EpochLines(), recorder))
    new_run = finish_recording(recorder)
    if finish.status == "failed":
        raise CliError(f"the run failed: {finish.message}", EXIT_FAILED)
    diffs = differences(record.epochs, finish.history)
    env = _environment(m, session) if diffs else []
    if args.json:
        print(json.dumps({"run": folder.name, "match": not diffs, "differences": diffs, "environment": env,
                          "notes": notes, "status": finish.status, "new_run": new_run}))
    elif diffs:
        print(f"differs: {len(diffs)} recorded metric(s) not reproduced exactly")
        for line in diffs[:20]:
            print(f"  {line}")
        for line in env + notes:
            print(f"  likely cause: {line}")
    else:
        last = record.epochs[-1]
        print(f"reproduced: the metrics of all {len(record.epochs)} recorded epoch(s) match exactly (final test "
              f"accuracy {'—' if last['test_accuracy'] is None else format(last['test_accuracy'], '.2%')})")
        for line in notes:
            print(f"  note: {line}")
    return EXIT_OK if not diffs else EXIT_FAILED


def _check_images(ckpt: Any, data_dir: str | None) -> tuple[Any, str]:
    """100 of the model's test images as network inputs, or 100 seeded random inputs when the dataset is missing."""
    import numpy as np

    shape = tuple(ckpt.spec.input)
    try:
        data = _dataset(ckpt.dataset, data_dir, splits=("test",))
    except CliError:
        data = None
    if data is None or data.test is None or tuple(data.info.input_shape) != shape:
        rng = np.random.default_rng(0)
        return rng.standard_normal((100, *shape)).astype(np.float32), "100 random inputs (dataset not found)"
    images = data.test.images[:100].numpy().astype(np.float32) / 255.0
    mean = np.asarray(ckpt.mean or data.info.mean, np.float32).reshape(1, -1, 1, 1)
    std = np.asarray(ckpt.std or data.info.std, np.float32).reshape(1, -1, 1, 1)
    return (images - mean) / std, f"{len(images)} {data.info.name} test images"


def cmd_export(args: argparse.Namespace) -> int:
    from engine.io.checkpoint import CheckpointError, load_checkpoint
    from engine.io.export import ExportError, export_onnx, export_pytorch
    from engine.io.runs import RunError, run_model_path

    model = Path(args.model)
    try:
        ckpt = load_checkpoint(run_model_path(model) if model.is_dir() else model)
    except (CheckpointError, RunError) as exc:
        raise CliError(str(exc)) from None
    try:
        if args.format == "onnx":
            images, what = _check_images(ckpt, args.data_dir)
            result = export_onnx(ckpt, Path(args.out), check_images=images)
        else:
            result, what = export_pytorch(ckpt, Path(args.out)), ""
    except ExportError as exc:
        raise CliError(str(exc)) from None
    if args.json:
        print(json.dumps({"path": str(result.path), "format": result.format, "max_abs_diff": result.max_abs_diff,
                          "checked_on": what or None, "message": result.message}))
    else:
        print(result.message + (f" ({what})" if what else ""))
    return EXIT_OK
