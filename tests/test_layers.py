"""The layers in .importlinter hold today, and a cross-layer import breaks them (so `make lint` fails)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(ROOT / ".importlinter"), "--no-cache"],
        cwd=tree,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    """A copy of the package, so one test can add an import without touching the real one."""
    copy = tmp_path_factory.mktemp("layers")
    shutil.copytree(ROOT / "newsdesk", copy / "newsdesk", ignore=shutil.ignore_patterns("__pycache__", "static"))
    return copy


@pytest.fixture
def add_import(tree):
    """Adds an import line to a module of the copy; the module is put back after the test."""
    changed: list[tuple[Path, str]] = []

    def change(module: str, line: str) -> None:
        path = tree / (module.replace(".", "/") + ".py")
        original = path.read_text()
        changed.append((path, original))
        path.write_text(original + f"\n{line}\n")

    yield change
    for path, text in changed:
        path.write_text(text)


def test_the_layers_hold(tree):
    result = lint_imports(tree)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "imported"),
    [
        # core is infrastructure: it knows no app.
        ("newsdesk.core.fragments", "newsdesk.articles.models"),
        # Feature apps never import each other.
        ("newsdesk.weather.selectors", "newsdesk.ads.selectors"),
        # Content knows nothing of the layer that assembles pages.
        ("newsdesk.articles.selectors", "newsdesk.pages.teasers"),
    ],
)
def test_an_import_across_the_layers_breaks_them(tree, add_import, module, imported):
    add_import(module, f"import {imported}")
    result = lint_imports(tree)
    assert result.returncode != 0
    assert f"{module} -> {imported}" in result.stdout
