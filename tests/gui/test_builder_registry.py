"""The builder reads the layer registry: palette groups and help, new types, and the output signs
the viewers colour by."""

from __future__ import annotations

import pytest

from engine.model.layers import LAYERS, PALETTE_GROUPS
from engine.model.presets import PRESETS
from gui.builder.edits import add_edit, delete_edit, duplicate_edit, move_edit
from gui.builder.panel import COL_OUTPUT, COL_PARAMS, BuilderPanel
from gui.builder.table import COL_SETTINGS
from gui.state import AppState
from gui.viewers.feature_maps import signed_layers


@pytest.fixture
def panel(qtbot):
    widget = BuilderPanel(AppState(PRESETS["seed000"].spec))
    qtbot.addWidget(widget)
    return widget


def test_add_menu_follows_the_palette_groups_with_registry_help(panel):
    sections = [action.text() for action in panel.add_menu.actions() if action.isSeparator()]
    assert sections == [title for title, _ in PALETTE_GROUPS]
    kinds = [action.text() for action in panel.add_menu.actions() if not action.isSeparator()]
    assert kinds == [kind for _, group in PALETTE_GROUPS for kind in group]
    for kind, action in panel.add_actions.items():
        assert action.toolTip() == LAYERS[kind].help


def test_adaptive_pool_from_the_palette_shows_its_row(panel):
    state = panel.state
    flatten = state.spec.names.index("flatten")
    panel.select(flatten - 1)
    panel.add_actions["adaptiveavgpool2d"].trigger()
    assert state.spec.layers[flatten] == {"type": "adaptiveavgpool2d", "output_size": 1}
    assert state.undo_stack.undoText() == "Add adaptiveavgpool2d"
    row = panel.row_texts(flatten)
    assert row[0] == "pool3" and row[COL_SETTINGS] == "adaptiveavgpool2d  → 1×1"
    assert row[COL_OUTPUT] == "64×1×1"
    assert state.report.layers[flatten + 2].input_shape == (64,)  # fc1 now gets 64 features
    assert panel.row_texts(flatten + 2)[COL_PARAMS] == f"{64 * 10 + 10:,}"
    assert panel.tree.topLevelItem(flatten).toolTip(COL_SETTINGS) == LAYERS["adaptiveavgpool2d"].help
    assert panel.selected_index() == flatten


def test_spec_edits_name_themselves():
    spec = PRESETS["seed000"].spec
    added, text = add_edit(spec, "dropout", 2)
    assert text == "Add dropout" and added.layers[2] == {"type": "dropout", "p": 0.5}
    assert delete_edit(spec, 0)[1] == "Delete conv1" and len(delete_edit(spec, 0)[0].layers) == 7
    assert duplicate_edit(spec, 1)[0].layers[2] == {"type": "relu"}
    assert move_edit(spec, 1, 2)[1] == "Move relu1 down"
    assert move_edit(spec, 5, 1)[1] == "Move pool2 to position 2"
    assert move_edit(spec, 1, 1) is None and move_edit(spec, 0, 8) is None


def test_signed_layers_match_what_the_network_outputs():
    """Layers the viewer calls unsigned never output a negative value; signed ones do."""
    import torch

    from engine.model.build import build_model

    torch.manual_seed(0)
    for preset in PRESETS.values():
        spec = preset.spec
        signed = signed_layers(spec)
        assert list(signed) == spec.names
        model = build_model(spec).eval()
        x = torch.randn(8, *spec.input)
        with torch.no_grad():
            for name, module in model.named_children():
                x = module(x)
                if not signed[name]:
                    assert float(x.min()) >= 0.0, (spec.name, name)
                elif spec.layers[spec.names.index(name)]["type"] in ("conv2d", "linear"):
                    assert float(x.min()) < 0.0, (spec.name, name)
