"""What every field of a model file's metadata must be, as rules (``engine.io.schema``).

``check_metadata`` takes the parsed JSON (through ``parse_json``: size and nesting depth), reads
the spec (``NetworkSpec.from_dict``: every field of it) and refuses one that ``analyze`` finds
errors in, the size budget included; then checks every other field against the network: the
training settings (one rule per ``TrainConfig`` field, from its type and ``Setting``, then
``TrainConfig.validate`` and the batch's activation budget), the history (one per class where a
field is per class), class names, normalisation, the tensors' names, shapes and dtypes (the
network's, the optimizer's per parameter, the generators'). Only well-typed values reach
``TrainConfig.from_dict``, ``EpochStats.from_dict`` and ``LrChange``. Every refusal is a
``SchemaError`` naming its field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

import torch

from engine.io.model_tensors import (
    MAX_TENSORS,
    NetworkTensors,
    Tensor,
    TensorRef,
    decode,
    network_tensors,
    state_problem,
)
from engine.io.schema import (
    INT_MAX,
    Bool,
    Const,
    Context,
    Each,
    Fixed,
    Int,
    Maybe,
    Num,
    Record,
    Rule,
    SchemaError,
    Table,
    Text,
    Where,
)
from engine.model.budget import MAX_NAME_LENGTH, batch_problem
from engine.model.param import show
from engine.model.shapes import analyze
from engine.model.spec import NetworkSpec, SpecError
from engine.training.config import SCHEDULES, Setting, TrainConfig

__all__ = ["META_MAX_BYTES", "META_MAX_DEPTH", "CheckedMetadata", "check_metadata"]

#: A model file's metadata: the RNG states and a long history with large confusion matrices fit.
META_MAX_BYTES = 32 * 2**20
META_MAX_DEPTH = 32
STEP_MAX = 2**53
_FLOATS = ("F32",)


class Anything(Rule):
    """Present, checked elsewhere."""

    def check(self, value: Any, field_name: str, context: Context) -> Any:
        return value


class Plain(Rule):
    """None, true/false, a finite number or a short string: a setting this version does not know."""

    def check(self, value: Any, field_name: str, context: Context) -> Any:
        if value is None or isinstance(value, bool):
            return value
        if isinstance(value, str):
            return Text(64).check(value, field_name, context)
        return Num(-1e30, 1e30).check(value, field_name, context)


# -- training settings: one rule per TrainConfig field -----------------------------------
_AT_LEAST_ONE = ("eval_batch_size",)  # plain fields whose value divides work into batches


def _setting_rule(name: str, kind: str, setting: Setting) -> Rule:
    if setting.choices:
        return Text(choices=setting.choices)
    if kind == "str":
        return Text(64)
    if kind == "bool":
        return Bool()
    if kind == "int":
        low = 1 if name in _AT_LEAST_ONE else int(setting.minimum or 0)
        return Int(max(low, 0), INT_MAX)
    if kind == "float":
        return Num(0.0, 1e6)
    raise AssertionError(f"TrainConfig.{name} has a type the model file schema does not know: {kind}")


def _config_problem(values: dict[str, Any], context: Context) -> str | None:
    config = TrainConfig.from_dict(values)
    try:
        config.validate()
    except ValueError as exc:
        return str(exc)
    return batch_problem(context["report"], config.batch_size, training=True)


def _config_rule() -> Rule:
    rules = {f.name: _setting_rule(f.name, f.type if isinstance(f.type, str) else f.type.__name__,
                                   f.metadata.get("setting") or Setting()) for f in fields(TrainConfig)}
    return Where(Record(rules, optional=frozenset(rules)), _config_problem)  # missing: TrainConfig's default


# -- history, lr changes, names and normalisation ------------------------------------------
_RATIO = Num(0.0, 1.0)
_LOSS = Num(0.0, 1e30)
_EPOCH = Record({
    "epoch": Int(0, INT_MAX), "step": Int(0, STEP_MAX), "train_loss": _LOSS, "train_accuracy": _RATIO,
    "test_loss": Maybe(_LOSS), "test_accuracy": Maybe(_RATIO),
    "per_class_accuracy": Maybe(Each(Maybe(_RATIO), length="num_classes")),
    "confusion": Maybe(Each(Each(Int(0, STEP_MAX), length="num_classes"), length="num_classes")),
    "seconds": Num(0.0, 1e12), "images_per_s": Num(0.0, 1e15), "lr": Num(0.0, 1e6),
}, optional=frozenset({"test_loss", "test_accuracy", "per_class_accuracy", "confusion"}))
_LR_CHANGE = Record({"step": Int(0, STEP_MAX), "epoch": Int(0, INT_MAX), "old_lr": Num(0.0, 1e6),
                     "new_lr": Num(0.0, 1e6, positive=True)})

METADATA = Record({
    "format": Anything(), "spec": Anything(), "optimizer": Anything(), "schedule": Anything(), "rng": Anything(),
    "state_keys": Each(Text(MAX_NAME_LENGTH), max_length=MAX_TENSORS),
    "epoch": Int(0, INT_MAX),
    "step": Int(0, STEP_MAX),
    "config": _config_rule(),
    "history": Each(_EPOCH),
    "lr_changes": Each(_LR_CHANGE),
    "dataset": Text(4096),
    "class_names": Each(Text(MAX_NAME_LENGTH), length="num_classes", or_empty=True),
    "mean": Each(Num(-1e6, 1e6), length="channels", or_empty=True),
    "std": Each(Num(1e-6, 1e6), length="channels", or_empty=True),
})

# -- stored objects: schedule, generators, optimizer ---------------------------------------
SCHEDULE = Maybe(Record({"base_lr": Num(0.0, 1e6, positive=True), "schedule": Text(choices=SCHEDULES)},
                        extra=None))
_STATE_BYTES = tuple(torch.get_rng_state().shape)
RNG = Maybe(Record({
    "python": Fixed((Const(3), Each(Int(0, 2**32 - 1), length=625), Maybe(Num(-1e300, 1e300)))),
    "numpy": Fixed((Const("MT19937"), Tensor(("I64",), (624,)), Int(0, 624), Int(0, 1), Num(-1e300, 1e300))),
    "torch": Tensor(("U8",), _STATE_BYTES),
    "generator": Maybe(Tensor(("U8",), _STATE_BYTES)),
    "cuda": Maybe(Each(Tensor(("U8",), None, max_values=1024), max_length=64)),
}, optional=frozenset({"generator", "cuda"}), extra=None))


def _params_problem(value: list[int], context: Context) -> str | None:
    count = len(context["parameters"])
    return None if value == list(range(count)) else f"must list the network's {count} parameters 0…{count - 1}"


def _param_shape(context: Context) -> tuple[int, ...]:
    return context["parameters"][context["param"]]


_MOMENT = Tensor(_FLOATS, _param_shape)
#: Keys a saved parameter group must have (torch fills in the others) and what each entry of the
#: optimizer's per-parameter state holds, by ``TrainConfig.optimizer``.
_GROUP_NEEDS = {"sgd": ("momentum", "dampening"), "adam": ("betas", "eps"), "adamw": ("betas", "eps")}
_SGD_STATE = Record({"momentum_buffer": Maybe(_MOMENT)}, optional=frozenset({"momentum_buffer"}), extra=None)
_ADAM_STATE = Record({"step": Tensor(("F32", "F64"), ()), "exp_avg": _MOMENT, "exp_avg_sq": _MOMENT,
                      "max_exp_avg_sq": _MOMENT}, optional=frozenset({"max_exp_avg_sq"}), extra=None)
_BETA = Num(0.0, 1.0, below_max=True)
_GROUP = Record({
    "lr": Num(0.0, 1e6, positive=True), "weight_decay": Num(0.0, 1e6), "params": Where(Each(Int()), _params_problem),
    "momentum": _BETA, "dampening": Num(0.0, 1.0), "nesterov": Bool(), "betas": Fixed((_BETA, _BETA)),
    "eps": Num(0.0, 1.0, positive=True), "amsgrad": Bool(), "maximize": Bool(), "decoupled_weight_decay": Bool(),
    "foreach": Maybe(Bool()), "fused": Maybe(Const(False)), "capturable": Const(False),
    "differentiable": Const(False),
}, optional=frozenset({"momentum", "dampening", "nesterov", "betas", "eps", "amsgrad", "maximize",
                       "decoupled_weight_decay", "foreach", "fused", "capturable", "differentiable"}), extra=Plain())


def _check_optimizer(value: Any, context: dict[str, Any]) -> dict[str, Any] | None:
    """A saved ``optimizer.state_dict()`` that the run's optimizer can take: one group over all
    parameters, per-parameter state of the right kind, float tensors of each parameter's shape."""
    if value is None:
        return None
    top = Record({"state": Table(Int(0, INT_MAX), Anything()), "param_groups": Each(_GROUP, length=1)},
                 extra=None).check(value, "optimizer", context)
    group, kind = top["param_groups"][0], context["optimizer"]
    for key in _GROUP_NEEDS.get(kind, ()):
        if key not in group:
            raise SchemaError(f"optimizer.param_groups[0].{key}", f"is missing (the run uses {kind})")
    entry_rule = _SGD_STATE if kind == "sgd" else _ADAM_STATE
    for index, entry in top["state"].items():
        name = f"optimizer.state[{index}]"
        if index >= len(context["parameters"]):
            raise SchemaError(name, f"the network has only {len(context['parameters'])} parameters")
        entry = entry_rule.check(entry, name, {**context, "param": index})
        if entry and kind != "sgd" and group.get("amsgrad") and "max_exp_avg_sq" not in entry:
            raise SchemaError(f"{name}.max_exp_avg_sq", "is missing (amsgrad is on)")
        top["state"][index] = entry
    return top


