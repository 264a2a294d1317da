"""Small helpers shared by the benchmark scripts: timing, medians, the table and the JSON file."""

from __future__ import annotations

import gc
import json
import platform
import statistics
import subprocess
import time
from collections.abc import Callable, Sequence
from pathlib import Path

RESULTS = Path(__file__).parent / "results"


def time_call(fn: Callable[[], object], runs: int) -> list[float]:
    """Wall-clock seconds of ``runs`` calls of ``fn``; what a call returns is freed after its
    clock stops (freeing a large result is not the work being measured)."""
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        out.append(time.perf_counter() - start)
        del result
    return out


def settle() -> None:
    """Collect garbage once and move everything alive to the permanent generation: the inputs a
    benchmark builds (an rdflib graph of a million triples) are then not scanned again by the
    cyclic collector in the middle of some other case's run."""
    gc.collect()
    gc.freeze()


def time_rounds(cases: dict[str, Callable[[], object]], runs: int) -> dict[str, list[float]]:
    """Wall-clock seconds of each case, ``runs`` rounds of one call each, in turn: a slow
    spell of the machine then touches every case alike, not one case's runs."""
    samples: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(runs):
        for name, fn in cases.items():
            samples[name] += time_call(fn, 1)
    return samples


def time_process(argv: Sequence[str], runs: int) -> list[float]:
    """Wall-clock seconds of ``runs`` whole processes (stdout discarded, failures raise)."""
    return time_call(lambda: subprocess.run(argv, check=True, stdout=subprocess.DEVNULL), runs)


def table(rows: list[dict], reference: str) -> str:
    """Markdown table: name, median, min, runs and ratio to the row named ``reference``."""
    ref = next(r["median_s"] for r in rows if r["name"] == reference)
    lines = [
        "| measurement | median (s) | min (s) | runs | ratio to reference |",
        "|---|---:|---:|---:|---:|",
    ]
    for r in rows:
        mark = " (reference)" if r["name"] == reference else ""
        lines.append(
            f"| {r['name']}{mark} | {r['median_s']:.3f} | {r['min_s']:.3f} | "
            f"{r['runs']} | {r['median_s'] / ref:.2f}x |"
        )
    return "\n".join(lines)


def row(name: str, samples: list[float], **extra: object) -> dict:
    return {
        "name": name,
        "median_s": statistics.median(samples),
        "min_s": min(samples),
        "runs": len(samples),
        **extra,
    }


def save(name: str, rows: list[dict]) -> Path:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.json"
    doc = {"machine": platform.platform(), "python": platform.python_version(), "rows": rows}
    path.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    return path
