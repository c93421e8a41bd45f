"""Seeded fuzzing of model files through every loader: ``load_checkpoint`` (all of them), the CLI's
``eval``, ``predict`` and ``train --resume`` (a sample, in process and as a subprocess).

Over 400 files from a real small model file: every field of the metadata set to wrong types, lists
for objects, Infinity/NaN, huge numbers, long strings, deep nesting; keys removed and added;
tensors reshaped, retyped, dropped, added and renamed; truncated, empty and random files; pickle
and ``torch.save`` files whose payload would create a marker file. Only ``CheckpointError`` may
come out, always one line naming its field; the marker never appears.
"""

from __future__ import annotations

import json
import pickle
import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image
from safetensors.torch import save_file

from engine.cli.main import main as cli_main
from engine.io.checkpoint import CheckpointError, load_checkpoint
from engine.model.build import build_model
from tests.engine.test_model_files import Raw, rewrite, write_model_file

ROOT = Path(__file__).resolve().parents[2]
SEED, MUTATIONS = 20240601, 420
NASTY = [None, True, False, 0, -1, 1.5, -0.0, 10**30, -(10**30), 2**63, float("inf"), float("-inf"), float("nan"),
         1e308, "", "x" * 10_000, "a\x00b", [], [1, 2, 3], {}, {"a": 1}, [[[[[]]]]], {"__tensor__": "model.fc1.bias"},
         {"__dict__": [[[1], 2]]}, {"__dict__": [["a"]]}, {"__tuple__": 5}, {"__float__": "1e999"}, ["x"] * 200]


class _Marker:
    """Unpickling this creates the marker file: the payload a hostile .pt file would carry."""

    def __init__(self, target: Path):
        self.target = target

    def __reduce__(self):
        return (open, (str(self.target), "w"))


def _paths(value, prefix: tuple = ()) -> Iterator[tuple]:
    """Every place in the metadata (the first and last items of long lists)."""
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, prefix + (key,))
    elif isinstance(value, list):
        indices = range(len(value)) if len(value) <= 4 else (0, len(value) - 1)
        for i in indices:
            yield from _paths(value[i], prefix + (i,))


def _parent(meta: dict, path: tuple):
    node = meta
    for key in path[:-1]:
        node = node[key]
    return node


def _mutate_meta(rng: random.Random, meta: dict) -> str:
    path = rng.choice([p for p in _paths(meta) if p])
    parent, last = _parent(meta, path), path[-1]
    roll = rng.random()
    if roll < 0.6:
        parent[last] = rng.choice(NASTY)
    elif roll < 0.75:
        del parent[last]
    elif roll < 0.85:
        target = parent[last] if isinstance(parent[last], dict) else meta
        target[rng.choice(["zz", "__tensor__", "epoch", "layers"])] = rng.choice(NASTY)
    elif roll < 0.95:
        depth = rng.choice([33, 1000, 100_000])
        parent[last] = Raw("[" * depth + "]" * depth)
    else:
        parent[last] = [parent[last]] * rng.randint(2, 5)
    return "meta " + ".".join(map(str, path))


def _mutate_tensors(rng: random.Random, tensors: dict[str, torch.Tensor]) -> str:
    name = rng.choice(sorted(tensors))
    roll = rng.randrange(5)
    if roll == 0:
        tensors[name] = torch.zeros(tuple(s + rng.choice([1, -1]) if s > 1 else 2 for s in tensors[name].shape) or (2,))
    elif roll == 1:
        tensors[name] = tensors[name].to(rng.choice([torch.float64, torch.int32, torch.uint8, torch.float16]))
    elif roll == 2:
        del tensors[name]
    elif roll == 3:
        tensors[f"{name}.extra"] = torch.zeros(3)
    else:
        tensors[name + "x"] = tensors.pop(name)
    return f"tensor {name}"


def _file_cases(good: Path, folder: Path, marker: Path) -> list[tuple[Path, str]]:
    data = good.read_bytes()
    rng = random.Random(SEED)
    cases = {
        "empty": b"", "random": bytes(rng.randrange(256) for _ in range(4096)), "header-only": data[:8],
        "huge header length": (2**62).to_bytes(8, "little") + b"{}",
        "header not JSON": (12).to_bytes(8, "little") + b"not json at all",
    }
    for n in range(6):
        cases[f"truncated {n}"] = data[: rng.randrange(1, len(data))]
    files = []
    for name, content in cases.items():
        path = folder / f"{name}.safetensors"
        path.write_bytes(content)
        files.append((path, f"file {name}"))
    with open(folder / "evil.pt", "wb") as handle:
        pickle.dump({"state_dict": _Marker(marker)}, handle)
    torch.save({"x": _Marker(marker)}, folder / "evil-torch.pt")
    save_file({"w": torch.zeros(2)}, str(folder / "no-metadata.safetensors"))
    save_file({"w": torch.zeros(2)}, str(folder / "not-json.safetensors"), metadata={"convscope": "{nope"})
    save_file({"w": torch.zeros(2)}, str(folder / "huge-metadata.safetensors"),
              metadata={"convscope": json.dumps({"format": "x" * (33 * 2**20)})})
    for name in ("evil.pt", "evil-torch.pt", "no-metadata.safetensors", "not-json.safetensors",
                 "huge-metadata.safetensors"):
        files.append((folder / name, f"file {name}"))
    return files


