"""Recorded runs: one folder per training run under a runs folder, listed, opened, renamed, deleted.

A run folder holds ``manifest.json`` (``engine.io.run_manifest``), ``metrics.csv`` and ``batches.csv``
(``engine.io.run_files``), ``last.safetensors`` (the model at the last epoch end) and ``best.safetensors``
(at its best test accuracy), ``keyframes.safetensors`` (the kernel time-lapse), ``layer_stats.npz`` (every
layer-statistics sample), ``writer.lock`` (``engine.io.run_lock``) and, once a person renames it or writes
notes, ``user.json``. ``RunRecorder`` (``engine.io.run_recorder``) writes them.

Reading never raises for a bad run in ``list_runs``: it is listed with status "damaged" and the reason. A
run whose manifest says "running" but whose writer is gone is "interrupted".
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from engine.io.fileio import atomic_write_text
from engine.io.run_compare import RunComparison, compare_manifests
from engine.io.run_files import read_batches, read_epochs, read_keyframes
from engine.io.run_lock import LOCK_NAME, writer_alive
from engine.io.run_manifest import MANIFEST_MAX_BYTES, NAME_MAX, NotesText, check_manifest, dataset_files
from engine.io.schema import SchemaError, Text
from engine.training.events import WeightSnapshot

if TYPE_CHECKING:
    from engine.io.run_recorder import RunRecorder, TeeReporter

__all__ = ["RUNS_ENV", "RunComparison", "RunError", "RunRecord", "RunRecorder", "RunSummary", "TeeReporter",
           "compare_runs", "dataset_files", "default_runs_dir", "delete_run", "find_run", "list_runs", "load_run",
           "rename_run", "run_keyframes", "run_layer_stats", "run_model_path", "runs_dir", "set_run_notes"]

RUNS_ENV = "CONVSCOPE_RUNS_DIR"
MANIFEST = "manifest.json"
USER_FILE = "user.json"
KEYFRAMES = "keyframes.safetensors"
LAYER_STATS = "layer_stats.npz"
MODEL_FILES = {"last": "last.safetensors", "best": "best.safetensors"}


def __getattr__(name: str) -> Any:
    """``RunRecorder`` and ``TeeReporter`` load on first use: listing and reading runs never import torch."""
    if name in ("RunRecorder", "TeeReporter"):
        from engine.io import run_recorder

        return getattr(run_recorder, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class RunError(ValueError):
    """A run that cannot be read or changed; ``str()`` is a one-line reason."""


def default_runs_dir() -> Path:
    """The user data folder's ``runs`` (``$CONVSCOPE_RUNS_DIR`` when set)."""
    import platformdirs

    override = os.environ.get(RUNS_ENV)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir("ConvScope")) / "runs"


def runs_dir(given: str | os.PathLike | None = None) -> Path:
    """``given`` when set, else ``default_runs_dir()``."""
    return Path(given).expanduser() if given else default_runs_dir()


@dataclass(frozen=True)
class RunSummary:
    """One row of the runs table, read from the manifest (and ``user.json``) only."""

    id: str
    path: Path
    name: str
    network: str
    dataset: str
    epochs: int
    final_accuracy: float | None
    best_accuracy: float | None
    seconds: float | None
    status: str  # running | completed | stopped | diverged | failed | interrupted | damaged
    started: str  # ISO 8601 local time
    notes: str
    damage: str  # the reason when status == "damaged", else ""


@dataclass(frozen=True)
class RunRecord:
    summary: RunSummary
    manifest: dict
    epochs: list[dict]  # epoch, step, train_loss, train_accuracy, test_loss, test_accuracy, lr, seconds
    batches: dict[str, np.ndarray]  # "step", "loss", "accuracy" (<= 2000 rows)


