"""Data-parallel training on this CPU with gloo: 2 ranks match 1 process, and resume, stop and a lost rank
behave. In-process ranks come from ``torch.multiprocessing.spawn``; the CLI runs under ``torchrun``."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
import torch

from engine.data.loading import load_dataset
from engine.data.splits import Split
from engine.io.checkpoint import load_checkpoint
from engine.model.presets import get_preset
from engine.training import distributed as ddp
from engine.training.events import TrainConfig
from engine.training.session import TrainingSession
from tests.engine.test_cli_train import run as run_cli

ROOT = Path(__file__).resolve().parents[2]
TORCHRUN = Path(sys.executable).with_name("torchrun")
pytestmark = pytest.mark.skipif(not (torch.distributed.is_available() and torch.distributed.is_gloo_available()),
                                reason="torch.distributed with gloo is not available")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def torchrun(*args: str, ranks: int = 2, port: int | None = None, launcher: tuple[str, ...] = (),
             popen: bool = False, timeout: float = 90):
    where = ("--master_addr", "127.0.0.1", "--master_port", str(port or free_port()))
    command = [str(TORCHRUN), "--nproc_per_node", str(ranks), *(launcher or where), "main.py", *args]
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    if popen:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, start_new_session=True)
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)


def last_json(stdout: str) -> dict:
    return json.loads(stdout.strip().splitlines()[-1])


def small_data(train: int = 2000):
    data = load_dataset("mnist-sample")
    return replace(data, train=Split(data.train.images[:train], data.train.labels[:train]),
                   test=Split(data.test.images[:200], data.test.labels[:200]))


SGD = TrainConfig(optimizer="sgd", momentum=0.0, lr=0.05, batch_size=100, epochs=1, threads=1,
                  snapshot_interval_s=0.0, snapshots_in_first_epoch=0)


def _rank_main(rank: int, size: int, out: str, config: TrainConfig) -> None:
    """One spawned rank: the SGD run of ``small_data`` (20 steps); rank 0 saves the weights to ``out``."""
    os.environ.update(RANK=str(rank), WORLD_SIZE=str(size), LOCAL_RANK=str(rank), LOCAL_WORLD_SIZE=str(size))
    world = ddp.start(ddp.launched_world(), "gloo", 30)
    session = TrainingSession(get_preset("seed000").spec, small_data(), config, world=world)
    finish = session.run()
    assert finish.status == "completed", finish.message
    if world.main:
        torch.save({"state": session.model.state_dict(), "step": finish.step}, out)
    ddp.finish(world)


def _versions_main(rank: int, size: int, out: str) -> None:
    """One spawned rank whose torch version differs on rank 1; writes the refusal it got."""
    os.environ.update(RANK=str(rank), WORLD_SIZE=str(size), LOCAL_RANK=str(rank), LOCAL_WORLD_SIZE=str(size))
    world = ddp.start(ddp.launched_world(), "gloo", 30)
    facts = {**ddp.versions(), **({"torch": "0.0.1-other-node"} if rank == 1 else {})}
    try:
        ddp.check_agreement(world, facts)
        reason = "agreed"
    except ddp.DistributedError as exc:
        reason = str(exc)
    Path(f"{out}.{rank}").write_text(reason)


def spawn(fn, *args, ranks: int = 2) -> None:
    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(free_port()))
    torch.multiprocessing.spawn(fn, args=(ranks, *args), nprocs=ranks, join=True)


def test_two_ranks_of_50_match_one_process_of_100_after_20_sgd_steps(tmp_path):
    out = tmp_path / "ranks.pt"
    spawn(_rank_main, str(out), SGD)
    ranks = torch.load(out)
    session = TrainingSession(get_preset("seed000").spec, small_data(), SGD)
    assert session.run().status == "completed"
    assert ranks["step"] == session.step == 20
    one = session.model.state_dict()
    worst = max((ranks["state"][k] - one[k]).abs().max().item() for k in one)
    assert worst < 1e-5, worst


def test_ranks_with_other_versions_are_refused_by_both(tmp_path):
    out = tmp_path / "versions"
    spawn(_versions_main, str(out))
    for rank in (0, 1):
        reason = Path(f"{out}.{rank}").read_text()
        assert reason.startswith("the ranks disagree on torch: rank 0 has ") and "rank 1 has 0.0.1-other-node" in reason


def test_batches_are_shared_and_a_batch_that_does_not_divide_is_said():
    world = ddp.World(rank=1, size=3)
    assert ddp.per_rank_batch(99, world) == (33, None)
    part, note = ddp.per_rank_batch(100, world)
    assert part == 33 and "each rank takes 33, a global batch of 99" in note
    with pytest.raises(ddp.DistributedError, match="smaller than the 3 ranks"):
        ddp.per_rank_batch(2, world)
    covered = sorted(i for r in range(3) for i in range(400)[ddp.batch_slice(2, 33, replace(world, rank=r))])
    assert covered == list(range(2 * 99, 3 * 99))  # the ranks split global batch 2 without overlap
    assert ddp.rank_threads(ddp.World(size=2, local_size=2), 0) == max(1, (os.cpu_count() or 1) // 2)
    assert ddp.rank_threads(ddp.World(size=2, local_size=2), 3) == 3
    assert ddp.choose_backend("auto", torch.device("cpu")) == "gloo"


@pytest.fixture(scope="module")
def two_ranks(tmp_path_factory):
    """seed000, 1 Adam epoch of the bundled sample on 2 ranks (global batch 100)."""
    out = tmp_path_factory.mktemp("ddp") / "two.safetensors"
    result = torchrun("train", "--preset", "seed000", "--epochs", "1", "--json", "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out, last_json(result.stdout), result


def test_two_ranks_train_as_one_process_does(two_ranks):
    out, line, result = two_ranks
    assert line["ranks"] == 2 and line["step"] == 45 and line["status"] == "completed"
    assert "torchrun: 2 ranks over gloo, 50 images per rank of each global batch of 100" in result.stderr
    assert result.stderr.count("epoch 1:") == 1  # rank 0 alone prints
    single = run_cli("train", "--preset", "seed000", "--epochs", "1", "--threads", "2", "--json")
    assert single.returncode == 0, single.stderr
    assert abs(last_json(single.stdout)["test_accuracy"] - line["test_accuracy"]) <= 0.01


def test_two_ranks_resume_on_one(two_ranks, tmp_path):
    out, line, _ = two_ranks
    more = tmp_path / "more.safetensors"
    result = run_cli("train", "--resume", str(out), "--epochs", "1", "--json", "--out", str(more))
    assert result.returncode == 0, result.stderr
    assert last_json(result.stdout)["step"] == 90
    before, after = load_checkpoint(out), load_checkpoint(more)
    assert (before.step, after.step, after.epoch) == (45, 90, 2)
    kept, was = after.history[0], before.history[0]
    assert (kept.train_loss, kept.test_accuracy, kept.lr) == (was.train_loss, was.test_accuracy, was.lr)
    assert (kept.confusion == was.confusion).all() and [h.step for h in after.history] == [45, 90]


def _rank_pid(launcher: subprocess.Popen, rank: int) -> int:
    children = subprocess.run(["pgrep", "-P", str(launcher.pid)], capture_output=True, text=True).stdout.split()
    for pid in children:
        if f"RANK={rank}\0" in Path(f"/proc/{pid}/environ").read_text(errors="replace"):
            return int(pid)
    raise AssertionError(f"rank {rank} not found among {children}")


def _run_until_saved(out: Path) -> subprocess.Popen:
    launcher = torchrun("train", "--preset", "seed000", "--epochs", "50", "--json", "--out", str(out), popen=True)
    deadline = time.monotonic() + 60
    while not out.exists():
        assert launcher.poll() is None and time.monotonic() < deadline, launcher.communicate()
        time.sleep(0.1)
    return launcher


def _signal_rank_1(out: Path, sig: int) -> tuple[subprocess.Popen, tuple[str, str], float]:
    """Once rank 0 has saved ``out`` (epoch 1), send ``sig`` to rank 1; the launcher, its output and the
    seconds it took to end (at most 30, else it is killed and the test fails)."""
    launcher = _run_until_saved(out)
    try:
        os.kill(_rank_pid(launcher, 1), sig)
        sent = time.monotonic()
        output = launcher.communicate(timeout=30)
    finally:
        if launcher.poll() is None:
            os.killpg(launcher.pid, signal.SIGKILL)
    return launcher, output, time.monotonic() - sent


@pytest.mark.skipif(not Path("/proc").is_dir() or sys.platform != "linux", reason="needs Linux /proc")
def test_a_killed_rank_ends_the_run_and_the_saved_model_loads(tmp_path):
    out = tmp_path / "killed.safetensors"
    launcher, (stdout, stderr), seconds = _signal_rank_1(out, signal.SIGKILL)
    assert seconds < 30 and launcher.returncode != 0, (seconds, launcher.returncode, stderr)
    assert "SIGKILL" in stderr, stderr  # torchrun's report names the rank that died and how
    # Rank 0 says so at its next collective, unless torchrun, which polls its ranks every 0.1 s, ends it
    # first (SIGTERM): a loaded machine can keep rank 0 that long in evaluation or saving after epoch 1.
    said = "rank 0 lost the other ranks (one died, was killed or hung past --dist-timeout)" in stderr
    ended_by_torchrun = "closing signal SIGTERM" in stderr and "Signal 15 (SIGTERM) received" in stderr
    assert said or ended_by_torchrun, stderr
    assert load_checkpoint(out).epoch >= 1


@pytest.mark.skipif(not Path("/proc").is_dir() or sys.platform != "linux", reason="needs Linux /proc")
def test_a_rank_too_busy_to_notice_a_dead_peer_is_ended_by_torchrun(tmp_path):
    """Rank 0 held (SIGSTOP) while rank 1 is killed: torchrun ends it, nothing hangs, epoch 1's model loads."""
    out = tmp_path / "held.safetensors"
    launcher = _run_until_saved(out)
    try:
        rank_0 = _rank_pid(launcher, 0)
        os.kill(rank_0, signal.SIGSTOP)
        os.kill(_rank_pid(launcher, 1), signal.SIGKILL)
        time.sleep(1.0)  # ten of torchrun's polls
        os.kill(rank_0, signal.SIGCONT)
        _, stderr = launcher.communicate(timeout=30)
    finally:
        if launcher.poll() is None:
            os.killpg(launcher.pid, signal.SIGKILL)
    assert launcher.returncode != 0 and "Signal 9 (SIGKILL) received" in stderr, stderr
    assert "closing signal SIGTERM" in stderr, stderr
    assert load_checkpoint(out).epoch >= 1


