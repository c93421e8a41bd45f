"""Export: ONNX matches torch within 1e-4 on 100 test images (checked here with onnxruntime too), and
the standalone PyTorch file, run in a fresh interpreter that cannot import ConvScope, prints what
`main.py predict` prints."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import onnxruntime
import pytest
import torch
from PIL import Image

from engine.data.loading import load_dataset
from engine.io.checkpoint import save_checkpoint
from engine.io.export import ExportError, export_onnx, export_pytorch
from engine.model.build import build_model
from engine.model.spec import NetworkSpec
from engine.training.events import TrainConfig
from engine.training.run_state import Checkpoint
from engine.training.session import TrainingSession
from tests.engine.test_runs import subset

ROOT = Path(__file__).resolve().parents[2]
NET = NetworkSpec.from_dict({"name": "net", "input": [1, 28, 28], "num_classes": 10, "layers": [
    {"type": "conv2d", "out_channels": 6, "kernel_size": 3, "padding": 1}, {"type": "batchnorm2d"},
    {"type": "leaky_relu"}, {"type": "maxpool2d", "kernel_size": 2}, {"type": "dropout2d", "p": 0.1},
    {"type": "conv2d", "out_channels": 8, "kernel_size": 3}, {"type": "gelu"}, {"type": "avgpool2d", "kernel_size": 2},
    {"type": "flatten"}, {"type": "linear", "out_features": 16}, {"type": "tanh"}, {"type": "dropout", "p": 0.2},
    {"type": "linear", "out_features": 10}]})


@pytest.fixture(scope="module")
def sample():
    return load_dataset("mnist-sample")


@pytest.fixture(scope="module")
def trained(sample):
    config = TrainConfig(epochs=1, batch_size=64, threads=1, snapshot_interval_s=0)
    session = TrainingSession(NET, subset(sample, 1000, 200), config)
    assert session.run().status == "completed"
    return session.checkpoint()


def _inputs(sample, ckpt) -> np.ndarray:
    images = sample.test.images[:100].numpy().astype(np.float32) / 255.0
    return (images - ckpt.mean[0]) / ckpt.std[0]


def test_onnx_logits_match_torch_on_100_test_images(trained, sample, tmp_path):
    x = _inputs(sample, trained)
    result = export_onnx(trained, tmp_path / "net.onnx", check_images=x)
    assert result.format == "onnx" and result.max_abs_diff <= 1e-4 and "100 images" in result.message
    session = onnxruntime.InferenceSession(str(tmp_path / "net.onnx"), providers=["CPUExecutionProvider"])
    (logits,) = session.run(None, {"image": x})
    model = build_model(NET).eval()
    model.load_state_dict(trained.state)
    with torch.no_grad():
        expected = model(torch.from_numpy(x)).numpy()
    assert logits.shape == (100, 10) and np.max(np.abs(logits - expected)) <= 1e-4


def _images(sample, folder: Path) -> list[str]:
    paths = []
    for i in range(4):
        digit = sample.test.images[i, 0].numpy()
        variants = [Image.fromarray(digit), Image.fromarray(255 - digit).convert("RGB").resize((70, 90)),
                    Image.fromarray(digit).convert("RGBA"), Image.fromarray(digit).resize((15, 15))]
        path = folder / f"d{i}.png"
        variants[i].save(path)
        paths.append(str(path))
    return paths


_BLOCKED = """
import runpy, sys
class Blocked:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("engine", "gui", "main", "safetensors", "convscope_resources"):
            raise ImportError("blocked: " + name)
sys.meta_path.insert(0, Blocked())
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


