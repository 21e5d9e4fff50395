"""Benchmark: render the Bibob advice report for a small, medium and huge example.

Run: ``.venv/bin/python benchmarks/report.py [--repeat N]``. Prints pages, bytes and the median
render time per size (fonts are registered once, before timing, as in a running app).
Target: a realistic (medium) report well under one second.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from screening.report import render_advice_report  # noqa: E402
from screening.report.examples import example_report  # noqa: E402
from screening.report.pdf import fonts  # noqa: E402

_PAGE = re.compile(rb"/Type /Page\b")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    started = time.perf_counter()
    font_set = fonts()
    font_ms = (time.perf_counter() - started) * 1000
    print(f"lettertype: {font_set.description} (registratie {font_ms:.0f} ms, eenmalig per proces)")
    print(f"{'rapport':<8} {'paginas':>8} {'bytes':>9} {'ms (mediaan)':>13} {'ms (min)':>9}")
    for size in ("small", "medium", "huge"):
        report = example_report(size)
        timings = []
        pdf = b""
        for _ in range(args.repeat):
            t = time.perf_counter()
            pdf = render_advice_report(report)
            timings.append((time.perf_counter() - t) * 1000)
        pages = len(_PAGE.findall(pdf))
        print(f"{size:<8} {pages:>8} {len(pdf):>9} {statistics.median(timings):>13.0f} {min(timings):>9.0f}")


if __name__ == "__main__":
    main()
