#!/usr/bin/env python3
"""GUI benchmarks: training speed inside the app, GUI responsiveness while training, launch time.

1. images/s of a run started from the training panel over the same run headless (same spec,
   data and TrainConfig, threads included); target ≥ 0.9.
2. gaps between ticks of a 16 ms QTimer in the GUI thread during that run: p99 ≤ 20 ms,
   max ≤ 50 ms (the live plots, status and weight snapshots all run in that thread), and the GUI
   thread's CPU time per second; ``--explain N``: what it ran in the N longest gaps (gui_probe.py).
3. launch to first paint of ``python main.py`` (a fresh process each time); target ≤ 1 s.
4. memory kept per run: ``--soak-runs`` runs (default 20) started in one window and stopped
   after ``--soak-batches`` batches (0: each completes ``--epochs``); RSS growth per run after
   the first (target ≈ 0; every run used to keep its worker and session) and the TrainingWorker
   / TrainingSession objects still alive. RSS is read after a full collection, and again after
   glibc's malloc_trim (what is left then is kept, not merely fragmented).
   ``--soak-only`` measures only this; ``--soak-runs 0`` skips it.
5. launch to training-ready (``python main.py`` until torch is loaded and Start is enabled; target ≤ 3 s)
   and quit: from ``close()`` after the save prompt (answered) to the process gone, idle after a
   finished run (target ≤ 0.5 s) and while training (stop the run, drop it, exit; ≤ 1 s). Each is a
   fresh ``main.py`` process driven by ``--quit-child``; ``--quits N`` (0 skips them).

Run it on a quiet machine: ``.venv/bin/python bench/gui_bench.py`` (add ``--json`` for one
JSON object). It measures twice, each in its own process: on Qt's offscreen platform and on real
X11 under Xvfb (``xvfb-run -a``, QT_QPA_PLATFORM=xcb); ``--platforms offscreen`` for one.
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _config(args: argparse.Namespace):
    from engine.training.devices import default_threads
    from engine.training.events import TrainConfig

    return TrainConfig(optimizer="adam", lr=1e-3, batch_size=args.batch_size, epochs=args.epochs, seed=0,
                       threads=default_threads(gui=True))


def headless_rate(spec, data, config) -> float:
    from engine.training.session import TrainingSession

    info = TrainingSession(spec, data, config).run()
    assert info.status == "completed", info.message
    return info.images_per_s


def _window(spec, config, tmp: Path):
    """(app, a shown MainWindow with the engine loaded, ``spec`` and ``config`` on the sample)."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from engine.training.devices import describe_device
    from gui.main_window import MainWindow
    from gui.widgets import theme

    app = QApplication.instance() or QApplication([sys.argv[0]])
    theme.install(app)
    window = MainWindow(settings=QSettings(str(tmp / "bench.ini"), QSettings.Format.IniFormat))
    window.ask_to_save = False
    window.show()
    window.plots.ensure_built()
    window.engine_loaded(describe_device("cpu"))
    gc.collect()  # as gui.app does once the engine is ready
    gc.freeze()
    window.state.set_spec(spec)
    window.training.set_config(config)
    window.training.select_dataset("mnist-sample")
    settle(app, window)
    return app, window


def settle(app, window, seconds: float = 0.5) -> None:
    """Wait for the window's first paint (on X11 it is mapped, sized and exposed asynchronously) and let it
    settle, as a person does before pressing Start: that first full paint (60 ms under Xvfb) is not a cost
    of training."""
    deadline = time.perf_counter() + 10
    while not window._painted and time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.005)
    quiet = time.perf_counter() + seconds
    while time.perf_counter() < quiet:
        app.processEvents()
        time.sleep(0.005)


