"""File → Export… in the app: a trained model exported to ONNX (checked by onnxruntime) and to a
PyTorch script, on the background task runner; no model gives a clear message."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog

from tests.gui.test_runs_panel import tiny_window

pytestmark = pytest.mark.slow


@pytest.fixture
def window(tmp_path, monkeypatch, ready_window):
    monkeypatch.setenv("CONVSCOPE_RUNS_DIR", str(tmp_path / "runs"))
    return tiny_window(ready_window)


def test_export_without_a_model_says_so(window, qtbot):
    said = []
    window.runs.exporter.done.connect(lambda ok, text: said.append((ok, text)))
    window.runs.export_action.trigger()
    assert said and not said[0][0] and "no trained model" in said[0][1]
    assert "no trained model" in window.training.banner.label.text()


@pytest.mark.parametrize("fmt, suffix", [("onnx", ".onnx"), ("pytorch", ".py")])
def test_export_a_trained_model(window, qtbot, tmp_path, monkeypatch, fmt, suffix):
    panel = window.training
    assert panel.start()
    qtbot.waitUntil(lambda: not panel.controller.running, timeout=120000)  # a hang guard
    target = tmp_path / f"exported{suffix}"
    chosen = "ONNX (*.onnx)" if fmt == "onnx" else "PyTorch script (*.py)"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target.with_suffix("")), chosen))
    exporter = window.runs.exporter
    with qtbot.waitSignal(exporter.done, timeout=120000) as blocker:
        window.runs.export_action.trigger()
        assert exporter.runner.is_running()  # off the GUI thread
    ok, text = blocker.args
    assert ok, text
    assert exporter.result.format == fmt and Path(exporter.result.path) == target and target.exists()
    assert str(target) in window.training.banner.label.text()
    if fmt == "onnx":
        assert exporter.result.max_abs_diff is not None and exporter.result.max_abs_diff <= 1e-4
