"""``--precision``: which format auto picks and why, fp32 weights and optimizer under bf16, and bf16's
accuracy against fp32's on real digits (the Fashion-MNIST parity run is bench/time_to_accuracy.py)."""

import pytest
import torch

from engine.data.loading import load_dataset
from engine.model.build import build_model
from engine.model.presets import PRESETS
from engine.training import precision
from engine.training.events import TrainConfig
from engine.training.session import TrainingSession

CPU = torch.device("cpu")
FLAGS = "processor\t: 0\nflags\t\t: fpu sse avx2 avx512f {}\n"


@pytest.fixture(scope="module")
def sample():
    return load_dataset("mnist-sample")


def test_native_bf16_is_read_from_the_cpu_flags():
    assert precision.cpu_has_native_bf16(FLAGS.format("avx512_bf16"))
    assert precision.cpu_has_native_bf16(FLAGS.format("amx_bf16 amx_tile"))
    assert not precision.cpu_has_native_bf16(FLAGS.format("avx512bw"))
    assert not precision.cpu_has_native_bf16("")


def test_explicit_choices_and_auto_without_native_bf16(monkeypatch):
    assert precision.choose("fp32", CPU).name == "fp32" and not precision.choose("fp32", CPU).enabled
    assert TrainConfig().precision == "fp32"  # auto is asked for: its choice rests on a timing probe
    assert precision.choose("bf16", CPU).dtype == torch.bfloat16
    assert precision.choose("bf16", torch.device("mps")).name == "fp32"
    monkeypatch.setattr(precision, "cpu_has_native_bf16", lambda: False)
    model = build_model(PRESETS["seed000"].spec)
    assert precision.choose("auto", CPU, model, torch.zeros(8, 1, 28, 28)).name == "fp32"
    with pytest.raises(ValueError, match="precision"):
        precision.choose("fp8", CPU)
    with pytest.raises(ValueError, match="precision"):
        TrainConfig(precision="fp16").validate()


@pytest.mark.parametrize(("gain", "expected"), [(1.6, "bf16"), (1.05, "fp32")])
def test_auto_takes_bf16_only_for_a_real_gain(monkeypatch, gain, expected):
    monkeypatch.setattr(precision, "cpu_has_native_bf16", lambda: True)
    monkeypatch.setattr(precision, "probe_gain", lambda *a, **k: gain)
    model = build_model(PRESETS["seed000"].spec)
    assert precision.choose("auto", CPU, model, torch.zeros(8, 1, 28, 28)).name == expected


def test_the_probe_leaves_the_runs_random_stream_alone():
    model = build_model(PRESETS["seed000"].spec)
    torch.manual_seed(5)
    expected = torch.rand(3)
    torch.manual_seed(5)
    gain = precision.probe_gain(model, torch.zeros(4, 1, 28, 28), 10, repeats=1)
    assert gain > 0 and torch.equal(torch.rand(3), expected)


@pytest.mark.slow
def test_bf16_keeps_fp32_weights_and_optimizer_and_matches_fp32_accuracy(sample):
    """seed000 on the bundled sample for 5 epochs: bf16 within 0.5 points of fp32."""
    accuracy = {}
    for name in ("fp32", "bf16"):
        session = TrainingSession(PRESETS["seed000"].spec, sample,
                                  TrainConfig(epochs=5, precision=name, snapshot_interval_s=0, device="cpu"))
        info = session.run()
        assert info.status == "completed" and session.precision.name == name
        assert all(p.dtype == torch.float32 for p in session.model.parameters())
        states = [v for s in session.optimizer.state.values() for v in s.values() if v.is_floating_point()]
        assert states and all(v.dtype == torch.float32 for v in states)
        accuracy[name] = info.test_accuracy
    assert abs(accuracy["bf16"] - accuracy["fp32"]) <= 0.005, accuracy
