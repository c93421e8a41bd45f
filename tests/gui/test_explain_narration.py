"""gui.explain.narration: the step box, formula and im2col captions written out."""

from __future__ import annotations

import numpy as np

from engine.teach.examples import RGB_FILTER, RGB_IMAGE, SEED003_POOL_INPUT
from engine.teach.steps import conv_steps, pool_steps
from gui.explain.narration import (
    FIX_SETTINGS,
    HINTS,
    channel_names,
    formula_line,
    im2col_caption,
    problems_text,
    step_description,
)


def test_channel_names():
    assert channel_names(3) == ["R", "G", "B"]
    assert channel_names(2) == ["ch 0", "ch 1"] and channel_names(1) == ["ch 0"]


def test_formula_line_square_and_rectangular():
    square = formula_line(6, 6, 3, 3, 1, 0, 1)
    assert square.endswith(":   floor((6 − 3 + 2·0) / 1) + 1 = 4") and "height" not in square
    wide = formula_line(6, 8, 3, 3, 1, 1, 1)
    assert "height floor((6 − 3 + 2·1) / 1) + 1 = 6;   width floor((8 − 3 + 2·1) / 1) + 1 = 8" in wide


def test_hint_before_the_first_step_and_fix_when_invalid():
    hint = f"4 output positions: {HINTS['pool']}.  Press Step ▶ (→) or Play (Space)."
    assert step_description("pool", None, 4) == hint
    assert step_description("conv", None, 16, invalid=True) == FIX_SETTINGS
    assert problems_text(["a", "b"]) == "⚠ Invalid combination · 잘못된 조합\na\nb"


def test_pooling_step_with_average_and_note_on_the_first_step_only():
    max_steps = pool_steps(SEED003_POOL_INPUT, 2, 2, mode="max")
    avg_steps = pool_steps(SEED003_POOL_INPUT, 2, 2, mode="avg")
    first = step_description("pool", max_steps[0], 4, avg_step=avg_steps[0], pool_note="NOTE")
    assert first.splitlines() == [
        "Step 1/4 · output (0, 0) · window rows 0–1, columns 0–1 of the padded input",
        "Max · 최대 풀링:  max(3, −1, −3, 1) = 3",
        "Average · 평균 풀링:  (3 + (−1) + (−3) + 1) / 4 = 0",
        "NOTE",
    ]
    assert "NOTE" not in step_description("pool", max_steps[1], 4, avg_step=avg_steps[1], pool_note="NOTE")


def test_multichannel_and_im2col_steps_name_the_channels_and_sum_them():
    step = conv_steps(RGB_IMAGE, RGB_FILTER)[0]
    lines = step_description("multi", step, 4, channels=3).splitlines()
    assert lines[1].startswith("R: ") and lines[2].startswith("G: ") and lines[3].startswith("B: ")
    signed = " + ".join(f"({v:g})".replace("-", "−") if v < 0 else f"{v:g}" for v in step.per_channel)
    assert lines[-1] == f"sum: {signed} = {step.total:g}".replace("-", "−")
    im2col = step_description("im2col", step, 4, channels=3).splitlines()[0]
    assert im2col.endswith(" = row 0 of the im2col matrix")
    one = conv_steps(np.ones((3, 3)), np.ones((2, 2)))[0]
    assert step_description("conv", one, 4).splitlines()[1] == "(1×1) + (1×1) + (1×1) + (1×1) = 4"


def test_im2col_caption():
    text = im2col_caption(9, 75, (3, 3), (3, 5, 5))
    assert text.startswith("im2col(x): (9, 75) — rows = N·OH·OW = 1·3·3, cols = C·KH·KW = 3·5·5.")
    assert text.endswith("→ reshape (3, 3).")
    assert im2col_caption(9, 75, (3, 3), (3, 5, 5), "batch note").endswith(".  batch note")