@pytest.mark.skipif(not Path("/proc").is_dir() or sys.platform != "linux", reason="needs Linux /proc")
def test_ctrl_c_on_one_rank_stops_every_rank_at_the_same_step(tmp_path):
    out = tmp_path / "stopped.safetensors"
    _, (stdout, stderr), _ = _signal_rank_1(out, signal.SIGINT)
    line = last_json(stdout)
    assert line["status"] == "stopped" and line["out"] == str(out), stderr
    saved = load_checkpoint(out)
    assert saved.step == line["step"] and saved.epoch == line["epochs"] >= 1
    assert "lost the other ranks" not in stderr  # rank 0 stopped with it, nobody was left waiting


@pytest.mark.parametrize("extra, reason", [
    (("--batch-size", "1"), "the global batch of 1 is smaller than the 2 ranks"),
    (("--backend", "nccl"), "NCCL needs CUDA GPUs and this machine has none")])
def test_bad_setups_get_one_line_and_a_nonzero_exit(extra, reason):
    if reason.startswith("NCCL") and torch.cuda.is_available():
        pytest.skip("this machine has CUDA GPUs")
    started = time.monotonic()
    result = torchrun("train", "--preset", "seed000", "--epochs", "1", *extra, timeout=60)
    assert result.returncode != 0 and time.monotonic() - started < 60
    said = [line for line in result.stderr.splitlines() if "error: " in line and "Traceback" not in line]
    assert len(said) == 1 and said[0].startswith(f"error: {reason}"), result.stderr  # rank 0 says it, once


def test_a_port_in_use_and_an_unreachable_endpoint_fail_fast():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        started = time.monotonic()
        result = torchrun("train", "--preset", "seed000", port=taken.getsockname()[1], timeout=60)
    assert result.returncode != 0 and time.monotonic() - started < 60
    assert "EADDRINUSE" in result.stderr.strip().splitlines()[-1]
    started = time.monotonic()  # a second node whose rendezvous endpoint (a closed loopback port) never answers
    result = torchrun("train", "--preset", "seed000", ranks=1, timeout=60, launcher=(
        "--nnodes", "2", "--node_rank", "1", "--rdzv-endpoint", f"127.0.0.1:{free_port()}", "--rdzv-conf", "timeout=5"))
    assert result.returncode != 0 and time.monotonic() - started < 60
    assert "timed out" in result.stderr.strip().splitlines()[-1]