def gui_run(spec, config, tmp: Path, explain: int = 0) -> dict:
    """Train from the panel of a shown MainWindow while a 16 ms timer probes the event loop (and,
    with ``explain``, a sampler records what the GUI thread did in the ``explain`` longest gaps)."""
    from gui_probe import FrameProbe, StackSampler  # (bench/, the script's folder)
    from PySide6.QtCore import QEventLoop

    app, window = _window(spec, config, tmp)
    panel = window.training
    probe = FrameProbe()
    sampler = StackSampler() if explain else None
    panel.controller.started.connect(lambda _info: probe.reset())
    events: list[tuple[str, float]] = []
    panel.controller.started.connect(lambda _i: events.append(("started", time.perf_counter())))
    panel.controller.epochEnded.connect(lambda _s: events.append(("epoch", time.perf_counter())))
    panel.controller.finished.connect(lambda _s: events.append(("finished", time.perf_counter())))
    loop = QEventLoop()
    panel.controller.runningChanged.connect(lambda running: None if running else loop.quit())
    probe.timer.start()
    if sampler is not None:
        sampler.start()
    assert panel.start(), panel.start_blocker()
    loop.exec()
    end = time.perf_counter()
    if sampler is not None:
        sampler.stop()
    while panel.plots.pending:
        app.processEvents()
    probe.timer.stop()
    timed = probe.gaps(end)
    gaps = [gap for gap, _t in timed]
    worst = sorted(timed, reverse=True)[:max(3, explain)]
    origin = probe.ticks[0] if probe.ticks else 0.0
    finish = panel.finish_info
    assert finish is not None and finish.status == "completed", panel.error_info
    result = {
        "images_per_s": finish.images_per_s,
        "gaps_ms": sorted(g * 1000 for g in gaps),
        "gui_busy_per_s": probe.busy_per_s(end),
        "gap_causes": probe.gap_causes(end),
        "redraws": window.plots.repaints,
        "seconds": finish.seconds,
        # the longest gaps (ms) and when they ended, with the run's events, in s from the start
        "worst_gaps": [(round(g * 1000, 1), round(t - origin, 3)) for g, t in worst],
        "events": [(name, round(t - origin, 3)) for name, t in events],
    }
    if sampler is not None:  # what the GUI thread ran in each of the longest gaps
        result["explained"] = [(round(g * 1000, 1), round(t - origin, 3), sampler.explain(t - g, t, "gui_run"))
                               for g, t in worst[:explain]]
    window.close()
    app.processEvents()
    return result


def rss_mb() -> float:
    """This process's resident memory (MB), from /proc/self/statm."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def soak(spec, config, runs: int, batches: int, tmp: Path) -> dict:
    """``runs`` runs in one window, each stopped after ``batches`` batches (0: each completes its
    epochs): RSS after each (after a full collection) and the workers and sessions alive at the end."""
    from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop

    app, window = _window(spec, replace(config, epochs=1000) if batches else config, tmp)
    panel = window.training
    loop = QEventLoop()
    panel.controller.runningChanged.connect(lambda running: None if running else loop.quit())
    if batches:  # else every run completes its epochs
        panel.controller.batches.connect(lambda _c: panel.stop() if window.plots.batch_count >= batches else None)
    rss, trimmed = [], []
    try:
        trim = ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc
        trim = None
    for _ in range(runs):
        assert panel.start(), panel.start_blocker()
        loop.exec()
        while panel.plots.pending:
            app.processEvents()
        assert panel.finish_info is not None and panel.error_info is None, panel.error_info
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        gc.collect()
        rss.append(rss_mb())
        if trim is not None:
            trim(0)
            trimmed.append(rss_mb())
    alive = [type(obj).__name__ for obj in gc.get_objects()]
    window.close()
    app.processEvents()
    return {
        "rss_mb": [round(r, 1) for r in rss],
        "growth_per_run_mb": round((rss[-1] - rss[0]) / max(1, runs - 1), 2),
        "trimmed_rss_mb": [round(r, 1) for r in trimmed],
        "trimmed_growth_per_run_mb": round((trimmed[-1] - trimmed[0]) / max(1, runs - 1), 2) if trimmed else None,
        "alive": {name: alive.count(name) for name in ("TrainingWorker", "TrainingSession", "WeightSnapshot")},
    }


def launch_times(repeats: int) -> list[float]:
    """Seconds from spawning ``python main.py`` to its first painted frame."""
    times = []
    for _ in range(repeats):
        env = dict(os.environ, CONVSCOPE_REPORT_STARTUP="1")
        started = time.perf_counter()
        proc = subprocess.Popen([sys.executable, str(ROOT / "main.py")], cwd=ROOT, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            for line in proc.stdout:
                if "first paint" in line:
                    times.append(time.perf_counter() - started)
                    break
        finally:
            proc.terminate()
            proc.wait(10)
    return times


def quit_child(mode: str) -> int:
    """In a fresh app process (``gui.app.main``): print when Start is enabled, train the sample, then
    close the window (``idle``: after the run finished; ``training``: 40 batches in) and print when."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from gui import app as gui_app
    from gui.main_window import MainWindow

    qapp = QApplication([sys.argv[0]])
    marks: dict = {}

    def poll() -> None:
        window = next((w for w in qapp.topLevelWidgets() if isinstance(w, MainWindow)), None)
        if window is None:
            return
        panel = window.training
        if "ready" not in marks and panel.start_action.isEnabled():
            marks["ready"] = time.time()
            print(f"training-ready {marks['ready']:.6f}", flush=True)
            panel.select_dataset("mnist-sample")
            panel.set_config(replace(panel.config(), epochs=1, batch_size=64))
            assert panel.start(), panel.start_blocker()
        done = panel.finish_info is not None and not panel.controller.running
        if "ready" in marks and "closed" not in marks and (done if mode == "idle" else window.plots.batch_count >= 40):
            window.ask_to_save = False  # the prompt was answered ("Discard"); the clock starts after it
            marks["closed"] = time.time()
            print(f"closing {marks['closed']:.6f}", flush=True)
            window.close()

    timer = QTimer()
    timer.timeout.connect(poll)
    timer.start(20)
    qapp.aboutToQuit.connect(lambda: print(f"event-loop-done {time.time():.6f}", flush=True))
    return gui_app.main([])  # gui.app.leave_now exits from there


