"""The seed notes' misprints, each with the correct statement and a LIVE check.

Every :class:`Erratum` quotes the note, says what is right (English and Korean, as the explainer
shows both) and carries a check that computes, now, the misprint's value, the correct value and
a reference from the engine or torch (the real preset specs, ``conv_output_size``, ``nn.Dropout``).
:func:`run_checks` runs them all; a check holds when the correct value matches the reference and
the misprint does not.

Torch is imported inside the checks that need it, so importing this module stays light.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from engine.model.geometry import conv_output_size
from engine.model.presets import PRESETS
from engine.model.shapes import analyze
from engine.teach.examples import SEED003_POOL_INPUT
from engine.teach.words import Bilingual

__all__ = ["LiveCheck", "Erratum", "ERRATA", "run_checks", "conv_layers"]


@dataclass(frozen=True)
class LiveCheck:
    """What a check computed: the misprint's value, the correct value and the reference truth."""

    misprint: Any
    correct: Any
    reference: Any
    detail: str  # the computation written out (numbers and formulas, language-neutral)

    @property
    def holds(self) -> bool:
        return self.correct == self.reference and self.misprint != self.reference


@dataclass(frozen=True)
class Erratum:
    """A misprint of one note: where, as printed, the correction, and its live check."""

    key: str
    note: str  # "seed 002"
    where: str  # the section or line, as the note names it
    printed: str  # verbatim
    correct: Bilingual
    check: Callable[[], LiveCheck]


def conv_layers(preset: str) -> list:
    """The conv2d :class:`LayerReport` s of a preset, in order."""
    return [layer for layer in analyze(PRESETS[preset].spec).layers if layer.type == "conv2d"]


def _params_formula() -> LiveCheck:
    conv2 = conv_layers("seed000")[1]
    n, d = conv2.output_shape[0], conv2.input_shape[0]
    f = 3
    wrong, right = n * (f * f * d + d), n * (f * f * d + 1)
    import torch.nn as nn

    torch_count = sum(p.numel() for p in nn.Conv2d(d, n, f).parameters())
    return LiveCheck(wrong, right, conv2.params,
                     f"seed000 conv2 ({d}→{n}, {f}×{f}): N×(F²D+D) = {n}×({f * f}·{d}+{d}) = {wrong:,};  "
                     f"N×(F²D+1) = {n}×({f * f}·{d}+1) = {right:,};  spec {conv2.params:,}, torch {torch_count:,}")


def _conv_shape(h: int, w: int, fh: int, fw: int, stride: int = 1, pad: int = 0) -> tuple[int, int]:
    """The (OH, OW) torch's Conv2d gives for an ``h``×``w`` input and an ``fh``×``fw`` filter."""
    import torch

    out = torch.nn.functional.conv2d(torch.zeros(1, 1, h, w), torch.zeros(1, 1, fh, fw), stride=stride, padding=pad)
    return int(out.shape[2]), int(out.shape[3])


def _height_with_w() -> LiveCheck:
    h, w, f, s, p = 20, 28, 5, 1, 0
    wrong, right = conv_output_size(w, f, s, p), conv_output_size(h, f, s, p)
    return LiveCheck(wrong, right, _conv_shape(h, w, f, f, s, p)[0],
                     f"H×W = {h}×{w}, F={f}: (W+2P−F)/S+1 = {wrong};  (H+2P−F)/S+1 = {right};  "
                     f"torch output height {right}")


def _pool_size() -> LiveCheck:
    size, f, s = 7, 3, 2  # seed000's 7×7 map, a 3×3 window with stride 2 (overlapping, as in AlexNet)
    import torch

    ref = int(torch.nn.functional.max_pool2d(torch.zeros(1, 1, size, size), f, s).shape[-1])
    wrong, right = round(size / f, 3), conv_output_size(size, f, s)
    agree = [f"{layer.input_shape[1]}/2 = {layer.output_shape[1]}" for layer in analyze(PRESETS["seed003"].spec).layers
             if layer.type == "maxpool2d"]
    return LiveCheck(wrong, right, ref,
                     f"IF={size}, F={f}, S={s}: IF/F = {wrong};  floor((IF−F)/S)+1 = {right};  torch {ref}.  "
                     f"(IF/F only holds when S = F and F divides IF, as in seed003's own pools: {', '.join(agree)})")


def _out_w_with_fh() -> LiveCheck:
    h, w, fh, fw = 7, 7, 5, 3
    wrong, right = int(1 + (w - fh) / 1), int(1 + (w - fw) / 1)
    return LiveCheck(wrong, right, _conv_shape(h, w, fh, fw)[1],
                     f"(1, 1, {h}, {w}) input, FH×FW = {fh}×{fw}: 1+(W+2P−FH)/S = {wrong};  1+(W+2P−FW)/S = {right};  "
                     f"torch out_w {right}")