def _read_bytes(path: Path, limit: int) -> bytes:
    with open(path, "rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise SchemaError(path.name, f"is larger than {limit:,} bytes")
    return data


_USER = {"name": Text(NAME_MAX), "notes": NotesText()}


def _user_fields(folder: Path) -> dict[str, str]:
    """The name and notes a person gave (``user.json``); ignored when missing or unreadable."""
    try:
        raw = json.loads(_read_bytes(folder / USER_FILE, 64 * 1024))
    except (OSError, ValueError, SchemaError, RecursionError):
        return {}
    if not isinstance(raw, dict):
        return {}
    out = {}
    for key, rule in _USER.items():
        try:
            out[key] = rule.check(raw[key], key, {})
        except (KeyError, SchemaError):
            continue
    return out


def _read_manifest(folder: Path) -> dict[str, Any]:
    try:
        data = _read_bytes(folder / MANIFEST, MANIFEST_MAX_BYTES)
    except FileNotFoundError:
        raise RunError(f"{folder.name}: no manifest.json (not a run, or its recording never started)") from None
    except OSError as exc:
        raise RunError(f"{folder.name}: cannot read manifest.json ({exc.strerror or exc})") from None
    except SchemaError as exc:
        raise RunError(f"manifest.json {exc.message}") from None
    try:
        manifest = check_manifest(data)
    except SchemaError as exc:
        if exc.field == "format":
            raise RunError(exc.message) from None
        raise RunError(f"manifest.json: {exc}") from None
    manifest.update(_user_fields(folder))
    return manifest


def _metric(manifest: dict[str, Any], key: str) -> float | None:
    value = manifest.get(key)
    return None if value is None else value.get("test_accuracy")


def _summary(folder: Path, manifest: dict[str, Any]) -> RunSummary:
    status = manifest["status"]
    if status == "running" and not writer_alive(folder, manifest):
        status = "interrupted"
    return RunSummary(
        id=folder.name, path=folder, name=manifest["name"], network=str(manifest["spec"].get("name", "")),
        dataset=manifest["dataset"]["name"], epochs=manifest["epochs"], final_accuracy=_metric(manifest, "final"),
        best_accuracy=_metric(manifest, "best"), seconds=manifest.get("seconds"), status=status,
        started=manifest["started"], notes=manifest.get("notes", ""), damage="")


def _damaged(folder: Path, reason: str) -> RunSummary:
    return RunSummary(id=folder.name, path=folder, name=folder.name, network="", dataset="", epochs=0,
                      final_accuracy=None, best_accuracy=None, seconds=None, status="damaged", started="",
                      notes="", damage=reason)


def read_summary(folder: Path) -> RunSummary:
    """The run's row; a damaged one (status "damaged", ``damage`` the reason) instead of raising."""
    try:
        return _summary(folder, _read_manifest(folder))
    except RunError as exc:
        return _damaged(folder, str(exc))
    except Exception as exc:  # noqa: BLE001 - a listing never fails for one run
        return _damaged(folder, f"unreadable ({type(exc).__name__}: {str(exc)[:200]})")


def _is_run_folder(folder: Path) -> bool:
    return (folder / MANIFEST).exists() or (folder / LOCK_NAME).exists()


def list_runs(root: Path) -> list[RunSummary]:
    """Every run under ``root``, newest first; a missing or unreadable ``root`` lists nothing."""
    try:
        entries = [Path(e.path) for e in os.scandir(root) if e.is_dir() and not e.name.startswith(".")]
    except OSError:
        return []
    runs = [read_summary(folder) for folder in entries if _is_run_folder(folder)]
    runs.sort(key=lambda r: (r.started, r.id), reverse=True)
    return runs


def find_run(root: Path, key: str) -> Path:
    """A run folder from a path, an id or a unique id prefix; ``RunError`` otherwise."""
    given = Path(key).expanduser()
    if given.is_dir() and _is_run_folder(given):
        return given
    try:
        names = sorted(e.name for e in os.scandir(root) if e.is_dir() and not e.name.startswith("."))
    except OSError:
        raise RunError(f"no runs folder at {root}") from None
    if key in names:
        return root / key
    matches = [n for n in names if n.startswith(key)] if key else []
    if len(matches) == 1:
        return root / matches[0]
    if not matches:
        raise RunError(f"no run {key!r} in {root}")
    raise RunError(f"{key!r} names {len(matches)} runs ({', '.join(matches[:3])}, …); give more of the id")


def load_run(path: Path) -> RunRecord:
    """The run at ``path``: manifest, per-epoch rows and thinned per-batch arrays; ``RunError`` when unreadable."""
    path = Path(path)
    manifest = _read_manifest(path)
    try:
        epochs = read_epochs(_read_bytes(path / "metrics.csv", 16 << 20)) if (path / "metrics.csv").exists() else []
        batches_file = path / "batches.csv"
        batches = read_batches(_read_bytes(batches_file, 16 << 20)) if batches_file.exists() else {
            "step": np.zeros(0, np.int64), "loss": np.zeros(0), "accuracy": np.zeros(0)}
    except SchemaError as exc:
        raise RunError(f"{path.name}: {exc}") from None
    except OSError as exc:
        raise RunError(f"{path.name}: cannot read its metrics ({exc.strerror or exc})") from None
    return RunRecord(_summary(path, manifest), manifest, epochs, batches)


def run_model_path(path: Path, which: str = "last") -> Path:
    """The run's model file ("last" or "best"); ``RunError`` when it has none."""
    if which not in MODEL_FILES:
        raise RunError(f"which must be 'last' or 'best', got {which!r}")
    file = Path(path) / MODEL_FILES[which]
    if not file.is_file():
        raise RunError(f"{Path(path).name} has no {which} model file ({file.name} is missing): "
                       "the run ended before its first epoch, or the file was removed")
    return file


def run_keyframes(path: Path) -> list[WeightSnapshot]:
    """The run's kernel time-lapse as keyframes (``WeightSnapshot``, ``keep=True``, conv kernels only);
    [] when it has none; ``RunError`` when the file is damaged."""
    file = Path(path) / KEYFRAMES
    if not file.is_file():
        return []
    try:
        frames = read_keyframes(str(file))
    except SchemaError as exc:
        raise RunError(f"{Path(path).name}: {exc}") from None
    return [WeightSnapshot(step, epoch, state, keep=True) for step, epoch, state in frames]


def run_layer_stats(path: Path) -> Any:
    """The run's layer statistics (``LayerStatsHistory``); None when it recorded none; ``RunError`` when
    the file is damaged."""
    from engine.training.layer_stats import LayerStatsError, load_layer_stats

    file = Path(path) / LAYER_STATS
    if not file.is_file():
        return None
    try:
        return load_layer_stats(file)
    except (LayerStatsError, OSError, ValueError) as exc:
        raise RunError(f"{Path(path).name}: layer statistics unreadable ({exc})") from None


def _set_user_field(path: Path, key: str, value: str) -> None:
    path = Path(path)
    _read_manifest(path)  # refuses a damaged run and one of a newer format
    try:
        checked = _USER[key].check(value, key, {})
    except SchemaError as exc:
        raise RunError(f"{key} {exc.message}") from None
    fields = _user_fields(path)
    fields[key] = checked
    try:
        atomic_write_text(str(path / USER_FILE), json.dumps(fields, ensure_ascii=False))
    except OSError as exc:
        raise RunError(f"cannot write to {path}: {exc.strerror or exc}") from None


def rename_run(path: Path, name: str) -> None:
    """Give the run a new display name (its folder and id stay)."""
    if not name.strip():
        raise RunError("a run's name cannot be empty")
    _set_user_field(path, "name", name.strip())


def set_run_notes(path: Path, notes: str) -> None:
    """Replace the run's notes."""
    _set_user_field(path, "notes", notes.replace("\r\n", "\n").replace("\r", "\n"))


def delete_run(path: Path) -> None:
    """Remove the run's folder; refused for a folder that is not a run and for a run still recording."""
    path = Path(path)
    if not path.is_dir() or not _is_run_folder(path):
        raise RunError(f"{path} is not a run folder")
    if writer_alive(path):
        raise RunError(f"{path.name} is still being recorded; stop its training first")
    try:
        shutil.rmtree(path)
    except OSError as exc:
        raise RunError(f"cannot delete {path}: {exc.strerror or exc}") from None


def compare_runs(a: RunRecord, b: RunRecord) -> RunComparison:
    """A's and B's networks layer by layer, their parameter counts and differing settings."""
    return compare_manifests(a.manifest, b.manifest)
