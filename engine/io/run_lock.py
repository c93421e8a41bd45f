"""Who writes a run: a new run folder with a unique id, and the writer's lock file.

The writer of a run holds an exclusive ``flock`` on ``<run>/writer.lock`` (which also names its
process and host) for as long as it records. A reader that finds a manifest saying "running" asks
``writer_alive``: on POSIX, whether the lock is still held (by any process, this one included);
elsewhere, whether the named process still runs on this host. A run whose writer is gone is
"interrupted". Ids are ``YYYYMMDD-HHMMSS-<name>-<random>`` and the folder is made with
``mkdir`` (which fails when it exists), so two processes starting in the same second never share one.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import socket
import time
from pathlib import Path
from typing import IO, Any

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

__all__ = ["LOCK_NAME", "WriterLock", "make_run_folder", "writer_alive"]

LOCK_NAME = "writer.lock"
_SLUG = re.compile(r"[^A-Za-z0-9_.-]+")


def _slug(name: str) -> str:
    return _SLUG.sub("-", name).strip("-.")[:40] or "run"


def make_run_folder(root: Path, name: str) -> Path:
    """A new, empty folder for a run under ``root`` (made when missing); ``OSError`` when it cannot be."""
    root.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for _ in range(100):
        folder = root / f"{stamp}-{_slug(name)}-{secrets.token_hex(3)}"
        try:
            folder.mkdir()
        except FileExistsError:
            continue
        return folder
    raise OSError(f"could not make a new run folder in {root}")


class WriterLock:
    """The lock a run's writer holds while it records (see the module docstring)."""

    def __init__(self, folder: Path):
        self.path = folder / LOCK_NAME
        self._handle: IO[str] | None = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - held until release
        if fcntl is not None:
            try:
                fcntl.flock(self._handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                self._handle.close()
                self._handle = None
                raise
        self._handle.seek(0)
        self._handle.truncate()
        self._handle.write(f"{os.getpid()} {socket.gethostname()}\n")
        self._handle.flush()

    def release(self) -> None:
        """Let go (the file stays: it names the last writer)."""
        if self._handle is not None:
            with contextlib.suppress(OSError):
                self._handle.close()  # closing drops the flock
            self._handle = None


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _named_writer(path: Path) -> tuple[int, str] | None:
    try:
        parts = path.read_text(encoding="utf-8", errors="replace").split()
    except OSError:
        return None
    if len(parts) >= 2 and parts[0].isdigit():
        return int(parts[0]), parts[1]
    return None


def writer_alive(folder: Path, manifest: dict[str, Any] | None = None) -> bool:
    """Whether a process still records the run in ``folder`` (see the module docstring)."""
    path = folder / LOCK_NAME
    if fcntl is not None:
        try:
            handle = open(path, "rb")  # noqa: SIM115 - closed below
        except OSError:
            return False
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:
            return True  # somebody holds it
        finally:
            handle.close()
        return False
    named = _named_writer(path)
    if named is None:
        return False
    pid, host = named
    return host != socket.gethostname() or _pid_alive(pid)
