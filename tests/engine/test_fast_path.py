"""The trainer's fast path (in-place activations, max-pool before ReLU) is exact or not taken.

Property: over hundreds of seeded random valid stacks, with every layer type and the activation
chains that break a naive in-place policy, the training view gives the plain model's output, the
gradient of every parameter and of the input, and the same batch-norm statistics; backward never
raises. Dropout draws the same masks in both because the RNG is seeded the same before each run
(the swap never moves a dropout layer), and dropout with p = 0 is included.
"""

import random

import pytest
import torch

from engine.model.build import build_model, inplace_layers, safe_inplace, train_order, training_view
from engine.model.layers import LAYERS
from engine.model.presets import PRESETS
from engine.model.shapes import analyze
from engine.model.spec import NetworkSpec

IMAGE_KINDS = ["conv2d", "maxpool2d", "avgpool2d", "adaptiveavgpool2d", "batchnorm2d", "dropout2d"]
ACTIVATIONS = ["relu", "leaky_relu", "tanh", "sigmoid", "gelu", "dropout"]
#: Chains where an in-place layer would overwrite what the layer before saved (or the input).
CHAINS = [
    ["sigmoid", "relu"], ["relu", "relu"], ["relu", "maxpool2d", "relu"], ["tanh", "leaky_relu"],
    ["batchnorm2d", "relu"], ["dropout", "relu"], ["dropout2d", "relu"], ["relu", "dropout0", "relu"],
    ["sigmoid", "dropout0", "leaky_relu"], ["leaky_relu", "leaky_relu"], ["gelu", "relu"],
    ["conv2d", "relu", "maxpool2d"], ["relu", "maxpool2d"], ["tanh", "maxpool2d", "relu"],
]
HEAD_CHAINS = [["relu"], ["sigmoid", "relu"], ["relu", "relu"], ["tanh", "dropout0", "relu"], ["leaky_relu"],
               ["dropout", "relu"], ["gelu", "leaky_relu"]]
STACKS = 320


