"""ConvScope's Qt desktop app (PySide6 + pyqtgraph) on top of the Qt-free ``engine``."""
