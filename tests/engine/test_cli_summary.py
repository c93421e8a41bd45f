"""`main.py presets` and `main.py summary`, as a user runs them."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(*args):
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)


def test_summary_seed000_text():
    result = run("summary", "--preset", "seed000")
    assert result.returncode == 0, result.stderr
    lines = {line.split()[0]: line for line in result.stdout.splitlines() if line.strip()}
    assert "32×28×28" in lines["conv1"] and " 320 " in lines["conv1"]
    assert "32×14×14" in lines["pool1"]
    assert "64×14×14" in lines["conv2"] and "18,496" in lines["conv2"]
    assert "64×7×7" in lines["pool2"]
    assert lines["fc1"].split()[-4:-2] == ["10", "31,370"]
    assert "total params: 50,186" in result.stdout


def test_summary_json_shape():
    result = run("summary", "--preset", "seed000", "--json")
    data = json.loads(result.stdout)
    assert data["total_params"] == 50_186 and data["errors"] == []
    assert set(data["layers"][0]) == {"name", "type", "output_shape", "params", "macs", "receptive_field"}
    assert data["layers"][0] == {"name": "conv1", "type": "conv2d", "output_shape": [32, 28, 28], "params": 320,
                                 "macs": 225_792, "receptive_field": 3}


def test_summary_invalid_spec_exits_2_with_fix(tmp_path):
    spec = {"name": "broken", "input": [1, 28, 28], "num_classes": 10,
            "layers": [{"type": "conv2d", "out_channels": 8, "kernel_size": 3},
                       {"type": "linear", "out_features": 10}]}
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(spec))
    result = run("summary", "--spec", str(path), "--json")
    assert result.returncode == 2
    error = json.loads(result.stdout)["errors"][0]
    assert error["layer"] == "fc1" and error["fix"]["label"] == "insert flatten before fc1"
    text = run("summary", "--spec", str(path))
    assert text.returncode == 2 and "fix: insert flatten before fc1" in text.stdout


def test_unreadable_files_give_one_line(tmp_path):
    missing = run("summary", "--spec", str(tmp_path / "nope.json"))
    assert missing.returncode == 2 and "cannot read" in missing.stderr and "Traceback" not in missing.stderr
    bad = tmp_path / "bad.json"
    bad.write_text('{"layers": [{"type": "conv3d"}]}')
    result = run("summary", "--spec", str(bad))
    assert result.returncode == 2 and "layer 0" in result.stderr and "conv3d" in result.stderr
    unknown = run("summary", "--preset", "resnet")
    assert unknown.returncode == 2 and "seed000" in unknown.stderr


def test_presets_listing():
    result = run("presets", "--json")
    names = [p["name"] for p in json.loads(result.stdout)]
    assert names[:5] == ["seed000", "seed001", "seed002", "seed003", "seed004"]
    assert {"lenet5", "cifar-vgg-small"} <= set(names)
    seed000 = json.loads(result.stdout)[0]
    assert seed000["reported_accuracy"] == 0.9848 and seed000["training"]["batch_size"] == 100
