"""Data-parallel training under ``torchrun``: the world of ranks, its process group, and the few
collectives the trainer needs.

``torchrun`` starts one process per rank with ``RANK``, ``WORLD_SIZE``, ``LOCAL_RANK`` and
``LOCAL_WORLD_SIZE`` set; ``launched_world`` reads them. ``start`` checks the setup (a clear
``DistributedError`` instead of a hang), opens the process group with a collective timeout, and
all-gathers each rank's versions and run facts so that mismatched nodes stop at once.

In the run every rank shuffles with the same seeded generator and takes its own slice of each
global batch (``batch_slice``); ``RankSync.step`` all-reduces (loss, correct, stop request) once
per step, so every rank sees the global loss, the divergence guard decides the same on all of
them and a stop asked on any rank ends every rank at the same step. Evaluation is sharded and
all-reduced (``evaluate_sharded``).
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import re
import threading
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

import torch
import torch.distributed as dist

from engine.training.devices import resolve_device
from engine.training.evaluate import EvalResult, evaluate, result_from_counts

__all__ = [
    "DistributedError",
    "RankSync",
    "SINGLE",
    "World",
    "batch_slice",
    "check_agreement",
    "choose_backend",
    "evaluate_sharded",
    "failure_message",
    "finish",
    "fingerprint",
    "launched_world",
    "per_rank_batch",
    "rank_device",
    "rank_threads",
    "start",
    "sync_buffers",
    "versions",
    "wrap",
]


class DistributedError(Exception):
    """A distributed setup that cannot run; the message is one line with the fix."""


@dataclass(frozen=True)
class World:
    """Where this process stands among the ranks (one rank, alone, by default)."""

    rank: int = 0
    size: int = 1
    local_rank: int = 0
    local_size: int = 1
    backend: str = ""  # "" until the process group is open

    @property
    def distributed(self) -> bool:
        return self.size > 1

    @property
    def main(self) -> bool:
        """Rank 0: the one that prints, and writes model files."""
        return self.rank == 0


SINGLE = World()


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    try:
        return int(value) if value else default
    except ValueError:
        raise DistributedError(f"{name}={value!r} is not a number; start the ranks with torchrun") from None


def launched_world() -> World:
    """This process's place as ``torchrun`` set it in the environment (``SINGLE`` without torchrun)."""
    size = _env_int("WORLD_SIZE", 1)
    if size <= 1:
        return SINGLE
    return World(rank=_env_int("RANK", 0), size=size, local_rank=_env_int("LOCAL_RANK", 0),
                 local_size=max(1, _env_int("LOCAL_WORLD_SIZE", 1)))


