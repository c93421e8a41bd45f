"""`main.py train / eval` as a user runs them: JSON line, model file, exit codes, clear reasons."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHARED = next((p for p in (ROOT.parent / "shared" / "data", Path("/work/shared/data")) if p.exists()), None)


def run(*args, timeout=300):
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT)


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    out = tmp_path_factory.mktemp("cli") / "seed000.safetensors"
    # seed000 now brings its note's seed 777, 0..1 pixels and Xavier on fc (0.900 after these 2 epochs on the
    # sample); the flags keep the settings this test was written with, and exercise the new options
    result = run("train", "--preset", "seed000", "--dataset", "mnist-sample", "--epochs", "2", "--json",
                 "--out", str(out), "--seed", "0", "--normalize", "dataset", "--init", "default")
    assert result.returncode == 0, result.stderr
    return out, json.loads(result.stdout.strip().splitlines()[-1]), result


def test_train_prints_json_and_writes_the_model(trained):
    out, data, result = trained
    assert set(data) >= {"test_accuracy", "test_loss", "epochs", "seconds", "images_per_s", "out"}
    assert data["epochs"] == 2 and data["out"] == str(out) and out.exists()
    assert data["test_accuracy"] > 0.9 and data["images_per_s"] > 0
    assert "epoch 2:" in result.stderr  # plain progress lines when not on a terminal


def test_eval_on_the_sample_and_the_real_mnist_test_set(trained):
    out, data, _ = trained
    result = run("eval", "--model", str(out), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["count"] == 500 and abs(report["accuracy"] - data["test_accuracy"]) < 1e-9
    if SHARED is None or not (SHARED / "mnist").exists():
        pytest.skip("shared MNIST test set not present")
    result = run("eval", "--model", str(out), "--dataset", "mnist", "--data-dir", str(SHARED / "mnist"), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["count"] == 10_000 and report["accuracy"] > 0.9
    assert sum(map(sum, report["confusion"])) == 10_000 and len(report["mistakes"]) == 5
    text = run("eval", "--model", str(out), "--dataset", "mnist", "--data-dir", str(SHARED / "mnist"))
    assert "confusion" in text.stdout and "accuracy" in text.stdout


def test_predict_reads_real_digits_in_either_polarity(trained, tmp_path):
    import numpy as np
    from PIL import Image

    from engine.data.loading import load_dataset

    out, _, _ = trained
    test = load_dataset("mnist-sample").test
    paths, labels = [], []
    for i in range(6):
        image = test.images[i, 0].numpy()
        big = Image.fromarray(image).resize((140, 140), Image.BILINEAR)
        if i % 2:  # dark ink on light paper, as a photo or a drawing would be
            big = Image.fromarray(255 - np.asarray(big))
        path = tmp_path / f"digit{i}.png"
        big.save(path)
        paths.append(str(path))
        labels.append(str(int(test.labels[i])))
    result = run("predict", "--model", str(out), *paths, "--json")
    assert result.returncode == 0, result.stderr
    predictions = [r["prediction"] for r in json.loads(result.stdout)]
    assert sum(p == t for p, t in zip(predictions, labels)) >= 5, (predictions, labels)
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"not an image")
    result = run("predict", "--model", str(out), str(bad))
    assert result.returncode == 2 and "bad.png" in result.stderr and "Traceback" not in result.stderr


def test_resume_adds_epochs(trained, tmp_path):
    out, _, _ = trained
    more = tmp_path / "more.safetensors"
    result = run("train", "--resume", str(out), "--epochs", "1", "--json", "--out", str(more))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1])["epochs"] == 3


def test_bad_inputs_exit_nonzero_with_one_line(tmp_path):
    cases = [
        (("train", "--preset", "nope"), "unknown preset"),
        (("train", "--preset", "seed000", "--dataset", "mnist", "--data-dir", str(tmp_path)), "t10k"),
        (("train", "--preset", "seed000", "--lr", "-1", "--epochs", "1"), "learning rate"),
        (("eval", "--model", str(tmp_path / "missing.safetensors")), "cannot read"),
        (("train",), "--preset"),
    ]
    for args, needle in cases:
        result = run(*args)
        assert result.returncode == 2, (args, result.stderr)
        assert needle in result.stderr and "Traceback" not in result.stderr, (args, result.stderr)
    empty = tmp_path / "empty.safetensors"
    empty.write_bytes(b"")
    result = run("eval", "--model", str(empty))
    assert result.returncode == 2 and "empty" in result.stderr


def test_cifar_preset_on_digits_is_adapted_or_explained():
    # seed000 on CIFAR-10 data would need 3×32×32: the CLI adapts input and classes itself,
    # so the failure here is only that CIFAR-10 is not on this machine.
    result = run("train", "--preset", "seed000", "--dataset", "cifar10", "--data-dir", "/nonexistent")
    assert result.returncode == 2 and "cifar" in result.stderr.lower()
