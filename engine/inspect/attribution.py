"""Why the network chose a class, for one input: Grad-CAM, saliency, SmoothGrad, Integrated
Gradients and occlusion (Captum, imported on first use, so importing this module stays light).

Every method explains ``y``, the target class's score before softmax (its logit), on an
eval-mode model (``engine.inspect.grad_model.gradient_model``: the caller's model keeps its mode,
weights and ``requires_grad`` flags; a training-mode model is explained through an eval-mode copy).

``Attribution.heat`` is ``(H, W)`` float32 at the input's resolution:

- ``gradcam``: ``ReLU(Σ_k α_k A^k)`` for the maps ``A^k`` of ``layer`` with ``α_k`` the spatial mean
  of ``∂y/∂A^k`` (Selvaraju et al., 2017), upsampled bilinearly; ≥ 0; no ``channels``.
- ``saliency``: ``max_c |∂y/∂x_c|`` (Simonyan et al., 2014); ``channels`` the signed gradient.
- ``smoothgrad``: the same for the gradient averaged over ``samples`` copies of ``x`` with Gaussian
  noise of σ = ``noise``·(max x − min x) (Smilkov et al., 2017); seeded: one input, one map.
- ``ig``: ``Σ_c (x − b)·∫∂y/∂x`` along the straight path from the baseline ``b``, ``steps``
  Gauss–Legendre points (Sundararajan et al., 2017); signed; the heat sums to ``y(x) − y(b)``,
  ``note`` says how closely ("completeness error 0.3%"). Above 1% the points are doubled, up to
  4×``steps`` (a ReLU's kink between points; then the note names the steps used).
- ``occlusion``: ``y(x) − y(x with a window×window patch set to b)`` averaged over the windows
  covering each pixel (Zeiler & Fergus, 2014); signed; a pixel no window covers is 0. ``channels``
  holds the per-channel map (equal channels: a window covers all of them).

The baseline ``b`` is ``baseline`` when given, else the blank canvas: ``blank`` (the normalised
value of a 0 pixel per channel, ``engine.inspect.methods.blank_value(mean, std)``) or, without it,
the per-channel minimum of ``x`` (the background of a digit drawn on black).
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from engine.inspect.activations import single_thread
from engine.inspect.grad_model import batch_model, gradient_model, model_device
from engine.inspect.methods import METHOD_TITLES, METHODS, blank_value
from engine.inspect.receptive import spatial_layer_names
from engine.model.shapes import analyze
from engine.model.spec import NetworkSpec

__all__ = [
    "METHODS",
    "METHOD_TITLES",
    "Attribution",
    "AttributionError",
    "attribute",
    "blank_value",
    "default_gradcam_layer",
    "randomized_copy",
    "spatial_layers",
]

_MAX_PERTURBATIONS = 256  # occlusion windows per forward pass
IG_TOLERANCE = 0.01  # completeness error above which Integrated Gradients doubles its steps…
IG_MAX_REFINE = 4  # …up to this many times the steps asked for


class AttributionError(ValueError):
    """An attribution that cannot be made, with a one-line reason."""


@dataclass(frozen=True)
class Attribution:
    """One method's answer for one input and class (conventions in the module docstring)."""

    method: str
    target: int
    heat: np.ndarray
    signed: bool
    channels: np.ndarray | None
    layer: str | None
    probabilities: np.ndarray
    note: str = ""

    @property
    def title(self) -> str:
        return METHOD_TITLES[self.method] + (f" ({self.layer})" if self.layer else "")


def spatial_layers(spec: NetworkSpec) -> list[str]:
    """Names of the layers Grad-CAM can use: those whose output is ``C×H×W``."""
    return spatial_layer_names(spec)


def default_gradcam_layer(spec: NetworkSpec) -> str | None:
    """The last spatial layer before flatten, skipping maps of a single pixel (global pooling)
    when a larger one exists; None for a network without spatial layers."""
    report = analyze(spec)
    spatial = [layer for layer in report.layers if len(layer.output_shape) == 3]
    larger = [layer for layer in spatial if layer.output_shape[1] * layer.output_shape[2] > 1]
    chosen = larger or spatial
    return chosen[-1].name if chosen else None


