"""Two recorded runs side by side: their networks layer by layer, parameter counts and settings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine.model.shapes import analyze
from engine.model.spec import NetworkSpec

__all__ = ["RunComparison", "compare_layers", "compare_manifests"]

# machine settings and the snapshot cadence say nothing about the run itself
_IGNORED_SETTINGS = {"device", "threads", "backend", "dist_timeout_s", "snapshot_interval_s",
                     "snapshots_in_first_epoch", "eval_batch_size"}


@dataclass(frozen=True)
class RunComparison:
    layers: list[tuple[str, str, str]]  # (change: "added"|"removed"|"changed"|"same", layer name, detail text)
    params_delta: int  # B's parameters minus A's
    settings: list[tuple[str, Any, Any]]  # (setting, value in A, value in B), only those that differ


def _settings_text(layer: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in layer.items() if k != "type") or "no settings"


def compare_layers(a: NetworkSpec, b: NetworkSpec) -> list[tuple[str, str, str]]:
    """Per layer name (conv1, pool1, …) in B's order, then A's layers that B lacks."""
    a_layers = dict(zip(a.names, a.layers))
    b_layers = dict(zip(b.names, b.layers))
    out = []
    for name, layer in b_layers.items():
        old = a_layers.get(name)
        if old is None:
            out.append(("added", name, f"{layer['type']}: {_settings_text(layer)}"))
        elif old == layer:
            out.append(("same", name, f"{layer['type']}: {_settings_text(layer)}"))
        else:
            keys = [k for k in dict.fromkeys([*old, *layer]) if old.get(k) != layer.get(k)]
            out.append(("changed", name, "; ".join(f"{k} {old.get(k, '—')} → {layer.get(k, '—')}" for k in keys)))
    for name, layer in a_layers.items():
        if name not in b_layers:
            out.append(("removed", name, f"{layer['type']}: {_settings_text(layer)}"))
    return out


def _params(spec: NetworkSpec) -> int:
    return analyze(spec).total_params


def compare_manifests(a: dict[str, Any], b: dict[str, Any]) -> RunComparison:
    """The comparison of two checked manifests (``engine.io.run_manifest.check_manifest``)."""
    spec_a, spec_b = NetworkSpec.from_dict(a["spec"]), NetworkSpec.from_dict(b["spec"])
    settings: list[tuple[str, Any, Any]] = []
    if spec_a.input != spec_b.input:
        settings.append(("input", list(spec_a.input), list(spec_b.input)))
    if spec_a.num_classes != spec_b.num_classes:
        settings.append(("num_classes", spec_a.num_classes, spec_b.num_classes))
    if a["dataset"]["name"] != b["dataset"]["name"]:
        settings.append(("dataset", a["dataset"]["name"], b["dataset"]["name"]))
    elif a["dataset"].get("sha256") != b["dataset"].get("sha256"):
        settings.append(("dataset files (SHA-256)", a["dataset"].get("sha256"), b["dataset"].get("sha256")))
    config_a, config_b = a["config"], b["config"]
    for key in dict.fromkeys([*config_a, *config_b]):
        if key in _IGNORED_SETTINGS:
            continue
        if config_a.get(key) != config_b.get(key):
            settings.append((key, config_a.get(key), config_b.get(key)))
    return RunComparison(compare_layers(spec_a, spec_b), _params(spec_b) - _params(spec_a), settings)
