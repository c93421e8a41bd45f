"""Model files that are valid JSON and valid safetensors but wrong inside: every field is checked,
every tensor's name, shape and dtype against the spec, before anything is loaded; each refusal is
one ``CheckpointError`` line naming the field. Also the helpers the fuzz and app tests share:
a real small model file and ``rewrite`` (change a file's metadata or tensors)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import torch
from safetensors import safe_open
from safetensors.torch import save_file

from engine.data.loading import load_dataset
from engine.data.splits import Dataset, Split
from engine.io.checkpoint import CheckpointError, load_checkpoint, save_checkpoint
from engine.model.build import build_model
from engine.model.spec import NetworkSpec
from engine.training.config import OPTIMIZERS
from engine.training.events import TrainConfig
from engine.training.session import TrainingSession

SMALL = NetworkSpec.from_dict({"name": "small", "input": [1, 28, 28], "num_classes": 10, "layers": [
    {"type": "conv2d", "out_channels": 4, "kernel_size": 3, "padding": 1}, {"type": "batchnorm2d"},
    {"type": "relu"}, {"type": "maxpool2d", "kernel_size": 4}, {"type": "flatten"},
    {"type": "linear", "out_features": 10}]})


def write_model_file(path: Path, optimizer: str = "adam", **config) -> Path:
    """A real model file: ``SMALL`` trained one epoch on 300 digits of the bundled sample."""
    sample = load_dataset("mnist-sample")
    data = Dataset(sample.info, Split(sample.train.images[:300], sample.train.labels[:300]),
                   Split(sample.test.images[:100], sample.test.labels[:100]), sample.source)
    settings = {"epochs": 1, "batch_size": 100, "threads": 1, "snapshot_interval_s": 0, "optimizer": optimizer,
                **config}
    session = TrainingSession(SMALL, data, TrainConfig(**settings))
    assert session.run().status == "completed"
    save_checkpoint(path, session.checkpoint())
    return path


def read_file(path: Path) -> tuple[dict, dict[str, torch.Tensor]]:
    """A model file's metadata (parsed) and tensors."""
    with safe_open(str(path), framework="pt") as handle:
        meta = json.loads(handle.metadata()["convscope"])
        tensors = {key: handle.get_tensor(key) for key in handle.keys()}
    return meta, tensors


class Raw(str):
    """JSON text put into a metadata value as it is (e.g. nesting ``json.dumps`` cannot write)."""


def _dumps(meta: dict) -> str:
    raws: list[str] = []

    def encode(value):
        if isinstance(value, Raw):
            raws.append(value)
            return f"@@raw{len(raws) - 1}@@"
        if isinstance(value, dict):
            return {k: encode(v) for k, v in value.items()}
        return [encode(v) for v in value] if isinstance(value, list) else value

    text = json.dumps(encode(meta))
    for n, raw in enumerate(raws):
        text = text.replace(f'"@@raw{n}@@"', raw)
    return text


def rewrite(source: Path, target: Path, change: Callable[[dict, dict[str, torch.Tensor]], None]) -> Path:
    """``source`` written to ``target`` after ``change(meta, tensors)`` edited them in place."""
    meta, tensors = read_file(source)
    change(meta, tensors)
    save_file(tensors, str(target), metadata={"convscope": _dumps(meta)})
    return target


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> Path:
    return write_model_file(tmp_path_factory.mktemp("models") / "good.safetensors")


def refused(path: Path) -> CheckpointError:
    with pytest.raises(CheckpointError) as info:
        load_checkpoint(path)
    error = info.value
    text = str(error)
    assert "\n" not in text and error.field in text and len(text) < 600, text
    return error


def nest(depth: int) -> Raw:
    return Raw("[" * depth + "]" * depth)


def set_at(meta: dict, dotted: str, value) -> None:
    *parents, last = dotted.split(".")
    node = meta
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[key]
    node[int(last) if isinstance(node, list) else last] = value


WIDE = [{"type": "flatten"}, *({"type": "linear", "out_features": 65536} for _ in range(3)),
        {"type": "linear", "out_features": 10}]
