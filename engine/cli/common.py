"""What the CLI's commands share: exit codes, ``CliError``, the spec arguments, the training options.

The ``train`` command's settings options come from ``TrainConfig``'s field descriptions
(``engine.training.config.settings``), the same ones the app's training form uses.
"""

from __future__ import annotations

import argparse
from typing import Any

from engine.model.presets import get_preset
from engine.model.spec import NetworkSpec, SpecError
from engine.training.config import settings

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_FAILED",
    "EXIT_OK",
    "CliError",
    "model_images",
    "add_config_options",
    "add_spec_args",
    "config_overrides",
    "preset_settings",
    "spec_from_args",
]

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2
_TYPES = {"int": int, "float": float}


class CliError(Exception):
    """A one-line reason for a non-zero exit."""

    def __init__(self, message: str, code: int = EXIT_BAD_INPUT):
        super().__init__(message)
        self.code = code


def spec_from_args(args: argparse.Namespace) -> NetworkSpec:
    """The network of ``--preset NAME`` or ``--spec FILE``; a ``CliError`` when it cannot be had."""
    if getattr(args, "preset", None):
        try:
            return get_preset(args.preset).spec
        except KeyError as exc:
            raise CliError(str(exc.args[0])) from None
    try:
        return NetworkSpec.load(args.spec)
    except SpecError as exc:
        raise CliError(f"invalid spec {args.spec}: {exc}") from None


def add_spec_args(parser: argparse.ArgumentParser, required: bool = True) -> None:
    """``--preset NAME`` or ``--spec FILE`` (one of them)."""
    group = parser.add_mutually_exclusive_group(required=required)
    group.add_argument("--preset", help="a preset name (see 'presets')")
    group.add_argument("--spec", help="a network spec JSON file")


def _cli_settings() -> list[Any]:
    return sorted((s for s in settings() if s.flag), key=lambda s: s.cli_rank)


def add_config_options(parser: argparse.ArgumentParser) -> None:
    """One option per ``TrainConfig`` field that has a CLI flag, in their ``cli_rank`` order."""
    for s in _cli_settings():
        options: dict[str, Any] = {"dest": s.name, "default": s.cli_default, "help": s.help or None}
        if s.type == "bool":
            options["action"] = argparse.BooleanOptionalAction if s.default else "store_true"  # --no-shuffle
        elif s.choices:
            options["choices"] = s.choices
        elif s.type in _TYPES:
            options["type"] = _TYPES[s.type]
        parser.add_argument(s.flag, **options)


def config_overrides(args: argparse.Namespace) -> dict[str, Any]:
    """The settings given on the command line; options without a default count only when given."""
    chosen = {}
    for s in _cli_settings():
        value = getattr(args, s.name)
        if value is not None or s.cli_default is not None:
            chosen[s.name] = value
    return chosen


def preset_settings(training: dict[str, Any]) -> dict[str, Any]:
    """The part of a preset's ``training`` dict that a preset may set."""
    allowed = {s.name for s in settings() if s.preset}
    return {k: v for k, v in training.items() if k in allowed}


def model_images(ckpt: Any, data_name: str | None, data_dir: str | None) -> tuple[Any, Any]:
    """``(DatasetInfo, Split)``: the test split (the train split when there is none) of ``data_name``, or of
    the model's own dataset, as uint8 images the model takes; a ``CliError`` says why not."""
    from pathlib import Path

    from engine.data.loading import load_dataset
    from engine.data.registry import DATASETS, DatasetError

    name = data_name or ckpt.dataset or "mnist-sample"
    folder = name not in DATASETS and name != "mnist-sample" and Path(name).is_dir()
    try:
        data = load_dataset("folder", name) if folder else load_dataset(name, data_dir)
    except DatasetError as exc:
        raise CliError(f"{exc} (--data picks another dataset)") from None
    split = data.test if data.test is not None and len(data.test) else data.train
    if split is None or len(split) == 0:
        raise CliError(f"{data.info.name} has no images in {data.source}")
    if tuple(split.images.shape[1:]) != tuple(ckpt.spec.input):
        raise CliError(f"the model takes {list(ckpt.spec.input)} but {data.info.name} has images of "
                       f"{list(split.images.shape[1:])}")
    return data.info, split