def _gradcam_layer(spec: NetworkSpec, layer: str | None) -> str:
    spatial = spatial_layers(spec)
    if not spatial:
        raise AttributionError(f"{spec.name} has no layer with spatial output; Grad-CAM needs a conv-like layer")
    if layer is None:
        return default_gradcam_layer(spec) or spatial[-1]
    if layer not in spatial:
        names = [info.name for info in analyze(spec).layers]
        what = f"{layer} has no spatial output" if layer in names else f"there is no layer named {layer}"
        raise AttributionError(f"{what}; Grad-CAM needs a conv-like layer: {', '.join(spatial)}")
    return layer


def _check_input(spec: NetworkSpec, x: np.ndarray) -> np.ndarray:
    arr = np.asarray(x, dtype=np.float32)
    if arr.ndim == 4 and arr.shape[0] == 1:
        arr = arr[0]
    want = tuple(int(v) for v in spec.input)
    if arr.shape != want:
        raise AttributionError(f"the input has shape {'×'.join(map(str, arr.shape))} but {spec.name} takes "
                               f"{'×'.join(map(str, want))}")
    if not np.isfinite(arr).all():
        raise AttributionError("the input holds NaN or infinite values")
    return arr


def _check_settings(method: str, steps: int, samples: int, noise: float, window: int, stride: int,
                    shape: Sequence[int]) -> None:
    if method == "ig" and steps < 1:
        raise AttributionError(f"Integrated Gradients needs at least 1 step, got {steps}")
    if method == "smoothgrad" and (samples < 1 or not noise >= 0):
        raise AttributionError(f"SmoothGrad needs samples ≥ 1 and noise ≥ 0, got {samples} and {noise}")
    if method == "occlusion":
        if window < 1 or stride < 1:
            raise AttributionError(f"occlusion needs window and stride ≥ 1, got {window} and {stride}")
        if window > min(shape[1], shape[2]):
            raise AttributionError(f"the {window}×{window} occlusion window is larger than the "
                                   f"{shape[1]}×{shape[2]} input")


def _baseline(x: np.ndarray, baseline: np.ndarray | None, blank) -> np.ndarray:
    if baseline is not None:
        base = np.asarray(baseline, dtype=np.float32)
        if base.ndim == 4 and base.shape[0] == 1:
            base = base[0]
        if base.shape != x.shape:
            raise AttributionError(f"the baseline has shape {base.shape}, the input {x.shape}")
        return base
    if blank is None:
        values = x.reshape(x.shape[0], -1).min(axis=1)
    else:
        values = np.broadcast_to(np.asarray(blank, dtype=np.float32).ravel(), (x.shape[0],))
    return np.broadcast_to(values.reshape(-1, 1, 1), x.shape).astype(np.float32)


def _gradcam(net: nn.Module, inp: torch.Tensor, target: int, layer: str, **_) -> tuple:
    from captum.attr import LayerGradCam

    module = dict(net.named_modules())[layer]
    cam = LayerGradCam(net, module).attribute(inp, target=target, relu_attributions=True)
    heat = F.interpolate(cam, size=tuple(inp.shape[-2:]), mode="bilinear", align_corners=False)
    note = ""
    if not bool((heat > 0).any()):
        note = (f"Grad-CAM is zero everywhere at {layer}: no region of it adds to this class's score (the class "
                "wins because the others score lower); try an earlier layer, saliency or Integrated Gradients")
    return heat[0, 0], None, False, note


def _saliency(net: nn.Module, inp: torch.Tensor, target: int, **_) -> tuple:
    from captum.attr import Saliency

    grad = Saliency(net).attribute(inp, target=target, abs=False)[0]
    return grad.abs().amax(0), grad, False, ""


def _smoothgrad(fast: nn.Module, inp: torch.Tensor, target: int, samples: int, noise: float, **_) -> tuple:
    from captum.attr import NoiseTunnel, Saliency

    spread = float(inp.detach().max() - inp.detach().min())
    sigma = noise * (spread if spread > 0 else 1.0)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        grad = NoiseTunnel(Saliency(fast)).attribute(inp, nt_type="smoothgrad", nt_samples=samples,
                                                    nt_samples_batch_size=samples, stdevs=sigma,
                                                    target=target, abs=False)[0]
    return grad.abs().amax(0), grad, False, f"{samples} samples, noise σ {sigma:.3g}"