def craft_files(good: Path, folder: Path, count: int, seed: int = SEED) -> list[tuple[Path, str]]:
    """``count`` files made from ``good`` by one to three changes to its metadata or tensors, each
    with a note of what was changed."""
    rng = random.Random(seed)
    files = []
    for n in range(count):
        what: list[str] = []

        def change(meta, tensors, what=what):
            for _ in range(rng.choice([1, 1, 1, 2, 3])):
                what.append(_mutate_meta(rng, meta) if rng.random() < 0.8 else _mutate_tensors(rng, tensors))

        files.append((rewrite(good, folder / f"m{n:03d}.safetensors", change), "; ".join(what)))
    return files


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict:
    """The crafted files: (path, what was changed) and the marker path."""
    folder = tmp_path_factory.mktemp("fuzz")
    good = write_model_file(folder / "good.safetensors", "sgd", momentum=0.9)
    marker = folder / "marker-created"
    files = _file_cases(good, folder, marker) + craft_files(good, folder, MUTATIONS)
    return {"files": files, "marker": marker, "good": good}


def _outcome(path: Path) -> CheckpointError | None:
    try:
        ckpt = load_checkpoint(path)
    except CheckpointError as error:
        return error
    build_model(ckpt.spec).load_state_dict(ckpt.state)  # what loads is usable
    return None


def test_every_crafted_file_loads_or_is_refused_by_name(corpus):
    assert len(corpus["files"]) >= 400
    refusals = 0
    for path, what in corpus["files"]:
        error = _outcome(path)
        if error is None:
            continue
        refusals += 1
        text = str(error)
        assert "\n" not in text and len(text) < 600 and error.field and error.field in text, (what, text)
        if what.startswith(("meta", "tensor")):
            assert error.field not in ("file", ""), (what, text)
    assert refusals > 0.8 * len(corpus["files"])
    assert not corpus["marker"].exists()


@pytest.fixture(scope="module")
def digit(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("digit") / "one.png"
    image = np.zeros((28, 28), np.uint8)
    image[4:24, 13:15] = 255
    Image.fromarray(image).save(path)
    return path


def _commands(model: Path, digit: Path) -> dict[str, list[str]]:
    return {"eval": ["eval", "--model", str(model), "--dataset", "mnist-sample", "--json"],
            "predict": ["predict", "--model", str(model), str(digit), "--json"],
            "train": ["train", "--resume", str(model), "--dataset", "mnist-sample", "--epochs", "1", "--threads", "1"]}


def test_the_cli_loaders_answer_a_sample_with_one_line_and_exit_2(corpus, digit, capsys):
    rng = random.Random(SEED)
    rejected = [(p, w) for p, w in corpus["files"] if _outcome(p) is not None]
    for path, what in rng.sample(rejected, 12) + [(corpus["files"][0][0], "empty")]:
        for name, argv in _commands(path, digit).items():
            assert cli_main(argv) == 2, (name, what)
            err = capsys.readouterr().err.strip().splitlines()
            assert len(err) == 1 and err[0].startswith("error: "), (name, what, err)
    accepted = [p for p, _ in corpus["files"] if _outcome(p) is None][:1] + [corpus["good"]]
    for path in accepted:
        for name, argv in _commands(path, digit).items():
            assert cli_main(argv) == 0, (name, capsys.readouterr().err)
    assert not corpus["marker"].exists()


def test_the_cli_as_a_user_runs_it(corpus, digit):
    rejected = [p for p, what in corpus["files"] if what.startswith("meta") and _outcome(p) is not None]
    evil = next(p for p, what in corpus["files"] if what == "file evil-torch.pt")
    for name, path in {"eval": rejected[0], "predict": evil, "train": rejected[1]}.items():
        argv = _commands(path, digit)[name]
        result = subprocess.run([sys.executable, str(ROOT / "main.py"), *argv], capture_output=True, text=True,
                                timeout=120, cwd=ROOT)
        lines = result.stderr.strip().splitlines()
        assert result.returncode == 2 and len(lines) == 1 and str(path) in lines[0], (name, result.stderr)
        assert _outcome(path).field in lines[0]
    assert not corpus["marker"].exists()
