"""The GPU path (skipped without CUDA): AMP training on the device, the chooser's GPU names, NCCL's choice."""

from __future__ import annotations

import pytest
import torch

from engine.data.loading import load_dataset
from engine.model.presets import get_preset
from engine.training import distributed as ddp
from engine.training.devices import available_devices, describe_device, device_choices
from engine.training.events import TrainConfig
from engine.training.session import TrainingSession

cuda = pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA GPU on this machine")


def test_the_chooser_lists_what_the_trainer_takes():
    choices = device_choices()
    assert [device for device, _ in choices] == available_devices()
    assert available_devices()[:2] == ["auto", "cpu"] and "cores" in dict(choices)["cpu"]


@cuda
def test_cuda_lists_each_gpu_by_name_and_memory():
    labels = dict(device_choices())
    for i in range(torch.cuda.device_count()):
        assert torch.cuda.get_device_name(i) in labels[f"cuda:{i}"] and labels[f"cuda:{i}"].endswith("GiB")
    device, name = describe_device("cuda")
    assert device.startswith("cuda:") and "GiB" in name


@cuda
def test_cuda_trains_with_amp_on_the_device():
    data = load_dataset("mnist-sample")
    config = TrainConfig(epochs=2, batch_size=100, device="cuda", snapshot_interval_s=0.0,
                         snapshots_in_first_epoch=0)
    session = TrainingSession(get_preset("seed000").spec, data, config)
    finish = session.run()
    assert finish.status == "completed", finish.message
    assert finish.test_accuracy > 0.9 and session.device.type == "cuda"
    assert ddp.choose_backend("auto", session.device) == "nccl"
