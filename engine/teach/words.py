"""The explainer's concept pages in the notes' two languages: every text an English–Korean pair.

The explainer shows both at once ("English · 한국어"), as its other pages do; the terms are the
notes' own (합성곱, 특성 맵, 배치 정규화, 드롭아웃, 평탄화, 완전연결층 …). Qt-free.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Bilingual", "TOPIC_TITLES", "WORDS"]


@dataclass(frozen=True)
class Bilingual:
    """One text in English and Korean."""

    en: str
    ko: str

    def both(self, separator: str = " · ") -> str:
        return f"{self.en}{separator}{self.ko}"

    def format(self, *args: object) -> Bilingual:
        return Bilingual(self.en.format(*args), self.ko.format(*args))


B = Bilingual
# The explainer's topics, in chooser order ("steps" is the step-by-step walk-through).
TOPIC_TITLES = {
    "steps": B("Step by step", "단계별"),
    "conv1d": B("1-D convolution", "1차원 합성곱"),
    "conv1x1": B("1×1 convolution", "1×1 합성곱"),
    "dropout": B("Dropout 1/(1−p)", "드롭아웃"),
    "batchnorm": B("BatchNorm", "배치 정규화"),
    "shift": B("Shift and pooling", "이동과 풀링"),
    "dense": B("DNN vs CNN", "완전연결층 vs 합성곱층"),
    "memory": B("im2col memory", "im2col 메모리"),
    "errata": B("Errata", "정오표"),
}
WORDS = {
    "topic": B("Topic", "주제"),
    "topic_tip": B("What to explain: the step-by-step convolution or one of the notes' other concepts",
                   "무엇을 설명할지: 단계별 합성곱 또는 노트의 다른 개념"),
    "conv1d_intro": B("seed 003: the filter moves along one axis only. [1, 1, 1, 1, 1] ∗ [0.25, 0.5, 0.25] = "
                      "[1, 1, 1]: 5 − 3 + 1 = 3 values without padding (it smooths a curve).",
                      "seed 003: 필터가 한 축으로만 이동함. 패딩 없이 5 − 3 + 1 = 3개 (곡선을 완화)."),
    "signal": B("Signal", "입력"), "filter": B("Filter", "필터"), "output": B("Output", "출력"),
    "padding": B("Padding", "패딩"), "output_n": B("Output {0}", "출력 {0}"),
    "note_says": B("The note prints {0}; computed {1}.", "노트: {0}; 계산: {1}."),
    "conv1x1_intro": B("seed 003: a 1×1 filter has one weight per input channel; every pixel's channels are "
                       "mixed, H and W stay. Here filter 0 is the grey level (0.299 R + 0.587 G + 0.114 B), "
                       "filter 1 is R − G.",
                       "seed 003: 1×1 필터는 채널마다 가중치 1개; 픽셀마다 채널을 섞고 높이·너비는 그대로. "
                       "필터 0은 흑백 값, 필터 1은 R − G."),
    "weights": B("Weights (filters × channels)", "가중치 (필터 × 채널)"),
    "params_1x1": B("Parameters F·C + F = {0}·{1} + {0} = {2}", "파라미터 F·C + F = {0}·{1} + {0} = {2}"),
    "bottleneck": B("Why it saves work (GoogLeNet): 3×3 from {0} to {2} channels on {3}×{3}: {4} MACs; "
                    "1×1 down to {1} first: {5} MACs ({6}× less).",
                    "연산량 감소 (GoogLeNet): {3}×{3}에서 {0}→{2} 채널 3×3 합성곱 {4} MACs; "
                    "먼저 1×1로 {1} 채널: {5} MACs ({6}배 적음)."),
    "pixel": B("Pixel (0, 0), filter 0:", "픽셀 (0, 0), 필터 0:"),
    "dropout_intro": B("In training each value is zeroed with probability p and the kept ones are multiplied "
                       "by 1/(1 − p), so the expected value stays the same; in evaluation nothing changes.",
                       "학습 중 각 값이 확률 p로 0이 되고 남은 값은 1/(1 − p)배가 되어 기댓값이 유지됨; "
                       "평가 때는 그대로."),
    "p": B("p (drop probability)", "p (0이 될 확률)"),
    "resample": B("Resample", "다시 뽑기"),
    "mask": B("Kept (1) / dropped (0)", "유지 (1) / 0이 됨 (0)"),
    "scaled": B("Output = value × mask / (1 − p)", "출력 = 값 × 마스크 / (1 − p)"),
    "dropout_numbers": B("Scale 1/(1 − {0}) = {1}.  Mean: input {2}, this draw {3}, over {4} draws {5}; "
                         "without the scaling {6} (= (1 − p) × {2}).",
                         "배율 1/(1 − {0}) = {1}.  평균: 입력 {2}, 이번 {3}, {4}번 평균 {5}; "
                         "배율 없이 {6} (= (1 − p) × {2})."),
    "bn_intro": B("BatchNorm normalises each channel of the feature maps with the batch's mean and standard "
                  "deviation: after it every channel has mean 0 and std 1 (seed 003, BatchNorm2d).",
                  "배치 정규화는 특성 맵의 채널마다 배치의 평균과 표준편차로 정규화함: 평균 0, 표준편차 1."),
    "bn_empty": B("No feature maps to show: open this page in the app with a network that has a conv layer "
                  "(the Draw panel's input goes through it).",
                  "보여 줄 특성 맵이 없음: 합성곱층이 있는 신경망으로 앱에서 여세요 (그리기 패널의 입력 사용)."),
    "bn_source": B("Input to {0}: the Draw panel's image through the current network ({1}).",
                   "{0}의 입력: 그리기 패널의 이미지가 현재 신경망을 지난 특성 맵 ({1})."),
    "trained": B("trained weights", "학습된 가중치"), "untrained": B("untrained weights", "학습 전 가중치"),
    "channel": B("Channel", "채널"),
    "stat_rows": B("mean|std|mean after|std after", "평균|표준편차|정규화 후 평균|정규화 후 표준편차"),
    "before": B("Before: mean {0}, std {1}", "정규화 전: 평균 {0}, 표준편차 {1}"),
    "after": B("After: mean {0}, std {1}", "정규화 후: 평균 {0}, 표준편차 {1}"),
    "shift_intro": B("seed 004: pooling is robust to small changes of the input. The picture moves one pixel "
                     "right; most drawn pixels change, fewer 2×2 max-pooled cells do.",
                     "seed 004: 풀링은 입력의 변화에 영향을 적게 받음(강건함). 그림을 오른쪽으로 한 픽셀 이동."),
    "dx": B("Shift right by (pixels)", "오른쪽 이동 (픽셀)"),
    "coverage_title": B("Windows per cell: col2im(im2col(1))", "칸마다 창의 수: col2im(im2col(1))"),
    "original": B("Input", "입력"), "shifted": B("Shifted by one pixel", "한 픽셀 이동"),
    "pooled": B("Max pooled 2×2", "최대 풀링 2×2"), "pooled_shifted": B("Shifted, max pooled", "이동 후 최대 풀링"),
    "shift_numbers": B("Drawn pixels that changed: {0}.  Pooled cells that changed: {1}.",
                       "바뀐 입력 픽셀: {0}.  바뀐 풀링 결과: {1}."),
    "dense_intro": B("A DNN flattens the image and connects every pixel to every unit; a conv layer connects a "
                     "unit to a K×K patch and shares the same weights everywhere (seed 002, seed 003).",
                     "DNN은 이미지를 평탄화해 모든 픽셀을 모든 유닛에 연결; 합성곱층은 K×K 영역만 연결하고 "
                     "가중치를 공유함."),
    "dense_rows": B("Input {1} → {2} values once flattened.|{3}: output {4}, {5} parameters.|"
                    "A linear layer from the {2} flat values to the same {6} outputs: {2}·{6} + {6} = {7} "
                    "parameters ({8}× more).|This network: {9} parameters before the flatten, {10} after it.",
                    "입력 {1} → 평탄화하면 {2}개.|{3}: 출력 {4}, 파라미터 {5}개.|"
                    "평탄화한 {2}개에서 같은 {6}개 출력으로 가는 완전연결층: {2}·{6} + {6} = {7}개 ({8}배).|"
                    "이 신경망: 평탄화 전 파라미터 {9}개, 후 {10}개."),
    "flat_loses": B("What flattening loses: pixel (r, c) and the one below it are neighbours in the image but "
                    "{0} places apart in the flat vector; a linear layer treats all {1} inputs alike, so "
                    "shuffling the pixels (the same way for every image) teaches it nothing new, while a conv "
                    "layer relies on the neighbourhood.",
                    "평탄화가 잃는 것: 픽셀 (r, c)와 바로 아래 픽셀은 이미지에서 이웃이지만 펼친 벡터에서는 "
                    "{0}칸 떨어짐; 완전연결층은 {1}개 입력을 똑같이 다루므로 공간적 구조를 무시함."),
    "no_conv": B("This network has no conv layer.", "이 신경망에는 합성곱층이 없음."),
    "network": B("Network: {0}", "신경망: {0}"),
    "memory_intro": B("seed 004: im2col copies every window into a row, so overlapping windows repeat the "
                      "same input values: more memory, one fast matrix product.",
                      "seed 004: im2col은 창마다 한 행으로 복사하므로 겹치는 창이 같은 값을 반복함: "
                      "메모리는 더 쓰고 큰 행렬 곱 한 번으로 계산."),
    "memory_head": B("Layer|Input C×H×W|Kernel|im2col matrix|Input|Matrix|×",
                     "층|입력 C×H×W|커널|im2col 행렬|입력|행렬|배"),
    "coverage": B("col2im(im2col(x)) adds the overlapping windows back: each cell of the 6×6 example "
                  "(3×3, stride 1) comes back times how many windows read it. {0} matrix entries for {1} cells.",
                  "col2im은 겹치는 창을 더해 되돌림: 6×6 예제(3×3, 스트라이드 1)의 각 칸은 읽힌 창의 수만큼 "
                  "곱해져 돌아옴. 입력 {1}칸에 행렬 원소 {0}개."),
    "errata_intro": B("The notes' misprints, the correct statement and a check computed now by the engine and "
                      "torch.", "노트의 오류, 올바른 내용, 그리고 엔진과 torch로 지금 계산한 확인."),
    "errata_head": B("Note|Where|Printed|Correct|Live check", "노트|위치|인쇄된 내용|올바른 내용|확인"),
    "holds": B("✓ confirmed", "확인됨"), "fails": B("✗ check failed", "확인 실패"),
}
