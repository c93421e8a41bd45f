"""The explainer's words: the text under the grids for each step, mode and output size.

Qt-free: plain functions from steps and sizes to the strings the panel shows.
"""

from __future__ import annotations

from engine.teach.checks import format_number, formula_text
from engine.teach.steps import Step

__all__ = ["channel_names", "formula_line", "problems_text", "step_description", "im2col_caption", "HINTS"]

HINTS = {
    "conv": "the kernel slides over the input; each position gives one output cell",
    "multi": "ONE filter with one slice per channel; the channel results are added",
    "pool": "each window gives its maximum (최대 풀링) and its average (평균 풀링)",
    "im2col": "each window becomes one row; the whole convolution is one matrix product",
}
FIX_SETTINGS = "Fix the settings above to step through the output."


def channel_names(count: int) -> list[str]:
    """``R``, ``G``, ``B`` for three channels, ``ch 0`` … otherwise."""
    return ["R", "G", "B"] if count == 3 else [f"ch {i}" for i in range(count)]


def formula_line(h: int, w: int, kh: int, kw: int, s: int, p: int, d: int) -> str:
    """The output-size formula, once for a square case, else for height and width."""
    parts = [f"height {formula_text(h, kh, s, p, d)}"]
    if (w, kw) != (h, kh):
        parts.append(f"width {formula_text(w, kw, s, p, d)}")
    else:
        parts[0] = formula_text(h, kh, s, p, d)
    return "Output size · 출력 크기  O = floor((I − K + 2P) / S) + 1:   " + ";   ".join(parts)


def problems_text(problems: list[str] | tuple[str, ...]) -> str:
    return "⚠ Invalid combination · 잘못된 조합\n" + "\n".join(problems)


def _signed(value: float) -> str:
    return f"({format_number(value)})" if value < 0 else format_number(value)


def step_description(mode: str, step: Step | None, count: int, *, avg_step: Step | None = None,
                     channels: int = 1, pool_note: str = "", invalid: bool = False) -> str:
    """What the step box says: a hint before the first step, then each step written out.

    ``avg_step`` is average pooling's step beside max pooling's; ``pool_note`` is written under
    the first pooling step (the seed's erratum); ``invalid`` asks to fix the settings instead.
    """
    if invalid:
        return FIX_SETTINGS
    if step is None:
        return f"{count} output positions: {HINTS[mode]}.  Press Step ▶ (→) or Play (Space)."
    where = (f"Step {step.index + 1}/{count} · output ({step.out_row}, {step.out_col}) · window rows "
             f"{step.rows[0]}–{step.rows[-1]}, columns {step.cols[0]}–{step.cols[-1]} of the padded input")
    if mode == "pool":
        lines = [where, "Max · 최대 풀링:  " + step.channel_text(0)]
        if avg_step is not None:
            lines.append("Average · 평균 풀링:  " + avg_step.channel_text(0))
        if pool_note and step.index == 0:
            lines.append(pool_note)
    elif mode == "conv":
        lines = [where, step.text()]
    else:
        names = channel_names(channels)
        lines = [where if mode == "multi" else f"{where} = row {step.index} of the im2col matrix"]
        if step.window.shape[0] == 1:
            lines.append(step.text())
        else:
            lines += [f"{names[ch]}: {step.channel_text(ch)}" for ch in range(step.window.shape[0])]
            lines.append("sum: " + " + ".join(_signed(v) for v in step.per_channel)
                         + f" = {format_number(step.total)}")
    return "\n".join(lines)


def im2col_caption(rows: int, cols: int, out_shape: tuple[int, int], kernel_shape: tuple[int, int, int],
                   note: str = "") -> str:
    """The im2col matrix's shape explained: ``N·OH·OW`` rows, ``C·KH·KW`` columns, one matrix product."""
    (oh, ow), (c, kh, kw) = out_shape, kernel_shape
    text = (f"im2col(x): ({rows}, {cols}) — rows = N·OH·OW = 1·{oh}·{ow}, cols = C·KH·KW = {c}·{kh}·{kw}.  "
            f"Kernel flattened: ({cols}, 1).  One matrix product ({rows}, {cols}) @ ({cols}, 1) = ({rows}, 1) "
            f"→ reshape ({oh}, {ow}).")
    return f"{text}  {note}" if note else text
