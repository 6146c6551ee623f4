import io

import pytest
from django.templatetags.static import static
from PIL import Image

pytestmark = pytest.mark.django_db


def test_favicon_ico_is_a_small_icon_kept_for_a_week(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/vnd.microsoft.icon"
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"public", "max-age=604800"} <= directives
    icon = Image.open(io.BytesIO(response.content))
    assert icon.format == "ICO"
    assert {(16, 16), (32, 32)} <= set(icon.info["sizes"])


def test_pages_link_an_svg_icon_that_is_served(client, article_factory, soup):
    story = article_factory()
    for path in ("/", story.url):
        (link,) = soup(client.get(path)).select('head link[rel="icon"]')
        assert link["type"] == "image/svg+xml"
        assert link["href"] == static("img/favicon.svg")
    answer = client.get(static("img/favicon.svg"))
    assert answer.status_code == 200
    assert b"<svg" in b"".join(answer.streaming_content)
