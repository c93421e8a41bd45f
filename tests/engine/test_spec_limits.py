"""The safe JSON entry point, field validation and the size budget."""

import json

import pytest

from engine.model.budget import (
    MAX_ACTIVATION_BYTES,
    MAX_BATCH_ACTIVATION_BYTES,
    MAX_INPUT_SIDE,
    MAX_LAYERS,
    MAX_PARAMS,
    activation_bytes,
    batch_problem,
    max_batch_size,
)
from engine.model.presets import PRESETS
from engine.model.safe_json import JSONInputError, nesting_depth, parse_json
from engine.model.shapes import adapt_to_dataset, analyze, apply_fix
from engine.model.spec import NetworkSpec, SpecError

SMALL = {"input": [1, 28, 28], "num_classes": 10,
         "layers": [{"type": "conv2d", "out_channels": 8, "padding": 1}, {"type": "relu"},
                    {"type": "flatten"}, {"type": "linear", "out_features": 10}]}


def _refusal(data) -> SpecError:
    with pytest.raises(SpecError) as info:
        NetworkSpec.from_dict(data)
    assert "\n" not in str(info.value)
    return info.value


# -- parse_json --------------------------------------------------------------------------------
def test_parse_json_reads_plain_json_and_bytes():
    assert parse_json('{"a": [1, 2.5, "x[{"]}') == {"a": [1, 2.5, "x[{"]}
    assert parse_json(b'[true, null]') == [True, None]


@pytest.mark.parametrize("text,reason", [
    ("[" * 100_000 + "]" * 100_000, "nested more than 32"),
    ('{"n": 1' + "0" * 5000 + "}", "4,300 digits"),
    ('"' + "x" * 2_000_000 + '"', "too large"),
    (b"\xff\xfe", "not UTF-8"),
    ("{nope", "not valid JSON"),
    (12, "expected text"),
])
def test_parse_json_refuses_with_one_line(text, reason):
    with pytest.raises(JSONInputError, match=reason) as info:
        parse_json(text)
    assert isinstance(info.value, ValueError) and "\n" not in str(info.value)


def test_depth_counts_brackets_outside_strings_only():
    assert nesting_depth('{"a": "[[[[", "b": [[1]], "c": "\\"]]]"}') == 3
    assert parse_json('["' + "[" * 1000 + '"]', max_depth=2) == ["[" * 1000]
    with pytest.raises(JSONInputError):
        parse_json("[[[1]]]", max_depth=2)
    with pytest.raises(JSONInputError, match="too large"):
        parse_json("[1, 2]", max_bytes=3)


# -- field validation --------------------------------------------------------------------------
@pytest.mark.parametrize("layer,key,words", [
    ({"type": ["conv2d"]}, "type", "must be a string"),
    ({"type": {"a": 1}}, "type", "must be a string"),
    ({"type": "linear", "out_features": 10**5000}, "out_features", "digits"),
    ({"type": "linear", "out_features": True}, "out_features", "integer"),
    ({"type": "dropout", "p": 10**400}, "p", "below 1"),
    ({"type": "dropout", "p": False}, "p", "number"),
    ({"type": "dropout", "p": float("inf")}, "p", "finite"),
    ({"type": "conv2d", "out_channels": 4, "kernel_size": [3, [3]]}, "kernel_size", "[h, w]"),
])
def test_wrong_types_and_numbers_name_layer_and_key(layer, key, words):
    err = _refusal({**SMALL, "layers": [{"type": "relu"}, layer]})
    assert err.problems[0][:2] == (1, key) and words in str(err) and "layer 1" in str(err)
    assert len(str(err)) < 500


def test_keys_must_be_short_printable_strings():
    err = _refusal({**SMALL, "layers": [{"type": "relu", 3: 1, "x" * 10_000: 2}]})
    assert [p[0] for p in err.problems] == [0, 0] and all(len(p[1]) < 60 for p in err.problems)
    assert _refusal({**SMALL, 7: 1}).problems[0][1] == "7"


@pytest.mark.parametrize("data,key", [
    ({"name": "x" * 201}, "name"),
    ({"name": "two\nlines"}, "name"),
    ({"name": 5}, "name"),
    ({"input": [3, 30000, 30000]}, "input"),
    ({"input": [5, 28, 28]}, "input"),
    ({"input": [1, True, 28]}, "input"),
    ({"input": [1, 28.0, 28]}, "input"),
    ({"num_classes": 10**12}, "num_classes"),
    ({"num_classes": True}, "num_classes"),
    ({"layers": [{"type": "relu"}] * (MAX_LAYERS + 1)}, "layers"),
    ({"layers": {"type": "relu"}}, "layers"),
])
def test_top_level_limits(data, key):
    err = _refusal({**SMALL, **data})
    assert err.problems[0][:2] == (None, key)


