"""Layer statistics: norms and histograms against torch/numpy, dead ReLUs, vanishing gradients,
NaN/Inf, small networks, the session's samples, the .npz file and the warnings."""

import math

import numpy as np
import pytest
import torch
from torch import nn

from engine.data.loading import load_dataset
from engine.data.splits import Dataset, Split
from engine.model.build import build_model
from engine.model.spec import NetworkSpec
from engine.training.events import TrainConfig
from engine.training.layer_stats import (
    HIST_BINS,
    LayerStatsError,
    LayerStatsHistory,
    diagnose,
    load_layer_stats,
    save_layer_stats,
)
from engine.training.session import TrainingSession
from engine.training.stats_probe import ACT_HIST_VALUES, StatsProbe, counted, histogram_row, measure_once


def spec_of(layers, shape=(1, 28, 28)):
    return NetworkSpec.from_dict({"name": "t", "input": list(shape), "num_classes": 10, "layers": layers})


SMALL = spec_of([{"type": "conv2d", "out_channels": 4, "kernel_size": 3, "padding": 1}, {"type": "relu"},
                 {"type": "maxpool2d", "kernel_size": 4}, {"type": "flatten"}, {"type": "linear", "out_features": 10}])


def batch(n=32, shape=(1, 28, 28), seed=0):
    g = torch.Generator().manual_seed(seed)
    return torch.randn((n, *shape), generator=g), torch.randint(0, 10, (n,), generator=g)


def test_histogram_row_equals_numpy_and_counts_nan_inf():
    x = torch.randn(5000, generator=torch.Generator().manual_seed(1)) * 2
    x[:7] = float("nan")
    x[7:10] = float("inf")
    x[10:12] = float("-inf")
    row = histogram_row(x, -3.0, 3.0).numpy()
    finite = x[torch.isfinite(x)].numpy()
    expected, _ = np.histogram(finite, bins=HIST_BINS, range=(-3.0, 3.0))
    assert row.shape == (HIST_BINS + 4,)
    assert np.abs(np.cumsum(row[:HIST_BINS] - expected)).max() <= 2  # values on an edge: one bin over at most
    assert row[HIST_BINS] == (finite < -3).sum() and row[HIST_BINS + 1] == (finite > 3).sum()
    assert row[HIST_BINS + 2] == 7 and row[HIST_BINS + 3] == 5
    assert row.sum() == x.numel()


def test_norms_equal_torch_on_a_fixed_batch():
    torch.manual_seed(0)
    model = build_model(SMALL)
    x, y = batch()
    stats = measure_once(model, x, y)
    model.eval()
    nn.functional.cross_entropy(model(x), y).backward()
    assert stats.params == ("conv1", "fc1")
    for i, name in enumerate(stats.params):
        layer = getattr(model, name)
        weights = torch.cat([p.detach().reshape(-1) for p in layer.parameters()])
        grads = torch.cat([p.grad.reshape(-1) for p in layer.parameters()])
        assert stats.weight_norm[i] == pytest.approx(torch.linalg.vector_norm(weights).item(), rel=1e-5)
        assert stats.grad_norm[i] == pytest.approx(torch.linalg.vector_norm(grads).item(), rel=1e-4)
        lo, hi = stats.weight_range[i]
        expected, _ = np.histogram(weights.numpy(), bins=HIST_BINS, range=(lo, hi))
        assert np.abs(np.cumsum(stats.hist_weights[i, :HIST_BINS] - expected)).max() <= 2  # edge rounding
        assert stats.hist_weights[i].sum() == weights.numel()
    assert np.isnan(stats.update_ratio).all()  # measured without a step
    with torch.no_grad():
        out = model.conv1(x)
    a = stats.activations.index("conv1")
    assert stats.act_mean[a] == pytest.approx(out.mean().item(), rel=1e-4)
    assert stats.act_std[a] == pytest.approx(out.std().item(), rel=1e-4)
    assert stats.hist_acts[a].sum() == counted(out).numel() <= ACT_HIST_VALUES < out.numel()  # every k-th
    lo, hi = stats.act_range[a]
    expected, _ = np.histogram(counted(out).numpy(), bins=HIST_BINS, range=(lo, hi))
    assert np.abs(np.cumsum(stats.hist_acts[a, :HIST_BINS] - expected)).max() <= 2
    assert not stats.weight_norm.flags.writeable and not stats.hist_acts.flags.writeable


def test_a_large_negative_bias_kills_every_relu():
    model = build_model(SMALL)
    with torch.no_grad():
        model.conv1.bias.fill_(-1000.0)
    stats = measure_once(model, *batch())
    relu = stats.activations.index("relu1")
    assert stats.dead[relu] > 0.99
    assert np.isnan(stats.dead[stats.activations.index("conv1")])  # not a ReLU
    history = LayerStatsHistory([stats])
    messages = [f.message for f in diagnose(history)]
    assert any(m.startswith("relu1: 100% of units dead since epoch 1") for m in messages), messages


def test_gradients_shrink_layer_by_layer_in_a_sigmoid_stack():
    layers = [{"type": "flatten"}]
    for _ in range(10):
        layers += [{"type": "linear", "out_features": 32}, {"type": "sigmoid"}]
    layers.append({"type": "linear", "out_features": 10})
    torch.manual_seed(0)
    model = build_model(spec_of(layers))
    stats = measure_once(model, *batch(64))
    grads = stats.grad_norm[:10]  # fc1 … fc10, input side first (fc1 is 784 wide: compared with fc10 only)
    assert all(grads[i] < grads[i + 1] for i in range(1, 9)), grads
    assert grads[0] < grads[9] / 100


