"""The worked examples' words in Korean (the engine writes them in English): titles, captions, notes.

:func:`example_text` shows one in the explainer's language; a text not in the table (a title the
app gives, such as a layer's name) stays as it is. tests/gui/test_i18n_window.py keeps the table
in step with :data:`engine.teach.examples.WORKED_EXAMPLES`.
"""

from __future__ import annotations

from engine.teach.examples import ONE_FILTER_NOTE
from gui.explain.language import mode

__all__ = ["KOREAN", "example_text"]

KOREAN = {
    "Seed 003: 6×6 image, 3×3 filter": "seed 003: 6×6 이미지, 3×3 필터",
    "Input 6×6 (seed 003)": "입력 6×6 (seed 003)",
    "Filter 3×3 (seed 003)": "필터 3×3 (seed 003)",
    "Seed 003: max/avg pooling 4×4": "seed 003: 최대/평균 풀링 4×4",
    "Input 4×4 (seed 003)": "입력 4×4 (seed 003)",
    "Window 2×2": "윈도우 2×2",
    "(Erratum: the seed prints this window as 3, −1, 3, −1; its average line shows the real 3, −1, −3, 1.)":
        "(정오표: 노트는 이 윈도우를 3, −1, 3, −1로 적었지만 평균 계산 줄에는 실제 값 3, −1, −3, 1이 나옵니다.)",
    "RGB image, one 3-channel filter": "RGB 이미지, 3채널 필터 하나",
    "RGB image 3×4×4": "RGB 이미지 3×4×4",
    "ONE filter with 3 channels (3×3×3)": "3채널 필터 하나 (3×3×3)",
    "Seed 004: im2col (1,3,7,7) with 5×5": "seed 004: 5×5 필터의 im2col (1,3,7,7)",
    "Input (1, 3, 7, 7) (seed 004)": "입력 (1, 3, 7, 7) (seed 004)",
    "ONE filter (3, 5, 5)": "필터 하나 (3, 5, 5)",
    "A batch of 10 such images (10, 3, 7, 7) gives a (90, 75) matrix (seed 004).":
        "이런 이미지 10장의 배치 (10, 3, 7, 7)는 (90, 75) 행렬이 됩니다 (seed 004).",
    "Input": "입력",
    "Kernel": "커널",
    ONE_FILTER_NOTE: "필터는 입력 채널마다 조각이 하나씩 있습니다: RGB 이미지에는 3채널 필터 하나를 씁니다 "
                     "(필터 세 개가 아님, seed 003).",
}


def example_text(text: str) -> str:
    """``text`` in Korean when the explainer shows Korean only and the table has it, else as it is
    (side by side, the English title is enough: these are names, not explanations)."""
    return KOREAN.get(text, text) if mode() == "ko" else text
