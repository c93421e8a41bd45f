"""gui.widgets.png_export: the file is a real PNG of the widget's size; failures say why."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PIL import Image  # noqa: E402
from PySide6.QtWidgets import QLabel  # noqa: E402

from gui.widgets.png_export import export_widget_png  # noqa: E402


def shown_label(qtbot, width=173, height=61):
    label = QLabel("ConvScope")
    label.setStyleSheet("background: #ff0000;")
    qtbot.addWidget(label)
    label.resize(width, height)
    label.show()
    qtbot.waitExposed(label)
    return label


def test_written_file_is_a_png_of_the_widget_size(qtbot, tmp_path):
    label = shown_label(qtbot)
    path = export_widget_png(label, tmp_path / "figure")  # the suffix is added
    assert path == str(tmp_path / "figure.png")
    with open(path, "rb") as f:
        assert f.read(8) == b"\x89PNG\r\n\x1a\n"
    with Image.open(path) as image:
        ratio = label.devicePixelRatioF()
        assert image.format == "PNG"
        assert image.size == (round(label.width() * ratio), round(label.height() * ratio))
        assert image.convert("RGB").getpixel((2, 2)) == (255, 0, 0)


def test_unwritable_path_gives_a_clear_error(qtbot, tmp_path):
    label = shown_label(qtbot)
    target = tmp_path / "no such folder" / "figure.png"
    with pytest.raises(OSError, match="could not write .*figure.png"):
        export_widget_png(label, target)
    assert not target.exists()


def test_a_widget_without_size_is_refused(qtbot, tmp_path):
    label = QLabel()
    qtbot.addWidget(label)
    label.resize(0, 0)
    with pytest.raises(OSError, match="nothing to export"):
        export_widget_png(label, tmp_path / "empty.png")
