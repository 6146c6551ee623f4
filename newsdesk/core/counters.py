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
  The drain runs on the job worker's machine only, so every web process moves what its own
  machine spooled back into Redis once Redis answers again: on an app server without the
  worker, those counts would otherwise wait in its spool for good.
- `SpoolCounterStore` (the single-machine default): an append-only file per counter
  name; each hit is one small `O_APPEND` write, which POSIX keeps whole. The drainer
  renames the file away and takes an exclusive lock, so a writer that opened the old
  file either finishes first or notices the rename and writes to the new file.

One drain of a counter at a time, in either store: a second one meanwhile (an overlapping
flush job, a web process returning its spool) takes nothing, rather than the totals the
first has taken but not yet written (which it would count twice).
"""

import fcntl
import logging
import os
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from functools import cache
from pathlib import Path
from typing import Protocol

from django.conf import settings

logger = logging.getLogger(__name__)

# How often a web process looks for counts its machine spooled while Redis was away.
SPOOL_RETURN_SECONDS = 30.0
# A drain that died (its process killed) holds the drain of its counter no longer than this.
DRAIN_LOCK_SECONDS = 300


class CounterStore(Protocol):
    def incr(self, name: str, member: str, amount: int = 1) -> None: ...

    @contextmanager
    def drain(self, name: str) -> Iterator[dict[str, int]]:
        """Yield the totals so far and forget them only if the block succeeds."""
        yield {}


class RedisCounterStore:
    def __init__(
        self, url: str, prefix: str = "newsdesk:counters", fallback: "SpoolCounterStore | None" = None
    ) -> None:
        # Optional: only a site with REDIS_URL needs the client.
        import redis

        # Short time-outs: a hung Redis must not hold a reader's request (the hit goes to the spool).
        self.client = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)
        self.unavailable: tuple[type[Exception], ...] = (redis.ConnectionError, redis.TimeoutError)
        self.prefix = prefix
        self.fallback = fallback
        self._spool_checked = float("-inf")

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
            return
        self._return_spool()

    def _return_spool(self) -> None:
        """Move what this machine spooled while Redis was away into Redis, where the flush job finds it.

        The flush job drains only its own machine's spool; on other app servers these counts
        would wait for good. Looked for at most every SPOOL_RETURN_SECONDS per process, and in
        one MULTI/EXEC per counter, so Redis gets all of a spool's totals or none of them.
        """
        now = time.monotonic()
        if self.fallback is None or now - self._spool_checked < SPOOL_RETURN_SECONDS:
            return
        self._spool_checked = now
        try:
            for name in self.fallback.spooled():
                with self.fallback.drain(name) as totals:
                    if totals:
                        pipeline = self.client.pipeline(transaction=True)
                        for member, amount in totals.items():
                            pipeline.hincrby(self._key(name), member, amount)
                        pipeline.execute()
        except self.unavailable as error:
            logger.warning("Redis unavailable (%s); spooled counts stay in the local spool", error)

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
        lock, token = f"{self._key(name)}:drain-lock", uuid.uuid4().hex
        if not self.client.set(lock, token, nx=True, ex=DRAIN_LOCK_SECONDS):
            yield {}  # another drain is under way: what it took is its to write
            return
        try:
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
        finally:
            if self.client.get(lock) == token.encode():
                self.client.delete(lock)


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

    def spooled(self) -> set[str]:
        """The counters with hits in this spool (new, or left by a drain that failed)."""
        names = {path.name.removesuffix(".log") for path in self.directory.glob("*.log")}
        return names | {path.name.rsplit(".", 2)[0] for path in self.directory.glob("*.draining")}

    @contextmanager
    def drain(self, name: str) -> Iterator[dict[str, int]]:
        self.directory.mkdir(parents=True, exist_ok=True)
        # One drainer per counter, among this machine's processes and threads alike (a flock
        # belongs to its own open file); the kernel drops it if the drainer dies.
        with open(self.directory / f".{name}.drain-lock", "a") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield {}  # another drain is under way: what it took is its to write
                return
            with self._drain(name) as totals:
                yield totals

    @contextmanager
    def _drain(self, name: str) -> Iterator[dict[str, int]]:
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
