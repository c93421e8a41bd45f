"""Seeded fuzzing of everything a spec file can hold, through ``from_json`` and ``analyze``.

Over a thousand random and malformed specs: random JSON values, wrong types at every level, huge,
negative, float and bool numbers, long strings, unknown keys and types, deep nesting, oversize
files and mutated valid stacks. Only ``SpecError`` may come out; every rejection names its layer
or field; every spec ``analyze`` accepts builds and trains a batch on the fast path; every fix
applies. The CLI answers crafted files with exit 2 and one line.
"""

import json
import math
import random
import subprocess
import sys
from pathlib import Path

import torch

from engine.model.budget import MAX_ACTIVATION_BYTES, MAX_INPUT_SIDE, MAX_LAYERS, MAX_PARAMS
from engine.model.build import build_model, training_view
from engine.model.shapes import analyze, apply_fix
from engine.model.spec import LAYER_SCHEMAS, LAYER_TYPES, NetworkSpec, SpecError

ROOT = Path(__file__).resolve().parents[2]
CASES = 3000
#: Whole-file reasons: they have no layer or field to name.
FILE_LEVEL = ("not valid JSON", "not readable JSON", "too large", "nested more than", "a spec must be a JSON object",
              "not UTF-8")
NASTY_NUMBERS = [0, -1, -(10**30), 10**30, 2**63, 1.5, -0.0, 1e308, True, False, 65537, 4097, 10**12]


