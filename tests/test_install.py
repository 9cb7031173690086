"""A fresh install gets exactly the versions CI tested: the lock covers pyproject's ranges and
the README's commands and CI install with it."""

from __future__ import annotations

import re
import tomllib

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from eventsys import PROJECT_ROOT

LOCK = PROJECT_ROOT / "requirements" / "lock.txt"


def _locked() -> dict[str, str]:
    pins = re.findall(r"^([A-Za-z0-9_.-]+)==([^\s;]+)", LOCK.read_text(), re.M)
    return {canonicalize_name(name): version for name, version in pins}


def test_the_lock_pins_every_dependency_within_its_range():
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    locked = _locked()
    wanted = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    for line in wanted:
        requirement = Requirement(line)
        name = canonicalize_name(requirement.name)
        assert name in locked, f"{name} is not in {LOCK.name}: compile the lock again"
        assert requirement.specifier.contains(locked[name], prereleases=True), (
            f"{name}=={locked[name]} is outside {requirement.specifier}: compile the lock again"
        )


def test_readme_and_ci_install_with_the_lock():
    readme = (PROJECT_ROOT / "README.md").read_text().split("```sh\n", 1)[1].split("```")[0]
    commands = readme.strip().splitlines()
    assert len(commands) == 2
    for command in commands:
        assert "pip install -c requirements/lock.txt -e " in command
    ci = (PROJECT_ROOT / ".ci" / "run").read_text()
    assert 'pip install -q -c requirements/lock.txt -e ".[test]"' in ci
