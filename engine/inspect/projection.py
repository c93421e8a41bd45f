"""The feature-space projector's numbers: penultimate-layer features, PCA and t-SNE to 2-D.

``features`` runs images through a network and keeps the input of its last layer. ``fit_pca``
finds a 2-D basis at once (``torch.pca_lowrank``) that also places new points (the drawn digit).
``tsne`` runs scikit-learn's t-SNE in a child process (``engine.inspect.tsne_job``): it reports
real progress from the iterations, is cancelled by ending that process, and never holds this
process's GIL, so a window stays smooth. A point that t-SNE never saw is placed by
``place_by_neighbours`` (the mean position of its nearest features).
"""

from __future__ import annotations

import os
import queue
import re
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn

from engine.data.transforms import normalize

__all__ = ["TSNE_ITERATIONS", "Pca", "ProjectionCancelled", "features", "fit_pca", "place_by_neighbours", "tsne"]

TSNE_ITERATIONS = 500  # sklearn's least is 250 (all early exaggeration); its default is 1,000
TSNE_INPUT_DIMS = 50  # t-SNE runs on this many principal components (the usual speed-up)
_ITERATION = re.compile(r"Iteration (\d+)")


class ProjectionCancelled(Exception):
    """The caller's ``cancelled()`` turned True."""


def _never() -> bool:
    return False


def features(model: nn.Sequential, images: torch.Tensor, mean, std, *, batch_size: int = 500,
             progress: Callable[[float], None] | None = None, cancelled: Callable[[], bool] = _never) -> np.ndarray:
    """(N, D) float32: what reaches the last layer of ``model`` (eval mode) for uint8 ``images``."""
    last = list(model.children())[-1]
    kept: list[torch.Tensor] = []
    handle = last.register_forward_pre_hook(lambda _m, inputs: kept.append(inputs[0].detach().reshape(
        len(inputs[0]), -1).float().cpu()))
    training = model.training
    model.eval()
    try:
        with torch.no_grad():
            for start in range(0, len(images), batch_size):
                if cancelled():
                    raise ProjectionCancelled()
                model(normalize(images[start:start + batch_size], tuple(mean), tuple(std)))
                if progress is not None:
                    progress(min(1.0, (start + batch_size) / max(1, len(images))))
    finally:
        handle.remove()
        model.train(training)
    return torch.cat(kept).numpy() if kept else np.zeros((0, 0), np.float32)


@dataclass(frozen=True)
class Pca:
    """A centred linear projection to ``components.shape[1]`` dimensions."""

    mean: np.ndarray  # (D,)
    components: np.ndarray  # (D, k)
    explained: np.ndarray  # (k,) fraction of the variance along each component

    def project(self, points: np.ndarray) -> np.ndarray:
        return (np.asarray(points, np.float32) - self.mean) @ self.components


def fit_pca(points: np.ndarray, dims: int = 2, seed: int = 0) -> Pca:
    """The top ``dims`` principal components of (N, D) ``points`` (randomised, exact enough for a picture)."""
    x = torch.as_tensor(np.asarray(points, np.float32))
    if x.ndim != 2 or len(x) < 2:
        raise ValueError("PCA needs at least two points")
    k = min(dims, x.shape[1], len(x))
    mean = x.mean(0)
    centred = x - mean
    generator_state = torch.random.get_rng_state()
    torch.manual_seed(seed)
    try:
        _u, s, v = torch.pca_lowrank(centred, q=min(k + 10, *x.shape), center=False, niter=2)
    finally:
        torch.random.set_rng_state(generator_state)
    total = float(torch.linalg.vector_norm(centred)) ** 2 or 1.0
    components = v[:, :k]
    if components.shape[1] < dims:  # fewer features than dims: pad with zeros
        components = torch.cat([components, torch.zeros(x.shape[1], dims - components.shape[1])], 1)
    explained = (s[:k] ** 2 / total).numpy()
    return Pca(mean.numpy(), components.numpy(), np.pad(explained, (0, dims - k)))


def tsne(points: np.ndarray, *, seed: int = 0, progress: Callable[[float], None] | None = None,
         cancelled: Callable[[], bool] = _never, iterations: int = TSNE_ITERATIONS) -> np.ndarray:
    """(N, 2) t-SNE embedding of (N, D) ``points``, computed in a child process (see the module docstring)."""
    points = np.asarray(points, np.float32)
    if len(points) < 5:
        raise ValueError("t-SNE needs at least 5 points")
    if points.shape[1] > TSNE_INPUT_DIMS:
        points = fit_pca(points, TSNE_INPUT_DIMS, seed).project(points)
    with tempfile.TemporaryDirectory(prefix="convscope-tsne-") as folder:
        source, target = Path(folder) / "in.npy", Path(folder) / "out.npy"
        np.save(source, points)
        root = str(Path(__file__).resolve().parents[2])
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, (root, os.environ.get("PYTHONPATH"))))}
        process = subprocess.Popen(
            [sys.executable, "-m", "engine.inspect.tsne_job", str(source), str(target), str(seed), str(iterations)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
        lines: queue.Queue = queue.Queue()
        threading.Thread(target=_pump, args=(process.stdout, lines), daemon=True).start()
        tail: list[str] = []
        try:
            while True:
                if cancelled():  # looked at 10 times a second, even while t-SNE prints nothing
                    raise ProjectionCancelled()
                try:
                    line = lines.get(timeout=0.1)
                except queue.Empty:
                    continue
                if line is None:
                    break
                tail = (tail + [line.strip()])[-5:]
                found = _ITERATION.search(line)
                if found and progress is not None:
                    progress(int(found.group(1)) / iterations)
            process.wait()
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
            process.stdout.close()
        if process.returncode != 0 or not target.exists():
            raise RuntimeError(f"t-SNE failed: {' '.join(tail[-2:]) or f'exit {process.returncode}'}")
        return np.load(target)


def _pump(stream, lines: queue.Queue) -> None:
    """Every line of ``stream`` into ``lines``, then None."""
    for line in stream:
        lines.put(line)
    lines.put(None)


def place_by_neighbours(points: np.ndarray, embedding: np.ndarray, query: np.ndarray, k: int = 5) -> np.ndarray:
    """(2,) where ``query`` (D,) goes in ``embedding``: the mean position of its ``k`` nearest ``points``."""
    distances = ((np.asarray(points, np.float32) - np.asarray(query, np.float32)) ** 2).sum(1)
    nearest = np.argsort(distances)[: max(1, min(k, len(points)))]
    return embedding[nearest].mean(0)
