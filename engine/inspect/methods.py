"""The attribution methods' names and titles, without torch (menus and argument parsers need
them before the engine loads). The methods themselves are in ``engine.inspect.attribution``."""

from __future__ import annotations

__all__ = ["METHODS", "METHOD_TITLES", "blank_value"]

METHODS: tuple[str, ...] = ("gradcam", "saliency", "smoothgrad", "ig", "occlusion")
METHOD_TITLES: dict[str, str] = {
    "gradcam": "Grad-CAM",
    "saliency": "Saliency",
    "smoothgrad": "SmoothGrad",
    "ig": "Integrated Gradients",
    "occlusion": "Occlusion",
}


def blank_value(mean, std) -> list[float]:
    """The normalised value of a 0 (black) pixel per channel, ``(0 − mean) / std``: the blank
    canvas that Integrated Gradients and occlusion compare against."""
    means = [float(m) for m in (mean if isinstance(mean, (list, tuple)) else [mean])]
    stds = [float(s) for s in (std if isinstance(std, (list, tuple)) else [std])]
    if len(stds) == 1 and len(means) > 1:
        stds = stds * len(means)
    if len(means) == 1 and len(stds) > 1:
        means = means * len(stds)
    return [-m / s for m, s in zip(means, stds)]
