"""The CLI's torch-side commands: train, eval, predict (torch is imported only when they run)."""

from __future__ import annotations

import argparse
import json
import math
import signal
import sys
import time
from typing import Any

from engine.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_FAILED,
    EXIT_OK,
    CliError,
    add_config_options,
    add_spec_args,
    config_overrides,
    preset_settings,
    spec_from_args,
)
from engine.cli.runs import add_record_args, finish_recording, start_recording
from engine.training.events import NullReporter


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("train", help="train a network headless")
    add_spec_args(p, required=False)
    p.add_argument("--dataset", help="mnist-sample (bundled, the default), mnist, fashion-mnist, kmnist, cifar10 or a "
                   "folder of class folders; with --resume: the one it was trained on")
    _add_data_args(p)
    add_config_options(p)
    p.add_argument("--out", help="write the trained model (checkpoint) here")
    p.add_argument("--resume", help="continue training from this model file (options given change its settings "
                   "or are refused with the reason)")
    add_record_args(p)
    p.add_argument("--json", action="store_true", help="print a final JSON line")
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("eval", help="evaluate a trained model on a dataset")
    p.add_argument("--model", required=True, help="a model file written by train or the app")
    p.add_argument("--dataset", help="dataset name or folder (default: the one it was trained on)")
    _add_data_args(p)
    p.add_argument("--split", choices=("test", "train"), default="test")
    p.add_argument("--mistakes", type=int, default=5, help="list the K most confident mistakes")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("predict", help="classify image files with a trained model")
    p.add_argument("--model", required=True)
    p.add_argument("images", nargs="+", metavar="IMAGE", help="PNG/JPEG of any size, either ink polarity")
    p.add_argument("--top", type=int, default=3)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_predict)