# (what the issue saw, dotted path in the metadata, the bad value, the field the refusal names)
CASES = [
    ("a list where an object belongs", "config", [1, 2], "config"),
    ("epoch Infinity", "epoch", float("inf"), "epoch"),
    ("epoch a huge integer", "epoch", 10**30, "epoch"),
    ("learning rate a string", "config.lr", "fast", "config.lr"),
    ("batch size a float", "config.batch_size", 64.5, "config.batch_size"),
    ("optimizer not a choice", "config.optimizer", "lbfgs", "config.optimizer"),
    ("momentum of 1", "config.momentum", 1.0, "config"),
    ("history 100,000 levels deep", "history", nest(100_000), "metadata"),
    ("history an object", "history", {"epoch": 1}, "history"),
    ("test accuracy above 1", "history.0.test_accuracy", 7, "history[0].test_accuracy"),
    ("train loss NaN", "history.0.train_loss", float("nan"), "history[0].train_loss"),
    ("a negative count in the confusion matrix", "history.0.confusion.2.3", -1, "history[0].confusion[2][3]"),
    ("a bool in the confusion matrix", "history.0.confusion.0.0", True, "history[0].confusion[0][0]"),
    ("a NaN mean", "mean", [float("nan")], "mean[0]"),
    ("confusion one row short", "history.0.confusion", [[0] * 10] * 9, "history[0].confusion"),
    ("per-class accuracy a string", "history.0.per_class_accuracy", "all", "history[0].per_class_accuracy"),
    ("class_names shorter than the class count", "class_names", ["0", "1"], "class_names"),
    ("a class name a number", "class_names.3", 3, "class_names[3]"),
    ("dataset not a string", "dataset", ["mnist"], "dataset"),
    ("dataset with a NUL byte", "dataset", "mni\x00st", "dataset"),
    ("zero std", "std", [0.0], "std[0]"),
    ("negative std", "std", [-0.3], "std[0]"),
    ("mean per channel of another input", "mean", [0.1, 0.2, 0.3], "mean"),
    ("a negative new learning rate", "lr_changes", [{"step": 1, "epoch": 1, "old_lr": 0.1, "new_lr": -1}],
     "lr_changes[0].new_lr"),
    ("spec failing the shape checks", "spec.layers.5.out_features", 7, "spec"),
    ("a 30000×30000 input", "spec.input", [1, 30000, 30000], "spec"),
    ("three 65,536-wide linear layers", "spec.layers", WIDE, "spec"),
    ("a 5 MB spec name", "spec.name", "n" * 5_000_000, "spec"),
    ("spec a list", "spec", [], "spec"),
    ("state_keys naming a tensor the network lacks", "state_keys.0", "conv9.weight", "state_keys"),
    ("another format", "format", "convscope-model/9", "format"),
    ("a schedule that does not exist", "schedule", {"__dict__": [["base_lr", 0.1], ["schedule", "warp"]]},
     "schedule.schedule"),
    ("a stored value of unknown kind", "optimizer", {"__code__": "import os"}, "optimizer"),
    ("a reference to a missing tensor", "rng", {"__dict__": [["torch", {"__tensor__": "nowhere"}]]}, "rng.torch"),
    ("python generator state too short", "rng.__dict__.0.1.1", [1, 2, 3], "rng.python[1]"),
    ("numpy generator position past the end", "rng.__dict__.1.1.2", 5000, "rng.numpy[2]"),
]


@pytest.mark.parametrize("what, where, value, field", CASES, ids=[c[0] for c in CASES])
def test_each_bad_field_is_refused_by_name(good, tmp_path, what, where, value, field):
    path = rewrite(good, tmp_path / "bad.safetensors", lambda meta, tensors: set_at(meta, where, value))
    error = refused(path)
    assert error.field == field, str(error)


def test_a_missing_field_is_named(good, tmp_path):
    for key in ("history", "class_names", "config", "state_keys", "epoch"):
        path = rewrite(good, tmp_path / f"no-{key}.safetensors", lambda meta, tensors, key=key: meta.pop(key))
        assert refused(path).field in (key, "spec")


