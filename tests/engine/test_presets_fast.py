"""The time-to-accuracy preset: a valid network with training settings a preset may carry, added without
changing the course notes' presets."""

import hashlib
import json

from engine.cli.common import preset_settings
from engine.model.presets import PRESETS, PRESETS_FILE, get_preset
from engine.model.shapes import analyze
from engine.training.config import TrainConfig

# sha256 of each notes' preset entry (json.dumps with sorted keys). Issue 12 changed the entries on
# purpose (the notes' seed, init, shuffling, normalisation, curves and honest descriptions): before it they were
# f670823e08ba, 33bec49390e5, d16656648146, 0fb7fe030d42 and 559a394ac025.
NOTES = {"seed000": "fe09f48b0412", "seed001": "83ff8af52a76", "seed002": "fd23a0281edc",
         "seed003": "f01dd1d4f4c0", "seed004": "65576ed49ab1"}
# sha256 of each notes' network (its "input" and "layers"), unchanged since the fast preset was added
NETWORKS = {"seed000": "680d93dc8693", "seed001": "da22fbdc5845", "seed002": "4215fab53933",
            "seed003": "e52b91a5c079", "seed004": "0c66e4427a9f"}


def test_the_notes_presets_are_unchanged():
    entries = {e["name"]: e for e in json.loads(PRESETS_FILE.read_text(encoding="utf-8"))}
    for name, digest in NOTES.items():
        assert hashlib.sha256(json.dumps(entries[name], sort_keys=True).encode()).hexdigest()[:12] == digest, name
        network = {key: entries[name][key] for key in ("input", "layers")}
        assert hashlib.sha256(json.dumps(network, sort_keys=True).encode()).hexdigest()[:12] == NETWORKS[name], name


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
