"""Soak under faults: the production shape on this machine, a mix of every write path, faults on
a schedule, then checks from the database and the SMTP server's record.

    python bench/soak.py [--seconds 300] [--clients 24] [--people 30000] [--capacity 300]

Starts a PostgreSQL cluster of its own (initdb, free port, removed after), a Redis of its own
(database 6), two gunicorn masters (two app hosts; clients alternate between them) with several
workers and threads each, two queue workers and an SMTP server that records every message.

Clients on keep-alive connections: register through the API (each person with their own token)
and the web form (with its CSRF token, as guests and as logged-in accounts), cancel (promoting the
waiting list), sign up for full workshops, scan badges (the same code from two devices at once,
each with its own nonce), vote in an open General Assembly poll that the chair closes at 90% of
the run, and read the event page, the timetable and its feeds. Faults, at fixed fractions of the
run: kill -9 a web worker; kill -9 a queue worker and restart it; restart PostgreSQL; restart
Redis; the SMTP server refusing mail for 30 s (10% of shorter runs).

It prints throughput, p50/p99 latency and errors per phase (before, during and after each fault),
one line per check (bench/soak_checks.py says what counts where), and as its last line:

    acknowledged: N; lost: L; doubled: D; over capacity: C; mails lost: M; mails doubled: K;
    recovery s: R  (one line)

and exits non-zero unless L = D = C = M = K = 0 and R <= 10. Whatever it started is stopped
when it ends, fails or is interrupted (process groups, finally, atexit, SIGTERM/SIGINT).
"""

from __future__ import annotations

import argparse
import atexit
import http.client
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import soak_checks  # noqa: E402
from bench.harness import free_port, stop  # noqa: E402
from bench.soak_clients import Client, Pools, Record  # noqa: E402
from bench.soak_seed import seed_all  # noqa: E402
from tests.servers import PrivatePostgres, RecordingSmtp, wait_until  # noqa: E402

REDIS_DB = 6
SECRET_KEY = "soak"
CLOSE_AT = 0.9  # the chair closes the poll at this fraction of the run


