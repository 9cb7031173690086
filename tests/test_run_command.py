"""`eventsys run` starts a queue worker beside the server; stopping it must stop the worker."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.servers import ROOT, free_port, wait_until


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"  # a zombie has exited


def _answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_stopping_run_stops_its_queue_worker(tmp_path, stop):
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("EVENTSYS_")},
        "PYTHONPATH": str(ROOT),
        "PYTHONUNBUFFERED": "1",
        "EVENTSYS_INSTANCE_PATH": str(tmp_path),
        "EVENTSYS_SECRET_KEY": "run-test",
        "EVENTSYS_DATABASE_URL": f"sqlite:///{tmp_path / 'run.db'}",
    }
    log = tmp_path / "run.log"
    with log.open("wb") as output:  # the child keeps its own copy of the descriptor
        server = subprocess.Popen(
            [sys.executable, "-m", "eventsys.cli", "run", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    worker_pid = None
    try:
        found = wait_until(lambda: re.search(r"worker started \(pid (\d+)\)", log.read_text()), 60)
        assert found, log.read_text()
        worker_pid = int(found.group(1))
        assert wait_until(lambda: _answers(port), 60), log.read_text()
        assert _alive(worker_pid)
        # Only the server gets the signal (as from a supervisor, or Ctrl-C sent to its pid).
        server.send_signal(stop)
        server.wait(20)
        assert wait_until(lambda: not _alive(worker_pid), 15), "queue worker left running"
    finally:
        if server.poll() is None:
            server.kill()
        if worker_pid and _alive(worker_pid):
            os.kill(worker_pid, signal.SIGKILL)
