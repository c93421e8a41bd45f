"""Training settings: ``TrainConfig`` and, once, how each setting is offered to people.

Every field carries a ``Setting`` in its dataclass metadata: the CLI's flag and help, the
app form's label, range and tooltip, the fixed choices, and whether a preset's training
settings may set it. ``engine.cli`` builds its ``train`` options and the training panel its
form from ``settings()``, so a new setting is described here and nowhere else.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

from engine.data.registry import NORMALIZATIONS
from engine.model.init_names import INIT_LAYERS, INITS

__all__ = ["BACKENDS", "LR_MAX", "OPTIMIZERS", "PRECISIONS", "SCHEDULES", "Setting", "TrainConfig", "lr_problem",
           "settings"]

OPTIMIZERS = ("sgd", "adam", "adamw")
SCHEDULES = ("none", "step", "cosine", "onecycle")
BACKENDS = ("auto", "gloo", "nccl")  # torch.distributed backends under torchrun (auto: NCCL on CUDA, else gloo)
PRECISIONS = ("auto", "fp32", "bf16")  # see engine.training.precision
LR_MAX = 1e6  # learning rates from here on are refused (the divergence guard handles lower ones)


def lr_problem(lr: float) -> str | None:
    """Why ``lr`` cannot be a learning rate, or None when it can."""
    if not isinstance(lr, (int, float)) or math.isnan(lr) or lr <= 0:
        return f"learning rate must be positive, got {lr!r}"
    if lr >= LR_MAX:
        return f"learning rate must be below {LR_MAX:,.0f}, got {lr!r}"
    return None


@dataclass(frozen=True)
class Setting:
    """How one ``TrainConfig`` field is described; filled in by ``settings()``."""

    help: str = ""  # the CLI's help ("" = none)
    flag: str | None = None  # the CLI's option, e.g. "--batch-size"; None: not a CLI option
    cli_rank: int = 0  # the option's place among the train options
    cli_default: Any = None  # argparse's default; None: the preset's (or TrainConfig's) value stays
    label: str = ""  # the app form's row label; "" = not in the app's form
    tooltip: str = ""  # the app form's tooltip
    choices: tuple[str, ...] = ()  # a closed set of values
    suggestions: tuple[str, ...] = ()  # the app's first picks for an open set (e.g. devices)
    minimum: float | None = None  # the app form's range
    maximum: float | None = None
    step: float | None = None
    decimals: int | None = None
    adaptive_step: bool = False  # the app's arrows step by a tenth of the current decade
    beside: str | None = None  # the app shows it in this field's row (a checkbox beside a box)
    needs: tuple[str, str] | None = None  # (field, value): it matters only then (e.g. sgd's momentum)
    machine: bool = False  # belongs to the machine, not the run: a model file's value is not shown
    preset: str | None = None  # a preset may set it: "if_given" (else unchanged) or "or_default"
    # filled in by settings():
    name: str = ""
    type: str = ""  # "str", "int", "float" or "bool"
    default: Any = None

    @property
    def in_app(self) -> bool:
        return bool(self.label)


def _setting(default: Any, **describe: Any) -> Any:
    return field(default=default, metadata={"setting": Setting(**describe)})


@dataclass(frozen=True)
class TrainConfig:
    """Training settings (nanoGPT-style config as a dataclass)."""

    optimizer: str = _setting("adam", flag="--optimizer", cli_rank=3, label="Optimizer", choices=OPTIMIZERS,
                              preset="if_given")
    lr: float = _setting(1e-3, help="learning rate", flag="--lr", cli_rank=2, label="Learning rate",
                         minimum=1e-6, maximum=10.0, step=1e-4, decimals=6, adaptive_step=True, preset="if_given")
    momentum: float = _setting(0.9, flag="--momentum", cli_rank=4, label="Momentum", minimum=0.0, maximum=0.999,
                               step=0.05, decimals=3, needs=("optimizer", "sgd"), preset="if_given")
    nesterov: bool = _setting(False, label="Nesterov", beside="momentum", needs=("optimizer", "sgd"),
                              preset="or_default")
    weight_decay: float = _setting(0.0, flag="--weight-decay", cli_rank=5, label="Weight decay", minimum=0.0,
                                   maximum=1.0, step=1e-4, decimals=5, preset="or_default")
    batch_size: int = _setting(64, flag="--batch-size", cli_rank=1, label="Batch size", minimum=1, maximum=8192,
                               preset="if_given")
    epochs: int = _setting(5, help="epochs (with --resume: epochs to add)", flag="--epochs", cli_rank=0,
                           label="Epochs", minimum=1, maximum=1000, preset="if_given")
    schedule: str = _setting(
        "none", flag="--schedule", cli_rank=6, label="Schedule", choices=SCHEDULES, preset="or_default",
        tooltip="none: constant; step: ×0.1 every third of the run; cosine: smooth decay to 0; "
                "onecycle: warm up then decay")
    step_size: int = 0  # epochs per lr decay for "step" (0: a third of the epochs)
    gamma: float = 0.1  # decay factor for "step"
    augment: bool = _setting(
        False, help="batched shifts/rotations or flip/crop", flag="--augment", cli_rank=8,
        label="augment training images", preset="or_default",
        tooltip="random shifts and rotations for digit-like images, random crops and flips for colour photos")
    label_smoothing: float = _setting(0.0, flag="--label-smoothing", cli_rank=7, label="Label smoothing",
                                      minimum=0.0, maximum=0.5, step=0.05)
    seed: int = _setting(0, flag="--seed", cli_rank=9, label="Seed", minimum=0, maximum=2**31 - 1,
                         preset="or_default")
    shuffle: bool = _setting(
        True, help="shuffle the training images every epoch (--no-shuffle: the dataset's order)", flag="--shuffle",
        cli_rank=15, label="shuffle each epoch", preset="or_default",
        tooltip="off: every epoch sees the training images in the dataset's own order, like a DataLoader "
                "without shuffle=True")
    normalize: str = _setting(
        "dataset", help="input normalisation: the dataset's own mean/std, MNIST's 0.1307/0.3081, or none (0..1)",
        flag="--normalize", cli_rank=16, label="Normalisation", choices=NORMALIZATIONS, preset="or_default",
        tooltip="dataset: (x − the dataset's mean) / its std; mnist: MNIST's 0.1307 / 0.3081 whatever the "
                "dataset; none: pixels scaled to 0..1 only (ToTensor)")
    init: str = _setting(
        "default", help="weight initialisation of conv/linear layers", flag="--init", cli_rank=17,
        label="Weight init", choices=INITS, preset="or_default",
        tooltip="default: PyTorch's; xavier_*: Glorot, √(6/(in+out)) or √(2/(in+out)); kaiming_*: He for ReLU, "
                "√(6/in) or √(2/in) (biases keep PyTorch's default); normal: N(0, σ) with biases 0")
    init_std: float = _setting(0.01, help="σ of --init normal", flag="--init-std", cli_rank=18, label="Init σ",
                               minimum=1e-6, maximum=10.0, step=0.01, decimals=4,
                               needs=("init", "normal"), preset="or_default")
    init_layers: str = _setting("all", help="the layers --init redraws: all, conv or linear", flag="--init-layers",
                                cli_rank=19, label="Init layers", choices=INIT_LAYERS,
                                preset="or_default", tooltip="which layers' weights the initialisation redraws")
    device: str = _setting("auto", help="auto, cpu, cuda, cuda:N or mps", flag="--device", cli_rank=10,
                           cli_default="auto", label="Device", suggestions=("auto", "cpu"), machine=True)
    threads: int = _setting(0, help="torch threads (0: all cores)", flag="--threads", cli_rank=11,
                            cli_default=0, machine=True)  # torch threads in the training thread; 0 = all cores
    precision: str = _setting(  # fp32 by default: auto's choice rests on a timing probe, so numbers could differ
        "fp32", help="on CPUs; auto: bf16 where the CPU has it natively and it is faster (weights stay fp32)",
        flag="--precision", cli_rank=12, label="Precision", choices=PRECISIONS, machine=True,
        tooltip="auto: bfloat16 arithmetic where this CPU has native bf16 and a short probe shows it is faster, "
                "else float32; weights and optimizer stay float32. CUDA always trains in mixed precision")
    backend: str = _setting("auto", help="under torchrun: the ranks' backend (auto: nccl on GPUs, gloo on CPUs)",
                            flag="--backend", cli_rank=13, cli_default="auto", choices=BACKENDS, machine=True)
    dist_timeout_s: float = _setting(
        120.0, help="under torchrun: seconds a rank waits for the others before the run fails", flag="--dist-timeout",
        cli_rank=14, cli_default=120.0, machine=True)
    layer_stats: bool = _setting(
        True, label="record layer statistics",
        tooltip="weight, gradient and activation statistics of every layer on a fixed batch, about 2% of the "
                "training time; shown in Layers over time")
    snapshot_interval_s: float = 0.5  # at most this often a weight snapshot
    snapshots_in_first_epoch: int = 4  # extra kernel snapshots early in the first epoch (time-lapse)
    eval_batch_size: int = 1000
    deterministic: bool = False  # torch deterministic algorithms (exact resume on GPU)

    def validate(self) -> None:
        """Raise ``ValueError`` with a clear message for a bad setting."""
        problems = []
        if self.optimizer not in OPTIMIZERS:
            problems.append(f"optimizer must be one of {', '.join(OPTIMIZERS)}, got {self.optimizer!r}")
        if lr_problem(self.lr):
            problems.append(lr_problem(self.lr))
        if self.batch_size < 1:
            problems.append(f"batch size must be at least 1, got {self.batch_size}")
        if self.epochs < 1:
            problems.append(f"epochs must be at least 1, got {self.epochs}")
        if self.schedule not in SCHEDULES:
            problems.append(f"schedule must be one of {', '.join(SCHEDULES)}, got {self.schedule!r}")
        if not 0 <= self.label_smoothing < 1:
            problems.append(f"label smoothing must be in [0, 1), got {self.label_smoothing}")
        if self.weight_decay < 0:
            problems.append(f"weight decay must be ≥ 0, got {self.weight_decay}")
        if not 0 <= self.momentum < 1:
            problems.append(f"momentum must be in [0, 1), got {self.momentum}")
        if self.threads < 0:
            problems.append(f"threads must be ≥ 0, got {self.threads}")
        if self.precision not in PRECISIONS:
            problems.append(f"precision must be one of {', '.join(PRECISIONS)}, got {self.precision!r}")
        if self.backend not in BACKENDS:
            problems.append(f"backend must be one of {', '.join(BACKENDS)}, got {self.backend!r}")
        if self.normalize not in NORMALIZATIONS:
            problems.append(f"normalisation must be one of {', '.join(NORMALIZATIONS)}, got {self.normalize!r}")
        if self.init not in INITS:
            problems.append(f"initialisation must be one of {', '.join(INITS)}, got {self.init!r}")
        if self.init_layers not in INIT_LAYERS:
            problems.append(f"init layers must be one of {', '.join(INIT_LAYERS)}, got {self.init_layers!r}")
        if not 0 < self.init_std <= 10:
            problems.append(f"the init σ must be in (0, 10], got {self.init_std}")
        if not 1 <= self.dist_timeout_s <= 86400:
            problems.append(f"the distributed timeout must be 1 to 86,400 seconds, got {self.dist_timeout_s}")
        if problems:
            raise ValueError("; ".join(problems))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TrainConfig:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)


def settings() -> tuple[Setting, ...]:
    """The described fields of ``TrainConfig`` in field order, with name, type and default."""
    described = []
    for f in fields(TrainConfig):
        setting = f.metadata.get("setting")
        if setting is not None:
            kind = f.type if isinstance(f.type, str) else f.type.__name__
            described.append(replace(setting, name=f.name, type=kind, default=f.default))
    return tuple(described)

