"""A recorded run's ``manifest.json``: its format number, the rules every field must follow, and
what goes into a new one (versions, the dataset's SHA-256).

Reading goes through ``check_manifest``: size, JSON depth, then every field against ``MANIFEST``
(``engine.io.schema`` rules) and the spec through ``NetworkSpec.from_dict``. A manifest written by
a newer format is refused with that reason before anything else is looked at.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from engine.io.schema import INT_MAX, Bool, Each, Int, Maybe, Num, Record, Rule, SchemaError, Table, Text, Where
from engine.model.param import show
from engine.model.spec import NetworkSpec, SpecError
from engine.training.config import TrainConfig

__all__ = ["FORMAT", "MANIFEST_MAX_BYTES", "NAME_MAX", "NOTES_MAX", "STATUSES", "NotesText", "check_manifest",
           "dataset_files", "file_digest", "files_digest", "host_name", "now_iso", "pid", "versions"]

FORMAT = 1  # a reader of format N lists a run of format > N as damaged and never rewrites it
MANIFEST_MAX_BYTES = 4 << 20
STATUSES = ("running", "completed", "stopped", "diverged", "failed", "interrupted")
NAME_MAX = 200
NOTES_MAX = 20_000


_CONTROL = re.compile("[\x00-\x1f\x7f]")
_PROBLEMS: dict[tuple[str, str], str | None] = {}  # (kind, JSON text) → problem: runs share networks and settings


@dataclass(frozen=True)
class _Text(Text):
    """``Text`` with a fast path for the usual, plainly fine string."""

    def check(self, value: Any, field_name: str, context: Any) -> str:
        if (type(value) is str and len(value) <= self.max_length and not _CONTROL.search(value)
                and (not self.choices or value in self.choices)):
            return value
        return super().check(value, field_name, context)


_RATIO = Num(0.0, 1.0)
_LOSS = Num(0.0, 1e30)
_HEX64 = re.compile("[0-9a-f]{64}")
_SHA = Where(_Text(64), lambda v, c: None if _HEX64.fullmatch(v) else "must be 64 hexadecimal digits")
_METRICS = Record({"epoch": Int(0, INT_MAX), "test_accuracy": Maybe(_RATIO), "test_loss": Maybe(_LOSS),
                   "train_accuracy": Maybe(_RATIO), "train_loss": Maybe(_LOSS)},
                  optional=frozenset({"test_loss", "train_accuracy", "train_loss"}))
_ANY_TEXT = _Text(4096)


def _remembered(kind: str, value: Any, find: Callable[[Any], str | None]) -> str | None:
    try:
        key = (kind, json.dumps(value, sort_keys=True, allow_nan=False))
    except (TypeError, ValueError, RecursionError):
        return find(value)
    if key not in _PROBLEMS:
        if len(_PROBLEMS) > 1024:
            _PROBLEMS.clear()
        _PROBLEMS[key] = find(value)
    return _PROBLEMS[key]


def _spec_found(value: Any) -> str | None:
    try:
        NetworkSpec.from_dict(value)
    except SpecError as exc:
        return str(exc).splitlines()[0][:300]
    return None


def _config_found(value: Any) -> str | None:
    try:
        TrainConfig.from_dict(value).validate()
    except (TypeError, ValueError) as exc:
        return str(exc)[:300]
    return None


def _spec_problem(value: Any, context: Any) -> str | None:
    return _remembered("spec", value, _spec_found)


def _config_problem(value: Any, context: Any) -> str | None:
    return _remembered("config", value, _config_found)


class _Object(Rule):
    """Any JSON object (a spec, the settings); the ``Where`` around it does the real checks."""

    def check(self, value: Any, field_name: str, context: Any) -> dict[str, Any]:
        if not isinstance(value, Mapping):
            raise SchemaError(field_name, f"must be an object, got {show(value)}")
        return dict(value)


class NotesText(Rule):
    """Free text of at most ``NOTES_MAX`` characters: line breaks and tabs allowed, other control characters not."""

    def check(self, value: Any, field_name: str, context: Any) -> str:
        if not isinstance(value, str):
            raise SchemaError(field_name, f"must be a string, got {show(value)}")
        if len(value) > NOTES_MAX:
            raise SchemaError(field_name, f"must be at most {NOTES_MAX:,} characters, got {len(value):,}")
        if any((ord(c) < 32 and c not in "\n\t") or ord(c) == 127 for c in value):
            raise SchemaError(field_name, "must not hold control characters other than line breaks and tabs")
        return value


MANIFEST = Record({
    "format": Int(1, INT_MAX),
    "id": _Text(120),
    "name": _Text(NAME_MAX),
    "notes": NotesText(),
    "source": _Text(40),
    "status": _Text(40, STATUSES),
    "message": _Text(2000),
    "started": _Text(40),
    "ended": Maybe(_Text(40)),
    "spec": Where(_Object(), _spec_problem),
    "config": Where(_Object(), _config_problem),
    "seed": Int(0, INT_MAX),
    "dataset": Record({
        "name": _ANY_TEXT, "sha256": Maybe(_SHA), "train_size": Int(0, INT_MAX), "test_size": Int(0, INT_MAX),
        "files": Each(Record({"name": _ANY_TEXT, "bytes": Int(0, 2**62), "sha256": _SHA}), max_length=64,
                      or_empty=True),
        "class_names": Each(_Text(200), max_length=100_000, or_empty=True),
    }),
    "versions": Table(_Text(40), _Text(200), max_length=32),
    "device": Record({"device": _Text(100), "name": _Text(200), "threads": Int(0, 1 << 20)}),
    "pid": Int(0, INT_MAX),
    "host": _Text(255),
    "epochs": Int(0, INT_MAX),
    "planned_epochs": Int(0, INT_MAX),
    "step": Int(0, 2**62),
    "seconds": Maybe(Num(0.0, 1e12)),
    "final": Maybe(_METRICS),
    "best": Maybe(_METRICS),
    "models": Record({"last": Bool(), "best": Bool()}),
    "keyframes": Int(0, INT_MAX),
    "layer_stats": Int(0, INT_MAX),
    "resumed": Bool(),
}, optional=frozenset({"message", "ended", "seconds", "final", "best", "notes", "host", "pid", "keyframes",
                       "layer_stats", "resumed", "planned_epochs"}))


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON number")


def check_manifest(data: bytes | str) -> dict[str, Any]:
    """The manifest's checked fields; ``SchemaError`` naming the field (``"file"`` for the JSON
    itself, ``"format"`` for a newer format) with a one-line reason."""
    if len(data) > MANIFEST_MAX_BYTES:
        raise SchemaError("file", f"manifest.json is {len(data):,} bytes, at most {MANIFEST_MAX_BYTES:,}")
    try:
        raw = json.loads(data, parse_constant=_no_constant)
    except RecursionError:
        raise SchemaError("file", "is nested too deeply") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise SchemaError("file", f"is not valid JSON ({str(exc).splitlines()[0][:200]})") from None
    if not isinstance(raw, dict):
        raise SchemaError("file", f"must be a JSON object, got {show(raw)}")
    fmt = raw.get("format")
    if type(fmt) is int and fmt > FORMAT:
        raise SchemaError("format", f"recorded by a newer ConvScope (run format {fmt}, this one reads "
                                    f"up to {FORMAT}); update ConvScope to open it")
    return MANIFEST.check(raw, "", {})


def now_iso() -> str:
    """Local time now, ISO 8601 with the UTC offset, to the second."""
    return datetime.now().astimezone().isoformat(timespec="seconds")


def versions() -> dict[str, str]:
    """Python, torch, torchvision and ConvScope versions (from the installed packages' metadata: nothing is
    imported; "not installed" when missing, "source" for a clone that was never installed)."""
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for name, missing in (("torch", "not installed"), ("torchvision", "not installed"), ("convscope", "source")):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = missing
    return out


_DIGESTS: dict[tuple[str, int, int], str] = {}


def file_digest(path: Path) -> str:
    """SHA-256 of a file (remembered per path, size and modification time)."""
    stat = path.stat()
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    if key not in _DIGESTS:
        digest = hashlib.sha256()
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        _DIGESTS[key] = digest.hexdigest()
    return _DIGESTS[key]


def files_digest(files: Sequence[Path]) -> tuple[str | None, list[dict[str, Any]]]:
    """(one SHA-256 over every file's name and digest, the first 64 files' entries); (None, []) without files."""
    entries = []
    total = hashlib.sha256()
    for path in sorted(files, key=lambda p: str(p)):
        sha = file_digest(path)
        total.update(f"{path.name}\0{sha}\n".encode())
        entries.append({"name": path.name, "bytes": path.stat().st_size, "sha256": sha})
    return (total.hexdigest() if entries else None), entries[:64]


def _regular_files(folder: Path, recursive: bool) -> Iterable[Path]:
    walker = folder.rglob("*") if recursive else folder.iterdir()
    return (p for p in walker if p.is_file() and not p.name.startswith("."))


def dataset_files(data: Any) -> list[Path]:
    """The files a loaded dataset came from (its folders' files; the bundled sample's file)."""
    from engine.data.samples import SAMPLE_FILE

    if data.info.name == "mnist-sample":
        return [Path(SAMPLE_FILE)]
    out: list[Path] = []
    for source in str(data.source).split(" + "):
        folder = Path(source)
        if folder.is_dir():
            out.extend(_regular_files(folder, recursive=data.info.name not in _builtin_names()))
    return out


def _builtin_names() -> set[str]:
    from engine.data.registry import DATASETS

    return set(DATASETS)


def host_name() -> str:
    return platform.node()[:255] or "unknown"


def pid() -> int:
    return os.getpid()
