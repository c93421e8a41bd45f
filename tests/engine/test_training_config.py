"""TrainConfig's field descriptions, the CLI options derived from them, the divergence guard and
the thread-count rule."""

from __future__ import annotations

import argparse
import math

import pytest

from engine.cli.common import add_config_options, config_overrides, preset_settings
from engine.training.config import OPTIMIZERS, SCHEDULES, TrainConfig, settings
from engine.training.devices import default_threads
from engine.training.divergence import Divergence, DivergenceGuard


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser()
    add_config_options(parser)
    return parser


def test_settings_carry_name_type_and_default():
    described = {s.name: s for s in settings()}
    assert described["lr"].type == "float" and described["lr"].default == TrainConfig().lr
    assert described["optimizer"].choices == OPTIMIZERS and described["schedule"].choices == SCHEDULES
    assert described["batch_size"].flag == "--batch-size" and described["nesterov"].flag is None
    assert "snapshot_interval_s" not in described  # not offered to people


def test_cli_options_in_rank_order_with_types_and_choices():
    parser = _parser()
    flags = [a.option_strings[0] for a in parser._actions if a.option_strings and a.dest != "help"]
    assert flags == ["--epochs", "--batch-size", "--lr", "--optimizer", "--momentum", "--weight-decay",
                     "--schedule", "--label-smoothing", "--augment", "--seed", "--device", "--threads",
                     "--precision", "--backend", "--dist-timeout", "--shuffle", "--normalize", "--init", "--init-std",
                     "--init-layers"]
    args = parser.parse_args(["--lr", "0.5", "--epochs", "3", "--augment"])
    assert args.lr == 0.5 and args.epochs == 3 and args.augment is True
    with pytest.raises(SystemExit):
        parser.parse_args(["--optimizer", "rmsprop"])


def test_overrides_only_what_was_given_plus_the_machine_defaults():
    machine = {"device": "auto", "threads": 0, "backend": "auto", "dist_timeout_s": 120.0}
    assert config_overrides(_parser().parse_args([])) == machine
    given = config_overrides(_parser().parse_args(["--seed", "7", "--schedule", "cosine"]))
    assert given == {"seed": 7, "schedule": "cosine", **machine}


def test_preset_settings_keep_only_what_a_preset_may_set():
    training = {"optimizer": "sgd", "lr": 0.1, "nesterov": True, "label_smoothing": 0.1, "device": "cuda", "note": "x"}
    assert preset_settings(training) == {"optimizer": "sgd", "lr": 0.1, "nesterov": True}
    # a note's seed (seed000: torch.manual_seed(777)), shuffling, normalisation and init are the preset's to set
    notes = {"seed": 777, "shuffle": False, "normalize": "mnist", "init": "normal", "init_std": 0.01}
    assert preset_settings({**training, **notes}) == {"optimizer": "sgd", "lr": 0.1, "nesterov": True, **notes}


def test_default_threads_leaves_one_core_to_the_gui(monkeypatch):
    monkeypatch.setattr("os.cpu_count", lambda: 8)
    assert default_threads() == 8 and default_threads(gui=True) == 7
    monkeypatch.setattr("os.cpu_count", lambda: 1)
    assert default_threads(gui=True) == 1


def test_guard_stops_a_non_finite_loss():
    with pytest.raises(Divergence, match="the loss became nan at step 3"):
        DivergenceGuard(10, 100).observe(float("nan"), 3, 0.1)


def test_guard_stops_a_loss_that_stays_above_chance():
    guard = DivergenceGuard(10, 10)
    high = 2 * math.log(10)
    for step in range(99):
        guard.observe(high, step, 1.0)
    with pytest.raises(Divergence, match="stayed above chance level"):
        guard.observe(high, 99, 1.0)


def test_guard_keeps_good_weights_every_50_steps_once_the_loss_fell():
    guard = DivergenceGuard(10, 100)
    keeps = [step for step in range(1, 120) if guard.observe(0.1, step, 0.01)]
    assert keeps == [50, 100]


def test_no_shuffle_and_the_notes_settings_from_the_command_line():
    args = _parser().parse_args(["--no-shuffle", "--normalize", "mnist", "--init", "normal", "--init-std", "0.02"])
    given = config_overrides(args)
    assert (given["shuffle"], given["normalize"], given["init"], given["init_std"]) == (False, "mnist", "normal", 0.02)
    assert "shuffle" not in config_overrides(_parser().parse_args([]))  # not given: the preset's value stays
    with pytest.raises(SystemExit):
        _parser().parse_args(["--normalize", "imagenet"])
