"""glibc keeps a training step's freed pages for the next step (engine.training.allocator)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from engine.training.allocator import tune_malloc

ROOT = Path(__file__).resolve().parents[2]

# 20 steps to warm up, then the page faults of 20 more, seed000 at batch 100 in fp32 (a fresh process).
# Without the tuning these steps fault about 5,900 pages each here; with it, none (122 once, under load).
STEPS = """
import json, resource, sys, torch
from engine.model.build import build_model, training_view
from engine.model.presets import PRESETS
from engine.training.allocator import tune_malloc
tuned = tune_malloc() if sys.argv[1] == "tuned" else False
torch.manual_seed(0)
torch.set_num_threads(1)
spec = PRESETS["seed000"].spec
model = build_model(spec, inplace=True).to(memory_format=torch.channels_last)
view = training_view(spec, model)
optimizer = torch.optim.Adam(model.parameters(), 1e-3)
x = torch.rand(100, 1, 28, 28).contiguous(memory_format=torch.channels_last)
y = torch.randint(0, 10, (100,))
def step():
    loss = torch.nn.functional.cross_entropy(view(x), y)
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    optimizer.step()
for _ in range(20):
    step()
windows = []  # the fewest faults of 4 windows of 5 steps: a one-off elsewhere in the process does not count
for _ in range(4):
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(5):
        step()
    windows.append((resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before) / 5)
print(json.dumps({"tuned": tuned, "faults_per_step": min(windows), "windows": windows}))
"""


def faults_per_step(mode: str) -> dict:
    result = subprocess.run([sys.executable, "-c", STEPS, mode], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


glibc = pytest.mark.skipif(not sys.platform.startswith("linux") or not tune_malloc(), reason="needs glibc's mallopt")


@glibc
def test_tuned_steps_reuse_their_pages():
    tuned = faults_per_step("tuned")
    assert tuned["tuned"] is True
    assert tuned["faults_per_step"] < 1000, tuned  # a 10 MB activation alone is 2,500 fresh pages


@glibc
def test_tuning_is_set_once_and_says_so():
    assert tune_malloc() is True and tune_malloc() is True
