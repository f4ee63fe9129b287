"""Benchmark: wall time and peak memory of `wsis-ledger check` and `report --format json`.

    python bench/run.py                 # N = 1 000, 10 000, 100 000; writes bench/RESULTS.md
    python bench/run.py --long          # and 1 000 000
    python bench/run.py --sizes 1000 --repeat 3 --out /tmp/results.md
    python bench/run.py --ci            # N = 1 000, once each, results in a temporary file

Each measurement is a separate process, the median of --repeat runs; peak
memory is the process's maximum resident set (from wait4). Beside them, in
the same run: the floor (merely parsing the same YAML files with PyYAML's C
loader), the cache (a first run with an empty cache, a repeated one, and one
after an edit of one entry in one of the files), the same entries in one file,
hledger (`hledger -f X bal`, X the `export --format ledger` of the same ledger)
and bean-check (`bean-check -C` of `export --format beancount`) when they are
installed, and start-up on the shipped annex against bare Python imports.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
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
from generate import PER_FILE, generate  # noqa: E402

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


def _beside_python(tool: str) -> str | None:
    """`tool` installed beside this Python (the project's venv, not activated), else on PATH."""
    beside = Path(sys.executable).parent / tool
    return str(beside) if beside.exists() else shutil.which(tool)


def measure(
    command: list[str], repeat: int, env: dict[str, str], fresh_cache: bool = False
) -> Measure:
    """Median time (wall, or CPU with --cpu) and peak memory of `command` over `repeat` runs."""
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
        times.append(usage.ru_utime + usage.ru_stime if CPU_TIME else elapsed)
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
    parser.add_argument("--out", type=Path, default=None, help="default: bench/RESULTS.md")
    parser.add_argument(
        "--ci", action="store_true", help="N = 1 000 once each (the benchmark stays runnable)"
    )
    parser.add_argument(
        "--cpu",
        action="store_true",
        help="time each process by its CPU time (user + system), not the wall clock: "
        "for a machine other work shares",
    )
    args = parser.parse_args()
    global CPU_TIME
    CPU_TIME = args.cpu
    if args.ci:
        args.sizes, args.repeat = [1_000], 1
        args.out = args.out or Path(tempfile.mkdtemp(prefix="wsis-bench-ci-")) / "RESULTS.md"
    out = args.out or HERE / "RESULTS.md"
    sizes = [*args.sizes, *([1_000_000] if args.long else [])]
    work = Path(tempfile.mkdtemp(prefix="wsis-bench-"))
    env = {**os.environ, "XDG_CACHE_HOME": str(work / "cache")}
    env.pop("WSIS_LEDGER_NO_CACHE", None)
    rows, others = [], []
    compile_bytecode()
    try:
        for n in sizes:
            repeat = 1 if n >= 1_000_000 else args.repeat  # a long run: once each
            row, other = measure_size(n, work, env, repeat)
            rows.append(row)
            others.append(other)
        repeat = max(args.repeat, 10)
        imports_all = measure([sys.executable, "-c", IMPORTS_ALL], repeat, env)
        imports_click = measure([sys.executable, "-c", "import click"], repeat, env)
        first = measure([*TOOL, "check"], repeat, env, fresh_cache=True)
        again = measure([*TOOL, "check"], repeat, env)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    write(out, rows, imports_all, imports_click, first, again, others)
    print(f"wrote {out}")


IMPORTS_ALL = "import click, yaml; from pydantic import BaseModel"
#: Time each process by its CPU time (`--cpu`), not the wall clock.
CPU_TIME = False


def compile_bytecode() -> None:
    """Compile the tool's modules to bytecode, as pip does when it installs a package.

    The libraries the reference lines import were compiled when pip installed
    them; an editable install of the tool is compiled only when Python may write
    its `__pycache__`. Under PYTHONDONTWRITEBYTECODE=1 (set on the machines these
    figures come from) every run compiled every module of the tool from its source:
    about a fifth of a cold `check` of the annex and of a repeated one, counted in
    instructions (bench/HISTORY.md). compileall writes whatever that variable says.
    """
    import compileall

    import wsis_ledger

    compileall.compile_dir(str(Path(wsis_ledger.__file__).parent), quiet=1)


@dataclass
class Others:
    """Beside `check`: after an edit, one file, hledger and bean-check (None: not installed)."""

    n: int
    edited: Measure
    one_file: Measure
    hledger: Measure | None
    bean_check: Measure | None


def measure_size(n: int, work: Path, env: dict[str, str], repeat: int) -> tuple[tuple, Others]:  # type: ignore[type-arg]
    ledger = work / f"ledger-{n}"
    generate(n, ledger)
    size_mb = sum(p.stat().st_size for p in ledger.rglob("*.yaml")) / 1e6
    floor = measure([sys.executable, "-c", FLOOR, str(ledger)], repeat, env)
    check = measure([*TOOL, "check", "--no-cache", "--data", str(ledger)], repeat, env)
    report = measure(
        [*TOOL, "report", "--no-cache", "--format", "json", "--data", str(ledger)], repeat, env
    )
    cold = measure([*TOOL, "check", "--data", str(ledger)], 1, env, fresh_cache=True)
    warm = measure([*TOOL, "check", "--data", str(ledger)], repeat, env)
    edited = measure_edits(ledger, env, repeat)
    hledger = bean_check = None
    if shutil.which("hledger"):
        journal = export(ledger, "ledger", work / f"ledger-{n}.journal", env)
        hledger = measure(["hledger", "-f", str(journal), "bal"], repeat, env)
    bean_check_tool = _beside_python("bean-check")
    if bean_check_tool:
        beancount = export(ledger, "beancount", work / f"ledger-{n}.beancount", env)
        bean_check = measure([bean_check_tool, "-C", str(beancount)], repeat, env)
    shutil.rmtree(ledger, ignore_errors=True)
    one = work / f"one-file-{n}"
    generate(n, one, per_file=max(n, PER_FILE))
    one_file = measure([*TOOL, "check", "--no-cache", "--data", str(one)], repeat, env)
    shutil.rmtree(one, ignore_errors=True)
    print(
        f"N={n}: floor {floor.seconds:.2f}s check {check.seconds:.2f}s/{check.peak_mb:.0f}MB "
        f"report {report.seconds:.2f}s/{report.peak_mb:.0f}MB warm {warm.seconds:.3f}s "
        f"edited {edited.seconds:.2f}s one file {one_file.seconds:.2f}s/{one_file.peak_mb:.0f}MB"
        + (f" hledger {hledger.seconds:.2f}s" if hledger else "")
        + (f" bean-check {bean_check.seconds:.2f}s" if bean_check else ""),
        flush=True,
    )
    return (n, size_mb, floor, check, report, cold, warm), Others(
        n, edited, one_file, hledger, bean_check
    )


def measure_edits(ledger: Path, env: dict[str, str], repeat: int) -> Measure:
    """`check` (cache on) after one entry of one file changed: each run follows an edit."""
    part = sorted((ledger / "entries").glob("*.yaml"))[0]
    times, peaks = [], []
    for run in range(repeat):
        text = part.read_text(encoding="utf-8")
        day = "2004-06-30" if run % 2 == 0 else "2004-07-01"
        part.write_text(re.sub(r"date: \d{4}-\d\d-\d\d", f"date: {day}", text, count=1))
        once = measure([*TOOL, "check", "--data", str(ledger)], 1, env)
        times.append(once.seconds)
        peaks.append(once.peak_mb)
    return Measure(statistics.median(times), statistics.median(peaks))


def export(ledger: Path, fmt: str, target: Path, env: dict[str, str]) -> Path:
    command = [*TOOL, "export", "--format", fmt, "--data", str(ledger), "-o", str(target)]
    subprocess.run(command, check=True, env=env, capture_output=True)
    return target


def write(
    out: Path,
    rows: list,  # type: ignore[type-arg]
    imports_all: Measure,
    imports_click: Measure,
    first: Measure,
    again: Measure,
    others: list[Others],
) -> None:
    lines = [
        "# Benchmark results",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with `python bench/run.py` on: {machine()}.",
        "Each figure is the median of separate processes; memory is the peak resident set.",
        (
            "Times are CPU time (user + system) of each process (`--cpu`): the machine "
            "was shared, and wall times would measure the sharing."
            if CPU_TIME
            else "Times are wall-clock times."
        ),
        "Every process here uses one core (`wsis-ledger`, hledger and bean-check alike).",
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
        "## After an edit, in one file, and beside hledger and bean-check",
        "",
        "`check` is `check --no-cache`. After an edit: `check` with the cache, "
        "run after one entry of one of the files changed. One file: the same entries in "
        "one file, `check --no-cache`. hledger: `hledger -f X bal`, X the "
        "`export --format ledger` of the same ledger; bean-check: `bean-check -C` of "
        "`export --format beancount`.",
        "",
        "| entries | after an edit | / check | / check, empty cache | one file | "
        "time / ten files | peak MB / ten files | hledger bal | check / hledger | "
        "report / hledger | bean-check | check / bean-check |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    by_n = {row[0]: row for row in rows}
    for other in others:
        _, _, _, check, report, cold, _ = by_n[other.n]
        hledger, bean = other.hledger, other.bean_check
        lines.append(
            f"| {other.n:,} | {other.edited.seconds:.2f} s | "
            f"{other.edited.seconds / check.seconds:.2f} | "
            f"{other.edited.seconds / cold.seconds:.2f} | "
            f"{other.one_file.seconds:.2f} s, {other.one_file.peak_mb:.0f} MB | "
            f"{other.one_file.seconds / check.seconds:.2f} | "
            f"{other.one_file.peak_mb / check.peak_mb:.2f} | "
            + (
                f"{hledger.seconds:.2f} s, {hledger.peak_mb:.0f} MB | "
                f"{check.seconds / hledger.seconds:.2f} | {report.seconds / hledger.seconds:.2f} | "
                if hledger
                else "not installed | | | "
            )
            + (
                f"{bean.seconds:.2f} s, {bean.peak_mb:.0f} MB | {check.seconds / bean.seconds:.2f} |"
                if bean
                else "not installed | |"
            )
        )
    lines += [
        "",
        "## Start-up on the shipped annex",
        "",
        "The tool's bytecode compiled first, as pip compiles an installed package.",
        "",
        "| what | time | ratio |",
        "|---|---:|---:|",
        f'| `python -c "{IMPORTS_ALL}"` | {imports_all.seconds * 1000:.0f} ms | |',
        f'| `python -c "import click"` | {imports_click.seconds * 1000:.0f} ms | |',
        f"| `wsis-ledger check`, empty cache | {first.seconds * 1000:.0f} ms | "
        f"{first.seconds / imports_all.seconds:.2f} × the imports of click, yaml and BaseModel |",
        f"| `wsis-ledger check`, repeated | {again.seconds * 1000:.0f} ms | "
        f"{again.seconds / imports_click.seconds:.2f} × the import of click |",
        "",
        "## Against the targets",
        "",
        "| target | measured | met |",
        "|---|---|:-:|",
    ]
    lines += _targets(by_n, {other.n: other for other in others})
    cold_ratio = first.seconds / imports_all.seconds
    warm_ratio = again.seconds / imports_click.seconds
    lines += [
        f"| first `check` of the annex within 1.5 × `{IMPORTS_ALL}` | "
        f"{cold_ratio:.2f} × | {_met(cold_ratio <= 1.5)} |",
        f"| repeated `check` of the annex within 1.5 × `import click` | {warm_ratio:.2f} × | "
        f"{_met(warm_ratio <= 1.5)} |",
        "",
        "How these figures came about: [HISTORY.md](HISTORY.md).",
        "",
    ]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _targets(by_n: dict, others: dict[int, Others]) -> list[str]:  # type: ignore[type-arg]
    lines = []
    if 100_000 in by_n:
        _, _, _, check, report, _, warm = by_n[100_000]
        other = others[100_000]
        lines += [
            f"| 100 000 entries: `check` peak memory under 400 MB | {check.peak_mb:.0f} MB | "
            f"{_met(check.peak_mb < 400)} |",
            f"| 100 000 entries: repeated `check` within 0.3 s | {warm.seconds:.3f} s | "
            f"{_met(warm.seconds <= 0.3)} |",
            f"| 100 000 entries: after an edit of one file of ten within 0.4 × a cold "
            f"`check --no-cache` | {other.edited.seconds / check.seconds:.2f} × | "
            f"{_met(other.edited.seconds <= 0.4 * check.seconds)} |",
            f"| 100 000 entries in one file: time within 1.1 × ten files | "
            f"{other.one_file.seconds / check.seconds:.2f} × | "
            f"{_met(other.one_file.seconds <= 1.1 * check.seconds)} |",
            f"| 100 000 entries in one file: memory within 1.1 × ten files | "
            f"{other.one_file.peak_mb / check.peak_mb:.2f} × | "
            f"{_met(other.one_file.peak_mb <= 1.1 * check.peak_mb)} |",
        ]
        if other.hledger:
            ratio = check.seconds / other.hledger.seconds
            report_ratio = report.seconds / other.hledger.seconds
            lines += [
                f"| 100 000 entries: `check --no-cache` within 0.7 × `hledger bal` | "
                f"{ratio:.2f} × | {_met(ratio <= 0.7)} |",
                f"| 100 000 entries: `report --format json` within 1.0 × `hledger bal` | "
                f"{report_ratio:.2f} × | {_met(report_ratio <= 1.0)} |",
            ]
    if 1_000_000 in by_n:
        check = by_n[1_000_000][3]
        report = by_n[1_000_000][4]
        lines += [
            f"| 1 000 000 entries: `check` peak under 1 GB | {check.peak_mb:.0f} MB | "
            f"{_met(check.peak_mb <= 1024)} |",
            f"| 1 000 000 entries: `report --format json` peak under 1.5 GB | "
            f"{report.peak_mb:.0f} MB | {_met(report.peak_mb <= 1536)} |",
        ]
    for small, large in ((10_000, 100_000), (100_000, 1_000_000)):
        if small in by_n and large in by_n:
            growth = by_n[large][3].seconds / by_n[small][3].seconds
            lines.append(
                f"| linear: {small:,} → {large:,} entries in at most 11 × the time | "
                f"{growth:.1f} × | {_met(growth <= 11)} |"
            )
    return lines


def _met(ok: bool) -> str:
    return "yes" if ok else "**no**"


if __name__ == "__main__":
    main()
