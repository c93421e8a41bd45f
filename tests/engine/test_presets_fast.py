"""The time-to-accuracy preset: a valid network with training settings a preset may carry, added without
changing the course notes' presets."""

import hashlib
import json

from engine.cli.common import preset_settings
from engine.model.presets import PRESETS, PRESETS_FILE, get_preset
from engine.model.shapes import analyze
from engine.training.config import TrainConfig

# sha256 of each notes' preset entry (json.dumps with sorted keys) before the fast preset was added
NOTES = {"seed000": "f670823e08ba", "seed001": "33bec49390e5", "seed002": "d16656648146",
         "seed003": "0fb7fe030d42", "seed004": "559a394ac025"}


def test_the_notes_presets_are_unchanged():
    entries = {e["name"]: e for e in json.loads(PRESETS_FILE.read_text(encoding="utf-8"))}
    for name, digest in NOTES.items():
        assert hashlib.sha256(json.dumps(entries[name], sort_keys=True).encode()).hexdigest()[:12] == digest, name


def test_fast_fashion_is_a_valid_fashion_network_with_a_one_cycle_schedule():
    preset = get_preset("fast-fashion")
    report = analyze(preset.spec)
    assert not report.errors and preset.dataset == "fashion-mnist"
    assert [layer["type"] for layer in preset.spec.to_dict()["layers"]].count("batchnorm2d") == 3
    settings = preset_settings(preset.training)
    assert settings == preset.training  # every setting is one a preset may set
    config = TrainConfig(**settings)
    config.validate()
    assert config.schedule == "onecycle" and config.epochs == 2
    assert list(PRESETS)[:5] == list(NOTES)
