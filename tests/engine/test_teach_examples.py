"""engine.teach.examples: the notes' worked examples as data, each one runnable in its own mode."""

from __future__ import annotations

import numpy as np

from engine.teach.examples import (
    EXAMPLES,
    GLOSSARY,
    KERNEL_PRESETS,
    ONE_FILTER_NOTE,
    SEED003_IMAGE,
    WORKED_EXAMPLES,
    seed004_filter,
    seed004_input,
)
from engine.teach.walkthrough import MODES, Lesson


def test_examples_menu_is_the_worked_examples_in_order():
    assert list(EXAMPLES) == ["seed003_conv", "seed003_pool", "rgb", "seed004"]
    assert list(EXAMPLES) == list(WORKED_EXAMPLES)
    assert all(EXAMPLES[key] == example.title and example.key == key for key, example in WORKED_EXAMPLES.items())
    assert [WORKED_EXAMPLES[key].mode for key in EXAMPLES] == ["conv", "pool", "multi", "im2col"]
    assert {example.mode for example in WORKED_EXAMPLES.values()} == set(MODES)


def test_every_example_steps_in_its_mode_without_problems():
    expected_steps = {"seed003_conv": 16, "seed003_pool": 4, "rgb": 4, "seed004": 9}
    for key, example in WORKED_EXAMPLES.items():
        lesson = Lesson(np.zeros((1, 1)), np.ones((1, 1)))
        lesson.load_example(example)
        result = lesson.walk(*example.params)
        assert result.problems == (), key
        assert len(result.steps) == expected_steps[key], key


def test_example_numbers_and_notes():
    assert WORKED_EXAMPLES["seed003_conv"].image is SEED003_IMAGE
    assert np.array_equal(WORKED_EXAMPLES["seed004"].image, seed004_input()[0])
    assert np.array_equal(WORKED_EXAMPLES["seed004"].kernel, seed004_filter())
    assert seed004_input(10).shape == (10, 3, 7, 7) and seed004_filter().shape == (3, 5, 5)
    assert "3, −1, 3, −1" in WORKED_EXAMPLES["seed003_pool"].pool_note
    assert "(90, 75)" in WORKED_EXAMPLES["seed004"].im2col_note
    assert all(not example.pool_note for key, example in WORKED_EXAMPLES.items() if key != "seed003_pool")


def test_presets_and_glossary():
    assert all(kernel.shape == (3, 3) for kernel in KERNEL_PRESETS.values())
    assert KERNEL_PRESETS["box blur"].sum() == 1.0 and KERNEL_PRESETS["Laplacian"].sum() == 0
    assert dict(GLOSSARY)["합성곱"] == "convolution" and dict(GLOSSARY)["특성 맵"] == "feature map"
    assert len(GLOSSARY) == 6 and "ONE 3-channel filter" in ONE_FILTER_NOTE
