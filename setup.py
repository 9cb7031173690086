"""Builds the compiled translation catalogues (.mo) as part of every install or wheel build.

All metadata lives in pyproject.toml; this file only adds that step. The compiler is loaded by
path because importing the eventsys package would need Flask, which the build may not have.
"""

from __future__ import annotations

import importlib.util
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


class BuildWithCatalogues(build_py):
    def run(self) -> None:
        _catalogues_module().compile_all(ROOT / "eventsys" / "translations")
        super().run()


setup(cmdclass={"build_py": BuildWithCatalogues})
