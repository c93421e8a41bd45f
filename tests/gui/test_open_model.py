"""File → Open of model files in the app: a refused file shows why (naming the field) and leaves
the network, weights, history, settings and viewers exactly as they were; a good one applies."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtWidgets import QMessageBox

from engine.io.checkpoint import CheckpointError, load_checkpoint
from tests.engine.test_fuzz_model_files import craft_files
from tests.engine.test_model_files import rewrite, write_model_file

SAMPLE = 24


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("open")
    good = write_model_file(folder / "good.safetensors")
    other = rewrite(good, folder / "other.safetensors", lambda meta, tensors: meta.update(epoch=7))
    wrong_shape = rewrite(good, folder / "wrong.safetensors",
                          lambda meta, tensors: meta["spec"]["layers"][0].update(kernel_size=5))
    empty = folder / "empty.safetensors"
    empty.write_bytes(b"")
    crafted = [path for path, _ in craft_files(good, folder, SAMPLE)]
    return {"good": good, "other": other, "bad": [wrong_shape, empty, *crafted]}


def snapshot(window) -> dict:
    """Everything a model file sets, as the user would see it."""
    doc, plots = window.document, window.plots
    return {
        "spec": window.state.spec, "weights": id(window.state.weights), "undo": window.state.undo_stack.count(),
        "epochs": plots.epoch_count, "summary": plots.summary.text(),
        "confusion": None if plots.confusion is None else plots.confusion.tolist(),
        "config": window.training.config(), "dataset": window.training.dataset_combo.currentData(),
        "checkpoint": id(doc.loaded_checkpoint), "model_path": doc.model_path, "title": window.windowTitle(),
        "recent": doc.recent.paths(), "inspection": window.state.inspection.version,
    }


def test_a_refused_model_file_changes_nothing(ready_window, files):
    window = ready_window
    assert window.open_model(str(files["good"]))
    assert window.document.loaded_checkpoint.epoch == 1 and window.plots.epoch_count == 1
    assert window.state.weights is not None and window.state.spec.name == "small"
    before = snapshot(window)
    refused = 0
    for path in files["bad"]:
        try:
            load_checkpoint(path)
            continue  # a change the schema accepts (an ignored extra key)
        except CheckpointError as exc:
            field = exc.field
        refused += 1
        assert not window.open_model(str(path))
        assert snapshot(window) == before, path
        banner = window.training.banner.label.text()
        assert f"Cannot open {Path(path).name}" in banner and field in banner and "Nothing was changed" in banner
    assert refused >= SAMPLE * 0.8
    assert window.open_model(str(files["other"]))
    assert window.document.loaded_checkpoint.epoch == 7 and window.document.model_path == str(files["other"])
    assert np.array_equal(window.state.weights["fc1.weight"], load_checkpoint(files["good"]).state["fc1.weight"])


def test_a_refused_model_file_shows_a_dialog_naming_the_field(ready_window, files, monkeypatch):
    window = ready_window
    window.document.ask_to_save = True
    shown = []
    monkeypatch.setattr(QMessageBox, "open", lambda box: shown.append((box.text(), box.informativeText())))
    assert not window.open_model(str(files["bad"][0]))
    assert shown == [("Cannot open wrong.safetensors", shown[0][1])]
    assert shown[0][1].startswith("model.conv1.weight: is F32 [4, 1, 3, 3], the spec's network needs F32 [4, 1, 5, 5]")
    assert str(files["bad"][0]) not in shown[0][1]