def test_nan_and_inf_in_weights_are_counted_never_raised():
    model = build_model(SMALL)
    with torch.no_grad():
        model.fc1.weight[0, :3] = float("nan")
        model.fc1.weight[1, :2] = float("inf")
    stats = measure_once(model, *batch())
    row = stats.hist_weights[stats.params.index("fc1")]
    assert row[HIST_BINS + 2] == 3 and row[HIST_BINS + 3] == 2
    assert not math.isfinite(stats.weight_norm[1])


def test_one_layer_and_layers_without_parameters():
    one = build_model(spec_of([{"type": "flatten"}, {"type": "linear", "out_features": 10}], shape=(1, 1, 8)))
    stats = measure_once(one, torch.randn(16, 1, 1, 8), torch.randint(0, 10, (16,)))
    assert stats.params == ("fc1",) and stats.activations == ("flatten", "fc1")
    assert np.isfinite(stats.grad_norm).all()
    bare = nn.Sequential()
    bare.add_module("relu1", nn.ReLU())
    stats = measure_once(bare, torch.randn(4, 3))
    assert stats.params == () and stats.weight_norm.shape == (0,) and stats.hist_weights.shape == (0, HIST_BINS + 4)
    assert stats.activations == ("relu1",)


def test_the_interval_adapts_to_the_budget():
    model = build_model(SMALL)
    probe = StatsProbe(model, batch()[0], budget=0.02)
    assert probe.due(1)
    model(batch()[0]).sum().backward()
    probe.before_step()
    probe.after_step(1, 0.0)
    assert probe.next_step > 1 and not probe.due(probe.next_step - 1)
    fixed = StatsProbe(model, batch()[0], every=7)
    fixed.before_step()
    fixed.after_step(3, 0.0)
    assert fixed.next_step == 10


@pytest.fixture(scope="module")
def small_data():
    sample = load_dataset("mnist-sample")
    return Dataset(sample.info, Split(sample.train.images[:640], sample.train.labels[:640]),
                   Split(sample.test.images[:100], sample.test.labels[:100]), sample.source)


class OldReporter:  # not a NullReporter subclass and without on_layer_stats: must keep working
    def on_start(self, info): pass
    def on_batch(self, stats): pass
    def on_epoch(self, stats): pass
    def on_snapshot(self, snapshot): pass
    def on_lr_change(self, change): pass
    def on_finish(self, info): self.info = info
    def on_error(self, error): self.error = error


def test_session_samples_every_run_and_the_file_round_trips(small_data, tmp_path):
    received = []

    class Reporter(OldReporter):
        def on_layer_stats(self, stats):
            received.append(stats)

    config = TrainConfig(epochs=2, batch_size=32, lr=0.01, snapshot_interval_s=0)
    session = TrainingSession(SMALL, small_data, config)
    info = session.run(Reporter())
    assert info.status == "completed", info.message
    assert received and received[0].step == 1 and len(session.layer_history) == len(received)
    steps = [s.step for s in received]
    assert steps == sorted(steps) and steps[-1] <= 40
    assert np.isfinite(received[-1].update_ratio).all()
    path = tmp_path / "layer_stats.npz"
    save_layer_stats(path, session.layer_history)
    loaded = load_layer_stats(path)
    assert len(loaded) == len(received) and loaded.params == received[0].params
    for name in ("grad_norm", "hist_acts", "act_range", "step", "epoch"):
        np.testing.assert_array_equal(loaded.column(name), session.layer_history.column(name))
    assert session.layer_history.bytes_per_sample > 0
    old = OldReporter()
    TrainingSession(SMALL, small_data, TrainConfig(epochs=1, batch_size=64, snapshot_interval_s=0)).run(old)
    assert old.info.status == "completed"
    off = TrainingSession(SMALL, small_data, TrainConfig(epochs=1, batch_size=64, layer_stats=False))
    off.run(Reporter())
    assert len(off.layer_history) == 0


def test_bad_files_are_refused_with_a_reason(tmp_path):
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a zip")
    with pytest.raises(LayerStatsError, match="cannot read"):
        load_layer_stats(bad)
    np.savez(tmp_path / "part.npz", step=np.zeros(2))
    with pytest.raises(LayerStatsError, match="lacks"):
        load_layer_stats(tmp_path / "part.npz")
    with pytest.raises(ValueError):
        save_layer_stats(tmp_path / "x.npz", LayerStatsHistory())


def test_warnings_for_high_update_ratio_and_vanishing_gradients():
    model = build_model(SMALL)
    x, y = batch()
    stats = measure_once(model, x, y)
    import dataclasses

    high = dataclasses.replace(stats, update_ratio=np.array([0.5, 1e-3]), grad_norm=np.array([1e-7, 0.1]))
    found = {(f.layer, f.kind): f for f in diagnose(LayerStatsHistory([high]))}
    assert found[("conv1", "lr_high")].message == "conv1 update/weight ratio 0.5: lr too high"
    assert found[("conv1", "lr_high")].setting == "lr"
    assert found[("conv1", "vanishing")].message == "conv1 gradients 1e-7: vanishing"
    assert ("fc1", "lr_high") not in found
    calm = dataclasses.replace(stats, step=50, update_ratio=np.array([1e-3, 1e-3]))
    found = {(f.layer, f.kind): f for f in diagnose(LayerStatsHistory([high, calm, calm, calm]))}
    assert found[("conv1", "lr_high")].message == "conv1 update/weight ratio reached 0.5 at step 0: lr too high"
    with pytest.raises(ValueError):
        LayerStatsHistory([stats]).add(measure_once(build_model(spec_of([{"type": "flatten"},
                                                                         {"type": "linear", "out_features": 10}])),
                                                    x, y))