TENSOR_CASES = [
    ("a weight of another shape", lambda t: t.update({"model.conv1.weight": torch.zeros(4, 1, 5, 5)}),
     "model.conv1.weight"),
    ("a weight of another dtype", lambda t: t.update({"model.fc1.weight": t["model.fc1.weight"].double()}),
     "model.fc1.weight"),
    ("a tensor nothing refers to", lambda t: t.update({"junk": torch.zeros(3)}), "tensors"),
    ("an Adam moment of another shape", lambda t: t.update({"optimizer.state.0.exp_avg": torch.zeros(2)}),
     "optimizer.state[0].exp_avg"),
    ("an Adam moment of integers", lambda t: t.update({"optimizer.state.4.exp_avg_sq": torch.zeros(10, 196).long()}),
     "optimizer.state[4].exp_avg_sq"),
    ("a torch generator state of floats", lambda t: t.update({"rng.torch": t["rng.torch"].float()}), "rng.torch"),
    ("a torch generator state of random bytes", lambda t: t.update({"rng.torch": torch.full_like(t["rng.torch"], 255)}),
     "rng.torch"),
]


@pytest.mark.parametrize("what, change, field", TENSOR_CASES, ids=[c[0] for c in TENSOR_CASES])
def test_tensors_are_checked_against_the_spec_before_loading(good, tmp_path, what, change, field):
    path = rewrite(good, tmp_path / "bad.safetensors", lambda meta, tensors: change(tensors))
    assert refused(path).field == field


def test_a_state_key_without_its_tensor(good, tmp_path):
    path = rewrite(good, tmp_path / "bad.safetensors", lambda meta, tensors: tensors.pop("model.fc1.bias"))
    assert refused(path).field in ("model.fc1.bias", "tensors")


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_every_optimizer_round_trips_and_a_wrong_kind_of_state_is_refused(tmp_path, optimizer):
    path = write_model_file(tmp_path / f"{optimizer}.safetensors", optimizer, momentum=0.5)
    ckpt = load_checkpoint(path)
    assert ckpt.config.optimizer == optimizer and ckpt.optimizer["param_groups"][0]["params"] == list(range(6))
    model = build_model(ckpt.spec)
    model.load_state_dict(ckpt.state)
    other = "sgd" if optimizer != "sgd" else "adam"

    def switch(meta, tensors):
        meta["config"]["optimizer"] = other

    error = refused(rewrite(path, tmp_path / "switched.safetensors", switch))
    assert error.field.startswith("optimizer.")


def test_a_good_file_loads_with_checked_values(good):
    ckpt = load_checkpoint(good)
    assert ckpt.spec == SMALL and ckpt.epoch == 1 and len(ckpt.history) == 1
    assert isinstance(ckpt.config.snapshot_interval_s, float) and ckpt.class_names == tuple("0123456789")
    assert ckpt.history[0].confusion.shape == (10, 10) and ckpt.std[0] > 0
    assert set(ckpt.state) == set(build_model(SMALL).state_dict())


def test_unknown_extra_fields_are_ignored(good, tmp_path):
    def extra(meta, tensors):
        meta["comment"] = "made by hand"
        meta["config"]["future_setting"] = 3
        meta["history"][0]["note"] = "x"

    assert load_checkpoint(rewrite(good, tmp_path / "extra.safetensors", extra)).epoch == 1


def test_a_gpu_runs_cuda_generator_states_are_kept(good, tmp_path):
    def add_cuda(meta, tensors):
        meta["rng"]["__dict__"].append(["cuda", [{"__tensor__": "rng.cuda.0"}, {"__tensor__": "rng.cuda.1"}]])
        tensors["rng.cuda.0"] = torch.arange(16, dtype=torch.uint8)
        tensors["rng.cuda.1"] = torch.zeros(16, dtype=torch.uint8)

    ckpt = load_checkpoint(rewrite(good, tmp_path / "gpu.safetensors", add_cuda))
    assert [t.tolist() for t in ckpt.rng["cuda"]] == [list(range(16)), [0] * 16]
