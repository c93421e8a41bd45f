"""Small file helpers shared by the engine: atomic writes.

A write goes to one temporary file of ours beside the target, ``.<name>.<pid>-<random>.convscope.tmp``,
created with the normal permissions (``0o666`` less the umask), flushed to disk, renamed over the
target, and the folder is flushed too. A crash or kill mid-write leaves the previous file intact;
the temporary file it leaves behind is removed by the next save into that folder (once its
process is gone), as are the ``.convscope-*.tmp`` files older versions left.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import time
from collections.abc import Callable, Iterator

from engine.model.spec import NetworkSpec

__all__ = ["TEMP_SUFFIX", "atomic_write", "atomic_write_bytes", "atomic_write_text", "clean_stale_temps",
           "save_spec"]

TEMP_SUFFIX = ".convscope.tmp"
_LEGACY = (".convscope-", ".tmp")  # mkstemp's names in older versions: no process id, cleaned by age
_LEGACY_AGE_S = 600.0


def _alive(pid: int) -> bool:
    """Whether process ``pid`` runs (POSIX); our own process always counts (another thread may be saving)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists but is not ours to signal
    return True


def _stale(folder: str, name: str) -> bool:
    """Our temporary file whose process is gone; elsewhere than POSIX, and for the older names, one
    older than ``_LEGACY_AGE_S``."""
    if name.startswith(".") and name.endswith(TEMP_SUFFIX):
        pid = name[: -len(TEMP_SUFFIX)].rsplit(".", 1)[-1].split("-", 1)[0]
        if not pid.isdigit():
            return False
        if os.name == "posix":
            return not _alive(int(pid))
    elif not (name.startswith(_LEGACY[0]) and name.endswith(_LEGACY[1])):
        return False
    try:
        return time.time() - os.stat(os.path.join(folder, name)).st_mtime > _LEGACY_AGE_S
    except OSError:
        return False


def clean_stale_temps(folder: str) -> list[str]:
    """Remove the temporary files of saves into ``folder`` that were killed; their names."""
    removed = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    for name in names:
        if _stale(folder, name):
            with contextlib.suppress(OSError):
                os.unlink(os.path.join(folder, name))
                removed.append(name)
    return removed


def _fsync_folder(folder: str) -> None:
    """Make a rename in ``folder`` durable (POSIX; other systems have no folder handles to flush)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def _replacing(path: str) -> Iterator[str]:
    """A new empty temporary file of ours beside ``path``; renamed over ``path`` when the block ends well,
    removed when it fails."""
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    clean_stale_temps(folder)
    while True:
        tmp = os.path.join(folder, f".{os.path.basename(path)}.{os.getpid()}-{secrets.token_hex(4)}{TEMP_SUFFIX}")
        try:
            os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))  # the umask applies
            break
        except FileExistsError:
            continue
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_folder(folder)


def _fsync_path(path: str) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: str, write: Callable[[str], None]) -> None:
    """Call ``write(tmp_path)`` then move the temporary file over ``path`` in one step.

    A crash or an error mid-write leaves the previous file untouched and no temp file behind.
    A ``write`` that replaces the file (as safetensors' ``save_file`` does, through a hidden temp
    file of its own) gets the normal permissions back; ``atomic_write_bytes`` avoids that temp file.
    """
    with _replacing(path) as tmp:
        mode = os.stat(tmp).st_mode & 0o777
        write(tmp)
        os.chmod(tmp, mode)
        _fsync_path(tmp)


def atomic_write_bytes(path: str, data: bytes | bytearray | memoryview) -> None:
    """Write ``data`` to ``path`` atomically through one temporary file (see the module docstring)."""
    with _replacing(path) as tmp:
        with open(tmp, "r+b") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())


def atomic_write_text(path: str, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically."""
    atomic_write_bytes(path, text.encode("utf-8"))


def save_spec(spec: NetworkSpec, path: str) -> None:
    """Write a network spec as JSON, atomically."""
    atomic_write_text(path, spec.to_json() + "\n")
