"""The files behind the main window: architectures (.json) and trained models (.safetensors).

``Document`` opens and saves them, keeps the recent files, asks "Save before you quit?" when
there is unsaved work, opens dropped files and keeps the window title's modified marker (``[*]``)
in step with the undo stack. The main window owns one and calls it from its menus and events.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QT_TRANSLATE_NOOP, QMimeData, QObject, QSettings, QTimer, Signal
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMenu, QMessageBox

from engine.io.fileio import save_spec
from engine.model.presets import PRESETS
from engine.model.spec import NetworkSpec, SpecError
from gui.builder.panel import dataset_input_edit
from gui.state import AppState
from gui.training.panel import TrainingPanel
from gui.training.plots import TrainingPlots

APP_NAME = "ConvScope"
MAX_RECENT = 8
ARCH_FILTER = QT_TRANSLATE_NOOP("Document", "Architectures (*.json);;All files (*)")  # shown through self.tr
MODEL_FILTER = QT_TRANSLATE_NOOP("Document", "ConvScope models (*.safetensors *.convscope);;All files (*)")
#: What "Save before you …?" and "Stop training before opening …" name, translated where shown.
ACTIONS = (QT_TRANSLATE_NOOP("Document", "continue"),
           QT_TRANSLATE_NOOP("Document", "start a new network"),
           QT_TRANSLATE_NOOP("Document", "open another network"),
           QT_TRANSLATE_NOOP("Document", "open a model"),
           QT_TRANSLATE_NOOP("Document", "open another file"),
           QT_TRANSLATE_NOOP("Document", "quit"),
           QT_TRANSLATE_NOOP("Document", "another network"),
           QT_TRANSLATE_NOOP("Document", "a model"))
MODEL_SUFFIXES = (".safetensors", ".convscope", ".ckpt", ".pt")


def is_model_path(path: str) -> bool:
    """True for a trained-model file (by suffix); anything else opens as an architecture."""
    return Path(path).suffix.lower() in MODEL_SUFFIXES


def spec_error_text(exc: SpecError) -> str:
    """One bullet line per problem of ``exc`` ("• layer 0, 'kernel': …")."""
    lines = []
    for index, key, message in exc.problems:
        where = ", ".join(w for w in (f"layer {index}" if index is not None else "",
                                      f"'{key}'" if key else "") if w)
        lines.append(f"• {where + ': ' if where else ''}{message}")
    return "\n".join(lines) or str(exc)


def accepts_drop(mime: QMimeData) -> bool:
    """True when a drag brings files and only local ones."""
    urls = mime.urls()
    return bool(urls) and all(u.isLocalFile() for u in urls)


class RecentFiles:
    """The most recently opened or saved files (newest first, at most ``MAX_RECENT``) in QSettings."""

    def __init__(self, settings: QSettings):
        self.settings = settings

    def paths(self) -> list[str]:
        value = self.settings.value("recentFiles", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])]

    def add(self, path: str) -> None:
        """Put ``path`` first (once) and remember its folder for the next file dialog."""
        path = os.path.abspath(path)
        files = [p for p in self.paths() if p != path]
        files.insert(0, path)
        self.settings.setValue("recentFiles", files[:MAX_RECENT])
        self.settings.setValue("lastDir", os.path.dirname(path))

    def clear(self) -> None:
        self.settings.setValue("recentFiles", [])

    def last_dir(self) -> str:
        return str(self.settings.value("lastDir", str(Path.home())))


class Document(QObject):
    """Open/save, recent files and unsaved changes for ``window``'s network and model.

    ``ask_to_save = False`` skips the Save/Discard/Cancel prompt and the error dialogs (tests);
    errors always show in the training panel's banner and the status bar.
    """

    fileOpened = Signal(str)
    statusMessage = Signal(str, int)  # text, milliseconds
    modelChanged = Signal()  # a model was trained, opened or dropped: what can be saved changed

    def __init__(self, window: QMainWindow, state: AppState, training: TrainingPanel, plots: TrainingPlots,
                 settings: QSettings):
        super().__init__(window)
        self.window = window
        self.state = state
        self.training = training
        self.plots = plots
        self.recent = RecentFiles(settings)
        self.ask_to_save = True
        self.spec_path: str | None = None
        self.model_path: str | None = None
        self.model_unsaved = False
        self.loaded_checkpoint: Any = None
        state.undo_stack.cleanChanged.connect(self.update_title)
        state.specChanged.connect(self.update_title)
        training.modelTrained.connect(self._model_trained)
        training.resume_action.triggered.connect(self.resume)

    # -- title and unsaved changes ---------------------------------------------------------
    @property
    def architecture_modified(self) -> bool:
        return not self.state.undo_stack.isClean()

    def update_title(self, *_args: Any) -> None:
        """``name[*] — ConvScope``, with the modified marker while the architecture has unsaved edits."""
        if not shiboken6.isValid(self.state.undo_stack):  # the stack's destructor signals too
            return
        name = Path(self.spec_path).name if self.spec_path else f"{self.state.spec.name} (unsaved)"
        self.window.setWindowTitle(f"{name}[*] — {APP_NAME}")
        self.window.setWindowModified(self.architecture_modified)

    def confirm_discard(self, what: str = "continue") -> bool:
        """Save/Discard/Cancel when there are unsaved changes; True to go on."""
        if not self.ask_to_save:
            return True
        reasons = []
        if self.architecture_modified:
            reasons.append(self.tr("the architecture has unsaved changes"))
        if self.model_unsaved:
            reasons.append(self.tr("the trained model has not been saved"))
        if not reasons:
            return True
        box = QMessageBox(QMessageBox.Icon.Warning, APP_NAME, self.tr("Save before you {0}?").format(self.tr(what)),
                          parent=self.window)
        text = "; ".join(reasons)
        box.setInformativeText(text[:1].upper() + text[1:] + ".")
        box.setStandardButtons(QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                               | QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        answer = box.exec()
        if answer == QMessageBox.StandardButton.Cancel:
            return False
        if answer == QMessageBox.StandardButton.Save:
            if self.architecture_modified and not self.save_architecture():
                return False
            if self.model_unsaved and not self.save_model_dialog():
                return False
        return True

    def _model_trained(self) -> None:
        self.model_unsaved = True
        self.loaded_checkpoint = None
        self.modelChanged.emit()

    # -- new and open ----------------------------------------------------------------------
    def new_file(self) -> None:
        """The classic two-block CNN, sized for the chosen dataset, with no weights and no file."""
        if self.training.controller.running or not self.confirm_discard("start a new network"):
            return
        base = PRESETS["seed000"].spec
        info = self.state.dataset_info
        spec = NetworkSpec(name="untitled", input=tuple(info.input_shape) if info else base.input,
                           num_classes=len(info.class_names) if info else base.num_classes,
                           layers=base.layers)
        self.state.set_spec(spec)
        self.state.set_weights(None)
        self.state.undo_stack.clear()
        self.spec_path = None
        self.model_unsaved = False
        self.loaded_checkpoint = None
        self.plots.set_history([], [])
        self.plots.summary.setText(self.tr("New network (the classic two-block CNN): edit it, then press Start."))
        self.update_title()
        self.modelChanged.emit()

    def open_path(self, path: str) -> bool:
        """Open an architecture (.json) or a model file, by its suffix."""
        if is_model_path(path):
            return self.open_model(path)
        return self.open_architecture(path)

    def _open_from_dialog(self, what: str, title: str, file_filter: str, open_file: Callable[[str], bool]) -> None:
        """Once unsaved work is saved or discarded, ``open_file`` the file chosen in an Open dialog."""
        if not self.confirm_discard(f"open {what}"):  # in ACTIONS
            return
        path = QFileDialog.getOpenFileName(self.window, self.tr(title), self.recent.last_dir(),
                                           self.tr(file_filter))[0]
        if path:
            open_file(path)

    def _refused_while_training(self, what: str) -> bool:
        if self.training.controller.running:
            self.error(self.tr("Stop training before opening {0}.").format(self.tr(what)))
        return self.training.controller.running

    def open_architecture_dialog(self) -> None:
        self._open_from_dialog("another network", QT_TRANSLATE_NOOP("Document", "Open Architecture"), ARCH_FILTER,
                               self.open_architecture)

    def open_architecture(self, path: str) -> bool:
        """Replace the network with the one in ``path`` (one undoable step); False, with a message, on errors."""
        if self._refused_while_training("another network"):
            return False
        try:
            spec = NetworkSpec.load(path)
        except SpecError as exc:
            self.error(self.tr("Cannot open {0}").format(Path(path).name), spec_error_text(exc))
            return False
        info = self.state.dataset_info
        self.state.edit_spec(spec, self.tr("Open {0}").format(Path(path).name))
        self.spec_path = path
        self.state.undo_stack.setClean()
        if info is not None and dataset_input_edit(spec, info) is not None:
            self.statusMessage.emit(
                self.tr("{0} expects {1} inputs and {2} classes; the chosen dataset {3} differs: pick a matching "
                        "dataset or edit the input.").format(Path(path).name, "×".join(map(str, spec.input)),
                                                            spec.num_classes, info.title), 10000)
        self.recent.add(path)
        self.update_title()
        self.fileOpened.emit(path)
        return True

    def open_model_dialog(self) -> None:
        self._open_from_dialog("a model", QT_TRANSLATE_NOOP("Document", "Open Model"), MODEL_FILTER, self.open_model)

    def open_model(self, path: str) -> bool:
        """Restore a model file: architecture, weights, training settings and curves.

        The file is read and checked in full first (``load_checkpoint``); a refused file changes
        nothing and shows why, naming the field. One that loads is applied in one step, the
        window repainting once."""
        if self._refused_while_training("a model"):
            return False
        if not self.state.engine_ready:
            self.error(self.tr("PyTorch is still loading; open the model again in a moment."))
            return False
        from engine.io.checkpoint import CheckpointError, load_checkpoint

        try:
            ckpt = load_checkpoint(path)
            weights = ckpt.numpy_state()
        except CheckpointError as exc:
            reason = str(exc).removeprefix(f"{path}: ")
            self.error(self.tr("Cannot open {0}").format(Path(path).name),
                       reason + "\n" + self.tr("Nothing was changed: the current network and model are kept."))
            return False
        self._apply_model(path, ckpt, weights)
        return True

    def _apply_model(self, path: str, ckpt: Any, weights: Any) -> None:
        """Show a checked model file: every part at once, then one repaint."""
        updates = self.window.updatesEnabled()
        self.window.setUpdatesEnabled(False)
        try:
            if ckpt.dataset and self.training.dataset_combo.findData(ckpt.dataset) >= 0:
                self.training.select_dataset(ckpt.dataset)
            self.state.edit_spec(ckpt.spec, self.tr("Open model {0}").format(Path(path).name))
            self.state.set_weights(weights)
            self.training.set_config(ckpt.config)
            self.state.input_normalize = ckpt.config.normalize
            self.plots.set_history(ckpt.history, ckpt.lr_changes, ckpt.class_names)
            self.loaded_checkpoint = ckpt
            self.model_path = path
            self.model_unsaved = False
        finally:
            self.window.setUpdatesEnabled(updates)
        self.recent.add(path)
        self.modelChanged.emit()
        self.statusMessage.emit(self.tr("Opened model {0} ({1} epochs, step {2})").format(path, ckpt.epoch, ckpt.step),
                                6000)
        self.fileOpened.emit(path)

    def open_confirmed(self, path: str) -> None:
        """Open ``path`` (a recent or dropped file) once unsaved work is saved or discarded."""
        if self.confirm_discard("open another file"):
            self.open_path(path)

    def drop(self, mime: QMimeData) -> bool:
        """Open the first dropped local file, after the drop has finished; False when there is none."""
        paths = [u.toLocalFile() for u in mime.urls() if u.isLocalFile()]
        if not paths:
            return False
        QTimer.singleShot(0, lambda: self.open_confirmed(paths[0]))
        return True

    # -- save ------------------------------------------------------------------------------
    def save_architecture(self) -> bool:
        if not self.spec_path:
            return self.save_architecture_as()
        return self.write_architecture(self.spec_path)

    def _ask_save_path(self, title: str, suggestion: str, file_filter: str, suffix: str) -> str:
        """A file chosen in a Save dialog, with ``suffix`` added when it has none; "" when cancelled."""
        path = QFileDialog.getSaveFileName(self.window, self.tr(title), suggestion, self.tr(file_filter))[0]
        return path + suffix if path and not Path(path).suffix else path

    def save_architecture_as(self) -> bool:
        suggestion = self.spec_path or os.path.join(self.recent.last_dir(), f"{self.state.spec.name}.json")
        path = self._ask_save_path(QT_TRANSLATE_NOOP("Document", "Save Architecture"), suggestion, ARCH_FILTER, ".json")
        return bool(path) and self.write_architecture(path)

    def write_architecture(self, path: str) -> bool:
        """Save the spec to ``path``, which becomes the document's file; the title loses its marker."""
        try:
            save_spec(self.state.spec, path)
        except OSError as exc:
            self.error(self.tr("Cannot save {0}").format(Path(path).name), str(exc))
            return False
        self.spec_path = path
        self.state.undo_stack.setClean()
        self.recent.add(path)
        self.update_title()
        self.statusMessage.emit(self.tr("Saved {0}").format(path), 4000)
        return True

    def current_checkpoint(self) -> Any:
        """The checkpoint Save Model writes: the training run's, else the model opened last."""
        ckpt = self.training.checkpoint()
        return ckpt if ckpt is not None else self.loaded_checkpoint

    def resume(self) -> bool:
        """Training → Resume: continue the current model (the last run's, else the opened one)."""
        return self.training.resume(self.current_checkpoint())

    def save_model_dialog(self) -> bool:
        ckpt = self.current_checkpoint()
        if ckpt is None:
            self.error(self.tr("There is no trained model to save yet"),
                       self.tr("Train the network (or pause a run) first."))
            return False
        suggestion = self.model_path or os.path.join(self.recent.last_dir(), f"{ckpt.spec.name}.safetensors")
        path = self._ask_save_path(QT_TRANSLATE_NOOP("Document", "Save Model"), suggestion, MODEL_FILTER,
                                   ".safetensors")
        return bool(path) and self.save_model(path, ckpt)

    def save_model(self, path: str, ckpt: Any = None) -> bool:
        from engine.io.checkpoint import save_checkpoint

        ckpt = ckpt if ckpt is not None else self.current_checkpoint()
        if ckpt is None:
            return False
        try:
            save_checkpoint(path, ckpt)
        except (OSError, ValueError, RuntimeError) as exc:
            self.error(self.tr("Cannot save {0}").format(Path(path).name), str(exc))
            return False
        self.model_path = path
        self.model_unsaved = False
        self.recent.add(path)
        self.statusMessage.emit(self.tr("Saved model {0}").format(path), 4000)
        return True

    # -- messages and the Recent Files menu ------------------------------------------------
    def error(self, text: str, detail: str = "") -> None:
        """A clear message that never blocks a test run (banner), plus a dialog for people."""
        message = text + (f": {detail}" if detail else "")
        self.training.banner.show_message(message.replace("\n", "<br>"), "error")
        self.statusMessage.emit(text, 8000)
        if self.ask_to_save:  # interactive session: also a dialog
            box = QMessageBox(QMessageBox.Icon.Warning, APP_NAME, text, QMessageBox.StandardButton.Ok, self.window)
            if detail:
                box.setInformativeText(detail)
            box.open()

    def fill_recent_menu(self, menu: QMenu) -> None:
        """Numbered entries, newest first; files that no longer exist are listed but disabled."""
        menu.clear()
        files = self.recent.paths()
        for n, path in enumerate(files, 1):
            a = menu.addAction(f"&{n} {Path(path).name}")
            a.setToolTip(path)
            a.setStatusTip(path)
            a.setEnabled(os.path.exists(path))
            a.triggered.connect(lambda _=False, p=path: self.open_confirmed(p))
        if not files:
            menu.addAction(self.tr("(none)")).setEnabled(False)
        else:
            menu.addSeparator()
            menu.addAction(self.tr("Clear"), self.recent.clear)
