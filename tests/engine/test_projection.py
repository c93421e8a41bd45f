"""The projector's numbers: penultimate features, PCA against numpy's SVD, neighbour placement,
t-SNE in a child process and its cancellation."""

from __future__ import annotations

import time

import numpy as np
import pytest
import torch

from engine.inspect.projection import ProjectionCancelled, features, fit_pca, place_by_neighbours, tsne
from engine.model.build import build_model
from engine.model.presets import PRESETS


def test_features_are_what_reaches_the_last_layer():
    torch.manual_seed(0)
    model = build_model(PRESETS["seed000"].spec)
    images = torch.randint(0, 256, (7, 1, 28, 28), dtype=torch.uint8)
    seen = []
    found = features(model, images, (0.5,), (0.25,), batch_size=3, progress=seen.append)
    assert found.shape == (7, 64 * 7 * 7)
    with torch.no_grad():
        x = (images.float() / 255 - 0.5) / 0.25
        expected = model[:-1].eval()(x).reshape(7, -1)
    np.testing.assert_allclose(found, expected.numpy(), rtol=1e-5, atol=1e-5)
    assert seen[-1] == 1.0 and seen == sorted(seen)


def test_pca_matches_numpy_svd_and_places_new_points():
    rng = np.random.default_rng(0)
    scale = np.concatenate([[8.0, 5.0], np.linspace(2, 0.1, 28)]).astype(np.float32)  # two clear axes
    points = rng.normal(size=(400, 30)).astype(np.float32) * scale
    pca = fit_pca(points)
    centred = points - points.mean(0)
    _u, s, vt = np.linalg.svd(centred, full_matrices=False)
    for k in range(2):  # the same axes, up to sign
        assert abs(float(pca.components[:, k] @ vt[k])) == pytest.approx(1.0, abs=1e-3)
    np.testing.assert_allclose(pca.explained, s[:2] ** 2 / (s ** 2).sum(), rtol=1e-3)
    projected = pca.project(points)
    np.testing.assert_allclose(pca.project(points[5:6])[0], projected[5], rtol=1e-5)
    with pytest.raises(ValueError):
        fit_pca(points[:1])


def test_place_by_neighbours():
    points = np.array([[0, 0], [10, 10], [10, 11], [0, 1]], np.float32)
    embedding = np.array([[1, 1], [5, 5], [7, 7], [3, 3]], np.float32)
    np.testing.assert_allclose(place_by_neighbours(points, embedding, np.array([10, 10.4]), k=2), [6, 6])


def test_tsne_separates_clusters_and_cancels():
    rng = np.random.default_rng(1)
    points = np.concatenate([rng.normal(0, 1, (60, 8)), rng.normal(20, 1, (60, 8))]).astype(np.float32)
    seen = []
    embedding = tsne(points, progress=seen.append, iterations=500)
    assert embedding.shape == (120, 2) and seen and max(seen) <= 1.0
    distances = ((embedding[:, None] - embedding[None]) ** 2).sum(-1) + np.eye(120) * 1e9
    nearest = distances.argmin(1)
    assert ((nearest < 60) == (np.arange(120) < 60)).mean() >= 0.98  # neighbours stay in their cluster
    started = time.perf_counter()
    with pytest.raises(ProjectionCancelled):
        tsne(points, cancelled=lambda: time.perf_counter() - started > 0.3)
    assert time.perf_counter() - started < 20
    with pytest.raises(ValueError):
        tsne(points[:3])
