"""Reader queries built and compiled once per process, run with each call's own values.

A cold article render spent a quarter of its CPU building and compiling querysets
and about one per cent in SQLite or PostgreSQL running them (scripts/profile_render.py).
The hot reads keep one shape from call to call; only their values change: the moment
"now", a page's id, a list of ids. A `PreparedQuery` builds its queryset once per shape
with stand-in values (markers), keeps the compiled SQL and the compiler's column map,
and on each call puts the call's values where the markers were in the parameters.
Rows become model instances through Django's own iterables, exactly as the queryset
would have made them.

What makes a shape: the database alias, the length of each list value and whatever the
`shape` callable returns (e.g. the restricted page paths, which `published()` writes
into its filter as constants). A value that is not a marker (a status string in a
subquery, say) stays as it was compiled.

Markers are values no real call uses: ints far below zero, one instant in 1901. A
compile that cannot find every marker in the parameters, or finds one written into the
SQL text, fails loudly rather than running a query with the wrong values.
"""

from __future__ import annotations

import copy
import datetime as dt
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.utils import timezone

T = TypeVar("T")

# Within a 32-bit integer column's range: PostgreSQL compiles a lookup outside it to "matches nothing".
_INT_BASE = -2_147_480_000
_TIME_BASE = dt.datetime(1901, 2, 3, 4, 5, 6, tzinfo=dt.UTC)


class PreparedQueryError(RuntimeError):
    """A query that cannot be prepared: a marker was lost or written into the SQL."""


class Int:
    """A whole-number value (an id)."""


class Time:
    """An aware datetime value."""


class Text:
    """A string value (a slug), bound as it is: for exact lookups only (no LIKE escaping)."""


class IntList:
    """A list of whole numbers (ids for `__in`); each length is its own shape."""


Kind = type[Int] | type[Time] | type[Text] | type[IntList]

# Shapes kept per query: list lengths vary, and a caller passing ever new lengths must not
# grow a process without bound. Past this, a shape runs as a plain queryset.
MAX_SHAPES = 64


@dataclass(frozen=True)
class _Compiled:
    queryset: QuerySet[Any]
    compiler: Any
    sql: str
    params: tuple[Any, ...]
    # (position in params, name of the value, index within a list or None)
    slots: tuple[tuple[int, str, int | None], ...]


