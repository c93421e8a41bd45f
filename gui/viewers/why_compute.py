"""The Why view's and the filter views' work, as pure functions for ``gui.tasks.TaskRunner``.

``explain`` runs the engine's attribution methods (``engine.inspect.attribution``) for one input
on a model it is given (the inspection model on the GUI thread for the fast methods, a private
copy on a worker thread for the rest). ``in_background`` wraps any engine job for a worker
thread: one torch thread there (training keeps its cores), and the engine's ``Cancelled``
becomes the runner's quiet ``TaskCancelled``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from gui.tasks import TaskCancelled

__all__ = ["FAST_METHODS", "WhyOptions", "explain", "explain_in_background", "in_background"]

#: Methods cheap enough for the GUI thread at stroke end (one forward and one backward pass).
FAST_METHODS = ("gradcam", "saliency")


@dataclass(frozen=True)
class WhyOptions:
    """What to explain: the class (None: the predicted one), Grad-CAM's layer, occlusion's window,
    and the blank canvas (a black pixel, normalised, per channel) that Integrated Gradients and
    occlusion compare against."""

    target: int | None = None
    layer: str | None = None
    window: int = 4
    stride: int = 2
    blank: tuple[float, ...] | None = None


def in_background(fn: Callable[..., Any], *args: Any, progress: Callable[[float], None],
                  cancelled: Callable[[], bool], **kwargs: Any) -> Any:
    """``fn(*args, progress=, cancelled=, **kwargs)`` on a worker thread with one torch thread."""
    import torch

    from engine.inspect.jobs import Cancelled  # the engine's long jobs raise it when cancelled() turns True

    torch.set_num_threads(1)  # as the mistake search does: the trainer keeps its threads
    try:
        return fn(*args, progress=progress, cancelled=cancelled, **kwargs)
    except Cancelled as exc:
        raise TaskCancelled from exc


def explain(model: Any, spec: Any, x: Any, methods: Sequence[str], options: WhyOptions, *,
            randomize: bool = False, progress: Callable[[float], None] = lambda _f: None,
            cancelled: Callable[[], bool] = lambda: False) -> dict[str, Any]:
    """Per method: its ``Attribution`` for input ``x`` ``(C, H, W)``, or a one-line reason it has
    none (``AttributionError``). ``randomize``: explain a copy with random weights instead."""
    from engine.inspect.attribution import AttributionError, attribute, randomized_copy

    if randomize:
        model = randomized_copy(model, seed=0)
    results: dict[str, Any] = {}
    progress(0.0)
    for i, method in enumerate(methods):
        if cancelled():
            raise TaskCancelled
        kwargs: dict[str, Any] = {"target": options.target}
        if method == "gradcam":
            kwargs["layer"] = options.layer
        elif method == "occlusion":
            kwargs.update(window=options.window, stride=options.stride)
        if method in ("ig", "occlusion") and options.blank is not None:
            kwargs["blank"] = options.blank
        try:
            results[method] = attribute(model, spec, x, method, **kwargs)
        except AttributionError as exc:
            results[method] = " ".join(str(exc).split()) or "this method does not apply here"
        progress((i + 1) / len(methods))
    return results


def explain_in_background(model: Any, spec: Any, x: Any, methods: Sequence[str], options: WhyOptions,
                          randomize: bool, *, progress: Callable[[float], None],
                          cancelled: Callable[[], bool]) -> dict[str, Any]:
    """``explain`` for a worker thread (``model`` a private copy)."""
    return in_background(explain, model, spec, x, tuple(methods), options, randomize=randomize,
                         progress=progress, cancelled=cancelled)
