"""What the OpenAPI document covers: the API's own endpoints (schema_urls.py), nothing of Wagtail's admin API."""

from typing import Any

from drf_spectacular.generators import SchemaGenerator


class ApiSchemaGenerator(SchemaGenerator):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["urlconf"] = "newsdesk.api.schema_urls"
        super().__init__(*args, **kwargs)
