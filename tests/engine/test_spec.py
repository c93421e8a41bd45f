"""Network spec: validation naming layer and key, lossless JSON round trips, stable names."""

import json

import pytest

from engine.io.fileio import save_spec
from engine.model.presets import PRESETS
from engine.model.spec import LAYER_TYPES, NetworkSpec, SpecError, default_layer, layer_names

SEED000 = {
    "name": "seed000", "input": [1, 28, 28], "num_classes": 10,
    "layers": [
        {"type": "conv2d", "out_channels": 32, "kernel_size": 3, "stride": 1, "padding": 1},
        {"type": "relu"}, {"type": "maxpool2d", "kernel_size": 2, "stride": 2},
        {"type": "conv2d", "out_channels": 64, "kernel_size": 3, "padding": 1},
        {"type": "relu"}, {"type": "maxpool2d", "kernel_size": 2},
        {"type": "flatten"}, {"type": "linear", "out_features": 10},
    ],
}


def test_issue_example_round_trips_losslessly():
    spec = NetworkSpec.from_dict(SEED000)
    assert spec.to_dict() == SEED000
    again = NetworkSpec.from_json(spec.to_json())
    assert again == spec and again.to_dict() == SEED000


@pytest.mark.parametrize("name", list(PRESETS))
def test_presets_round_trip(name):
    spec = PRESETS[name].spec
    assert NetworkSpec.from_json(spec.to_json()) == spec
    assert json.loads(spec.to_json()) == spec.to_dict()


def test_pairs_and_same_padding_round_trip():
    data = {"name": "x", "input": [3, 32, 20], "num_classes": 4, "layers": [
        {"type": "conv2d", "out_channels": 8, "kernel_size": [3, 5], "padding": "same", "dilation": [1, 2],
         "bias": False},
        {"type": "avgpool2d", "kernel_size": [2, 3], "stride": [2, 1], "padding": [1, 1]},
        {"type": "leaky_relu", "negative_slope": 0.2}, {"type": "dropout2d", "p": 0.1},
        {"type": "flatten"}, {"type": "linear", "out_features": 4, "bias": False}]}
    assert NetworkSpec.from_json(json.dumps(data)).to_dict() == data
    # tuples become lists, so a spec equals its JSON round trip
    tupled = NetworkSpec.from_dict({**data, "layers": [{"type": "conv2d", "out_channels": 2, "kernel_size": (3, 3)}]})
    assert tupled.layers[0]["kernel_size"] == [3, 3]


def _problem(data):
    with pytest.raises(SpecError) as info:
        NetworkSpec.from_dict(data)
    return info.value


def test_unknown_type_names_layer_index():
    err = _problem({**SEED000, "layers": [{"type": "conv2d", "out_channels": 4}, {"type": "softmaxx"}]})
    assert err.problems[0][:2] == (1, "type")
    assert "layer 1" in str(err) and "softmaxx" in str(err)


def test_unknown_key_names_layer_and_key():
    err = _problem({**SEED000, "layers": [{"type": "conv2d", "out_channels": 4, "kernal_size": 3}]})
    assert err.problems == [(0, "kernal_size", err.problems[0][2])]
    assert "layer 0" in str(err) and "kernal_size" in str(err)


def test_in_channels_is_never_typed():
    err = _problem({**SEED000, "layers": [{"type": "conv2d", "in_channels": 1, "out_channels": 4}]})
    assert err.problems[0][:2] == (0, "in_channels") and "inferred" in str(err)


@pytest.mark.parametrize("layer,key", [
    ({"type": "conv2d", "out_channels": 0}, "out_channels"),
    ({"type": "conv2d", "out_channels": 3.5}, "out_channels"),
    ({"type": "conv2d", "out_channels": 4, "kernel_size": [3]}, "kernel_size"),
    ({"type": "conv2d", "out_channels": 4, "padding": "valid"}, "padding"),
    ({"type": "conv2d", "out_channels": 4, "stride": 0}, "stride"),
    ({"type": "conv2d", "out_channels": 4, "bias": 1}, "bias"),
    ({"type": "conv2d"}, "out_channels"),
    ({"type": "dropout", "p": 1.0}, "p"),
    ({"type": "dropout", "p": -0.1}, "p"),
    ({"type": "linear", "out_features": True}, "out_features"),
    ({"type": "leaky_relu", "negative_slope": float("nan")}, "negative_slope"),
    ({"type": "maxpool2d", "kernel_size": 2, "stride": "2"}, "stride"),
])
def test_bad_values_rejected_naming_key(layer, key):
    err = _problem({**SEED000, "layers": [{"type": "relu"}, layer]})
    assert (1, key) in [p[:2] for p in err.problems]


def test_bad_top_level():
    assert _problem({**SEED000, "input": [1, 28]}).problems[0][1] == "input"
    assert _problem({**SEED000, "num_classes": 0}).problems[0][1] == "num_classes"
    assert _problem({**SEED000, "extra": 1}).problems[0][1] == "extra"
    with pytest.raises(SpecError, match="not valid JSON"):
        NetworkSpec.from_json("{nope")


def test_load_unreadable_file(tmp_path):
    with pytest.raises(SpecError, match="cannot read"):
        NetworkSpec.load(str(tmp_path / "missing.json"))
    bad = tmp_path / "bin.json"
    bad.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(SpecError):
        NetworkSpec.load(str(bad))


def test_save_and_load(tmp_path):
    spec = NetworkSpec.from_dict(SEED000)
    path = tmp_path / "net.json"
    save_spec(spec, str(path))
    assert NetworkSpec.load(str(path)) == spec
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_stable_names():
    spec = PRESETS["seed003"].spec
    assert spec.names == ["conv1", "bn1", "relu1", "pool1", "conv2", "bn2", "relu2", "pool2", "flatten",
                          "fc1", "drop1", "fc2", "fc3"]
    assert layer_names([{"type": "flatten"}, {"type": "flatten"}, {"type": "avgpool2d"}]) == [
        "flatten", "flatten2", "pool1"]


@pytest.mark.parametrize("kind", LAYER_TYPES)
def test_default_layers_are_valid(kind):
    NetworkSpec.from_dict({"layers": [default_layer(kind)]})