class PreparedQuery(Generic[T]):
    """`build(**values)` returns the queryset; calling the prepared query returns its rows as a list.

    `values` names each value's kind (Int, Time, Text, IntList). `shape`, if given, returns
    anything hashable that changes the SQL itself when it changes; it is read once per
    call and handed to `build` as `shape=`, which must build from it and from nothing else
    that can change (a build that read the restricted paths itself could see a newer set
    than its key says).
    """

    def __init__(
        self,
        build: Callable[..., QuerySet[Any]],
        *,
        shape: Callable[[], Hashable] | None = None,
        **values: Kind,
    ) -> None:
        self.build = build
        self.shape = shape
        self.values = values
        self._compiled: dict[Hashable, _Compiled] = {}
        self._lock = threading.Lock()

    def __call__(self, *, using: str = DEFAULT_DB_ALIAS, **values: Any) -> list[T]:
        if set(values) != set(self.values):
            raise TypeError(f"expected values {sorted(self.values)}, got {sorted(values)}")
        lengths = tuple((name, len(values[name])) for name, kind in sorted(self.values.items()) if kind is IntList)
        # Read once: the build is given the same value the key holds, so a change landing
        # between two reads can never store one shape's SQL under another's key.
        shaped = {"shape": self.shape()} if self.shape else {}
        if any(length == 0 for _, length in lengths):
            # Django knows what an empty `__in` means where it stands (nothing in a filter,
            # everything in an exclude) and runs no query where it can.
            return list(self.build(**values, **shaped).using(using))
        key = (using, lengths, shaped.get("shape"))
        compiled = self._compiled.get(key)
        if compiled is None:
            if len(self._compiled) >= MAX_SHAPES:
                return list(self.build(**values, **shaped).using(using))
            with self._lock:
                compiled = self._compiled.get(key) or self._compile(using, dict(lengths), shaped)
                self._compiled[key] = compiled
        return self._run(compiled, using, values)

    def _markers(self, lengths: dict[str, int]) -> tuple[dict[str, Any], dict[Any, tuple[str, int | None]]]:
        """The stand-in value for each name, and the name (and list index) behind each marker."""
        given: dict[str, Any] = {}
        back: dict[Any, tuple[str, int | None]] = {}
        serial = 0
        for name, kind in sorted(self.values.items()):
            if kind is IntList:
                items = []
                for index in range(lengths[name]):
                    serial += 1
                    items.append(_INT_BASE - serial)
                    back[_INT_BASE - serial] = (name, index)
                given[name] = items
            elif kind is Int:
                serial += 1
                given[name] = _INT_BASE - serial
                back[_INT_BASE - serial] = (name, None)
            elif kind is Text:
                serial += 1
                given[name] = f"prepared-query-marker-{serial}-{_INT_BASE}"
                back[given[name]] = (name, None)
            else:
                serial += 1
                given[name] = _TIME_BASE + dt.timedelta(microseconds=serial)
                back[given[name]] = (name, None)
        return given, back

    def _compile(self, using: str, lengths: dict[str, int], shaped: dict[str, Any]) -> _Compiled:
        connection = connections[using]
        given, back = self._markers(lengths)
        queryset = self.build(**given, **shaped).using(using)
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        # How each marker reads once the backend has adapted it (SQLite writes times as text).
        adapted: dict[Any, tuple[str, int | None]] = {}
        for marker, slot in back.items():
            if isinstance(marker, dt.datetime):
                adapted[connection.ops.adapt_datetimefield_value(marker)] = slot
            else:
                adapted[marker] = slot
        slots = []
        found = set()
        for position, param in enumerate(params):
            if isinstance(param, Hashable) and not isinstance(param, bool) and param in adapted:
                slots.append((position, *adapted[param]))
                found.add(param)
        lost = [marker for marker in adapted if marker not in found]
        if lost:
            raise PreparedQueryError(f"values not found among the compiled parameters: {lost!r}")
        if any(str(marker) in sql for marker in adapted):
            raise PreparedQueryError("a value was written into the SQL text; it cannot be prepared")
        return _Compiled(queryset, compiler, sql, tuple(params), tuple(slots))

    def _run(self, compiled: _Compiled, using: str, values: dict[str, Any]) -> list[T]:
        connection = connections[using]
        params = list(compiled.params)
        for position, name, index in compiled.slots:
            value = values[name] if index is None else values[name][index]
            if value is None:
                # `= NULL` matches nothing where the queryset would have said IS NULL.
                raise TypeError(f"{name}: None cannot take a prepared value's place")
            original = params[position]
            if self.values[name] is Time:
                if timezone.is_naive(value):
                    raise TypeError(f"{name}: a prepared time must be aware")
                value = connection.ops.adapt_datetimefield_value(value)
            elif isinstance(original, int) and not isinstance(value, type(original)):
                value = type(original)(value)  # the backend's own int type (psycopg's Int4, say)
            params[position] = value
        final = tuple(params)
        # A copy of the compiled compiler on this thread's connection, answering with the
        # kept SQL; a fresh queryset around it, so Django's iterable (models, values or
        # flat values) builds the rows as it would have.
        compiler = copy.copy(compiled.compiler)
        compiler.connection = connection
        compiler.as_sql = lambda *args, **kwargs: (compiled.sql, final)  # type: ignore[method-assign]
        queryset = compiled.queryset.all()
        queryset.query.get_compiler = lambda *args, **kwargs: compiler  # type: ignore[method-assign]
        return list(queryset)
