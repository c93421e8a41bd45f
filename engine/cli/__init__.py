"""The headless commands. Qt-free; nothing else in engine imports this package."""
