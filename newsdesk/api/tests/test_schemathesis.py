"""schemathesis against the served OpenAPI document: every operation, no 5xx, answers as documented.

Runs in-process on the WSGI application (the whole middleware stack), with data in the
database: a published article with a picture, a correction and tags, a draft and a
scheduled one. The number of examples per operation is bounded and the generation is
derandomised, so the run takes the same steps on every machine, however slow.
"""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from newsdesk.articles.corrections import correction_add
from newsdesk.articles.models import ArticlePage, Correction

EXAMPLES_PER_OPERATION = 25
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def served_schema(db: None, article_factory: Callable[..., ArticlePage], settings: Any) -> Iterator[Any]:
    # Hundreds of requests from one client: the limits have their own tests.
    settings.NEWSDESK_API_RATE_PER_CLIENT = 0
    shown = article_factory(with_image=True, section="world", tags=["Harbour"])
    correction_add(article=shown, kind=Correction.Kind.CORRECTION, text="It was 12.", significant=True, user=None)
    article_factory(section="local")
    article_factory(section="world").unpublish()
    # The WSGI handler closes the database connection after each request, which would end the
    # test's transaction; Django's own test client unhooks the same receivers for that reason.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def test_every_operation_answers_as_documented(served_schema: Any) -> None:
    """Valid requests only: malformed paths are Django's URL resolver's (an HTML 404), not the API's."""
    operations = [result.ok() for result in served_schema.get_all_operations()]
    assert len(operations) == 7

    for operation in operations:

        @given(case=operation.as_strategy(GenerationMode.POSITIVE))
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def answers_as_documented(case: Any) -> None:
            case.call_and_validate(checks=CHECKS)

        answers_as_documented()