def _script_matches_predict(ckpt, images: list[str], tmp_path: Path) -> str:
    model_file = tmp_path / "model.safetensors"
    save_checkpoint(model_file, ckpt)
    out = tmp_path / "export" / "exported.py"
    out.parent.mkdir()
    result = export_pytorch(ckpt, out)
    assert result.format == "pytorch" and out.with_suffix(".safetensors").exists()
    predict = subprocess.run([sys.executable, str(ROOT / "main.py"), "predict", "--model", str(model_file), *images],
                             capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert predict.returncode == 0, predict.stderr
    # -I (isolated: no PYTHONPATH, no user site), from the export's folder, with ConvScope's packages and
    # safetensors made unimportable (an installed ConvScope would otherwise be found in site-packages)
    alone = subprocess.run([sys.executable, "-I", "-c", _BLOCKED, out.name, *images], capture_output=True,
                           text=True, cwd=out.parent, timeout=300, env={"PATH": "/usr/bin:/bin"})
    assert alone.returncode == 0, alone.stderr
    assert alone.stdout == predict.stdout and len(alone.stdout.splitlines()) == len(images)
    return out.read_text()


def test_the_standalone_file_prints_what_predict_prints(trained, sample, tmp_path):
    code = _script_matches_predict(trained, _images(sample, tmp_path), tmp_path)
    for line in ("self.conv1 = nn.Conv2d(1, 6, kernel_size=3, stride=1, padding=1)", "self.bn1 = nn.BatchNorm2d(6",
                 "self.pool2 = nn.AvgPool2d(kernel_size=2", "self.fc2 = nn.Linear(16, 10)", "x = self.drop2(x)"):
        assert line in code, line
    assert "engine" not in code.replace("ConvScope's", "")


def test_a_colour_network_s_standalone_file_matches_predict_too(tmp_path):
    spec = NetworkSpec.from_dict({"name": "rgb", "input": [3, 32, 32], "num_classes": 3, "layers": [
        {"type": "conv2d", "out_channels": 4, "kernel_size": 5, "stride": 2}, {"type": "relu"},
        {"type": "adaptiveavgpool2d", "output_size": 2}, {"type": "flatten"}, {"type": "linear", "out_features": 3}]})
    torch.manual_seed(0)
    state = build_model(spec).state_dict()
    ckpt = Checkpoint(spec=spec, state=state, step=1, class_names=("cat", "dog", "owl"), mean=(0.5, 0.4, 0.3),
                      std=(0.2, 0.25, 0.3), dataset="pets")
    rng = np.random.default_rng(1)
    images = []
    for i, size in enumerate(((40, 50), (32, 32), (7, 90))):
        path = tmp_path / f"p{i}.png"
        Image.fromarray(rng.integers(0, 256, (*size, 3), dtype=np.uint8)).save(path)
        images.append(str(path))
    gray = tmp_path / "g.png"
    Image.fromarray(rng.integers(0, 256, (20, 20), dtype=np.uint8)).save(gray)
    code = _script_matches_predict(ckpt, [*images, str(gray)], tmp_path)
    assert "CLASS_NAMES = ['cat', 'dog', 'owl']" in code and "nn.AdaptiveAvgPool2d(2)" in code


def test_untrained_and_invalid_networks_are_refused_with_a_reason(trained, tmp_path):
    fresh = Checkpoint(spec=NET, state=build_model(NET).state_dict())
    for export in (export_onnx, export_pytorch):
        with pytest.raises(ExportError, match="has not been trained yet"):
            export(fresh, tmp_path / ("x.onnx" if export is export_onnx else "x.py"))
    broken = NetworkSpec.from_dict({"name": "broken", "input": [1, 28, 28], "num_classes": 10, "layers": [
        {"type": "conv2d", "out_channels": 4, "kernel_size": 40}, {"type": "flatten"},
        {"type": "linear", "out_features": 10}]})
    with pytest.raises(ExportError, match="the network has errors"):
        export_onnx(Checkpoint(spec=broken, state={}, step=5), tmp_path / "b.onnx")
    wrong = Checkpoint(spec=NET, state={"conv1.weight": torch.zeros(1)}, step=5)
    with pytest.raises(ExportError, match="the weights do not fit"):
        export_pytorch(wrong, tmp_path / "w.py")
    with pytest.raises(ExportError, match=r"a \.py file"):
        export_pytorch(trained, tmp_path / "w.txt")
    assert not list(tmp_path.iterdir())  # nothing written for a refusal
