"""`eventsys db backup FILE` and `eventsys db restore FILE`: one tar file holding the database
(pg_dump's custom format for PostgreSQL, SQLite's online backup API for SQLite) and the uploads
and badge folders, so a restored copy serves the same events, files and results."""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_migrate.cli import db as db_group
from sqlalchemy.engine import make_url

from eventsys.extensions import db

FORMAT = 1
FOLDERS = {"uploads": "UPLOAD_DIR", "badges": "BADGE_OUTPUT_DIR"}


class BackupError(Exception):
    """A clear reason the backup or restore cannot be done (shown without a traceback)."""


def database_kind(url: str) -> str:
    backend = make_url(url).get_backend_name()
    if backend not in ("postgresql", "sqlite"):
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {backend}.")
    return backend


def libpq_url(url: str) -> str:
    """pg_dump and pg_restore take libpq URLs: no SQLAlchemy driver name."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up or restored.")
    return Path(database)


def _run(command: list[str]) -> None:
    try:
        result = subprocess.run(command, capture_output=True, text=True)
    except FileNotFoundError as exc:
        raise BackupError(f"{command[0]} is not installed (PostgreSQL client tools).") from exc
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-1000:]}")


def dump_database(url: str, target: Path) -> None:
    if database_kind(url) == "postgresql":
        _run(["pg_dump", "--format=custom", "--no-owner", f"--file={target}", libpq_url(url)])
        return
    source = sqlite3.connect(sqlite_path(url))
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)  # consistent while the app keeps writing
    finally:
        copy.close()
        source.close()


def load_database(url: str, dump: Path) -> None:
    db.session.remove()
    db.engine.dispose()  # no pooled connection may keep the old database open
    if database_kind(url) == "postgresql":
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                f"--dbname={libpq_url(url)}",
                str(dump),
            ]
        )
        return
    path = sqlite_path(url)
    path.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(dump)
    target = sqlite3.connect(path)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def backup(config: dict[str, Any], file: Path) -> dict[str, Any]:
    if file.exists():
        raise BackupError(f"{file} exists already; choose a new file name.")
    if not file.parent.is_dir():
        raise BackupError(f"The folder {file.parent} does not exist.")
    url = config["SQLALCHEMY_DATABASE_URI"]
    manifest = {
        "format": FORMAT,
        "database": database_kind(url),
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    partial = file.with_name(file.name + ".partial")
    try:
        with tempfile.TemporaryDirectory() as scratch:
            dump = Path(scratch) / "database.dump"
            dump_database(url, dump)
            with tarfile.open(partial, "w:gz") as archive:
                _add_bytes(archive, "manifest.json", json.dumps(manifest).encode())
                archive.add(dump, arcname="database.dump")
                for name, key in FOLDERS.items():
                    folder = Path(config[key])
                    if folder.is_dir():
                        archive.add(folder, arcname=name)
        partial.rename(file)  # a backup file is complete or absent
    finally:
        partial.unlink(missing_ok=True)
    return manifest


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    archive.addfile(info, io.BytesIO(data))


def restore(config: dict[str, Any], file: Path) -> dict[str, Any]:
    if not file.is_file():
        raise BackupError(f"There is no backup file {file}.")
    url = config["SQLALCHEMY_DATABASE_URI"]
    with tempfile.TemporaryDirectory() as scratch:
        try:
            with tarfile.open(file, "r:*") as archive:
                archive.extractall(scratch, filter="data")
            manifest = json.loads((Path(scratch) / "manifest.json").read_text())
        except (tarfile.TarError, OSError, ValueError) as exc:
            raise BackupError(f"{file} is not an eventsys backup ({exc}).") from exc
        if manifest.get("format") != FORMAT:
            raise BackupError(f"{file} has an unknown backup format {manifest.get('format')}.")
        if manifest["database"] != database_kind(url):
            raise BackupError(
                f"{file} holds a {manifest['database']} database; this installation uses "
                f"{database_kind(url)}."
            )
        load_database(url, Path(scratch) / "database.dump")
        for name, key in FOLDERS.items():
            _replace_folder(Path(scratch) / name, Path(config[key]))
    return manifest


def _replace_folder(source: Path, target: Path) -> None:
    if target.exists():
        shutil.rmtree(target)
    if source.is_dir():
        shutil.copytree(source, target)
    else:
        target.mkdir(parents=True, exist_ok=True)


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(file: Path) -> None:
    """Write the database, uploads and badges to FILE (a .tar.gz)."""
    try:
        manifest = backup(current_app.config, file)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Backup of the {manifest['database']} database and files written to {file}.")


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask before replacing the current data.")
@with_appcontext
def restore_command(file: Path, yes: bool) -> None:
    """Replace the database, uploads and badges with those in FILE. Stop the app first."""
    if not yes:
        click.confirm("This replaces all current data. Continue?", abort=True)
    try:
        manifest = restore(current_app.config, file)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Restored the backup of {manifest['created_at']} from {file}.")


def init_cli() -> None:
    """The commands join Flask-Migrate's `db` group, beside upgrade and migrate."""
    db_group.add_command(backup_command)
    db_group.add_command(restore_command)
