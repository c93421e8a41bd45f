"""Saving: one temporary file of ours, normal permissions, fsync, stale temporary files cleaned,
and the kill-during-save loop (bench/stop_bench.py runs it with a 100 MB file)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from bench.stop_bench import kill_during_save, model_payload
from engine.io import fileio
from engine.io.checkpoint import load_checkpoint
from engine.io.fileio import TEMP_SUFFIX, atomic_write, atomic_write_bytes, clean_stale_temps


def test_bytes_land_whole_with_normal_permissions_and_fsync(tmp_path, monkeypatch):
    synced = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: synced.append(fd) or real_fsync(fd))
    old = os.umask(0o022)
    try:
        atomic_write_bytes(str(tmp_path / "m.safetensors"), b"x" * 1000)
    finally:
        os.umask(old)
    path = tmp_path / "m.safetensors"
    assert path.read_bytes() == b"x" * 1000 and os.stat(path).st_mode & 0o777 == 0o644
    assert len(synced) == 2  # the file, then its folder
    assert [p.name for p in tmp_path.iterdir()] == ["m.safetensors"]


def test_a_writer_that_replaces_the_file_gets_normal_permissions_back(tmp_path):
    def private_writer(tmp):  # what safetensors' save_file does: its own 0600 file renamed over ours
        other = tmp + ".private"
        with open(os.open(other, os.O_WRONLY | os.O_CREAT, 0o600), "wb") as handle:
            handle.write(b"data")
        os.replace(other, tmp)

    old = os.umask(0o022)
    try:
        atomic_write(str(tmp_path / "m.bin"), private_writer)
    finally:
        os.umask(old)
    assert os.stat(tmp_path / "m.bin").st_mode & 0o777 == 0o644


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temp(tmp_path, monkeypatch):
    path = tmp_path / "m.bin"
    atomic_write_bytes(str(path), b"old")
    monkeypatch.setattr(os, "replace", lambda *a: (_ for _ in ()).throw(OSError("disk full")))
    with pytest.raises(OSError, match="disk full"):
        atomic_write_bytes(str(path), b"new")
    assert path.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["m.bin"]


def test_stale_temps_of_dead_processes_and_old_versions_are_removed_live_ones_kept(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(dead.stdout)
    stale = tmp_path / f".m.safetensors.{dead_pid}-abcd1234{TEMP_SUFFIX}"
    live = tmp_path / f".m.safetensors.{os.getppid()}-abcd1234{TEMP_SUFFIX}"
    legacy_old, legacy_new = tmp_path / ".convscope-k2j3h4.tmp", tmp_path / ".convscope-a1b2c3.tmp"
    unrelated = tmp_path / ".tmpAbC123"  # not ours: left alone
    for p in (stale, live, legacy_old, legacy_new, unrelated):
        p.write_bytes(b"")
    os.utime(legacy_old, (0, 0))
    if os.name != "posix":
        pytest.skip("process checks are POSIX-only")
    assert sorted(clean_stale_temps(str(tmp_path))) == sorted([stale.name, legacy_old.name])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([live.name, legacy_new.name, unrelated.name])
    assert fileio._alive(os.getpid())


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
def test_kill_during_save_never_corrupts_and_leaves_no_temp(tmp_path):
    folder = tmp_path / "saves"
    folder.mkdir()
    result = kill_during_save(folder, model_payload(12), 30, seed=1, check=load_checkpoint)
    assert result["kills"] == 30 and result["temps_left"] == []
    assert result["killed_mid_save"] >= 1  # some kills did land during a save
