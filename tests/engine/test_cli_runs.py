"""`main.py train` records every run; `runs list|show|compare|delete`, `reproduce` and `export` as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TINY = {"name": "tiny", "input": [1, 28, 28], "num_classes": 10, "layers": [
    {"type": "conv2d", "out_channels": 4, "kernel_size": 3}, {"type": "relu"},
    {"type": "maxpool2d", "kernel_size": 2}, {"type": "flatten"}, {"type": "linear", "out_features": 10}]}


def run(*args, timeout=300):
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT, stdin=subprocess.DEVNULL)


def last_json(result):
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Two recorded runs of the tiny network (B: 5×5 kernels, lr 0.003) and a run that was not recorded."""
    folder = tmp_path_factory.mktemp("cli-runs")
    spec_a, spec_b = folder / "a.json", folder / "b.json"
    spec_a.write_text(json.dumps(TINY))
    spec_b.write_text(json.dumps({**TINY, "layers": [{**TINY["layers"][0], "kernel_size": 5}, *TINY["layers"][1:]]}))
    root = folder / "runs"
    a = run("train", "--spec", str(spec_a), "--epochs", "1", "--runs-dir", str(root), "--json")
    b = run("train", "--spec", str(spec_b), "--epochs", "1", "--lr", "0.003", "--runs-dir", str(root), "--json")
    off = run("train", "--spec", str(spec_a), "--epochs", "1", "--runs-dir", str(root), "--no-record", "--json")
    for result in (a, b, off):
        assert result.returncode == 0, result.stderr
    return root, last_json(a), last_json(b), last_json(off), a


def test_train_records_the_run_and_says_where(runs):
    root, a, b, off, result = runs
    assert Path(a["run"]).parent == root and Path(b["run"]).parent == root and off["run"] is None
    assert f"recording run {Path(a['run']).name} in {root}" in result.stderr
    listed = last_json(run("runs", "list", "--runs-dir", str(root), "--json"))
    assert [r["path"] for r in listed] == [b["run"], a["run"]]  # newest first; the unrecorded run is not there
    assert all(r["status"] == "completed" and r["epochs"] == 1 for r in listed)
    assert listed[1]["final_accuracy"] == a["test_accuracy"]
    text = run("runs", "--runs-dir", str(root), "list")
    assert text.returncode == 0 and "2 run(s)" in text.stdout and "completed" in text.stdout


def test_show_and_compare(runs):
    root, a, b, *_ = runs
    a_id, b_id = Path(a["run"]).name, Path(b["run"]).name
    shown = run("runs", "show", a_id[:-2], "--runs-dir", str(root))
    assert shown.returncode == 0 and "epoch   1:" in shown.stdout and "SHA-256" in shown.stdout
    data = last_json(run("runs", "show", a["run"], "--json"))
    assert data["manifest"]["spec"]["name"] == "tiny" and len(data["epochs"]) == 1
    compared = last_json(run("runs", "compare", a_id, b_id, "--runs-dir", str(root), "--json"))
    assert ["changed", "conv1", "kernel_size 3 → 5"] in compared["layers"]
    assert ["lr", 0.001, 0.003] in compared["settings"] and compared["params_delta"] < 0
    text = run("runs", "compare", a_id, b_id, "--runs-dir", str(root))
    assert "kernel_size 3 → 5" in text.stdout and "lr: 0.001 → 0.003" in text.stdout


def test_reproduce_matches_on_the_same_machine(runs):
    root, a, *_ = runs
    result = run("reproduce", Path(a["run"]).name, "--runs-dir", str(root), "--no-record", "--json")
    assert result.returncode == 0, result.stderr
    report = last_json(result)
    assert report["match"] is True and report["differences"] == [] and report["new_run"] is None
    text = run("reproduce", a["run"], "--no-record")
    assert text.returncode == 0 and "reproduced: the metrics of all 1 recorded epoch(s) match exactly" in text.stdout


def test_reproduce_says_what_differs(runs, tmp_path):
    root, a, *_ = runs
    copy = tmp_path / Path(a["run"]).name
    subprocess.run(["cp", "-r", a["run"], str(copy)], check=True)
    metrics = copy / "metrics.csv"
    header, row = metrics.read_text().splitlines()
    cells = row.split(",")
    cells[5] = "0.123"  # test_accuracy
    metrics.write_text(f"{header}\n{','.join(cells)}\n")
    result = run("reproduce", str(copy), "--no-record")
    assert result.returncode == 1 and "differs: 1 recorded metric(s)" in result.stdout
    assert "epoch 1 test_accuracy: recorded 0.123, now" in result.stdout


def test_export_from_a_run_and_from_a_model_file(runs, tmp_path):
    root, a, *_ = runs
    onnx = last_json(run("export", "--model", a["run"], "--format", "onnx", "--out", str(tmp_path / "m.onnx"),
                         "--json"))
    assert onnx["max_abs_diff"] <= 1e-4 and onnx["checked_on"] == "100 mnist-sample test images"
    model = Path(a["run"]) / "best.safetensors"
    result = run("export", "--model", str(model), "--format", "pytorch", "--out", str(tmp_path / "m.py"))
    assert result.returncode == 0 and (tmp_path / "m.safetensors").exists() and "wrote" in result.stdout


def test_bad_input_gets_a_reason_not_a_traceback(runs, tmp_path):
    root, a, b, *_ = runs
    cases = [
        (("runs", "show", "nope", "--runs-dir", str(root)), "no run 'nope'"),
        (("runs", "show", Path(a["run"]).name[:4], "--runs-dir", str(root)), "names 2 runs"),
        (("runs", "delete", Path(a["run"]).name, "--runs-dir", str(root)), "give --yes"),
        (("reproduce", "nope", "--runs-dir", str(root)), "no run 'nope'"),
        (("export", "--model", str(tmp_path / "none.safetensors"), "--format", "onnx", "--out", "x.onnx"),
         "cannot read"),
        (("export", "--model", str(tmp_path), "--format", "pytorch", "--out", "x.py"), "has no last model file"),
    ]
    for args, needle in cases:
        result = run(*args)
        assert result.returncode == 2 and needle in result.stderr and "Traceback" not in result.stderr, (args, result)


def test_delete_with_yes(runs):
    root, _, b, *_ = runs
    result = run("runs", "delete", Path(b["run"]).name, "--yes", "--runs-dir", str(root), "--json")
    assert result.returncode == 0 and last_json(result) == {"deleted": b["run"]} and not Path(b["run"]).exists()
