"""On PostgreSQL every connection runs pages' queries in one process, without JIT (settings/base.py)."""

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's session settings"),
]


def setting(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {name}")
        return str(cursor.fetchone()[0])


def test_a_connection_starts_no_parallel_workers():
    assert setting("max_parallel_workers_per_gather") == "0"


def test_a_connection_compiles_no_query():
    assert setting("jit") == "off"
