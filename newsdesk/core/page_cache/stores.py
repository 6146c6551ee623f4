"""Where copies, purge markers and render locks live: a Django cache, or files in one directory."""

from __future__ import annotations

import fcntl
import os
import pickle
import tempfile
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from pathlib import Path
from typing import Any, Protocol

from django.core.cache import caches


class PageStore(Protocol):
    """Where copies, purge markers and render locks live (shared by every worker that serves the site)."""

    def get_many(self, keys: list[str]) -> dict[str, Any]: ...

    def set(self, key: str, value: Any, timeout: float) -> None: ...

    def delete(self, key: str) -> None: ...

    def clear(self) -> None: ...

    def lock(self, key: str, timeout: float) -> AbstractContextManager[bool]:
        """Yield True to the one caller that may render `key` now, False to the others."""
        ...


class CacheStore:
    """A Django cache: process-local by default, Redis when REDIS_URL is set.

    `add()` is atomic on both (Redis `SET NX`; LocMemCache under its lock), which
    is all a render lock needs. The lock expires by itself if a worker dies.
    """

    def __init__(self, alias: str = "default") -> None:
        self.cache = caches[alias]

    def get_many(self, keys: list[str]) -> dict[str, Any]:
        return self.cache.get_many(keys)

    def set(self, key: str, value: Any, timeout: float) -> None:
        self.cache.set(key, value, max(1, int(timeout)))

    def delete(self, key: str) -> None:
        self.cache.delete(key)

    def clear(self) -> None:
        self.cache.clear()

    @contextmanager
    def lock(self, key: str, timeout: float) -> Iterator[bool]:
        token = os.urandom(8).hex()
        acquired = self.cache.add(key, token, max(1, int(timeout)))
        try:
            yield acquired
        finally:
            if acquired and self.cache.get(key) == token:
                self.cache.delete(key)


class FileStore:
    """Files in one directory: shared by the workers of one machine without Redis.

    Writes go to a temporary file renamed into place, so a reader sees a whole
    copy or none. Locks are `flock()` locks, which the kernel drops when a worker
    dies, so a crashed render never blocks a page.
    """

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.prefix = str(self.directory) + os.sep

    def _path(self, key: str) -> str:
        # Plain strings: this runs on every cached hit, and pathlib costs more than the read.
        return self.prefix + key

    def _read(self, key: str) -> Any:
        try:
            with open(self._path(key), "rb") as handle:
                expires, value = pickle.load(handle)  # noqa: S301 - files this store wrote itself
        except (FileNotFoundError, EOFError, pickle.UnpicklingError, ValueError):
            return None
        return value if expires > time.time() else None

    def get_many(self, keys: list[str]) -> dict[str, Any]:
        found = {key: self._read(key) for key in keys}
        return {key: value for key, value in found.items() if value is not None}

    def set(self, key: str, value: Any, timeout: float) -> None:
        handle, temporary = tempfile.mkstemp(dir=self.directory, prefix=".tmp-")
        with os.fdopen(handle, "wb") as out:
            pickle.dump((time.time() + timeout, value), out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, self._path(key))

    def delete(self, key: str) -> None:
        with suppress(FileNotFoundError):
            os.unlink(self._path(key))

    def clear(self) -> None:
        for path in self.directory.iterdir():
            if path.is_file():
                with suppress(FileNotFoundError):
                    path.unlink()

    @contextmanager
    def lock(self, key: str, timeout: float) -> Iterator[bool]:
        locks = self.directory / "locks"
        locks.mkdir(exist_ok=True)
        with open(locks / key, "a") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
