"""Counters aggregated outside the database and drained by a job.

A reader's request only adds to a counter (article views, later ad impressions and
clicks); a recurring job drains the totals into daily or hourly rows. That keeps the
database free of one write per view and free of lost read-increment-write updates.

Two stores behind one interface:

- `RedisCounterStore` (when REDIS_URL is set): one Redis hash per counter name,
  `HINCRBY` per hit, drained with an atomic `RENAME`, so several app servers share it.
  While Redis is unreachable a hit goes to this machine's spool instead, and the drain
  takes both, so an outage or restart loses no count (only what a Redis restart without
  persistence wipes from memory: the hits since the last drain, at most one flush interval).
- `SpoolCounterStore` (the single-machine default): an append-only file per counter
  name; each hit is one small `O_APPEND` write, which POSIX keeps whole. The drainer
  renames the file away and takes an exclusive lock, so a writer that opened the old
  file either finishes first or notices the rename and writes to the new file.
"""

import fcntl
import logging
import os
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from functools import cache
from pathlib import Path
from typing import Protocol

from django.conf import settings

logger = logging.getLogger(__name__)


class CounterStore(Protocol):
    def incr(self, name: str, member: str, amount: int = 1) -> None: ...

    @contextmanager
    def drain(self, name: str) -> Iterator[dict[str, int]]:
        """Yield the totals so far and forget them only if the block succeeds."""
        yield {}


class RedisCounterStore:
    def __init__(self, url: str, prefix: str = "newsdesk:counters", fallback: "CounterStore | None" = None) -> None:
        # Optional: only a site with REDIS_URL needs the client.
        import redis

        # Short time-outs: a hung Redis must not hold a reader's request (the hit goes to the spool).
        self.client = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)
        self.unavailable: tuple[type[Exception], ...] = (redis.ConnectionError, redis.TimeoutError)
        self.prefix = prefix
        self.fallback = fallback

    def _key(self, name: str) -> str:
        return f"{self.prefix}:{name}"

    def incr(self, name: str, member: str, amount: int = 1) -> None:
        try:
            self.client.hincrby(self._key(name), member, amount)
        except self.unavailable as error:
            if self.fallback is None:
                raise
            logger.warning("Redis unavailable for counter %s (%s); counting in the local spool", name, error)
            self.fallback.incr(name, member, amount)

    @contextmanager
    def drain(self, name: str) -> Iterator[dict[str, int]]:
        """The totals in Redis plus those the spool took while Redis was away."""
        with ExitStack() as stack:
            totals: Counter[str] = Counter()
            if self.fallback is not None:
                totals.update(stack.enter_context(self.fallback.drain(name)))
            try:
                totals.update(stack.enter_context(self._drain_redis(name)))
            except self.unavailable as error:
                if self.fallback is None:
                    raise
                logger.warning("Redis unavailable for counter %s (%s); draining the local spool only", name, error)
            yield dict(totals)

    @contextmanager
    def _drain_redis(self, name: str) -> Iterator[dict[str, int]]:
        # Totals left by a drain that failed half-way are picked up again first.
        pending = f"{self._key(name)}:draining"
        if not self.client.exists(pending):
            try:
                self.client.rename(self._key(name), pending)
            except Exception as error:  # redis answers "no such key" when nothing was counted
                if "no such key" not in str(error).lower():
                    raise
                yield {}
                return
        raw = self.client.hgetall(pending)
        totals = {member.decode(): int(value) for member, value in raw.items()}  # type: ignore[union-attr]
        yield totals
        self.client.delete(pending)


class SpoolCounterStore:
    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    def _path(self, name: str) -> Path:
        return self.directory / f"{name}.log"

    def incr(self, name: str, member: str, amount: int = 1) -> None:
        if "\t" in member or "\n" in member:
            raise ValueError("counter members cannot hold tabs or newlines")
        line = f"{member}\t{amount}\n".encode()
        try:
            self._append(self._path(name), line)
        except OSError as error:
            # Disk full, quota, read-only: losing one hit beats failing the reader's request;
            # the log says counts are being lost (docs/deploy.md, "Faults").
            logger.error("Counter spool %s not writable (%s); hit not counted", self.directory, error)

    def _append(self, path: Path, line: bytes) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        while True:
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
            try:
                fcntl.flock(fd, fcntl.LOCK_SH)
                # If the drainer renamed the file after we opened it, write to the new one.
                try:
                    same = os.fstat(fd).st_ino == os.stat(path).st_ino
                except FileNotFoundError:
                    same = False
                if same:
                    os.write(fd, line)
                    return
            finally:
                os.close(fd)

    @contextmanager
    def drain(self, name: str) -> Iterator[dict[str, int]]:
        self.directory.mkdir(parents=True, exist_ok=True)
        leftovers = sorted(self.directory.glob(f"{name}.*.draining"))
        path = self._path(name)
        if path.exists():
            taken = self.directory / f"{name}.{uuid.uuid4().hex}.draining"
            os.rename(path, taken)
            leftovers.append(taken)
        totals: Counter[str] = Counter()
        for spool in leftovers:
            with open(spool, "rb") as handle:
                # Wait for writers that opened the file before the rename.
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
                for raw in handle.read().decode().splitlines():
                    member, _, amount = raw.partition("\t")
                    if member and amount.isascii() and amount.isdigit():
                        totals[member] += int(amount)
        yield dict(totals)
        for spool in leftovers:
            spool.unlink(missing_ok=True)


@cache
def counter_store() -> CounterStore:
    if settings.REDIS_URL:
        return RedisCounterStore(
            settings.REDIS_URL,
            prefix=f"{settings.NEWSDESK_CACHE_PREFIX}:counters",
            fallback=SpoolCounterStore(settings.NEWSDESK_COUNTERS_SPOOL_DIR),
        )
    return SpoolCounterStore(settings.NEWSDESK_COUNTERS_SPOOL_DIR)
