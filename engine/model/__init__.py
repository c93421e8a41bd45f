"""The network as data: spec, layer registry, shape/param/cost inference, building, presets."""