def _add_data_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data-dir", help="folder holding the dataset files (default: the app's data cache)")
    p.add_argument("--download", action="store_true", help="download the dataset when missing (needs network)")


def _load_data(name: str, data_dir: str | None, download: bool, splits: tuple[str, ...] = ("train", "test")):
    from pathlib import Path

    from engine.data.folder import load_folder
    from engine.data.loading import load_dataset
    from engine.data.registry import DATASETS, DatasetError

    try:
        if name not in DATASETS and Path(name).is_dir():
            return load_folder(name)
        return load_dataset(name, data_dir, download=download, splits=splits)
    except DatasetError as exc:
        raise CliError(str(exc)) from None


class _Progress(NullReporter):
    """A one-line progress bar on a terminal; a line per epoch otherwise. Under torchrun only rank 0
    shows progress (and runs ``after_epoch``, e.g. the model file's save); the others tell only their own
    failures."""

    def __init__(self, stream=None, rank: int = 0):
        self.stream = stream if stream is not None else sys.stderr  # looked up now: tests replace stderr
        self.tty = self.stream.isatty()
        self.last = 0.0
        self.rank = rank
        self.after_epoch = None

    def on_start(self, info) -> None:
        print(f"training {info.dataset} ({info.train_size:,} images, {info.test_size:,} test) on "
              f"{info.device_name}, {info.threads} threads, {info.total_steps:,} steps", file=self.stream)

    def on_batch(self, s) -> None:
        now = time.monotonic()
        if not self.tty or now - self.last < 0.1 and s.batch != s.batches_per_epoch:
            return
        self.last = now
        width = 28
        filled = int(width * s.batch / s.batches_per_epoch)
        eta = f"{s.eta_s:5.0f}s" if math.isfinite(s.eta_s) else "  ?  "
        self.stream.write(f"\repoch {s.epoch} [{'#' * filled}{'.' * (width - filled)}] loss {s.loss:.4f} "
                          f"acc {s.accuracy:6.2%} {s.images_per_s:6.0f} img/s eta {eta}")
        self.stream.flush()

    def on_epoch(self, s) -> None:
        if self.tty:
            self.stream.write("\r" + " " * 100 + "\r")
        test = ("no test split" if s.test_accuracy is None
                else f"test loss {s.test_loss:.4f} acc {s.test_accuracy:.2%}")
        print(f"epoch {s.epoch}: train loss {s.train_loss:.4f} acc {s.train_accuracy:.2%}, {test}, "
              f"{s.seconds:.1f}s, {s.images_per_s:,.0f} img/s", file=self.stream)
        if self.after_epoch is not None:
            self.after_epoch()

    def on_error(self, error) -> None:
        if self.rank == 0:
            print(f"error: {error.message}", file=self.stream)
        elif error.kind in ("distributed", "exception", "out_of_memory"):  # the shared ones rank 0 tells
            print(f"rank {self.rank}: error: {error.message}", file=self.stream, flush=True)


class _OtherRank(_Progress):
    """Ranks other than 0 under torchrun: their own failures only."""

    on_start, on_batch, on_epoch = NullReporter.on_start, NullReporter.on_batch, NullReporter.on_epoch


def cmd_train(args: argparse.Namespace) -> int:
    from engine.training.distributed import DistributedError, launched_world

    try:
        world = launched_world()
    except DistributedError as exc:
        raise CliError(str(exc)) from None
    try:
        return _train(args, world)
    except CliError as exc:
        if world.local_rank != 0:  # the same reason from every rank of a node: its first rank says it,
            time.sleep(2.0)  # before torchrun, seeing this rank end, ends that one too
            raise SystemExit(exc.code) from None
        if not world.main:
            raise CliError(f"rank {world.rank}: {exc}", exc.code) from None
        raise


def _train(args: argparse.Namespace, world) -> int:
    from engine.io.checkpoint import CheckpointError, load_checkpoint, save_checkpoint
    from engine.io.runs import TeeReporter
    from engine.model.presets import get_preset
    from engine.model.shapes import adapt_to_dataset, analyze
    from engine.training.events import TrainConfig
    from engine.training.session import TrainingSession

    resume = None
    settings: dict[str, Any] = {}
    if args.resume:
        if args.preset or args.spec:
            raise CliError("--resume continues the network saved in the model file; leave out --preset and --spec")
        try:
            resume = load_checkpoint(args.resume)
        except CheckpointError as exc:
            raise CliError(str(exc)) from None
        spec = resume.spec
    elif args.preset or args.spec:
        spec = spec_from_args(args)
        if args.preset:
            settings = preset_settings(get_preset(args.preset).training)
    else:
        raise CliError("give --preset NAME, --spec FILE or --resume FILE")

    data = _load_data(args.dataset or (resume.dataset if resume else "mnist-sample"), args.data_dir, args.download)
    given = {**config_overrides(args), "snapshot_interval_s": 0.0, "snapshots_in_first_epoch": 0}
    if resume is not None:
        config = _resume_config(resume, data, given, args)
    else:
        spec = adapt_to_dataset(spec, data.info.input_shape, len(data.info.class_names))
        report = analyze(spec)
        if not report.ok:
            problems = "; ".join(f"{p.message} (fix: {p.fix.label})" if p.fix else p.message for p in report.errors)
            raise CliError(f"the network does not fit {data.info.name}: {problems}")
        config = TrainConfig.from_dict({**settings, **given})
        try:
            config.validate()
        except ValueError as exc:
            raise CliError(str(exc)) from None

    world = _start_world(world, spec, data, config, resume)
    session = TrainingSession(spec, data, config, resume=resume, world=world)
    progress = _Progress() if world.main else _OtherRank(rank=world.rank)
    if world.distributed and world.main and args.out:  # a lost rank costs at most the epoch in progress
        progress.after_epoch = lambda: save_checkpoint(args.out, session.checkpoint())
    recorder = start_recording(args, session, data) if world.main else None  # under torchrun: rank 0 records
    previous = signal.signal(signal.SIGINT, lambda *_: session.stop())
    try:
        finish = session.run(TeeReporter(progress, recorder))
    finally:
        signal.signal(signal.SIGINT, previous)
    out = _save(args.out, session, finish) if world.main else None
    run = finish_recording(recorder)
    _end_world(world, finish)
    if world.main:
        _tell_result(args, finish, out, world.size, run)
    if finish.status in ("failed", "diverged"):
        if finish.status == "failed" and "network" in finish.message:
            return EXIT_BAD_INPUT
        return EXIT_FAILED
    return EXIT_OK if finish.status == "completed" else 130


def _save(path: str | None, session, finish) -> str | None:
    """Write the model file (good weights only); the path written or None."""
    from engine.io.checkpoint import save_checkpoint

    if not path or session.model is None or finish.status not in ("completed", "stopped", "diverged"):
        return None
    if not finish.good_weights:
        print(f"not saved to {path}: no good weights existed yet", file=sys.stderr)
        return None
    save_checkpoint(path, session.checkpoint())
    print(f"saved {path}" + (f" (the weights of step {finish.restored_step})"
                             if finish.restored_step is not None else ""), file=sys.stderr)
    return path


def _tell_result(args: argparse.Namespace, finish, out: str | None, ranks: int, run: str | None = None) -> None:
    if args.json:
        print(json.dumps({"test_accuracy": finish.test_accuracy, "test_loss": finish.test_loss,
                          "epochs": finish.epochs_done, "seconds": round(finish.seconds, 3),
                          "images_per_s": round(finish.images_per_s, 1), "out": out, "status": finish.status,
                          "reason": finish.message, "restored_step": finish.restored_step,
                          "good_weights": finish.good_weights, "step": finish.step, "ranks": ranks, "run": run}))
    elif finish.status == "diverged":
        print(f"diverged: {finish.message}")
    elif finish.test_accuracy is not None:
        print(f"{finish.status}: test accuracy {finish.test_accuracy:.2%} after {finish.epochs_done} epochs "
              f"in {finish.seconds:.1f}s ({finish.images_per_s:,.0f} img/s)")


def _start_world(world, spec, data, config, resume):
    """Under torchrun: check the setup, connect the ranks and compare their versions and run; ``world`` as is
    otherwise. Every refusal is a ``CliError`` with its reason."""
    from engine.training import distributed as ddp

    if not world.distributed:
        return world
    n = len(data.train) if data.train is not None else config.batch_size
    try:
        part, note = ddp.per_rank_batch(min(config.batch_size, n), world)
        device = ddp.rank_device(world, config.device)
        world = ddp.start(world, ddp.choose_backend(config.backend, device), config.dist_timeout_s)
        run = {k: v for k, v in config.to_dict().items() if k not in ("device", "threads", "dist_timeout_s")}
        ddp.check_agreement(world, {**ddp.versions(), "dataset": f"{data.info.name} ({n:,} training images)",
                                    "network": ddp.fingerprint(spec.to_dict()), "settings": ddp.fingerprint(run),
                                    "resumed step": str(resume.step if resume is not None else 0)})
    except ddp.DistributedError as exc:
        raise CliError(str(exc)) from None
    if world.main:
        print(f"torchrun: {world.size} ranks over {world.backend}, {part} images per rank of each global batch of "
              f"{part * world.size}" + (f" ({note})" if note else ""), file=sys.stderr)
    return world


def _end_world(world, finish) -> None:
    """Under torchrun: wait until rank 0 has written its files, then disconnect (at once after a lost rank)."""
    from engine.training.distributed import finish as finish_world

    if world.distributed and finish.status != "failed":
        finish_world(world)


def _resume_config(resume, data, given: dict[str, Any], args: argparse.Namespace):
    """The settings of a resumed run; each change printed, a refused one as a ``CliError``."""
    from engine.training.resume import resume_config

    info = data.info
    if tuple(info.input_shape) != tuple(resume.spec.input) or len(info.class_names) != resume.spec.num_classes:
        raise CliError(f"{args.resume} takes {list(resume.spec.input)} images in {resume.spec.num_classes} classes "
                       f"but {info.name} has {list(info.input_shape)} in {len(info.class_names)}; a resumed run "
                       "trains the same network")
    try:
        config, notes = resume_config(resume, given, args.epochs)
    except ValueError as exc:
        raise CliError(f"cannot resume {args.resume} so: {exc}") from None
    if resume.dataset != info.name:
        notes.insert(0, f"dataset {resume.dataset} → {info.name}")
    for note in notes:
        print(f"resume: {note}", file=sys.stderr)
    return config


def _load_model(path: str):
    from engine.io.checkpoint import CheckpointError, load_checkpoint

    try:
        return load_checkpoint(path)
    except CheckpointError as exc:
        raise CliError(str(exc)) from None


def cmd_eval(args: argparse.Namespace) -> int:
    from engine.model.budget import fitting_batch_size
    from engine.model.build import build_model
    from engine.model.shapes import analyze
    from engine.training.evaluate import evaluate

    ckpt = _load_model(args.model)
    data = _load_data(args.dataset or ckpt.dataset, args.data_dir, args.download, splits=(args.split,))
    split = data.test if args.split == "test" else data.train
    if split is None:
        raise CliError(f"{data.info.name} has no {args.split} split in {data.source}")
    if tuple(data.info.input_shape) != tuple(ckpt.spec.input) or len(data.info.class_names) != ckpt.spec.num_classes:
        raise CliError(f"the model takes {list(ckpt.spec.input)} with {ckpt.spec.num_classes} classes but "
                       f"{data.info.name} has {list(data.info.input_shape)} with {len(data.info.class_names)}")
    model = build_model(ckpt.spec)
    model.load_state_dict(ckpt.state)
    mean, std = ckpt.mean or data.info.mean, ckpt.std or data.info.std
    started = time.perf_counter()
    result = evaluate(model, split.images, split.labels, tuple(mean), tuple(std), ckpt.spec.num_classes,
                      batch_size=fitting_batch_size(analyze(ckpt.spec), 1000), top_mistakes=args.mistakes)
    seconds = time.perf_counter() - started
    names = tuple(data.info.class_names)
    if args.json:
        print(json.dumps({"dataset": data.info.name, "split": args.split, "source": data.source,
                          **result.to_dict(names), "seconds": round(seconds, 3)}))
        return EXIT_OK
    print(f"{data.info.name} {args.split} ({result.count:,} images from {data.source}): "
          f"accuracy {result.accuracy:.2%}, loss {result.loss:.4f}")
    for name, acc in zip(names, result.per_class_accuracy):
        print(f"  {name:>12}: {'n/a' if math.isnan(acc) else f'{acc:.2%}'}")
    width = max(5, max(len(str(v)) for v in result.confusion.flatten()) + 1)
    print("confusion (rows: true, columns: predicted)")
    print(" " * 13 + "".join(str(i).rjust(width) for i in range(len(names))))
    for i, row in enumerate(result.confusion):
        print(f"  {names[i][:10]:>10} " + "".join(str(v).rjust(width) for v in row))
    for m in result.mistakes:
        print(f"  mistake #{m.index}: true {names[m.true_class]}, predicted {names[m.predicted_class]} "
              f"({m.confidence:.1%})")
    return EXIT_OK


def cmd_predict(args: argparse.Namespace) -> int:
    import numpy as np
    import torch

    from engine.inspect.canvas import ImageError, load_image_file, prepare_input
    from engine.model.build import build_model

    ckpt = _load_model(args.model)
    model = build_model(ckpt.spec).eval()
    model.load_state_dict(ckpt.state)
    names = ckpt.class_names or tuple(str(i) for i in range(ckpt.spec.num_classes))
    results = []
    for path in args.images:
        try:
            image = load_image_file(path)
        except ImageError as exc:
            raise CliError(str(exc)) from None
        x = prepare_input(image, tuple(ckpt.spec.input), ckpt.mean or (0.5,), ckpt.std or (0.5,))
        with torch.no_grad():
            probs = model(torch.from_numpy(x)).softmax(1)[0].numpy()
        order = np.argsort(-probs)[: max(1, args.top)]
        results.append({"image": path, "prediction": names[order[0]], "class": int(order[0]),
                        "confidence": float(probs[order[0]]),
                        "top": [{"class": names[i], "probability": float(probs[i])} for i in order]})
    if args.json:
        print(json.dumps(results if len(results) > 1 else results[0]))
    else:
        for r in results:
            top = ", ".join(f"{t['class']} {t['probability']:.1%}" for t in r["top"])
            print(f"{r['image']}: {r['prediction']} ({top})")
    return EXIT_OK
