"""The explainer's words: the text under the grids for each step, mode and output size.

Plain functions from steps and sizes to the strings the panel shows, in English (with the notes'
Korean terms beside) or, when the explainer shows Korean only (:mod:`gui.explain.language`), in Korean.
"""

from __future__ import annotations

from engine.teach.checks import format_number, formula_text
from engine.teach.steps import Step
from gui.explain.language import mode

__all__ = ["channel_names", "formula_line", "problems_text", "step_description", "im2col_caption", "HINTS"]

HINTS = {
    "conv": "the kernel slides over the input; each position gives one output cell",
    "multi": "ONE filter with one slice per channel; the channel results are added",
    "pool": "each window gives its maximum (최대 풀링) and its average (평균 풀링)",
    "im2col": "each window becomes one row; the whole convolution is one matrix product",
}
FIX_SETTINGS = "Fix the settings above to step through the output."
#: Each English text above and below in Korean, shown when the explainer shows Korean only.
KOREAN = {
    HINTS["conv"]: "커널이 입력 위를 미끄러지며 위치마다 출력 한 칸을 만듦",
    HINTS["multi"]: "채널마다 조각이 하나씩 있는 필터 하나; 채널별 결과를 더함",
    HINTS["pool"]: "윈도우마다 최댓값(최대 풀링)과 평균(평균 풀링)을 구함",
    HINTS["im2col"]: "윈도우 하나가 한 행이 되어 합성곱 전체가 행렬 곱 하나가 됨",
    FIX_SETTINGS: "출력을 단계별로 보려면 위의 설정을 고치세요.",
    "{0} output positions: {1}.  Press Step ▶ (→) or Play (Space).":
        "출력 위치 {0}개: {1}.  다음 ▶ (→) 또는 재생 (Space)을 누르세요.",
    "Step {0}/{1} · output ({2}, {3}) · window rows {4}–{5}, columns {6}–{7} of the padded input":
        "단계 {0}/{1} · 출력 ({2}, {3}) · 패딩한 입력의 행 {4}–{5}, 열 {6}–{7} 윈도우",
    "{0} = row {1} of the im2col matrix": "{0} = im2col 행렬의 {1}행",
    "Max · 최대 풀링:  ": "최대 풀링:  ",
    "Average · 평균 풀링:  ": "평균 풀링:  ",
    "sum: ": "합: ",
    "height ": "높이 ",
    "width ": "너비 ",
    "Output size · 출력 크기  O = floor((I − K + 2P) / S) + 1:   ": "출력 크기  O = floor((I − K + 2P) / S) + 1:   ",
    "⚠ Invalid combination · 잘못된 조합\n": "⚠ 잘못된 조합\n",
    "im2col(x): ({0}, {1}) — rows = N·OH·OW = 1·{2}·{3}, cols = C·KH·KW = {4}·{5}·{6}.  Kernel flattened: ({1}, 1).  "
    "One matrix product ({0}, {1}) @ ({1}, 1) = ({0}, 1) → reshape ({2}, {3}).":
        "im2col(x): ({0}, {1}) — 행 = N·OH·OW = 1·{2}·{3}, 열 = C·KH·KW = {4}·{5}·{6}.  평탄화한 커널: ({1}, 1).  "
        "행렬 곱 하나 ({0}, {1}) @ ({1}, 1) = ({0}, 1) → 변형 ({2}, {3}).",
}


def _k(text: str) -> str:
    """``text`` in Korean when the explainer shows Korean only, else as it is."""
    return KOREAN.get(text, text) if mode() == "ko" else text


def channel_names(count: int) -> list[str]:
    """``R``, ``G``, ``B`` for three channels, ``ch 0`` … otherwise."""
    return ["R", "G", "B"] if count == 3 else [f"ch {i}" for i in range(count)]


def formula_line(h: int, w: int, kh: int, kw: int, s: int, p: int, d: int) -> str:
    """The output-size formula, once for a square case, else for height and width."""
    parts = [_k("height ") + formula_text(h, kh, s, p, d)]
    if (w, kw) != (h, kh):
        parts.append(_k("width ") + formula_text(w, kw, s, p, d))
    else:
        parts[0] = formula_text(h, kh, s, p, d)
    return _k("Output size · 출력 크기  O = floor((I − K + 2P) / S) + 1:   ") + ";   ".join(parts)


def problems_text(problems: list[str] | tuple[str, ...]) -> str:
    return _k("⚠ Invalid combination · 잘못된 조합\n") + "\n".join(problems)


def _signed(value: float) -> str:
    return f"({format_number(value)})" if value < 0 else format_number(value)


def step_description(mode: str, step: Step | None, count: int, *, avg_step: Step | None = None,
                     channels: int = 1, pool_note: str = "", invalid: bool = False) -> str:
    """What the step box says: a hint before the first step, then each step written out.

    ``avg_step`` is average pooling's step beside max pooling's; ``pool_note`` is written under
    the first pooling step (the seed's erratum); ``invalid`` asks to fix the settings instead.
    """
    if invalid:
        return _k(FIX_SETTINGS)
    if step is None:
        return _k("{0} output positions: {1}.  Press Step ▶ (→) or Play (Space).").format(count, _k(HINTS[mode]))
    where = _k("Step {0}/{1} · output ({2}, {3}) · window rows {4}–{5}, columns {6}–{7} of the padded input").format(
        step.index + 1, count, step.out_row, step.out_col, step.rows[0], step.rows[-1], step.cols[0], step.cols[-1])
    if mode == "pool":
        lines = [where, _k("Max · 최대 풀링:  ") + step.channel_text(0)]
        if avg_step is not None:
            lines.append(_k("Average · 평균 풀링:  ") + avg_step.channel_text(0))
        if pool_note and step.index == 0:
            lines.append(pool_note)
    elif mode == "conv":
        lines = [where, step.text()]
    else:
        names = channel_names(channels)
        lines = [where if mode == "multi" else _k("{0} = row {1} of the im2col matrix").format(where, step.index)]
        if step.window.shape[0] == 1:
            lines.append(step.text())
        else:
            lines += [f"{names[ch]}: {step.channel_text(ch)}" for ch in range(step.window.shape[0])]
            lines.append(_k("sum: ") + " + ".join(_signed(v) for v in step.per_channel)
                         + f" = {format_number(step.total)}")
    return "\n".join(lines)


def im2col_caption(rows: int, cols: int, out_shape: tuple[int, int], kernel_shape: tuple[int, int, int],
                   note: str = "") -> str:
    """The im2col matrix's shape explained: ``N·OH·OW`` rows, ``C·KH·KW`` columns, one matrix product."""
    (oh, ow), (c, kh, kw) = out_shape, kernel_shape
    text = _k("im2col(x): ({0}, {1}) — rows = N·OH·OW = 1·{2}·{3}, cols = C·KH·KW = {4}·{5}·{6}.  "
              "Kernel flattened: ({1}, 1).  One matrix product ({0}, {1}) @ ({1}, 1) = ({0}, 1) → reshape ({2}, {3})."
              ).format(rows, cols, oh, ow, c, kh, kw)
    return f"{text}  {note}" if note else text
