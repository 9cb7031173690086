"""Builds the compiled translation catalogues (.mo) as part of every install or wheel build, and
copies templates, static files and migrations into a wheel.

All metadata lives in pyproject.toml; this file only adds that step. The compiler is loaded by
path because importing the eventsys package would need Flask, which the build may not have.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


def _catalogues_module():
    spec = importlib.util.spec_from_file_location(
        "eventsys_catalogues", ROOT / "eventsys" / "i18n" / "catalogues.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


# Served from the checkout in development; a wheel carries copies inside the package
# (eventsys/paths.py finds them either way).
RESOURCE_DIRS = ("templates", "static", "migrations")


class BuildWithCatalogues(build_py):
    def run(self) -> None:
        _catalogues_module().compile_all(ROOT / "eventsys" / "translations")
        super().run()
        if not self.editable_mode:
            for name in RESOURCE_DIRS:
                shutil.copytree(
                    ROOT / name,
                    Path(self.build_lib) / "eventsys" / "site" / name,
                    dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
                )


setup(cmdclass={"build_py": BuildWithCatalogues})
