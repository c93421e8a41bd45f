"""Recorded runs: written incrementally and atomically, listed, renamed, deleted; a killed run is
"interrupted", a live one of another process is "running"; a folder that cannot be written turns
recording off while training goes on."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from engine.data.loading import load_dataset
from engine.data.splits import Dataset, Split
from engine.io import run_recorder
from engine.io.checkpoint import load_checkpoint
from engine.io.run_files import MAX_BATCH_ROWS, BatchLog, read_keyframes
from engine.io.runs import (
    RunError,
    RunRecorder,
    TeeReporter,
    delete_run,
    find_run,
    list_runs,
    load_run,
    rename_run,
    run_keyframes,
    run_model_path,
    set_run_notes,
)
from engine.training.events import NullReporter, TrainConfig
from engine.training.session import TrainingSession
from tests.engine.test_train import TINY

ROOT = Path(__file__).resolve().parents[2]
PER_EPOCH = 15  # steps: 1,000 training digits in batches of 64
def subset(data: Dataset, train: int, test: int) -> Dataset:
    """The first ``train`` training and ``test`` test images of ``data``."""
    return Dataset(data.info, Split(data.train.images[:train], data.train.labels[:train]),
                   Split(data.test.images[:test], data.test.labels[:test]), data.source)


@pytest.fixture(scope="module")
def small() -> Dataset:
    return subset(load_dataset("mnist-sample"), 1000, 200)


def record(root: Path, data, epochs: int = 2, reporter=None, **settings):
    config = TrainConfig(epochs=epochs, batch_size=64, seed=3, threads=1, snapshot_interval_s=0.01, **settings)
    session = TrainingSession(TINY, data, config)
    recorder, reason = RunRecorder.open(root, spec=TINY, config=config, dataset_name=data.info.name,
                                        data_files=[], checkpoint=session.checkpoint, source="test")
    assert recorder is not None, reason
    finish = session.run(TeeReporter(recorder, reporter))
    return recorder, finish


class _Looker(NullReporter):
    """Looks at the run folder after each epoch has been recorded."""

    def __init__(self, root: Path):
        self.root, self.seen = root, []

    def on_epoch(self, stats) -> None:
        (run,) = list_runs(self.root)
        record = load_run(run.path)
        model = load_checkpoint(run_model_path(run.path))
        self.seen.append((run.status, run.epochs, len(record.epochs), model.epoch))


def test_a_run_is_written_at_every_epoch_end_and_completed_at_the_end(tmp_path, small):
    looker = _Looker(tmp_path)
    recorder, finish = record(tmp_path, small, epochs=3, reporter=looker)
    assert finish.status == "completed" and recorder.problem is None
    assert looker.seen == [("running", 1, 1, 1), ("running", 2, 2, 2), ("running", 3, 3, 3)]
    (run,) = list_runs(tmp_path)
    assert run.status == "completed" and run.epochs == 3 and run.network == "tiny" and run.damage == ""
    assert run.final_accuracy == finish.test_accuracy and run.best_accuracy == max(
        h.test_accuracy for h in finish.history)
    record_ = load_run(run.path)
    assert [row["test_accuracy"] for row in record_.epochs] == [h.test_accuracy for h in finish.history]
    assert list(record_.batches["step"]) == list(range(1, 3 * PER_EPOCH + 1))  # all kept
    m = record_.manifest
    assert m["seed"] == 3 and m["versions"]["torch"] and m["ended"] and m["dataset"]["train_size"] == 1000
    best = load_checkpoint(run_model_path(run.path, "best"))
    assert best.history[-1].test_accuracy == run.best_accuracy
    frames = read_keyframes(str(run.path / "keyframes.safetensors"))
    epoch_ends = [f[0] for f in frames if f[1] == int(f[1])]
    assert epoch_ends[0] == 0 and epoch_ends[-1] == 3 * PER_EPOCH  # step 0 … the last epoch end
    assert set(frames[-1][2]) == {"conv1.weight"}
    snapshots = run_keyframes(run.path)
    assert [s.step for s in snapshots] == [f[0] for f in frames] and all(s.keep for s in snapshots)
    last = load_checkpoint(run_model_path(run.path))
    assert last.step == 3 * PER_EPOCH
    assert np.array_equal(snapshots[-1].state["conv1.weight"], last.state["conv1.weight"].numpy())
    assert not [p for p in run.path.iterdir() if p.name.endswith(".tmp")]


def test_batch_rows_are_thinned_to_2000():
    for total, given in ((50_000, 50_000), (0, 9_999)):  # known number of steps, and unknown
        log = BatchLog(total)
        for step in range(1, given + 1):
            log.add(step, 1.0 / step, 0.5)
        steps = [row[0] for row in log.rows]
        assert 1000 <= len(steps) <= MAX_BATCH_ROWS and steps == sorted(steps), total
        assert steps[-1] > given - 2 * log.stride


_HOLDER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from engine.io.run_lock import WriterLock, make_run_folder
    folder = make_run_folder(Path(sys.argv[1]), "held")
    (folder / "manifest.json").write_bytes(Path(sys.argv[2]).read_bytes())
    lock = WriterLock(folder)
    print(folder, flush=True)
    time.sleep(120)
""")


