"""`train --resume` with options: each applies (and is said and recorded) or is refused with a reason."""

from __future__ import annotations

import json

import pytest
import torch

from engine.io.checkpoint import load_checkpoint
from engine.training.resume import load_optimizer_state, resume_config
from tests.engine.test_cli_train import run


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """seed000 after one Adam epoch on the bundled sample (lr 0.001, 45 steps)."""
    out = tmp_path_factory.mktemp("resume") / "adam.safetensors"
    result = run("train", "--preset", "seed000", "--epochs", "1", "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


def test_changing_the_optimizer_starts_a_fresh_state_and_says_so(saved, tmp_path):
    out = tmp_path / "sgd.safetensors"
    result = run("train", "--resume", str(saved), "--optimizer", "sgd", "--lr", "0.05", "--json", "--out", str(out))
    assert result.returncode == 0, result.stderr  # was: KeyError: 'momentum'
    assert "resume: optimizer adam → sgd: it starts with a fresh state" in result.stderr
    model = load_checkpoint(out)
    assert model.config.optimizer == "sgd" and model.epoch == 2 and "momentum_buffer" in str(model.optimizer)
    assert json.loads(result.stdout.strip().splitlines()[-1])["status"] == "completed"


def test_a_new_learning_rate_is_applied_and_recorded(saved, tmp_path):
    out = tmp_path / "lr.safetensors"
    result = run("train", "--resume", str(saved), "--lr", "0.0005", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "resume: learning rate 0.001 → 0.0005 from step 45" in result.stderr
    model = load_checkpoint(out)
    change = model.lr_changes[-1]
    assert (change.step, change.old_lr, change.new_lr) == (45, 1e-3, 5e-4)
    assert model.history[-1].lr == 5e-4 and model.config.lr == 5e-4  # trained at it, not only written


def test_refused_options_say_why(saved):
    cases = [(("--seed", "5"), "the seed cannot change when resuming"),
             (("--preset", "seed000"), "leave out --preset and --spec"),
             (("--lr", "2e6"), "must be below 1,000,000")]
    for extra, needle in cases:
        result = run("train", "--resume", str(saved), *extra)
        assert result.returncode == 2 and needle in result.stderr and "Traceback" not in result.stderr, extra


def test_resume_config_keeps_the_saved_base_lr_and_notes_each_change(saved):
    ckpt = load_checkpoint(saved)
    config, notes = resume_config(ckpt, {"device": "cpu", "threads": 1}, 2)
    assert config.lr == 1e-3 and config.epochs == 3 and notes == []  # machine settings are not news
    ckpt.schedule = {"base_lr": 2e-3, "schedule": "none"}  # the lr was changed during the saved run
    config, notes = resume_config(ckpt, {"weight_decay": 1e-4, "batch_size": 50}, None)
    assert config.lr == 2e-3 and config.epochs == 2 and config.weight_decay == 1e-4
    assert notes == ["weight decay 0.0 → 0.0001", "batch size 100 → 50: an epoch has a different number of "
                                                   "steps from here on"]


def test_the_same_optimizer_keeps_its_state_with_the_new_hyperparameters(saved):
    ckpt = load_checkpoint(saved)
    params = [torch.nn.Parameter(torch.as_tensor(v).float().clone()) for v in ckpt.state.values()]
    adam = torch.optim.Adam(params, lr=1.0)
    config, _ = resume_config(ckpt, {"weight_decay": 0.01}, 1)
    assert load_optimizer_state(adam, ckpt, config)
    assert adam.param_groups[0]["weight_decay"] == 0.01 and len(adam.state) == len(params)
    config, _ = resume_config(ckpt, {"optimizer": "sgd"}, 1)
    sgd = torch.optim.SGD(params, lr=0.1, momentum=0.9)
    assert not load_optimizer_state(sgd, ckpt, config) and len(sgd.state) == 0