def _dropout_scale() -> LiveCheck:
    import torch

    p = 0.3
    drop = torch.nn.Dropout(p)
    drop.train()
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        kept = drop(torch.ones(10_000))
    ref = round(float(kept.max()), 4)
    wrong, right = round(1 / (1 - 0.7), 4), round(1 / (1 - p), 4)
    return LiveCheck(wrong, right, ref, f"p = {p}: 1/(1−0.7) = {wrong};  1/(1−p) = 1/0.7 = {right};  "
                                        f"torch Dropout({p}) keeps ones as {ref}")


def _grey_channels() -> LiveCheck:
    import torch

    channels = PRESETS["seed000"].spec.input[0]
    ref = int(torch.nn.Conv2d(channels, 32, 3).weight.shape[1])
    return LiveCheck(0, channels, ref, f"seed000 input {tuple(PRESETS['seed000'].spec.input)}: C = {channels};  "
                                       f"conv1 weight (32, {ref}, 3, 3) (torch)")


def _first_pool_window() -> LiveCheck:
    window = SEED003_POOL_INPUT[:2, :2].ravel()
    printed = np.array([3, -1, 3, -1], dtype=float)
    avg_printed = 0.0  # the note's own average line: 0 = (3 + (−1) + (−3) + 1) / 4
    import torch

    ref = float(torch.nn.functional.avg_pool2d(torch.tensor(SEED003_POOL_INPUT)[None, None], 2)[0, 0, 0, 0])
    return LiveCheck(float(printed.mean()), float(window.mean()), ref,
                     f"mean(3, −1, 3, −1) = {printed.mean():g};  mean(3, −1, −3, 1) = {window.mean():g};  "
                     f"the note's average line {avg_printed:g}, torch avg_pool2d {ref:g}; max is 3 either way")


def _kernel_count() -> LiveCheck:
    import torch

    conv2 = conv_layers("seed000")[1]
    weight = tuple(torch.nn.Conv2d(conv2.input_shape[0], conv2.output_shape[0], 3).weight.shape)
    return LiveCheck(weight[0], conv2.input_shape[0], weight[1],
                     f"seed000 conv2: input {conv2.input_shape[0]} channels, {weight[0]} kernels; "
                     f"weight {weight} = (kernels, channels per kernel, 3, 3)")


def _convolution_flip() -> LiveCheck:
    import torch

    x, k = np.array([1.0, 2.0, 4.0, 8.0]), np.array([1.0, 0.0, -1.0])
    flipped = np.convolve(x, k, mode="valid").tolist()
    correlated = np.correlate(x, k, mode="valid").tolist()
    ref = torch.nn.functional.conv1d(torch.tensor(x)[None, None], torch.tensor(k)[None, None])[0, 0].tolist()
    return LiveCheck(flipped, correlated, ref, f"x = [1, 2, 4, 8], k = [1, 0, −1]: ∫f(t)g(x−t) (flipped) = {flipped};  "
                                               f"Σ x[i+t]·k[t] = {correlated};  torch conv1d {ref}")


def _same_size_claim() -> LiveCheck:
    import torch

    ref = int(torch.nn.functional.conv1d(torch.ones(1, 1, 5), torch.tensor([[[0.25, 0.5, 0.25]]])).shape[-1])
    return LiveCheck(5, 5 - 3 + 1, ref, "[1,1,1,1,1] ∗ [0.25,0.5,0.25]: W = 5;  W−k+1 = 3 (the note's own "
                                        f"[1, 1, 1]);  torch conv1d length {ref}")


def _written_formula() -> LiveCheck:
    i, k, p, s = 28, 3, 1, 2
    wrong = i - k + 2 / s + 1  # "(28-3+2/1 + 1)" with the stride in the place the note wrote 1
    right = conv_output_size(i, k, s, p)
    return LiveCheck(wrong, right, _conv_shape(i, i, k, k, s, p)[0],
                     f"with S = {s}: {i}−{k}+2/{s}+1 = {wrong:g};  floor(({i}−{k}+2·{p})/{s})+1 = {right};  "
                     f"torch {right}. (With S = 1 both give 28, which hides the slip.)")


def _lowercase_conv2d() -> LiveCheck:
    import torch.nn as nn

    lower, upper = hasattr(nn, "conv2d"), hasattr(nn, "Conv2d")
    return LiveCheck(lower, upper, True, f"hasattr(nn, 'conv2d') = {lower};  hasattr(nn, 'Conv2d') = {upper}")


def _pad_key() -> LiveCheck:
    conv_param = {"filter_num": 30, "filter_size": 5, "pad": 0, "stride": 1}  # the note's default
    return LiveCheck("filter_pad" in conv_param, "pad" in conv_param, True,
                     f"conv_param keys {sorted(conv_param)}: 'filter_pad' missing (KeyError), 'pad' present")


