"""Datasets: registry, validated readers (IDX, CIFAR), folders, transforms, bundled samples."""
