"""Where templates, static files and migrations are: beside the package in a checkout (and an
editable install), inside it in an installed wheel (setup.py copies them there)."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
CHECKOUT = PACKAGE_DIR.parent
IN_CHECKOUT = (CHECKOUT / "templates").is_dir() and (CHECKOUT / "eventsys").is_dir()
RESOURCES = CHECKOUT if IN_CHECKOUT else PACKAGE_DIR / "site"
TEMPLATES = RESOURCES / "templates"
STATIC = RESOURCES / "static"
MIGRATIONS = RESOURCES / "migrations"
# The instance folder (SQLite, queue, uploads, badges): in the checkout, or where the command runs.
DEFAULT_INSTANCE = (CHECKOUT if IN_CHECKOUT else Path.cwd()) / "instance"