def _start(code: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", code, *args], cwd=ROOT, stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_another_process_s_live_run_is_running_and_interrupted_once_it_is_gone(tmp_path, small):
    recorder, _ = record(tmp_path / "done", small, epochs=1)
    manifest = json.loads((recorder.path / "manifest.json").read_text())
    manifest["status"] = "running"
    template = tmp_path / "running.json"
    template.write_text(json.dumps(manifest))
    holder = _start(_HOLDER, str(tmp_path / "runs"), str(template))
    try:
        folder = Path(holder.stdout.readline().strip())
        (run,) = list_runs(tmp_path / "runs")
        assert run.path == folder and run.status == "running"
        with pytest.raises(RunError, match="still being recorded"):
            delete_run(folder)
    finally:
        holder.kill()
        holder.wait(30)
    (run,) = list_runs(tmp_path / "runs")
    assert run.status == "interrupted"


def test_two_writers_starting_in_the_same_second_get_their_own_runs(tmp_path, small):
    config = TrainConfig(epochs=1)
    made = []
    for _ in range(20):
        recorder, _ = RunRecorder.open(tmp_path, spec=TINY, config=config, dataset_name="mnist-sample",
                                       data_files=[], checkpoint=lambda: None, source="test", name="same name")
        made.append(recorder)
    assert len({r.path for r in made}) == 20 and all(r.path.name.count("same-name") == 1 for r in made)
    runs = list_runs(tmp_path)
    assert len(runs) == 20 and {r.status for r in runs} == {"running"}  # all live, in this process
    for r in made:
        r.close()
    assert {r.status for r in list_runs(tmp_path)} == {"interrupted"}


_KILLED = textwrap.dedent("""
    import sys
    from pathlib import Path
    from engine.data.loading import load_dataset
    from engine.io.runs import RunRecorder, TeeReporter
    from engine.training.events import NullReporter, TrainConfig
    from engine.training.session import TrainingSession
    from tests.engine.test_runs import TINY, subset
    data = subset(load_dataset("mnist-sample"), 1000, 200)
    config = TrainConfig(epochs=500, batch_size=64, threads=1)
    session = TrainingSession(TINY, data, config)
    recorder, _ = RunRecorder.open(Path(sys.argv[1]), spec=TINY, config=config, dataset_name="mnist-sample",
                                   data_files=[], checkpoint=session.checkpoint)
    class Tell(NullReporter):
        def on_epoch(self, stats):
            print("epoch", stats.epoch, flush=True)
        def on_batch(self, stats):
            if stats.epoch == 2 and stats.batch == 3:
                print("mid", flush=True)
    session.run(TeeReporter(recorder, Tell()))
""")


def test_a_run_killed_mid_epoch_keeps_its_completed_epoch_and_is_interrupted(tmp_path):
    child = _start(_KILLED, str(tmp_path))
    try:
        assert child.stdout.readline().strip() == "epoch 1"
        assert child.stdout.readline().strip() == "mid"
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.wait(30)
    (run,) = list_runs(tmp_path)
    assert run.status == "interrupted" and run.epochs == 1 and run.final_accuracy is not None
    record_ = load_run(run.path)
    assert [row["epoch"] for row in record_.epochs] == [1]
    model = load_checkpoint(run_model_path(run.path))
    assert model.epoch == 1 and model.step == PER_EPOCH


def test_a_folder_that_cannot_be_written_turns_recording_off(tmp_path, small):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    config = TrainConfig(epochs=1)
    recorder, reason = RunRecorder.open(blocker / "runs", spec=TINY, config=config, dataset_name="x",
                                        data_files=[], checkpoint=lambda: None)
    assert recorder is None and "cannot write to" in reason
    if os.geteuid() != 0:  # root writes into read-only folders anyway
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o555)
        recorder, reason = RunRecorder.open(locked, spec=TINY, config=config, dataset_name="x", data_files=[],
                                            checkpoint=lambda: None)
        assert recorder is None and "cannot write to" in reason


def test_a_full_disk_mid_run_stops_recording_but_not_training(tmp_path, small, monkeypatch):
    real = run_recorder.atomic_write_bytes

    class Filling(NullReporter):
        def on_epoch(self, stats) -> None:
            def full(path, data):
                if os.path.basename(path) == "manifest.json":
                    raise OSError(errno.ENOSPC, "No space left on device")
                real(path, data)

            monkeypatch.setattr(run_recorder, "atomic_write_bytes", full)

    recorder, finish = record(tmp_path, small, epochs=3, reporter=Filling())
    assert finish.status == "completed" and finish.epochs_done == 3
    assert "No space left on device" in recorder.problem and "recording stopped" in recorder.problem
    (run,) = list_runs(tmp_path)
    assert run.status == "interrupted" and run.epochs == 1  # the manifest of epoch 1 is whole