def quit_times(repeats: int) -> dict:
    """Launch to training-ready and close-to-exit seconds of fresh ``main.py`` processes (settings in a
    temporary XDG_CONFIG_HOME, the welcome hidden)."""
    import tempfile

    out: dict = {"ready_s": [], "quit_idle_s": [], "quit_training_s": []}
    for _ in range(repeats):
        for mode in ("idle", "training"):
            with tempfile.TemporaryDirectory() as config_home:
                ini = Path(config_home) / "ConvScope" / "ConvScope.conf"
                ini.parent.mkdir()
                ini.write_text("[welcome]\nhidden=true\n")
                env = dict(os.environ, XDG_CONFIG_HOME=config_home)
                started = time.time()
                proc = subprocess.Popen([sys.executable, __file__, "--quit-child", mode], cwd=ROOT, env=env,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
                marks = {}
                for line in proc.stdout:
                    name, _, at = line.partition(" ")
                    marks[name] = float(at)
                proc.wait(60)
                gone = time.time()
            if mode == "idle":
                out["ready_s"].append(marks["training-ready"] - started)
            out[f"quit_{mode}_s"].append(gone - marks["closing"])
            stages = [marks.get("event-loop-done", gone), gone]
            # close → event loop done → process gone
            out.setdefault(f"quit_{mode}_stages_s", []).append(
                [round(b - a, 3) for a, b in zip([marks["closing"], *stages], stages)])
    return {key: [v if isinstance(v, list) else round(v, 3) for v in values] for key, values in out.items()}


def speed(spec, config, args: argparse.Namespace, tmp: Path) -> dict:
    """Benchmarks 1–3: images/s headless and in the GUI, timer gaps, launch to first paint."""
    from gui_probe import percentile

    from engine.data.loading import load_dataset

    data = load_dataset("mnist-sample")
    headless, gui, gaps, busy, explained, causes = [], [], [], [], [], []
    redraws = 0
    for _ in range(args.repeats):
        headless.append(headless_rate(spec, data, config))
        run = gui_run(spec, config, tmp, args.explain)
        gui.append(run["images_per_s"])
        gaps.extend(run["gaps_ms"])
        busy.append(run["gui_busy_per_s"])
        causes.append(run["gap_causes"])
        explained.extend(run.get("explained", []))
        redraws += run["redraws"]
    launches = launch_times(args.launches)
    h, g = statistics.median(headless), statistics.median(gui)
    return {
        "headless_images_per_s": round(h, 1),
        "gui_images_per_s": round(g, 1),
        "gui_over_headless": round(g / h, 3),
        "frame_gap_p50_ms": round(percentile(gaps, 50), 1),
        "frame_gap_p99_ms": round(percentile(gaps, 99), 1),
        "frame_gap_max_ms": round(max(gaps) if gaps else float("nan"), 1),
        "gui_busy_s_per_s": round(statistics.median(busy), 3),
        "gaps_over_20ms": causes,  # per run: how many, and running / waiting for a core / blocked
        "plot_redraws": redraws,
        "explained_gaps": explained,
        "launch_to_first_paint_s": [round(t, 3) for t in launches],
        "launch_median_s": round(statistics.median(launches), 3) if launches else None}


def per_platform(platforms: list[str]) -> int:
    """Run this bench once per platform, each in a fresh process (xvfb: under ``xvfb-run -a`` on xcb)."""
    argv = [a for i, a in enumerate(sys.argv[1:]) if a != "--platforms" and sys.argv[i:i + 1] != ["--platforms"]]
    rc = 0
    for platform in platforms:
        command = [sys.executable, __file__, *argv, "--platforms", platform]
        env = dict(os.environ, QT_QPA_PLATFORM="xcb" if platform == "xvfb" else platform)
        if platform == "xvfb" and not os.environ.get("DISPLAY"):
            command = ["xvfb-run", "-a", "-s", "-screen 0 1920x1080x24", *command]
        print(f"== {platform} ==", flush=True)
        rc = subprocess.run(command, env=env, cwd=ROOT).returncode or rc
    return rc


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--preset", default="seed000")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=2, help="alternating headless/GUI runs")
    parser.add_argument("--launches", type=int, default=3)
    parser.add_argument("--soak-runs", type=int, default=20, help="runs for the memory soak (0: none)")
    parser.add_argument("--soak-batches", type=int, default=20,
                        help="batches before each soak run is stopped (0: it completes --epochs)")
    parser.add_argument("--soak-only", action="store_true", help="only the memory soak")
    parser.add_argument("--quits", type=int, default=3, help="fresh processes per quit measurement (0: none)")
    parser.add_argument("--quit-child", choices=("idle", "training"), help=argparse.SUPPRESS)
    parser.add_argument("--platforms", default="offscreen,xvfb", help="offscreen and/or xvfb (real X11)")
    parser.add_argument("--explain", type=int, default=0, help="show what the GUI thread ran in the N longest gaps")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.quit_child:
        return quit_child(args.quit_child)
    if "," in args.platforms or (args.platforms == "xvfb" and os.environ["QT_QPA_PLATFORM"] != "xcb"):
        return per_platform(args.platforms.split(","))

    import tempfile

    from engine.model.presets import get_preset

    spec = get_preset(args.preset).spec
    config = _config(args)
    out = {"spec": args.preset, "dataset": "mnist-sample", "threads": config.threads,
           "platform": os.environ["QT_QPA_PLATFORM"]}
    with tempfile.TemporaryDirectory() as tmp:
        if not args.soak_only:
            out.update(speed(spec, config, args, Path(tmp)))
        if args.quits > 0:
            out["quit"] = quit_times(args.quits)
        if args.soak_runs > 0:
            out["soak"] = soak(spec, config, args.soak_runs, args.soak_batches, Path(tmp))
    if args.json:
        print(json.dumps(out, indent=2))
        return 0
    print(f"spec {out['spec']} on {out['dataset']}, {out['threads']} training thread(s), "
          f"Qt platform {out['platform']}")
    if "gui_images_per_s" in out:
        print(f"training: headless {out['headless_images_per_s']:,.0f} images/s, in the GUI "
              f"{out['gui_images_per_s']:,.0f} images/s → ratio {out['gui_over_headless']:.3f} (target ≥ 0.9)")
        print(f"16 ms timer gaps while training: p50 {out['frame_gap_p50_ms']} ms, p99 {out['frame_gap_p99_ms']} ms, "
              f"max {out['frame_gap_max_ms']} ms (targets p99 ≤ 20, max ≤ 50); {out['plot_redraws']} plot redraws")
        print(f"GUI thread busy {out['gui_busy_s_per_s'] * 1000:.0f} ms of CPU a second while training; "
              f"gaps > 20 ms per run (their time split): {out['gaps_over_20ms']}")
        for gap_ms, at, what in out["explained_gaps"]:
            print(f"  gap {gap_ms} ms ending at {at} s: {what}")
        if launches := out["launch_to_first_paint_s"]:
            print(f"launch to first paint: {', '.join(f'{t:.2f}' for t in launches)} s "
                  f"(median {out['launch_median_s']} s, target ≤ 1 s)")
    if "quit" in out:
        q = out["quit"]
        med = {key: statistics.median(values) for key, values in q.items() if "stages" not in key}
        print(f"launch to training-ready: {q['ready_s']} s (median {med['ready_s']:.2f} s, target ≤ 3 s)")
        print(f"quit after the save prompt: idle {q['quit_idle_s']} s (median {med['quit_idle_s']:.2f}, target ≤ 0.5); "
              f"while training {q['quit_training_s']} s (median {med['quit_training_s']:.2f}, target ≤ 1)")
        print(f"  stages (close → event loop done → process gone): idle {q['quit_idle_stages_s']}, "
              f"training {q['quit_training_stages_s']}")
    if "soak" in out:
        soaked = out["soak"]
        rss = soaked["rss_mb"]
        alive = ", ".join(f"{n} {name}" for name, n in soaked["alive"].items())
        how = f"stopped after {args.soak_batches} batches" if args.soak_batches else f"of {args.epochs} epoch(s)"
        print(f"memory: {len(rss)} runs {how}: RSS {rss[0]:.0f} → "
              f"{rss[-1]:.0f} MB, {soaked['growth_per_run_mb']:+.2f} MB a run after the first (target ≈ 0); "
              f"after malloc_trim {soaked['trimmed_growth_per_run_mb']:+.2f} MB a run; alive at the end: {alive}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
