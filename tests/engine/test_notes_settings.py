"""The notes' settings: weight initialisation, shuffling and normalisation as settings, presets
that set them as their notes do, and the bundled Fashion-MNIST sample."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
import torch
from torch import nn

from engine.data.loading import load_dataset
from engine.data.registry import DATASETS, MNIST_MEAN, MNIST_STD, normalized_info
from engine.data.samples import offline_choice, sample_file, sample_of
from engine.data.splits import Dataset, Split
from engine.data.transforms import epoch_order, normalized
from engine.model.build import build_model
from engine.model.init import apply_init, init_bound
from engine.model.presets import PRESETS
from engine.training import session as session_module
from engine.training.config import TrainConfig
from engine.training.events import NullReporter
from engine.training.rng import seed_everything
from engine.training.session import TrainingSession

ROOT = Path(__file__).resolve().parents[2]
FULL_FASHION = next((p / "data" / "fashion-mnist" for p in (ROOT.parent / "shared", ROOT.parent.parent / "shared")
                     if (p / "data" / "fashion-mnist").is_dir()), None)


# -- initialisation ----------------------------------------------------------------------
@pytest.mark.parametrize("how, expected", [
    ("xavier_uniform", math.sqrt(6 / (800 + 600))), ("xavier_normal", math.sqrt(2 / (800 + 600))),
    ("kaiming_uniform", math.sqrt(6 / 800)), ("kaiming_normal", math.sqrt(2 / 800)), ("normal", 0.01)])
def test_each_init_draws_from_its_formula(how, expected):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(800, 600))
    bias = model[0].bias.clone()
    assert apply_init(model, how, std=0.01) == ["0"]
    weight = model[0].weight
    assert init_bound(weight, how, 0.01) == pytest.approx(expected)
    if how.endswith("uniform"):  # U(-b, b): every value inside, std b/√3
        assert weight.abs().max().item() <= expected
        assert weight.abs().max().item() > 0.99 * expected
        assert weight.std().item() == pytest.approx(expected / math.sqrt(3), rel=0.02)
    else:
        assert weight.mean().item() == pytest.approx(0.0, abs=expected * 0.01)
        assert weight.std().item() == pytest.approx(expected, rel=0.02)
    if how == "normal":  # seed004: biases 0
        assert torch.count_nonzero(model[0].bias).item() == 0
    else:  # seed000: only the weight is redrawn
        assert torch.equal(model[0].bias, bias)


def test_conv_fans_count_the_kernel_window():
    conv = nn.Conv2d(32, 64, 3)
    assert init_bound(conv.weight, "kaiming_normal") == pytest.approx(math.sqrt(2 / (32 * 9)))
    assert init_bound(conv.weight, "xavier_uniform") == pytest.approx(math.sqrt(6 / (32 * 9 + 64 * 9)))


def test_default_changes_nothing_and_bad_choices_are_refused():
    model = nn.Sequential(nn.Linear(4, 3))
    before = model[0].weight.clone()
    assert apply_init(model, "default") == [] and torch.equal(model[0].weight, before)
    with pytest.raises(ValueError, match="unknown initialisation"):
        apply_init(model, "glorot")
    with pytest.raises(ValueError, match="init layers"):
        TrainConfig(init_layers="pools").validate()
    with pytest.raises(ValueError, match="init σ"):
        TrainConfig(init="normal", init_std=0.0).validate()


def _first_weights(spec, config, data):
    """The weights a run starts from (its step-0 snapshot), after one tiny epoch."""
    class Keep(NullReporter):
        first = None

        def on_snapshot(self, snapshot):
            Keep.first = Keep.first or snapshot.state

    TrainingSession(spec, data, config).run(Keep())
    return Keep.first


@pytest.fixture(scope="module")
def tiny_data():
    sample = load_dataset("mnist-sample")
    return Dataset(sample.info, Split(sample.train.images[:200], sample.train.labels[:200]),
                   Split(sample.test.images[:50], sample.test.labels[:50]), sample.source)


def test_seed000_is_xavier_on_fc_only_and_deterministic_under_seed_777(tiny_data):
    preset = PRESETS["seed000"]
    assert preset.training["seed"] == 777 and preset.training["init"] == "xavier_uniform"
    assert preset.training["init_layers"] == "linear"
    config = TrainConfig.from_dict({**preset.training, "epochs": 1, "batch_size": 100, "device": "cpu"})
    a = _first_weights(preset.spec, config, tiny_data)
    b = _first_weights(preset.spec, config, tiny_data)
    assert all(np.array_equal(a[k], b[k]) for k in a)
    seed_everything(777)
    plain = {k: v.numpy() for k, v in build_model(preset.spec).state_dict().items()}
    assert np.array_equal(a["conv1.weight"], plain["conv1.weight"])  # the convs keep PyTorch's default
    assert np.array_equal(a["fc1.bias"], plain["fc1.bias"])
    assert not np.array_equal(a["fc1.weight"], plain["fc1.weight"])
    bound = math.sqrt(6 / (3136 + 10))
    assert np.abs(a["fc1.weight"]).max() <= bound
    assert a["fc1.weight"].std() == pytest.approx(bound / math.sqrt(3), rel=0.05)


def test_seed004_is_normal_001_with_zero_biases(tiny_data):
    preset = PRESETS["seed004"]
    config = TrainConfig.from_dict({**preset.training, "epochs": 1, "device": "cpu"})
    weights = _first_weights(preset.spec, config, tiny_data)
    for name in ("conv1", "fc1", "fc2"):
        assert weights[f"{name}.weight"].std() == pytest.approx(0.01, rel=0.1)
        assert not weights[f"{name}.bias"].any()


# -- shuffling and normalisation -----------------------------------------------------------
def test_shuffle_off_keeps_the_datasets_order(tiny_data, monkeypatch):
    assert torch.equal(epoch_order(7, torch.Generator().manual_seed(1), shuffle=False), torch.arange(7))
    assert not torch.equal(epoch_order(50, torch.Generator().manual_seed(1)), torch.arange(50))
    orders = []

    def spy(n, generator, shuffle=True):
        orders.append((shuffle, epoch_order(n, generator, shuffle)))
        return orders[-1][1]

    monkeypatch.setattr(session_module, "epoch_order", spy)
    config = TrainConfig(epochs=2, batch_size=50, shuffle=False, device="cpu", snapshot_interval_s=0)
    TrainingSession(PRESETS["seed004"].spec, tiny_data, config).run(NullReporter())
    assert [s for s, _ in orders] == [False, False]
    assert all(torch.equal(order, torch.arange(200)) for _, order in orders)
    assert PRESETS["seed002"].training["shuffle"] is False and PRESETS["seed003"].training["shuffle"] is False


def test_seed001_normalises_fashion_mnist_with_mnists_numbers(tiny_data):
    assert PRESETS["seed001"].training["normalize"] == "mnist"
    fashion = DATASETS["fashion-mnist"]
    assert normalized_info(fashion, "mnist").mean == (0.1307,) == MNIST_MEAN
    assert normalized_info(fashion, "mnist").std == (0.3081,) == MNIST_STD
    assert normalized_info(fashion, "none").mean == (0.0,) and normalized_info(fashion, "none").std == (1.0,)
    assert normalized_info(fashion, "dataset") is fashion
    assert normalized_info(DATASETS["cifar10"], "mnist").std == (0.3081,) * 3
    for name in ("seed000", "seed002", "seed003", "seed004"):  # ToTensor without Normalize
        assert PRESETS[name].training["normalize"] == "none"
    session = TrainingSession(PRESETS["seed004"].spec, tiny_data, TrainConfig(normalize="none"))
    assert session.data.info.mean == (0.0,) and normalized(tiny_data, "dataset") is tiny_data


def test_a_trained_models_file_keeps_the_runs_normalisation(tiny_data):
    from engine.training.run_state import Checkpoint

    config = TrainConfig(epochs=1, batch_size=100, normalize="mnist", device="cpu", snapshot_interval_s=0)
    session = TrainingSession(PRESETS["seed004"].spec, normalized(tiny_data, "none"), config)
    session.run(NullReporter())
    ckpt = Checkpoint.of_session(session, None)
    assert (ckpt.mean, ckpt.std) == (MNIST_MEAN, MNIST_STD)


# -- presets: honest about where their settings come from ----------------------------------
def test_presets_say_what_is_not_from_their_note():
    assert "book" in PRESETS["seed003"].description and "second conv" in PRESETS["seed003"].description
    assert "book" in PRESETS["seed004"].description and "trains nothing" in PRESETS["seed004"].description
    assert PRESETS["seed003"].borrowed and PRESETS["seed004"].borrowed
    assert [p.name for p in PRESETS.values() if p.all_from_note] == ["seed000", "seed001", "seed002"]
    assert not PRESETS["lenet5"].from_note and not PRESETS["fast-fashion"].all_from_note


def test_note_curves_are_the_notes_printed_numbers():
    assert PRESETS["seed001"].note_curve["epochs"] == [1, 2, 40]
    assert PRESETS["seed001"].note_curve["test_accuracy"] == [0.7535, 0.7939, 0.8965]
    assert PRESETS["seed002"].note_curve["test_accuracy"] == [0.8802, 0.8897, 0.905, 0.9095, 0.9114]
    assert PRESETS["seed002"].note_curve["dataset"] == "fashion-mnist"
    assert PRESETS["seed000"].note_curve["epochs"] == [15] and len(PRESETS["seed000"].note_curve["train_loss"]) == 15
    assert PRESETS["seed003"].note_curve is None and PRESETS["seed004"].note_curve is None
    for preset in PRESETS.values():
        if preset.note_curve:
            assert preset.note_curve["test_accuracy"][-1] == pytest.approx(preset.reported_accuracy, abs=5e-5)


# -- the bundled Fashion-MNIST sample --------------------------------------------------------
def test_fashion_sample_is_balanced_and_loads_offline():
    data = load_dataset("fashion-mnist-sample")
    assert data.info.class_names == DATASETS["fashion-mnist"].class_names
    assert data.train.class_counts(10) == [500] * 10 and data.test.class_counts(10) == [50] * 10
    assert data.train.labels[:20].unique().numel() > 5  # shuffled: any prefix mixes the classes
    assert sample_of("fashion-mnist") == "fashion-mnist-sample" and sample_of("cifar10") is None
    assert offline_choice("fashion-mnist", ROOT / "no-such-folder") == "fashion-mnist-sample"


@pytest.mark.skipif(FULL_FASHION is None, reason="the full Fashion-MNIST files are not here")
def test_fashion_sample_is_the_chosen_rows_of_the_full_set():
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_fashion_sample", ROOT / "resources" / "make_fashion_sample.py")
    maker = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(maker)
    with np.load(sample_file("fashion-mnist-sample")) as npz:
        stored = {k: npz[k] for k in npz.files}
    for split, (images_name, labels_name) in maker.FILES.items():
        images = maker.read_idx(FULL_FASHION / f"{images_name}.gz")
        labels = maker.read_idx(FULL_FASHION / f"{labels_name}.gz")
        rows = stored[f"{split}_index"]
        assert len(set(rows.tolist())) == len(rows)
        assert np.array_equal(stored[f"{split}_images"], images[rows])
        assert np.array_equal(stored[f"{split}_labels"], labels[rows])
    rebuilt = maker.build(FULL_FASHION)  # the committed script makes exactly the committed file
    assert all(np.array_equal(rebuilt[k], stored[k]) for k in stored) and set(rebuilt) == set(stored)
    assert offline_choice("fashion-mnist", FULL_FASHION) == "fashion-mnist"
