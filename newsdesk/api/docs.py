"""The OpenAPI document (drf-spectacular) and a plain HTML page that lists what it describes.

The docs page is rendered on the server from the same document `/api/v1/schema/`
serves: no Swagger UI or Redoc bundle (no third-party request, nothing for the
strict Content-Security-Policy to allow, readable without JavaScript), and it can
never describe an endpoint the document does not.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from drf_spectacular.views import SpectacularAPIView

from .schema import ApiSchemaGenerator

METHODS = ("get", "head", "post", "put", "patch", "delete")


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3.1 document; YAML by default, JSON with `?format=json`."""

    # The document is the same for everyone: no key, no rate limit, no cookies.
    authentication_classes: list[type] = []
    permission_classes: list[type] = []
    throttle_classes: list[type] = []
    generator_class = ApiSchemaGenerator


def document() -> dict[str, Any]:
    generated: dict[str, Any] = ApiSchemaGenerator().get_schema(request=None, public=True)
    return generated


def operations(schema: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            found.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "id": operation.get("operationId", ""),
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": operation.get("parameters", []),
                    "responses": sorted(
                        (code, answer.get("description", "")) for code, answer in operation.get("responses", {}).items()
                    ),
                }
            )
    return found


def docs(request: HttpRequest) -> HttpResponse:
    schema = document()
    context = {"info": schema.get("info", {}), "operations": operations(schema)}
    return render(request, "api/docs.html", context)
