"""The divergence guard on crafted loss and accuracy sequences, and end to end: the trainer and the CLI."""

from __future__ import annotations

import json
import math

import pytest

from engine.training.config import LR_MAX, TrainConfig, lr_problem
from engine.training.divergence import MIN_PATIENCE, Divergence, DivergenceGuard
from tests.engine.test_cli_train import run as run_cli

CHANCE = math.log(10)


def feed(guard: DivergenceGuard, losses, start: int = 1, lr: float = 1.0) -> int:
    """Observe ``losses`` from step ``start`` on; the last step."""
    for step, loss in enumerate(losses, start):
        guard.observe(loss, step, lr)
    return start + len(losses) - 1


def test_an_exploding_loss_stops_within_a_few_dozen_steps_of_any_epoch():
    guard = DivergenceGuard(10, 45)  # mnist-sample at batch 100: 45 batches an epoch
    with pytest.raises(Divergence, match=r"exploded to 3\.8.*e\+04, far above chance level \(2\.30\)") as err:
        feed(guard, [2.3, 447.7, 23594.5, 38184.6] + [8.0] * 60)  # SGD at lr 10, measured
    assert "by step 1" in str(err.value)  # steps 10-19: well inside the first epoch


def test_a_loss_that_learned_and_then_sat_at_chance_stops_within_half_an_epoch():
    guard = DivergenceGuard(10, 60)
    feed(guard, [0.3] * 40)
    with pytest.raises(Divergence, match="stuck at chance level") as err:
        feed(guard, [CHANCE] * 200, start=41)
    step = int(str(err.value).split("by step ")[1].split()[0])
    assert step - 40 <= 40  # within one epoch of the collapse (30 steps of patience and a few of smoothing)


def test_a_loss_that_learned_and_rose_above_chance_stops():
    guard = DivergenceGuard(10, 1000)
    feed(guard, [0.3] * 40)
    with pytest.raises(Divergence, match="rose back above chance level"):
        feed(guard, [4 * CHANCE] * 300, start=41)


def test_ordinary_noise_and_a_slow_start_are_left_alone():
    guard = DivergenceGuard(10, 45)
    slow = [CHANCE] * 300  # a network that needs a while: at chance, never above it
    learning = [CHANCE * (0.99 ** i) + 0.3 * (i % 3) for i in range(400)]  # falling, noisy
    feed(guard, slow + learning)
    assert guard.end_epoch(1, 0.85, 700, 0.01)


def test_accuracy_collapse_at_an_epoch_end():
    guard = DivergenceGuard(10, 3)  # a dataset so small that the batch rules cannot see it
    assert guard.end_epoch(1, 0.8, 3, 0.1) is True  # good weights
    assert guard.end_epoch(2, 0.6, 6, 0.1) is True  # worse, still learned: not a divergence
    with pytest.raises(Divergence, match=r"accuracy collapsed from 80\.0% to 10\.0% at the end of epoch 3"):
        guard.end_epoch(3, 0.10, 9, 0.1)


def test_a_resumed_run_remembers_what_it_had_learned():
    class Epoch:
        train_loss, train_accuracy, test_accuracy = 0.2, 0.95, 0.97

    guard = DivergenceGuard.after(10, 3, [Epoch()])
    with pytest.raises(Divergence, match="collapsed from 97.0%"):
        guard.end_epoch(5, 0.1, 15, 1.0)
    assert DivergenceGuard.after(10, 3, []).best_accuracy is None


def test_above_chance_from_the_start_is_caught_at_the_first_epoch_end_on_a_tiny_dataset():
    guard = DivergenceGuard(10, 5)
    feed(guard, [3 * CHANCE / 2] * MIN_PATIENCE)
    with pytest.raises(Divergence, match="stayed above chance level .* never fell"):
        guard.end_epoch(4, 0.1, MIN_PATIENCE, 1.0)


def test_learning_rate_limit_has_its_own_message():
    assert lr_problem(0.1) is None
    assert "positive" in lr_problem(0) and "positive" in lr_problem(float("nan"))
    assert lr_problem(1e6) == "learning rate must be below 1,000,000, got 1000000.0"
    assert "below" in lr_problem(float("inf")) and LR_MAX == 1e6
    with pytest.raises(ValueError, match="must be below 1,000,000"):
        TrainConfig(lr=1e6).validate()


def test_cli_sgd_at_lr_10_diverges_in_the_first_epoch_and_saves_nothing(tmp_path):
    out = tmp_path / "m.safetensors"
    result = run_cli("train", "--preset", "seed000", "--dataset", "mnist-sample", "--optimizer", "sgd", "--lr", "10",
                     "--epochs", "2", "--json", "--out", str(out))
    assert result.returncode == 1, result.stderr
    line = json.loads(result.stdout.strip().splitlines()[-1])
    assert line["status"] == "diverged" and line["epochs"] == 0 and line["good_weights"] is False
    assert "no good weights existed yet" in line["reason"] and "learning rate 10" in line["reason"]
    assert line["out"] is None and not out.exists() and "not saved" in result.stderr
    big = run_cli("train", "--preset", "seed000", "--lr", "1e6", "--epochs", "1")
    assert big.returncode == 2 and "must be below 1,000,000" in big.stderr


def test_lr_raised_mid_run_restores_and_saves_the_last_good_weights(tmp_path):
    from engine.data.loading import load_dataset
    from engine.io.checkpoint import load_checkpoint, save_checkpoint
    from engine.model.presets import PRESETS
    from engine.training.events import NullReporter
    from engine.training.session import TrainingSession

    class RaiseLr(NullReporter):
        def on_batch(self, stats):
            if stats.step == 50:  # early in the second epoch
                session.set_lr(100.0)

    config = TrainConfig(lr=1e-3, batch_size=100, epochs=3, snapshot_interval_s=0)
    session = TrainingSession(PRESETS["seed000"].spec, load_dataset("mnist-sample"), config)
    finish = session.run(RaiseLr())
    assert finish.status == "diverged" and finish.epochs_done == 1 and finish.step < 90
    assert finish.restored_step == 45 and finish.good_weights and "(step 45) were restored" in finish.message
    assert finish.test_accuracy == pytest.approx(finish.history[0].test_accuracy)  # the restored weights
    path = tmp_path / "good.safetensors"
    save_checkpoint(path, session.checkpoint())
    assert load_checkpoint(path).lr_changes[-1].new_lr == 100.0  # the file records what happened
