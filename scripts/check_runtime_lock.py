"""Production runs on requirements.lock alone: run this with a venv that has only that installed.

Imports every module production can load (all of newsdesk but tests, test factories and the
demo commands and their `demo.py` helpers, and `generate_archive` with `pages/archive.py`, which
build invented archives from the factories' word lists: development and benchmark tools on
requirements-dev.lock), then runs Django's deploy check with the production settings. A runtime import of a
development-only package (factory_boy, bs4, lxml, …) fails here, not on the first production
request. Used by .ci/run.
"""

import importlib
import os
import pkgutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Modules that only development and tests use: they may import requirements-dev.lock packages.
DEVELOPMENT_ONLY = (
    "tests",
    "conftest",
    "factories",
    "demo_newsroom",
    "demo_desk",
    "demo",
    "generate_archive",
    "archive",
)


def production_modules() -> list[str]:
    import newsdesk

    names = []
    for module in pkgutil.walk_packages(newsdesk.__path__, "newsdesk."):
        if any(part in DEVELOPMENT_ONLY for part in module.name.split(".")):
            continue
        if module.name == "newsdesk.settings.dev" or module.name == "newsdesk.settings.test":
            continue
        names.append(module.name)
    return names


def main() -> int:
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    var = tempfile.mkdtemp(prefix="newsdesk-runtime-check-")
    # WhiteNoise warns about a missing STATIC_ROOT (collectstatic has not run here): not the point.
    Path(var, "static").mkdir()
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "newsdesk.settings.production",
            "SECRET_KEY": "runtime-check-" + "abcdefghijklmnopqrstuvwxyz0123456789" * 2,
            "ALLOWED_HOSTS": "news.example",
            "NEWSDESK_VAR_DIR": var,
        }
    )
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    import django
    from django.core.management import call_command

    django.setup()
    failed = []
    names = production_modules()
    for name in names:
        try:
            importlib.import_module(name)
        except ImportError as error:
            failed.append(f"{name}: {error}")
    if failed:
        print("Not importable with requirements.lock alone:", *failed, sep="\n  ", file=sys.stderr)
        return 1
    call_command("check", "--deploy", "--fail-level", "WARNING")
    print(f"requirements.lock alone: {len(names)} production modules import, deploy check passes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
