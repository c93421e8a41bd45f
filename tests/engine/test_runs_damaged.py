"""Hand-edited, damaged and newer-format runs: listed as "damaged: <reason>", never a traceback, never rewritten."""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path

import pytest

from engine.io.run_compare import compare_manifests
from engine.io.run_manifest import FORMAT
from engine.io.runs import RunError, compare_runs, list_runs, load_run, rename_run, set_run_notes
from engine.model.presets import get_preset
from engine.training.events import TrainConfig


def manifest(**changes) -> dict:
    spec = get_preset("seed000").spec
    base = {
        "format": FORMAT, "id": "r1", "name": "seed000", "notes": "", "source": "test", "status": "completed",
        "message": "", "started": "2026-01-02T03:04:05+00:00", "ended": "2026-01-02T03:05:05+00:00",
        "spec": spec.to_dict(), "config": TrainConfig().to_dict(), "seed": 0,
        "dataset": {"name": "mnist-sample", "sha256": "ab" * 32, "train_size": 4500, "test_size": 500,
                    "files": [{"name": "mnist_sample.npz", "bytes": 10, "sha256": "cd" * 32}],
                    "class_names": [str(i) for i in range(10)]},
        "versions": {"python": "3.11", "torch": "2.14"}, "device": {"device": "cpu", "name": "CPU", "threads": 2},
        "pid": 1, "host": "h", "epochs": 2, "planned_epochs": 2, "step": 90, "seconds": 12.5,
        "final": {"epoch": 2, "test_accuracy": 0.9, "test_loss": 0.3, "train_accuracy": 0.8, "train_loss": 0.5},
        "best": {"epoch": 2, "test_accuracy": 0.9}, "models": {"last": True, "best": True}, "keyframes": 0,
        "resumed": False,
    }
    base.update(changes)
    return base


def write_run(root: Path, name: str, data: dict | bytes) -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "manifest.json").write_bytes(data if isinstance(data, bytes) else json.dumps(data).encode())
    return folder


def test_a_good_manifest_lists_and_loads(tmp_path):
    folder = write_run(tmp_path, "good", manifest())
    (folder / "metrics.csv").write_text("epoch,step,train_loss,train_accuracy,test_loss,test_accuracy,lr,seconds\n"
                                        "1,45,0.7,0.77,0.31,0.9,0.001,6.5\n2,90,0.5,0.8,0.3,0.9,0.001,6.0\n")
    (run,) = list_runs(tmp_path)
    assert (run.status, run.epochs, run.final_accuracy, run.damage) == ("completed", 2, 0.9, "")
    assert [row["epoch"] for row in load_run(folder).epochs] == [1, 2]


def _mutations(rng: random.Random) -> list:
    good = manifest()
    values = [None, True, -1, 2**70, 1e308, float("nan"), "", "x" * 5000, "\x07", [], {}, [1] * 3, {"a": 1}, 0.5]
    paths = [("format",), ("name",), ("status",), ("spec",), ("spec", "layers"), ("spec", "input"),
             ("spec", "num_classes"), ("config",), ("config", "lr"), ("config", "batch_size"), ("seed",),
             ("dataset",), ("dataset", "sha256"), ("dataset", "files"), ("dataset", "class_names"), ("versions",),
             ("device",), ("device", "threads"), ("epochs",), ("final",), ("final", "test_accuracy"), ("best",),
             ("models",), ("models", "last"), ("started",), ("notes",), ("seconds",), ("step",)]
    out = []
    for _ in range(300):
        data = copy.deepcopy(good)
        for _ in range(rng.randint(1, 3)):
            path = rng.choice(paths)
            target = data
            for key in path[:-1]:
                target = target.get(key) if isinstance(target, dict) else None
            if not isinstance(target, dict):
                continue
            if rng.random() < 0.2:
                target.pop(path[-1], None)
            else:
                target[path[-1]] = rng.choice(values)
        text = json.dumps(data, allow_nan=True)
        kind = rng.random()
        if kind < 0.1:
            text = text[: rng.randint(0, len(text))]  # truncated
        elif kind < 0.15:
            text = "[" * 5000 + "]" * 5000  # too deep
        elif kind < 0.2:
            out.append(bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 300))))
            continue
        out.append(text.encode())
    return out


