"""The training panel's settings form, built from TrainConfig's field descriptions."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout, QSpinBox, QWidget

from engine.training.config import TrainConfig, settings
from gui.training.config_form import ConfigForm


@pytest.fixture
def form(qtbot):
    host = QWidget()
    qtbot.addWidget(host)
    form = ConfigForm(QFormLayout(host))
    form.host = host  # keeps the widgets alive (qtbot holds only a weak reference)
    return form


def test_every_app_setting_gets_its_widget_range_and_default(form):
    described = {s.name: s for s in settings() if s.in_app}
    assert set(form.widgets) == set(described)
    assert isinstance(form.widgets["optimizer"], QComboBox) and isinstance(form.widgets["augment"], QCheckBox)
    assert isinstance(form.widgets["batch_size"], QSpinBox)
    momentum = form.widgets["momentum"]
    assert isinstance(momentum, QDoubleSpinBox) and momentum.maximum() == pytest.approx(0.999)
    assert momentum.decimals() == 3 and momentum.value() == pytest.approx(0.9)
    assert form.widgets["lr"].minimum() == pytest.approx(1e-6) and form.widgets["epochs"].maximum() == 1000
    assert form.values() == {name: getattr(TrainConfig(), name) for name in described}


def test_a_preset_keeps_or_resets_what_it_omits(form):
    form.show_value("momentum", 0.5)
    form.show_value("schedule", "cosine")
    form.apply_preset({"optimizer": "sgd", "lr": 0.05})
    values = form.values()
    assert values["optimizer"] == "sgd" and values["lr"] == pytest.approx(0.05)
    assert values["momentum"] == pytest.approx(0.5)  # "if_given": kept
    assert values["schedule"] == "none"  # "or_default": back to the default


def test_a_model_files_config_shows_except_the_machine_settings(form):
    form.show_value("device", "cpu")
    config = TrainConfig(optimizer="adamw", epochs=7, label_smoothing=0.1, seed=42, augment=True, device="auto")
    form.show_config(config)
    values = form.values()
    assert (values["optimizer"], values["epochs"], values["seed"], values["augment"]) == ("adamw", 7, 42, True)
    assert values["label_smoothing"] == pytest.approx(0.1) and values["device"] == "cpu"


def test_sgd_only_settings_follow_the_optimizer(form):
    form.show_value("optimizer", "adam")
    form.set_enabled(True)
    assert not form.widgets["momentum"].isEnabled() and not form.widgets["nesterov"].isEnabled()
    form.show_value("optimizer", "sgd")
    form.set_enabled(True)
    assert form.widgets["momentum"].isEnabled() and form.widgets["nesterov"].isEnabled()
    form.set_enabled(False)
    assert not any(w.isEnabled() for w in form.widgets.values())


def test_a_combo_item_with_data_gives_its_data_and_shows_by_it(form):
    """The device picker labels each device ("cpu — CPU (2 cores)") but the value stays the device."""
    from engine.training.devices import device_choices

    box = form.widgets["device"]
    box.clear()
    for device, label in device_choices():
        box.addItem(label, device)
    assert box.itemText(1).startswith("cpu — CPU (") and box.itemData(1) == "cpu"
    form.show_value("device", "cpu")
    assert box.currentIndex() == 1 and form.values()["device"] == "cpu"
    form.show_value("device", "auto")
    assert form.values()["device"] == "auto"


def test_the_init_sigma_follows_the_init_choice(form):
    form.set_enabled(True)
    assert not form.widgets["init_std"].isEnabled() and form.widgets["init_layers"].isEnabled()
    form.apply_preset({"init": "normal", "init_std": 0.01, "init_layers": "all", "normalize": "mnist",
                       "shuffle": False, "seed": 777})
    assert form.widgets["init_std"].isEnabled()
    values = form.values()
    assert (values["init"], values["normalize"], values["shuffle"], values["seed"]) == ("normal", "mnist", False, 777)
    form.apply_preset({})  # a preset that sets none of them: back to the defaults
    values = form.values()
    assert (values["init"], values["normalize"], values["shuffle"], values["seed"]) == ("default", "dataset", True, 0)
    assert not form.widgets["init_std"].isEnabled()
    form.set_enabled(False)
    form.show_value("init", "normal")
    assert not form.widgets["init_std"].isEnabled()  # a running form stays disabled
