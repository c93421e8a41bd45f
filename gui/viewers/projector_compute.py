"""The projector's background work (``TaskRunner`` functions: no widgets): features of the test
split with PCA, t-SNE of them, and one PCA picture per epoch keyframe for the animation."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["MAX_POINTS", "Projection", "epoch_frames", "model_of", "project_split", "run_tsne"]

MAX_POINTS = 10_000  # test images projected, at most


@dataclass(frozen=True)
class Projection:
    """Features of the first ``len(labels)`` test images, their 2-D points and how to place new ones."""

    features: np.ndarray  # (N, D)
    labels: np.ndarray  # (N,)
    points: np.ndarray  # (N, 2)
    method: str  # "pca" | "tsne"
    pca: Any  # engine.inspect.projection.Pca (places new points for "pca")
    model: Any  # the CPU nn.Sequential the features came from (places the drawn digit)


def model_of(spec: Any, weights: Any) -> Any:
    """``spec`` built on the CPU in eval mode with ``weights`` (None: its seeded initialisation)."""
    import torch

    from engine.model.build import build_model

    torch.manual_seed(0)
    model = build_model(spec).eval()
    if weights is not None:
        model.load_state_dict({k: torch.as_tensor(np.array(v)) for k, v in weights.items()})
    return model


def project_split(spec: Any, weights: Any, images: Any, labels: Any, mean: Sequence[float], std: Sequence[float], *,
                  progress: Callable[[float], None], cancelled: Callable[[], bool]) -> Projection:
    """Penultimate features of ``images`` (uint8, at most ``MAX_POINTS``) and their PCA to 2-D."""
    import torch

    from engine.inspect.projection import features, fit_pca

    torch.set_num_threads(1)  # this pool thread only: the GUI thread keeps its frames
    model = model_of(spec, weights)
    images, labels = images[:MAX_POINTS], np.asarray(labels[:MAX_POINTS])
    found = features(model, images, mean, std, progress=lambda f: progress(0.9 * f), cancelled=cancelled)
    pca = fit_pca(found)
    progress(1.0)
    return Projection(found, labels, pca.project(found), "pca", pca, model)


def run_tsne(projection: Projection, *, progress: Callable[[float], None],
             cancelled: Callable[[], bool]) -> Projection:
    """The same features embedded by t-SNE (in a child process; cancelling ends it)."""
    from engine.inspect.projection import ProjectionCancelled, tsne
    from gui.tasks import TaskCancelled

    try:
        points = tsne(projection.features, progress=progress, cancelled=cancelled)
    except ProjectionCancelled:
        raise TaskCancelled() from None
    return Projection(projection.features, projection.labels, points, "tsne", projection.pca, projection.model)


def epoch_frames(spec: Any, keyframes: Sequence[Any], images: Any, mean: Sequence[float], std: Sequence[float], *,
                 progress: Callable[[float], None], cancelled: Callable[[], bool]) -> list[tuple[float, np.ndarray]]:
    """(epoch, (N, 2) PCA points) per epoch keyframe; each frame's axes turned to agree with the last
    frame's (a principal axis has no sign of its own)."""
    import torch

    from engine.inspect.projection import features, fit_pca

    torch.set_num_threads(1)
    images = images[:MAX_POINTS]
    frames: list[tuple[float, np.ndarray]] = []
    for n, snapshot in enumerate(keyframes):
        found = features(model_of(spec, snapshot.state), images, mean, std, cancelled=cancelled)
        points = fit_pca(found).project(found)
        if frames:
            signs = np.sign((points * frames[-1][1]).sum(0))
            points = points * np.where(signs == 0, 1, signs)
        frames.append((float(snapshot.epoch), points))
        progress((n + 1) / len(keyframes))
    return frames
