"""Two production app servers sharing PostgreSQL and Redis, behind the shipped nginx (harness.py).

Not browser tests, so `make test` runs them (once: CI's PostgreSQL step skips tests/proxies and
this folder, since these make their own PostgreSQL database whatever DATABASE_URL says). They
skip when nginx, openssl, PostgreSQL or Redis is missing, except under CI, where that fails.
"""

import os
from collections.abc import Iterator

import pytest

from .harness import Cluster, Missing, two_servers


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    try:
        with two_servers(tmp_path_factory.mktemp("two-servers")) as running:
            yield running
    except Missing as missing:
        if os.environ.get("CI"):
            pytest.fail(str(missing))
        pytest.skip(str(missing))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    report = yield
    if report.when == "call" and report.failed and "cluster" in getattr(item, "funcargs", {}):
        # The servers' own account of what happened, beside the assertion.
        report.sections.append(("two servers' logs", item.funcargs["cluster"].logs()))
    return report