def _pool_pad() -> LiveCheck:
    import torch

    h, f, s, pad = 5, 2, 2, 1
    ref = int(torch.nn.functional.max_pool2d(torch.zeros(1, 1, h, h), f, s, pad).shape[-1])
    return LiveCheck(int(1 + (h - f) / s), conv_output_size(h, f, s, pad), ref,
                     f"H={h}, pool {f}, stride {s}, pad {pad}: 1+(H−pool_h)/S = {int(1 + (h - f) / s)};  "
                     f"1+(H+2·pad−pool_h)/S = {conv_output_size(h, f, s, pad)};  torch {ref}")


def _arange_comment() -> LiveCheck:
    values = np.arange(0, 100, 3)
    return LiveCheck(1, int(values[0]), 0, f"np.arange(0, 100, 3) = [{values[0]}, {values[1]}, …, {values[-1]}]: "
                                          f"{values.size} numbers; resize(6, 4) keeps the first 24")


def _format_string() -> LiveCheck:
    def outcome(template: str) -> str:
        try:
            return template.format(1, 0, 60000, 0.0, 2.300701)
        except ValueError as exc:
            return f"ValueError: {exc}"

    printed = outcome("Train Epoch: {} [{}/{} ({:.0f}%)]\tLoss:[:.6f}")
    fixed = outcome("Train Epoch: {} [{}/{} ({:.0f}%)]\tLoss:{:.6f}")
    return LiveCheck(printed, fixed, "Train Epoch: 1 [0/60000 (0%)]\tLoss:2.300701",
                     f"printed → {printed!r};  fixed → {fixed!r} (the note's own output line)")


def _row_index() -> LiveCheck:
    exmap = np.arange(0, 100, 3)[:24].reshape(6, 4)
    third, fourth = exmap[2].tolist(), exmap[3].tolist()
    return LiveCheck(third, fourth, exmap[3].tolist(),
                     f"exmap (6×4) rows: the 3rd is {third}, the 4th is {fourth}; exmap[3] = {fourth}, "
                     f"exmap[3, 3] = {int(exmap[3, 3])} (4th row, 4th column)")


def _layer_key() -> LiveCheck:
    layers = ["Convl", "Relul", "Pooll", "Affinel", "Relu2", "Affine2"]  # as the note builds them
    return LiveCheck("Conv1" in layers, "Conv1" in [name.replace("l", "1") for name in layers], True,
                     f"keys built: {layers};  'Conv1' in keys = {'Conv1' in layers} (KeyError in gradient())")


