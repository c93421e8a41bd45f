"""``python -m engine.inspect.tsne_job IN.npy OUT.npy SEED ITERATIONS``: scikit-learn's t-SNE of the
points in IN, written to OUT; its verbose iteration lines on stdout are the caller's progress."""

from __future__ import annotations

import sys

import numpy as np


def main(argv: list[str]) -> int:
    from sklearn.manifold import TSNE

    source, target, seed, iterations = argv[0], argv[1], int(argv[2]), int(argv[3])
    points = np.load(source)
    perplexity = float(min(30.0, max(2.0, (len(points) - 1) / 3)))
    embedding = TSNE(n_components=2, perplexity=perplexity, init="pca", random_state=seed, max_iter=iterations,
                     angle=0.7, verbose=2, n_jobs=2).fit_transform(points)
    np.save(target, embedding.astype(np.float32))
    return 0


if __name__ == "__main__":
    sys.stdout.reconfigure(line_buffering=True)
    sys.exit(main(sys.argv[1:]))