def _ig(fast: nn.Module, inp: torch.Tensor, target: int, base: torch.Tensor, steps: int, gap: float,
        **_) -> tuple:
    from captum.attr import IntegratedGradients

    method, n = IntegratedGradients(fast), steps
    while True:
        attr, delta = method.attribute(inp, baselines=base, target=target, n_steps=n, internal_batch_size=n,
                                       return_convergence_delta=True)
        error = abs(float(delta[0])) / max(abs(gap), 1e-12)
        if error <= IG_TOLERANCE or n >= IG_MAX_REFINE * steps:
            break
        n *= 2  # a kink of a ReLU between the points: integrate more finely
    if abs(gap) <= 1e-6:
        note = "the input scores the same as the baseline"
    else:
        note = f"completeness error {error:.1%}" + (f" ({n} steps)" if n != steps else "")
    return attr[0].sum(0), attr[0], True, note


def _occlusion(fast: nn.Module, inp: torch.Tensor, target: int, base: torch.Tensor, window: int, stride: int,
               **_) -> tuple:
    from captum.attr import Occlusion

    c, h, w = inp.shape[1:]
    count = ((h - window) // stride + 1) * ((w - window) // stride + 1)
    attr = Occlusion(fast).attribute(inp, sliding_window_shapes=(c, window, window), strides=(c, stride, stride),
                                    baselines=base, target=target,
                                    perturbations_per_eval=min(count, _MAX_PERTURBATIONS))[0]
    return attr.mean(0), attr, True, f"{window}×{window} window, stride {stride}"


_BATCHED = ("smoothgrad", "ig", "occlusion")  # many forward passes at once: worth a faster copy
_RUN = {"gradcam": _gradcam, "saliency": _saliency, "smoothgrad": _smoothgrad, "ig": _ig, "occlusion": _occlusion}


def attribute(model: nn.Module, spec: NetworkSpec, x: np.ndarray, method: str, *, target: int | None = None,
              layer: str | None = None, steps: int = 32, samples: int = 16, noise: float = 0.15,
              window: int = 4, stride: int = 2, baseline: np.ndarray | None = None,
              blank: np.ndarray | Sequence[float] | float | None = None) -> Attribution:
    """Explain ``model``'s score for class ``target`` (None: the predicted class) on one normalised
    input ``x`` ``(C, H, W)`` with ``method`` (one of ``METHODS``). ``layer`` is Grad-CAM's (None:
    ``default_gradcam_layer``); the other settings belong to the method they name. Runs with one
    torch thread. Raises ``AttributionError`` with a one-line reason for input it cannot explain."""
    if method not in METHODS:
        raise AttributionError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    xs = _check_input(spec, x)
    classes = int(spec.num_classes)
    if classes < 2:
        raise AttributionError("the network has a single class, so there is no decision to explain")
    if target is not None and not 0 <= int(target) < classes:
        raise AttributionError(f"class {target} does not exist; the network has classes 0 to {classes - 1}")
    layer = _gradcam_layer(spec, layer) if method == "gradcam" else None
    _check_settings(method, steps, samples, noise, window, stride, xs.shape)
    base_np = _baseline(xs, baseline, blank)
    with single_thread(), gradient_model(model) as net:
        device = model_device(net)
        inp = torch.from_numpy(np.ascontiguousarray(xs)).unsqueeze(0).to(device)
        base = torch.from_numpy(np.ascontiguousarray(base_np)).unsqueeze(0).to(device)
        with torch.no_grad():
            logits = net(torch.cat([inp, base]))
        probs = logits[0].softmax(0).cpu().numpy()
        chosen = int(probs.argmax()) if target is None else int(target)
        gap = float(logits[0, chosen] - logits[1, chosen])
        fast = batch_model(net, spec) if method in _BATCHED else net  # Grad-CAM hooks the spec's own layers
        inp.requires_grad_(method != "occlusion")
        heat, channels, signed, note = _RUN[method](fast, inp, chosen, layer=layer, base=base, steps=steps,
                                                    samples=samples, noise=noise, window=window, stride=stride,
                                                    gap=gap)
    return Attribution(
        method=method,
        target=chosen,
        heat=heat.detach().float().cpu().numpy().astype(np.float32),
        signed=signed,
        channels=None if channels is None else channels.detach().float().cpu().numpy().astype(np.float32),
        layer=layer,
        probabilities=probs.astype(np.float32),
        note=note,
    )


def randomized_copy(model: nn.Module, seed: int = 0) -> nn.Module:
    """The same architecture with freshly initialised weights (torch's default initialisation,
    seeded): the sanity check of Adebayo et al. (2018) — a map that looks the same on this copy is
    not explaining the trained network. The copy keeps ``model``'s mode; ``model`` is untouched."""
    clone = copy.deepcopy(model)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        for module in clone.modules():
            reset = getattr(module, "reset_parameters", None)
            if callable(reset):
                reset()
    return clone
