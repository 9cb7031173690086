"""The `eventsys` command: Flask's CLI plus the commands each area adds in its init_app()."""

from __future__ import annotations

import atexit
import ctypes
import logging
import os
import signal
import subprocess
import sys

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext
from werkzeug.serving import run_simple

from eventsys import create_app
from eventsys.extensions import huey
from eventsys.mail.jobs import retry_due_mails
from eventsys.queue import bind_worker_app


def _create_app(*_args: object) -> object:
    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=False)
def main() -> None:
    """eventsys: conferences, registration, programme, assemblies, badges and declarations."""


@main.command("run", context_settings={"ignore_unknown_options": True})
@click.option("--host", "-h", default="127.0.0.1", show_default=True)
@click.option("--port", "-p", default=5000, show_default=True)
@click.option("--debug/--no-debug", default=False)
@click.option("--no-worker", is_flag=True, help="Do not start a queue worker beside the server.")
@with_appcontext
def run(host: str, port: int, debug: bool, no_worker: bool) -> None:
    """Development server, with a queue worker for mail and bulk badges beside it."""
    configure_logging()
    if not no_worker and os.environ.get("WERKZEUG_RUN_MAIN") != "true":
        start_worker_process()
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # a LocalProxy, typed as Flask
    app.debug = debug
    run_simple(host, port, app, use_reloader=debug, use_debugger=debug, threaded=True)


def configure_logging() -> None:
    """Console logging for the server and the worker, so mails written to the log are seen."""
    if not logging.getLogger().handlers:
        logging.basicConfig(
            level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )


def start_worker_process() -> None:
    """The worker lives and dies with the server: stopped on exit, Ctrl-C or SIGTERM, and (on
    Linux) sent SIGTERM by the kernel even if the server is killed outright."""
    worker = subprocess.Popen(
        [sys.executable, "-m", "eventsys.cli", "worker", "--workers", "2"],
        preexec_fn=_die_with_parent if sys.platform == "linux" else None,  # noqa: PLW1509
    )

    def stop_worker() -> None:
        if worker.poll() is None:
            worker.terminate()
            try:
                worker.wait(10)
            except subprocess.TimeoutExpired:
                worker.kill()

    atexit.register(stop_worker)
    # Python's default SIGTERM ends the process without running atexit: exit cleanly instead.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    click.echo(f"Queue worker started (pid {worker.pid}).")


def _die_with_parent() -> None:
    """In the child, before exec: ask Linux to send SIGTERM when the parent dies (prctl)."""
    pr_set_pdeathsig = 1
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


@main.command("worker")
@click.option("--workers", "-w", default=2, show_default=True, help="Worker threads.")
@with_appcontext
def worker(workers: int) -> None:
    """Run the task queue consumer (mail, bulk badge printing, retries)."""
    configure_logging()

    app = current_app._get_current_object()  # type: ignore[attr-defined]  # a LocalProxy, typed as Flask
    bind_worker_app(app)
    retry_due_mails()  # at once, not at the next minute: mails a stopped worker left behind
    consumer = huey.create_consumer(workers=workers, worker_type="thread", periodic=True)
    consumer.run()


if __name__ == "__main__":
    main()
