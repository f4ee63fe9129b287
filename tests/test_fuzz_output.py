"""Class 3 of issue 27: every output is written whole, or the command says it was not.

`streams.write_all` is fed writes cut short and interrupted at hundreds of
random points; a real `report` of several MB is written to a pipe whose
writer is stopped (SIGSTOP, as Ctrl-Z does) and continued (SIGCONT) at random
moments, and read by readers that stop at random points. A reader that reads
to the end gets every byte and exit 0; a reader that stops early has what it
read, a prefix of the whole, and the command is not failed for it (a
`set -o pipefail` script with `| head` goes on); a full disk is one line and
exit 1.

More runs: WSIS_FUZZ_EXAMPLES=5000 pytest tests/test_fuzz_output.py
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from wsis_ledger.core import streams

EXAMPLES = int(os.environ.get("WSIS_FUZZ_EXAMPLES", "400"))

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from generate import generate  # noqa: E402


def test_write_all_writes_every_byte_however_writes_are_cut(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real_write = os.write
    for seed in range(EXAMPLES):
        rng = random.Random(seed)
        data = rng.randbytes(rng.randrange(1, 200_000))
        read, write = os.pipe()

        def cut_short(descriptor: int, chunk: bytes | memoryview, rng: random.Random = rng) -> int:
            roll = rng.random()
            if roll < 0.1:
                raise InterruptedError(4, "Interrupted system call")
            size = len(chunk) if roll > 0.7 else rng.randrange(1, len(chunk) + 1)
            return real_write(descriptor, bytes(memoryview(chunk)[: min(size, 65536)]))

        received = bytearray()

        def drain(descriptor: int = read, received: bytearray = received) -> None:
            # in a thread: the pipe holds only 64 KB
            while piece := os.read(descriptor, 1 << 16):
                received.extend(piece)

        reader = threading.Thread(target=drain)
        reader.start()
        monkeypatch.setattr(streams.os, "write", cut_short)
        try:
            streams.write_all(write, data)
        finally:
            monkeypatch.setattr(streams.os, "write", real_write)
            os.close(write)
            reader.join()
            os.close(read)
        assert bytes(received) == data, seed


@pytest.fixture(scope="module")
def big_ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("big") / "ledger"
    generate(8000, folder)
    return folder


def tool(ledger: Path, cache: Path) -> tuple[list[str], dict[str, str]]:
    env = {
        **os.environ,
        "WSIS_LEDGER_DATA": str(ledger),
        "XDG_CACHE_HOME": str(cache),
        "SOURCE_DATE_EPOCH": "1700000000",
    }
    return [sys.executable, "-m", "wsis_ledger", "report", "--format", "json"], env


@pytest.fixture(scope="module")
def whole(big_ledger: Path, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    command, env = tool(big_ledger, tmp_path_factory.mktemp("cache"))
    done = subprocess.run(command, env=env, capture_output=True, check=True, timeout=300)
    assert len(done.stdout) > 2_000_000
    return done.stdout


def test_a_writer_stopped_and_continued_writes_everything(
    big_ledger: Path, whole: bytes, tmp_path: Path
) -> None:
    rng = random.Random(27)
    command, env = tool(big_ledger, tmp_path / "cache")
    for run in range(6):
        process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert process.stdout is not None
        received = bytearray()
        stops = sorted(rng.randrange(1, len(whole)) for _ in range(4))
        for stop in stops:
            while len(received) < stop:
                piece = process.stdout.read1(rng.choice([512, 4096, 65536]))
                if not piece:
                    break
                received += piece
            process.send_signal(signal.SIGSTOP)
            time.sleep(rng.choice([0.0, 0.01, 0.05]))
            process.send_signal(signal.SIGCONT)
        received += process.stdout.read()
        _, stderr = process.communicate(timeout=300)
        assert process.returncode == 0, (run, stderr)
        assert bytes(received) == whole, (run, len(received), len(whole))


def test_a_reader_that_stops_early_is_not_an_error(
    big_ledger: Path, whole: bytes, tmp_path: Path
) -> None:
    rng = random.Random(3)
    command, env = tool(big_ledger, tmp_path / "cache")
    for run in range(8):
        process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert process.stdout is not None
        wanted = rng.choice([0, 1, 100, 65536, rng.randrange(len(whole))])
        received = process.stdout.read(wanted) if wanted else b""
        process.stdout.close()
        stderr = process.stderr.read() if process.stderr else b""
        process.wait(timeout=300)
        assert whole.startswith(received), run
        assert process.returncode == 0, (run, wanted, stderr)
        assert stderr == b"", (run, stderr)


def test_head_in_a_pipefail_script_succeeds(big_ledger: Path, tmp_path: Path) -> None:
    _, env = tool(big_ledger, tmp_path / "cache")
    for words in (["pledges"], ["report"], ["report", "--format", "json"], ["check"]):
        line = " ".join([sys.executable, "-m", "wsis_ledger", *words])
        done = subprocess.run(
            ["bash", "-c", f"set -o pipefail; {line} | head -5 >/dev/null"],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, (words, done.stderr)
        assert done.stderr == "", (words, done.stderr)


def test_a_full_disk_is_one_line_and_exit_1(big_ledger: Path, tmp_path: Path) -> None:
    command, env = tool(big_ledger, tmp_path / "cache")
    for redirect in ([], ["-o", "/dev/full"]):
        with open("/dev/full", "wb") as full:
            done = subprocess.run(
                command + redirect, env=env, stdout=full, stderr=subprocess.PIPE, timeout=300
            )
        assert done.returncode == 1, redirect
        [line] = done.stderr.decode().splitlines()
        assert "No space left on device" in line
