"""`main.py explain` and `main.py filters`: PNG out, one JSON object, a note for random weights,
exit 2 with a one-line reason for bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from engine.cli.main import main as cli_main
from engine.data.loading import load_dataset
from engine.inspect.methods import METHODS
from engine.io.checkpoint import save_checkpoint
from engine.model.build import build_model
from engine.model.presets import PRESETS
from engine.model.spec import NetworkSpec
from engine.training.run_state import Checkpoint

ROOT = Path(__file__).resolve().parents[2]


def write_model(path: Path, spec: NetworkSpec, epoch: int = 0, dataset: str = "mnist-sample") -> Path:
    torch.manual_seed(0)
    channels = spec.input[0]
    save_checkpoint(path, Checkpoint(spec=spec, state=build_model(spec).state_dict(), epoch=epoch, dataset=dataset,
                                     class_names=tuple(f"c{i}" for i in range(spec.num_classes)),
                                     mean=(0.1307,) * channels, std=(0.3081,) * channels))
    return path


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("explain")
    digit = folder / "digit.png"
    Image.fromarray(load_dataset("mnist-sample").test.images[0, 0].numpy()).save(digit)
    return {"folder": folder, "digit": digit,
            "random": write_model(folder / "random.safetensors", PRESETS["seed000"].spec),
            "trained": write_model(folder / "trained.safetensors", PRESETS["seed000"].spec, epoch=3)}


def run_cli(capsys, *args):
    code = cli_main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("method", METHODS)
def test_explain_writes_a_heat_map_and_a_json_line(capsys, files, method):
    out = files["folder"] / f"{method}.png"
    code, stdout, err = run_cli(capsys, "explain", "--model", files["random"], files["digit"], "--method", method,
                                "--target", 7, "--out", out, "--json")
    assert code == 0, err
    data = json.loads(stdout)
    assert data["method"] == method and data["target"] == 7 and data["class"] == "c7" and data["out"] == str(out)
    assert len(data["probabilities"]) == 10 and abs(sum(data["probabilities"]) - 1) < 1e-4
    assert data["layer"] == ("pool2" if method == "gradcam" else None)
    assert "weights are random" in data["note"] and "…" in data["legend"]
    with Image.open(out) as image:
        assert image.format == "PNG" and image.width > 2 * 224 and image.height >= 224


def test_a_trained_model_has_no_random_note_and_prints_a_line(capsys, files):
    out = files["folder"] / "ig.png"
    code, stdout, err = run_cli(capsys, "explain", "--model", files["trained"], files["digit"], "--method", "ig",
                                "--out", out, "--json")
    assert code == 0, err
    assert "weights are random" not in json.loads(stdout)["note"]
    code, stdout, _ = run_cli(capsys, "explain", "--model", files["trained"], files["digit"], "--out", out)
    assert code == 0 and stdout.startswith(f"{files['digit']}: Grad-CAM at pool2 for class")


def test_explain_an_rgb_model(capsys, files, tmp_path):
    model = write_model(tmp_path / "cifar.safetensors", PRESETS["cifar-vgg-small"].spec, dataset="cifar10")
    photo = tmp_path / "photo.png"
    Image.fromarray(np.random.default_rng(0).integers(0, 256, (40, 50, 3), dtype=np.uint8)).save(photo)
    code, stdout, err = run_cli(capsys, "explain", "--model", model, photo, "--method", "saliency",
                                "--out", tmp_path / "h.png", "--json")
    assert code == 0, err
    assert len(json.loads(stdout)["probabilities"]) == 10


def test_bad_explain_requests_exit_2_with_one_line(capsys, files, tmp_path):
    single = NetworkSpec.from_dict({"name": "one", "input": [1, 28, 28], "num_classes": 1,
                                    "layers": [{"type": "flatten"}, {"type": "linear", "out_features": 1}]})
    one = write_model(tmp_path / "one.safetensors", single)
    blank = tmp_path / "blank.png"
    Image.fromarray(np.zeros((28, 28), np.uint8)).save(blank)
    out = tmp_path / "x.png"
    cases = [
        (("--model", files["random"], files["digit"], "--layer", "fc1"), "fc1 has no spatial output"),
        (("--model", files["random"], files["digit"], "--target", 12), "class 12 does not exist"),
        (("--model", files["random"], tmp_path / "missing.png"), "missing.png"),
        (("--model", files["random"], blank), "shows no digit"),
        (("--model", tmp_path / "none.safetensors", files["digit"]), "none.safetensors"),
        (("--model", one, files["digit"], "--method", "saliency"), "single class"),
    ]
    for args, message in cases:
        code, _, err = run_cli(capsys, "explain", *args, "--out", out)
        assert code == 2, (args, err)
        assert message in err and err.count("\n") == 1, err
    assert not out.exists()


def test_filters_mosaic_with_json(capsys, files):
    out = files["folder"] / "filters.png"
    code, stdout, err = run_cli(capsys, "filters", "--model", files["random"], "--layer", "conv1", "--out", out,
                                "--limit", 300, "--steps", 20, "--json")
    assert code == 0, err
    data = json.loads(stdout)
    assert data["units"] == 32 and data["measured_at"] == "relu1" and len(data["activations"]) == 32
    assert data["images_searched"] == 300 and data["dataset"] == "mnist-sample"
    assert np.array(data["top"]["indices"]).shape == (32, 9) and np.array(data["top"]["boxes"]).shape == (32, 9, 4)
    assert "weights are random" in data["note"]
    with Image.open(out) as image:
        assert image.format == "PNG" and image.width > 500


def test_filters_of_the_class_layer_and_bad_requests(capsys, files):
    out = files["folder"] / "classes.png"
    code, stdout, err = run_cli(capsys, "filters", "--model", files["trained"], "--layer", "fc1", "--out", out,
                                "--steps", 10, "--json")
    assert code == 0, err
    data = json.loads(stdout)
    assert data["units"] == 10 and "top" not in data and "no top patches" in data["note"]
    for args, message in [(("--layer", "conv9"), "no layer named conv9"),
                          (("--layer", "fc1", "--kind", "patches"), "fc1 has no spatial output"),
                          (("--layer", "conv1", "--data", "/no/such/folder"), "/no/such/folder")]:
        code, _, err = run_cli(capsys, "filters", "--model", files["trained"], *args, "--out", out, "--steps", 2)
        assert code == 2 and message in err, err


def test_main_py_dispatches_both_commands():
    for command in ("explain", "filters"):
        result = subprocess.run([sys.executable, str(ROOT / "main.py"), command, "--help"], capture_output=True,
                                text=True, timeout=120, cwd=ROOT)
        assert result.returncode == 0 and "--model" in result.stdout, result.stderr