class Redis:
    def __init__(self, folder: Path) -> None:
        self.port, self.folder, self.process = free_port(), folder, None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        wait_until(lambda: _tcp_open(self.port), 10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


def _tcp_open(port: int) -> bool:
    import socket

    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def request(port: int, method: str, path: str, token: str = "") -> tuple[int, bytes]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, None, headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def gunicorn_workers(master: subprocess.Popen) -> list[int]:
    path = Path(f"/proc/{master.pid}/task/{master.pid}/children")
    return [int(pid) for pid in path.read_text().split()] if path.exists() else []


def ready(ports) -> bool:
    try:
        return all(request(port, "GET", "/readyz")[0] == 200 for port in ports)
    except OSError:
        return False


class Cleanup:
    """Stops what the soak started, once, whichever way it ends."""

    def __init__(self) -> None:
        self.steps: list = []
        self.done = False
        atexit.register(self.run)
        for number in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(number, self._signalled)

    def _signalled(self, number, _frame) -> None:
        raise SystemExit(128 + number)  # unwinds through finally, then atexit

    def add(self, step) -> None:
        self.steps.append(step)

    def run(self) -> None:
        if self.done:
            return
        self.done = True
        for step in reversed(self.steps):
            try:
                step()
            except Exception as exc:  # noqa: BLE001 (stop everything else regardless)
                print(f"cleanup: {exc}", file=sys.stderr)


def kill_group(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=300)
    parser.add_argument("--clients", type=int, default=24)
    parser.add_argument("--people", type=int, default=30000, help="API accounts")
    parser.add_argument("--others", type=int, default=3000,
                        help="form accounts, day participants and delegates, each")  # fmt: skip
    parser.add_argument("--capacity", type=int, default=300)
    parser.add_argument("--web-workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    return parser.parse_args()


def main() -> int:
    args = arguments()
    cleanup = Cleanup()
    folder = Path(tempfile.mkdtemp(prefix="eventsys-soak-"))
    cleanup.add(lambda: shutil.rmtree(folder, ignore_errors=True))
    try:
        return soak(args, folder, cleanup)
    finally:
        cleanup.run()


def start_app_hosts(ports, workers: int, env, cleanup: Cleanup, log: Path) -> list:
    """Both gunicorn masters at once, each in a process group of its own (stopped by the
    cleanup whatever happens next); waits until both answer, longer than bench/harness.py does,
    as a busy machine can take a minute to import the app."""
    masters = []
    for port in ports:
        master = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", str(workers),
             "--bind", f"127.0.0.1:{port}", "--backlog", "2048", "--log-level", "warning",
             "--chdir", str(ROOT), "eventsys:create_app()"],
            env={**os.environ, **env}, start_new_session=True,
            stdout=log.open("ab"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        cleanup.add(lambda master=master: stop(master))
        masters.append(master)

    def answering() -> bool:
        if any(master.poll() is not None for master in masters):
            raise SystemExit("an app host exited while starting")
        try:
            return all(request(port, "GET", "/healthz")[0] == 200 for port in ports)
        except OSError:
            return False

    try:
        if not wait_until(answering, 240, 0.5):
            raise SystemExit("the app hosts did not answer within 240 s")
    except SystemExit:
        print("\n".join(log.read_text(errors="replace").splitlines()[-30:]), file=sys.stderr)
        raise
    return masters


def soak(args: argparse.Namespace, folder: Path, cleanup: Cleanup) -> int:
    set_up = time.monotonic()
    postgres = PrivatePostgres()
    cleanup.add(postgres.remove)
    redis, smtp = Redis(folder), RecordingSmtp()
    postgres.start()
    redis.start()
    cleanup.add(redis.stop)
    smtp.__enter__()
    cleanup.add(smtp.__exit__)
    database_url = postgres.url
    print(f"servers: {time.monotonic() - set_up:.1f} s", flush=True)
    os.environ["EVENTSYS_INSTANCE_PATH"] = str(folder)  # the seeding app's, not the user's
    slug, tokens, seeded = seed_all(
        database_url, SECRET_KEY, args.people, args.others, args.capacity
    )
    print(f"data: {time.monotonic() - set_up:.1f} s", flush=True)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("EVENTSYS_")},
        "PYTHONPATH": str(ROOT),
        "GUNICORN_CMD_ARGS": f"--threads {args.threads} --keep-alive 60",
        "EVENTSYS_INSTANCE_PATH": str(folder),
        "EVENTSYS_UPLOAD_DIR": str(folder),
        "EVENTSYS_SECRET_KEY": SECRET_KEY,
        "EVENTSYS_DATABASE_URL": database_url,
        "EVENTSYS_REDIS_URL": f"redis://127.0.0.1:{redis.port}/{REDIS_DB}",
        "EVENTSYS_SMTP_HOST": "127.0.0.1",
        "EVENTSYS_SMTP_PORT": str(smtp.port),
        "EVENTSYS_MAIL_LEASE_SECONDS": "10",
        "EVENTSYS_MAIL_RETRY_SECONDS": "2",
        "EVENTSYS_MAIL_MAX_ATTEMPTS": "30",
        # Every form post comes from 127.0.0.1: the per-address limits would refuse the soak.
        "EVENTSYS_GUEST_REGISTRATION_RATE_LIMIT": "1000000 per minute",
        "EVENTSYS_LOGIN_RATE_LIMIT": "1000000 per minute",
    }
    ports = [free_port(), free_port()]
    app_log = folder / "app.log"  # the hosts' tracebacks, summed up at the end
    masters = start_app_hosts(ports, args.web_workers, env, cleanup, app_log)

    def start_queue_worker() -> subprocess.Popen:
        worker = subprocess.Popen(
            [sys.executable, "-m", "eventsys.cli", "worker", "--workers", "2"],
            env=env, cwd=ROOT, stdout=(folder / "worker.log").open("ab"),
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        cleanup.add(lambda: kill_group(worker))
        return worker

    queue_workers = [start_queue_worker(), start_queue_worker()]
    print(f"set-up: {time.monotonic() - set_up:.1f} s", flush=True)
    record, pools = Record(), Pools(len(tokens), seeded)
    begin = time.monotonic()
    until = begin + args.seconds
    clients = [Client(ports, slug, tokens, seeded, record, pools) for _ in range(args.clients)]
    threads = [threading.Thread(target=c.run, args=(until,), daemon=True) for c in clients]
    for thread in threads:
        thread.start()
    phases, recovery = run_faults(args, begin, ports, masters, queue_workers, start_queue_worker,
                                  postgres, redis, smtp)  # fmt: skip
    poll_result = close_poll(ports[0], seeded, record, begin + CLOSE_AT * args.seconds)
    for thread in threads:
        thread.join()
    report_phases(record, phases, until)
    print("errors by kind and answer: " + (", ".join(
        f"{kind} {status}: {n}" for (kind, status), n in sorted(record.errors.items(), key=str)
    ) or "none"))  # fmt: skip
    outbox = drain_outbox(database_url)
    counts = soak_checks.check_all(database_url, slug, args.capacity, seeded, record, poll_result)
    mails_lost, mails_doubled = soak_checks.mails(outbox, smtp)
    summarise_log(app_log)
    acknowledged = record.acknowledged()
    print(f"throughput: {acknowledged / args.seconds:.1f} acknowledged writes/s")
    print(
        f"acknowledged: {acknowledged}; lost: {counts.lost}; doubled: {counts.doubled}; "
        f"over capacity: {counts.over}; mails lost: {mails_lost}; "
        f"mails doubled: {mails_doubled}; recovery s: {recovery:.1f}",
        flush=True,
    )
    clean = not (counts.lost or counts.doubled or counts.over or mails_lost or mails_doubled)
    return 0 if clean and recovery <= 10 else 1


def run_faults(args, begin, ports, masters, queue_workers, start_queue_worker, postgres, redis,
               smtp):  # fmt: skip
    """Applies the faults on schedule; returns the phases and the longest recovery."""
    refuse_for = min(30.0, args.seconds * 0.1)

    def kill_web_worker() -> None:
        os.kill(random.choice(gunicorn_workers(masters[0])), signal.SIGKILL)

    def kill_queue_worker() -> None:
        queue_workers[0].send_signal(signal.SIGKILL)
        queue_workers[0].wait()
        queue_workers[0] = start_queue_worker()

    def refuse_mail() -> None:
        smtp.refusing = True
        time.sleep(refuse_for)
        smtp.refusing = False

    faults = [
        (0.15, "kill -9 web worker", kill_web_worker),
        (0.30, "kill -9 queue worker, restart it", kill_queue_worker),
        (0.45, "restart PostgreSQL", postgres.restart),
        (0.60, "restart Redis", lambda: (redis.stop(), redis.start())),
        (0.75, f"SMTP refusing for {refuse_for:.0f} s", refuse_mail),
    ]
    print("fault schedule: " + "; ".join(f"{f:.0%} {n}" for f, n, _ in faults)
          + f"; {CLOSE_AT:.0%} the chair closes the poll", flush=True)  # fmt: skip
    phases, recovery = [("before", begin)], 0.0
    for fraction, name, apply in faults:
        time.sleep(max(0.0, begin + fraction * args.seconds - time.monotonic()))
        phases.append((f"during {name}", time.monotonic()))
        apply()
        applied = time.monotonic()
        wait_until(lambda: ready(ports), 60, 0.1)
        took = time.monotonic() - applied
        recovery = max(recovery, took)
        phases.append((f"after {name}", time.monotonic()))
        print(
            f"{time.monotonic() - begin:6.1f}s {name}: ready again after {took:.1f} s", flush=True
        )
    return phases, recovery


def close_poll(port: int, seeded, record: Record, at: float) -> dict | None:
    """The chair closes the poll (again until it is answered: a fault may be in the way)."""
    time.sleep(max(0.0, at - time.monotonic()))
    path = f"/api/v1/events/{seeded.ga_slug}/assembly/polls/{seeded.poll}/close"
    for _attempt in range(20):
        try:
            status, body = request(port, "POST", path, seeded.chair_token)
        except OSError:
            status, body = 0, b""
        if status == 200:
            record.closed_at = time.monotonic()
            return json.loads(body)["result"]
        if status == 409:  # closed by the previous attempt, whose answer was lost
            status, body = request(port, "GET", path.removesuffix("/close"), seeded.chair_token)
            record.closed_at = time.monotonic()
            return json.loads(body)["result"] if status == 200 else None
        time.sleep(0.5)
    return None


def report_phases(record: Record, phases, until: float) -> None:
    last = max((s[0] + s[1] for s in record.samples), default=until)
    bounds = [*phases[1:], ("end", max(until, last + 1e-6))]
    for (name, start), (_, end) in zip(phases, bounds, strict=False):
        # By when the answer came: a request cut off by a fault counts in the fault's phase.
        inside = [s for s in record.samples if start <= s[0] + s[1] < end]
        latencies = sorted(s[1] for s in inside) or [0.0]
        errors = sum(1 for s in inside if s[3] == "error")
        refused = sum(1 for s in inside if s[3] == "refused")
        seconds = max(end - start, 1e-9)
        print(
            f"phase {name} ({seconds:.1f} s): {len(inside) / seconds:.1f} req/s, "
            f"p50 {latencies[len(latencies) // 2] * 1000:.0f} ms, "
            f"p99 {latencies[min(int(len(latencies) * 0.99), len(latencies) - 1)] * 1000:.0f} ms,"
            f" errors {errors}, refused by the rules {refused}"
        )


def summarise_log(log: Path) -> None:
    """How many errors the app hosts logged (expected during the faults), and the last one."""
    lines = log.read_text(errors="replace").splitlines() if log.exists() else []
    logged = [i for i, line in enumerate(lines) if "ERROR" in line[:60]]
    print(f"app hosts logged {len(logged)} errors (expected only around the faults)")
    if logged:
        last = lines[logged[-1] :]
        print("last: " + " | ".join([last[0], *[x for x in last[1:] if x and x[0] != " "]][:4]))


def drain_outbox(database_url: str, stalled_after: float = 90, limit: float = 1200) -> list[tuple]:
    """Waits until no mail is queued, then returns the outbox. A backlog left by the load is not
    a loss: the wait goes on while the queue workers make progress, and gives up only when
    nothing has been sent for `stalled_after` seconds (the sweep runs every minute) or after
    `limit` seconds in all. Prints how long draining took."""
    import psycopg

    def rows() -> list[tuple]:
        with psycopg.connect(database_url) as connection:
            return connection.execute(
                "SELECT id, status, message_id, to_address FROM outbound_mails"
            ).fetchall()

    def queued() -> int:
        return sum(1 for row in rows() if row[1] == "queued")

    started = last_progress = time.monotonic()
    left = queued()
    while left and time.monotonic() - started < limit:
        time.sleep(2)
        now_left = queued()
        if now_left < left:
            last_progress = time.monotonic()
        elif time.monotonic() - last_progress > stalled_after:
            break
        left = now_left
    print(f"outbox drained in {time.monotonic() - started:.0f} s ({left} still queued)")
    return rows()


if __name__ == "__main__":
    sys.exit(main())