def rank_threads(world: World, threads: int) -> int:
    """Torch threads of one rank: ``threads`` when given, else this node's cores shared by its local ranks."""
    return threads if threads > 0 else max(1, (os.cpu_count() or 1) // world.local_size)


def rank_device(world: World, requested: str) -> torch.device:
    """The device of this rank: the local rank's GPU under torchrun, else ``resolve_device``'s choice."""
    if not world.distributed:
        return resolve_device(requested)
    name = (requested or "auto").lower()
    if name == "mps":
        raise DistributedError("several ranks cannot share Apple's MPS device; use --device cpu under torchrun")
    if name.startswith("cuda:"):
        raise DistributedError(f"under torchrun each rank uses the GPU of its local rank; give --device cuda, not "
                               f"{requested}")
    if name in ("auto", "cuda") and torch.cuda.is_available():
        count = torch.cuda.device_count()
        if world.local_size > count:
            raise DistributedError(f"{world.local_size} ranks on this node but {count} GPU(s); start at most "
                                   f"--nproc_per_node {count}, or train on --device cpu")
        return torch.device("cuda", world.local_rank)
    return resolve_device(name if name != "auto" else "cpu")


def choose_backend(requested: str, device: torch.device) -> str:
    """``gloo`` or ``nccl`` for ``requested`` (``auto``: NCCL on GPUs, gloo on CPUs)."""
    if requested == "nccl":
        if not torch.cuda.is_available():
            raise DistributedError("NCCL needs CUDA GPUs and this machine has none; use --backend gloo (or auto)")
        if device.type != "cuda":
            raise DistributedError("NCCL only connects GPUs; with --device cpu use --backend gloo (or auto)")
        return "nccl"
    if requested == "gloo":
        return "gloo"
    return "nccl" if device.type == "cuda" else "gloo"


def per_rank_batch(global_batch: int, world: World) -> tuple[int, str | None]:
    """Each rank's share of the global batch, and a note when the batch does not divide among the ranks."""
    if global_batch < world.size:
        raise DistributedError(f"the global batch of {global_batch} is smaller than the {world.size} ranks (each "
                               f"needs at least one image); give --batch-size {world.size} or more, or fewer ranks")
    part = global_batch // world.size
    if part * world.size == global_batch:
        return part, None
    return part, (f"batch {global_batch} does not divide among {world.size} ranks: each rank takes {part}, a "
                  f"global batch of {part * world.size}")


def batch_slice(b: int, part: int, world: World) -> slice:
    """This rank's positions of global batch ``b`` in the shared permutation (``part`` images per rank)."""
    start = (b * world.size + world.rank) * part
    return slice(start, start + part)


def versions() -> dict[str, str]:
    """What must match on every node: ConvScope's, torch's and Python's versions."""
    from engine import __version__

    return {"ConvScope": __version__, "torch": torch.__version__, "Python": platform.python_version()}


def fingerprint(value: Any) -> str:
    """A short digest of a JSON-able value (a spec, the settings), to compare across ranks."""
    text = json.dumps(value, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def start(world: World, backend: str, timeout_s: float) -> World:
    """Open the process group (``env://``, as torchrun set it) with a ``timeout_s`` limit on every collective."""
    if not world.distributed:
        return world
    if backend == "nccl":
        torch.cuda.set_device(world.local_rank)
    try:
        dist.init_process_group(backend, timeout=timedelta(seconds=timeout_s))
    except (RuntimeError, ValueError) as exc:
        raise DistributedError(f"the ranks could not connect ({backend}): {_first_line(exc)}") from None
    return replace(world, backend=backend)


def check_agreement(world: World, facts: dict[str, str]) -> None:
    """All-gather every rank's ``facts`` (versions, dataset, settings); raise when any differs."""
    if not world.distributed:
        return
    gathered: list[Any] = [None] * world.size
    dist.all_gather_object(gathered, facts)
    for key, mine in facts.items():
        values = [g.get(key) for g in gathered]
        if any(v != mine for v in values):
            said = ", ".join(f"rank {r} has {v}" for r, v in enumerate(values))
            finish(world)  # every rank saw the same facts and refuses too; gloo aborts at exit if left open
            raise DistributedError(f"the ranks disagree on {key}: {said}; every node needs the same versions, "
                                   "data and command")


def finish(world: World) -> None:
    """Wait for every rank (rank 0 has written its files), then close the process group."""
    if world.distributed and dist.is_initialized():
        try:
            dist.barrier()
        finally:
            dist.destroy_process_group()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


class RankSync:
    """The per-step agreement of the ranks: global loss and accuracy, and a stop asked on any rank."""

    def __init__(self, world: World, device: torch.device | None = None):
        self.world = world
        self.device = device or torch.device("cpu")  # the trainer sets the run's device
        self.requested = threading.Event()

    def request_stop(self) -> None:
        """Ask every rank to stop after the step in progress (safe from a signal handler)."""
        self.requested.set()

    def step(self, loss: torch.Tensor, correct: torch.Tensor) -> tuple[float, int, bool]:
        """(mean loss over the ranks, correct answers over the ranks, whether any rank asked to stop)."""
        if not self.world.distributed:
            return loss.item(), int(correct.item()), self.requested.is_set()
        stop = 1.0 if self.requested.is_set() else 0.0
        packed = torch.stack([loss.detach().float(), correct.float(), torch.tensor(stop, device=self.device)])
        dist.all_reduce(packed)
        loss_sum, correct_sum, stops = packed.tolist()
        return loss_sum / self.world.size, int(round(correct_sum)), stops > 0


def wrap(module: torch.nn.Module, world: World, device: torch.device) -> torch.nn.Module:
    """``module`` inside ``DistributedDataParallel`` (gradients averaged over the ranks in backward)."""
    if not world.distributed:
        return module
    from torch.nn.parallel import DistributedDataParallel

    return DistributedDataParallel(module, device_ids=[device.index] if device.type == "cuda" else None)


def failure_message(exc: BaseException, world: World) -> str | None:
    """A sentence for a collective that failed because another rank died or hung; None for other errors."""
    if not world.distributed or not isinstance(exc, RuntimeError):
        return None
    text = str(exc)
    lost = isinstance(exc, dist.DistError) or any(
        s in text for s in ("Connection closed", "Connection reset", "Timed out", "timed out", "Gloo", "NCCL"))
    if not lost:
        return None
    detail = re.sub(r"^\[[^\]]*\]\s*", "", _first_line(exc)).split(". This is typically")[0]
    return f"rank {world.rank} lost the other ranks (one died, was killed or hung past --dist-timeout): {detail}"


def sync_buffers(model: torch.nn.Module, world: World) -> None:
    """Rank 0's buffers (BatchNorm statistics) on every rank."""
    if world.distributed:
        for buffer in model.buffers():
            dist.broadcast(buffer, 0)


def evaluate_sharded(world: World, model: torch.nn.Module, images: torch.Tensor, labels: torch.Tensor,
                     mean: tuple[float, ...], std: tuple[float, ...], num_classes: int, **options: Any
                     ) -> EvalResult:
    """``evaluate`` on this rank's contiguous shard, the confusion matrices and losses summed over the ranks."""
    if not world.distributed:
        return evaluate(model, images, labels, mean, std, num_classes, **options)
    n = len(labels)
    lo, hi = world.rank * n // world.size, (world.rank + 1) * n // world.size
    part = evaluate(model, images[lo:hi], labels[lo:hi], mean, std, num_classes,
                    **{**options, "should_stop": None})  # a rank stopping alone would leave the others waiting
    device = next(model.parameters()).device
    counts = torch.tensor([part.loss * part.count, *part.confusion.flatten().tolist()], dtype=torch.float64,
                          device=device)
    dist.all_reduce(counts)
    matrix = counts[1:].round().to(torch.int64).view(num_classes, num_classes).cpu().numpy()
    return result_from_counts(matrix, float(counts[0].item()))
