"""Small file helpers shared by the engine: atomic writes."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable

from engine.model.spec import NetworkSpec


def atomic_write(path: str, write: Callable[[str], None]) -> None:
    """Call ``write(tmp_path)`` then move the temporary file over ``path`` in one step.

    A crash or an error mid-write leaves the previous file untouched and no temp file behind.
    """
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".convscope-", suffix=".tmp", dir=folder)
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def atomic_write_text(path: str, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically."""

    def write(tmp: str) -> None:
        with open(tmp, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())

    atomic_write(path, write)


def save_spec(spec: NetworkSpec, path: str) -> None:
    """Write a network spec as JSON, atomically."""
    atomic_write_text(path, spec.to_json() + "\n")
