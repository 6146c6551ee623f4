"""`manage.py backup` and `manage.py restore`: the demo newsroom comes back whole in an empty database.

The restore runs as an operator would run it: `manage.py restore` in a new process with production
settings, pointed at a new, empty database and an empty media folder. The restored database is
then compared with the original table by table, row by row, with the database's own driver.
"""

import hashlib
import json
import os
import secrets
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from newsdesk.core import backup

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db(transaction=True)


def _pg_params(db: dict[str, Any], name: str) -> dict[str, Any]:
    return {
        "host": db.get("HOST") or "127.0.0.1",
        "port": db.get("PORT") or 5432,
        "user": db.get("USER") or "postgres",
        "password": db.get("PASSWORD") or None,
        "dbname": name,
    }


@pytest.fixture
def media_root(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def empty_target(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """A new, empty database of the same kind as the suite's, and a URL naming it."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        path = tmp_path / "restored.sqlite3"
        yield {"url": f"sqlite:///{path}", "sqlite": path}
        return
    name = f"newsdesk_restore_{secrets.token_hex(4)}"
    admin = _pg_params(db, "postgres")
    with psycopg.connect(**admin, autocommit=True) as server:
        server.execute(f'CREATE DATABASE "{name}"')
    params = _pg_params(db, name)
    password = f":{params['password']}" if params["password"] else ""
    yield {"url": f"postgres://{params['user']}{password}@{params['host']}:{params['port']}/{name}", "pg": params}
    with psycopg.connect(**admin, autocommit=True) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def restore_command(directory: Path, target: dict[str, Any], media: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsdesk.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": target["url"],
        "NEWSDESK_MEDIA_ROOT": str(media),
    }
    env.pop("REDIS_URL", None)
    return subprocess.run(
        [sys.executable, "manage.py", "restore", str(directory)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def _rows_sqlite(path: str) -> dict[str, list[str]]:
    with sqlite3.connect(path) as db:
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {table: sorted(repr(row) for row in db.execute(f'SELECT * FROM "{table}"')) for table in tables}


def _rows_pg(params: dict[str, Any]) -> dict[str, list[str]]:
    with psycopg.connect(**params) as db:
        tables = [
            row[0] for row in db.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()
        ]
        return {table: sorted(repr(row) for row in db.execute(f'SELECT * FROM "{table}"')) for table in tables}


def rows_of_the_suite_database() -> dict[str, list[str]]:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return _rows_sqlite(str(db["NAME"]))
    return _rows_pg(_pg_params(db, str(db["NAME"])))


def rows_of(target: dict[str, Any]) -> dict[str, list[str]]:
    return _rows_sqlite(str(target["sqlite"])) if "sqlite" in target else _rows_pg(target["pg"])


def files_with_digests(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in root.rglob("*")
        if path.is_file()
    }


@pytest.fixture
def demo(media_root: Path) -> Path:
    with open(os.devnull, "w") as quiet:
        call_command("demo_newsroom", stdout=quiet)
    return media_root


def test_a_backup_of_the_demo_restores_every_row_and_file(demo: Path, empty_target, tmp_path: Path) -> None:
    call_command("backup", str(tmp_path / "backup"), stdout=open(os.devnull, "w"))  # noqa: SIM115
    restored_media = tmp_path / "restored-media"

    result = restore_command(tmp_path / "backup", empty_target, restored_media)

    assert result.returncode == 0, result.stderr
    original, restored = rows_of_the_suite_database(), rows_of(empty_target)
    assert restored.keys() == original.keys()
    for table in ("articles_articlepage", "comments_comment", "wagtailimages_image", "weather_weathersettings"):
        assert original[table], f"the demo has no rows in {table}: the comparison would prove nothing"
    differing = [table for table in original if original[table] != restored[table]]
    assert differing == []
    assert files_with_digests(restored_media) == files_with_digests(demo)
    assert any(name.startswith("original_images/") for name in files_with_digests(demo))


def test_the_manifest_lists_every_file_with_its_checksum(demo: Path, tmp_path: Path) -> None:
    backup.create_backup(tmp_path / "backup")

    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())

    on_disk = files_with_digests(tmp_path / "backup")
    on_disk.pop("manifest.json")
    assert {name: entry["sha256"] for name, entry in manifest["files"].items()} == on_disk
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["migrations"]["articles"]


def test_a_backup_refuses_a_folder_that_holds_files(media_root: Path, tmp_path: Path) -> None:
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "keep.txt").write_text("an earlier backup")

    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", str(tmp_path / "old"))

    assert [path.name for path in (tmp_path / "old").iterdir()] == ["keep.txt"]


def test_a_backup_that_fails_half_way_leaves_no_folder(media_root: Path, tmp_path: Path, monkeypatch) -> None:
    media_root.mkdir(parents=True)
    (media_root / "a.jpg").write_bytes(b"x")

    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backup.shutil, "copytree", disk_full)

    with pytest.raises(OSError, match="No space left"):
        backup.create_backup(tmp_path / "backups" / "tonight")

    assert list((tmp_path / "backups").iterdir()) == []


def test_restore_refuses_a_database_that_is_not_empty(media_root: Path, tmp_path: Path) -> None:
    backup.create_backup(tmp_path / "backup")

    with pytest.raises(CommandError, match="restore only into an empty database"):
        call_command("restore", str(tmp_path / "backup"))


def test_restore_refuses_a_damaged_backup_before_touching_anything(
    media_root: Path, empty_target, tmp_path: Path
) -> None:
    media_root.mkdir(parents=True)
    (media_root / "original_images").mkdir()
    (media_root / "original_images" / "harbour.jpg").write_bytes(b"picture bytes")
    backup.create_backup(tmp_path / "backup")
    (tmp_path / "backup" / "media" / "original_images" / "harbour.jpg").write_bytes(b"picture byteZ")

    result = restore_command(tmp_path / "backup", empty_target, tmp_path / "restored-media")

    assert result.returncode != 0
    assert "media/original_images/harbour.jpg does not match its checksum" in result.stderr
    assert not (tmp_path / "restored-media").exists()
    assert rows_of(empty_target) == {}


def test_restore_refuses_a_manifest_that_points_outside_the_backup(media_root: Path, tmp_path: Path) -> None:
    backup.create_backup(tmp_path / "backup")
    manifest_path = tmp_path / "backup" / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["files"]["../secret"] = {"size": 1, "sha256": "0" * 64}
    manifest_path.write_text(json.dumps(manifest))

    with pytest.raises(backup.BackupError, match="points outside the backup"):
        backup.read_manifest(tmp_path / "backup")


def test_restore_refuses_a_folder_without_a_manifest(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="not a Newsdesk backup"):
        call_command("restore", str(tmp_path))


def test_restore_refuses_a_media_folder_that_holds_files(media_root: Path, empty_target, tmp_path: Path) -> None:
    backup.create_backup(tmp_path / "backup")
    occupied = tmp_path / "occupied"
    occupied.mkdir()
    (occupied / "someone-else.jpg").write_bytes(b"x")

    result = restore_command(tmp_path / "backup", empty_target, occupied)

    assert result.returncode != 0
    assert "already holds files" in result.stderr
    assert rows_of(empty_target) == {}