def test_hundreds_of_damaged_manifests_never_raise(tmp_path):
    rng = random.Random(11)
    cases = _mutations(rng)
    for i, data in enumerate(cases):
        write_run(tmp_path, f"run{i:03}", data)
    runs = list_runs(tmp_path)
    assert len(runs) == len(cases)
    damaged = [r for r in runs if r.status == "damaged"]
    assert len(damaged) > 200
    for run in damaged:
        assert run.damage and "\n" not in run.damage and len(run.damage) < 600, run.damage
        assert "Traceback" not in run.damage and "unreadable (" not in run.damage, run.damage
        with pytest.raises(RunError):
            load_run(run.path)
    for run in runs:
        if run.status != "damaged":
            load_run(run.path)  # whatever passed the listing opens


@pytest.mark.parametrize(("data", "needle"), [
    (b"", "manifest.json: file"),
    (b"{", "file"),
    (json.dumps(manifest(status="exploded")).encode(), "status: must be one of"),
    (json.dumps(manifest(spec={"layers": [{"type": "warp"}]})).encode(), "spec"),
    (json.dumps(manifest(config={"lr": -1})).encode(), "learning rate must be positive"),
    (json.dumps(manifest(final={"epoch": 2, "test_accuracy": 1.5})).encode(), "final.test_accuracy"),
])
def test_the_reason_names_the_field(tmp_path, data, needle):
    write_run(tmp_path, "bad", data)
    (run,) = list_runs(tmp_path)
    assert run.status == "damaged" and needle in run.damage, run.damage


def test_a_run_of_a_newer_format_is_damaged_and_never_rewritten(tmp_path):
    data = json.dumps(manifest(format=FORMAT + 1, extra_field={"new": True})).encode()
    folder = write_run(tmp_path, "future", data)
    (run,) = list_runs(tmp_path)
    assert run.status == "damaged" and "newer ConvScope" in run.damage
    for change in (lambda: rename_run(folder, "x"), lambda: set_run_notes(folder, "x"), lambda: load_run(folder)):
        with pytest.raises(RunError, match="newer ConvScope"):
            change()
    assert (folder / "manifest.json").read_bytes() == data and not (folder / "user.json").exists()


def test_damaged_metrics_make_load_run_fail_with_a_reason(tmp_path):
    folder = write_run(tmp_path, "m", manifest())
    for text, needle in (("nope\n", "header"), ("epoch,step,train_loss,train_accuracy,test_loss,test_accuracy,lr,"
                                                "seconds\n1,2,3\n", "must have 8 values"),
                         ("epoch,step,train_loss,train_accuracy,test_loss,test_accuracy,lr,seconds\n"
                          "1,2,0.1,7,,,0.1,1\n", "train_accuracy")):
        (folder / "metrics.csv").write_text(text)
        with pytest.raises(RunError, match=needle):
            load_run(folder)
    assert list_runs(tmp_path)[0].status == "completed"  # the listing reads the manifest only


def test_compare_shows_layers_params_and_settings(tmp_path):
    spec = get_preset("seed000").spec.to_dict()
    other = copy.deepcopy(spec)
    other["layers"][0]["kernel_size"] = 5
    del other["layers"][3:5]  # conv2, relu2 gone: pool2 becomes pool2 still, flatten/fc1 stay
    other["layers"].insert(1, {"type": "batchnorm2d"})
    a = manifest()
    b = manifest(spec=other, config={**TrainConfig().to_dict(), "lr": 0.01, "threads": 7})
    result = compare_manifests(a, b)
    rows = {name: (change, detail) for change, name, detail in result.layers}
    assert rows["conv1"] == ("changed", "kernel_size 3 → 5")
    assert rows["bn1"][0] == "added" and rows["conv2"][0] == "removed" and rows["relu1"][0] == "same"
    assert result.settings == [("lr", 0.001, 0.01)]  # threads is the machine's, not the run's
    assert result.params_delta < 0
    write_run(tmp_path, "a", a)
    write_run(tmp_path, "b", b)
    assert compare_runs(load_run(tmp_path / "a"), load_run(tmp_path / "b")) == result
