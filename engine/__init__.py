"""ConvScope's engine: network specs, shape inference, building, data, training, inspection.

Plain Python and torch; nothing here imports Qt. Modules that need torch import it themselves,
so ``engine.model.spec`` and ``engine.model.shapes`` stay usable before torch has loaded.
"""

__version__ = "0.1.0"
