"""The two locks: production installs requirements.lock, development requirements-dev.lock."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>\S+)$")


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_lines(path: Path) -> list[str]:
    """Requirement lines without comments, annotations, blank lines or pip options."""
    lines = (line.split("#", 1)[0].strip() for line in path.read_text().splitlines())
    return [line for line in lines if line and not line.startswith("-")]


def pins(lock: str) -> dict[str, str]:
    found = {}
    for line in requirement_lines(ROOT / lock):
        match = PIN.match(line)
        assert match, f"{lock}: not an exact pin: {line!r}"
        found[canonical(match["name"])] = match["version"]
    return found


def direct(requirements_in: str) -> set[str]:
    return {
        canonical(re.split(r"[\[<>=!~; ]", line, maxsplit=1)[0]) for line in requirement_lines(ROOT / requirements_in)
    }


@pytest.mark.parametrize("lock", ["requirements.lock", "requirements-dev.lock"])
def test_locks_pin_exact_versions_only(lock):
    assert pins(lock)


def test_development_runs_the_runtime_versions_production_runs():
    runtime, development = pins("requirements.lock"), pins("requirements-dev.lock")
    differing = {
        name: (version, development.get(name)) for name, version in runtime.items() if development.get(name) != version
    }
    assert not differing, "requirements-dev.lock must pin every runtime package at its runtime version: run `make lock`"


@pytest.mark.parametrize(
    ("requirements_in", "lock"),
    [("requirements.in", "requirements.lock"), ("requirements-dev.in", "requirements-dev.lock")],
)
def test_every_direct_dependency_is_locked(requirements_in, lock):
    missing = direct(requirements_in) - set(pins(lock))
    assert not missing, f"not in {lock}: {sorted(missing)}: run `make lock`"


def test_test_tools_stay_out_of_production():
    runtime = pins("requirements.lock")
    assert not {"pytest", "pytest-django", "factory-boy", "playwright", "ruff", "mypy", "pip-tools"} & set(runtime)
