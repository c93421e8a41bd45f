"""Picking a note's preset: the status bar's honest wording, the offer to switch to its dataset,
and the note's own accuracy curve beside a run of that preset on that dataset."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from engine.data.registry import DATASETS
from engine.training.config import TrainConfig
from engine.training.events import StartInfo


@pytest.fixture
def window(ready_window, tmp_path):
    panel = ready_window.training
    panel.select_dataset("mnist-sample")
    panel.data_dir_edit.setText(str(tmp_path))  # no full datasets here: the offers name the bundled samples
    return ready_window


def _pick(window, name):
    combo = window.builder.preset_combo
    combo.activated.emit(combo.findData(name))


def _started(window, dataset):
    window.training.controller.started.emit(StartInfo(
        device="cpu", device_name="CPU", threads=1, epochs=5, start_epoch=0, batches_per_epoch=78, total_steps=390,
        train_size=5000, test_size=500, class_names=DATASETS[dataset].class_names, dataset=dataset,
        config=TrainConfig()))


def test_the_status_bar_says_settings_from_the_note_only_when_true(window):
    _pick(window, "seed002")
    assert "training settings from the note" in window.statusBar().currentMessage()
    _pick(window, "seed003")
    message = window.statusBar().currentMessage()
    assert "not all from the note" in message and "book" in message
    _pick(window, "seed004")
    assert "not all from the note" in window.statusBar().currentMessage()
    _pick(window, "lenet5")
    assert "from its source" in window.statusBar().currentMessage()
    assert "note" not in window.statusBar().currentMessage()


def test_a_preset_offers_its_dataset_and_the_button_switches(window, qtbot):
    offer, panel = window.dataset_offer, window.training
    _pick(window, "seed001")
    assert offer.isVisibleTo(panel) and window.state.spec.name == "seed001"
    assert "seed001" in offer.label.text() and "Fashion-MNIST" in offer.label.text()
    assert offer.label.text().endswith(f"Switch to {DATASETS['fashion-mnist-sample'].title}?")
    assert offer.target == "fashion-mnist-sample" and offer.switch_button.text() == "Switch"
    assert panel.dataset_name == "mnist-sample"  # nothing switches until asked
    assert window.training.config_form.values()["normalize"] == "mnist"  # and the note's settings came
    qtbot.mouseClick(offer.switch_button, Qt.MouseButton.LeftButton)
    assert panel.dataset_name == "fashion-mnist-sample" and not offer.isVisibleTo(panel)
    _pick(window, "seed002")  # already on its dataset's sample: no offer
    assert not offer.isVisibleTo(panel)
    _pick(window, "seed000")
    assert offer.isVisibleTo(panel) and offer.target == "mnist-sample"
    panel.select_dataset("mnist-sample")  # chosen by hand: the offer goes
    assert not offer.isVisibleTo(panel)


def test_the_offer_names_the_full_set_when_its_files_are_there(window, monkeypatch):
    import engine.data.samples as samples

    monkeypatch.setattr(samples, "offline_choice", lambda name, folder=None: name)
    _pick(window, "seed002")
    assert window.dataset_offer.target == "fashion-mnist"
    assert window.dataset_offer.label.text().endswith("Switch to Fashion-MNIST?")


def test_the_note_curve_shows_only_for_that_preset_on_its_dataset(window):
    _pick(window, "seed002")
    _started(window, "fashion-mnist")
    overlays = window.plots.overlays
    assert overlays.reference_label == "note (seed002)"
    x, y = overlays.reference.getData()
    assert list(x) == [1, 2, 3, 4, 5] and list(y) == pytest.approx([0.8802, 0.8897, 0.905, 0.9095, 0.9114])
    _started(window, "fashion-mnist-sample")
    assert overlays.reference_label == "note (seed002, on the full set)"
    _started(window, "mnist-sample")  # seed002 on digits: the note's numbers do not apply
    assert overlays.reference is None and window.note_curve.shown is None
    _started(window, "fashion-mnist")
    window.builder.select(0)
    window.builder.form.editor("out_channels").setValue(35)  # an edited network is not the note's
    _started(window, "fashion-mnist")
    assert overlays.reference is None
    _pick(window, "seed003")  # a note without printed numbers
    _started(window, "fashion-mnist")
    assert overlays.reference is None
    _pick(window, "seed001")
    _started(window, "fashion-mnist")
    assert list(overlays.reference.getData()[0]) == [1, 2, 40]


def test_the_views_normalise_inputs_as_the_run_did(window):
    window.training.select_dataset("fashion-mnist-sample")
    assert window.state.input_stats() == ((0.2860,), (0.3530,))
    window.training.controller.started.emit(StartInfo(
        device="cpu", device_name="CPU", threads=1, epochs=1, start_epoch=0, batches_per_epoch=1, total_steps=1,
        train_size=64, test_size=10, class_names=DATASETS["fashion-mnist"].class_names,
        dataset="fashion-mnist-sample", config=TrainConfig(normalize="mnist")))
    assert window.state.input_stats() == ((0.1307,), (0.3081,))  # seed001: MNIST's numbers on Fashion-MNIST
    _started(window, "fashion-mnist-sample")  # TrainConfig()'s normalisation: the dataset's own
    assert window.state.input_stats() == ((0.2860,), (0.3530,))


def test_no_offer_while_the_engine_loads(main_window):
    main_window.builder.load_preset("seed001")
    assert main_window.training.dataset_name is None and not main_window.dataset_offer.isVisibleTo(main_window.training)
