"""schemathesis against the served OpenAPI document: every operation, no 5xx, answers as documented.

Runs in-process on the WSGI application (the whole middleware stack), with data in the
database: a published article with a picture, a correction and tags, a draft and a
scheduled one. The number of examples per operation is bounded and the generation is
derandomised, so the run takes the same steps on every machine, however slow.
"""

from collections.abc import Callable
from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
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
def served_schema(db: None, article_factory: Callable[..., ArticlePage], settings: Any) -> Any:
    # Hundreds of requests from one client: the limits have their own tests.
    settings.NEWSDESK_API_RATE_PER_CLIENT = 0
    shown = article_factory(with_image=True, section="world", tags=["Harbour"])
    correction_add(article=shown, kind=Correction.Kind.CORRECTION, text="It was 12.", significant=True, user=None)
    article_factory(section="local")
    article_factory(section="world").unpublish()
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())
    # Valid requests: malformed paths are Django's URL resolver's (an HTML 404), not the API's.
    schema.config.generation.update(modes=[GenerationMode.POSITIVE], max_examples=EXAMPLES_PER_OPERATION)
    return schema


schema = schemathesis.pytest.from_fixture("served_schema")


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_as_documented(case: Any) -> None:
    case.call_and_validate(checks=CHECKS)