@pytest.fixture(autouse=True)
def one_thread():
    """Tiny networks: one torch thread is several times faster than a contended pool."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def _layer(kind: str, rng: random.Random) -> dict:
    if kind == "dropout0":
        return {"type": "dropout", "p": 0.0}
    layer = {"type": kind}
    if kind == "conv2d":
        layer.update(out_channels=rng.randint(1, 6), kernel_size=rng.choice([1, 3, [3, 1]]),
                     padding=rng.choice([1, "same"]), bias=rng.random() < 0.8)
    elif kind in ("maxpool2d", "avgpool2d"):
        layer.update(kernel_size=rng.choice([2, 2, 3]), stride=rng.choice([None, 1, 2]))
        if rng.random() < 0.3:
            layer["padding"] = 1
    elif kind == "adaptiveavgpool2d":
        layer["output_size"] = rng.choice([1, 2, [2, 3]])
    elif kind in ("dropout", "dropout2d"):
        layer["p"] = rng.choice([0.0, 0.3, 0.5])
    elif kind == "leaky_relu":
        layer["negative_slope"] = rng.choice([0.0, 0.01, 0.2])
    return layer


def _fits(spec_input: list, layers: list) -> bool:
    report = analyze(NetworkSpec.from_dict({"input": spec_input, "num_classes": 2, "layers": layers}))
    return len(report.layers) == len(layers) and not [e for e in report.errors if "class" not in e.message]


def random_stack(rng: random.Random) -> NetworkSpec:
    """A valid network: image units (single layers or a chain from CHAINS), flatten, a head."""
    shape = [rng.choice([1, 2, 3]), rng.randint(5, 12), rng.randint(5, 12)]
    layers: list = []
    for _ in range(rng.randint(1, 5)):
        if rng.random() < 0.5:
            unit = rng.choice(CHAINS)
        else:
            unit = [rng.choice(IMAGE_KINDS + ACTIVATIONS)]
        candidate = layers + [_layer(kind, rng) for kind in unit]
        if _fits(shape, candidate):
            layers = candidate
    layers.append({"type": "flatten"})
    if rng.random() < 0.4:
        layers += [_layer(kind, rng) for kind in rng.choice(HEAD_CHAINS)]
    for _ in range(rng.randint(0, 2)):
        layers.append({"type": "linear", "out_features": rng.randint(2, 12)})
        layers += [_layer(kind, rng) for kind in rng.choice(HEAD_CHAINS)]
    classes = rng.randint(2, 6)
    layers.append({"type": "linear", "out_features": classes, "bias": rng.random() < 0.9})
    spec = NetworkSpec.from_dict({"name": "random", "input": shape, "num_classes": classes, "layers": layers})
    assert analyze(spec).ok, spec.to_dict()
    return spec


def run_once(model: torch.nn.Module, x: torch.Tensor, g: torch.Tensor, seed: int, params) -> tuple:
    """Forward in train mode with the RNG seeded (same dropout masks), backward of ``<out, g>``."""
    x = x.clone().requires_grad_(True)
    torch.manual_seed(seed)
    out = model(x)
    out.backward(g)
    return out.detach(), x.grad, [p.grad for p in params]


def compare(spec: NetworkSpec, seed: int, channels_last: bool, naive: bool = False) -> None:
    """Raises (AssertionError, or autograd's RuntimeError) when the fast view differs from the plain
    model. ``naive``: the fast path as it was, every layer type that can run in place does."""
    torch.manual_seed(seed)
    plain = build_model(spec)
    fast_model = build_model(spec, inplace=not naive)
    if naive:
        for layer, module in zip(spec.layers, fast_model.children()):
            module.inplace = LAYERS[layer["type"]].inplace or getattr(module, "inplace", False)
    fast_model.load_state_dict(plain.state_dict())
    memory = torch.channels_last if channels_last else torch.contiguous_format
    plain, fast_model = plain.to(memory_format=memory).train(), fast_model.to(memory_format=memory).train()
    fast = training_view(spec, fast_model)
    x = torch.randn(3, *spec.input).contiguous(memory_format=memory)
    g = torch.randn(3, spec.num_classes)
    plain_params = [p for _, p in sorted(plain.named_parameters())]
    fast_params = [p for _, p in sorted(fast_model.named_parameters())]
    out_a, gx_a, grads_a = run_once(plain, x, g, seed + 1, plain_params)
    # the training view, and the in-place model run in the spec's own order (as inspection may)
    for run, model in enumerate((fast, fast_model) if fast is not fast_model and not naive else (fast,)):
        fast_model.zero_grad()
        out_b, gx_b, grads_b = run_once(model, x, g, seed + 1, fast_params)
        torch.testing.assert_close(out_b, out_a, rtol=1e-5, atol=1e-6)
        torch.testing.assert_close(gx_b, gx_a, rtol=1e-5, atol=1e-6)
        for a, b in zip(grads_a, grads_b):
            torch.testing.assert_close(b, a, rtol=1e-5, atol=1e-6)
        if run == 0:  # batch-norm running statistics after one step each
            for (name, a), (_, b) in zip(sorted(plain.named_buffers()), sorted(fast_model.named_buffers())):
                torch.testing.assert_close(b, a, msg=name)


def test_fast_view_equals_plain_model_over_random_stacks():
    rng = random.Random(2024)
    kinds, chains, inplace_used, inplace_refused = set(), set(), 0, 0
    for index in range(STACKS):
        spec = random_stack(rng)
        order = [spec.layers[spec.names.index(name)]["type"] for name in train_order(spec)]
        kinds.update(order)
        run = [layer["type"] + ("0" if layer.get("p") == 0 else "") for layer in spec.layers]
        chains.update(tuple(chain) for chain in CHAINS + HEAD_CHAINS
                      if any(run[i:i + len(chain)] == chain for i in range(len(run))))
        fast = inplace_layers(spec)
        candidates = [n for n, layer in zip(spec.names, spec.layers) if LAYERS[layer["type"]].inplace]
        inplace_used += len(fast)
        inplace_refused += len(candidates) - len(fast)
        try:
            compare(spec, seed=index, channels_last=index % 3 == 0)
        except (AssertionError, RuntimeError) as exc:
            raise AssertionError(f"stack {index}: {spec.to_dict()}") from exc
    assert kinds == set(LAYERS)  # every layer type took part
    assert len(chains) >= 12, chains
    assert inplace_used > 100 and inplace_refused > 100, (inplace_used, inplace_refused)


def test_naive_in_place_policy_breaks_on_the_same_stacks():
    """The property test has teeth: putting every ReLU in place breaks a good share of these stacks."""
    rng = random.Random(2024)
    broken = 0
    for index in range(STACKS):
        spec = random_stack(rng)
        try:
            compare(spec, seed=index, channels_last=index % 3 == 0, naive=True)
        except (AssertionError, RuntimeError):
            broken += 1
    assert broken >= STACKS // 10, broken


@pytest.mark.parametrize("kinds,expected", [
    (["conv2d", "relu", "maxpool2d"], {1}),
    (["relu", "conv2d"], set()),  # would overwrite the caller's batch
    (["conv2d", "sigmoid", "relu"], set()),  # sigmoid's backward reads its output
    (["conv2d", "tanh", "leaky_relu"], set()),
    (["conv2d", "relu", "relu"], {1}),  # relu_ keeps its result for backward
    (["conv2d", "batchnorm2d", "relu"], {2}),  # batchnorm keeps its input, not its output
    (["conv2d", "gelu", "relu"], {2}),
    (["conv2d", "leaky_relu", "relu"], {1}),  # the second reads the first's in-place result
    (["conv2d", "dropout", "relu"], {2}),
    (["conv2d", "sigmoid", "dropout", "relu"], set()),  # dropout may hand on its input itself
    (["conv2d", "relu", "flatten", "relu"], {1}),  # flatten is a view
    (["flatten", "relu"], set()),
    (["conv2d", "maxpool2d", "relu"], {2}),
    (["linear", "relu", "dropout", "linear", "relu"], {1, 4}),
])
def test_safe_inplace_reasons_per_pair(kinds, expected):
    assert safe_inplace(kinds) == expected


def test_relu_maxpool_relu_keeps_the_safe_half():
    spec = NetworkSpec.from_dict({"input": [1, 8, 8], "num_classes": 2, "layers": [
        {"type": "conv2d", "out_channels": 2, "padding": 1}, {"type": "relu"}, {"type": "maxpool2d"},
        {"type": "relu"}, {"type": "flatten"}, {"type": "linear", "out_features": 2}]})
    assert train_order(spec)[:4] == ["conv1", "pool1", "relu1", "relu2"]
    assert inplace_layers(spec) == {"relu1"}
    compare(spec, seed=0, channels_last=False)


@pytest.mark.parametrize("name", list(PRESETS))
def test_presets_keep_their_fast_path_and_stay_exact(name):
    spec = PRESETS[name].spec
    relus = {n for n, layer in zip(spec.names, spec.layers) if layer["type"] == "relu"}
    assert inplace_layers(spec) == relus  # every preset ReLU still runs in place
    if analyze(spec).total_macs < 5e7:
        compare(spec, seed=1, channels_last=True)
