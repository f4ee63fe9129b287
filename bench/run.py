"""Benchmark: wall time and peak memory of `wsis-ledger check` and `report --format json`.

    python bench/run.py                 # N = 1 000, 10 000, 100 000; writes bench/RESULTS.md
    python bench/run.py --long          # and 1 000 000
    python bench/run.py --sizes 1000 --repeat 3 --out /tmp/results.md

Each measurement is a separate process, the median of --repeat runs; peak
memory is the process's maximum resident set (from wait4). Beside them, in
the same run: the floor (merely parsing the same YAML files with PyYAML's C
loader), the cache (a first run with an empty cache, then a repeated one),
and start-up on the shipped annex against bare Python imports.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import generate  # noqa: E402

FLOOR = """
import glob, sys, yaml
for name in sorted(glob.glob(sys.argv[1] + "/**/*.yaml", recursive=True)):
    with open(name, encoding="utf-8") as handle:
        yaml.load(handle.read(), Loader=yaml.CSafeLoader)
"""
#: The installed console script beside this Python, as a user runs it; else `python -m`.
_SCRIPT = Path(sys.executable).parent / "wsis-ledger"
TOOL = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "wsis_ledger"]


@dataclass
class Measure:
    seconds: float
    peak_mb: float


def measure(
    command: list[str], repeat: int, env: dict[str, str], fresh_cache: bool = False
) -> Measure:
    """Median wall time and peak memory of `command` over `repeat` runs."""
    times, peaks = [], []
    for _ in range(repeat):
        if fresh_cache:
            shutil.rmtree(env["XDG_CACHE_HOME"], ignore_errors=True)
        started = time.perf_counter()
        process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env
        )
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode not in (0,):
            raise SystemExit(f"{' '.join(command)} failed: {process.stderr.read().decode()[-500:]}")  # type: ignore[union-attr]
        times.append(elapsed)
        peaks.append(usage.ru_maxrss / 1024)  # KiB on Linux
    return Measure(statistics.median(times), statistics.median(peaks))


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return f"{cpu}, {os.cpu_count()} cores{memory}; Python {platform.python_version()}; {platform.platform()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1_000, 10_000, 100_000])
    parser.add_argument("--long", action="store_true", help="add N = 1 000 000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args()
    sizes = [*args.sizes, *([1_000_000] if args.long else [])]
    work = Path(tempfile.mkdtemp(prefix="wsis-bench-"))
    env = {**os.environ, "XDG_CACHE_HOME": str(work / "cache")}
    env.pop("WSIS_LEDGER_NO_CACHE", None)
    rows = []
    try:
        for n in sizes:
            ledger = work / f"ledger-{n}"
            generate(n, ledger)
            size_mb = sum(p.stat().st_size for p in ledger.rglob("*.yaml")) / 1e6
            repeat = 1 if n >= 1_000_000 else args.repeat  # a long run: once each
            floor = measure([sys.executable, "-c", FLOOR, str(ledger)], repeat, env)
            check = measure([*TOOL, "check", "--no-cache", "--data", str(ledger)], repeat, env)
            report = measure(
                [*TOOL, "report", "--no-cache", "--format", "json", "--data", str(ledger)],
                repeat,
                env,
            )
            cold = measure([*TOOL, "check", "--data", str(ledger)], 1, env, fresh_cache=True)
            warm = measure([*TOOL, "check", "--data", str(ledger)], args.repeat, env)
            shutil.rmtree(ledger, ignore_errors=True)
            rows.append((n, size_mb, floor, check, report, cold, warm))
            print(
                f"N={n}: floor {floor.seconds:.2f}s check {check.seconds:.2f}s/{check.peak_mb:.0f}MB "
                f"report {report.seconds:.2f}s/{report.peak_mb:.0f}MB warm {warm.seconds:.3f}s",
                flush=True,
            )
        repeat = max(args.repeat, 10)
        imports_all = measure([sys.executable, "-c", "import click, pydantic, yaml"], repeat, env)
        imports_click = measure([sys.executable, "-c", "import click"], repeat, env)
        first = measure([*TOOL, "check"], repeat, env, fresh_cache=True)
        again = measure([*TOOL, "check"], repeat, env)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    write(args.out, rows, imports_all, imports_click, first, again)
    print(f"wrote {args.out}")


def write(
    out: Path,
    rows: list,
    imports_all: Measure,
    imports_click: Measure,  # type: ignore[type-arg]
    first: Measure,
    again: Measure,
) -> None:
    lines = [
        "# Benchmark results",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with `python bench/run.py` on: {machine()}.",
        "Each figure is the median of separate processes; memory is the peak resident set.",
        "",
        "## Reading and checking",
        "",
        "| entries | YAML MB | floor: C-loader parse | check | check / floor | check peak MB | "
        "report --format json | report peak MB | check, empty cache | check, repeated |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n, size_mb, floor, check, report, cold, warm in rows:
        lines.append(
            f"| {n:,} | {size_mb:.1f} | {floor.seconds:.2f} s | {check.seconds:.2f} s | "
            f"{check.seconds / floor.seconds:.2f} | {check.peak_mb:.0f} | {report.seconds:.2f} s | "
            f"{report.peak_mb:.0f} | {cold.seconds:.2f} s | {warm.seconds:.3f} s |"
        )
    lines += [
        "",
        "## Start-up on the shipped annex",
        "",
        "| what | time | ratio |",
        "|---|---:|---:|",
        f'| `python -c "import click, pydantic, yaml"` | {imports_all.seconds * 1000:.0f} ms | |',
        f'| `python -c "import click"` | {imports_click.seconds * 1000:.0f} ms | |',
        f"| `wsis-ledger check`, empty cache | {first.seconds * 1000:.0f} ms | "
        f"{first.seconds / imports_all.seconds:.2f} × the imports of click, pydantic and yaml |",
        f"| `wsis-ledger check`, repeated | {again.seconds * 1000:.0f} ms | "
        f"{again.seconds / imports_click.seconds:.2f} × the import of click |",
        "",
        "## Against the targets",
        "",
        "| target | measured | met |",
        "|---|---|:-:|",
    ]
    by_n = {row[0]: row for row in rows}
    if 100_000 in by_n:
        _, _, floor, check, _, _, warm = by_n[100_000]
        ratio = check.seconds / floor.seconds
        lines += [
            f"| 100 000 entries: `check` within 1.5 × the C-loader parse | {ratio:.2f} × | "
            f"{_met(ratio <= 1.5)} |",
            f"| 100 000 entries: `check` peak memory under 400 MB | {check.peak_mb:.0f} MB | "
            f"{_met(check.peak_mb < 400)} |",
            f"| 100 000 entries: repeated `check` within 0.3 s | {warm.seconds:.3f} s | "
            f"{_met(warm.seconds <= 0.3)} |",
        ]
    for small, large in ((10_000, 100_000), (100_000, 1_000_000)):
        if small in by_n and large in by_n:
            growth = by_n[large][3].seconds / by_n[small][3].seconds
            lines.append(
                f"| linear: {small:,} → {large:,} entries in about 10 × the time | "
                f"{growth:.1f} × | {_met(growth <= 12)} |"
            )
    cold_ratio = first.seconds / imports_all.seconds
    warm_ratio = again.seconds / imports_click.seconds
    lines += [
        f"| first `check` of the annex within 2 × `import click, pydantic, yaml` | "
        f"{cold_ratio:.2f} × | {_met(cold_ratio <= 2)} |",
        f"| repeated `check` of the annex within 1.3 × `import click` | {warm_ratio:.2f} × | "
        f"{_met(warm_ratio <= 1.3)} |",
        "",
        "How these figures came about, and why the start-up targets are not met: "
        "[HISTORY.md](HISTORY.md).",
        "",
    ]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _met(ok: bool) -> str:
    return "yes" if ok else "**no**"


if __name__ == "__main__":
    main()