_E = Erratum
_B = Bilingual
ERRATA: tuple[Erratum, ...] = (
    _E("params", "seed 002", "Parameter, Feature Map size in Convolution Layer", "파라미터 수 N×(F²×D+D (bias))",
       _B("Parameters N×(F²×D + 1): one bias per filter, not D.",
          "파라미터 수 N×(F²×D + 1): 편향은 필터마다 1개이지 D개가 아님."),
       _params_formula),
    _E("height", "seed 002", "Parameter, Feature Map size in Convolution Layer", "H′ = (W+2P−F)/S+1",
       _B("H′ = (H + 2P − F)/S + 1: the height comes from the input's height.",
          "H′ = (H + 2P − F)/S + 1: 높이는 입력의 높이로 계산함."),
       _height_with_w),
    _E("flip", "seed 002", "Convolution Layer", "(f∗g)(x) = ∫ f(t) g(x−t) dt",
       _B("A CNN layer computes cross-correlation, Σ x[i+t]·k[t]: the kernel is not flipped.",
          "CNN의 합성곱층은 커널을 뒤집지 않는 교차상관 Σ x[i+t]·k[t]를 계산함."), _convolution_flip),
    _E("pool_size", "seed 003", "5.2 MaxPool2d 출력 크기", "출력 크기 = IF/F",
       _B("Output size floor((IF − F)/S) + 1; IF/F only when S = F and F divides IF.",
          "출력 크기 floor((IF − F)/S) + 1; IF/F는 S = F이고 F가 IF를 나눌 때만 맞음."), _pool_size),
    _E("dropout", "seed 003", "torch.nn.Dropout(p)", "p=0.3 … (1/(1−0.7))만큼 커짐",
       _B("Kept values are scaled by 1/(1 − p) = 1/(1 − 0.3) = 1/0.7 ≈ 1.43.",
          "남은 값은 1/(1 − p) = 1/(1 − 0.3) = 1/0.7 ≈ 1.43배가 됨."), _dropout_scale),
    _E("pool_window", "seed 003", "그림 5-13 첫 번째 최대 풀링", "3, -1, 3, -1 값 중에서 최댓값(3)",
       _B("The first window is 3, −1, −3, 1 (the note's average line uses it); the maximum is 3.",
          "첫 번째 창은 3, −1, −3, 1 (평균 풀링 줄이 이 값을 씀); 최댓값은 3."), _first_pool_window),
    _E("same_size", "seed 003", "5.1.3 1D, 2D, 3D 합성곱", "입력(W)과 필터(k)에 대한 출력은 W가 됨",
       _B("Without padding the output has W − k + 1 values: [1,1,1,1,1] ∗ [.25,.5,.25] = [1, 1, 1] has 3.",
          "패딩이 없으면 출력 길이는 W − k + 1: [1,1,1,1,1] ∗ [.25,.5,.25] = [1, 1, 1]은 3개."), _same_size_claim),
    _E("arange", "seed 003", "배열에 대한 사용 예시", "np.arange(0, 100, 3) # 1~99의 숫자에서 3씩",
       _B("np.arange(0, 100, 3) starts at 0: 0, 3, …, 99 (34 numbers).",
          "np.arange(0, 100, 3)은 0부터 시작: 0, 3, …, 99 (34개)."), _arange_comment),
    _E("grey", "seed 000", "채널(Channel)", "흑백 이미지: 채널 수 0",
       _B("A greyscale image has 1 channel.", "흑백 이미지: 채널 수 1."), _grey_channels),
    _E("kernel_count", "seed 000", "3차원 텐서의 합성곱 연산", "입력 데이터의 커널 수 = 커널의 채널 수",
       _B("The input's CHANNEL count = the kernel's channel count.", "입력 데이터의 채널 수 = 커널의 채널 수."),
       _kernel_count),
    _E("written_formula", "seed 000", "In [8] comment", "# (28-3+2/1 + 1) = 28",
       _B("(28 − 3 + 2·1)/1 + 1 = 28: the padding term is 2P and the whole difference is divided by S.",
          "(28 − 3 + 2·1)/1 + 1 = 28: 패딩 항은 2P이고 S로 나누는 것은 차이 전체."), _written_formula),
    _E("out_w", "seed 004", "7.4.3 Convolution.forward", "out_w = int(1 + (W + 2*self.pad - FH) / self.stride)",
       _B("out_w uses the filter's width: int(1 + (W + 2·pad − FW) / stride).",
          "out_w는 필터의 너비로 계산: int(1 + (W + 2·pad − FW) / stride)."), _out_w_with_fh),
    _E("pool_pad", "seed 004", "7.4.4 Pooling.forward", "out_h = int(1 + (H - self.pool_h) / self.stride)",
       _B("With padding: int(1 + (H + 2·pad − pool_h) / stride), as im2col pads.",
          "패딩이 있으면 int(1 + (H + 2·pad − pool_h) / stride) (im2col이 패딩하므로)."), _pool_pad),
    _E("pad_key", "seed 004", "7.5 SimpleConvNet", "filter_pad = conv_param['filter_pad']",
       _B("The key is 'pad': conv_param['pad'] (the default dict has no 'filter_pad').",
          "키는 'pad': conv_param['pad'] (기본 딕셔너리에 'filter_pad'가 없음)."), _pad_key),
    _E("format", "seed 001", "7-4 def train", "'…\\tLoss:[:.6f}'.format(…)",
       _B("The placeholder is {:.6f}; '[:.6f}' raises ValueError (a single '}').",
          "자리표시자는 {:.6f}; '[:.6f}'는 ValueError를 냄 (짝 없는 '}')."), _format_string),
    _E("row_index", "seed 003", "배열에 대한 사용 예시", "exmap[3] # 3행에 해당하는 모든 요소 출력",
       _B("Indices start at 0: exmap[3] is the 4th row, exmap[3, 3] its 4th column.",
          "인덱스는 0부터: exmap[3]은 4번째 행, exmap[3, 3]은 그 행의 4번째 열."), _row_index),
    _E("layer_key", "seed 004", "7.5 SimpleConvNet", "self.layers['Convl'] … self.layers['Conv1'].dW",
       _B("One name in both places: 'Conv1' (the letter l was typed for the digit 1; also 'Affinel').",
          "두 곳에 같은 이름 'Conv1' (숫자 1 대신 문자 l; 'Affinel'도 같음)."), _layer_key),
    _E("conv2d_case", "seed 001", "7-4 class CNN", "self.conv1 = nn.conv2d(1, 10, kernel_size=5)",
       _B("The class is nn.Conv2d (capital C); nn.conv2d does not exist.",
          "클래스 이름은 nn.Conv2d (대문자 C); nn.conv2d는 없음."), _lowercase_conv2d),
)


def run_checks() -> dict[str, LiveCheck]:
    """Every erratum's live check, by key."""
    return {erratum.key: erratum.check() for erratum in ERRATA}
