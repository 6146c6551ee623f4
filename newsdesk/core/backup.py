"""Backups that restore: a consistent database dump, the media files and a manifest of checksums.

A backup is a folder:

    manifest.json      what is in it: format, when, database vendor, applied migrations,
                       and the size and SHA-256 of every file below
    database.dump      PostgreSQL: `pg_dump --format=custom` (one consistent snapshot)
    database.sqlite3   SQLite: the online backup API (consistent while the site writes)
    media/…            a copy of MEDIA_ROOT, taken after the dump

The database is dumped first and media copied after it, so every picture the dump refers to
was on disk when it was copied (a picture uploaded in between is an unreferenced file, harmless).
The folder is written under a temporary name and renamed when complete: a folder named as asked
is always a whole backup. `restore` checks every checksum before it touches anything and only
writes into an empty database and an empty media folder, so a mistaken restore cannot mix two
sites or overwrite a live one.
"""

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA = "media"
DUMP_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why, nothing was changed."""


@dataclass(frozen=True)
class Summary:
    path: Path
    files: int
    bytes: int


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _files_under(root: Path) -> Iterator[Path]:
    for folder, _dirs, names in os.walk(root):
        for name in sorted(names):
            yield Path(folder) / name


def _database(alias: str) -> tuple[str, dict[str, Any]]:
    connection = connections[alias]
    vendor = connection.vendor
    if vendor not in DUMP_FILES:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    return vendor, connection.settings_dict


def _pg_env(db: dict[str, Any]) -> dict[str, str]:
    """libpq reads the connection from the environment, so no password appears in `ps`."""
    env = dict(os.environ)
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[name] = str(db[key])
    env["PGDATABASE"] = str(db["NAME"])
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    except FileNotFoundError as missing:
        raise BackupError(f"{command[0]} is not installed (PostgreSQL's client programs are needed).") from missing
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")


def _dump_database(alias: str, target: Path) -> str:
    vendor, db = _database(alias)
    dump = target / DUMP_FILES[vendor]
    if vendor == "postgresql":
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={dump}"], _pg_env(db))
    else:
        source = sqlite3.connect(str(db["NAME"]))
        copy = sqlite3.connect(str(dump))
        try:
            with copy:
                source.backup(copy)
        finally:
            copy.close()
            source.close()
    return vendor


def _migrations(alias: str) -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connections[alias]).applied_migrations():
        latest[app] = max(latest.get(app, ""), name)
    return dict(sorted(latest.items()))


def create_backup(target: Path, *, alias: str = "default", now: datetime.datetime | None = None) -> Summary:
    """Write a whole backup to `target`, which must not exist or be an empty folder."""
    target = Path(target)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BackupError(f"{target} is not empty: a backup goes into a new folder.")
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.partial-", dir=target.parent))
    try:
        vendor = _dump_database(alias, work)
        media_root = Path(settings.MEDIA_ROOT)
        if media_root.is_dir():
            shutil.copytree(media_root, work / MEDIA, symlinks=False)
        files: dict[str, dict[str, Any]] = {
            path.relative_to(work).as_posix(): {"size": path.stat().st_size, "sha256": sha256(path)}
            for path in _files_under(work)
        }
        manifest = {
            "format": FORMAT,
            "created_at": (now or timezone.now()).isoformat(),
            "database": {"vendor": vendor, "file": DUMP_FILES[vendor]},
            "migrations": _migrations(alias),
            "files": files,
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")
        if target.exists():
            target.rmdir()
        work.rename(target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return Summary(path=target, files=len(files), bytes=sum(int(entry["size"]) for entry in files.values()))


def read_manifest(source: Path) -> dict[str, Any]:
    """The manifest, after checking that every file it lists is there, whole and unchanged."""
    source = Path(source)
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError as missing:
        raise BackupError(f"{source} holds no {MANIFEST}: not a Newsdesk backup.") from missing
    except (ValueError, UnicodeDecodeError) as broken:
        raise BackupError(f"{source / MANIFEST} is not readable JSON: {broken}") from broken
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{source / MANIFEST}: unknown backup format {manifest.get('format')!r}.")
    files = manifest.get("files")
    if not isinstance(files, dict):
        raise BackupError(f"{source / MANIFEST}: no list of files.")
    root = source.resolve()
    for name, entry in files.items():
        path = (source / name).resolve()
        if not path.is_relative_to(root):
            raise BackupError(f"{source / MANIFEST}: {name!r} points outside the backup.")
        if not path.is_file():
            raise BackupError(f"{name} is missing from the backup.")
        if path.stat().st_size != entry.get("size") or sha256(path) != entry.get("sha256"):
            raise BackupError(f"{name} does not match its checksum: the backup is damaged.")
    return manifest


def _require_empty_database(alias: str) -> None:
    tables = connections[alias].introspection.table_names()
    if tables:
        raise BackupError(
            f"The database already has {len(tables)} tables: restore only into an empty database "
            "(a new PostgreSQL database, or a SQLite file that does not exist yet)."
        )


def _require_empty_media() -> Path:
    media_root = Path(settings.MEDIA_ROOT)
    if media_root.exists() and any(_files_under(media_root)):
        raise BackupError(f"The media folder {media_root} already holds files: restore only into an empty one.")
    return media_root


def restore_backup(source: Path, *, alias: str = "default") -> Summary:
    """Load a backup into an empty database and an empty media folder."""
    source = Path(source)
    manifest = read_manifest(source)
    vendor, db = _database(alias)
    if manifest["database"]["vendor"] != vendor:
        raise BackupError(f"The backup is of a {manifest['database']['vendor']} database; this site uses {vendor}.")
    _require_empty_database(alias)
    media_root = _require_empty_media()
    dump = source / DUMP_FILES[vendor]
    connections[alias].close()
    if vendor == "postgresql":
        _run(
            ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", f"--dbname={db['NAME']}", str(dump)],
            _pg_env(db),
        )
    else:
        backup = sqlite3.connect(str(dump))
        live = sqlite3.connect(str(db["NAME"]))
        try:
            with live:
                backup.backup(live)
        finally:
            live.close()
            backup.close()
    media = source / MEDIA
    files = [name for name in manifest["files"] if name.startswith(f"{MEDIA}/")]
    if media.is_dir():
        shutil.copytree(media, media_root, dirs_exist_ok=True)
    size = sum(int(manifest["files"][name]["size"]) for name in files)
    return Summary(path=source, files=len(files), bytes=size)
