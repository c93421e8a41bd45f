"""``main.py stats``: the per-layer table, its JSON, dead units and bad input."""

from __future__ import annotations

import json

import torch

from engine.cli.main import main as cli_main
from engine.io.checkpoint import save_checkpoint
from engine.model.build import build_model
from engine.model.presets import PRESETS
from engine.training.run_state import Checkpoint


def model_file(path, dead: bool = False):
    spec = PRESETS["seed000"].spec
    torch.manual_seed(0)
    model = build_model(spec)
    if dead:
        with torch.no_grad():
            model.conv2.bias.fill_(-1e4)
    save_checkpoint(path, Checkpoint(spec=spec, state=model.state_dict(), dataset="mnist-sample"))
    return path


def test_table_and_json(tmp_path, capsys):
    path = model_file(tmp_path / "m.safetensors", dead=True)
    assert cli_main(["stats", "--model", str(path), "--images", "32"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[1].split()[:3] == ["layer", "weight", "norm"]
    assert any(line.startswith("relu2") and "100%" in line for line in lines), out
    assert "warning: relu2: 100% of units dead since epoch 1" in out
    assert cli_main(["stats", "--model", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["images"] == 128
    layers = {row["layer"]: row for row in data["layers"]}
    assert layers["relu2"]["dead_fraction"] == 1.0
    assert layers["conv1"]["weight_norm"] > 0 and layers["relu1"]["weight_norm"] is None
    assert layers["fc1"]["grad_norm"] > 0


def test_bad_input_exits_2(tmp_path, capsys):
    assert cli_main(["stats", "--model", str(tmp_path / "missing.safetensors")]) == 2
    path = model_file(tmp_path / "m.safetensors")
    assert cli_main(["stats", "--model", str(path), "--images", "0"]) == 2
    assert cli_main(["stats", "--model", str(path), "--data", "cifar10", "--data-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("error:") == 3
