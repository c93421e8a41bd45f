"""The builder's edits of a spec, as pure functions: each returns the new spec and the undo
text ("Add dropout", "Move relu1 down"), or None when there is nothing to do."""

from __future__ import annotations

from typing import Any

from engine.model.report import Fix
from engine.model.shapes import adapt_to_dataset, apply_fix, format_shape
from engine.model.spec import NetworkSpec, default_layer
from gui.dataset_texts import dataset_text
from gui.i18n import translate

__all__ = ["Edit", "add_edit", "dataset_input_edit", "delete_edit", "duplicate_edit", "fix_edit", "move_edit"]

Edit = tuple[NetworkSpec, str]


def _layers(spec: NetworkSpec) -> list[dict[str, Any]]:
    return [dict(layer) for layer in spec.layers]


def add_edit(spec: NetworkSpec, kind: str, index: int) -> Edit:
    """A new ``kind`` layer (the palette's starting settings) at ``index``."""
    layers = _layers(spec)
    layers.insert(index, default_layer(kind))
    return spec.with_layers(layers), translate("edits", "Add {0}").format(kind)


def delete_edit(spec: NetworkSpec, index: int) -> Edit:
    layers = _layers(spec)
    del layers[index]
    return spec.with_layers(layers), translate("edits", "Delete {0}").format(spec.names[index])


def duplicate_edit(spec: NetworkSpec, index: int) -> Edit:
    """A copy of layer ``index`` right after it."""
    layers = _layers(spec)
    layers.insert(index + 1, dict(layers[index]))
    return spec.with_layers(layers), translate("edits", "Duplicate {0}").format(spec.names[index])


def move_edit(spec: NetworkSpec, src: int, dest: int) -> Edit | None:
    """Layer ``src`` moved so that it ends at position ``dest``; None when out of range or in place."""
    n = len(spec.layers)
    if not (0 <= src < n and 0 <= dest < n) or src == dest:
        return None
    name = spec.names[src]
    layers = _layers(spec)
    layers.insert(dest, layers.pop(src))
    if abs(dest - src) == 1:
        text = translate("edits", "Move {0} up") if dest < src else translate("edits", "Move {0} down")
    else:
        text = translate("edits", "Move {0} to position {1}")
    text = text.format(name, dest + 1)
    return spec.with_layers(layers), text


def fix_edit(spec: NetworkSpec, fix: Fix) -> Edit:
    return apply_fix(spec, fix), translate("edits", "Apply fix: {0}").format(fix.label)


def dataset_input_edit(spec: NetworkSpec, info: Any) -> Edit | None:
    """The spec with ``info``'s input shape and class count, and the undo text; None if equal."""
    shape = tuple(int(v) for v in info.input_shape)
    classes = len(info.class_names)
    if tuple(spec.input) == shape and spec.num_classes == classes:
        return None
    title = dataset_text(getattr(info, "title", None) or getattr(info, "name", "dataset"))
    return adapt_to_dataset(spec, shape, classes), \
        translate("edits", "Use {0}: input {1}, {2} classes").format(title, format_shape(shape), classes)
