"""*Feature space*: the test split's penultimate-layer features in 2-D, coloured by class.

PCA at once, t-SNE on request (in the background, with progress and Cancel); hover a point for
its thumbnail, click it to load that test image into the draw panel and the viewers. The drawn
digit is a star placed live among the points (with the same PCA basis, or by its nearest
neighbours for t-SNE). *Follow latest weights* recomputes as training moves; *Animate epochs*
plays the run's epoch keyframes.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QCheckBox, QLabel, QProgressBar, QPushButton, QWidget

from gui.state import AppState
from gui.tasks import TaskRunner, Throttle
from gui.viewers.base import STRETCH, Viewer, row
from gui.viewers.projector_compute import epoch_frames, project_split, run_tsne

__all__ = ["ProjectorView"]

THUMB = 84  # hover thumbnail side, pixels


class ProjectorView(Viewer):
    """The *Feature space* tab; ``imagePicked(index)`` when a point is clicked (a test-split index)."""

    imagePicked = Signal(int)
    export_title = "Export feature space"
    export_name = "feature-space"

    def __init__(self, state: AppState, test_split: Any, class_names: Any, parent: QWidget | None = None):
        super().__init__(state, parent, min_interval_ms=200)
        self._test_split, self._class_names = test_split, class_names
        self.projection: Any = None
        self.frames: list[tuple[float, np.ndarray]] = []
        self._frame = 0
        self._drawn: np.ndarray | None = None  # the network input of the drawn digit
        self.runner = TaskRunner(self)
        self.runner.finished.connect(self._done)
        self.runner.failed.connect(lambda text: self._say(self.tr("Could not project: {0}").format(text)))
        self.runner.progress.connect(lambda f: self.progress.setValue(int(1000 * f)))
        self.runner.running.connect(self._busy)
        self.pca_button = QPushButton(self.tr("PCA"))
        self.pca_button.setToolTip(self.tr("Project the test images' penultimate-layer features at once"))
        self.tsne_button = QPushButton(self.tr("t-SNE"))
        self.tsne_button.setToolTip(self.tr("A non-linear map of the same features (tens of seconds)"))
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.follow = QCheckBox(self.tr("Follow latest weights"))
        self.animate_button = QPushButton(self.tr("Animate epochs"))
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setMaximumWidth(160)
        self.thumb = QLabel()
        self.thumb.setFixedSize(THUMB, THUMB)
        self.hover_label = QLabel()
        self.figure = pg.PlotWidget()
        self.figure.setAspectLocked(False)
        self.scatter = pg.ScatterPlotItem(size=6, hoverable=True, hoverSize=11, pen=None)
        self.star = pg.ScatterPlotItem(size=22, symbol="star", pen=pg.mkPen("k", width=1.5), brush=pg.mkBrush("w"))
        self.figure.addItem(self.scatter)
        self.figure.addItem(self.star)
        self.legend = self.figure.addLegend(offset=(-10, 10), labelTextSize="8pt")
        self.scatter.sigClicked.connect(self._clicked)
        self.scatter.sigHovered.connect(self._hovered)
        self.pca_button.clicked.connect(self.compute_pca)
        self.tsne_button.clicked.connect(self.compute_tsne)
        self.cancel_button.clicked.connect(self.cancel)
        self.animate_button.clicked.connect(self.animate)
        self._follow_throttle = Throttle(self._follow_weights, 3000, self, leading=False)
        self._star_throttle = Throttle(self._place_star, 200, self)
        state.weightsChanged.connect(lambda _w: self._follow_throttle.request() if self.follow.isChecked() else None)
        self._player = QTimer(self)
        self._player.setInterval(700)
        self._player.timeout.connect(self._next_frame)
        self.arrange((row(self.pca_button, self.tsne_button, self.cancel_button, self.progress, STRETCH),
                      row(self.follow, self.animate_button, STRETCH, self.export_button),
                      row(self.thumb, self.hover_label, STRETCH)), self.figure)
        self.hover_label.setWordWrap(True)
        self.figure.setAccessibleName(self.tr("Feature space plot"))
        self.follow_theme(self.figure)
        self._busy(False)
        self.refresh()

    # -- work ------------------------------------------------------------------------------
    def _split(self) -> Any:
        split = self._test_split()
        if split is None or len(split) == 0:
            self._say(self.tr("No test images: load a dataset in the Training panel."))
            return None
        if tuple(split.images.shape[1:]) != tuple(self.state.spec.input):
            self._say(self.tr("The dataset's images do not fit this network's input."))
            return None
        return split

    @Slot()
    def compute_pca(self) -> None:
        """Features of the test split with the current weights, then PCA (background)."""
        split = self._split()
        if split is None:
            return
        if self.state.report.errors:
            self._say(self.tr("Fix the network's errors to see its feature space."))
            return
        self._player.stop()
        mean, std = self.state.input_stats()
        self._say(self.tr("Computing features…"))
        self.runner.start(project_split, self.state.spec, self.state.weights, split.images, split.labels, mean, std)

    @Slot()
    def compute_tsne(self) -> None:
        if self.projection is None:
            self._say(self.tr("Press PCA first: t-SNE maps the same features."))
            return
        self._player.stop()
        self._say(self.tr("t-SNE of {0:,} points…").format(len(self.projection.labels)))
        self.runner.start(run_tsne, self.projection)

    @Slot()
    def cancel(self) -> None:
        self.runner.cancel()
        self._say(self.tr("Cancelled."))

    @Slot()
    def animate(self) -> None:
        """One PCA picture per epoch keyframe of this run, then play them."""
        keyframes = [k for k in self.state.keyframes if float(k.epoch).is_integer() and k.epoch > 0]
        if len(keyframes) < 2:
            self._say(self.tr("Nothing to animate: epoch keyframes are kept while a run trains in the app "
                              "(at least two epochs); a model file holds only its final weights."))
            return
        split = self._split()
        if split is None:
            return
        mean, std = self.state.input_stats()
        self._say(self.tr("Projecting {0} epochs…").format(len(keyframes)))
        self.runner.start(epoch_frames, self.state.spec, keyframes, split.images, mean, std)

    @Slot()
    def _follow_weights(self) -> None:
        if self.follow.isChecked() and not self.runner.is_running():
            self.compute_pca()

    @Slot(object)
    def _done(self, result: Any) -> None:
        if isinstance(result, list):
            self.frames, self._frame = result, 0
            self._player.start()
            self._next_frame()
            return
        self.projection = result
        self._say("")
        self.request_refresh()

    @Slot()
    def _next_frame(self) -> None:
        if not self.frames or self.projection is None or len(self.frames[0][1]) != len(self.projection.labels):
            self._player.stop()
            return
        epoch, points = self.frames[self._frame]
        self._draw_points(points)
        self.hover_label.setText(self.tr("Epoch {0:g} of {1:g}").format(epoch, self.frames[-1][0]))
        self._frame += 1
        if self._frame >= len(self.frames):
            self._player.stop()

    @Slot(bool)
    def _busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.cancel_button.setEnabled(busy)
        self.tsne_button.setEnabled(not busy)
        self.pca_button.setEnabled(not busy)

    def _say(self, text: str) -> None:
        self.show_message(text)
        if text:
            self.statusMessage.emit(text)

    # -- the drawn digit ------------------------------------------------------------------
    @Slot(object)
    def set_input(self, x: Any) -> None:
        """The drawn digit's network input (1, C, H, W): placed among the points."""
        self._drawn = None if x is None else np.asarray(x, np.float32)
        self._star_throttle.request()  # only the star moves: the points stay

    @Slot()
    def _place_star(self) -> None:
        where = self.drawn_position()
        self.star.setData(pos=[] if where is None else [where])

    def drawn_position(self) -> np.ndarray | None:
        if self._drawn is None or self.projection is None:
            return None
        import torch

        from engine.inspect.projection import place_by_neighbours

        model = self.projection.model
        with torch.no_grad():
            x = torch.as_tensor(self._drawn)
            for layer in list(model.children())[:-1]:
                x = layer(x)
        feature = x.reshape(1, -1).numpy()
        if feature.shape[1] != self.projection.features.shape[1]:
            return None
        if self.projection.method == "pca":
            return self.projection.pca.project(feature)[0]
        return place_by_neighbours(self.projection.features, self.projection.points, feature[0])

    # -- drawing ---------------------------------------------------------------------------
    def refresh(self) -> None:
        if self.projection is None:
            self.scatter.clear()
            self.star.clear()
            if not self.runner.is_running():
                self.show_message(self.tr("No projection yet. Press PCA to place the test images by what the "
                                          "network's last layer sees (train or open a model first for a "
                                          "meaningful picture)."))
            return
        self._draw_points(self.projection.points)

    def _draw_points(self, points: np.ndarray) -> None:
        labels = self.projection.labels
        names = self._class_names()
        classes = max(int(labels.max()) + 1 if len(labels) else 1, len(names))
        colours = [pg.intColor(c, hues=max(classes, 1)) for c in range(classes)]
        palette = [pg.mkBrush(colour) for colour in colours]
        self.scatter.setData(pos=points, brush=[palette[int(c)] for c in labels], data=np.arange(len(labels)))
        self.legend.clear()
        for c in range(min(classes, 20)):
            self.legend.addItem(pg.ScatterPlotItem(brush=pg.mkBrush(colours[c]), pen=None, size=8),
                                names[c] if c < len(names) else str(c))
        self._place_star()
        method = "PCA" if self.projection.method == "pca" else "t-SNE"
        self.figure.setTitle(self.tr("{0} of {1:,} test images' penultimate features").format(
            method, len(labels)))

    @Slot(object, object, object)
    def _clicked(self, _item: Any, points: Any, _event: Any) -> None:
        if len(points):
            self.imagePicked.emit(int(points[0].data()))

    @Slot(object, object, object)
    def _hovered(self, _item: Any, points: Any, _event: Any) -> None:
        if not len(points) or self.projection is None:
            return
        index = int(points[0].data())
        split = self._test_split()
        picture = np.asarray(split.images[index])
        picture = picture[0] if picture.shape[0] == 1 else np.ascontiguousarray(picture.transpose(1, 2, 0))
        height, width = picture.shape[:2]
        fmt = QImage.Format.Format_Grayscale8 if picture.ndim == 2 else QImage.Format.Format_RGB888
        image = QImage(picture.tobytes(), width, height, picture.strides[0], fmt).copy()
        self.thumb.setPixmap(QPixmap.fromImage(image).scaled(THUMB, THUMB))
        names = self._class_names()
        label = int(self.projection.labels[index])
        self.hover_label.setText(self.tr("Test image {0}: {1} (click to draw it)").format(
            index, names[label] if label < len(names) else label))

    def export_target(self) -> QWidget:
        return self.figure