# -- the whole file ----------------------------------------------------------------------------
@dataclass
class CheckedMetadata:
    """Checked values: the spec, every field of the metadata (plain values), and the stored
    objects with ``TensorRef``s where tensors go; ``used`` names every tensor referred to."""

    spec: NetworkSpec
    fields: dict[str, Any]
    state_keys: list[str]
    optimizer: dict[str, Any] | None
    schedule: dict[str, Any] | None
    rng: dict[str, Any] | None
    used: set[str]


def _read_spec(data: Any) -> tuple[NetworkSpec, Any, NetworkTensors]:
    if not isinstance(data, Mapping):
        raise SchemaError("spec", f"must be an object, got {show(data)}")
    try:
        spec = NetworkSpec.from_dict(data)
    except SpecError as exc:
        raise SchemaError("spec", str(exc)) from None
    report = analyze(spec)
    if report.errors:
        problem = report.errors[0]
        where = f"layer {problem.index} ({problem.layer}): " if problem.index is not None else ""
        raise SchemaError("spec", where + problem.message)
    return spec, report, network_tensors(spec)


def check_metadata(meta: Any, refs: Mapping[str, TensorRef], file_format: str) -> CheckedMetadata:
    """Every field of ``meta`` (parsed JSON) checked against its rule and the spec's network, and
    the file's tensors (``refs``: the header's names, shapes, dtypes) against what refers to them."""
    if not isinstance(meta, Mapping):
        raise SchemaError("metadata", f"must be an object, got {show(meta)}")
    Const(file_format).check(meta.get("format"), "format", {})
    spec, report, network = _read_spec(meta.get("spec"))
    context: dict[str, Any] = {"num_classes": spec.num_classes, "channels": spec.input[0], "report": report,
                               "parameters": network.parameters}
    checked = METADATA.check(meta, "", context)
    context["optimizer"] = checked["config"].get("optimizer", TrainConfig.optimizer)
    problem = state_problem(checked["state_keys"], refs, network)
    if problem is not None:
        raise problem
    used = {f"model.{key}" for key in checked["state_keys"]}
    stored = {name: decode(meta[name], refs, name, used) for name in ("optimizer", "schedule", "rng")}
    return CheckedMetadata(
        spec=spec, fields=checked, state_keys=checked["state_keys"],
        optimizer=_check_optimizer(stored["optimizer"], context),
        schedule=SCHEDULE.check(stored["schedule"], "schedule", context),
        rng=RNG.check(stored["rng"], "rng", context), used=used)