def test_rename_notes_and_delete(tmp_path, small):
    recorder, _ = record(tmp_path, small, epochs=1)
    rename_run(recorder.path, "  kernel 5  ")
    set_run_notes(recorder.path, "BatchNorm off\r\nlr 1e-3")
    (run,) = list_runs(tmp_path)
    assert run.name == "kernel 5" and run.notes == "BatchNorm off\nlr 1e-3"
    assert load_run(run.path).manifest["name"] == "kernel 5"
    for bad, needle in (("", "cannot be empty"), ("x" * 201, "at most 200"), ("a\x00b", "control characters")):
        with pytest.raises(RunError, match=needle):
            rename_run(run.path, bad)
    assert find_run(tmp_path, run.id[:10]) == run.path and find_run(tmp_path, str(run.path)) == run.path
    with pytest.raises(RunError, match="no run"):
        find_run(tmp_path, "nope")
    with pytest.raises(RunError, match="not a run folder"):
        delete_run(tmp_path)
    (run.path / "best.safetensors").unlink()
    with pytest.raises(RunError, match="no best model file"):
        run_model_path(run.path, "best")
    delete_run(run.path)
    assert list_runs(tmp_path) == [] and not run.path.exists()


def test_list_runs_of_a_missing_folder_is_empty(tmp_path):
    assert list_runs(tmp_path / "none") == []


def test_a_resumed_run_is_recorded_with_the_epochs_it_continues(tmp_path, small):
    from engine.training.resume import resume_config

    first, _ = record(tmp_path / "first", small, epochs=1)
    saved = load_checkpoint(run_model_path(first.path))
    config, _ = resume_config(saved, {"threads": 1}, 1)
    session = TrainingSession(TINY, small, config, resume=saved)
    recorder, _ = RunRecorder.open(tmp_path / "second", spec=TINY, config=config, dataset_name="mnist-sample",
                                   data_files=[], checkpoint=session.checkpoint)
    assert session.run(TeeReporter(recorder)).status == "completed"
    (run,) = list_runs(tmp_path / "second")
    record_ = load_run(run.path)
    assert run.epochs == 2 and [row["epoch"] for row in record_.epochs] == [1, 2]
    assert record_.manifest["resumed"] is True and record_.epochs[0] == load_run(first.path).epochs[0]
    assert list(record_.batches["step"]) == list(range(PER_EPOCH + 1, 2 * PER_EPOCH + 1))  # this process's epoch


def test_messages_and_names_with_line_breaks_keep_the_manifest_readable(tmp_path):
    from engine.training.events import ErrorInfo, FinishInfo

    recorder, _ = RunRecorder.open(tmp_path, spec=TINY, config=TrainConfig(), dataset_name="my\tdigits",
                                   data_files=[], checkpoint=lambda: None, name="two\nlines")
    recorder.on_error(ErrorInfo("exception", "it broke:\nTraceback (most recent call last): …"))
    recorder.on_finish(FinishInfo(status="failed", message="it broke:\nsee above", epochs_done=0, step=0, seconds=1.0,
                                  images_per_s=0.0, test_loss=None, test_accuracy=None))
    (run,) = list_runs(tmp_path)
    assert (run.status, run.name, run.dataset, run.damage) == ("failed", "two lines", "my digits", "")
    assert load_run(run.path).manifest["message"] == "it broke: see above"
    with pytest.raises(RunError, match="no last model file"):
        run_model_path(run.path)


def test_a_run_records_every_layer_statistics_sample_the_session_took(tmp_path, small):
    from engine.io.runs import run_layer_stats

    config = TrainConfig(epochs=2, batch_size=64, seed=3, threads=1)
    session = TrainingSession(TINY, small, config)
    recorder, reason = RunRecorder.open(tmp_path, spec=TINY, config=config, dataset_name="sample", data_files=[],
                                        checkpoint=session.checkpoint, source="test")
    assert recorder is not None, reason
    assert session.run(recorder).status == "completed"
    (run,) = list_runs(tmp_path)
    history = run_layer_stats(run.path)
    assert history is not None and len(history) == len(session.layer_history) > 0
    assert load_run(run.path).manifest["layer_stats"] == len(history)
    assert np.array_equal(history.column("step"), session.layer_history.column("step"))
    (run.path / "layer_stats.npz").write_bytes(b"not an npz")
    with pytest.raises(RunError, match="layer statistics unreadable"):
        run_layer_stats(run.path)


def test_a_run_without_layer_statistics_has_none(tmp_path, small):
    from engine.io.runs import run_layer_stats

    recorder, finish = record(tmp_path, small, epochs=1, layer_stats=False)
    (run,) = list_runs(tmp_path)
    assert run_layer_stats(run.path) is None and "layer_stats" not in load_run(run.path).manifest
