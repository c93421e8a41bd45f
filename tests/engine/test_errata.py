"""engine.teach.errata: every misprint of the notes has a correction and a live check that holds."""

from __future__ import annotations

import re

import pytest
import torch

from engine.model.presets import PRESETS
from engine.teach.errata import ERRATA, conv_layers, run_checks

HANGUL = re.compile("[\uac00-\ud7a3]")


def test_the_issue_s_misprints_are_all_listed_and_more_were_found():
    keys = {erratum.key for erratum in ERRATA}
    assert {"params", "height", "pool_size", "out_w", "dropout", "grey", "pool_window"} <= keys
    assert len(keys) == len(ERRATA) >= 12
    assert {erratum.note for erratum in ERRATA} == {"seed 000", "seed 001", "seed 002", "seed 003", "seed 004"}


@pytest.mark.parametrize("erratum", ERRATA, ids=lambda e: e.key)
def test_every_live_check_holds_and_every_correction_is_in_both_languages(erratum):
    check = erratum.check()
    assert check.holds, check.detail
    assert check.misprint != check.correct
    assert erratum.correct.en and HANGUL.search(erratum.correct.ko)
    assert erratum.printed and erratum.where and check.detail


def test_seed002_s_parameter_formula_against_the_real_seed000_conv2():
    check = run_checks()["params"]
    assert (check.misprint, check.correct, check.reference) == (20_480, 18_496, 18_496)
    conv2 = conv_layers("seed000")[1]
    layer = torch.nn.Conv2d(conv2.input_shape[0], conv2.output_shape[0], 3)
    assert sum(p.numel() for p in layer.parameters()) == conv2.params == 18_496


def test_the_changed_preset_changes_the_live_numbers(monkeypatch):
    spec = PRESETS["seed000"].spec
    layers = [dict(layer) for layer in spec.layers]
    layers[3]["out_channels"] = 16  # conv2: 32 → 16 filters
    preset = PRESETS["seed000"]
    monkeypatch.setitem(PRESETS, "seed000", type(preset)(**{**preset.__dict__, "spec": spec.with_layers(layers)}))
    check = run_checks()["params"]
    assert (check.misprint, check.correct, check.reference) == (16 * (9 * 32 + 32), 16 * (9 * 32 + 1), 16 * 289)


def test_the_individual_numbers():
    checks = run_checks()
    assert (checks["height"].misprint, checks["height"].correct) == (24, 16)
    assert (checks["out_w"].misprint, checks["out_w"].correct) == (3, 5)
    assert (checks["dropout"].misprint, checks["dropout"].correct) == (3.3333, 1.4286)
    assert (checks["grey"].misprint, checks["grey"].correct) == (0, 1)
    assert checks["pool_window"].correct == 0.0 and checks["pool_window"].misprint == 1.0
    assert checks["pool_size"].correct == 3 and checks["pool_size"].misprint == pytest.approx(7 / 3, abs=1e-3)
    assert checks["flip"].reference == [-3.0, -6.0]
    assert checks["same_size"].correct == 3