def random_json(rng: random.Random, depth: int = 0):
    roll = rng.random()
    if depth > 3 or roll < 0.45:
        return rng.choice([None, True, False, rng.randint(-10, 10**6), rng.random() * 1e6, -rng.random(),
                           "", "conv2d", "x" * rng.randint(0, 300), "\n\x00", "same", "relu", 1e300, -7])
    if roll < 0.7:
        return [random_json(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    keys = ["type", "name", "input", "layers", "num_classes", "out_channels", "kernel_size", "p", "bias", "zz"]
    return {rng.choice(keys): random_json(rng, depth + 1) for _ in range(rng.randint(0, 4))}


def valid_spec(rng: random.Random) -> dict:
    """A small valid network with several layer types."""
    c, side = rng.choice([1, 3]), rng.randint(6, 16)
    layers = [{"type": "conv2d", "out_channels": rng.randint(1, 8), "kernel_size": 3, "padding": 1}]
    layers += [{"type": rng.choice(["relu", "sigmoid", "tanh", "leaky_relu", "gelu", "batchnorm2d"])}
               for _ in range(rng.randint(0, 2))]
    layers += [{"type": "maxpool2d", "kernel_size": 2}, {"type": "relu"}]
    if rng.random() < 0.5:
        layers += [{"type": "dropout2d", "p": 0.25}, {"type": "avgpool2d", "kernel_size": 1}]
    layers += [{"type": "flatten"}, {"type": "linear", "out_features": rng.randint(4, 32)},
               {"type": rng.choice(["relu", "dropout"])}, {"type": "linear", "out_features": 5}]
    return {"name": "fuzz", "input": [c, side, side], "num_classes": 5, "layers": layers}


def mutate(rng: random.Random, data: dict) -> dict:
    """One mutation at a random level: a value, a key, a type, the layer list itself."""
    data = json.loads(json.dumps(data))
    nasty = rng.choice(NASTY_NUMBERS + [random_json(rng), "x" * 5000, [3, 3, 3], [], {}, None])
    try:
        _mutate_in_place(rng, data, nasty)
    except (TypeError, KeyError, IndexError, AttributeError, ValueError):  # an earlier mutation broke the shape
        data[rng.choice(["name", "input", "num_classes", "layers"])] = nasty
    return data


def _mutate_in_place(rng: random.Random, data: dict, nasty) -> None:
    layers = data["layers"]
    roll = rng.randrange(10)
    if roll == 0:
        data[rng.choice(["name", "input", "num_classes", "layers"])] = nasty
    elif roll == 1:
        data["input"][rng.randrange(3)] = nasty
    elif roll == 2:
        layer = rng.choice(layers)
        keys = list(LAYER_SCHEMAS[layer["type"]]) or ["p"]
        layer[rng.choice(keys)] = nasty
    elif roll == 3:
        rng.choice(layers)["type"] = rng.choice([nasty, "conv3d", "RELU", rng.choice(LAYER_TYPES)])
    elif roll == 4:
        rng.choice(layers)[rng.choice(["in_channels", "extra", "", "type2"])] = nasty
    elif roll == 5:
        layers[rng.randrange(len(layers))] = nasty
    elif roll == 6:  # big but in-range numbers: the size budget
        for layer in layers:
            for key in ("out_channels", "out_features"):
                if key in layer:
                    layer[key] = rng.choice([4096, 65536, layer[key] * rng.randint(1, 400)])
        data["input"] = [rng.choice([1, 3, 4]), rng.choice([16, 512, 1024]), rng.choice([16, 1024])]
    elif roll == 7:
        data["layers"] = layers * rng.choice([2, 30, 40])
    elif roll == 8:
        rng.shuffle(layers)
    else:
        del layers[rng.randrange(len(layers))]


def crafted_texts() -> list:
    """Whole files a hostile tester would write."""
    deep = "[" * 100_000 + "]" * 100_000
    return [
        '{"layers": [{"type": [1, 2]}]}', '{"layers": [{"type": {"a": 1}}]}',
        '{"num_classes": 1' + "0" * 5000 + "}", '{"input": [1, 1' + "0" * 400 + ', 28]}',
        deep, '{"layers": ' + deep + "}", '{"a": "' + "[" * 50_000 + '"}',
        json.dumps({"name": "x" * 5_000_000}), json.dumps({"name": "a\nb"}), '{"name": "\\u0000"}',
        '{"layers": [{"type": "dropout", "p": NaN}]}', '{"layers": [{"type": "dropout", "p": Infinity}]}',
        '{"layers": [{"type": "linear", "out_features": 1e400}]}', '{"input": [3, 30000, 30000]}',
        '{"layers": [{"type": "relu", "\\ud800": 1}]}', "", "   ", "null", "[]", '"spec"', "{", '{"a": 1,}',
        b"\xff\xfe\x00", '{"layers": [' + ",".join(['{"type": "relu"}'] * 300) + "]}",
        json.dumps({"input": [1, 28, 28], "layers": [{"type": "flatten"}] + [
            {"type": "linear", "out_features": 65536}] * 3 + [{"type": "linear", "out_features": 10}]}),
    ]


def check_rejection(exc: SpecError) -> None:
    text = str(exc)
    assert "\n" not in text and len(text) < 3000, text[:300]
    for index, key, message in exc.problems:
        assert index is not None or key is not None or message.startswith(FILE_LEVEL), message
        if key is not None:
            assert len(key) <= 60 and "\n" not in key


def train_one_batch(spec: NetworkSpec) -> None:
    torch.manual_seed(0)
    model = build_model(spec, inplace=True).train()
    fast = training_view(spec, model)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    x = torch.randn(2, *spec.input)
    loss = torch.nn.functional.cross_entropy(fast(x), torch.tensor([0, spec.num_classes - 1]))
    loss.backward()
    optimizer.step()
    assert math.isfinite(loss.item())


def run_case(text, counts: dict) -> None:
    try:
        spec = NetworkSpec.from_json(text)
    except SpecError as exc:
        check_rejection(exc)
        counts["refused"] += 1
        return
    report = analyze(spec)
    if not report.ok:
        counts["errors"] += 1
        for problem in report.errors:
            assert problem.layer is not None or problem.index is not None or any(
                word in problem.message for word in ("class", "parameters", "activations", "input")), problem
        fix = report.errors[0].fix
        if fix is not None:
            apply_fix(spec, fix)  # a fix is always a valid edit
        return
    assert report.total_params <= MAX_PARAMS and report.total_activation_bytes <= MAX_ACTIVATION_BYTES
    assert max(spec.input[1:]) <= MAX_INPUT_SIDE and len(spec.layers) <= MAX_LAYERS
    if report.total_macs <= 5e7:
        train_one_batch(spec)
        counts["trained"] += 1
    else:
        counts["too_slow_to_train_here"] += 1


def test_fuzz_specs():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # tiny networks: one thread beats a contended pool several times over
    try:
        counts = fuzz(random.Random(7))
    finally:
        torch.set_num_threads(threads)
    assert sum(counts.values()) == CASES
    assert counts["refused"] > 1000 and counts["errors"] > 100 and counts["trained"] > 300, counts
    assert counts["too_slow_to_train_here"] < counts["trained"] // 10, counts


def fuzz(rng: random.Random) -> dict:
    counts = {"refused": 0, "errors": 0, "trained": 0, "too_slow_to_train_here": 0}
    texts = crafted_texts()
    for i in range(CASES):
        roll = i % 4
        if roll == 0:
            text = json.dumps(random_json(rng))
        elif roll == 1:
            text = json.dumps(mutate(rng, valid_spec(rng)))
        elif roll == 2:
            text = json.dumps(mutate(rng, mutate(rng, valid_spec(rng))))
        else:
            text = json.dumps(valid_spec(rng)) if i % 8 == 3 else texts[(i // 4) % len(texts)]
        run_case(text, counts)
    return counts


def run_cli(*args):
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)


def test_cli_summary_answers_crafted_files_in_one_line(tmp_path):
    texts = crafted_texts()
    picks = {"type_list": texts[0], "digits": texts[2], "deep": texts[4], "huge_name": texts[7],
             "huge_input": texts[13]}
    for name, text in picks.items():
        path = tmp_path / f"{name}.json"
        path.write_text(text)
        result = run_cli("summary", "--spec", str(path))
        assert result.returncode == 2, (name, result.stdout[-500:], result.stderr[-500:])
        assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1, (name, result.stderr)
    wide = tmp_path / "wide.json"
    wide.write_text(texts[-1])  # three 65,536-wide linear layers: within every field's range, over the budget
    result = run_cli("summary", "--spec", str(wide))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "more than the budget of 100,000,000" in result.stdout and "fix: set out_features of fc" in result.stdout
