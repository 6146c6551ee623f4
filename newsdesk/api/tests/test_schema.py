"""The OpenAPI document: served, complete, and the same as the copy checked in (so a change shows in review)."""

from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup

pytestmark = pytest.mark.django_db

CHECKED_IN = Path(__file__).resolve().parent.parent / "openapi.yaml"
REGENERATE = (
    "The API changed its OpenAPI document. If that is intended, regenerate the checked-in copy with\n"
    "  DJANGO_SETTINGS_MODULE=newsdesk.settings.test .venv/bin/python manage.py spectacular "
    "--validate --file newsdesk/api/openapi.yaml\nand review the difference."
)
OPERATIONS = {
    ("get", "/api/v1/articles/"),
    ("get", "/api/v1/articles/{id}/"),
    ("get", "/api/v1/articles/{year}/{month}/{day}/{slug}/"),
    ("get", "/api/v1/sections/"),
    ("get", "/api/v1/authors/"),
    ("get", "/api/v1/tags/"),
    ("get", "/api/v1/home/"),
}


def served(client: Any) -> dict[str, Any]:
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    document: dict[str, Any] = yaml.safe_load(response.content)
    return document


def test_served_document_matches_the_checked_in_copy(client: Any) -> None:
    assert served(client) == yaml.safe_load(CHECKED_IN.read_text()), REGENERATE


def test_document_is_openapi_3_1_and_lists_every_operation(client: Any) -> None:
    document = served(client)
    assert document["openapi"] == "3.1.0"
    found = {(method, path) for path, item in document["paths"].items() for method in item}
    assert found == OPERATIONS


def test_json_form_of_the_document(client: Any) -> None:
    assert client.get("/api/v1/schema/?format=json").json()["openapi"] == "3.1.0"


def test_docs_page_lists_every_operation_without_outside_requests(client: Any) -> None:
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    assert len(page.find_all("h1")) == 1
    listed = {tuple(code.get_text().lower().split(" ", 1)) for code in page.select("section h2 code")}
    assert listed == OPERATIONS
    # Nothing loaded from anywhere: no script, stylesheet or picture at all.
    assert not page.select("script[src], link[rel=stylesheet], img")