def test_names_within_limits_are_kept():
    spec = NetworkSpec.from_dict({**SMALL, "name": "합성곱 " + "n" * 190, "input": [4, MAX_INPUT_SIDE, 8]})
    assert spec.input == (4, MAX_INPUT_SIDE, 8)


def test_many_problems_make_one_short_line():
    err = _refusal({**SMALL, "layers": [{"type": "relu", **{f"k{i}": i for i in range(1000)}}] * 3})
    assert len(err.problems) == 50 and "and 45 more" in str(err) and len(str(err)) < 1500


def test_load_refuses_oversize_file(tmp_path):
    path = tmp_path / "big.json"
    path.write_text(json.dumps({**SMALL, "pad": "x" * 2_000_000}))
    with pytest.raises(SpecError, match="too large"):
        NetworkSpec.load(str(path))


# -- size budget -------------------------------------------------------------------------------
@pytest.mark.parametrize("name", list(PRESETS))
def test_presets_are_inside_the_budget(name):
    report = analyze(PRESETS[name].spec)
    assert report.ok and report.total_params < MAX_PARAMS / 10
    assert report.total_activation_bytes < MAX_ACTIVATION_BYTES / 50


def test_too_many_parameters_is_an_error_with_a_fix():
    wide = [{"type": "flatten"}] + [{"type": "linear", "out_features": 65536}] * 3 + [
        {"type": "linear", "out_features": 10}]
    spec = NetworkSpec.from_dict({**SMALL, "layers": wide})
    error = analyze(spec).errors[0]
    assert "parameters" in error.message and "100,000,000" in error.message
    assert error.fix.label == "set out_features of fc2 to 256"
    assert analyze(apply_fix(spec, error.fix)).ok


def test_big_flatten_gets_a_pool_before_it():
    spec = NetworkSpec.from_dict({"input": [3, 1024, 1024], "num_classes": 10, "layers": [
        {"type": "conv2d", "out_channels": 8, "kernel_size": 3, "padding": 1}, {"type": "maxpool2d"},
        {"type": "flatten"}, {"type": "linear", "out_features": 512}, {"type": "linear", "out_features": 10}]})
    report = analyze(spec)
    assert [e.fix.label for e in report.errors] == ["set out_features of fc1 to 32"]
    strided = NetworkSpec.from_dict({"input": [3, 1024, 1024], "num_classes": 10, "layers": [
        {"type": "conv2d", "out_channels": 64, "stride": 2, "padding": 1}, {"type": "flatten"},
        {"type": "linear", "out_features": 10}]})
    error = analyze(strided).errors[0]  # fc1 gives the class scores, so conv1 narrows
    assert error.fix.label == "set out_channels of conv1 to 32" and analyze(apply_fix(strided, error.fix)).ok
    direct = NetworkSpec.from_dict({"input": [4, 1024, 1024], "num_classes": 32, "layers": [
        {"type": "flatten"}, {"type": "linear", "out_features": 32}]})
    error = analyze(direct).errors[0]
    assert error.fix.label == "insert adaptiveavgpool2d (7×7) before flatten" and error.layer == "fc1"
    assert analyze(apply_fix(direct, error.fix)).ok


def test_too_much_activation_memory_is_an_error_with_a_fix():
    spec = NetworkSpec.from_dict({"input": [3, 1024, 1024], "num_classes": 10, "layers": [
        {"type": "conv2d", "out_channels": 64, "padding": 1}, {"type": "relu"},
        {"type": "adaptiveavgpool2d", "output_size": 1}, {"type": "flatten"},
        {"type": "linear", "out_features": 10}]})
    error = analyze(spec).errors[0]
    assert "MiB of activations" in error.message and error.fix.label == "set out_channels of conv1 to 16"
    assert analyze(apply_fix(spec, error.fix)).ok


def test_input_over_the_budget_in_a_spec_made_directly():
    spec = NetworkSpec(input=(3, 30000, 30000), layers=({"type": "flatten"}, {"type": "linear", "out_features": 10}))
    report = analyze(spec)
    assert not report.ok and report.errors[0].fix.label == "set input to 3×1024×1024"
    assert apply_fix(spec, report.errors[0].fix).input == (3, 1024, 1024)


def test_adapting_to_the_largest_folder_images_stays_valid():
    spec = adapt_to_dataset(PRESETS["seed000"].spec, (3, 1024, 1024), 7)
    assert spec.input == (3, 1024, 1024) and spec.num_classes == 7


def test_batch_memory():
    report = analyze(PRESETS["seed000"].spec)
    assert activation_bytes(report, 100) == 100 * report.total_activation_bytes == 35_440_800
    assert activation_bytes(report, 100, training=True) == 2 * activation_bytes(report, 100)
    assert batch_problem(report, 100, training=True) is None
    limit = max_batch_size(report, training=True)
    assert limit == MAX_BATCH_ACTIVATION_BYTES // (2 * report.total_activation_bytes)
    message = batch_problem(report, limit + 1, training=True)
    assert message and f"at most {limit:,}" in message
